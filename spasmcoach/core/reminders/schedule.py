"""When routine reminders fall due, on the wall clock: correct across time-zone and daylight-saving changes,
and a reminder missed while the app was closed or the laptop slept is shown once, never stacked.

Times are the person's local times of day. ``tz=None`` means the computer's own zone, resolved through the
C library for every instant (so a DST change is honoured); tests pass a ``zoneinfo.ZoneInfo``.
"""

from __future__ import annotations

import time as _time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as TimeOfDay

from spasmcoach.core.storage import require_aware

from .model import RoutineReminder

MISSED_GRACE = timedelta(hours=12)  # a missed reminder older than this is let go rather than shown late
MAX_LOOKAHEAD_DAYS = 8


def to_utc(day: date, clock: TimeOfDay, tz: tzinfo | None) -> datetime:
    """The instant of local ``day`` at local time of day ``clock``, in UTC.

    A time skipped by a spring-forward change is taken as the same wall time after the change's offset
    (it fires once, a little later); a repeated time in the autumn fires at its first occurrence.
    """
    naive = datetime.combine(day, clock)
    if tz is not None:
        return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    return datetime.fromtimestamp(_time.mktime(naive.timetuple()), UTC)


def local_date(moment: datetime, tz: tzinfo | None) -> date:
    """The local calendar day of an aware instant."""
    return require_aware(moment).astimezone(tz).date()


def _occurrences_from(reminder: RoutineReminder, first_day: date, tz: tzinfo | None) -> Iterator[datetime]:
    """Every due instant of ``reminder`` from ``first_day`` on, in order (for up to a week and a day)."""
    for offset in range(MAX_LOOKAHEAD_DAYS + 1):
        day = first_day + timedelta(days=offset)
        if day.weekday() in reminder.days:
            yield from sorted(to_utc(day, clock, tz) for clock in reminder.times)


def next_due(reminder: RoutineReminder, after: datetime, tz: tzinfo | None = None) -> datetime | None:
    """The first due instant strictly after ``after``; None when disabled."""
    if not reminder.enabled:
        return None
    start = local_date(after, tz) - timedelta(days=1)  # a day back: offsets can move a time across midnight
    return next((due for due in _occurrences_from(reminder, start, tz) if due > after), None)


def latest_missed(
    reminder: RoutineReminder, last_seen: datetime, now: datetime, tz: tzinfo | None = None
) -> datetime | None:
    """The newest due instant in (last_seen, now] if it is within ``MISSED_GRACE``; earlier ones are dropped."""
    if not reminder.enabled or now <= last_seen:
        return None
    floor = max(last_seen, now - MISSED_GRACE)
    start = local_date(floor, tz) - timedelta(days=1)
    latest: datetime | None = None
    for due in _occurrences_from(reminder, start, tz):
        if due > now:
            break
        if due > floor:
            latest = due
    return latest


@dataclass(frozen=True)
class Due:
    """A routine reminder that should be shown now, and the instant it was due."""

    reminder: RoutineReminder
    due: datetime


def due_now(
    reminders: tuple[RoutineReminder, ...], last_seen: datetime, now: datetime, tz: tzinfo | None = None
) -> list[Due]:
    """Each reminder that fell due since ``last_seen``, once each, oldest first."""
    found = [Due(r, due) for r in reminders if (due := latest_missed(r, last_seen, now, tz)) is not None]
    return sorted(found, key=lambda d: d.due)
