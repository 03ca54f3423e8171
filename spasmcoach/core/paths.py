"""Where the user's data lives: journal, settings, user routines and timer state.

One module decides it. ``SPASMCOACH_HOME`` overrides the platform's standard location (tests always set
it to a temporary folder).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from spasmcoach.core.i18n import _

HOME_ENV = "SPASMCOACH_HOME"
APP_NAME = "SpasmCoach"
NAME_MAX = 255  # bytes in one file or folder name on Linux file systems
PATH_MAX = 4096  # bytes in a whole path for the Linux kernel
SQLITE_PATH_MAX = 512  # SQLite's own limit (unix VFS) on the journal's full path, in bytes
LONGEST_FILE = "journal.sqlite3-journal"  # the longest name SpasmCoach puts directly in the data folder


class DataDirError(Exception):
    """The user's data folder cannot be used (the environment is wrong, not a bug)."""


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user data folder, not created. Honours ``SPASMCOACH_HOME``."""
    env = os.environ if environ is None else environ
    override = env.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser().absolute()
    path = platformdirs.user_data_path(APP_NAME, appauthor=False)
    if not str(path):
        raise DataDirError(_("the platform reported no user data folder; set SPASMCOACH_HOME"))
    return path


def _where(path: Path) -> str:
    """The path for a message, shortened in the middle when it is absurdly long."""
    text = str(path)
    return text if len(text) <= 160 else f"{text[:70]}…{text[-70:]} ({len(os.fsencode(text)):,} bytes)"


def _from_env(environ: Mapping[str, str] | None) -> str:
    env = os.environ if environ is None else environ
    return _(" (set by {HOME_ENV})").format(HOME_ENV=HOME_ENV) if env.get(HOME_ENV, "").strip() else ""


def check_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user data folder if it can be used (it need not exist yet); DataDirError naming the problem.

    Refused: a path longer than the system allows (PATH_MAX, NAME_MAX per name) or than SQLite allows
    for the journal; a path that is, or runs through, something other than a folder (a file, a FIFO, a
    device). Nothing is created and nothing blocks: only ``stat`` is used.
    """
    path = data_dir(environ)
    origin = _from_env(environ)
    longest = os.fsencode(str(path / LONGEST_FILE))
    too_long_part = next((part for part in path.parts if len(os.fsencode(part)) > NAME_MAX), None)
    if too_long_part is not None:
        raise DataDirError(
            _(
                "the data folder {where}{origin} cannot be used: one of its names is {fsencode:,} bytes "
                "long and this system allows at most {NAME_MAX}"
            ).format(where=_where(path), origin=origin, fsencode=len(os.fsencode(too_long_part)), NAME_MAX=NAME_MAX)
        )
    if len(longest) >= PATH_MAX:
        raise DataDirError(
            _(
                "the data folder {where}{origin} cannot be used: its path is longer than this system "
                "allows ({PATH_MAX:,} bytes)"
            ).format(where=_where(path), origin=origin, PATH_MAX=PATH_MAX)
        )
    if len(longest) > SQLITE_PATH_MAX:
        raise DataDirError(
            _(
                "the data folder {where}{origin} cannot be used: the journal's path would be {longest:,} "
                "bytes long and SQLite allows at most {SQLITE_PATH_MAX}; choose a shorter folder"
            ).format(where=_where(path), origin=origin, longest=len(longest), SQLITE_PATH_MAX=SQLITE_PATH_MAX)
        )
    probe = path
    while True:
        try:
            info = probe.stat()
        except FileNotFoundError:
            probe = probe.parent  # not there yet: its parent must be a folder (or not there either)
            if probe == probe.parent:
                return path
            continue
        except OSError as exc:
            reason = _("a part of it is not a folder") if exc.errno == errno.ENOTDIR else exc.strerror or str(exc)
            raise DataDirError(
                _("the data folder {where}{origin} cannot be used: {reason}").format(
                    where=_where(path), origin=origin, reason=reason
                )
            ) from exc
        if stat.S_ISDIR(info.st_mode):
            return path
        what = "is a file" if stat.S_ISREG(info.st_mode) else "is not a folder"
        raise DataDirError(
            _(
                "the data folder {where}{origin} cannot be used: {where2} {what}; point {HOME_ENV} at a "
                "folder, or move that file away"
            ).format(where=_where(path), origin=origin, where2=_where(probe), what=what, HOME_ENV=HOME_ENV)
        )


def ensure_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user data folder, created if needed; DataDirError with a plain message if that fails."""
    path = check_data_dir(environ)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(
            _("cannot create the data folder {where}: {value}").format(where=_where(path), value=exc.strerror or exc)
        ) from exc
    return path


def user_routines_dir(environ: Mapping[str, str] | None = None) -> Path:
    """User routines and timer presets; a routine here shadows a bundled one with the same id."""
    return data_dir(environ) / "routines"


def journal_path(environ: Mapping[str, str] | None = None) -> Path:
    return data_dir(environ) / "journal.sqlite3"


def timers_state_path(environ: Mapping[str, str] | None = None) -> Path:
    return data_dir(environ) / "timers.json"


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    """Window geometry, sound and first-launch choices: an INI file that the window reads and writes."""
    return data_dir(environ) / "settings.ini"


def drafts_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The routine editor's unsaved work, kept against a crash (``core/editing/files.py``)."""
    return data_dir(environ) / "drafts"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Regenerable files such as rendered speech; safe to delete."""
    return data_dir(environ) / "cache"
