"""The history as one table: a row per session, pain stop or timer use (the History page and its CSV)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import overload

from ..i18n import _
from .records import History, SessionRow, StopRow, TimerUse, symptom_words

__all__ = ["HistoryRow", "HistoryRows", "RowKind", "history_rows"]


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


def _session_line(s: SessionRow, result: str | None = None) -> HistoryRow:
    """A session as a table row (``result``: its result text, when already known)."""
    return HistoryRow(
        kind=RowKind.SESSION,
        id=s.id,
        time=s.started,
        routine=s.routine,
        what=s.title,
        result=s.result if result is None else result,
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


def _timer_line(t: TimerUse, result: str | None = None) -> HistoryRow:
    """A timer use as a table row (``result``: its result text, when already known)."""
    return HistoryRow(
        kind=RowKind.TIMER,
        id=t.event_ids[0],
        time=t.started,
        routine=None,
        what=t.title,
        result=t.result if result is None else result,
        duration=t.duration,
        pain_before=None,
        pain_after=None,
        pain=None,
        symptoms=(),
        note=None,
        entry=t,
    )


_Entry = SessionRow | StopRow | TimerUse
_KINDS: dict[type, RowKind] = {SessionRow: RowKind.SESSION, StopRow: RowKind.PAIN_STOP, TimerUse: RowKind.TIMER}


class HistoryRows(Sequence[HistoryRow]):
    """``history_rows`` made a row at a time, as rows are read: a five-year range costs the History page its
    sort keys, and only the rows shown on screen become :class:`HistoryRow` objects.

    Build it on one thread and read it on one other (the GUI thread), not on two at once.
    """

    def __init__(self, history: History, kinds: Iterable[RowKind | str] | None = None) -> None:
        wanted = set(RowKind) if kinds is None else {RowKind(k) for k in kinds}
        entries: list[tuple[datetime, int, int, _Entry]] = []
        if RowKind.SESSION in wanted:
            entries += [(s.session.started, 0, s.session.id, s) for s in history.sessions]
        if RowKind.PAIN_STOP in wanted:
            entries += [(p.time, 1, p.id, p) for p in history.stops]
        if RowKind.TIMER in wanted:
            entries += [(t.started, 2, t.event_ids[0], t) for t in history.timers]
        entries.sort(key=lambda e: (e[0], e[1], e[2]), reverse=True)  # (time, kind, id) is never the same twice
        self._entries = [e[3] for e in entries]
        self._keys = {(_KINDS[type(e[3])].value, e[2]): i for i, e in enumerate(entries)}
        self._made: dict[int, HistoryRow] = {}
        self._words: dict[tuple[RowKind, str | None], str] = {}  # a few result words, translated once each

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> HistoryRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[HistoryRow]: ...

    def __getitem__(self, index: int | slice) -> HistoryRow | list[HistoryRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self._entries)
        row = self._made.get(index)
        if row is None:
            row = self._made[index] = self._line(self._entries[index])
        return row

    @property
    def made(self) -> int:
        """How many rows have been made so far."""
        return len(self._made)

    def position(self, key: tuple[str, int]) -> int | None:
        """Where the row with this (kind, id) is, if present (no row is made to find it)."""
        return self._keys.get(key)

    def _line(self, entry: _Entry) -> HistoryRow:
        if isinstance(entry, StopRow):
            return _stop_line(entry)
        if isinstance(entry, SessionRow):  # "Completed" on most sessions: the same word each time
            return _session_line(entry, self._word(RowKind.SESSION, entry) if entry.outcome == "completed" else None)
        return _timer_line(entry, self._word(RowKind.TIMER, entry))  # a timer's result is its outcome's word

    def _word(self, kind: RowKind, entry: SessionRow | TimerUse) -> str:
        key = (kind, entry.outcome)
        word = self._words.get(key)
        if word is None:
            word = self._words[key] = entry.result
        return word


def history_rows(history: History, kinds: Iterable[RowKind | str] | None = None) -> list[HistoryRow]:
    """The history as table rows of the wanted kinds (default: all), newest first."""
    return list(HistoryRows(history, kinds))
