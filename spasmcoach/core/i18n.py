"""Translation: one gettext domain for the core, the GUI and the terminal; the language chosen once at start.

Every user-visible string goes through :func:`_` (or :func:`ngettext` for counts) where it is shown. A
string defined at import time (a table of titles, a constant) is marked with :func:`N_` and translated
where it is displayed, because the language is chosen after the modules are imported.
"""

from __future__ import annotations

import gettext

DOMAIN = "spasmcoach"

_translation: gettext.NullTranslations = gettext.NullTranslations()


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


def use(translation: gettext.NullTranslations) -> None:
    """Make ``translation`` the one every later :func:`_` call uses."""
    global _translation
    _translation = translation
