"""The ``Journal``: opening the file and every write (sessions, pain stops, events, edits, soft deletes).

Nothing the user logged may be lost: each public write is one transaction that returns once it is on disk,
and every edit, delete and restore first copies the previous values into the ``changes`` table.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from . import values
from .connection import open_file
from .reads import JournalReads
from .records import JSON_COLUMNS, load_json
from .values import UNSET, Unset


class Journal(JournalReads):
    """The user's journal file; create with :meth:`open`. Safe to share between threads."""

    @classmethod
    def open(cls, path: Path | str | None = None) -> Journal:
        """Open (creating and migrating) the journal; a damaged file is moved aside and a new one started."""
        conn, target, recovered = open_file(path)
        return cls(conn, target, recovered)

    # -- sessions -----------------------------------------------------------------------------------------

    def start_session(
        self,
        routine: str,
        title: str,
        *,
        pain_before: int | None = None,
        steps_total: int = 0,
        left_out: Sequence[str] = (),
        now: datetime | None = None,
    ) -> int:
        """Record a new session and its 'session_start' event in one transaction; returns the session id."""
        routine = values.required_text(routine, "routine")
        title = values.required_text(title, "title")
        pain_before = values.pain(pain_before, "pain_before")
        steps_total = values.count(steps_total, "steps_total")
        left_out_json = values.names(left_out, "left_out")
        time = values.now_text(now)
        data = values.json_object({"title": title, "steps_total": steps_total, "left_out": json.loads(left_out_json)})
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (routine, title, started, pain_before, steps_total, left_out) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (routine, title, time, pain_before, steps_total, left_out_json),
            )
            session_id = cursor.lastrowid
            assert session_id is not None
            _insert_event(
                conn,
                {
                    "time": time,
                    "type": "session_start",
                    "session_id": session_id,
                    "routine": routine,
                    "pain": pain_before,
                    "data": data,
                },
            )
        return session_id

    def end_session(self, session_id: int, *, outcome: str, steps_done: int, now: datetime | None = None) -> int:
        """End a running session and add its 'session_end' event in one transaction; returns the event id."""
        outcome = values.outcome(outcome)
        steps_done = values.count(steps_done, "steps_done")
        time = values.now_text(now)
        with self._write() as conn:
            _require_session(conn, session_id)
            routine, ended, steps_total = conn.execute(
                "SELECT routine, ended, steps_total FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            if ended is not None:
                raise ValueError(f"session {session_id} already ended at {ended}")
            conn.execute(
                "UPDATE sessions SET ended = ?, outcome = ?, steps_done = ? WHERE id = ?",
                (time, outcome, steps_done, session_id),
            )
            data = values.json_object({"outcome": outcome, "steps_done": steps_done, "steps_total": steps_total})
            return _insert_event(
                conn,
                {"time": time, "type": "session_end", "session_id": session_id, "routine": routine, "data": data},
            )

    def set_session_pain(
        self,
        session_id: int,
        *,
        before: int | None | Unset = UNSET,
        after: int | None | Unset = UNSET,
        now: datetime | None = None,
    ) -> None:
        """Set the session's pain before and/or after (only those given); old values go to the change log.

        The rating also lands on the session's start or end event, so the event log tells the whole story
        (a rating given after the routine updates the session_end record written when it ended)."""
        updates: dict[str, int | None] = {}
        event_pain: dict[str, int | None] = {}
        if before is not UNSET:
            updates["pain_before"] = event_pain["session_start"] = values.pain(before, "pain before")
        if after is not UNSET:
            updates["pain_after"] = event_pain["session_end"] = values.pain(after, "pain after")
        time = values.now_text(now)
        with self._write() as conn:
            _require_session(conn, session_id)
            if not updates:
                return
            _update_row(conn, "sessions", "session", session_id, updates, time)
            for event_type, pain in event_pain.items():
                rows = conn.execute(
                    "SELECT id FROM events WHERE session_id = ? AND type = ?", (session_id, event_type)
                ).fetchall()
                for (event_id,) in rows:
                    _update_row(conn, "events", "event", event_id, {"pain": pain}, time)

    def delete_session(self, session_id: int, *, now: datetime | None = None) -> None:
        """Hide a session (soft delete: only its flag changes; its events stay but are hidden by default)."""
        self._set_deleted("sessions", "session", session_id, True, now)

    def restore_session(self, session_id: int, *, now: datetime | None = None) -> None:
        """Undo delete_session."""
        self._set_deleted("sessions", "session", session_id, False, now)

    # -- events -------------------------------------------------------------------------------------------

    def record_pain_stop(
        self,
        session_id: int | None,
        *,
        routine: str,
        step: str,
        phase: str,
        side: str | None,
        rep: int | None,
        seconds: float,
        pain: int | None = None,
        symptoms: Sequence[str] = (),
        note: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Record 'Stop — pain increased' at once (one short transaction); returns the id to edit later."""
        return self.record(
            "pain_stop",
            session_id=session_id,
            routine=values.required_text(routine, "routine"),
            step=step,
            phase=phase,
            side=side,
            rep=rep,
            seconds=seconds,
            pain=pain,
            symptoms=symptoms,
            note=note,
            now=now,
        )

    def record(
        self,
        type: str,
        *,
        session_id: int | None = None,
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
        now: datetime | None = None,
    ) -> int:
        """Record any event (timer_*, pain_increase, episode_start, …) in one transaction; returns its id."""
        row: dict[str, Any] = {
            "time": values.now_text(now),
            "type": values.event_type(type),
            "session_id": session_id,
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
        with self._write() as conn:
            _require_session(conn, session_id)
            return _insert_event(conn, row)

    def update_event(
        self,
        event_id: int,
        *,
        pain: int | None | Unset = UNSET,
        symptoms: Sequence[str] | None | Unset = UNSET,
        note: str | None | Unset = UNSET,
        data: Mapping[str, Any] | None | Unset = UNSET,
        now: datetime | None = None,
    ) -> None:
        """Change only the given fields of an event and set 'edited'; the old values go to the change log."""
        updates: dict[str, Any] = {}
        if pain is not UNSET:
            updates["pain"] = values.pain(pain)
        if symptoms is not UNSET:
            updates["symptoms"] = values.names(symptoms, "symptoms")
        if note is not UNSET:
            updates["note"] = values.text(note, "note")
        if data is not UNSET:
            updates["data"] = values.json_object(data)
        time = values.now_text(now)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is None:
                raise LookupError(f"no event with id {event_id} in the journal")
            if updates:
                _update_row(conn, "events", "event", event_id, updates, time)

    def delete_event(self, event_id: int, *, now: datetime | None = None) -> None:
        """Hide an event (soft delete: only its flag changes)."""
        self._set_deleted("events", "event", event_id, True, now)

    def restore_event(self, event_id: int, *, now: datetime | None = None) -> None:
        """Undo delete_event."""
        self._set_deleted("events", "event", event_id, False, now)

    def _set_deleted(self, table: str, kind: str, row_id: int, deleted: bool, now: datetime | None) -> None:
        """Set one row's deleted flag (idempotent) and log it; LookupError for an unknown id."""
        time = values.now_text(now)
        with self._write() as conn:
            row = conn.execute(f"SELECT deleted FROM {table} WHERE id = ?", (row_id,)).fetchone()
            if row is None:
                raise LookupError(f"no {kind} with id {row_id} in the journal")
            if bool(row[0]) == deleted:
                return
            _log_change(conn, time, kind, row_id, "delete" if deleted else "restore", {"deleted": row[0]})
            conn.execute(f"UPDATE {table} SET deleted = ? WHERE id = ?", (int(deleted), row_id))


# -- row helpers, run inside a write transaction ---------------------------------------------------------------


def _insert_event(conn: sqlite3.Connection, row: Mapping[str, Any]) -> int:
    """Insert one validated event row and return its id."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = conn.execute(f"INSERT INTO events ({columns}) VALUES ({marks})", tuple(row.values()))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _log_change(
    conn: sqlite3.Connection, time: str, kind: str, row_id: int, action: str, before: Mapping[str, Any]
) -> None:
    """Keep the previous values of a row about to change, so no edit loses what the user logged."""
    conn.execute(
        "INSERT INTO changes (time, kind, row_id, action, before) VALUES (?, ?, ?, ?, ?)",
        (time, kind, row_id, action, json.dumps(dict(before), ensure_ascii=False)),
    )


def _require_session(conn: sqlite3.Connection, session_id: int | None) -> None:
    """LookupError unless session_id is None or an existing session."""
    if session_id is None:
        return
    if isinstance(session_id, bool) or not isinstance(session_id, int):
        raise ValueError(f"session_id must be a whole number or None, got {session_id!r}")
    if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
        raise LookupError(f"no session with id {session_id} in the journal")


def _update_row(
    conn: sqlite3.Connection, table: str, kind: str, row_id: int, updates: Mapping[str, Any], time: str
) -> None:
    """Log the old values of ``updates``' columns, then write them and set 'edited'."""
    columns = list(updates)
    old = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (row_id,)).fetchone()
    before = {
        column: load_json(value) if column in JSON_COLUMNS else value
        for column, value in zip(columns, old, strict=True)
    }
    _log_change(conn, time, kind, row_id, "update", before)
    assignments = ", ".join(f"{column} = ?" for column in columns)
    conn.execute(f"UPDATE {table} SET {assignments}, edited = ? WHERE id = ?", (*updates.values(), time, row_id))
