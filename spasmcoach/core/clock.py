"""Clocks for the timing engine and the therapy timers.

All timing code asks a clock for "now" and computes what is left from a deadline; nothing counts ticks.
Tests pass a :class:`FakeClock`; the program passes a real one, optionally sped up by
``SPASMCOACH_TIME_SCALE`` through :class:`ScaledClock`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Protocol

TIME_SCALE_ENV = "SPASMCOACH_TIME_SCALE"


class Clock(Protocol):
    """A source of monotonic seconds. Only differences between two readings mean anything."""

    def now(self) -> float: ...


class MonotonicClock:
    """``time.monotonic``: never goes backwards, unaffected by wall-clock changes; pauses in suspend."""

    def now(self) -> float:
        return time.monotonic()


class BootClock:
    """Counts through system suspend (Linux ``CLOCK_BOOTTIME``), so ice keeps timing while a laptop sleeps.

    Falls back to ``time.monotonic`` where the platform has no boot-time clock.
    """

    def __init__(self) -> None:
        self._clock_id: int | None = getattr(time, "CLOCK_BOOTTIME", None)

    def now(self) -> float:
        if self._clock_id is not None:
            return time.clock_gettime(self._clock_id)
        return time.monotonic()


class FakeClock:
    """A clock that moves only when a test tells it to."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self._now += seconds


class ScaledClock:
    """Runs ``scale`` times faster than ``base``: used for demos and end-to-end tests."""

    def __init__(self, base: Clock, scale: float) -> None:
        if not scale > 0:
            raise ValueError(f"time scale must be positive, got {scale!r}")
        self.base = base
        self.scale = scale
        self._origin = base.now()

    def now(self) -> float:
        return self._origin + (self.base.now() - self._origin) * self.scale

    def real_seconds(self, scaled_seconds: float) -> float:
        """How long ``scaled_seconds`` of this clock take on the base clock."""
        return scaled_seconds / self.scale


def time_scale(environ: Mapping[str, str] | None = None) -> float:
    """The ``SPASMCOACH_TIME_SCALE`` factor (default 1). Raises ValueError with a readable message."""
    env = os.environ if environ is None else environ
    raw = env.get(TIME_SCALE_ENV, "").strip()
    if not raw:
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{TIME_SCALE_ENV} must be a positive number, got {raw!r}") from None
    if not (value > 0 and value < float("inf")):
        raise ValueError(f"{TIME_SCALE_ENV} must be a positive number, got {raw!r}")
    return value
