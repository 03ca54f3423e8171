"""What every terminal command shares: the usage error, ``--since`` dates, tables and terminal-safe text."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TextIO

from spasmcoach.core import loader
from spasmcoach.core.i18n import _
from spasmcoach.core.model import Routine
from spasmcoach.core.routine_text import localized_routine

# C0 and C1 control characters other than tab and newline: a routine title or a note must not be able to
# move the cursor, retitle the terminal or ring its bell.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class UsageError(Exception):
    """The user asked for something that does not exist or cannot be done; printed as one line, exit 1."""


def clean(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``), safe to print to a terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def library_routine(routine_id: str) -> Routine:
    """The routine with this id from the library; UsageError naming the known ones (or its errors) if none."""
    library = loader.load_library()
    routine = library.get(routine_id)
    if routine is not None:
        return localized_routine(routine)
    broken = [e for e in library.errors if Path(e.file).stem == routine_id]
    if broken:
        raise UsageError(
            _("routine '{id}' has errors:\n{error}").format(id=clean(routine_id), error=clean(str(broken[0])))
        )
    known = ", ".join(sorted(library.routines)) or _("none")
    raise UsageError(_("no routine called '{id}'. Known routines: {known}").format(id=clean(routine_id), known=known))


def parse_since(text: str) -> datetime:
    """``--since`` as a date (local midnight) or an ISO 8601 time; naive times are local."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            _("--since takes a date like 2026-11-01 or a time like 2026-11-01T14:30, got {text}").format(
                text=clean(repr(text))
            )
        ) from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def write_table(rows: Sequence[Sequence[object]], out: TextIO) -> None:
    """Left-aligned columns, two spaces apart; cells are made terminal-safe."""
    cells = [[clean(str(cell)) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    for row in cells:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n")


_app: object = None  # the QGuiApplication made for painting documents, kept alive for the process


def ensure_gui_app() -> None:
    """A QGuiApplication for fonts and painting PDFs (no widgets), offscreen unless QT_QPA_PLATFORM says otherwise.

    So ``report`` and ``handout`` work over SSH and without a display.
    """
    global _app
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication(["spasmcoach"])


def warn(message: str) -> None:
    """One terminal-safe line on standard error."""
    sys.stderr.write(clean(message) + "\n")
