"""The journal: a local SQLite record of sessions, pain ratings, pain stops and timer uses.

Nothing the user logged may be lost. Every write is one short ``BEGIN IMMEDIATE … COMMIT`` transaction on a
WAL database with ``synchronous=FULL``, so a public write method returns only once its rows are on disk.
Rows are never deleted: "delete" sets a flag, triggers refuse SQL ``DELETE``, and every edit, delete and
restore first copies the previous values into the ``changes`` table. A damaged file is moved aside, never
removed; a file written by a newer SpasmCoach is refused, never downgraded.

Times are stored as fixed-width UTC ISO 8601 strings with milliseconds and an offset
(``2026-11-21T14:35:02.123+00:00``), so text order is time order.
"""

from __future__ import annotations

import enum
import json
import math
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from spasmcoach.core import paths

__all__ = [
    "APPLICATION_ID",
    "Change",
    "Event",
    "Journal",
    "JournalError",
    "MIGRATIONS",
    "OUTCOMES",
    "Session",
    "UNSET",
    "event_to_json",
    "format_time",
    "parse_time",
    "schema_version",
    "session_to_json",
]

# "SpC1" in the SQLite header: tells a SpasmCoach journal from any other SQLite file.
APPLICATION_ID: Final = 0x53704331
BUSY_TIMEOUT_S: Final = 5.0
OUTCOMES: Final = ("completed", "stopped")
_TYPE_RE: Final = re.compile(r"[a-z][a-z0-9_]*\Z")
_SQLITE_HEADER: Final = b"SQLite format 3\x00"
_MIN_PAIN: Final = 0
_MAX_PAIN: Final = 10

# Primary SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_SQLITE_PERM: Final = 3
_SQLITE_BUSY: Final = 5
_SQLITE_LOCKED: Final = 6
_SQLITE_READONLY: Final = 8
_SQLITE_IOERR: Final = 10
_SQLITE_CORRUPT: Final = 11
_SQLITE_FULL: Final = 13
_SQLITE_CANTOPEN: Final = 14
_SQLITE_NOTADB: Final = 26


class JournalError(Exception):
    """The environment is wrong (read-only, full disk, locked, newer format); the message says what to do."""


class _Corrupt(Exception):
    """Internal: the file is damaged or not a SpasmCoach journal, so it must be moved aside."""


class _Unset(enum.Enum):
    """Sentinel type for "argument not given" in partial updates."""

    UNSET = enum.auto()


UNSET: Final = _Unset.UNSET


# ----------------------------------------------------------------------------------------------------------
# Schema and migrations
# ----------------------------------------------------------------------------------------------------------

Migration = Callable[[sqlite3.Connection], None]

_TIME_GLOB: Final = (
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]+00:00'"
)


def _sql(*statements: str) -> Migration:
    """A migration made of SQL statements run one by one (executescript would COMMIT mid-migration)."""

    def run(conn: sqlite3.Connection) -> None:
        """Execute the statements in order inside the caller's transaction."""
        for statement in statements:
            conn.execute(statement)

    return run


def _pain_check(column: str) -> str:
    """CHECK clause: NULL or an integer 0–10."""
    return f"CHECK ({column} IS NULL OR (typeof({column}) = 'integer' AND {column} BETWEEN 0 AND 10))"


def _no_delete_trigger(table: str) -> str:
    """Trigger that makes SQL DELETE on ``table`` fail: user data is only ever flagged deleted."""
    return (
        f"CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'journal rows are never deleted; set the deleted flag instead'); END"
    )


_V1 = _sql(
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"""CREATE TABLE sessions (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        routine     TEXT    NOT NULL,
        title       TEXT    NOT NULL,
        started     TEXT    NOT NULL CHECK (started GLOB {_TIME_GLOB}),
        ended       TEXT             CHECK (ended IS NULL OR ended GLOB {_TIME_GLOB}),
        outcome     TEXT             CHECK (outcome IS NULL OR outcome IN ('completed', 'stopped')),
        pain_before INTEGER          {_pain_check("pain_before")},
        pain_after  INTEGER          {_pain_check("pain_after")},
        steps_done  INTEGER NOT NULL DEFAULT 0 CHECK (steps_done >= 0),
        steps_total INTEGER NOT NULL DEFAULT 0 CHECK (steps_total >= 0),
        left_out    TEXT    NOT NULL DEFAULT '[]',
        deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        edited      TEXT             CHECK (edited IS NULL OR edited GLOB {_TIME_GLOB}),
        CHECK ((ended IS NULL) = (outcome IS NULL))
    )""",
    f"""CREATE TABLE events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        time        TEXT    NOT NULL CHECK (time GLOB {_TIME_GLOB}),
        type        TEXT    NOT NULL CHECK (type GLOB '[a-z]*' AND type NOT GLOB '*[^a-z0-9_]*'),
        session_id  INTEGER          REFERENCES sessions(id) ON DELETE RESTRICT,
        routine     TEXT,
        step        TEXT,
        phase       TEXT,
        side        TEXT,
        rep         INTEGER,
        seconds     REAL,
        pain        INTEGER          {_pain_check("pain")},
        symptoms    TEXT    NOT NULL DEFAULT '[]',
        note        TEXT,
        data        TEXT    NOT NULL DEFAULT '{{}}',
        deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        edited      TEXT             CHECK (edited IS NULL OR edited GLOB {_TIME_GLOB})
    )""",
    f"""CREATE TABLE changes (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        time        TEXT    NOT NULL CHECK (time GLOB {_TIME_GLOB}),
        kind        TEXT    NOT NULL CHECK (kind IN ('event', 'session')),
        row_id      INTEGER NOT NULL,
        action      TEXT    NOT NULL CHECK (action IN ('update', 'delete', 'restore')),
        before      TEXT    NOT NULL DEFAULT '{{}}'
    )""",
    "CREATE INDEX events_time ON events(time, id)",
    "CREATE INDEX events_session ON events(session_id)",
    "CREATE INDEX events_routine_time ON events(routine, time)",
    "CREATE INDEX sessions_started ON sessions(started, id)",
    "CREATE INDEX sessions_routine_started ON sessions(routine, started)",
    "CREATE INDEX changes_row ON changes(kind, row_id)",
    _no_delete_trigger("sessions"),
    _no_delete_trigger("events"),
    _no_delete_trigger("changes"),
)

# MIGRATIONS[i] takes a file from user_version i to i + 1. Append only; never edit a released entry.
MIGRATIONS: list[Migration] = [_V1]

# Columns the code relies on; a file at a known version that lacks them is malformed.
_REQUIRED_COLUMNS: Final[Mapping[str, frozenset[str]]] = {
    "sessions": frozenset(
        [
            "id",
            "routine",
            "title",
            "started",
            "ended",
            "outcome",
            "pain_before",
            "pain_after",
            "steps_done",
            "steps_total",
            "left_out",
            "deleted",
            "edited",
        ]
    ),
    "events": frozenset(
        [
            "id",
            "time",
            "type",
            "session_id",
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
            "deleted",
            "edited",
        ]
    ),
    "changes": frozenset(["id", "time", "kind", "row_id", "action", "before"]),
}


def schema_version() -> int:
    """The journal format this code writes: the number of migrations."""
    return len(MIGRATIONS)


# ----------------------------------------------------------------------------------------------------------
# Records
# ----------------------------------------------------------------------------------------------------------


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


_EVENT_COLUMNS: Final = (
    "id, time, type, session_id, routine, step, phase, side, rep, seconds, pain, symptoms, note, data, deleted, edited"
)
_JSON_COLUMNS: Final = frozenset({"symptoms", "data", "left_out"})
_SESSION_COLUMNS: Final = (
    "id, routine, title, started, ended, outcome, pain_before, pain_after, steps_done, steps_total, "
    "left_out, deleted, edited"
)


def format_time(moment: datetime) -> str:
    """The stored form of an aware datetime: UTC, milliseconds, '+00:00' (fixed width, sorts as text)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"journal times must be timezone-aware, got naive {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_time(text: str) -> datetime:
    """The aware UTC datetime of a stored time string."""
    return datetime.fromisoformat(text).astimezone(UTC)


def _parse_optional_time(text: str | None) -> datetime | None:
    """parse_time that passes None through."""
    return None if text is None else parse_time(text)


def _load_list(text: str | None) -> tuple[str, ...]:
    """A stored JSON list of strings; a damaged value comes back whole rather than breaking the listing."""
    if not text:
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        return (text,)
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return (str(value),)


def _load_object(text: str | None) -> dict[str, Any]:
    """A stored JSON object; a damaged value comes back under '_raw' rather than breaking the listing."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"_raw": text}
    return value if isinstance(value, dict) else {"_value": value}


def _load_json(text: str | None) -> Any:
    """A stored JSON value, or the text itself if it is not valid JSON."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _event_from_row(row: Sequence[Any]) -> Event:
    """An Event from a row selected with _EVENT_COLUMNS."""
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
        data=_load_object(row[13]),
        deleted=bool(row[14]),
        edited=_parse_optional_time(row[15]),
    )


def _session_from_row(row: Sequence[Any]) -> Session:
    """A Session from a row selected with _SESSION_COLUMNS."""
    return Session(
        id=row[0],
        routine=row[1],
        title=row[2],
        started=parse_time(row[3]),
        ended=_parse_optional_time(row[4]),
        outcome=row[5],
        pain_before=row[6],
        pain_after=row[7],
        steps_done=row[8],
        steps_total=row[9],
        left_out=_load_list(row[10]),
        deleted=bool(row[11]),
        edited=_parse_optional_time(row[12]),
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
        "edited": None if event.edited is None else format_time(event.edited),
    }


def session_to_json(session: Session) -> dict[str, Any]:
    """A JSON-ready dict of a session; times are ISO 8601 with offset."""
    return {
        "id": session.id,
        "routine": session.routine,
        "title": session.title,
        "started": format_time(session.started),
        "ended": None if session.ended is None else format_time(session.ended),
        "outcome": session.outcome,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "steps_done": session.steps_done,
        "steps_total": session.steps_total,
        "left_out": list(session.left_out),
        "deleted": session.deleted,
        "edited": None if session.edited is None else format_time(session.edited),
    }


# ----------------------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------------------


def _now(now: datetime | None) -> str:
    """The stored form of ``now`` (default: the current UTC time)."""
    return format_time(datetime.now(UTC) if now is None else now)


def _pain(value: object, what: str = "pain") -> int | None:
    """A pain rating 0–10 or None; anything else is a ValueError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not _MIN_PAIN <= value <= _MAX_PAIN:
        raise ValueError(f"{what} must be a whole number from {_MIN_PAIN} to {_MAX_PAIN} or None, got {value!r}")
    return value


def _count(value: object, what: str) -> int:
    """A non-negative int."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a whole number >= 0, got {value!r}")
    return value


def _optional_int(value: object, what: str) -> int | None:
    """An int or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number or None, got {value!r}")
    return value


def _seconds(value: object) -> float | None:
    """Seconds into a step: a finite number >= 0, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ValueError(f"seconds must be a finite number >= 0 or None, got {value!r}")
    return float(value)


def _text(value: object, what: str) -> str | None:
    """A str or None."""
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{what} must be text or None, got {value!r}")
    return value


def _required_text(value: object, what: str) -> str:
    """A non-empty str."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be non-empty text, got {value!r}")
    return value


def _names(value: object, what: str) -> str:
    """A sequence of strings (not a bare string) as a JSON list."""
    if value is None:
        return "[]"
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValueError(f"{what} must be a list of text, got {value!r}")
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{what} must be a list of text, got item {item!r}")
    return json.dumps(items, ensure_ascii=False)


def _object(value: object) -> str:
    """A mapping with text keys, JSON-serialisable, as a JSON object."""
    if value is None:
        return "{}"
    if not isinstance(value, Mapping):
        raise ValueError(f"data must be a mapping, got {value!r}")
    for key in value:
        if not isinstance(key, str):
            raise ValueError(f"data keys must be text, got {key!r}")
    try:
        return json.dumps(dict(value), ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"data must be JSON-serialisable: {exc}") from None


def _event_type(value: object) -> str:
    """A lowercase identifier such as 'pain_stop'."""
    if not isinstance(value, str) or not _TYPE_RE.match(value):
        raise ValueError(f"event type must be a lowercase identifier like 'timer_start', got {value!r}")
    return value


# ----------------------------------------------------------------------------------------------------------
# Errors and files
# ----------------------------------------------------------------------------------------------------------


def _primary_code(exc: sqlite3.Error) -> int | None:
    """The primary SQLite result code of an exception, if known."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _is_corrupt(exc: sqlite3.Error) -> bool:
    """Whether an SQLite error says the file itself is damaged or not a database."""
    if _primary_code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    message = str(exc).lower()
    return "not a database" in message or "malformed" in message


def _environment_error(path: Path, exc: sqlite3.Error, doing: str) -> JournalError:
    """A JournalError with a plain message for an SQLite error caused by the environment."""
    code = _primary_code(exc)
    if code == _SQLITE_FULL:
        advice = "the disk is full. Free some space and try again"
    elif code in (_SQLITE_READONLY, _SQLITE_PERM):
        advice = f"the file or its folder is read-only. Make {path.parent} writable for your user"
    elif code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        advice = "another program (perhaps a second SpasmCoach) is holding it. Close it and try again"
    elif code == _SQLITE_CANTOPEN:
        advice = f"the file cannot be opened. Check that {path.parent} exists and is writable"
    elif _is_corrupt(exc):
        advice = "the file appears damaged. Restart SpasmCoach: it will set the damaged file aside"
    elif code == _SQLITE_IOERR:
        advice = "the disk reported an input/output error. Check the disk"
    else:
        advice = "check the disk and the folder's permissions"
    return JournalError(f"Could not {doing} the journal {path}: {exc}; {advice}.")


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (new or renamed files) to disk where the platform allows it."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _check_usable(path: Path) -> None:
    """JournalError unless the journal's folder and file (if any) can be read and written."""
    folder = path.parent
    if path.is_dir():
        raise JournalError(f"The journal {path} is a folder, not a file. Move that folder away and try again.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise JournalError(
            f"The journal cannot be saved: the folder {folder} is read-only. Make it writable for your user "
            f"or set {paths.HOME_ENV} to a folder you can write to."
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise JournalError(
            f"The journal {path} is read-only or unreadable. Make it readable and writable for your user."
        )


def _make_folder(folder: Path) -> None:
    """Create the journal's folder; JournalError if impossible."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(
            f"Cannot create the journal folder {folder}: {exc.strerror or exc}. Check that its parent exists "
            f"and is writable, or set {paths.HOME_ENV} to a folder you can write to."
        ) from exc


def _companions(path: Path) -> list[tuple[Path, str]]:
    """The journal file and its SQLite side files, with the suffix each keeps when moved."""
    return [(path, ""), *((path.with_name(path.name + s), s) for s in ("-wal", "-shm", "-journal"))]


def _move_aside(path: Path, moment: datetime | None = None) -> Path:
    """Rename a damaged journal (and its -wal/-shm/-journal) to '<name>.corrupt-<UTC time>'; never deletes."""
    stamp = (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    base = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while any(base.with_name(base.name + suffix).exists() for _, suffix in _companions(path)):
        counter += 1
        base = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    moved: list[Path] = []
    try:
        for source, suffix in _companions(path):
            if source.exists():
                destination = base.with_name(base.name + suffix)
                os.rename(source, destination)
                moved.append(destination)
    except OSError as exc:
        raise JournalError(
            f"The journal {path} is damaged and could not be moved aside to {base}: {exc.strerror or exc}. "
            f"Move it away by hand (do not delete it) and start SpasmCoach again."
        ) from exc
    _fsync_dir(path.parent)
    return moved[0] if moved else base


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the journal to '<name>.v<version>-backup' before migrating it, so an upgrade can be undone."""
    backup = path.with_name(f"{path.name}.v{version}-backup")
    if backup.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = path.with_name(f"{path.name}.v{version}-backup-{stamp}")
    destination = sqlite3.connect(str(backup))
    try:
        conn.backup(destination)
    finally:
        destination.close()
    _fsync_dir(path.parent)
    return backup


def _scalar(conn: sqlite3.Connection, sql: str) -> Any:
    """The first column of the first row of ``sql``."""
    row = conn.execute(sql).fetchone()
    return None if row is None else row[0]


def _check_header(path: Path) -> None:
    """_Corrupt if the file is plainly not SQLite, checked before SQLite can delete a stray -wal beside it."""
    try:
        with open(path, "rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        header = b""
    except OSError as exc:
        raise JournalError(f"Cannot read the journal {path}: {exc.strerror or exc}. Check its permissions.") from exc
    if header:
        if header != _SQLITE_HEADER:
            raise _Corrupt("the file is not an SQLite database")
        return
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # SQLite deletes the log of an empty database file; keep it instead.
        raise _Corrupt("the journal file is empty but its write-ahead log is not")


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
    """Check, switch to WAL and migrate a freshly opened connection; _Corrupt if the file must go aside."""
    try:
        _set_pragmas(conn)
        version = int(_scalar(conn, "PRAGMA user_version"))
        check = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        application_id = int(_scalar(conn, "PRAGMA application_id"))
        has_tables = _scalar(conn, "SELECT count(*) FROM sqlite_master") > 0
    except sqlite3.Error as exc:
        if _is_corrupt(exc):
            raise _Corrupt(str(exc)) from exc
        raise _environment_error(path, exc, "open") from exc
    if check != ["ok"]:
        raise _Corrupt("integrity check failed: " + "; ".join(str(line) for line in check[:5]))
    blank = application_id == 0 and version == 0 and not has_tables
    if application_id != APPLICATION_ID and not blank:
        raise _Corrupt("the file is an SQLite database but not a SpasmCoach journal")
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
            _migrate(conn, path, version)
        _check_schema(conn)
    except sqlite3.Error as exc:
        if _is_corrupt(exc):
            raise _Corrupt(str(exc)) from exc
        raise _environment_error(path, exc, "open") from exc


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Apply pending migrations and set user_version in one transaction; back up a non-empty file first."""
    migrations = list(MIGRATIONS)
    target = len(migrations)
    if version >= 1:
        try:
            _backup(conn, path, version)
        except (sqlite3.Error, OSError) as exc:
            raise JournalError(
                f"Could not back up the journal {path} before upgrading it: {exc}. Free some disk space and "
                f"try again. The journal has not been changed."
            ) from exc
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = int(_scalar(conn, "PRAGMA user_version"))  # another process may have migrated meanwhile
        if current > target:
            raise JournalError(
                f"The journal {path} was just upgraded by a newer SpasmCoach (format {current}). Update "
                f"SpasmCoach to open it."
            )
        for step in range(current, target):
            migrations[step](conn)
        conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error) and not _is_corrupt(exc):
            code = _primary_code(exc)
            if code in (
                _SQLITE_FULL,
                _SQLITE_READONLY,
                _SQLITE_PERM,
                _SQLITE_BUSY,
                _SQLITE_LOCKED,
                _SQLITE_IOERR,
                _SQLITE_CANTOPEN,
            ):
                raise
            raise JournalError(
                f"Could not upgrade the journal {path} from format {version} to {target}: {exc}. The journal "
                f"has not been changed; please report this."
            ) from exc
        raise


def _check_schema(conn: sqlite3.Connection) -> None:
    """_Corrupt if a table or column the code needs is missing."""
    for table, needed in _REQUIRED_COLUMNS.items():
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        missing = needed - present
        if missing:
            raise _Corrupt(f"table {table!r} lacks {', '.join(sorted(missing))}")


# ----------------------------------------------------------------------------------------------------------
# The journal
# ----------------------------------------------------------------------------------------------------------


class Journal:
    """The user's journal file; create with :meth:`open`. Safe to share between threads."""

    path: Path
    recovered_from: Path | None

    def __init__(self, conn: sqlite3.Connection, path: Path, recovered_from: Path | None) -> None:
        """Internal: use Journal.open."""
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self.path = path
        # Where a damaged journal was moved to during open (the GUI tells the user), else None.
        self.recovered_from = recovered_from

    # -- opening and closing ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None) -> Journal:
        """Open (creating and migrating) the journal; a damaged file is moved aside and a new one started."""
        if path is None:
            try:
                paths.ensure_data_dir()
            except paths.DataDirError as exc:
                raise JournalError(f"Cannot open the journal: {exc}.") from exc
            target = paths.journal_path()
        else:
            target = Path(path).expanduser().absolute()
            _make_folder(target.parent)
        _check_usable(target)
        recovered: Path | None = None
        for _attempt in range(2):
            existed = target.exists()
            conn: sqlite3.Connection | None = None
            try:
                _check_header(target)
                try:
                    conn = _connect(target)
                except sqlite3.Error as exc:
                    raise _environment_error(target, exc, "open") from exc
                _prepare(conn, target)
            except _Corrupt as exc:
                if conn is not None:
                    conn.close()
                if recovered is not None:
                    raise JournalError(
                        f"A new journal at {target} could not be started ({exc}). Check the disk."
                    ) from exc
                recovered = _move_aside(target)
                continue
            except BaseException:
                if conn is not None:
                    conn.close()
                raise
            if not existed:
                _fsync_dir(target.parent)
            return cls(conn, target, recovered)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        """Close the file (idempotent); the last connection folds the WAL back into the main file."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Journal:
        """Use as a context manager that closes on exit."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close on leaving the with-block."""
        self.close()

    def __repr__(self) -> str:
        """Show the file, for logs."""
        return f"Journal({str(self.path)!r})"

    # -- transactions -------------------------------------------------------------------------------------

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
                raise _environment_error(self.path, exc, "save to") from exc
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
                    raise _environment_error(self.path, exc, "save to") from exc
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
                raise _environment_error(self.path, exc, "read") from exc

    @staticmethod
    def _insert_event(conn: sqlite3.Connection, values: Mapping[str, Any]) -> int:
        """Insert one validated event row and return its id."""
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = conn.execute(f"INSERT INTO events ({columns}) VALUES ({marks})", tuple(values.values()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    @staticmethod
    def _log_change(
        conn: sqlite3.Connection, time: str, kind: str, row_id: int, action: str, before: Mapping[str, Any]
    ) -> None:
        """Keep the previous values of a row about to change, so no edit loses what the user logged."""
        conn.execute(
            "INSERT INTO changes (time, kind, row_id, action, before) VALUES (?, ?, ?, ?, ?)",
            (time, kind, row_id, action, json.dumps(dict(before), ensure_ascii=False)),
        )

    @staticmethod
    def _require_session(conn: sqlite3.Connection, session_id: int | None) -> None:
        """LookupError unless session_id is None or an existing session."""
        if session_id is None:
            return
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise ValueError(f"session_id must be a whole number or None, got {session_id!r}")
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise LookupError(f"no session with id {session_id} in the journal")

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
        routine = _required_text(routine, "routine")
        title = _required_text(title, "title")
        pain_before = _pain(pain_before, "pain_before")
        steps_total = _count(steps_total, "steps_total")
        left_out_json = _names(left_out, "left_out")
        time = _now(now)
        data = _object({"title": title, "steps_total": steps_total, "left_out": json.loads(left_out_json)})
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (routine, title, started, pain_before, steps_total, left_out) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (routine, title, time, pain_before, steps_total, left_out_json),
            )
            session_id = cursor.lastrowid
            assert session_id is not None
            self._insert_event(
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
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
        steps_done = _count(steps_done, "steps_done")
        time = _now(now)
        with self._write() as conn:
            self._require_session(conn, session_id)
            routine, ended, steps_total = conn.execute(
                "SELECT routine, ended, steps_total FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            if ended is not None:
                raise ValueError(f"session {session_id} already ended at {ended}")
            conn.execute(
                "UPDATE sessions SET ended = ?, outcome = ?, steps_done = ? WHERE id = ?",
                (time, outcome, steps_done, session_id),
            )
            data = _object({"outcome": outcome, "steps_done": steps_done, "steps_total": steps_total})
            return self._insert_event(
                conn,
                {
                    "time": time,
                    "type": "session_end",
                    "session_id": session_id,
                    "routine": routine,
                    "data": data,
                },
            )

    def set_session_pain(
        self,
        session_id: int,
        *,
        before: int | None | _Unset = UNSET,
        after: int | None | _Unset = UNSET,
        now: datetime | None = None,
    ) -> None:
        """Set the session's pain before and/or after (only those given); old values go to the change log.

        The rating also lands on the session's start or end event, so the event log tells the whole story
        (a rating given after the routine updates the session_end record written when it ended)."""
        updates: dict[str, int | None] = {}
        event_pain: dict[str, int | None] = {}
        if before is not UNSET:
            updates["pain_before"] = event_pain["session_start"] = _pain(before, "pain before")
        if after is not UNSET:
            updates["pain_after"] = event_pain["session_end"] = _pain(after, "pain after")
        time = _now(now)
        with self._write() as conn:
            self._require_session(conn, session_id)
            if not updates:
                return
            self._update_row(conn, "sessions", "session", session_id, updates, time)
            for event_type, pain in event_pain.items():
                rows = conn.execute(
                    "SELECT id FROM events WHERE session_id = ? AND type = ?", (session_id, event_type)
                ).fetchall()
                for (event_id,) in rows:
                    self._update_row(conn, "events", "event", event_id, {"pain": pain}, time)

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
            routine=_required_text(routine, "routine"),
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
        values: dict[str, Any] = {
            "time": _now(now),
            "type": _event_type(type),
            "session_id": session_id,
            "routine": _text(routine, "routine"),
            "step": _text(step, "step"),
            "phase": _text(phase, "phase"),
            "side": _text(side, "side"),
            "rep": _optional_int(rep, "rep"),
            "seconds": _seconds(seconds),
            "pain": _pain(pain),
            "symptoms": _names(symptoms, "symptoms"),
            "note": _text(note, "note"),
            "data": _object(data),
        }
        with self._write() as conn:
            self._require_session(conn, session_id)
            return self._insert_event(conn, values)

    def update_event(
        self,
        event_id: int,
        *,
        pain: int | None | _Unset = UNSET,
        symptoms: Sequence[str] | None | _Unset = UNSET,
        note: str | None | _Unset = UNSET,
        data: Mapping[str, Any] | None | _Unset = UNSET,
        now: datetime | None = None,
    ) -> None:
        """Change only the given fields of an event and set 'edited'; the old values go to the change log."""
        updates: dict[str, Any] = {}
        if pain is not UNSET:
            updates["pain"] = _pain(pain)
        if symptoms is not UNSET:
            updates["symptoms"] = _names(symptoms, "symptoms")
        if note is not UNSET:
            updates["note"] = _text(note, "note")
        if data is not UNSET:
            updates["data"] = _object(data)
        time = _now(now)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is None:
                raise LookupError(f"no event with id {event_id} in the journal")
            if updates:
                self._update_row(conn, "events", "event", event_id, updates, time)

    def delete_event(self, event_id: int, *, now: datetime | None = None) -> None:
        """Hide an event (soft delete: only its flag changes)."""
        self._set_deleted("events", "event", event_id, True, now)

    def restore_event(self, event_id: int, *, now: datetime | None = None) -> None:
        """Undo delete_event."""
        self._set_deleted("events", "event", event_id, False, now)

    def _update_row(
        self,
        conn: sqlite3.Connection,
        table: str,
        kind: str,
        row_id: int,
        updates: Mapping[str, Any],
        time: str,
    ) -> None:
        """Log the old values of ``updates``' columns, then write them and set 'edited' (inside a write)."""
        columns = list(updates)
        old = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (row_id,)).fetchone()
        before = {
            column: _load_json(value) if column in _JSON_COLUMNS else value
            for column, value in zip(columns, old, strict=True)
        }
        self._log_change(conn, time, kind, row_id, "update", before)
        assignments = ", ".join(f"{column} = ?" for column in columns)
        conn.execute(
            f"UPDATE {table} SET {assignments}, edited = ? WHERE id = ?",
            (*updates.values(), time, row_id),
        )

    def _set_deleted(self, table: str, kind: str, row_id: int, deleted: bool, now: datetime | None) -> None:
        """Set one row's deleted flag (idempotent) and log it; LookupError for an unknown id."""
        time = _now(now)
        with self._write() as conn:
            row = conn.execute(f"SELECT deleted FROM {table} WHERE id = ?", (row_id,)).fetchone()
            if row is None:
                raise LookupError(f"no {kind} with id {row_id} in the journal")
            if bool(row[0]) == deleted:
                return
            self._log_change(conn, time, kind, row_id, "delete" if deleted else "restore", {"deleted": row[0]})
            conn.execute(f"UPDATE {table} SET deleted = ? WHERE id = ?", (int(deleted), row_id))

    # -- reading ------------------------------------------------------------------------------------------

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
        columns = ", ".join(f"e.{column.strip()}" for column in _EVENT_COLUMNS.split(","))
        sql = f"SELECT {columns} FROM events e LEFT JOIN sessions s ON s.id = e.session_id"
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
        return [_event_from_row(row) for row in rows]

    def event(self, event_id: int) -> Event | None:
        """One event by id (deleted or not), or None."""
        with self._read() as conn:
            row = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,)).fetchone()
        return None if row is None else _event_from_row(row)

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
        sql = f"SELECT {_SESSION_COLUMNS} FROM sessions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started, id"
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [_session_from_row(row) for row in rows]

    def session(self, session_id: int) -> Session | None:
        """One session by id (deleted or not), or None."""
        with self._read() as conn:
            row = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return None if row is None else _session_from_row(row)

    def last_session(self, routine: str) -> Session | None:
        """The routine's most recently started session that is not deleted, or None."""
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE routine = ? AND deleted = 0 "
                f"ORDER BY started DESC, id DESC LIMIT 1",
                (routine,),
            ).fetchone()
        return None if row is None else _session_from_row(row)

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
                f"SELECT {_EVENT_COLUMNS} FROM events WHERE session_id = ? AND type = 'pain_stop' "
                f"AND deleted = 0 ORDER BY time DESC, id DESC LIMIT 1",
                (last[0],),
            ).fetchone()
        return None if row is None else _event_from_row(row)

    def history(self, kind: Literal["event", "session"], row_id: int) -> list[Change]:
        """Every edit, delete and restore of one event or session, oldest first, with the values before it."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, time, kind, row_id, action, before FROM changes WHERE kind = ? AND row_id = ? ORDER BY id",
                (kind, row_id),
            ).fetchall()
        return [
            Change(id=r[0], time=parse_time(r[1]), kind=r[2], row_id=r[3], action=r[4], before=_load_object(r[5]))
            for r in rows
        ]
