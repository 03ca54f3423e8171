"""The history as one table: a row per session, pain stop or timer use (the History page and its CSV)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ..i18n import _
from .records import History, SessionRow, StopRow, TimerUse, symptom_words

__all__ = ["HistoryRow", "RowKind", "history_rows"]


class RowKind(StrEnum):
    """The three kinds of history entry; also the "event type" filter of the History page."""

    SESSION = "session"
    PAIN_STOP = "pain_stop"
    TIMER = "timer"

    @property
    def label(self) -> str:
        """The plain name shown to the user."""
        return {"session": _("Routine"), "pain_stop": _("Pain stop"), "timer": _("Ice or heat")}[self.value]


@dataclass(frozen=True)
class HistoryRow:
    """One line of the History table and of the history CSV: a session, a pain stop or a timer use."""

    kind: RowKind
    id: int  # session id, pain-stop event id, or the timer's first event id
    time: datetime
    routine: str | None
    what: str
    result: str
    duration: float | None
    pain_before: int | None
    pain_after: int | None
    pain: int | None
    symptoms: tuple[str, ...]
    note: str | None
    entry: SessionRow | StopRow | TimerUse

    @property
    def key(self) -> tuple[str, int]:
        """A stable identity across refreshes: (kind, id)."""
        return (self.kind.value, self.id)

    @property
    def change(self) -> int | None:
        """Pain after minus before, for a session with both ratings."""
        return self.entry.change if isinstance(self.entry, SessionRow) else None

    @property
    def pain_text(self) -> str:
        """'6 → 3' for a session, '7' for a pain stop, '' when not rated."""
        if isinstance(self.entry, SessionRow):
            return self.entry.pain_text
        return "" if self.pain is None else str(self.pain)

    @property
    def details(self) -> str:
        """Symptoms and note in one line: 'tingling, numbness · “sharp when I pulled”'."""
        parts = [symptom_words(self.symptoms)] if self.symptoms else []
        if self.note:
            parts.append(_("“{name}”").format(name=self.note))
        return " · ".join(parts)


def _session_line(s: SessionRow) -> HistoryRow:
    """A session as a table row."""
    return HistoryRow(
        kind=RowKind.SESSION,
        id=s.id,
        time=s.started,
        routine=s.routine,
        what=s.title,
        result=s.result,
        duration=s.duration,
        pain_before=s.pain_before,
        pain_after=s.pain_after,
        pain=None,
        symptoms=(),
        note=None,
        entry=s,
    )


def _stop_line(p: StopRow) -> HistoryRow:
    """A pain stop as a table row."""
    return HistoryRow(
        kind=RowKind.PAIN_STOP,
        id=p.id,
        time=p.time,
        routine=p.routine,
        what=p.title,
        result=_("Stopped at {step}").format(step=p.where),
        duration=p.seconds,
        pain_before=None,
        pain_after=None,
        pain=p.pain,
        symptoms=p.symptoms,
        note=p.note,
        entry=p,
    )


def _timer_line(t: TimerUse) -> HistoryRow:
    """A timer use as a table row."""
    return HistoryRow(
        kind=RowKind.TIMER,
        id=t.event_ids[0],
        time=t.started,
        routine=None,
        what=t.title,
        result=t.result,
        duration=t.duration,
        pain_before=None,
        pain_after=None,
        pain=None,
        symptoms=(),
        note=None,
        entry=t,
    )


_ORDER = {RowKind.SESSION: 0, RowKind.PAIN_STOP: 1, RowKind.TIMER: 2}


def history_rows(history: History, kinds: Iterable[RowKind | str] | None = None) -> list[HistoryRow]:
    """The history as table rows of the wanted kinds (default: all), newest first."""
    wanted = set(RowKind) if kinds is None else {RowKind(k) for k in kinds}
    rows: list[HistoryRow] = []
    if RowKind.SESSION in wanted:
        rows += [_session_line(s) for s in history.sessions]
    if RowKind.PAIN_STOP in wanted:
        rows += [_stop_line(p) for p in history.stops]
    if RowKind.TIMER in wanted:
        rows += [_timer_line(t) for t in history.timers]
    rows.sort(key=lambda r: (r.time, _ORDER[r.kind], r.id), reverse=True)
    return rows
