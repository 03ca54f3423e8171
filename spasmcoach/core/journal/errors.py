"""What can go wrong with the journal file, and SQLite's errors turned into sentences that say what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

# Primary SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
SQLITE_PERM: Final = 3
SQLITE_BUSY: Final = 5
SQLITE_LOCKED: Final = 6
SQLITE_READONLY: Final = 8
SQLITE_IOERR: Final = 10
SQLITE_CORRUPT: Final = 11
SQLITE_FULL: Final = 13
SQLITE_CANTOPEN: Final = 14
SQLITE_NOTADB: Final = 26

# Codes that describe the machine (disk, permissions, another program), not the journal's content.
ENVIRONMENT_CODES: Final = frozenset(
    {SQLITE_FULL, SQLITE_READONLY, SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CANTOPEN}
)


class JournalError(Exception):
    """The environment is wrong (read-only, full disk, locked, newer format); the message says what to do.

    ``code`` is SQLite's primary result code when SQLite refused (e.g. SQLITE_BUSY), else None.
    """

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class Corrupt(Exception):
    """Internal: the file is damaged or not a SpasmCoach journal, so it must be moved aside."""


def primary_code(exc: sqlite3.Error) -> int | None:
    """The primary SQLite result code of an exception, if known."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def is_corrupt(exc: sqlite3.Error) -> bool:
    """Whether an SQLite error says the file itself is damaged or not a database."""
    if primary_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return True
    message = str(exc).lower()
    return "not a database" in message or "malformed" in message


def environment_error(path: Path, exc: sqlite3.Error, doing: str) -> JournalError:
    """A JournalError with a plain message for an SQLite error caused by the environment."""
    code = primary_code(exc)
    if code == SQLITE_FULL:
        advice = "the disk is full. Free some space and try again"
    elif code in (SQLITE_READONLY, SQLITE_PERM):
        advice = f"the file or its folder is read-only. Make {path.parent} writable for your user"
    elif code in (SQLITE_BUSY, SQLITE_LOCKED):
        advice = "another program (perhaps a second SpasmCoach) is holding it. Close it and try again"
    elif code == SQLITE_CANTOPEN:
        advice = f"the file cannot be opened. Check that {path.parent} exists and is writable"
    elif is_corrupt(exc):
        advice = "the file appears damaged. Restart SpasmCoach: it will set the damaged file aside"
    elif code == SQLITE_IOERR:
        advice = "the disk reported an input/output error. Check the disk"
    else:
        advice = "check the disk and the folder's permissions"
    return JournalError(f"Could not {doing} the journal {path}: {exc}; {advice}.", code)
