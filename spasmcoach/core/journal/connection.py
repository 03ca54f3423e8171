"""Opening the journal file (checks, WAL, durable settings, migration, recovery) and its transactions.

Every write is one short ``BEGIN IMMEDIATE … COMMIT`` on a WAL database with ``synchronous=FULL``, so a
write returns only once its rows are on disk. Once open, SQLite waits at most ``BUSY_TIMEOUT_S`` (a few
tens of milliseconds) for another program's write to finish: a write that cannot start by then goes to
the outbox (see ``queue``) instead of freezing the window. A journal that cannot be written (a read-only
folder or file) can still be opened for reading with ``open_readonly_file``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Final, Self

from spasmcoach.core import paths, storage

from . import recovery
from .errors import Corrupt, JournalError, environment_error, is_corrupt
from .schema import APPLICATION_ID, check_schema, migrate, scalar, schema_version

# How long a write waits for another program's transaction before it goes to the outbox instead.
BUSY_TIMEOUT_S: Final = 0.03
# Opening (checks, WAL switch, migration) happens once at start-up and may wait a little longer.
OPEN_BUSY_TIMEOUT_S: Final = 2.0
# SQLite's Unix file layer refuses paths from 512 bytes on, and needs room after the name for its side
# files ('-journal', '-wal'): measured, the longest journal path it opens is 504 bytes.
MAX_PATH_BYTES: Final = 504


def _connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode: every transaction is an explicit BEGIN … COMMIT."""
    return sqlite3.connect(str(path), timeout=OPEN_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)


def _set_busy_timeout(conn: sqlite3.Connection, seconds: float) -> None:
    """How long SQLite retries a locked database before SQLITE_BUSY."""
    conn.execute(f"PRAGMA busy_timeout = {max(int(seconds * 1000), 1)}")


def check_path_length(path: Path) -> None:
    """JournalError naming the limit when the path is longer than SQLite can open."""
    size = len(os.fsencode(str(path)))
    if size > MAX_PATH_BYTES:
        raise JournalError(
            f"The journal's path is too long for SQLite: {size} bytes, and SQLite opens at most "
            f"{MAX_PATH_BYTES}. Set {paths.HOME_ENV} to a shorter folder. The path was {path}"
        )


def _set_pragmas(conn: sqlite3.Connection) -> None:
    """The per-connection settings: durable commits, enforced foreign keys, a busy timeout."""
    _set_busy_timeout(conn, OPEN_BUSY_TIMEOUT_S)
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
        check_path_length(target)
        recovery.make_folder(target.parent)
    check_path_length(target)
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
        _set_busy_timeout(conn, BUSY_TIMEOUT_S)
        return conn, target, recovered
    raise AssertionError("unreachable")  # pragma: no cover


def open_readonly_file(path: Path | str | None) -> tuple[sqlite3.Connection, Path]:
    """Open an existing journal for reading only: nothing is written, migrated or moved aside.

    For a journal in a read-only folder or a read-only file. SQLite first opens it read-only
    (``mode=ro``); where that needs a shared-memory file it cannot create, it reads the file as
    ``immutable`` (then the last writes still in a leftover '-wal' file are not seen). JournalError if the
    file is missing, damaged (it is left where it is) or too new.
    """
    target = paths.journal_path() if path is None else Path(path).expanduser().absolute()
    check_path_length(target)
    if target.is_dir():
        raise JournalError(f"The journal {target} is a folder, not a file.")
    if not target.exists():
        raise JournalError(f"There is no journal at {target}.")
    try:
        recovery.check_header(target)
    except Corrupt as exc:
        raise JournalError(_damaged_read_only(target, str(exc))) from exc
    failure: sqlite3.Error | None = None
    for flags in ("mode=ro", "immutable=1"):
        uri = f"file:{urllib.parse.quote(str(target))}?{flags}"
        conn = sqlite3.connect(uri, uri=True, timeout=OPEN_BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)  # fmt: skip
        try:
            _check_readable(conn, target)
        except sqlite3.Error as exc:
            conn.close()
            if is_corrupt(exc):
                raise JournalError(_damaged_read_only(target, str(exc))) from exc
            failure = exc
            continue
        except BaseException:
            conn.close()
            raise
        return conn, target
    assert failure is not None
    raise environment_error(target, failure, "read") from failure


def _damaged_read_only(path: Path, reason: str) -> str:
    """The message for a damaged journal that cannot be set aside because it may not be changed."""
    return (
        f"The journal {path} is damaged ({reason}). It was opened read-only, so it has not been moved or "
        f"changed; open SpasmCoach where the folder is writable to set it aside and start a new one."
    )


def _check_readable(conn: sqlite3.Connection, path: Path) -> None:
    """The read-only connection's checks: a SpasmCoach journal this version can read; sqlite3.Error else."""
    conn.execute("PRAGMA query_only = ON")
    _set_busy_timeout(conn, OPEN_BUSY_TIMEOUT_S)
    check = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if check != ["ok"]:
        raise JournalError(_damaged_read_only(path, "; ".join(str(line) for line in check[:3])))
    if int(scalar(conn, "PRAGMA application_id")) != APPLICATION_ID:
        raise JournalError(_damaged_read_only(path, "it is not a SpasmCoach journal"))
    version = int(scalar(conn, "PRAGMA user_version"))
    if version > schema_version():
        raise JournalError(
            f"The journal {path} was written by a newer SpasmCoach (journal format {version}; this version "
            f"reads up to {schema_version()}). Update SpasmCoach to open it."
        )
    try:
        check_schema(conn)
    except Corrupt as exc:
        raise JournalError(_damaged_read_only(path, str(exc))) from exc
    conn.execute("SELECT count(*) FROM events").fetchone()
    _set_busy_timeout(conn, BUSY_TIMEOUT_S)


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
