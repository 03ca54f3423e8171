"""The journal's file on disk: checks before opening, setting a damaged journal aside, backups before upgrades.

A damaged file is moved aside with its SQLite side files, never removed.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Final

from spasmcoach.core import paths, storage

from .errors import Corrupt, JournalError

SQLITE_HEADER: Final = b"SQLite format 3\x00"
# SQLite's side files beside the journal; they travel with it when it is moved aside.
SIDE_FILES: Final = ("-wal", "-shm", "-journal")


def check_usable(path: Path) -> None:
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


def make_folder(folder: Path) -> None:
    """Create the journal's folder; JournalError if impossible."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(
            f"Cannot create the journal folder {folder}: {exc.strerror or exc}. Check that its parent exists "
            f"and is writable, or set {paths.HOME_ENV} to a folder you can write to."
        ) from exc


def check_header(path: Path) -> None:
    """Corrupt if the file is plainly not SQLite, checked before SQLite can delete a stray -wal beside it."""
    try:
        storage.check_regular_or_missing(path, "journal")  # a FIFO or a device would block the open below
    except storage.StorageError as exc:
        raise JournalError(f"{exc} Move it away and try again.") from exc
    try:
        with open(path, "rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        header = b""
    except OSError as exc:
        raise JournalError(f"Cannot read the journal {path}: {exc.strerror or exc}. Check its permissions.") from exc
    if header:
        if header != SQLITE_HEADER:
            raise Corrupt("the file is not an SQLite database")
        return
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # SQLite deletes the log of an empty database file; keep it instead.
        raise Corrupt("the journal file is empty but its write-ahead log is not")


def move_aside(path: Path) -> Path:
    """Rename a damaged journal (and its side files) to '<name>.corrupt-<UTC time>'; returns the new name."""
    try:
        return storage.move_aside(path, "corrupt", SIDE_FILES)
    except storage.StorageError as exc:
        raise JournalError(str(exc)) from exc


def backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the journal to '<name>.v<version>-backup' before migrating it, so an upgrade can be undone."""
    target = path.with_name(f"{path.name}.v{version}-backup")
    if target.exists():
        target = path.with_name(f"{path.name}.v{version}-backup-{storage.stamp()}")
    destination = sqlite3.connect(str(target))
    try:
        conn.backup(destination)
    finally:
        destination.close()
    storage.fsync_dir(path.parent)
    return target
