"""Reminders in the journal: shown, taken, snoozed, skipped; and breaks taken per day for History."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import Any, Protocol

from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Op, Receipt, ops
from spasmcoach.core.wording import short_day_text


class Outcome(StrEnum):
    """What happened to a reminder; the journal event type is ``reminder_<outcome>``."""

    SHOWN = "shown"
    TAKEN = "taken"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"

    @property
    def event_type(self) -> str:
        """The journal's event type for this outcome."""
        return f"reminder_{self.value}"


EVENT_TYPES = tuple(o.event_type for o in Outcome)


class ReminderJournal(Protocol):
    """The journal call reminders need: the never-lose ``submit`` (the real ``Journal`` has it)."""

    def submit(self, op: Op) -> Receipt: ...


def record(
    journal: ReminderJournal, outcome: Outcome, reminder_id: str, routine: str | None, *, now: datetime | None = None
) -> Receipt:
    """Journal one reminder outcome through the never-lose path; returns the journal's receipt."""
    kind = "break" if reminder_id == "break" else "routine"
    data = {"reminder": reminder_id, "kind": kind}
    return journal.submit(ops.event(outcome.event_type, routine=routine, data=data, now=now))


class ReminderEvent(Protocol):
    """The fields of a journal event the counts read."""

    @property
    def type(self) -> str: ...
    @property
    def time(self) -> datetime: ...
    @property
    def data(self) -> Mapping[str, Any]: ...


def breaks_taken_per_day(events: Iterable[ReminderEvent], tz: tzinfo | None = None) -> dict[date, int]:
    """How many stand-and-stretch reminders were taken on each local day."""
    counts: Counter[date] = Counter(
        e.time.astimezone(tz).date()
        for e in events
        if e.type == Outcome.TAKEN.event_type and e.data.get("kind") == "break"
    )
    return dict(sorted(counts.items()))


def breaks_text(per_day: Mapping[date, int], today: date) -> str:
    """The History glance's line: stand-and-stretch breaks taken on each of the last seven days that had any."""
    days = sorted((day for day in per_day if 0 <= (today - day).days < 7 and per_day[day]), reverse=True)
    if not days:
        return _("No stand-and-stretch breaks taken in the last 7 days.")
    parts = [
        (_("today: {count}") if day == today else _("{day}: {count}")).format(
            day=short_day_text(day), count=per_day[day]
        )
        for day in days
    ]
    return _("Stand-and-stretch breaks taken: {days}.").format(days=" · ".join(parts))


def scheduled_done(events: Sequence[ReminderEvent]) -> dict[str, tuple[int, int]]:
    """Per routine reminder id: (times shown, times taken) — how often scheduled routines were done."""
    shown: Counter[str] = Counter()
    taken: Counter[str] = Counter()
    for event in events:
        if event.data.get("kind") != "routine":
            continue
        key = str(event.data.get("reminder"))
        if event.type == Outcome.SHOWN.event_type:
            shown[key] += 1
        elif event.type == Outcome.TAKEN.event_type:
            taken[key] += 1
    return {key: (shown[key], taken[key]) for key in sorted(set(shown) | set(taken))}
