"""Small WAV helpers: is a file playable, how long it plays, and levelling its loudness (standard library only)."""

from __future__ import annotations

import logging
import math
import os
import stat
import subprocess
import sys
import wave
from array import array
from collections.abc import Callable
from pathlib import Path

from . import loudness

log = logging.getLogger(__name__)

CUE_LOUDNESS_LUFS = -20.0
"""The integrated loudness every cue is made at (tools/make_sounds.py) and spoken guidance is levelled to."""

CHUNK = 4096
"""Samples per C-level pass (peak, scaling): each holds the GIL for about a millisecond, not a whole sentence."""

MEASURE_TIMEOUT = 20.0


def is_playable_wav(path: Path) -> bool:
    """True if ``path`` is a readable regular WAV file with at least one frame.

    Opened without blocking and checked to be a regular file first: a FIFO or a device in place of a
    sound (or a link to one) is refused at once instead of stalling the sound thread forever.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            return False
        with os.fdopen(descriptor, "rb") as file, wave.open(file, "rb") as wav:
            return wav.getnframes() > 0 and wav.getsampwidth() in (1, 2, 3, 4)
    except (OSError, wave.Error, EOFError):
        return False


def normalise_loudness(path: Path, lufs: float, ceiling_dbfs: float) -> float:
    """Scale a mono 16-bit WAV in place to an integrated loudness of ``lufs``, never peaking above ``ceiling_dbfs``.

    Used for spoken guidance, so words are as loud as the cues (which are made at :data:`CUE_LOUDNESS_LUFS`).
    Returns the loudness measured before scaling (-inf for silence or a width other than 16 bits). The
    measurement walks every sample in Python (about 20 ms of CPU per second of sound), and so does the
    scaling (about 10 ms per second, and it held the GIL in slices that left the window's thread waiting
    for tens of milliseconds), so both run in a child process (``loudness.py --level``); here only if that
    cannot run. Speech measures only short sentences and levels long ones with a gain it learned
    (``audio/speech.py``).
    """
    in_child = _level_in_child(path, "--level", f"{lufs!r}", f"{ceiling_dbfs!r}")
    if in_child is not None:
        return in_child
    measured = -math.inf

    def gain(samples: array, rate: int, peak: int) -> float:
        nonlocal measured
        measured = measure_loudness(path, samples, rate)
        wanted = 10 ** ((lufs - measured) / 20) if math.isfinite(measured) else 1.0
        return min(wanted, 10 ** (ceiling_dbfs / 20) * 32767 / peak)

    _scale(path, gain)
    return measured


def _child_command(*arguments: str) -> list[str] | None:
    """``loudness.py`` run as a script with ``arguments``; None in a frozen app (its executable is the app)."""
    if getattr(sys, "frozen", False) or not sys.executable:
        return None
    return [sys.executable, "-I", "-S", str(Path(loudness.__file__)), *arguments]


def _level_in_child(path: Path, *arguments: str) -> float | None:
    """Run ``loudness.py ARGUMENTS PATH`` (levelling ``path`` in place); what it printed, or None if it failed."""
    command = _child_command(*arguments, str(path))
    if command is None:
        return None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=MEASURE_TIMEOUT, check=True)
        return float(done.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        log.info("levelling speech in a child process failed (%s); levelling here", exc)
        return None


def measure_loudness(path: Path, samples: array, rate: int) -> float:
    """The integrated loudness of ``path`` (whose samples and rate are given), measured by ``loudness.py`` run
    as a script in a child process, so no thread of the app holds the GIL for it; measured here if that fails."""
    command = _child_command(str(path))
    if command is not None:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=MEASURE_TIMEOUT, check=True)
            return float(done.stdout.strip())
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            log.info("measuring loudness in a child process failed (%s); measuring here", exc)
    return loudness.integrated_loudness(list(map((1 / 32768).__mul__, samples)), rate)


def limit_peak(path: Path, ceiling_dbfs: float) -> None:
    """Scale a mono 16-bit WAV in place down so it peaks at ``ceiling_dbfs`` if it peaks above it. The peak is
    found here (C-level passes); the rare scaling runs in a child process, as for :func:`normalise_loudness`."""
    ceiling = 10 ** (ceiling_dbfs / 20) * 32767

    def gain(_samples: array, _rate: int, peak: int) -> float:
        return ceiling / peak if peak > ceiling else 1.0

    _scale(path, gain, in_child=("--limit", f"{ceiling_dbfs!r}"))


def _scale(path: Path, gain_for: Callable[[array, int, int], float], in_child: tuple[str, ...] = ()) -> None:
    """Multiply a 16-bit WAV's samples in place by ``gain_for(samples, rate, peak)`` (other widths left alone);
    by ``loudness.py IN_CHILD PATH`` in a child process if given (it finds the same gain), else here."""
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        frames = wav.readframes(params.nframes)
    if params.sampwidth != 2:
        return
    samples = array("h", frames)
    big_endian = sys.byteorder == "big"
    if big_endian:
        samples.byteswap()
    peak = max((max(map(abs, samples[i : i + CHUNK])) for i in range(0, len(samples), CHUNK)), default=0)
    if peak == 0:
        return
    gain = gain_for(samples, params.framerate, peak)
    if gain == 1.0 or (in_child and _level_in_child(path, *in_child) is not None):
        return
    if gain * peak <= 32767:  # nothing can clip: the fast path (C loops, no per-sample Python code)
        scaled = array("h")
        for i in range(0, len(samples), CHUNK):
            scaled.extend(map(round, map(gain.__mul__, samples[i : i + CHUNK])))
    else:
        scaled = array("h", (max(-32768, min(32767, round(s * gain))) for s in samples))
    if big_endian:
        scaled.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(params.nchannels)
        wav.setsampwidth(2)
        wav.setframerate(params.framerate)
        wav.writeframes(scaled.tobytes())


def wav_seconds(path: Path) -> float:
    """How long ``path`` plays, from its header (0.0 if it cannot be read)."""
    try:
        with wave.open(str(path), "rb") as wav:
            rate = wav.getframerate()
            return wav.getnframes() / rate if rate > 0 else 0.0
    except (OSError, wave.Error, EOFError):
        return 0.0
