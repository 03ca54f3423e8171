#!/usr/bin/env python3
"""Measure every cue sound and a sample of spoken guidance, and write the table into docs/audio.md.

Usage: ``python tools/measure_audio.py [--no-write] [--sounds DIR]``

For each sound: length, peak (dBFS), integrated loudness (LUFS, ITU-R BS.1770 K-weighting and gating, the
same code that levels the cues and the speech), and the features that make it recognisable: its rhythm
(note onsets), pitch (median, from zero crossings), timbre (how rich in partials, how fast it starts, how
long it rings). Every pair of cues gets a distinctness score, the sum of those differences each scaled to
what an ear notices and capped at 1; the report names each cue's nearest neighbour. Standard library
only; espeak-ng is needed for the speech rows (they are left out without it).
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import statistics
import sys
import tempfile
import wave
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout without installing
from spasmcoach.audio.loudness import integrated_loudness  # noqa: E402
from spasmcoach.audio.speech import Speech  # noqa: E402
from spasmcoach.audio.wav import CUE_LOUDNESS_LUFS  # noqa: E402

DOC = REPO / "docs" / "audio.md"
BEGIN, END = "<!-- measurements: begin -->", "<!-- measurements: end -->"

SPEECH_SAMPLE = (
    "Next: Standing back extension. Left side first.",
    "Rest. Next: right side.",
    "Knee hug. Breathe out slowly.",
    "3",
)
"""A sample of what the guide says: long and short sentences, and a count."""

LOUDNESS_WINDOW_LU = 1.0
"""Every cue, and every sentence, within this many LU of the cues' target loudness."""

DISTINCT_SCORE = 1.0
"""A pair of cues scoring below this would be hard to tell apart."""

NOT_ONLY_PITCH = 0.8
"""Each pair must differ by at least this much in rhythm and timbre alone, not only in pitch or length."""

ENVELOPE_SECONDS = 0.005
PITCH_FRAME_SECONDS = 0.04


@dataclass(frozen=True)
class Measurement:
    """What one sound measures."""

    name: str
    seconds: float
    peak_dbfs: float
    lufs: float
    onsets: tuple[float, ...]  # seconds from the start
    pitch: float  # median, semitones from A4
    richness: float  # RMS frequency / fundamental: 1.0 for a pure sine
    attack: float  # seconds from the first onset to its loudest point
    ring: float  # seconds from the loudest point until the sound falls 20 dB below it for good

    @property
    def intervals(self) -> tuple[float, ...]:
        """The gaps between onsets: the rhythm."""
        return tuple(b - a for a, b in itertools.pairwise(self.onsets))


def load(path: Path) -> tuple[list[float], int]:
    """A mono 16-bit WAV as floats (full scale 1.0) and its rate."""
    with wave.open(str(path), "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise ValueError(f"{path}: only mono 16-bit WAV files are measured")
        rate = wav.getframerate()
        samples = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return [s / 32768 for s in samples], rate


def envelope(samples: Sequence[float], rate: int) -> list[float]:
    """RMS per ENVELOPE_SECONDS frame."""
    step = max(1, round(ENVELOPE_SECONDS * rate))
    return [
        math.sqrt(sum(x * x for x in samples[i : i + step]) / len(samples[i : i + step]))
        for i in range(0, len(samples), step)
    ]


def onsets(env: Sequence[float]) -> list[float]:
    """Where notes start: the envelope rises by more than 6 dB within 40 ms, above a tenth of its peak."""
    top = max(env, default=0.0)
    if top <= 0:
        return []
    look = round(0.04 / ENVELOPE_SECONDS)
    found: list[int] = []
    rising = False
    for i, level in enumerate(env):
        before = min(env[max(0, i - look) : i], default=0.0)
        rise = level > top * 0.1 and level > before * 2.0 + top * 0.01
        if rise and not rising and (not found or i - found[-1] > round(0.06 / ENVELOPE_SECONDS)):
            found.append(max(0, i - 1))
        rising = rise
    return [i * ENVELOPE_SECONDS for i in found]


def pitch(samples: Sequence[float], rate: int) -> float:
    """Median pitch in semitones from A4 over the frames with sound (zero-crossing estimate)."""
    frame = min(round(PITCH_FRAME_SECONDS * rate), max(2, len(samples) // 2))
    levels = [
        (start, math.sqrt(sum(x * x for x in samples[start : start + frame]) / frame))
        for start in range(0, len(samples) - frame + 1, frame)
    ]
    top = max((level for _start, level in levels), default=0.0)
    found = []
    for start, level in levels:
        if level < top / 10:
            continue
        seg = samples[start : start + frame]
        crossings = sum(1 for a, b in itertools.pairwise(seg) if (a < 0) != (b < 0))
        if crossings:
            found.append(12 * math.log2(crossings / 2 / (frame / rate) / 440))
    found.sort()
    return found[len(found) // 2] if found else 0.0


def richness(samples: Sequence[float], rate: int) -> float:
    """How bright the timbre is for its pitch: per 40 ms frame with sound, the RMS frequency (from the
    derivative) over the zero-crossing frequency, then the median. 1.0 for a pure sine, whatever its pitch."""
    frame = min(round(PITCH_FRAME_SECONDS * rate), max(2, len(samples) // 2))
    frames = [samples[start : start + frame] for start in range(0, len(samples) - frame + 1, frame)]
    powers = [sum(x * x for x in seg) for seg in frames]
    top = max(powers, default=0.0)
    ratios = []
    for seg, power in zip(frames, powers, strict=True):
        crossings = sum(1 for a, b in itertools.pairwise(seg) if (a < 0) != (b < 0))
        if power < top / 100 or not crossings:
            continue
        slope = sum((b - a) ** 2 for a, b in itertools.pairwise(seg))
        rms_freq = math.sqrt(slope / power) * rate / (2 * math.pi)
        ratios.append(rms_freq / (crossings / 2 / (len(seg) / rate)))
    ratios.sort()
    return ratios[len(ratios) // 2] if ratios else 1.0


def measure_samples(name: str, samples: Sequence[float], rate: int) -> Measurement:
    """Every figure for one sound."""
    env = envelope(samples, rate)
    starts = onsets(env)
    peak_at = max(range(len(env)), key=env.__getitem__) if env else 0
    first = round(starts[0] / ENVELOPE_SECONDS) if starts else 0
    first_end = round(starts[1] / ENVELOPE_SECONDS) if len(starts) > 1 else len(env)
    first_peak = max(range(first, max(first + 1, first_end)), key=env.__getitem__) if env else 0
    floor = env[peak_at] * 0.1 if env else 0.0
    last_loud = max((i for i, level in enumerate(env) if level >= floor), default=peak_at)
    semitones = pitch(samples, rate)
    peak = max((abs(x) for x in samples), default=0.0)
    return Measurement(
        name=name,
        seconds=len(samples) / rate,
        peak_dbfs=20 * math.log10(peak) if peak > 0 else -math.inf,
        lufs=integrated_loudness(samples, rate),
        onsets=tuple(starts),
        pitch=semitones,
        richness=richness(samples, rate),
        attack=(first_peak - first) * ENVELOPE_SECONDS,
        ring=(last_loud - peak_at) * ENVELOPE_SECONDS,
    )


def measure(path: Path, name: str | None = None) -> Measurement:
    """Every figure for one WAV file."""
    samples, rate = load(path)
    return measure_samples(name or path.stem, samples, rate)


def differences(a: Measurement, b: Measurement) -> dict[str, float]:
    """How far apart two sounds are in each respect, each scaled to what is noticed and capped at 1."""
    count_gap = abs(len(a.onsets) - len(b.onsets))
    shared = list(zip(a.intervals, b.intervals, strict=False))
    interval_gap = sum(abs(x - y) for x, y in shared) / len(shared) if shared else 0.0
    return {
        "rhythm": min(1.0, count_gap + interval_gap / 0.15),
        "timbre": min(1.0, abs(a.richness - b.richness) / 0.25)
        + min(1.0, abs(a.attack - b.attack) / 0.04)
        + min(1.0, abs(math.log((a.ring + 0.05) / (b.ring + 0.05))) / math.log(2.5)),
        "pitch": min(1.0, abs(a.pitch - b.pitch) / 5),
        "length": min(1.0, abs(a.seconds - b.seconds) / 0.5),
    }


def score(a: Measurement, b: Measurement) -> float:
    """The distinctness score of two sounds: the sum of their differences."""
    return sum(differences(a, b).values())


def problems(cues: Sequence[Measurement], speech: Sequence[Measurement] = ()) -> list[str]:
    """What is wrong with the measured sounds: loudness outside the window, a pair too alike."""
    found = []
    for m in [*cues, *speech]:
        if abs(m.lufs - CUE_LOUDNESS_LUFS) > LOUDNESS_WINDOW_LU:
            found.append(
                f"{m.name}: {m.lufs:.1f} LUFS is more than {LOUDNESS_WINDOW_LU:g} LU from {CUE_LOUDNESS_LUFS:g}"
            )
        if m.peak_dbfs > -1.0:
            found.append(f"{m.name}: peak {m.peak_dbfs:.1f} dBFS is above -1 dBFS")
    for a, b in itertools.combinations(cues, 2):
        parts = differences(a, b)
        if sum(parts.values()) < DISTINCT_SCORE:
            found.append(f"{a.name} and {b.name} are too alike (score {sum(parts.values()):.2f})")
        if parts["rhythm"] + parts["timbre"] < NOT_ONLY_PITCH:
            found.append(f"{a.name} and {b.name} differ only in pitch or length, not in rhythm or timbre")
    return found


def measure_cues(folder: Path) -> list[Measurement]:
    """Every cue WAV in ``folder``, by name."""
    return [measure(path) for path in sorted(folder.glob("*.wav"))]


def measure_speech(texts: Sequence[str] = SPEECH_SAMPLE) -> list[Measurement]:
    """A sample of spoken guidance rendered as the app renders it (empty without espeak-ng)."""
    with tempfile.TemporaryDirectory() as tmp:
        speech = Speech(cache_dir=Path(tmp))
        if not speech.available:
            return []
        found = []
        for text in texts:
            path = speech.render(text)
            if path is not None:
                found.append(measure(path, f'"{text}"'))
        return found


def _note(semitones: float) -> str:
    """A pitch in semitones from A4 as a note name such as C5."""
    names = ["A", "A#", "B", "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#"]
    n = round(semitones)
    return f"{names[n % 12]}{4 + (n + 9) // 12}"


CALM_ENDS = ("done", "stopped")
"""The finish and the stop: neither may stand out from the other cues (done once measured ~2 LU louder)."""


def calm_ends(cues: Sequence[Measurement]) -> list[str]:
    """A summary line: how far the finish and the stop sit from the other cues' median loudness."""
    named = {m.name: m for m in cues}
    others = [m.lufs for m in cues if m.name not in CALM_ENDS]
    if not others or not all(name in named for name in CALM_ENDS):
        return []
    middle = statistics.median(others)
    offsets = ", ".join(f"`{name}` {round(named[name].lufs - middle, 1) + 0.0:+.1f} LU" for name in CALM_ENDS)
    return [f"- Finish and stop against the other cues' median ({middle:.1f} LUFS): {offsets}."]


def table(cues: Sequence[Measurement], speech: Sequence[Measurement]) -> str:
    """The measurements as Markdown."""
    lines = [
        "| Sound | Length | Peak | Loudness | Onsets | Rhythm (gaps, s) | Pitch | Richness | Attack | Rings |"
        " Nearest cue (score) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in cues:
        nearest = min((o for o in cues if o is not m), key=lambda o: score(m, o), default=None)
        near = f"{nearest.name} ({score(m, nearest):.2f})" if nearest else "–"
        gaps = " ".join(f"{g:.2f}" for g in m.intervals) or "–"
        lines.append(
            f"| `{m.name}.wav` | {m.seconds:.2f} s | {m.peak_dbfs:.1f} dBFS | {m.lufs:.1f} LUFS | {len(m.onsets)} |"
            f" {gaps} | {_note(m.pitch)} | {m.richness:.2f} | {m.attack * 1000:.0f} ms | {m.ring:.2f} s | {near} |"
        )
    for m in speech:  # words: only length and level mean anything
        lines.append(
            f"| speech: {m.name} | {m.seconds:.2f} s | {m.peak_dbfs:.1f} dBFS | {m.lufs:.1f} LUFS |"
            " – | – | – | – | – | – | – |"
        )
    worst = min(itertools.combinations(cues, 2), key=lambda p: score(*p), default=None)
    loud = [m.lufs for m in cues]
    window = f"target {CUE_LOUDNESS_LUFS:g}, window ±{LOUDNESS_WINDOW_LU:g} LU"
    summary = [f"- Cues: {min(loud):.1f} to {max(loud):.1f} LUFS ({window})."] if loud else []
    summary += calm_ends(cues)
    if speech:
        said = [m.lufs for m in speech]
        summary.append(f"- Speech sample: {min(said):.1f} to {max(said):.1f} LUFS.")
    if worst is not None:
        summary.append(
            f"- Closest pair: {worst[0].name} and {worst[1].name}, score {score(*worst):.2f} "
            f"(at least {DISTINCT_SCORE:g} required, and {NOT_ONLY_PITCH:g} from rhythm and timbre alone)."
        )
    return "\n".join([*lines, "", *summary])


def write_doc(text: str, doc: Path = DOC) -> None:
    """Replace what lies between the markers in ``doc`` with ``text``."""
    content = doc.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(content):
        raise SystemExit(f"{doc}: the markers {BEGIN} and {END} are missing")
    doc.write_text(pattern.sub(lambda _m: f"{BEGIN}\n{text}\n{END}", content), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the table, write it into docs/audio.md; exit 1 if a sound is out of bounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sounds", type=Path, default=REPO / "assets" / "sounds", help="folder of cue WAVs")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/audio.md alone")
    args = parser.parse_args(argv)
    cues = measure_cues(args.sounds)
    speech = measure_speech()
    text = table(cues, speech)
    print(text)
    if not args.no_write:
        write_doc(text)
    found = problems(cues, speech)
    for problem in found:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
