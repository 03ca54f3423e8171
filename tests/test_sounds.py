"""The bundled cue WAVs (present, small, equally loud, click-free, distinct, reproducible) and the cue catalogue."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pytest

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.cues import CATALOGUE, Moment, Sound, sounds_for
from spasmcoach.core.model import Routine, RoutineKind, Sides, Step
from spasmcoach.core.resources import sounds_dir
from spasmcoach.core.runner import Runner

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO / "tools" / "make_sounds.py"
COMMITTED = REPO / "assets" / "sounds"
RATE = 22050
FRAME = 882  # 40 ms analysis frames for the pitch contour
FULL_SCALE = 32767


def load(path: Path) -> array:
    """The samples of a mono 16-bit WAV (checking the format on the way)."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1, path.name
        assert wav.getsampwidth() == 2, path.name
        assert wav.getframerate() == RATE, path.name
        samples = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def dbfs(value: float) -> float:
    """A linear sample magnitude as dBFS."""
    return 20 * math.log10(value / FULL_SCALE)


def loudest_window_rms(samples: array, window: int = 1102, hop: int = 220) -> float:
    """RMS of the loudest 50 ms stretch: the loudness measure cues are matched on."""
    squares = [s * s for s in samples]
    if len(squares) <= window:
        return math.sqrt(sum(squares) / len(squares))
    best = max(sum(squares[i : i + window]) for i in range(0, len(squares) - window + 1, hop))
    return math.sqrt(best / window)


def pitch_contour(samples: array) -> list[float | None]:
    """Pitch per 40 ms frame in semitones from A4 (zero-crossing estimate); None where nearly silent."""
    frame = FRAME if len(samples) >= 2 * FRAME else len(samples) // 2
    starts = range(0, len(samples) - frame + 1, frame)
    levels = [math.sqrt(sum(s * s for s in samples[i : i + frame]) / frame) for i in starts]
    top = max(levels)
    contour: list[float | None] = []
    for start, level in zip(starts, levels, strict=True):
        if level < top / 10:
            contour.append(None)
            continue
        seg = samples[start : start + frame]
        crossings = sum(1 for a, b in itertools.pairwise(seg) if (a < 0) != (b < 0))
        freq = crossings / 2 / (frame / RATE)
        contour.append(12 * math.log2(freq / 440))
    return contour


def voiced(contour: list[float | None]) -> list[float]:
    """The frames of a contour that carry sound."""
    return [c for c in contour if c is not None]


@pytest.fixture(scope="module")
def cues() -> dict[Sound, array]:
    """Every cue's samples, loaded once."""
    return {cue: load(sounds_dir() / cue.filename) for cue in Sound}


def test_every_cue_file_exists_is_small_and_valid(cues: dict[Sound, array]) -> None:
    """Each cue is a mono 16-bit 22050 Hz WAV under 100 KB and at most about 2 s."""
    for cue in Sound:
        path = sounds_dir() / cue.filename
        assert path.stat().st_size < 100_000, f"{path.name} is {path.stat().st_size} bytes"
        assert 0.05 < len(cues[cue]) / RATE < 2.3, path.name


def test_no_other_files_in_the_sounds_folder() -> None:
    """No stray or misnamed WAVs are shipped."""
    assert sorted(p.name for p in sounds_dir().glob("*.wav")) == sorted(c.filename for c in Sound)


def test_cues_are_not_silent_and_equally_loud(cues: dict[Sound, array]) -> None:
    """Loudest-50-ms RMS matches within 0.5 dB; peaks stay between -10 and -3 dBFS."""
    loudness = {cue: dbfs(loudest_window_rms(s)) for cue, s in cues.items()}
    peaks = {cue: dbfs(max(abs(x) for x in s)) for cue, s in cues.items()}
    for cue in Sound:
        assert loudness[cue] > -20, f"{cue} is too quiet: {loudness[cue]:.1f} dBFS"
        assert -10.0 < peaks[cue] <= -3.0, f"{cue} peak {peaks[cue]:.1f} dBFS"
    assert max(loudness.values()) - min(loudness.values()) < 0.5, loudness


def test_cues_start_and_end_silently_without_clicks(cues: dict[Sound, array]) -> None:
    """Cues begin and end at zero and have no sample-to-sample jumps (clicks)."""
    for cue, samples in cues.items():
        assert abs(samples[0]) < 100 and abs(samples[-1]) < 100, cue
        jump = max(abs(a - b) for a, b in itertools.pairwise(samples))
        assert jump < 0.2 * FULL_SCALE, f"{cue}: a jump of {jump} between two samples sounds like a click"


def test_no_two_cue_files_are_identical() -> None:
    """Each file is its own sound."""
    blobs = {cue: (sounds_dir() / cue.filename).read_bytes() for cue in Sound}
    assert len(set(blobs.values())) == len(blobs)


def test_cue_shapes_match_their_meaning(cues: dict[Sound, array]) -> None:
    """hold rises, rest falls, tick is very short and stopped is the lowest cue."""
    contours = {cue: voiced(pitch_contour(s)) for cue, s in cues.items()}
    hold, rest = contours[Sound.HOLD], contours[Sound.REST]
    assert hold[0] + 3 < hold[-1], "hold should rise"
    assert rest[0] > rest[-1] + 3, "rest should fall"
    assert len(cues[Sound.TICK]) / RATE < 0.15, "tick should be very short"
    assert all(len(cues[c]) / RATE > 0.5 for c in Sound if c is not Sound.TICK)
    medians = {cue: sorted(c)[len(c) // 2] for cue, c in contours.items()}
    assert min(medians, key=medians.__getitem__) is Sound.STOPPED, "stopped should be the lowest cue"
    assert medians[Sound.STOPPED] < -6  # below about C#4 (277 Hz)


def test_cues_are_distinct_in_length_or_melody(cues: dict[Sound, array]) -> None:
    """Every pair of cues differs clearly in length or in pitch over time."""
    contours = {cue: pitch_contour(s) for cue, s in cues.items()}
    for a, b in itertools.combinations(Sound, 2):
        length_gap = abs(len(cues[a]) - len(cues[b])) / RATE
        pairs = [(x, y) for x, y in zip(contours[a], contours[b], strict=False) if x is not None and y is not None]
        melody_gap = sum(abs(x - y) for x, y in pairs) / len(pairs) if pairs else 0.0  # no overlap: length decides
        assert length_gap > 0.3 or melody_gap > 1.5, f"{a} and {b} sound too alike"


def test_generator_is_deterministic_and_matches_committed_files(tmp_path: Path) -> None:
    """A fresh run (isolated, standard library only) writes exactly the committed WAVs."""
    subprocess.run([sys.executable, "-I", str(GENERATOR), str(tmp_path)], check=True, capture_output=True, timeout=120)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(c.filename for c in Sound)
    for cue in Sound:
        fresh = (tmp_path / cue.filename).read_bytes()
        assert fresh == (COMMITTED / cue.filename).read_bytes(), f"{cue} differs: run tools/make_sounds.py"


def test_every_sound_the_catalogue_names_is_a_committed_file() -> None:
    """Each cue in the catalogue plays a WAV that is in assets/sounds; every shipped sound is used by a cue."""
    named = {entry.sound for entry in CATALOGUE.values() if entry.sound is not None}
    assert named, "the catalogue names no sound at all"
    for sound in named:
        assert (COMMITTED / f"{sound.value}.wav").is_file(), f"{sound} has no file in assets/sounds"
    assert {p.stem for p in COMMITTED.glob("*.wav")} == {s.value for s in named}, "a shipped sound no cue plays"


def test_every_moment_has_one_catalogue_entry_and_speaks_or_sounds() -> None:
    """No moment is missing from the catalogue, and each one is heard somehow."""
    assert set(CATALOGUE) == set(Moment)
    silent = [moment for moment, entry in CATALOGUE.items() if entry.sound is None and entry.words is None]
    assert silent == []


def test_a_routine_is_announced_from_the_catalogue() -> None:
    """Boundaries of a two-sided, two-rep hold then a timed step: the sounds and words each one gets."""
    routine = Routine(
        "t",
        "T",
        RoutineKind.STRETCH,
        (
            Step("Knee hug", hold=10, reps=2, rest=5, sides=Sides.BOTH, say="Breathe out."),
            Step("Lie still", duration=4),
        ),
        get_ready=3,
    )
    clock = FakeClock()
    runner = Runner(routine.timeline(), clock)
    cues = runner.start()
    clock.advance(routine.total + 1)
    cues += runner.poll()
    heard = [(a.sound, a.text) for a in sounds_for(cues) if a.sound not in (Sound.TICK, Sound.HALFWAY)]
    assert heard == [
        (Sound.GET_READY, "Next: Knee hug."),
        (Sound.HOLD, "Knee hug. Breathe out."),  # first hold names the step
        (Sound.REST, "Rest."),
        (Sound.HOLD, "Breathe out."),  # a later rep only says the step's words
        (Sound.REST, "Rest."),
        (Sound.SWITCH_SIDES, "Switch sides."),
        (None, "Breathe out."),  # the switch sound stands in for the hold sound on the new side
        (Sound.REST, "Rest."),
        (Sound.HOLD, "Breathe out."),
        (Sound.GET_READY, "Next: Lie still."),
        (Sound.HOLD, "Lie still."),  # a timed step sounds like a hold
        (Sound.DONE, "Done. Well done."),
    ]
    counts = [a.text for a in sounds_for(cues) if a.sound is Sound.TICK]
    assert counts[:3] == ["3", "2", "1"] and len(counts) % 3 == 0
