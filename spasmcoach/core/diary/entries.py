"""Diary entries written to the journal: a check-in ("How is your back?") and a pain reliever taken.

Both are ordinary journal events, so they travel the same never-lose path as a pain stop (the journal's
outbox when the file is busy or the disk is full) and show up in ``spasmcoach log``, CSV and History.
The app records what the person says; it never suggests a medicine or a dose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Op, Receipt, ops
from spasmcoach.core.red_flags import SYMPTOM_LABELS
from spasmcoach.core.storage import require_aware, utc_now

from .vocabulary import AREAS, HELPED, QUALITIES, parse_terms

CHECKIN_EVENT = "checkin"
RELIEVER_EVENT = "reliever_taken"
MAX_NAME = 120
MAX_AMOUNT = 60
FUTURE_SLACK = timedelta(minutes=5)  # a clock a little ahead is fine; "tomorrow" is a mistake


class DiaryJournal(Protocol):
    """The one journal call the diary's writes need: the never-lose ``submit`` (the real ``Journal`` has it)."""

    def submit(self, op: Op) -> Receipt: ...


def _past(moment: datetime | None, now: datetime, what: str) -> datetime:
    """``moment`` (default ``now``) in UTC; ValueError if it lies in the future."""
    when = require_aware(moment if moment is not None else now, what)
    if when > require_aware(now) + FUTURE_SLACK:
        raise ValueError(_("{what} lies in the future; give a time that has passed").format(what=what))
    return when


@dataclass(frozen=True)
class CheckIn:
    """How the back is right now: pain 0–10, where, what it is like, what helped, nerve symptoms, a note."""

    pain: int
    areas: tuple[str, ...] = ()
    qualities: tuple[str, ...] = ()
    helped: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    note: str | None = None
    time: datetime | None = None

    @classmethod
    def build(
        cls,
        pain: object,
        *,
        areas: Iterable[str] = (),
        qualities: Iterable[str] = (),
        helped: Iterable[str] = (),
        symptoms: Iterable[str] = (),
        note: str | None = None,
        time: datetime | None = None,
    ) -> CheckIn:
        """A checked check-in from loose input; ValueError naming the first bad field."""
        if isinstance(pain, bool) or not isinstance(pain, int) or not 0 <= pain <= 10:
            raise ValueError(_("pain must be a whole number from 0 to 10, got {pain!r}").format(pain=pain))
        unknown = [s for s in symptoms if s not in SYMPTOM_LABELS]
        if unknown:
            raise ValueError(
                _("symptom '{unknown}' is not one of: {SYMPTOM_LABELS}").format(
                    unknown=unknown[0], SYMPTOM_LABELS=", ".join(SYMPTOM_LABELS)
                )
            )
        text = (note or "").strip() or None
        return cls(
            pain=pain,
            areas=parse_terms(areas, AREAS, "area"),
            qualities=parse_terms(qualities, QUALITIES, _("pain quality")),
            helped=parse_terms(helped, HELPED, _("what helped")),
            symptoms=tuple(dict.fromkeys(symptoms)),
            note=text,
            time=time,
        )


@dataclass(frozen=True)
class Reliever:
    """That a pain reliever was taken: the person's own words for the name and amount, and when."""

    name: str
    amount: str | None = None
    time: datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, name: str, amount: str | None = None, time: datetime | None = None) -> Reliever:
        """A checked entry; ValueError for an empty or overlong name or amount."""
        clean_name = " ".join(name.split())
        if not clean_name:
            raise ValueError(_("the pain reliever needs a name (as written on the pack)"))
        if len(clean_name) > MAX_NAME:
            raise ValueError(_("the name is longer than {MAX_NAME} characters").format(MAX_NAME=MAX_NAME))
        clean_amount = " ".join((amount or "").split()) or None
        if clean_amount is not None and len(clean_amount) > MAX_AMOUNT:
            raise ValueError(_("the amount is longer than {MAX_AMOUNT} characters").format(MAX_AMOUNT=MAX_AMOUNT))
        return cls(clean_name, clean_amount, time)


def record_checkin(journal: DiaryJournal, entry: CheckIn, *, now: datetime | None = None) -> Receipt:
    """Write ``entry`` at its own time (default: now) through the journal's never-lose path; its receipt."""
    when = _past(entry.time, now or utc_now(), _("the check-in time"))
    data = {"areas": list(entry.areas), "qualities": list(entry.qualities), "helped": list(entry.helped)}
    return journal.submit(
        ops.event(CHECKIN_EVENT, pain=entry.pain, symptoms=entry.symptoms, note=entry.note, data=data, now=when)
    )


def record_reliever(journal: DiaryJournal, entry: Reliever, *, now: datetime | None = None) -> Receipt:
    """Write that ``entry`` was taken, at its own time (default: now), never losing it; its receipt."""
    when = _past(entry.time, now or utc_now(), _("the time it was taken"))
    data: dict[str, Any] = {"name": entry.name}
    if entry.amount:
        data["amount"] = entry.amount
    return journal.submit(ops.event(RELIEVER_EVENT, data=data, now=when))
