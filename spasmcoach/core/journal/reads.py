"""Reading the journal: events and sessions by time, routine and type, one row by id, and its change log."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote

from spasmcoach.core.storage import format_time, parse_time

from .connection import JournalConnection
from .errors import environment_error
from .records import (
    CHANGE_COLUMNS,
    EVENT_COLUMNS,
    SESSION_COLUMNS,
    Change,
    Event,
    Session,
    change_from_row,
    event_from_row,
    load_object,
    session_from_row,
)

# EVENT_COLUMNS of the events table when joined with sessions.
_JOINED_EVENT_COLUMNS = ", ".join(f"e.{column.strip()}" for column in EVENT_COLUMNS.split(","))


def _event_filter(
    since: datetime | None,
    until: datetime | None,
    types: Iterable[str] | None,
    routine: str | None,
    session_id: int | None,
    include_deleted: bool,
    data_contains: Iterable[str] = (),
) -> tuple[str, list[Any]] | None:
    """The WHERE clause (with its leading space) and parameters of an events query; None if no type is wanted."""
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
            return None
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
    texts = list(data_contains)
    if texts:
        where.append("(" + " OR ".join("instr(e.data, ?) > 0" for _ in texts) + ")")
        params.extend(texts)
    return (" WHERE " + " AND ".join(where) if where else " WHERE 1"), params


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
        data_contains: Iterable[str] = (),
    ) -> list[Event]:
        """Events in [since, until), oldest first; limit keeps the newest; deleted hidden unless asked;
        ``data_contains``: only those whose stored data (JSON text) contains one of these strings."""
        found = _event_filter(since, until, types, routine, session_id, include_deleted, data_contains)
        if found is None:
            return []
        where, params = found
        sql = f"SELECT {_JOINED_EVENT_COLUMNS} FROM events e LEFT JOIN sessions s ON s.id = e.session_id{where}"
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

    def event_values(
        self, *, since: datetime | None = None, until: datetime | None = None, types: Iterable[str] | None = None
    ) -> list[tuple[int, str, str, dict[str, Any]]]:
        """(id, stored time, type, data) of the events ``events`` would give, deleted hidden: their other
        fields left unread, for long listings that need no more (as ``events``: oldest first)."""
        found = _event_filter(since, until, types, None, None, False)
        if found is None:
            return []
        where, params = found
        sql = f"SELECT e.id, e.time, e.type, e.data FROM events e LEFT JOIN sessions s ON s.id = e.session_id{where}"
        with self._read() as conn:
            rows = conn.execute(sql + " ORDER BY e.time, e.id", params).fetchall()
        return [(row[0], row[1], row[2], load_object(row[3])) for row in rows]

    def pain_ratings(
        self, types: Iterable[str], *, since: datetime | None = None, until: datetime | None = None
    ) -> list[tuple[str, Any]]:
        """(stored time, pain) of every event of ``types`` with a pain in [since, until), deleted hidden, oldest
        first: the ratings alone, a fraction of reading them as events."""
        found = _event_filter(since, until, types, None, None, False)
        if found is None:
            return []
        where, params = found
        sql = (
            f"SELECT e.time, e.pain FROM events e LEFT JOIN sessions s ON s.id = e.session_id{where}"
            " AND e.pain IS NOT NULL ORDER BY e.time, e.id"
        )
        with self._read() as conn:
            rows: list[tuple[str, Any]] = conn.execute(sql, params).fetchall()  # plain tuples: no row factory
        return rows

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

    # -- aggregated reads for long histories (one short query each, not a row per entry) -------------------

    def routine_titles(self) -> dict[str, str]:
        """Each routine with sessions (not deleted) -> the title of its latest session."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT routine, title, MAX(started) FROM sessions WHERE deleted = 0 GROUP BY routine"
            ).fetchall()
        return {routine: title for routine, title, _latest in rows}

    def earliest(self, types: Iterable[str]) -> datetime | None:
        """The earliest start of a session or time of an event of ``types`` (deleted ones left out), or None."""
        wanted = list(types)
        with self._read() as conn:
            row = conn.execute("SELECT started FROM sessions WHERE deleted = 0 ORDER BY started LIMIT 1").fetchone()
            times = [] if row is None else [row[0]]
            if wanted:
                row = conn.execute(
                    f"SELECT e.time FROM events e LEFT JOIN sessions s ON s.id = e.session_id "
                    f"WHERE e.type IN ({', '.join('?' for _ in wanted)}) AND e.deleted = 0 "
                    f"AND COALESCE(s.deleted, 0) = 0 ORDER BY e.time LIMIT 1",
                    wanted,
                ).fetchone()
                if row is not None:
                    times.append(row[0])
        return parse_time(min(times)) if times else None

    def reader(self) -> JournalReads:
        """A second, read-only connection to the same file, for reading on a worker thread.

        The file is in WAL mode, so its reads never wait for (nor hold up) this journal's writes. Close it
        after use."""
        uri = f"file:{quote(str(self.path))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise environment_error(self.path, exc, "read") from exc
        return JournalReads(conn, self.path, None)
