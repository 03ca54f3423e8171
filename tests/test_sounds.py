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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import measure_audio  # noqa: E402

from spasmcoach.audio.loudness import integrated_loudness
from spasmcoach.audio.wav import CUE_LOUDNESS_LUFS
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.cues import CATALOGUE, Moment, Sound, listening_seconds, sounds_for, with_time_to_listen
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
    """Every cue has the same integrated loudness (LUFS, within 0.2 LU); peaks stay between -14 and -3 dBFS."""
    loudness = {cue: integrated_loudness([x / 32768 for x in s], RATE) for cue, s in cues.items()}
    peaks = {cue: dbfs(max(abs(x) for x in s)) for cue, s in cues.items()}
    for cue in Sound:
        assert abs(loudness[cue] - CUE_LOUDNESS_LUFS) < 0.2, f"{cue} is {loudness[cue]:.1f} LUFS"
        assert -14.0 < peaks[cue] <= -3.0, f"{cue} peak {peaks[cue]:.1f} dBFS"


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
    """Each cue's rhythm and timbre say what it means, not only its pitch order.

    get-ready is a quick rising triple; hold one warm strike; rest a slow-starting falling pair; movement a
    pulse of even taps; timer-phase a long-short-short bell pattern; stopped the lowest cue; tick very short.
    """
    measured = {cue: measure_audio.measure(sounds_dir() / cue.filename) for cue in Sound}
    onsets = {cue: len(m.onsets) for cue, m in measured.items()}
    assert onsets[Sound.GET_READY] == 3 and all(gap < 0.2 for gap in measured[Sound.GET_READY].intervals)
    contour = voiced(pitch_contour(cues[Sound.GET_READY]))
    assert contour[0] + 3 < contour[-1], "get-ready should rise"
    assert onsets[Sound.HOLD] == 1 and measured[Sound.HOLD].ring > 1.0, "hold: one chime that rings on"
    rest = voiced(pitch_contour(cues[Sound.REST]))
    assert onsets[Sound.REST] == 2 and rest[0] > rest[-1] + 3, "rest: two notes, falling"
    assert measured[Sound.REST].attack > 2 * measured[Sound.HOLD].attack, "rest starts softly, unlike hold"
    move = measured[Sound.MOVE]
    assert onsets[Sound.MOVE] >= 5 and max(move.intervals) - min(move.intervals) < 0.03, "move: an even pulse"
    phase = measured[Sound.TIMER_PHASE].intervals
    assert len(phase) == 2 and phase[0] > 2 * phase[1], "timer-phase: long, then two short"
    assert len(cues[Sound.TICK]) / RATE < 0.15, "tick should be very short"
    assert all(len(cues[c]) / RATE > 0.5 for c in Sound if c is not Sound.TICK)
    medians = {cue: m.pitch for cue, m in measured.items()}
    assert min(medians, key=medians.__getitem__) is Sound.STOPPED, "stopped should be the lowest cue"
    assert medians[Sound.STOPPED] < -6  # below about C#4 (277 Hz)
    assert onsets[Sound.STOPPED] == 1


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


def announced(routine: Routine, *, read_instructions: bool = False) -> list[tuple[Sound | None, str | None, bool]]:
    """(sound, words, droppable) for a whole run of ``routine``, halfway and countdown left out."""
    clock = FakeClock()
    runner = Runner(routine.timeline(), clock)
    cues = runner.start()
    clock.advance(routine.total + 1)
    cues += runner.poll()
    heard = sounds_for(cues, runner.timeline, read_instructions=read_instructions)
    return [(a.sound, a.text, a.droppable) for a in heard if a.sound not in (Sound.TICK, Sound.HALFWAY)]


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
    assert announced(routine) == [
        (Sound.GET_READY, "Next: Knee hug. Left side first.", False),  # the first side is named
        (Sound.HOLD, "Knee hug. Breathe out.", False),  # first hold names the step
        (Sound.REST, "Rest.", False),
        (Sound.HOLD, "Breathe out.", False),  # a later rep only says the step's words
        (Sound.REST, "Rest. Next: right side.", False),  # the side is announced during the rest before it
        (Sound.SWITCH_SIDES, "Switch to the right side.", False),
        (None, "Breathe out.", False),  # the switch sound stands in for the hold sound on the new side
        (Sound.REST, "Rest.", False),
        (Sound.HOLD, "Breathe out.", False),
        (Sound.GET_READY, "Next: Lie still.", False),
        (Sound.MOVE, "Lie still.", False),  # a timed step is a movement: its own cue, not the hold chime
        (Sound.DONE, "Done. Well done.", False),
    ]


def test_countdown_and_halfway_words_are_droppable_and_everything_else_matters() -> None:
    """Only the count and "Halfway." may give way to other speech."""
    droppable = {moment for moment, entry in CATALOGUE.items() if entry.droppable}
    assert droppable == {Moment.COUNTDOWN, Moment.HALFWAY}
    clock = FakeClock()
    routine = Routine("t", "T", RoutineKind.STRETCH, (Step("Knee hug", hold=12),), get_ready=5)
    runner = Runner(routine.timeline(), clock)
    cues = runner.start()
    clock.advance(routine.total + 1)
    heard = sounds_for(cues + runner.poll(), runner.timeline)
    counts = [a for a in heard if a.sound is Sound.TICK]
    assert [a.text for a in counts][:3] == ["3", "2", "1"] and all(a.droppable for a in counts)
    get_ready = heard[0]
    assert get_ready.text == "Next: Knee hug." and not get_ready.droppable
    assert get_ready.until == pytest.approx(get_ready.due + 5 + 12)  # useful until the hold it names has ended


def test_instructions_are_read_during_get_ready_when_asked() -> None:
    """With read_instructions, each step's instructions follow the words that start it; never otherwise."""
    routine = Routine(
        "t", "T", RoutineKind.STRETCH,
        (Step("Knee hug", "Hug one knee to your chest.", hold=10, sides=Sides.LEFT),
         Step("Lie still", "Lie flat and breathe.", duration=5, get_ready=0)),
        get_ready=3,
    )  # fmt: skip
    assert [text for _s, text, _d in announced(routine, read_instructions=True)] == [
        "Next: Knee hug. Left side.",
        "Hug one knee to your chest.",
        "Knee hug.",
        "Lie still.",
        "Lie flat and breathe.",  # no get-ready: read as the step starts
        "Done. Well done.",
    ]
    assert all("Hug one knee" not in (text or "") for _s, text, _d in announced(routine))


def test_get_ready_is_long_enough_to_hear_the_instructions() -> None:
    """With instructions read aloud, a get-ready grows to fit them (never shrinks; none stays none)."""
    long_words = "Lie on your back with your knees bent. Breathe out slowly, and let your back rest on the floor."
    routine = Routine(
        "t", "T", RoutineKind.STRETCH,
        (Step("Knee hug", long_words, hold=10, sides=Sides.BOTH),
         Step("Lie still", "Rest.", duration=5),
         Step("Walk", long_words, duration=5, get_ready=0)),
        get_ready=5,
    )  # fmt: skip
    longer = with_time_to_listen(routine)
    knee, still, walk = longer.steps
    needed = listening_seconds("Next: Knee hug. Left side first.") + listening_seconds(long_words)
    assert longer.step_get_ready(knee) >= needed > 10  # about 13 s of words for a 5 s get-ready
    assert longer.step_get_ready(still) == 5  # short words: the get-ready is not changed
    assert longer.step_get_ready(walk) == 0
    assert listening_seconds("") == 0.0
