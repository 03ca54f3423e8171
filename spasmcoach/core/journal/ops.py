"""Every journal write as a self-contained operation with a unique key, and how one is applied to the file.

An operation carries everything it needs (its original time, its checked values, and its references to
sessions and events by key or by id), so it can be applied now, or later from the outbox, with the same
result. Applying is idempotent: the key is stored with the row it made (or with the change-log entries of
an update), and an operation whose key is already in the journal changes nothing. So a write replayed
after a crash, or by a second copy of the app, lands exactly once.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from . import values
from .records import JSON_COLUMNS, load_json
from .values import UNSET, Unset

# What an operation does; an outbox line with any other kind is refused.
KINDS: Final = frozenset({"session_start", "session_end", "event", "event_update", "session_pain"})
MAX_KEY_LENGTH: Final = 200

# A session or event named by its key (text) or its row id (a whole number).
Ref = str | int


def new_key() -> str:
    """A fresh unique key for a write."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Op:
    """One write: its kind, unique key, original time (stored form) and checked fields (stored forms)."""

    kind: str
    key: str
    time: str
    fields: dict[str, Any] = field(hash=False)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (an outbox line without its checksum)."""
        return {"kind": self.kind, "key": self.key, "time": self.time, "fields": self.fields}

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Op:
        """The operation in an outbox line; ValueError if anything is not as :meth:`to_json` writes it."""
        kind, key, time, fields = (document.get(name) for name in ("kind", "key", "time", "fields"))
        if kind not in KINDS:
            raise ValueError(f"unknown operation {kind!r}")
        assert isinstance(kind, str)
        if not isinstance(time, str):
            raise ValueError("the time is missing")
        values.now_text(datetime.fromisoformat(time))  # a valid, aware time
        if not isinstance(fields, dict):
            raise ValueError("the fields are missing")
        return cls(kind, _key(key), time, fields)


def _key(key: object) -> str:
    """A key as given, or a new one; ValueError for anything but short non-empty text."""
    if key is None:
        return new_key()
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"key must be non-empty text of at most {MAX_KEY_LENGTH} characters, got {key!r}")
    return key


def _ref(ref: object, what: str) -> Ref | None:
    """A session or event reference: None, a key (text) or a row id (whole number)."""
    if ref is None or (isinstance(ref, str) and ref):
        return ref
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ref
    raise ValueError(f"{what} must be a key, a row id or None, got {ref!r}")


# -- building (every value is checked here, before it can reach the outbox) -----------------------------------


def session_start(
    routine: str,
    title: str,
    *,
    pain_before: int | None = None,
    steps_total: int = 0,
    left_out: Sequence[str] = (),
    key: str | None = None,
    now: datetime | None = None,
) -> Op:
    """Start a session (and its 'session_start' event); the key names the session in later operations."""
    fields = {
        "routine": values.required_text(routine, "routine"),
        "title": values.required_text(title, "title"),
        "pain_before": values.pain(pain_before, "pain_before"),
        "steps_total": values.count(steps_total, "steps_total"),
        "left_out": values.names(left_out, "left_out"),
    }
    return Op("session_start", _key(key), values.now_text(now), fields)


def session_end(
    session: Ref, *, outcome: str, steps_done: int, key: str | None = None, now: datetime | None = None
) -> Op:
    """End a running session and add its 'session_end' event."""
    fields = {
        "session": _ref(session, "session"),
        "outcome": values.outcome(outcome),
        "steps_done": values.count(steps_done, "steps_done"),
    }
    return Op("session_end", _key(key), values.now_text(now), fields)


def event(
    type: str,
    *,
    session: Ref | None = None,
    routine: str | None = None,
    step: str | None = None,
    phase: str | None = None,
    side: str | None = None,
    rep: int | None = None,
    seconds: float | None = None,
    pain: int | None = None,
    symptoms: Sequence[str] = (),
    note: str | None = None,
    data: Mapping[str, Any] | None = None,
    key: str | None = None,
    now: datetime | None = None,
) -> Op:
    """Record any event (pain_stop, timer_*, pain_increase, episode_start, …)."""
    fields = {
        "type": values.event_type(type),
        "session": _ref(session, "session"),
        "routine": values.text(routine, "routine"),
        "step": values.text(step, "step"),
        "phase": values.text(phase, "phase"),
        "side": values.text(side, "side"),
        "rep": values.optional_int(rep, "rep"),
        "seconds": values.seconds(seconds),
        "pain": values.pain(pain),
        "symptoms": values.names(symptoms, "symptoms"),
        "note": values.text(note, "note"),
        "data": values.json_object(data),
    }
    return Op("event", _key(key), values.now_text(now), fields)


def event_update(
    target: Ref,
    *,
    pain: int | None | Unset = UNSET,
    symptoms: Sequence[str] | None | Unset = UNSET,
    note: str | None | Unset = UNSET,
    data: Mapping[str, Any] | None | Unset = UNSET,
    key: str | None = None,
    now: datetime | None = None,
) -> Op:
    """Change only the given fields of an event (named by key or id); the old values go to the change log."""
    updates: dict[str, Any] = {}
    if pain is not UNSET:
        updates["pain"] = values.pain(pain)
    if symptoms is not UNSET:
        updates["symptoms"] = values.names(symptoms, "symptoms")
    if note is not UNSET:
        updates["note"] = values.text(note, "note")
    if data is not UNSET:
        updates["data"] = values.json_object(data)
    fields = {"event": _ref(target, "event"), "updates": updates}
    return Op("event_update", _key(key), values.now_text(now), fields)


def session_pain(
    session: Ref,
    *,
    before: int | None | Unset = UNSET,
    after: int | None | Unset = UNSET,
    key: str | None = None,
    now: datetime | None = None,
) -> Op:
    """Set a session's pain before and/or after (only those given)."""
    fields: dict[str, Any] = {"session": _ref(session, "session")}
    if before is not UNSET:
        fields["before"] = values.pain(before, "pain before")
    if after is not UNSET:
        fields["after"] = values.pain(after, "pain after")
    return Op("session_pain", _key(key), values.now_text(now), fields)


# -- applying (inside one write transaction) --------------------------------------------------------------------


def apply(conn: sqlite3.Connection, op: Op) -> int | None:
    """Apply ``op`` once: the new row's id (session id, or event id), None for an update.

    An operation already applied (its key is in the journal) changes nothing and returns the same id.
    LookupError for a reference to a session or event the journal does not have; ValueError for a
    request the journal cannot honour (a session ended twice, damaged fields).
    """
    try:
        if op.kind == "session_start":
            return _apply_session_start(conn, op)
        if op.kind == "session_end":
            return _apply_session_end(conn, op)
        if op.kind == "event":
            return _apply_event(conn, op)
        if op.kind == "event_update":
            _apply_event_update(conn, op)
            return None
        if op.kind == "session_pain":
            _apply_session_pain(conn, op)
            return None
    except KeyError as exc:
        raise ValueError(f"the {op.kind} write lacks the field {exc}") from None
    raise ValueError(f"unknown operation {op.kind!r}")


def _existing(conn: sqlite3.Connection, table: str, key: str) -> int | None:
    """The id of the row with ``key`` in sessions or events, if any."""
    row = conn.execute(f"SELECT id FROM {table} WHERE key = ?", (key,)).fetchone()
    return None if row is None else int(row[0])


def _applied_update(conn: sqlite3.Connection, key: str) -> bool:
    """Whether an update with ``key`` is already in the change log."""
    return conn.execute("SELECT 1 FROM changes WHERE key = ? LIMIT 1", (key,)).fetchone() is not None


def session_id_of(conn: sqlite3.Connection, ref: object) -> int | None:
    """The row id of a session named by key or id (None for None); LookupError if it is not there."""
    if ref is None:
        return None
    if isinstance(ref, bool) or not isinstance(ref, int | str):
        raise ValueError(f"session_id must be a whole number or None, got {ref!r}")
    column = "key" if isinstance(ref, str) else "id"
    row = conn.execute(f"SELECT id FROM sessions WHERE {column} = ?", (ref,)).fetchone()
    if row is None:
        raise LookupError(f"no session with {column} {ref} in the journal")
    return int(row[0])


def _event_id_of(conn: sqlite3.Connection, ref: object) -> int:
    """The row id of an event named by key or id; LookupError if it is not there."""
    if isinstance(ref, bool) or not isinstance(ref, int | str):
        raise ValueError(f"event must be a key or a row id, got {ref!r}")
    column = "key" if isinstance(ref, str) else "id"
    row = conn.execute(f"SELECT id FROM events WHERE {column} = ?", (ref,)).fetchone()
    if row is None:
        raise LookupError(f"no event with {'key' if isinstance(ref, str) else 'id'} {ref} in the journal")
    return int(row[0])


def _apply_session_start(conn: sqlite3.Connection, op: Op) -> int:
    existing = _existing(conn, "sessions", op.key)
    if existing is not None:
        return existing
    f = op.fields
    cursor = conn.execute(
        "INSERT INTO sessions (routine, title, started, pain_before, steps_total, left_out, key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (f["routine"], f["title"], op.time, f["pain_before"], f["steps_total"], f["left_out"], op.key),
    )
    session_id = cursor.lastrowid
    assert session_id is not None
    data = values.json_object(
        {"title": f["title"], "steps_total": f["steps_total"], "left_out": json.loads(f["left_out"])}
    )
    insert_event(
        conn,
        {"time": op.time, "type": "session_start", "session_id": session_id, "routine": f["routine"],
         "pain": f["pain_before"], "data": data, "key": f"{op.key}/start"},
    )  # fmt: skip
    return session_id


def _apply_session_end(conn: sqlite3.Connection, op: Op) -> int:
    existing = _existing(conn, "events", op.key)
    if existing is not None:
        return existing
    f = op.fields
    session_id = session_id_of(conn, f["session"])
    assert session_id is not None
    routine, ended, steps_total = conn.execute(
        "SELECT routine, ended, steps_total FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    if ended is not None:
        raise ValueError(f"session {session_id} already ended at {ended}")
    conn.execute(
        "UPDATE sessions SET ended = ?, outcome = ?, steps_done = ? WHERE id = ?",
        (op.time, f["outcome"], f["steps_done"], session_id),
    )
    data = values.json_object({"outcome": f["outcome"], "steps_done": f["steps_done"], "steps_total": steps_total})
    return insert_event(
        conn,
        {"time": op.time, "type": "session_end", "session_id": session_id, "routine": routine, "data": data,
         "key": op.key},
    )  # fmt: skip


_EVENT_FIELDS: Final = (
    "type",
    "routine",
    "step",
    "phase",
    "side",
    "rep",
    "seconds",
    "pain",
    "symptoms",
    "note",
    "data",
)


def _apply_event(conn: sqlite3.Connection, op: Op) -> int:
    existing = _existing(conn, "events", op.key)
    if existing is not None:
        return existing
    row: dict[str, Any] = {"time": op.time, "session_id": session_id_of(conn, op.fields.get("session"))}
    row.update({name: op.fields[name] for name in _EVENT_FIELDS})
    row["key"] = op.key
    return insert_event(conn, row)


def _apply_event_update(conn: sqlite3.Connection, op: Op) -> None:
    event_id = _event_id_of(conn, op.fields["event"])
    updates = op.fields["updates"]
    if not isinstance(updates, dict) or not set(updates) <= {"pain", "symptoms", "note", "data"}:
        raise ValueError(f"an event update may change only pain, symptoms, note and data, got {updates!r}")
    if updates and not _applied_update(conn, op.key):
        update_row(conn, "events", "event", event_id, updates, op.time, op.key)


def _apply_session_pain(conn: sqlite3.Connection, op: Op) -> None:
    session_id = session_id_of(conn, op.fields["session"])
    assert session_id is not None
    updates: dict[str, int | None] = {}
    event_pain: dict[str, int | None] = {}
    if "before" in op.fields:
        updates["pain_before"] = event_pain["session_start"] = op.fields["before"]
    if "after" in op.fields:
        updates["pain_after"] = event_pain["session_end"] = op.fields["after"]
    if not updates or _applied_update(conn, op.key):
        return
    update_row(conn, "sessions", "session", session_id, updates, op.time, op.key)
    for event_type, pain in event_pain.items():
        rows = conn.execute(
            "SELECT id FROM events WHERE session_id = ? AND type = ?", (session_id, event_type)
        ).fetchall()
        for (event_id,) in rows:
            update_row(conn, "events", "event", event_id, {"pain": pain}, op.time, op.key)


# -- row helpers -------------------------------------------------------------------------------------------------


def insert_event(conn: sqlite3.Connection, row: Mapping[str, Any]) -> int:
    """Insert one checked event row and return its id."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = conn.execute(f"INSERT INTO events ({columns}) VALUES ({marks})", tuple(row.values()))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def log_change(
    conn: sqlite3.Connection,
    time: str,
    kind: str,
    row_id: int,
    action: str,
    before: Mapping[str, Any],
    key: str | None = None,
) -> None:
    """Keep the previous values of a row about to change, so no edit loses what the user logged."""
    conn.execute(
        "INSERT INTO changes (time, kind, row_id, action, before, key) VALUES (?, ?, ?, ?, ?, ?)",
        (time, kind, row_id, action, json.dumps(dict(before), ensure_ascii=False), key),
    )


def update_row(
    conn: sqlite3.Connection,
    table: str,
    kind: str,
    row_id: int,
    updates: Mapping[str, Any],
    time: str,
    key: str | None = None,
) -> None:
    """Log the old values of ``updates``' columns, then write them and set 'edited'."""
    columns = list(updates)
    old = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (row_id,)).fetchone()
    before = {
        column: load_json(value) if column in JSON_COLUMNS else value
        for column, value in zip(columns, old, strict=True)
    }
    log_change(conn, time, kind, row_id, "update", before, key)
    assignments = ", ".join(f"{column} = ?" for column in columns)
    conn.execute(f"UPDATE {table} SET {assignments}, edited = ? WHERE id = ?", (*updates.values(), time, row_id))
