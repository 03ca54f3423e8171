"""Choosing the language at start: Settings → Language (``settings.ini``) first, else the environment.

Kept apart from :mod:`spasmcoach.core.i18n` because reading the settings file needs :mod:`.storage`, whose
own messages are translated through ``i18n``.
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping
from pathlib import Path

from . import paths
from .i18n import N_, SETTING_KEY, SETTING_SECTION, SHIPPED, SYSTEM, choose_language, load_translation, use
from .storage import StorageError, read_bytes

__all__ = ["language_setting", "setup"]

_SETTINGS_LIMIT = 1 << 20


def language_setting(path: Path | None = None) -> str:
    """Settings → Language as saved in ``settings.ini`` (``"system"`` when unset or unreadable).

    The file is the window's QSettings INI file; the core reads it without Qt, bounded, and never fails
    because of it: a damaged file is the window's business, here it just means "follow the system".
    """
    try:
        target = paths.settings_path() if path is None else path
        text = read_bytes(target, _SETTINGS_LIMIT, N_("settings file")).decode("utf-8", "replace")
    except (StorageError, paths.DataDirError, OSError):
        return SYSTEM
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return SYSTEM
    value = parser.get(SETTING_SECTION, SETTING_KEY, fallback=SYSTEM).strip().strip('"')
    return value if value in SHIPPED else SYSTEM


def setup(language: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Choose the language (``language`` if given, else the setting, else the environment) and use it.

    Call once at start, before any window or help text is built; returns the code chosen.
    """
    chosen = language if language in SHIPPED else choose_language(language_setting(), environ)
    use(load_translation(chosen), chosen)
    return chosen
