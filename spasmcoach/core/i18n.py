"""Translation: one gettext domain for the core, the GUI and the terminal; the language chosen once at start.

Every user-visible string goes through :func:`_` (or :func:`ngettext` for counts) where it is shown. A
string defined at import time (a table of titles, a constant) is marked with :func:`N_` and translated
where it is displayed, because the language is chosen after the modules are imported.

The language comes from Settings → Language when it is set, otherwise from the environment in gettext's
order (``LANGUAGE``, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``). The variables are read here rather than
through ``setlocale``, so ``LANG=de_DE.UTF-8`` chooses German even where that locale is not generated.
Reading the setting and choosing at start is :mod:`spasmcoach.core.language` (it needs the file helpers,
which themselves speak through this module).
"""

from __future__ import annotations

import gettext
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from . import resources

DOMAIN = "spasmcoach"
ENGLISH = "en"
SHIPPED: tuple[str, ...] = ("en", "de")  # English is the source language: it needs no catalogue
SYSTEM = "system"  # the setting's value for "follow the computer's language"
SETTING_SECTION, SETTING_KEY = "ui", "language"  # QSettings key "ui/language" in settings.ini
SETTING_NAME = f"{SETTING_SECTION}/{SETTING_KEY}"
ENV_ORDER: tuple[str, ...] = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

log = logging.getLogger(__name__)

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = ENGLISH


def _(message: str) -> str:
    """``message`` in the chosen language (the English text itself when there is no translation)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted phrase that fits ``count`` in the chosen language."""
    return _translation.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` translated within ``context`` (for short words that mean different things in places)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction without translating it now; call :func:`_` where it is shown."""
    return message


class Labels(Mapping[str, str]):
    """A table of ``key -> N_("label")`` that answers in the chosen language each time it is read.

    For module-level tables (symptoms, word lists) that many pages read: they stay constants, and every
    reader gets today's language without calling :func:`_` itself.
    """

    def __init__(self, labels: Mapping[str, str]) -> None:
        self._labels = dict(labels)

    def __getitem__(self, key: str) -> str:
        return _(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def msgid(self, key: str) -> str:
        """The English label (for exports and files that must not change with the language)."""
        return self._labels[key]


def use(translation: gettext.NullTranslations, language: str | None = None) -> None:
    """Make ``translation`` the one every later :func:`_` call uses."""
    global _translation, _language
    _translation = translation
    if language is not None:
        _language = language


def current_language() -> str:
    """The code of the language in use: ``"en"`` or ``"de"``."""
    return _language


# -- choosing the language ---------------------------------------------------------------------------------


def _code(value: str) -> str | None:
    """'de_DE.UTF-8' -> 'de'; 'C' and 'POSIX' -> 'en'; '' -> None (not set)."""
    value = value.strip()
    if not value:
        return None
    if value in ("C", "POSIX") or value.startswith(("C.", "POSIX.")):
        return ENGLISH
    return value.split(".", 1)[0].split("@", 1)[0].split("_", 1)[0].split("-", 1)[0].lower()


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The shipped language the environment asks for; English when it asks for one we do not ship.

    ``LANGUAGE`` is a colon-separated list of preferences (the first shipped one wins); otherwise the first
    of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides, as it does for every other program.
    """
    env = os.environ if environ is None else environ
    for wanted in env.get("LANGUAGE", "").split(":"):
        code = _code(wanted)
        if code in SHIPPED:
            return code
    for name in ENV_ORDER[1:]:
        code = _code(env.get(name, ""))
        if code is not None:
            return code if code in SHIPPED else ENGLISH
    return ENGLISH


def choose_language(setting: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: the setting when it names a shipped language, else the environment's."""
    if setting in SHIPPED:
        return setting
    return language_from_env(environ)


def locale_dir() -> Path:
    """Where the compiled catalogues live: ``<locale dir>/<lang>/LC_MESSAGES/spasmcoach.mo``."""
    return resources.locale_dir()


def load_translation(language: str, folder: Path | None = None) -> gettext.NullTranslations:
    """The catalogue for ``language``; English text (a NullTranslations) when it is English or missing."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    mo = (locale_dir() if folder is None else folder) / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with mo.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    except (OSError, ValueError, UnicodeDecodeError) as exc:  # a broken install: English, never a crash
        log.warning("the %s translation cannot be read (%s); using English", language, exc)
        return gettext.NullTranslations()
