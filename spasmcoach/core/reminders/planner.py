"""Which reminder to show now and when to look again: the break counter, routine times, holds and answers.

The GUI wakes the planner with the clock reading, the wall time, the idle seconds (None: unknown) and why
reminders must wait (if they must); it answers with the reminders to show and those to take down. It
never counts ticks: everything is computed from deadlines, so a wake-up after a suspend shows a missed
reminder once, and a long sleep is a natural break.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from .breaks import BreakCounter, BreakState
from .events import Outcome
from .model import BREAK_ID, SNOOZE_MINUTES, ReminderSettings
from .policy import Hold
from .schedule import MISSED_GRACE, due_now, next_due

SAMPLE_SECONDS = 60.0  # how often time at the computer is sampled: well under a natural break
RECHECK_SECONDS = 60.0  # how often a held reminder looks again whether it may be shown


@dataclass(frozen=True)
class Prompt:
    """One reminder to show: ``key`` is ``break`` or a routine reminder's id."""

    key: str
    routine: str
    due: datetime | None = None  # when a routine reminder was due (None for the break)

    @property
    def is_break(self) -> bool:
        return self.key == BREAK_ID


@dataclass(frozen=True)
class Step:
    """What changed on one wake-up: reminders to show now, keys to take down (no longer current)."""

    show: tuple[Prompt, ...] = ()
    withdraw: tuple[str, ...] = ()


@dataclass(frozen=True)
class Upcoming:
    """The next reminder, for the tray: the break after ``seconds`` more at the computer, or a routine at ``at``."""

    routine: str
    is_break: bool
    seconds: float  # clock seconds (break) or wall seconds (routine) from now
    at: datetime | None = None


@dataclass
class Planner:
    """The reminders' state between wake-ups (see the module docstring)."""

    settings: ReminderSettings
    last_seen: datetime
    tz: tzinfo | None = None
    counter: BreakCounter | None = None
    pending: dict[str, Prompt] = field(default_factory=dict)  # due, not shown yet (held)
    showing: dict[str, Prompt] = field(default_factory=dict)  # shown, waiting for an answer
    snoozed: dict[str, datetime] = field(default_factory=dict)  # routine reminders asked again at

    def __post_init__(self) -> None:
        self.apply(self.settings, self.last_seen)

    def apply(self, settings: ReminderSettings, wall_now: datetime) -> Step:
        """New settings: a changed break interval counts afresh; times already past today do not fire now."""
        old = self.settings.break_reminder
        self.settings = settings
        self.last_seen = wall_now
        brk = settings.break_reminder
        withdraw: list[str] = []
        if not brk.enabled:
            self.counter = None
        elif self.counter is None or old.minutes != brk.minutes or not old.enabled:
            self.counter = BreakCounter(every=brk.minutes * 60.0, snooze=SNOOZE_MINUTES * 60.0)
        known = {BREAK_ID} if brk.enabled else set()
        known |= {r.id for r in settings.routines if r.enabled}
        for table in (self.pending, self.showing):
            for key in [k for k in table if k not in known]:
                del table[key]
                withdraw.append(key)
        for key in [k for k in self.snoozed if k not in known]:
            del self.snoozed[key]
        return Step(withdraw=tuple(withdraw))

    def step(self, clock_now: float, wall_now: datetime, idle: float | None, hold: Hold | None) -> Step:
        """Account for the time since the last wake-up and say what to show or take down now."""
        withdraw: list[str] = []
        counter = self.counter
        if counter is not None:
            if counter.update(clock_now, idle):
                self.pending[BREAK_ID] = Prompt(BREAK_ID, self.settings.break_reminder.routine)
            if hold is Hold.ROUTINE:
                counter.restart()  # moving through a routine is a break
            if counter.state is BreakState.COUNTING:  # a natural break or a routine: the question is old
                self.pending.pop(BREAK_ID, None)
                if self.showing.pop(BREAK_ID, None) is not None:
                    withdraw.append(BREAK_ID)
        for due in due_now(self.settings.routines, self.last_seen, wall_now, self.tz):
            self.pending[due.reminder.id] = Prompt(due.reminder.id, due.reminder.routine, due.due)
        self.last_seen = max(self.last_seen, wall_now)
        for key, at in list(self.snoozed.items()):
            if at <= wall_now:
                del self.snoozed[key]
                reminder = next((r for r in self.settings.routines if r.id == key), None)
                if reminder is not None:
                    self.pending[key] = Prompt(key, reminder.routine, at)
        for key, prompt in list(self.pending.items()):  # held too long: let it go rather than show it late
            if prompt.due is not None and wall_now - prompt.due > MISSED_GRACE:
                del self.pending[key]
        if hold is not None or not self.pending:
            return Step(withdraw=tuple(withdraw))
        shown = tuple(sorted(self.pending.values(), key=lambda p: (not p.is_break, p.key)))
        self.pending.clear()
        self.showing.update({p.key: p for p in shown})
        return Step(show=shown, withdraw=tuple(withdraw))

    def answer(self, key: str, outcome: Outcome, wall_now: datetime) -> Prompt | None:
        """The person answered the reminder ``key``; returns it (None if it was no longer current)."""
        prompt = self.showing.pop(key, None)
        if prompt is None:
            return None
        if prompt.is_break and self.counter is not None:
            if outcome is Outcome.SNOOZED:
                self.counter.snoozed()
            else:
                self.counter.restart()
        elif outcome is Outcome.SNOOZED:
            self.snoozed[key] = wall_now + timedelta(minutes=SNOOZE_MINUTES)
        return prompt

    def waits(self, wall_now: datetime) -> tuple[float | None, float | None]:
        """(clock seconds, wall seconds) until it is worth waking again; None where nothing waits on that clock."""
        clock_wait: float | None = None
        if self.counter is not None:
            left = self.counter.seconds_to_due()
            clock_wait = SAMPLE_SECONDS if left is None else min(max(left, 0.0), SAMPLE_SECONDS)
        dues = [at for r in self.settings.routines if (at := next_due(r, wall_now, self.tz)) is not None]
        dues.extend(self.snoozed.values())
        wall_wait = min(((at - wall_now).total_seconds() for at in dues), default=None)
        if self.pending:
            wall_wait = min(wall_wait if wall_wait is not None else RECHECK_SECONDS, RECHECK_SECONDS)
        return clock_wait, None if wall_wait is None else max(0.0, wall_wait)

    def upcoming(self, wall_now: datetime) -> Upcoming | None:
        """The next reminder to come (the sooner of the break and the routine times), or None."""
        found: list[Upcoming] = []
        if self.counter is not None and (left := self.counter.seconds_to_due()) is not None:
            found.append(Upcoming(self.settings.break_reminder.routine, True, left))
        for reminder in self.settings.routines:
            at = next_due(reminder, wall_now, self.tz)
            if at is not None:
                found.append(Upcoming(reminder.routine, False, (at - wall_now).total_seconds(), at))
        return min(found, key=lambda u: u.seconds, default=None)
