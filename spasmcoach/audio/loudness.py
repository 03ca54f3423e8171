"""Integrated loudness (LUFS) of mono sounds, after ITU-R BS.1770: K-weighting, 400 ms blocks, gating.

Standard library only, so the sound generator, the measuring tool and the speech cache all use the same
numbers. The K-weighting filters are derived for any sample rate from their analogue design (a high shelf
of about +4 dB above 1.7 kHz, then a high-pass near 38 Hz); at 48 kHz they match the coefficients printed
in the recommendation. A sound shorter than one block is measured as one block of its own length, so even
a 90 ms tick has a loudness.

Measuring walks every sample in Python, so the speech cache runs this file as a script in a child process
(``python -I loudness.py FILE.wav`` prints the loudness of a mono 16-bit WAV; ``--level LUFS CEILING FILE``
and ``--limit CEILING FILE`` also scale it in place, see :func:`level_wav`): the app's own threads, the
GUI's above all, never wait for the GIL while a sentence is measured or scaled.
"""

from __future__ import annotations

import math
import sys
import wave
from array import array
from collections.abc import Sequence

BLOCK_SECONDS = 0.4
OVERLAP = 0.75
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0

Biquad = tuple[tuple[float, float, float], tuple[float, float, float]]
"""((b0, b1, b2), (1, a1, a2)): one second-order filter section."""


def k_weighting(rate: int) -> tuple[Biquad, Biquad]:
    """The two K-weighting filter sections (shelf, then high-pass) for ``rate`` samples per second."""
    # Stage 1: the head's acoustic effect, a high shelf.
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf: Biquad = (
        ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0),
        (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0),
    )
    # Stage 2: the "RLB" high-pass.
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    highpass: Biquad = ((1.0, -2.0, 1.0), (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0))
    return shelf, highpass


def filtered(samples: Sequence[float], section: Biquad) -> list[float]:
    """``samples`` through one biquad section (direct form I)."""
    (b0, b1, b2), (_one, a1, a2) = section
    out: list[float] = []
    x1 = x2 = y1 = y2 = 0.0
    append = out.append
    for x in samples:
        y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        append(y)
        x2, x1, y2, y1 = x1, x, y1, y
    return out


def _block_loudness(mean_square: float) -> float:
    """LUFS of one block's mean square (mono: channel weight 1)."""
    return -0.691 + 10 * math.log10(mean_square) if mean_square > 0 else -math.inf


def integrated_loudness(samples: Sequence[float], rate: int) -> float:
    """Integrated loudness in LUFS of ``samples`` (full scale = 1.0); -inf for silence."""
    if not samples:
        return -math.inf
    shelf, highpass = k_weighting(rate)
    weighted = filtered(filtered(samples, shelf), highpass)
    block = round(BLOCK_SECONDS * rate)
    hop = max(1, round(block * (1 - OVERLAP)))
    prefix = [0.0]
    total = 0.0
    for value in weighted:
        total += value * value
        prefix.append(total)
    if len(weighted) <= block:
        powers = [total / len(weighted)]
    else:
        powers = [(prefix[i + block] - prefix[i]) / block for i in range(0, len(weighted) - block + 1, hop)]
    kept = [p for p in powers if _block_loudness(p) > ABSOLUTE_GATE_LUFS]
    if not kept:
        return -math.inf
    gate = _block_loudness(sum(kept) / len(kept)) + RELATIVE_GATE_LU
    kept = [p for p in kept if _block_loudness(p) > gate]
    return _block_loudness(sum(kept) / len(kept))


def wav_loudness(path: str) -> float:
    """Integrated loudness of a mono 16-bit WAV file (-inf for silence; ValueError for another width)."""
    with wave.open(path, "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError("not a 16-bit WAV")
        rate = wav.getframerate()
        samples = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return integrated_loudness(list(map((1 / 32768).__mul__, samples)), rate)


def level_wav(path: str, lufs: float | None, ceiling_dbfs: float) -> float:
    """Scale a mono 16-bit WAV in place to an integrated loudness of ``lufs`` (None: leave the loudness, only
    bring the peak down), never peaking above ``ceiling_dbfs``; other widths are left alone. Returns the
    loudness measured before scaling (-inf when not measured, for silence or another width).

    The same numbers as ``wav.normalise_loudness`` and ``wav.limit_peak`` in the app (which run this as a
    script): every sample is touched in Python here, so it runs in a child process, not an app thread.
    """
    with wave.open(path, "rb") as wav:
        params = wav.getparams()
        frames = wav.readframes(params.nframes)
    if params.sampwidth != 2:
        return -math.inf
    samples = array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    peak = max(map(abs, samples), default=0)
    if peak == 0:
        return -math.inf
    wanted = 1.0
    measured = -math.inf
    if lufs is not None:
        measured = integrated_loudness(list(map((1 / 32768).__mul__, samples)), params.framerate)
        wanted = 10 ** ((lufs - measured) / 20) if math.isfinite(measured) else 1.0
    gain = min(wanted, 10 ** (ceiling_dbfs / 20) * 32767 / peak)
    if gain != 1.0:
        if gain * peak <= 32767:  # nothing can clip: C loops (the same numbers as the clipping path)
            scaled = array("h", map(round, map(gain.__mul__, samples)))
        else:
            scaled = array("h", (max(-32768, min(32767, round(s * gain))) for s in samples))
        if sys.byteorder == "big":
            scaled.byteswap()
        with wave.open(path, "wb") as wav:
            wav.setnchannels(params.nchannels)
            wav.setsampwidth(2)
            wav.setframerate(params.framerate)
            wav.writeframes(scaled.tobytes())
    return measured


if __name__ == "__main__":  # run by audio/wav.py as a child process: standard library only, nothing else imported
    # loudness.py FILE: print its loudness; --level LUFS CEILING FILE or --limit CEILING FILE: level it in place
    if sys.argv[1] == "--level":
        print(repr(level_wav(sys.argv[4], float(sys.argv[2]), float(sys.argv[3]))))
    elif sys.argv[1] == "--limit":
        print(repr(level_wav(sys.argv[3], None, float(sys.argv[2]))))
    else:
        print(repr(wav_loudness(sys.argv[1])))
