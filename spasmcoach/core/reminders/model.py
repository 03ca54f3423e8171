"""What the person asked to be reminded of: a break after time at the computer, routines at set times,
and quiet hours. Plain data with checks; ``store.py`` saves it, ``schedule.py`` and ``breaks.py`` run it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import time

from spasmcoach.core.i18n import _

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
BREAK_ID = "break"
DEFAULT_BREAK_MINUTES = 60
MIN_BREAK_MINUTES = 10
MAX_BREAK_MINUTES = 8 * 60
SNOOZE_MINUTES = 10
MAX_TIMES = 12
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)\Z")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def parse_clock_time(text: str) -> time:
    """``08:00`` or ``8:00`` as a time of day; ValueError in plain words otherwise."""
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(_("'{text}' is not a time of day like 08:00 or 18:30").format(text=text))
    return time(int(match.group(1)), int(match.group(2)))


def parse_days(text: str | Iterable[str]) -> frozenset[int]:
    """``mon,wed,fri`` (or ``daily``, ``weekdays``, ``weekend``) as weekday numbers (Monday = 0)."""
    raw = text if isinstance(text, str) else ",".join(text)
    key = raw.strip().lower()
    if key in ("", "daily", "every day", "all"):
        return frozenset(range(7))
    if key == "weekdays":
        return frozenset(range(5))
    if key in ("weekend", "weekends"):
        return frozenset({5, 6})
    chosen: set[int] = set()
    for word in (w.strip()[:3] for w in key.split(",") if w.strip()):
        if word not in DAYS:
            raise ValueError(
                _("'{word}' is not a day; use mon, tue, wed, thu, fri, sat, sun (or daily)").format(word=word)
            )
        chosen.add(DAYS.index(word))
    return frozenset(chosen)


def days_text(days: frozenset[int]) -> str:
    """``daily``, ``weekdays``, ``weekend`` or ``mon,wed,fri``."""
    if days == frozenset(range(7)):
        return "daily"
    if days == frozenset(range(5)):
        return "weekdays"
    if days == frozenset({5, 6}):
        return "weekend"
    return ",".join(DAYS[d] for d in sorted(days))


@dataclass(frozen=True)
class BreakReminder:
    """ "Time to stand up and stretch" after ``minutes`` of time at the computer."""

    enabled: bool = False
    minutes: int = DEFAULT_BREAK_MINUTES
    routine: str = "desk-break"

    def __post_init__(self) -> None:
        if not MIN_BREAK_MINUTES <= self.minutes <= MAX_BREAK_MINUTES:
            raise ValueError(
                _("a break reminder comes every {low} to {high} minutes, not {minutes}").format(
                    low=MIN_BREAK_MINUTES, high=MAX_BREAK_MINUTES, minutes=self.minutes
                )
            )


@dataclass(frozen=True)
class RoutineReminder:
    """A routine at set times of day on chosen days, in the computer's local time."""

    id: str
    routine: str
    times: tuple[time, ...]
    days: frozenset[int] = field(default_factory=lambda: frozenset(range(7)))
    enabled: bool = True

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(_("a reminder id is lowercase letters, digits and hyphens, not '{id}'").format(id=self.id))
        if not _ID.match(self.routine):
            raise ValueError(_("'{id}' is not a routine id").format(id=self.routine))
        if not self.times or len(self.times) > MAX_TIMES:
            raise ValueError(_("a routine reminder needs 1 to {limit} times of day").format(limit=MAX_TIMES))
        if not self.days or not self.days <= frozenset(range(7)):
            raise ValueError(_("a routine reminder needs at least one day of the week"))
        object.__setattr__(self, "times", tuple(sorted(set(self.times))))


@dataclass(frozen=True)
class QuietHours:
    """Reminders wait from ``start`` to ``end`` (may run past midnight); ice and heat alerts never wait."""

    enabled: bool = False
    start: time = time(22, 0)
    end: time = time(7, 0)

    def contains(self, moment: time) -> bool:
        """Whether the local time of day ``moment`` lies inside the quiet hours."""
        if not self.enabled or self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class ReminderSettings:
    """Everything the Reminders page and ``spasmcoach reminders`` edit."""

    break_reminder: BreakReminder = BreakReminder()
    routines: tuple[RoutineReminder, ...] = ()
    quiet: QuietHours = QuietHours()
    offered: bool = False  # whether the first-launch offer was made (offered, never forced)

    def with_routine(self, reminder: RoutineReminder) -> ReminderSettings:
        """These settings with ``reminder`` added, or replacing the one with its id."""
        kept = tuple(r for r in self.routines if r.id != reminder.id)
        return replace(self, routines=(*kept, reminder))

    def without(self, reminder_id: str) -> ReminderSettings:
        """These settings without the reminder ``reminder_id`` (``break`` turns the break reminder off)."""
        if reminder_id == BREAK_ID:
            return replace(self, break_reminder=replace(self.break_reminder, enabled=False))
        if all(r.id != reminder_id for r in self.routines):
            known = ", ".join([BREAK_ID, *(r.id for r in self.routines)])
            raise ValueError(_("no reminder called '{id}'. Known: {known}").format(id=reminder_id, known=known))
        return replace(self, routines=tuple(r for r in self.routines if r.id != reminder_id))

    def new_id(self, routine: str) -> str:
        """A fresh id for a reminder of ``routine``: the routine id, then -2, -3…"""
        taken = {r.id for r in self.routines} | {BREAK_ID}
        candidate, number = routine, 1
        while candidate in taken:
            number += 1
            candidate = f"{routine}-{number}"
        return candidate
