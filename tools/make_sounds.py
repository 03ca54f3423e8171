#!/usr/bin/env python3
"""Synthesise SpasmCoach's cue sounds into WAV files, byte-identical on every run.

Usage: ``python tools/make_sounds.py [OUTPUT_DIR]`` (default: ``assets/sounds`` of this checkout).

Every cue is built from soft "mallet" notes: a sine with two quiet harmonics that die away faster than
the fundamental, a raised-cosine attack and a raised-cosine release, so no note starts or stops with a
click. Each cue is then scaled so that its loudest 50 ms has the same RMS level as every other cue, which
keeps them equally loud without letting any peak go above -3 dBFS. Standard library only, no randomness.
"""

from __future__ import annotations

import argparse
import math
import sys
import wave
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 22050
"""Samples per second: plenty for tones below 4 kHz, and half the size of 44.1 kHz."""

TARGET_RMS_DBFS = -12.0
"""Level of each cue's loudest 50 ms window (same for all cues, so they sound equally loud)."""

PEAK_CEILING_DBFS = -3.0
"""No sample may go above this; the generator refuses to write a cue that would."""

WINDOW_SECONDS = 0.05
"""Length of the short-term RMS window used for loudness matching."""

HOP_SECONDS = 0.01
"""Step between short-term RMS windows."""

MELLOW: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0), (2.0, 0.22, 2.2), (3.0, 0.06, 3.5))
"""Partials as (multiple of the pitch, relative amplitude, how much faster than the fundamental it fades)."""

WARM: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0), (2.0, 0.35, 1.6), (3.0, 0.12, 2.4))
"""Stronger low harmonics so a low note still carries on small laptop speakers."""

PURE: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0),)
"""A plain sine, for the very short tick."""

# Equal-tempered pitches (A4 = 440 Hz) used by the cues.
C4, C5, D5, E5, F5, G5, A5, C6 = 261.63, 523.25, 587.33, 659.26, 698.46, 783.99, 880.0, 1046.50


@dataclass(frozen=True)
class Note:
    """One soft note: pitch, start and length in seconds, fade time constant, attack and level."""

    freq: float
    start: float
    length: float
    tau: float
    attack: float = 0.012
    release: float = 0.03
    level: float = 1.0
    partials: tuple[tuple[float, float, float], ...] = MELLOW


@dataclass(frozen=True)
class CueSpec:
    """A cue: its file stem, what it should sound like (for the docs) and its notes."""

    name: str
    description: str
    notes: tuple[Note, ...]

    @property
    def length(self) -> float:
        """Total length in seconds: until the last note has fully faded out."""
        return max(note.start + note.length for note in self.notes)


CUES: tuple[CueSpec, ...] = (
    CueSpec(
        "get-ready",
        "two quick, identical soft notes (E5, E5): 'pip-pip', get ready",
        (Note(E5, 0.0, 0.30, 0.10), Note(E5, 0.22, 0.60, 0.18)),
    ),
    CueSpec(
        "hold",
        "rising two-note chime C5 -> G5: start holding the stretch",
        (Note(C5, 0.0, 0.45, 0.22), Note(G5, 0.28, 1.00, 0.40)),
    ),
    CueSpec(
        "rest",
        "falling two-note chime G5 -> C5, a little slower: let go and rest",
        (Note(G5, 0.0, 0.50, 0.28), Note(C5, 0.34, 1.20, 0.50)),
    ),
    CueSpec(
        "halfway",
        "one bright bell note (A5) that rings for a second: halfway through the hold",
        (Note(A5, 0.0, 1.10, 0.35),),
    ),
    CueSpec(
        "tick",
        "a 90 ms pure, rounded tone (C6): a soft tick for the last seconds of a count",
        (Note(C6, 0.0, 0.09, 0.035, attack=0.005, release=0.02, partials=PURE),),
    ),
    CueSpec(
        "switch-sides",
        "four quick notes alternating D5 / A5 like a ping-pong: change to the other side",
        (
            Note(D5, 0.00, 0.30, 0.09),
            Note(A5, 0.16, 0.30, 0.09),
            Note(D5, 0.32, 0.30, 0.09),
            Note(A5, 0.48, 0.75, 0.28),
        ),
    ),
    CueSpec(
        "done",
        "a gentle rising arpeggio C5 E5 G5 C6 that rings on as a chord: routine finished",
        (
            Note(C5, 0.00, 2.10, 0.75, level=0.85),
            Note(E5, 0.18, 1.92, 0.70, level=0.80),
            Note(G5, 0.36, 1.74, 0.65, level=0.75),
            Note(C6, 0.54, 1.56, 0.60, level=0.55),
        ),
    ),
    CueSpec(
        "stopped",
        "a single low, soft note (C4) with a slow swell: stopped, calmly",
        (Note(C4, 0.0, 1.30, 0.50, attack=0.06, release=0.06, partials=WARM),),
    ),
    CueSpec(
        "timer-phase",
        "a soft two-note chord (F5 + A5) struck twice: the ice/heat timer changes phase",
        (
            Note(F5, 0.0, 0.50, 0.22, level=0.8),
            Note(A5, 0.0, 0.50, 0.22, level=0.7),
            Note(F5, 0.45, 0.95, 0.38, level=0.8),
            Note(A5, 0.45, 0.95, 0.38, level=0.7),
        ),
    ),
    CueSpec(
        "timer-done",
        "a doorbell-like C6 -> G5, played twice: the ice/heat timer is finished",
        (
            Note(C6, 0.00, 0.40, 0.20),
            Note(G5, 0.30, 0.70, 0.30),
            Note(C6, 0.95, 0.40, 0.20),
            Note(G5, 1.25, 0.90, 0.40),
        ),
    ),
)


def _raised_cosine(x: float) -> float:
    """A smooth 0 -> 1 ramp for x in [0, 1], flat at both ends (no click at the joins)."""
    return 0.5 - 0.5 * math.cos(math.pi * x)


def _add_note(buffer: list[float], note: Note) -> None:
    """Mix one note into ``buffer`` (float samples, full scale = 1.0)."""
    first = round(note.start * RATE)
    count = round(note.length * RATE)
    attack = max(1, round(note.attack * RATE))
    release = max(1, round(note.release * RATE))
    omegas = [2.0 * math.pi * note.freq * mult / RATE for mult, _amp, _fade in note.partials]
    for i in range(count):
        t = i / RATE
        if i < attack:
            shape = _raised_cosine(i / attack)
        elif i >= count - release:
            shape = _raised_cosine((count - 1 - i) / release)
        else:
            shape = 1.0
        value = 0.0
        for omega, (_mult, amp, fade) in zip(omegas, note.partials, strict=True):
            value += amp * math.exp(-t * fade / note.tau) * math.sin(omega * i)
        buffer[first + i] += note.level * shape * value


def short_term_rms(samples: Sequence[float]) -> float:
    """RMS of the loudest WINDOW_SECONDS window (hop HOP_SECONDS), the cue's loudness measure."""
    window = round(WINDOW_SECONDS * RATE)
    hop = round(HOP_SECONDS * RATE)
    if len(samples) <= window:
        return math.sqrt(sum(s * s for s in samples) / max(1, len(samples)))
    prefix = [0.0]
    for s in samples:
        prefix.append(prefix[-1] + s * s)
    best = max(prefix[i + window] - prefix[i] for i in range(0, len(samples) - window + 1, hop))
    return math.sqrt(best / window)


def render(spec: CueSpec) -> array:
    """The cue as 16-bit signed samples, loudness-matched and click-free."""
    total = round(spec.length * RATE)
    buffer = [0.0] * total
    for note in spec.notes:
        _add_note(buffer, note)
    gain = 10 ** (TARGET_RMS_DBFS / 20) / short_term_rms(buffer)
    peak = max(abs(s) for s in buffer) * gain
    if peak > 10 ** (PEAK_CEILING_DBFS / 20):
        raise ValueError(f"{spec.name}: peak {20 * math.log10(peak):.1f} dBFS exceeds the ceiling")
    out = array("h", (round(s * gain * 32767) for s in buffer))
    if sys.byteorder == "big":
        out.byteswap()  # WAV data is little-endian
    return out


def write_wav(path: Path, samples: array) -> None:
    """Write mono 16-bit samples (already little-endian) as a WAV file."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())


def make_all(out_dir: Path) -> list[Path]:
    """Render every cue into ``out_dir`` (created if needed) and return the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in CUES:
        path = out_dir / f"{spec.name}.wav"
        write_wav(path, render(spec))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: regenerate the cue WAVs."""
    default = Path(__file__).resolve().parents[1] / "assets" / "sounds"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=default, help=f"default: {default}")
    args = parser.parse_args(argv)
    for path in make_all(args.out_dir):
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
