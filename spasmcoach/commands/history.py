"""Terminal commands for the history: ``spasmcoach log [--json | --csv]`` and ``spasmcoach report -o FILE.pdf``.

Neither creates a journal that does not exist yet. ``report`` loads Qt (QtGui only, on the offscreen
platform unless QT_QPA_PLATFORM says otherwise), so it works over SSH and without a display.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from spasmcoach.core import paths
from spasmcoach.core.history import write_events_csv
from spasmcoach.core.journal import Event, Journal, JournalError, event_to_json
from spasmcoach.core.wording import day_range, plural, range_text

from .common import UsageError, clean, parse_since

DEFAULT_REPORT_DAYS = 7  # without --since (and no recorded spasm start): today and the six days before
_app: Any = None  # the QGuiApplication made for the report, kept alive for the process


def describe_event(event: Event) -> str:
    """One readable, terminal-safe line for ``spasmcoach log``."""
    when = event.time.astimezone().strftime("%Y-%m-%d %H:%M")
    kind = event.type.replace("_", " ")
    parts = [event.routine or str(event.data.get("preset", "") or "")]
    if event.step:
        where = [event.phase.replace("_", " ") if event.phase else "", event.side or "",
                 f"rep {event.rep}" if event.rep else "",
                 f"{event.seconds:.0f} s in" if event.seconds is not None else ""]  # fmt: skip
        detail = ", ".join(w for w in where if w)
        parts.append(f"at {event.step}" + (f" ({detail})" if detail else ""))
    if event.type == "session_end" and event.data.get("outcome"):
        parts.append(str(event.data["outcome"]))
    if event.pain is not None:
        parts.append(f"pain {event.pain}")
    if event.symptoms:
        parts.append(", ".join(event.symptoms))
    if event.note:
        parts.append(f"“{event.note}”")
    return clean(f"{when}  {kind:<14} " + " · ".join(p for p in parts if p))


def cmd_log(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach log [--json] [--since DATE] [--limit N]``; ``--csv`` goes to :func:`cmd_log_csv`."""
    if getattr(args, "csv", False):
        return cmd_log_csv(args, out)
    if not paths.journal_path().exists():
        if not args.json:
            out.write("The journal is empty: nothing has been logged yet.\n")
        return 0
    since = parse_since(args.since) if args.since else None
    try:
        with Journal.open() as journal:
            events = journal.events(since=since)
    except JournalError as exc:
        raise UsageError(str(exc)) from None
    if args.limit and not args.since:
        events = events[-args.limit :]
    for event in events:
        out.write(
            json.dumps(event_to_json(event), ensure_ascii=False) + "\n" if args.json else describe_event(event) + "\n"
        )
    if not events and not args.json:
        out.write("No entries" + (f" since {clean(args.since)}" if args.since else "") + ".\n")
    return 0


def write_log_csv(journal: Journal, since: datetime | None, out: TextIO, *, limit: int | None = None) -> int:
    """Every journal event since ``since`` (all if None; the newest ``limit`` if given) as CSV; the count."""
    events = journal.events(since=since)
    if limit:
        events = events[-limit:]
    return write_events_csv(events, out)


def cmd_log_csv(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach log --csv [--since DATE]``: the journal's events as CSV (header only when it is empty)."""
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
    from spasmcoach.core.timers import current_episode

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
    from spasmcoach.documents.report import write_report

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
