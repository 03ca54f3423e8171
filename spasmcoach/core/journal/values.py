"""Checks on every value written to the journal: each bad value is a ValueError naming the field.

Each check returns the value in its stored form (JSON text for lists and objects, UTC text for times).
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

from spasmcoach.core.storage import format_time, utc_now

OUTCOMES: Final = ("completed", "stopped")
MIN_PAIN: Final = 0
MAX_PAIN: Final = 10
_TYPE_RE: Final = re.compile(r"[a-z][a-z0-9_]*\Z")


class Unset(enum.Enum):
    """Sentinel type for "argument not given" in partial updates."""

    UNSET = enum.auto()


UNSET: Final = Unset.UNSET


def now_text(now: datetime | None) -> str:
    """The stored form of ``now`` (default: the current UTC time); ValueError for a naive time."""
    return format_time(utc_now() if now is None else now)


def pain(value: object, what: str = "pain") -> int | None:
    """A pain rating 0–10 or None; anything else is a ValueError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_PAIN <= value <= MAX_PAIN:
        raise ValueError(f"{what} must be a whole number from {MIN_PAIN} to {MAX_PAIN} or None, got {value!r}")
    return value


def count(value: object, what: str) -> int:
    """A non-negative int."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a whole number >= 0, got {value!r}")
    return value


def optional_int(value: object, what: str) -> int | None:
    """An int or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number or None, got {value!r}")
    return value


def seconds(value: object) -> float | None:
    """Seconds into a step: a finite number >= 0, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ValueError(f"seconds must be a finite number >= 0 or None, got {value!r}")
    return float(value)


def text(value: object, what: str) -> str | None:
    """A str or None."""
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{what} must be text or None, got {value!r}")
    return value


def required_text(value: object, what: str) -> str:
    """A non-empty str."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be non-empty text, got {value!r}")
    return value


def names(value: object, what: str) -> str:
    """A sequence of strings (not a bare string) as a JSON list."""
    if value is None:
        return "[]"
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValueError(f"{what} must be a list of text, got {value!r}")
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{what} must be a list of text, got item {item!r}")
    return json.dumps(items, ensure_ascii=False)


def json_object(value: object) -> str:
    """A mapping with text keys, JSON-serialisable, as a JSON object."""
    if value is None:
        return "{}"
    if not isinstance(value, Mapping):
        raise ValueError(f"data must be a mapping, got {value!r}")
    for key in value:
        if not isinstance(key, str):
            raise ValueError(f"data keys must be text, got {key!r}")
    try:
        return json.dumps(dict(value), ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"data must be JSON-serialisable: {exc}") from None


def event_type(value: object) -> str:
    """A lowercase identifier such as 'pain_stop'."""
    if not isinstance(value, str) or not _TYPE_RE.match(value):
        raise ValueError(f"event type must be a lowercase identifier like 'timer_start', got {value!r}")
    return value


def outcome(value: object) -> str:
    """How a session ended: one of OUTCOMES."""
    if value not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, got {value!r}")
    assert isinstance(value, str)
    return value
