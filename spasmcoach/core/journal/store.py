"""The ``Journal``: opening the file and every write (sessions, pain stops, events, edits, soft deletes).

Nothing the user logged may be lost: each public write is one transaction that returns once it is on disk,
and every edit, delete and restore first copies the previous values into the ``changes`` table. The
methods here write at once and raise ``JournalError`` when the journal refuses; the app's user events go
through ``submit`` (see ``queue``) instead, which never waits and keeps a refused write safe in the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from . import ops, values
from .connection import open_file, open_readonly_file
from .queue import JournalQueue
from .values import UNSET, Unset

log = logging.getLogger(__name__)


class Journal(JournalQueue):
    """The user's journal file; create with :meth:`open`. Safe to share between threads."""

    @classmethod
    def open(cls, path: Path | str | None = None) -> Journal:
        """Open (creating and migrating) the journal; a damaged file is moved aside and a new one started.

        Writes left waiting in the outbox by an earlier run are replayed now (if the journal takes them).
        """
        conn, target, recovered = open_file(path)
        journal = cls(conn, target, recovered)
        if journal.pending:
            journal.flush_pending()
        return journal

    @classmethod
    def open_readonly(cls, path: Path | str | None = None) -> Journal:
        """Open an existing journal for reading only (a read-only folder or file): nothing is changed."""
        conn, target = open_readonly_file(path)
        return cls(conn, target, None, read_only=True)

    def _apply_now(self, op: ops.Op) -> int | None:
        """Apply ``op`` in one transaction now (behind any waiting writes the journal takes first)."""
        if self.pending:
            self.flush_pending()
        with self._write() as conn:
            return ops.apply(conn, op)

    def _apply_id(self, op: ops.Op) -> int:
        row_id = self._apply_now(op)
        assert row_id is not None
        return row_id

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
        op = ops.session_start(
            routine, title, pain_before=pain_before, steps_total=steps_total, left_out=left_out, now=now
        )
        return self._apply_id(op)

    def end_session(self, session_id: int, *, outcome: str, steps_done: int, now: datetime | None = None) -> int:
        """End a running session and add its 'session_end' event in one transaction; returns the event id."""
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise ValueError(f"session_id must be a whole number, got {session_id!r}")
        return self._apply_id(ops.session_end(session_id, outcome=outcome, steps_done=steps_done, now=now))

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
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise ValueError(f"session_id must be a whole number, got {session_id!r}")
        self._apply_now(ops.session_pain(session_id, before=before, after=after, now=now))

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
        key: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Record any event (timer_*, pain_increase, episode_start, …) in one transaction; returns its id.

        With a ``key`` already in the journal, nothing is written and the existing event's id comes back."""
        if session_id is not None and (isinstance(session_id, bool) or not isinstance(session_id, int)):
            raise ValueError(f"session_id must be a whole number or None, got {session_id!r}")
        op = ops.event(
            type, session=session_id, routine=routine, step=step, phase=phase, side=side, rep=rep,
            seconds=seconds, pain=pain, symptoms=symptoms, note=note, data=data, key=key, now=now,
        )  # fmt: skip
        return self._apply_id(op)

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
        if isinstance(event_id, bool) or not isinstance(event_id, int):
            raise LookupError(f"no event with id {event_id!r} in the journal")
        self._apply_now(ops.event_update(event_id, pain=pain, symptoms=symptoms, note=note, data=data, now=now))

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
            ops.log_change(conn, time, kind, row_id, "delete" if deleted else "restore", {"deleted": row[0]})
            conn.execute(f"UPDATE {table} SET deleted = ? WHERE id = ?", (int(deleted), row_id))
