"""argparse's own words ("usage:", "options", its error lines) in the chosen language.

argparse looks its words up through :mod:`gettext`'s global domain, which SpasmCoach does not use; these
msgids are listed here (so the extractor puts them in our catalogue) and :func:`install` points argparse's
lookup at ours. Only the words users meet are listed; argparse's programming errors stay in English.
"""

from __future__ import annotations

import argparse

from spasmcoach.core import i18n
from spasmcoach.core.i18n import N_

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)


def install() -> None:
    """Make argparse translate through SpasmCoach's catalogue (call after the language is chosen)."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
