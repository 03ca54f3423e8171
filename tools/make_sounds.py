#!/usr/bin/env python3
"""Synthesise SpasmCoach's cue sounds into WAV files, byte-identical on every run.

Usage: ``python tools/make_sounds.py [OUTPUT_DIR]`` (default: ``assets/sounds`` of this checkout).

Every cue is built from soft notes: a sine with a few partials that die away at their own speed, a
raised-cosine attack and release, so no note starts or stops with a click. The cues differ in rhythm
(one strike, two, three, a pulse, a pattern) and in timbre (warm, pure and breathy, bell-like, woody), not
only in pitch, so each can be told apart from across a room. Each cue is then scaled to the same
integrated loudness (LUFS, ITU-R BS.1770, from ``spasmcoach.audio.loudness``) without any peak going above
-3 dBFS; spoken guidance is levelled to the same loudness. Standard library only, no randomness.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing
from spasmcoach.audio.loudness import integrated_loudness  # noqa: E402
from spasmcoach.audio.wav import CUE_LOUDNESS_LUFS  # noqa: E402

RATE = 22050
"""Samples per second: plenty for tones below 4 kHz, and half the size of 44.1 kHz."""

TARGET_LUFS = CUE_LOUDNESS_LUFS
"""Integrated loudness of every cue (and of speech), so they all sound equally loud."""

PEAK_CEILING_DBFS = -3.0
"""No sample may go above this; the generator refuses to write a cue that would."""

MELLOW: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0), (2.0, 0.22, 2.2), (3.0, 0.06, 3.5))
"""Partials as (multiple of the pitch, relative amplitude, how much faster than the fundamental it fades)."""

WARM: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0), (2.0, 0.35, 1.6), (3.0, 0.12, 2.4))
"""Stronger low harmonics so a low note still carries on small laptop speakers."""

PURE: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0),)
"""A plain sine, for the very short tick."""

BREATHY: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0), (2.0, 0.08, 1.5))
"""Almost a pure sine, for the rest cue's slow, soft notes (a flute rather than a mallet)."""

BELL: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0), (2.0, 0.25, 1.3), (2.76, 0.3, 1.8), (5.4, 0.05, 3.0))
"""Inharmonic partials (2.76 and 5.4 times the pitch) that make a note ring like a small bell."""

WOOD: tuple[tuple[float, float, float], ...] = ((1.0, 1.0, 1.0), (2.0, 0.35, 1.4), (3.0, 0.08, 1.8))
"""Bright partials for very short, dry taps (the movement pulse)."""

# Equal-tempered pitches (A4 = 440 Hz) used by the cues.
C4, G4, A4, B4, C5, D5, E5, F5, G5, A5, B5, C6 = (
    261.63, 392.0, 440.0, 493.88, 523.25, 587.33, 659.26, 698.46, 783.99, 880.0, 987.77, 1046.50,
)  # fmt: skip


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
        return self.frames / RATE

    @property
    def frames(self) -> int:
        """Total length in samples."""
        return max(round(note.start * RATE) + round(note.length * RATE) for note in self.notes)


CUES: tuple[CueSpec, ...] = (
    CueSpec(
        "get-ready",
        "a soft, quick rising triple E5 G5 C6 ('pip-pip-pip'): get ready, a step is coming",
        (
            Note(E5, 0.00, 0.22, 0.07, level=0.8),
            Note(G5, 0.15, 0.22, 0.07, level=0.8),
            Note(C6, 0.30, 0.55, 0.16, level=0.8),
        ),
    ),
    CueSpec(
        "hold",
        "one warm, low chime (A4) that rings on: start holding the stretch",
        (Note(A4, 0.0, 1.40, 0.55, attack=0.008, partials=WARM),),
    ),
    CueSpec(
        "rest",
        "two soft, breathy notes falling E5 -> B4, slow to start and slow to go: let go and rest",
        (
            Note(E5, 0.0, 0.55, 0.40, attack=0.09, release=0.12, partials=BREATHY),
            Note(B4, 0.50, 0.95, 0.55, attack=0.09, release=0.25, partials=BREATHY),
        ),
    ),
    CueSpec(
        "move",
        "a light ticking pulse, six short dry taps (E5): a movement step, keep moving gently",
        tuple(
            Note(E5, 0.12 * i, 0.09, 0.03, attack=0.005, release=0.02, level=0.9 - 0.08 * i, partials=WOOD)
            for i in range(6)
        ),
    ),
    CueSpec(
        "halfway",
        "two light, high bell strikes on one note (A5, 'ding-ding'): halfway through the hold",
        (
            Note(A5, 0.0, 0.30, 0.12, attack=0.006, partials=BELL),
            Note(A5, 0.22, 0.90, 0.35, attack=0.006, partials=BELL),
        ),
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
        "a short cadence: a G5 + B4 chord resolving to a warm C5 + E5 + C6 chord that rings on: finished",
        (
            Note(B4, 0.00, 0.40, 0.20, level=0.6),
            Note(G5, 0.00, 0.40, 0.20, level=0.5),
            Note(C5, 0.32, 1.30, 0.55, level=0.6, partials=WARM),
            Note(E5, 0.32, 1.30, 0.50, level=0.5),
            Note(C6, 0.32, 1.30, 0.45, level=0.35),
        ),
    ),
    CueSpec(
        "stopped",
        "a single low, soft note (C4) with a slow swell: stopped, calmly",
        (Note(C4, 0.0, 1.30, 0.50, attack=0.06, release=0.06, partials=WARM),),
    ),
    CueSpec(
        "timer-phase",
        "a small bell pattern, long then two short (F5 ... F5 F5): the ice/heat timer changes phase",
        (
            Note(F5, 0.00, 0.50, 0.25, attack=0.004, partials=BELL),
            Note(F5, 0.55, 0.20, 0.08, attack=0.004, partials=BELL),
            Note(F5, 0.75, 0.80, 0.30, attack=0.004, partials=BELL),
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


def render(spec: CueSpec) -> array:
    """The cue as 16-bit signed samples, loudness-matched and click-free."""
    buffer = [0.0] * spec.frames
    for note in spec.notes:
        _add_note(buffer, note)
    gain = 10 ** ((TARGET_LUFS - integrated_loudness(buffer, RATE)) / 20)
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
