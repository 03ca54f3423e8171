"""Clocks for the timing engine and the therapy timers, and the two clocks the app runs on.

All timing code asks a clock for "now" and computes what is left from a deadline; nothing counts ticks.
Tests pass a :class:`FakeClock`; the program builds its clocks with :func:`session_clock` and
:func:`timer_clock`, sped up by ``SPASMCOACH_TIME_SCALE`` through :class:`ScaledClock`. Every clock says
how its seconds map to real ones (:meth:`Clock.to_real_seconds`), so a caller that must sleep in real
time never needs to know which clock it holds.
"""

from __future__ import annotations

import math
import os
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Protocol

TIME_SCALE_ENV = "SPASMCOACH_TIME_SCALE"
MIN_TIME_SCALE = 0.01
MAX_TIME_SCALE = 10_000.0


class Clock(Protocol):
    """A source of monotonic seconds. Only differences between two readings mean anything."""

    @property
    def scale(self) -> float:
        """Clock seconds per real second: 1 unless the clock is sped up."""
        ...

    @property
    def base(self) -> Clock:
        """The unscaled clock underneath (the clock itself when it is not scaled)."""
        ...

    def now(self) -> float: ...

    def to_real_seconds(self, seconds: float) -> float:
        """How many real seconds ``seconds`` of this clock take (to sleep the right real time)."""
        ...


class _RealTimeClock(ABC):
    """A clock whose seconds are real seconds: scale 1, its own base."""

    @property
    def scale(self) -> float:
        return 1.0

    @property
    def base(self) -> Clock:
        return self

    @abstractmethod
    def now(self) -> float: ...

    def to_real_seconds(self, seconds: float) -> float:
        return seconds


class MonotonicClock(_RealTimeClock):
    """``time.monotonic``: never goes backwards, unaffected by wall-clock changes; pauses in suspend."""

    def now(self) -> float:
        return time.monotonic()


def _suspend_aware_clock_ids() -> list[tuple[str, int]]:
    """Clocks that keep counting while the machine sleeps, best first, as far as this platform has them.

    Linux: ``CLOCK_BOOTTIME``. macOS: ``CLOCK_MONOTONIC``, which there (unlike on Linux) includes sleep.
    Elsewhere none: Windows' ``time.monotonic`` already counts through sleep, and on the BSDs it is the
    best there is.
    """
    found: list[tuple[str, int]] = []
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is not None:
        found.append(("CLOCK_BOOTTIME", boottime))
    monotonic = getattr(time, "CLOCK_MONOTONIC", None)
    if sys.platform == "darwin" and monotonic is not None:
        found.append(("CLOCK_MONOTONIC", monotonic))
    return found


class BootClock(_RealTimeClock):
    """Counts through system suspend (Linux ``CLOCK_BOOTTIME``), so ice keeps timing while a laptop sleeps.

    Where the platform lacks that clock, or has the constant but refuses to read it (an old kernel, a
    sandbox), it falls back to the next clock of :func:`_suspend_aware_clock_ids`, then to
    ``time.monotonic``. The choice is made once, so readings never switch from one clock to another.
    ``source`` names the clock in use.
    """

    def __init__(self) -> None:
        self._clock_id: int | None = None
        self.source = "time.monotonic"
        gettime = getattr(time, "clock_gettime", None)
        if gettime is None:  # Windows
            return
        for name, clock_id in _suspend_aware_clock_ids():
            try:
                gettime(clock_id)
            except OSError:
                continue
            self._clock_id, self.source = clock_id, name
            return

    def now(self) -> float:
        if self._clock_id is not None:
            return time.clock_gettime(self._clock_id)
        return time.monotonic()


class FakeClock(_RealTimeClock):
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

    def to_real_seconds(self, seconds: float) -> float:
        """How long ``seconds`` of this clock take on the base clock."""
        return seconds / self.scale


def time_scale(environ: Mapping[str, str] | None = None) -> float:
    """The ``SPASMCOACH_TIME_SCALE`` factor (default 1); ValueError in one sentence for a bad value."""
    env = os.environ if environ is None else environ
    raw = env.get(TIME_SCALE_ENV, "").strip()
    if not raw:
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not MIN_TIME_SCALE <= value <= MAX_TIME_SCALE:  # also refuses nan
        raise ValueError(
            f"{TIME_SCALE_ENV} must be a number from {MIN_TIME_SCALE:g} to {MAX_TIME_SCALE:g}, got {raw!r}."
        )
    return value


def session_clock(environ: Mapping[str, str] | None = None) -> Clock:
    """The clock routines play on: monotonic (a routine pauses with the machine), at the time scale."""
    return ScaledClock(MonotonicClock(), time_scale(environ))


def timer_clock(environ: Mapping[str, str] | None = None) -> Clock:
    """The clock ice and heat timers run on: counts through suspend, at the time scale."""
    return ScaledClock(BootClock(), time_scale(environ))
