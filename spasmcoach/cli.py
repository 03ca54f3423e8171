"""The ``spasmcoach`` command: opens the GUI, or lists, validates and shows routines from the terminal.

User mistakes (unknown routine, bad file, bad argument) get one clear line and exit code 1 or 2, never a
traceback. Qt is imported only by the commands that open a window, so the terminal commands start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .core import loader
from .core.durations import format_clock, format_human
from .core.model import Phase, Routine
from .core.yamlsource import RoutineFileError

if TYPE_CHECKING:
    from .core.journal import Event


class UsageError(Exception):
    """The user asked for something that does not exist or cannot be done; printed as one line."""


def _library_routine(routine_id: str) -> Routine:
    library = loader.load_library()
    routine = library.get(routine_id)
    if routine is not None:
        return routine
    broken = [e for e in library.errors if Path(e.file).stem == routine_id]
    if broken:
        raise UsageError(f"routine '{routine_id}' has errors:\n{broken[0]}")
    known = ", ".join(sorted(library.routines)) or "none"
    raise UsageError(f"no routine called '{routine_id}'. Known routines: {known}")


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    library = loader.load_library()
    routines = library.sorted()
    if args.json:
        rows = [
            {"id": r.id, "title": r.title, "kind": str(r.kind), "area": r.area and str(r.area),
             "total": r.total, "origin": str(r.origin), "path": str(r.path)}
            for r in routines
        ]  # fmt: skip
        json.dump(rows, out, indent=2)
        out.write("\n")
    else:
        table = [("ID", "TITLE", "KIND", "AREA", "TIME", "ORIGIN")]
        table += [(r.id, r.title, r.kind, r.area or "-", format_human(r.total), r.origin) for r in routines]
        widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]))]
        for row in table:
            out.write("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n")
    for error in library.errors:
        sys.stderr.write(f"skipped (broken): {error.problems[0]}\n")
    return 0


def _targets(paths: Sequence[str]) -> list[Path]:
    if not paths:
        files: list[Path] = []
        for folder, _origin in loader.routine_path():
            files += loader.yaml_files(folder)
        return files
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += loader.yaml_files(path)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{raw}: no such file or folder")
    return files


def validate_file(path: Path, images: loader.ImageFinder | None = None) -> None:
    """Raise RoutineFileError if ``path`` (a routine or a timer-preset file) has mistakes."""
    if loader.is_preset_file(path):
        from .core import presets

        presets.load_presets(path)
    else:
        loader.load_routine(path, images=images)


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    files = _targets(args.paths)
    if not files:
        raise UsageError("no routine files found to validate")
    failures = 0
    images = loader.ImageFinder(loader.image_dirs())  # each illustration folder is listed once
    for path in files:
        try:
            validate_file(path, images)
        except RoutineFileError as exc:
            failures += 1
            out.write(f"{exc}\n")
    ok = len(files) - failures
    summary = f"{ok} of {len(files)} file{'s' if len(files) != 1 else ''} valid"
    out.write(summary + (f", {failures} with errors\n" if failures else "\n"))
    return 1 if failures else 0


def _phase_row(phase: Phase) -> dict[str, object]:
    return {
        "start": phase.start, "duration": phase.duration, "step": phase.step.name,
        "kind": str(phase.kind), "side": phase.side, "rep": phase.rep,
    }  # fmt: skip


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    routine = _library_routine(args.routine)
    timeline = routine.timeline()
    if args.json:
        doc = {"id": routine.id, "title": routine.title, "total": timeline.total,
               "phases": [_phase_row(p) for p in timeline.phases]}  # fmt: skip
        json.dump(doc, out, indent=2)
        out.write("\n")
        return 0
    out.write(f"{routine.title} ({routine.id}, {routine.kind}{', ' + routine.area if routine.area else ''})\n\n")
    out.write(f"{'START':>8}  {'LENGTH':>7}  {'PHASE':<10} STEP\n")
    for phase in timeline.phases:
        detail = phase.step.name
        if phase.side:
            detail += f" · {phase.side}"
        if phase.rep is not None and phase.step.reps > 1:
            detail += f" · rep {phase.rep} of {phase.step.reps}"
        out.write(
            f"{format_clock(phase.start):>8}  {format_clock(phase.duration):>7}  {phase.kind.label:<10} {detail}\n"
        )
    out.write(f"\nTotal {format_clock(timeline.total)} ({format_human(timeline.total)})\n")
    return 0


def parse_since(text: str) -> datetime:
    """``--since`` as a date (local midnight) or an ISO 8601 time; naive times are local."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--since takes a date like 2026-11-01 or a time like 2026-11-01T14:30, got {text!r}"
        ) from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def describe_event(event: Event) -> str:
    """One readable line for ``spasmcoach log``."""
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
    return f"{when}  {kind:<14} " + " · ".join(p for p in parts if p)


def cmd_log(args: argparse.Namespace, out: TextIO) -> int:
    from .core import paths
    from .core.journal import Journal, JournalError, event_to_json

    if getattr(args, "csv", False):
        from .history_commands import cmd_log_csv

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
        out.write("No entries" + (f" since {args.since}" if args.since else "") + ".\n")
    return 0


def cmd_timer(args: argparse.Namespace, out: TextIO) -> int:
    """``timer --list`` prints the presets; ``timer PRESET`` starts one (in the running window if any)."""
    from . import timer_commands

    if args.list or args.preset is None:
        return timer_commands.cmd_timer_list(args, out)
    from .core import presets

    known, _errors = presets.load_all_presets()
    if args.preset not in known:
        raise UsageError(f"no timer preset called '{args.preset}'. Known presets: {', '.join(sorted(known)) or 'none'}")
    return cmd_gui(args, out)


def cmd_timers(args: argparse.Namespace, out: TextIO) -> int:
    from . import timer_commands

    return timer_commands.cmd_timers(args, out)


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from .history_commands import cmd_report as write_report  # Qt and the report code load only here

    return write_report(args, out)


def cmd_gui(args: argparse.Namespace, out: TextIO) -> int:
    from .gui.app import run_gui

    return run_gui(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spasmcoach",
        description="A calm, step-by-step guide through back-spasm stretches. Without a command, opens the window.",
        epilog="Not medical advice. Stop at once if pain increases.",
    )
    parser.add_argument("--version", action="version", version=f"spasmcoach {__version__}")
    parser.set_defaults(handler=cmd_gui, routine=None, no_prompt=False, preset=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace, TextIO], int], text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    listing = command("list", cmd_list, "list the routines on the routine path")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    check = command("validate", cmd_validate, "check routine and timer-preset files for mistakes")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the routine path)")
    show = command("show", cmd_show, "print a routine's timeline, phase by phase")
    show.add_argument("routine", metavar="ROUTINE", help="routine id, e.g. lower-back-release")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    log = command("log", cmd_log, "print the journal: sessions, pain stops and timers")
    log_format = log.add_mutually_exclusive_group()
    log_format.add_argument("--json", action="store_true", help="one JSON object per line")
    log_format.add_argument(
        "--csv", action="store_true", help="CSV with a header row, every entry (--limit is ignored)"
    )
    log.add_argument("--since", metavar="DATE", help="only entries from this date or time on (e.g. 2026-11-01)")
    log.add_argument("--limit", type=int, default=50, metavar="N", help="the most recent N entries (default 50)")
    timer = command("timer", cmd_timer, "start an ice or heat timer, or list the presets")
    timer.add_argument("preset", nargs="?", metavar="PRESET", help="preset id, e.g. ice-cycle")
    timer.add_argument("--list", action="store_true", help="list the timer presets")
    timer.add_argument("--json", action="store_true", help="with --list: machine-readable output")
    timers = command("timers", cmd_timers, "show running ice and heat timers with the time left")
    timers.add_argument("--json", action="store_true", help="machine-readable output")
    report = command("report", cmd_report, "write a one-page PDF report for your clinician")
    report.add_argument("--since", metavar="DATE",
                        help="start date (default: the day the spasm started, else the last 7 days)")  # fmt: skip
    report.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write")
    run = command("run", cmd_gui, "open the window straight into a routine and start it")
    run.add_argument("routine", metavar="ROUTINE", help="routine id")
    run.add_argument("--no-prompt", action="store_true", help="skip the pain-rating questions before and after")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args, stream))
    except UsageError as exc:
        sys.stderr.write(f"spasmcoach: {exc}\n")
        return 1
    except ValueError as exc:  # e.g. a bad SPASMCOACH_TIME_SCALE
        sys.stderr.write(f"spasmcoach: {exc}\n")
        return 2
    except BrokenPipeError:
        return 0
