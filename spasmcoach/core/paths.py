"""Where the user's data lives: journal, settings, user routines and timer state.

One module decides it. ``SPASMCOACH_HOME`` overrides the platform's standard location (tests always set
it to a temporary folder).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

HOME_ENV = "SPASMCOACH_HOME"
APP_NAME = "SpasmCoach"


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
        raise DataDirError("the platform reported no user data folder; set SPASMCOACH_HOME")
    return path


def ensure_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user data folder, created if needed; DataDirError with a plain message if that fails."""
    path = data_dir(environ)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(f"cannot create the data folder {path}: {exc.strerror or exc}") from exc
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


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Regenerable files such as rendered speech; safe to delete."""
    return data_dir(environ) / "cache"
