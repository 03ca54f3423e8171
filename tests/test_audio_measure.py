"""Loudness (LUFS) and the measuring tool: every cue and the speech at one loudness, no two cues alike."""

from __future__ import annotations

import math
import sys
import wave
from array import array
from dataclasses import replace
from pathlib import Path

import pytest
from audio_fakes import needs_espeak

from spasmcoach.audio.loudness import integrated_loudness, k_weighting
from spasmcoach.audio.wav import CUE_LOUDNESS_LUFS, normalise_loudness
from spasmcoach.core.resources import sounds_dir

TOOLS = Path(__file__).resolve().parents[1] / "tools"
sys.path.insert(0, str(TOOLS))
import make_sounds  # noqa: E402
import measure_audio  # noqa: E402


def sine(freq: float, seconds: float, rate: int, amplitude: float = 1.0) -> list[float]:
    """A plain sine wave."""
    return [amplitude * math.sin(2 * math.pi * freq * i / rate) for i in range(round(seconds * rate))]


def test_k_weighting_matches_the_published_48_khz_coefficients() -> None:
    """The filters derived for any rate give ITU-R BS.1770's printed coefficients at 48 kHz."""
    shelf, highpass = k_weighting(48000)
    assert shelf[0] == pytest.approx((1.53512485958697, -2.69169618940638, 1.19839281085285), abs=1e-9)
    assert shelf[1] == pytest.approx((1.0, -1.69065929318241, 0.73248077421585), abs=1e-9)
    assert highpass[0] == (1.0, -2.0, 1.0)
    assert highpass[1] == pytest.approx((1.0, -1.99004745483398, 0.99007225036621), abs=1e-9)


def test_integrated_loudness_of_known_signals() -> None:
    """A full-scale 997 Hz sine is -3.01 LUFS at any rate; half the amplitude is 6 LU quieter; silence is -inf."""
    for rate in (22050, 48000):
        assert integrated_loudness(sine(997, 1.0, rate), rate) == pytest.approx(-3.01, abs=0.05)
        assert integrated_loudness(sine(997, 1.0, rate, 0.5), rate) == pytest.approx(-9.03, abs=0.05)
    assert integrated_loudness([0.0] * 22050, 22050) == -math.inf
    short = integrated_loudness(sine(997, 0.09, 22050), 22050)  # shorter than one 400 ms block
    assert short == pytest.approx(-3.01, abs=0.3)
    # The relative gate ignores a long quiet tail: a second of sine then nine of near-silence measures
    # close to the sine alone (blocks that straddle the end count too), not the -13 LUFS of the plain mean.
    tail = sine(997, 1.0, 22050) + sine(997, 9.0, 22050, 0.001)
    assert -4.0 < integrated_loudness(tail, 22050) < -3.0


def write_wav(path: Path, samples: list[float], rate: int = 22050) -> None:
    """Write float samples as a mono 16-bit WAV."""
    data = array("h", (round(s * 32767) for s in samples))
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(data.tobytes())


def test_normalise_loudness_reaches_the_target_without_passing_the_ceiling(tmp_path: Path) -> None:
    """A quiet recording is lifted to the target loudness; a spiky one stops at the peak ceiling."""
    quiet = tmp_path / "quiet.wav"
    write_wav(quiet, sine(440, 1.0, 22050, 0.02))
    normalise_loudness(quiet, -20.0, -1.0)
    assert measure_audio.measure(quiet).lufs == pytest.approx(-20.0, abs=0.1)
    spiky = tmp_path / "spiky.wav"
    write_wav(spiky, [0.5 if i % 2205 == 0 else 0.0 for i in range(22050)])
    normalise_loudness(spiky, -10.0, -1.0)
    assert measure_audio.measure(spiky).peak_dbfs == pytest.approx(-1.0, abs=0.05)


def test_bundled_cues_are_equally_loud_and_none_is_indistinct() -> None:
    """The measurement of the shipped sounds finds nothing wrong: all within ±1 LU, every pair distinct."""
    cues = measure_audio.measure_cues(sounds_dir())
    assert len(cues) == len(list(sounds_dir().glob("*.wav"))) >= 11
    assert measure_audio.problems(cues) == []
    for cue in cues:
        assert abs(cue.lufs - CUE_LOUDNESS_LUFS) <= measure_audio.LOUDNESS_WINDOW_LU, cue


def test_the_distinctness_check_catches_cues_that_differ_only_in_pitch_order() -> None:
    """Two chimes with the same rhythm and timbre, one rising and one falling, are reported."""
    c5, g5 = 523.25, 783.99
    rising = make_sounds.CueSpec("up", "", (make_sounds.Note(c5, 0, 0.45, 0.22), make_sounds.Note(g5, 0.28, 1.0, 0.4)))
    falling = make_sounds.CueSpec(
        "down", "", (make_sounds.Note(g5, 0, 0.45, 0.22), make_sounds.Note(c5, 0.28, 1.0, 0.4))
    )
    measured = []
    for spec in (rising, falling):
        samples = make_sounds.render(spec)
        if sys.byteorder == "big":
            samples.byteswap()
        measured.append(measure_audio.measure_samples(spec.name, [s / 32768 for s in samples], make_sounds.RATE))
    assert measure_audio.problems(measured) == ["up and down differ only in pitch or length, not in rhythm or timbre"]


def test_docs_hold_the_current_cue_measurements() -> None:
    """docs/audio.md carries the table the tool writes today (tools/measure_audio.py rewrites it)."""
    cues = measure_audio.measure_cues(sounds_dir())
    fresh = [line for line in measure_audio.table(cues, []).splitlines() if line.startswith("| `")]
    doc = measure_audio.DOC.read_text(encoding="utf-8")
    assert fresh and all(line in doc for line in fresh), "run tools/measure_audio.py to refresh docs/audio.md"
    assert "spasmcoach/audio.py" not in doc


def test_the_summary_says_how_the_finish_and_the_stop_sit_against_the_other_cues() -> None:
    """A finish 2 LU louder than the rest shows as +2.0 LU; the shipped set shows neither standing out."""
    shipped = measure_audio.measure_cues(sounds_dir())
    line = measure_audio.calm_ends(shipped)
    assert len(line) == 1 and "`done` +0.0 LU" in line[0] and "`stopped` +0.0 LU" in line[0]
    louder = [replace(m, lufs=m.lufs + 2.0) if m.name == "done" else m for m in shipped]
    assert "`done` +2.0 LU" in measure_audio.calm_ends(louder)[0]
    assert measure_audio.calm_ends([m for m in shipped if m.name != "stopped"]) == []


def test_write_doc_replaces_only_the_marked_table(tmp_path: Path) -> None:
    """The tool rewrites what lies between its markers and nothing else, and refuses a doc without them."""
    doc = tmp_path / "audio.md"
    doc.write_text(f"# Title\n\n{measure_audio.BEGIN}\nold\n{measure_audio.END}\n\nafter\n", encoding="utf-8")
    measure_audio.write_doc("new table", doc)
    assert (
        doc.read_text(encoding="utf-8")
        == f"# Title\n\n{measure_audio.BEGIN}\nnew table\n{measure_audio.END}\n\nafter\n"
    )
    doc.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        measure_audio.write_doc("x", doc)


@needs_espeak
def test_speech_is_as_loud_as_the_cues() -> None:
    """Rendered guidance sits within ±1 LU of the cues and never peaks above -1 dBFS."""
    speech = measure_audio.measure_speech()
    assert len(speech) == len(measure_audio.SPEECH_SAMPLE)
    assert measure_audio.problems([], speech) == []


def test_loudness_is_measured_in_a_child_process_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Speech is measured by loudness.py run as a script in a child (so no app thread holds the GIL for it);
    it gives the in-process figure, and if the child cannot run the measurement is made here instead."""
    from spasmcoach.audio import wav as wav_module

    path = tmp_path / "tone.wav"
    tone = sine(440, 1.5, 22050, 0.1)
    write_wav(path, tone)
    samples = array("h", (round(s * 32767) for s in tone))
    expected = integrated_loudness([s / 32768 for s in samples], 22050)
    runs: list[list[str]] = []
    real_run = wav_module.subprocess.run

    def recording_run(command: list[str], **kwargs: object) -> object:
        runs.append(command)
        return real_run(command, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(wav_module.subprocess, "run", recording_run)
    assert wav_module.measure_loudness(path, samples, 22050) == pytest.approx(expected, abs=1e-6)
    assert len(runs) == 1 and runs[0][-2].endswith("loudness.py")
    monkeypatch.setattr(wav_module.sys, "executable", str(tmp_path / "no-such-python"))
    assert wav_module.measure_loudness(path, samples, 22050) == pytest.approx(expected, abs=1e-6)
