"""Small WAV helpers: is a file playable, and levelling a file's peak (standard library only)."""

from __future__ import annotations

import sys
import wave
from array import array
from pathlib import Path


def is_playable_wav(path: Path) -> bool:
    """True if ``path`` is a readable WAV with at least one frame."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() > 0 and wav.getsampwidth() in (1, 2, 3, 4)
    except (OSError, wave.Error, EOFError):
        return False


def normalise_peak(path: Path, peak_dbfs: float) -> None:
    """Scale a 16-bit WAV in place so its loudest sample sits at ``peak_dbfs`` (other widths are left alone)."""
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        frames = wav.readframes(params.nframes)
    if params.sampwidth != 2:
        return
    samples = array("h", frames)
    big_endian = sys.byteorder == "big"
    if big_endian:
        samples.byteswap()
    peak = max((abs(s) for s in samples), default=0)
    if peak == 0:
        return
    gain = 10 ** (peak_dbfs / 20) * 32767 / peak
    scaled = array("h", (max(-32768, min(32767, round(s * gain))) for s in samples))
    if big_endian:
        scaled.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(params.nchannels)
        wav.setsampwidth(2)
        wav.setframerate(params.framerate)
        wav.writeframes(scaled.tobytes())
