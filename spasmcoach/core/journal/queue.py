"""Writes that never wait and are never lost: ``submit`` commits at once, or keeps the write in the outbox.

``submit(op)`` tries one short transaction (SQLite waits at most a few tens of milliseconds for another
program). If the journal cannot take it (another program holds it, the disk is full, it is read-only),
the write is appended to the fsync'd outbox beside the journal and the receipt says "kept safe"; if
even that fails, it is held in memory and the receipt says so. Writes keep their original order: while
anything is waiting, a new write queues behind it rather than overtaking it. ``flush_pending`` replays
the waiting writes into the journal, each exactly once (their keys are stored with their rows), at the
next write, at start-up and whenever the app's retry timer calls it.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from . import ops, values
from .errors import SQLITE_BUSY, SQLITE_FULL, SQLITE_LOCKED, SQLITE_PERM, SQLITE_READONLY, JournalError
from .ops import Op
from .outbox import OutboxFile, encode
from .reads import JournalReads
from .receipts import Receipt, SaveState, Waiting
from .records import load_json

log = logging.getLogger(__name__)

OUTBOX_SUFFIX = ".outbox"


def waiting_for_journal(exc: JournalError) -> Waiting:
    """What a journal refusal waits for."""
    if exc.code in (SQLITE_BUSY, SQLITE_LOCKED):
        return Waiting.BUSY
    if exc.code == SQLITE_FULL:
        return Waiting.NO_ROOM
    if exc.code in (SQLITE_READONLY, SQLITE_PERM):
        return Waiting.READ_ONLY
    return Waiting.OTHER


def waiting_for_disk(exc: OSError) -> Waiting:
    """What an outbox failure waits for."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return Waiting.NO_ROOM
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Waiting.READ_ONLY
    if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
        return Waiting.BUSY
    return Waiting.OTHER


class JournalQueue(JournalReads):
    """The never-wait, never-lose write path of ``Journal``."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, recovered_from: Path | None, *, read_only: bool = False
    ) -> None:
        """Internal: use Journal.open or Journal.open_readonly."""
        super().__init__(conn, path, recovered_from)
        self.read_only = read_only
        self.outbox = OutboxFile(path.with_name(path.name + OUTBOX_SUFFIX))
        self._memory: list[Op] = []  # writes not even the outbox could take, in order, behind the outbox's
        self.waiting = Waiting.NOTHING  # why writes are waiting (for the app's notice)
        self.last_problem = ""  # the journal's or the disk's words for the latest refusal
        self.rejected: list[str] = []  # replayed writes the journal refused for good (kept in <outbox>.rejected)
        # Called (on the writing thread) whenever a write is kept for later: the app starts its retry timer.
        self.on_pending: Callable[[], None] | None = None

    # -- state ---------------------------------------------------------------------------------------------

    @property
    def pending(self) -> bool:
        """Whether any write is waiting to be saved (in the outbox file or in memory)."""
        return bool(self._memory) or self.outbox.has_entries()

    @property
    def save_state(self) -> SaveState:
        """SAVED when nothing waits, IN_MEMORY when something is held only by this process, else KEPT."""
        if self._memory:
            return SaveState.IN_MEMORY
        return SaveState.KEPT if self.outbox.has_entries() else SaveState.SAVED

    # -- writing -------------------------------------------------------------------------------------------

    def submit(self, op: Op) -> Receipt:
        """Write ``op`` now if the journal takes it at once, else keep it safe; never raises JournalError.

        ValueError or LookupError (a bug in the caller, not the environment) still propagate.
        """
        with self._lock:
            if self.pending:
                self.flush_pending()
            if not self.pending:
                try:
                    with self._write() as conn:
                        row_id = ops.apply(conn, op)
                except JournalError as exc:
                    self._note(waiting_for_journal(exc), str(exc))
                else:
                    return Receipt(op.key, SaveState.SAVED, row_id=row_id)
            return self._keep(op)

    def _keep(self, op: Op) -> Receipt:
        """Append ``op`` to the outbox behind anything waiting, or hold it in memory if that fails."""
        if self.on_pending is not None:
            try:
                self.on_pending()
            except Exception:  # the app's hook must never lose the write
                log.exception("outbox: the on_pending hook failed")
        journal_waiting = self.waiting if self.waiting is not Waiting.NOTHING else Waiting.OTHER
        if not self._memory and not self.read_only:
            try:
                self.outbox.append([op])
            except OSError as exc:
                log.warning("outbox: could not keep a write on disk: %s", exc)
                problem = f"the outbox {self.outbox.path} could not be written either ({exc.strerror or exc})"
                self._note(waiting_for_disk(exc), f"{self.last_problem.rstrip('.')}; {problem}".lstrip("; "))
            else:
                return Receipt(op.key, SaveState.KEPT, journal_waiting, detail=self.last_problem)
        self._memory.append(op)
        return Receipt(op.key, SaveState.IN_MEMORY, self.waiting, detail=self.last_problem)

    def _note(self, waiting: Waiting, problem: str) -> None:
        self.waiting = waiting
        self.last_problem = problem

    def flush_pending(self) -> bool:
        """Replay every waiting write into the journal, in order, each once; True when nothing waits any more.

        Never raises: a journal that is still busy, full or read-only simply leaves the writes waiting.
        """
        with self._lock:
            if self._conn is None:
                return not self.pending
            try:
                self._flush()
            except JournalError as exc:
                self._note(waiting_for_journal(exc), str(exc))
            except OSError as exc:
                self._note(waiting_for_disk(exc), f"Could not use {self.outbox.path}: {exc.strerror or exc}")
            except Exception:  # a bug: keep everything where it is, and say so in the log
                log.exception("outbox: replay failed")
            done = not self.pending
            if done:
                self._note(Waiting.NOTHING, "")
            return done

    def _flush(self) -> None:
        if self._memory and not self.read_only:
            try:
                self.outbox.append(self._memory)  # behind what the file already holds
            except OSError as exc:
                log.info("outbox: still cannot write %s: %s", self.outbox.path, exc)
            else:
                self._memory = []
        if self.outbox.has_entries():
            with self.outbox.draining() as (contents, drain):
                if contents.ops:
                    self._apply_all(contents.ops)
                if contents.damaged:
                    self.outbox.keep_rejected(contents.damaged)
                drain.clear()
        if self._memory and not self.outbox.has_entries():
            self._apply_all(self._memory)  # the outbox cannot be written, but the journal can
            self._memory = []

    def _apply_all(self, waiting: Sequence[Op]) -> None:
        """Apply ``waiting`` in one transaction (JournalError and nothing applied if the journal refuses)."""
        refused: list[tuple[Op, str]] = []
        with self._write() as conn:
            for op in waiting:
                conn.execute("SAVEPOINT replay")
                try:
                    _apply_replayed(conn, op)
                except (LookupError, ValueError, sqlite3.IntegrityError) as exc:
                    conn.execute("ROLLBACK TO replay")
                    refused.append((op, str(exc)))
                conn.execute("RELEASE replay")
        if refused:
            self.outbox.keep_rejected([encode(op) for op, _reason in refused])
            for op, reason in refused:
                log.warning("outbox: the journal refused a waiting %s (%s); kept in %s", op.kind, reason,
                            self.outbox.rejected_path)  # fmt: skip
                self.rejected.append(f"{op.kind} of {op.time}: {reason}")


def _apply_replayed(conn: sqlite3.Connection, op: Op) -> None:
    """Apply a waiting write; an event whose session is not in this journal (a damaged journal was set
    aside meanwhile) is still recorded, outside any session, with the session's key in its data."""
    try:
        ops.apply(conn, op)
    except LookupError:
        session = op.fields.get("session")
        if op.kind != "event" or session is None:
            raise
        data = values.json_object({**load_json(op.fields["data"]), "session_key": session})
        ops.apply(conn, Op(op.kind, op.key, op.time, {**op.fields, "session": None, "data": data}))
