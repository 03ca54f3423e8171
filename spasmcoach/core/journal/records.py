"""What the journal hands back: events, sessions and change-log entries, read from rows and written as JSON.

Stored JSON that turns out damaged comes back whole (as text or under '_raw') rather than breaking a listing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from spasmcoach.core.storage import format_time, parse_time


@dataclass(frozen=True)
class Event:
    """One journal event, as stored."""

    id: int
    time: datetime
    type: str
    session_id: int | None
    routine: str | None
    step: str | None
    phase: str | None
    side: str | None
    rep: int | None
    seconds: float | None
    pain: int | None
    symptoms: tuple[str, ...]
    note: str | None
    data: dict[str, Any] = field(hash=False)
    deleted: bool
    edited: datetime | None = None


@dataclass(frozen=True)
class Session:
    """One run of a routine, as stored."""

    id: int
    routine: str
    title: str
    started: datetime
    ended: datetime | None
    outcome: str | None
    pain_before: int | None
    pain_after: int | None
    steps_done: int
    steps_total: int
    left_out: tuple[str, ...]
    deleted: bool
    edited: datetime | None = None


@dataclass(frozen=True)
class Change:
    """One edit, delete or restore, with the values the row had before it."""

    id: int
    time: datetime
    kind: Literal["event", "session"]
    row_id: int
    action: Literal["update", "delete", "restore"]
    before: dict[str, Any] = field(hash=False)


EVENT_COLUMNS: Final = (
    "id, time, type, session_id, routine, step, phase, side, rep, seconds, pain, symptoms, note, data, deleted, edited"
)
SESSION_COLUMNS: Final = (
    "id, routine, title, started, ended, outcome, pain_before, pain_after, steps_done, steps_total, "
    "left_out, deleted, edited"
)
CHANGE_COLUMNS: Final = "id, time, kind, row_id, action, before"
# Columns stored as JSON text.
JSON_COLUMNS: Final = frozenset({"symptoms", "data", "left_out"})


def _optional_time(text: str | None) -> datetime | None:
    """parse_time that passes None through."""
    return None if text is None else parse_time(text)


def _optional_text(moment: datetime | None) -> str | None:
    """format_time that passes None through."""
    return None if moment is None else format_time(moment)


def _load_list(text: str | None) -> tuple[str, ...]:
    """A stored JSON list of strings; a damaged value comes back whole rather than breaking the listing."""
    if not text or text == "[]":  # most rows: no symptoms, nothing left out
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        return (text,)
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return (str(value),)


def load_object(text: str | None) -> dict[str, Any]:
    """A stored JSON object; a damaged value comes back under '_raw' rather than breaking the listing."""
    if not text or text == "{}":
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"_raw": text}
    return value if isinstance(value, dict) else {"_value": value}


def load_json(text: str | None) -> Any:
    """A stored JSON value, or the text itself if it is not valid JSON."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def event_from_row(row: Sequence[Any]) -> Event:
    """An Event from a row selected with EVENT_COLUMNS."""
    return Event(
        id=row[0],
        time=parse_time(row[1]),
        type=row[2],
        session_id=row[3],
        routine=row[4],
        step=row[5],
        phase=row[6],
        side=row[7],
        rep=row[8],
        seconds=row[9],
        pain=row[10],
        symptoms=_load_list(row[11]),
        note=row[12],
        data=load_object(row[13]),
        deleted=bool(row[14]),
        edited=_optional_time(row[15]),
    )


def session_from_row(row: Sequence[Any]) -> Session:
    """A Session from a row selected with SESSION_COLUMNS."""
    return Session(
        id=row[0],
        routine=row[1],
        title=row[2],
        started=parse_time(row[3]),
        ended=_optional_time(row[4]),
        outcome=row[5],
        pain_before=row[6],
        pain_after=row[7],
        steps_done=row[8],
        steps_total=row[9],
        left_out=_load_list(row[10]),
        deleted=bool(row[11]),
        edited=_optional_time(row[12]),
    )


def change_from_row(row: Sequence[Any]) -> Change:
    """A Change from a row selected with CHANGE_COLUMNS."""
    return Change(
        id=row[0], time=parse_time(row[1]), kind=row[2], row_id=row[3], action=row[4], before=load_object(row[5])
    )


def event_to_json(event: Event) -> dict[str, Any]:
    """A JSON-ready dict of an event (for ``spasmcoach log --json``); times are ISO 8601 with offset."""
    return {
        "id": event.id,
        "time": format_time(event.time),
        "type": event.type,
        "session_id": event.session_id,
        "routine": event.routine,
        "step": event.step,
        "phase": event.phase,
        "side": event.side,
        "rep": event.rep,
        "seconds": event.seconds,
        "pain": event.pain,
        "symptoms": list(event.symptoms),
        "note": event.note,
        "data": dict(event.data),
        "deleted": event.deleted,
        "edited": _optional_text(event.edited),
    }


def session_to_json(session: Session) -> dict[str, Any]:
    """A JSON-ready dict of a session; times are ISO 8601 with offset."""
    return {
        "id": session.id,
        "routine": session.routine,
        "title": session.title,
        "started": format_time(session.started),
        "ended": _optional_text(session.ended),
        "outcome": session.outcome,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "steps_done": session.steps_done,
        "steps_total": session.steps_total,
        "left_out": list(session.left_out),
        "deleted": session.deleted,
        "edited": _optional_text(session.edited),
    }
