"""The journal's tables, the migrations that build them, and the check that a file has what the code needs.

Rows are never deleted: triggers refuse SQL ``DELETE``; "delete" sets a flag instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from .errors import ENVIRONMENT_CODES, Corrupt, JournalError, is_corrupt, primary_code

# "SpC1" in the SQLite header: tells a SpasmCoach journal from any other SQLite file.
APPLICATION_ID: Final = 0x53704331

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

# Version 2: every write carries a unique key, so a write replayed from the outbox (or a timer event written
# again after a crash) is recognised and applied once. Updates keep their key in the change log.
_V2 = _sql(
    "ALTER TABLE sessions ADD COLUMN key TEXT",
    "ALTER TABLE events ADD COLUMN key TEXT",
    "ALTER TABLE changes ADD COLUMN key TEXT",
    "CREATE UNIQUE INDEX sessions_key ON sessions(key)",
    "CREATE UNIQUE INDEX events_key ON events(key)",
    "CREATE INDEX changes_key ON changes(key)",
)

# MIGRATIONS[i] takes a file from user_version i to i + 1. Append only; never edit a released entry.
MIGRATIONS: list[Migration] = [_V1, _V2]

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


def scalar(conn: sqlite3.Connection, sql: str) -> Any:
    """The first column of the first row of ``sql``."""
    row = conn.execute(sql).fetchone()
    return None if row is None else row[0]


def migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Apply pending migrations and set user_version in one transaction (the caller backs the file up first)."""
    migrations = list(MIGRATIONS)
    target = len(migrations)
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = int(scalar(conn, "PRAGMA user_version"))  # another process may have migrated meanwhile
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
        if isinstance(exc, sqlite3.Error) and not is_corrupt(exc):
            if primary_code(exc) in ENVIRONMENT_CODES:
                raise
            raise JournalError(
                f"Could not upgrade the journal {path} from format {version} to {target}: {exc}. The journal "
                f"has not been changed; please report this."
            ) from exc
        raise


# Columns added by format 2 (an older journal opened read-only has none).
_KEY_COLUMNS: Final = frozenset(["key"])
_KEYS_SINCE: Final = 2


def check_schema(conn: sqlite3.Connection) -> None:
    """Corrupt if a table or column the code needs for the file's format is missing."""
    version = int(scalar(conn, "PRAGMA user_version"))
    for table, needed in _REQUIRED_COLUMNS.items():
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        missing = (needed | _KEY_COLUMNS if version >= _KEYS_SINCE else needed) - present
        if missing:
            raise Corrupt(f"table {table!r} lacks {', '.join(sorted(missing))}")
