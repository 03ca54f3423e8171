"""Reading the journal: events and sessions by time, routine and type, one row by id, and its change log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from spasmcoach.core.storage import format_time

from .connection import JournalConnection
from .records import (
    CHANGE_COLUMNS,
    EVENT_COLUMNS,
    SESSION_COLUMNS,
    Change,
    Event,
    Session,
    change_from_row,
    event_from_row,
    session_from_row,
)

# EVENT_COLUMNS of the events table when joined with sessions.
_JOINED_EVENT_COLUMNS = ", ".join(f"e.{column.strip()}" for column in EVENT_COLUMNS.split(","))


class JournalReads(JournalConnection):
    """The read side of ``Journal``: every query runs in one consistent snapshot."""

    def events(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        types: Iterable[str] | None = None,
        routine: str | None = None,
        session_id: int | None = None,
        include_deleted: bool = False,
        limit: int | None = None,
    ) -> list[Event]:
        """Events in [since, until), oldest first; limit keeps the newest; deleted hidden unless asked."""
        where: list[str] = []
        params: list[Any] = []
        if since is not None:
            where.append("e.time >= ?")
            params.append(format_time(since))
        if until is not None:
            where.append("e.time < ?")
            params.append(format_time(until))
        if types is not None:
            wanted = [types] if isinstance(types, str) else list(types)
            if not wanted:
                return []
            where.append(f"e.type IN ({', '.join('?' for _ in wanted)})")
            params.extend(wanted)
        if routine is not None:
            where.append("e.routine = ?")
            params.append(routine)
        if session_id is not None:
            where.append("e.session_id = ?")
            params.append(session_id)
        if not include_deleted:
            where.append("e.deleted = 0 AND COALESCE(s.deleted, 0) = 0")
        sql = f"SELECT {_JOINED_EVENT_COLUMNS} FROM events e LEFT JOIN sessions s ON s.id = e.session_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if limit is not None:
            if limit < 0:
                raise ValueError(f"limit must be >= 0, got {limit!r}")
            sql = f"SELECT * FROM ({sql} ORDER BY e.time DESC, e.id DESC LIMIT ?) ORDER BY time, id"
            params.append(limit)
        else:
            sql += " ORDER BY e.time, e.id"
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [event_from_row(row) for row in rows]

    def event(self, event_id: int) -> Event | None:
        """One event by id (deleted or not), or None."""
        with self._read() as conn:
            row = conn.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,)).fetchone()
        return None if row is None else event_from_row(row)

    def sessions(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        routine: str | None = None,
        include_deleted: bool = False,
    ) -> list[Session]:
        """Sessions started with since <= started < until, oldest first; deleted ones only if asked."""
        where: list[str] = []
        params: list[Any] = []
        if since is not None:
            where.append("started >= ?")
            params.append(format_time(since))
        if until is not None:
            where.append("started < ?")
            params.append(format_time(until))
        if routine is not None:
            where.append("routine = ?")
            params.append(routine)
        if not include_deleted:
            where.append("deleted = 0")
        sql = f"SELECT {SESSION_COLUMNS} FROM sessions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started, id"
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [session_from_row(row) for row in rows]

    def session(self, session_id: int) -> Session | None:
        """One session by id (deleted or not), or None."""
        with self._read() as conn:
            row = conn.execute(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return None if row is None else session_from_row(row)

    def last_pain_stop(self, routine: str) -> Event | None:
        """The latest pain_stop of the routine's most recent session, if that session ended 'stopped'."""
        with self._read() as conn:
            last = conn.execute(
                "SELECT id, outcome FROM sessions WHERE routine = ? AND deleted = 0 "
                "ORDER BY started DESC, id DESC LIMIT 1",
                (routine,),
            ).fetchone()
            if last is None or last[1] != "stopped":
                return None
            row = conn.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE session_id = ? AND type = 'pain_stop' "
                f"AND deleted = 0 ORDER BY time DESC, id DESC LIMIT 1",
                (last[0],),
            ).fetchone()
        return None if row is None else event_from_row(row)

    def history(self, kind: Literal["event", "session"], row_id: int) -> list[Change]:
        """Every edit, delete and restore of one event or session, oldest first, with the values before it."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {CHANGE_COLUMNS} FROM changes WHERE kind = ? AND row_id = ? ORDER BY id", (kind, row_id)
            ).fetchall()
        return [change_from_row(row) for row in rows]
