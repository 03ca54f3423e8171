"""Reading and writing durations as people write them: ``45``, ``45s``, ``1m30s``, ``2 min``, ``1:30``."""

from __future__ import annotations

import math
import re

_UNIT_SECONDS = {
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
}  # fmt: skip
_NUMBER = r"\d+(?:\.\d+)?"
_PART = re.compile(rf"\s*({_NUMBER})\s*([a-z]+)\s*")
_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):([0-5]\d(?:\.\d+)?)$")


class DurationError(ValueError):
    """Text or a number that is not a duration."""


def parse_duration(value: object) -> float:
    """Seconds for ``value``; raises DurationError for anything else (bools, negatives, NaN, junk)."""
    if isinstance(value, bool):
        raise DurationError("must be a duration such as 30, 45s, 1m30s or 1:30")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value.strip().lower())
    else:
        raise DurationError("must be a duration such as 30, 45s, 1m30s or 1:30")
    if not math.isfinite(seconds):
        raise DurationError("must be a finite duration")
    return seconds


def _parse_text(text: str) -> float:
    if re.fullmatch(rf"-?{_NUMBER}", text):
        return float(text)
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    total, pos, seen = 0.0, 0, set()
    while pos < len(text):
        part = _PART.match(text, pos)
        if not part or part.group(2) not in _UNIT_SECONDS:
            raise DurationError("must be a duration such as 30, 45s, 1m30s, 2 min or 1:30")
        unit = _UNIT_SECONDS[part.group(2)]
        if unit in seen:
            raise DurationError("names the same unit twice")
        seen.add(unit)
        total += float(part.group(1)) * unit
        pos = part.end()
    if not seen:
        raise DurationError("must be a duration such as 30, 45s, 1m30s, 2 min or 1:30")
    return total


def format_clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a countdown; rounds up so a countdown shows 0:01 until it ends."""
    whole = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_human(seconds: float) -> str:
    """A short human duration: ``45 s``, ``2 min``, ``3 min 30 s``, ``1 h 5 min``."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs} s")
    return " ".join(parts)
