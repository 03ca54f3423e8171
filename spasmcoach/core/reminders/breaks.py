"""The stand-and-stretch reminder: counts only time at the computer, from deadlines, never ticks.

Fed with a monotonic clock that keeps counting through suspend (the boot clock) and, where the desktop
offers it, how long the user has been idle. Time spent idle does not count; idle for five minutes or more
is a natural break and starts the count again; a gap longer than that between two updates (the laptop
slept, the app was stopped) is a break too, so waking never brings a burst of stacked reminders.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

NATURAL_BREAK_SECONDS = 5 * 60.0
SNOOZE_SECONDS = 10 * 60.0


class BreakState(StrEnum):
    """Counting time at the computer, or showing the reminder and waiting for the person's answer."""

    COUNTING = "counting"
    SHOWING = "showing"


@dataclass
class BreakCounter:
    """How long the person has been at the computer, and when to suggest a break.

    ``every`` and ``snooze`` are seconds of active time; ``update(now, idle)`` takes clock seconds and the
    seconds the desktop says the user has been idle (None where the desktop cannot tell: plain time counts).
    """

    every: float
    natural_break: float = NATURAL_BREAK_SECONDS
    snooze: float = SNOOZE_SECONDS
    active: float = 0.0
    due_at: float | None = None
    last: float | None = None
    state: BreakState = BreakState.COUNTING

    def __post_init__(self) -> None:
        if self.every <= 0:
            raise ValueError("a break reminder needs a positive interval")
        if self.due_at is None:
            self.due_at = self.every

    def update(self, now: float, idle: float | None = None) -> bool:
        """Account for the time since the last update; True when the reminder is due now (once)."""
        previous, self.last = self.last, now
        if previous is None:
            return False
        gap = max(0.0, now - previous)
        if gap >= self.natural_break or (idle is not None and idle >= self.natural_break):
            self.restart()  # slept, suspended or away: that was a break
            return False
        if self.state is BreakState.SHOWING:
            return False
        self.active += gap - (min(gap, idle) if idle is not None else 0.0)
        assert self.due_at is not None
        if self.active >= self.due_at:
            self.state = BreakState.SHOWING
            return True
        return False

    def restart(self) -> None:
        """A break was taken (or skipped): count afresh from zero."""
        self.active = 0.0
        self.due_at = self.every
        self.state = BreakState.COUNTING

    def snoozed(self) -> None:
        """Ask again after ``snooze`` more seconds of time at the computer."""
        self.due_at = self.active + self.snooze
        self.state = BreakState.COUNTING

    def seconds_to_due(self) -> float | None:
        """Active seconds left before the reminder (None while it is showing)."""
        if self.state is BreakState.SHOWING or self.due_at is None:
            return None
        return max(0.0, self.due_at - self.active)
