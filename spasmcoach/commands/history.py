"""Terminal commands for the history: ``spasmcoach log --csv`` and ``spasmcoach report -o FILE.pdf``.

Neither creates a journal that does not exist yet. ``report`` loads Qt (QtGui only, on the offscreen
platform unless QT_QPA_PLATFORM says otherwise), so it works over SSH and without a display.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from .core import paths
from .core.insights import day_range, plural, write_events_csv
from .core.journal import Journal, JournalError

DEFAULT_REPORT_DAYS = 7  # without --since (and no recorded spasm start): today and the six days before
_app: Any = None  # the QGuiApplication made for the report, kept alive for the process


def write_log_csv(journal: Journal, since: datetime | None, out: TextIO, *, limit: int | None = None) -> int:
    """Every journal event since ``since`` (all if None; the newest ``limit`` if given) as CSV; the count."""
    events = journal.events(since=since)
    if limit:
        events = events[-limit:]
    return write_events_csv(events, out)


def cmd_log_csv(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach log --csv [--since DATE]``: the journal's events as CSV (header only when it is empty)."""
    from .cli import UsageError, parse_since  # late: cli imports this module to wire the commands

    since = parse_since(args.since) if getattr(args, "since", None) else None
    if not paths.journal_path().exists():
        write_events_csv([], out)
        return 0
    try:
        with Journal.open() as journal:
            write_log_csv(journal, since, out)
    except JournalError as exc:
        raise UsageError(str(exc)) from None
    return 0


def default_since(journal: Journal, now: datetime) -> datetime:
    """The report's start without --since: the day the spasm started, else the last seven days."""
    from .core.therapy import current_episode

    episode = current_episode(journal)
    today = now.astimezone().date()
    first = episode.started.astimezone().date() if episode is not None else None
    if first is None or first > today:
        first = today - timedelta(days=DEFAULT_REPORT_DAYS - 1)
    since, _until = day_range(first, None)
    assert since is not None
    return since


def _ensure_gui_app() -> None:
    """A QGuiApplication for fonts and painting, on the offscreen platform unless told otherwise."""
    global _app
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication(["spasmcoach"])


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach report [--since DATE] -o FILE.pdf``: the clinician's PDF report, up to now."""
    from .cli import UsageError, parse_since  # late: cli imports this module to wire the commands

    output = Path(args.output).expanduser()
    if output.is_dir():
        raise UsageError(f"{output} is a folder; give a file name such as {output / 'spasmcoach-report.pdf'}")
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent}: no such folder")
    since = parse_since(args.since) if getattr(args, "since", None) else None
    if not paths.journal_path().exists():
        raise UsageError("the journal is empty: nothing has been logged yet, so there is nothing to report")
    now = datetime.now(UTC)
    if since is not None and since > now:
        raise UsageError(f"--since {args.since} lies in the future")
    _ensure_gui_app()
    from .gui.report import range_text, write_report

    try:
        with Journal.open() as journal:
            result = write_report(journal, output, since=since or default_since(journal, now), now=now)
    except JournalError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"could not write {output}: {exc.strerror or exc}") from None
    counts = [
        plural(result.sessions, "session"),
        plural(result.stops, "pain stop"),
        plural(result.timers, "ice or heat timer", "ice or heat timers"),
    ]
    out.write(
        f"Wrote {output} ({plural(result.pages, 'page')}): {range_text(result.first, result.last)}, "
        f"{', '.join(counts)}.\n"
    )
    return 0
