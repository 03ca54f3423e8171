"""Opening the journal file (checks, WAL, durable settings, migration, recovery) and its transactions.

Every write is one short ``BEGIN IMMEDIATE … COMMIT`` on a WAL database with ``synchronous=FULL``, so a
write returns only once its rows are on disk.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Final, Self

from spasmcoach.core import paths, storage

from . import recovery
from .errors import Corrupt, JournalError, environment_error, is_corrupt
from .schema import APPLICATION_ID, check_schema, migrate, scalar, schema_version

BUSY_TIMEOUT_S: Final = 5.0


def _connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode: every transaction is an explicit BEGIN … COMMIT."""
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)


def _set_pragmas(conn: sqlite3.Connection) -> None:
    """The per-connection settings: durable commits, enforced foreign keys, a busy timeout."""
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # macOS: plain fsync does not reach the disk's platters or flash; F_FULLFSYNC does. No effect elsewhere.
    conn.execute("PRAGMA fullfsync = ON")
    conn.execute("PRAGMA checkpoint_fullfsync = ON")


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Check, switch to WAL and migrate a freshly opened connection; Corrupt if the file must go aside."""
    try:
        _set_pragmas(conn)
        version = int(scalar(conn, "PRAGMA user_version"))
        check = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        application_id = int(scalar(conn, "PRAGMA application_id"))
        has_tables = scalar(conn, "SELECT count(*) FROM sqlite_master") > 0
    except sqlite3.Error as exc:
        if is_corrupt(exc):
            raise Corrupt(str(exc)) from exc
        raise environment_error(path, exc, "open") from exc
    if check != ["ok"]:
        raise Corrupt("integrity check failed: " + "; ".join(str(line) for line in check[:5]))
    blank = application_id == 0 and version == 0 and not has_tables
    if application_id != APPLICATION_ID and not blank:
        raise Corrupt("the file is an SQLite database but not a SpasmCoach journal")
    known = schema_version()
    if version > known:
        raise JournalError(
            f"The journal {path} was written by a newer SpasmCoach (journal format {version}; this version "
            f"reads up to {known}). Update SpasmCoach to open it. The file has not been changed."
        )
    try:
        # Where a file system cannot do WAL, SQLite keeps the rollback journal: still durable with FULL sync.
        conn.execute("PRAGMA journal_mode = WAL")
        if version < known:
            if version >= 1:
                _backup_before_upgrade(conn, path, version)
            migrate(conn, path, version)
        check_schema(conn)
    except sqlite3.Error as exc:
        if is_corrupt(exc):
            raise Corrupt(str(exc)) from exc
        raise environment_error(path, exc, "open") from exc


def _backup_before_upgrade(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Back up a non-empty journal before migrating it; JournalError (file unchanged) if that fails."""
    try:
        recovery.backup(conn, path, version)
    except (sqlite3.Error, OSError) as exc:
        raise JournalError(
            f"Could not back up the journal {path} before upgrading it: {exc}. Free some disk space and "
            f"try again. The journal has not been changed."
        ) from exc


def open_file(path: Path | str | None) -> tuple[sqlite3.Connection, Path, Path | None]:
    """Open (creating and migrating) the journal at ``path`` (None: the default place).

    A damaged file is moved aside and a new one started. Returns the connection, the absolute path and
    where a damaged file went (or None).
    """
    if path is None:
        try:
            paths.ensure_data_dir()
        except paths.DataDirError as exc:
            raise JournalError(f"Cannot open the journal: {exc}.") from exc
        target = paths.journal_path()
    else:
        target = Path(path).expanduser().absolute()
        recovery.make_folder(target.parent)
    recovery.check_usable(target)
    recovered: Path | None = None
    for _attempt in range(2):
        existed = target.exists()
        conn: sqlite3.Connection | None = None
        try:
            recovery.check_header(target)
            try:
                conn = _connect(target)
            except sqlite3.Error as exc:
                raise environment_error(target, exc, "open") from exc
            _prepare(conn, target)
        except Corrupt as exc:
            if conn is not None:
                conn.close()
            if recovered is not None:
                raise JournalError(f"A new journal at {target} could not be started ({exc}). Check the disk.") from exc
            recovered = recovery.move_aside(target)
            continue
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        if not existed:
            storage.fsync_dir(target.parent)
        return conn, target, recovered
    raise AssertionError("unreachable")  # pragma: no cover


class JournalConnection:
    """The open journal file and its transactions, shared safely between threads (see ``Journal``)."""

    path: Path
    recovered_from: Path | None

    def __init__(self, conn: sqlite3.Connection, path: Path, recovered_from: Path | None) -> None:
        """Internal: use Journal.open."""
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self.path = path
        # Where a damaged journal was moved to during open (the GUI tells the user), else None.
        self.recovered_from = recovered_from

    def close(self) -> None:
        """Close the file (idempotent); the last connection folds the WAL back into the main file."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        """Use as a context manager that closes on exit."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close on leaving the with-block."""
        self.close()

    def __repr__(self) -> str:
        """Show the file, for logs."""
        return f"Journal({str(self.path)!r})"

    def _connection(self) -> sqlite3.Connection:
        """The open connection; RuntimeError after close."""
        if self._conn is None:
            raise RuntimeError(f"the journal {self.path} is closed")
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE … COMMIT transaction; returns only after COMMIT, rolls back on any error."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise environment_error(self.path, exc, "save to") from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.IntegrityError):
                    raise ValueError(f"the journal refused the values: {exc}") from exc
                if isinstance(exc, sqlite3.Error):
                    raise environment_error(self.path, exc, "save to") from exc
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read snapshot (deferred transaction) with errors translated to JournalError."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN")
                try:
                    yield conn
                finally:
                    if conn.in_transaction:
                        conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise environment_error(self.path, exc, "read") from exc
