"""The ``spasmcoach`` argument parser and the runner of terminal commands.

A terminal command gets one clear line and exit code 1 or 2 for a user's mistake, never a traceback. The
commands that open a window (none, ``run``) are only parsed here: ``spasmcoach.cli``, which
sits above the GUI, starts them, so nothing here imports Qt widgets.

Each command's module is imported only when that command runs (or, for the commands that add their own
options, when the parser needs them), so opening the window does not import every terminal command first.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from spasmcoach import __version__
from spasmcoach.core import language, paths
from spasmcoach.core.i18n import _
from spasmcoach.core.storage import StorageError

from . import parser_words
from .common import UsageError, clean, warn

Handler = Callable[[argparse.Namespace, TextIO], int]

WINDOW_ONLY_COMMANDS = ("run",)
"""Commands the light parser (``build_parser(full=False)``) knows besides the ones defined in this module."""


def _later(module: str, function: str) -> Handler:
    """The handler ``spasmcoach.commands.<module>.<function>``, its module imported only when it runs."""

    def handler(args: argparse.Namespace, out: TextIO) -> int:
        return int(getattr(importlib.import_module(f"{__package__}.{module}"), function)(args, out))

    handler.__qualname__ = handler.__name__ = f"{module}.{function}"
    return handler


def _timer(args: argparse.Namespace, out: TextIO) -> int:
    """``timer --list`` prints the presets; ``timer PRESET`` starts one in the open window or the saved
    state (no display needed, no window opened)."""
    args.window = False
    if args.list or args.preset is None:
        return _later("timers", "cmd_timer_list")(args, out)
    return _later("timers", "cmd_timer_start")(args, out)


def _log(args: argparse.Namespace, out: TextIO) -> int:
    """``log`` in the format asked for: lines, ``--json``, ``--csv`` or a FHIR Bundle (``--fhir``)."""
    if getattr(args, "fhir", False):
        return _later("diary", "cmd_log_fhir")(args, out)
    return _later("history", "cmd_log")(args, out)


def build_parser(*, full: bool = True) -> argparse.ArgumentParser:
    """Every command and option; ``args.handler`` runs a terminal command, ``args.window`` asks for the app.

    ``full=False`` leaves out the commands whose modules add their own options (diary, reminders, sharing,
    desktop): enough to parse the window's own command lines (none, ``--hidden``, ``--theme``, ``run``)
    without importing those modules; ``spasmcoach.cli`` uses it only for such command lines.
    """
    language.setup()  # the help texts below are in the chosen language (Settings → Language, else the system's)
    parser_words.install()
    parser = argparse.ArgumentParser(
        prog="spasmcoach",
        description=_("A calm, step-by-step guide through back-spasm stretches. Without a command, opens the window."),
        epilog=_("Not medical advice. Stop at once if pain increases."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"spasmcoach {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--hidden", action="store_true", help=_("start without showing the window (timers keep running; used at login)")
    )
    parser.add_argument(
        "--theme",
        choices=("light", "dark", "high-contrast", "system"),
        help=_("the window's colours for this session (default: as chosen in Settings → Appearance)"),
    )
    parser.set_defaults(handler=None, window=True, routine=None, no_prompt=False, preset=None)
    commands = parser.add_subparsers(title=_("commands"), metavar="COMMAND")

    def command(name: str, handler: Handler | None, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler, window=handler is None)
        return sub

    listing = command("list", _later("routines", "cmd_list"), _("list the routines on the routine path"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    check = command(
        "validate", _later("routines", "cmd_validate"), _("check routine and timer-preset files for mistakes")
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help=_("files or folders (default: the routine path)"))
    show = command("show", _later("routines", "cmd_show"), _("print a routine's timeline, phase by phase"))
    show.add_argument("routine", metavar="ROUTINE", help=_("routine id, e.g. lower-back-release"))
    show.add_argument("--json", action="store_true", help=_("machine-readable output"))
    log = command("log", _log, _("print the journal: sessions, pain stops, timers and check-ins"))
    log_format = log.add_mutually_exclusive_group()
    log_format.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    log_format.add_argument(
        "--csv", action="store_true", help=_("CSV with a header row, every entry (--limit is ignored)")
    )
    log_format.add_argument("--fhir", action="store_true", help=_("every pain rating as a FHIR R4 Bundle (JSON)"))
    log.add_argument("--since", metavar="DATE", help=_("only entries from this date or time on (e.g. 2026-11-01)"))
    log.add_argument("--limit", type=int, default=50, metavar="N", help=_("the most recent N entries (default 50)"))
    timer = command("timer", _timer, _("start an ice or heat timer, or list the presets"))
    timer.add_argument("preset", nargs="?", metavar="PRESET", help=_("preset id, e.g. ice-cycle"))
    timer.add_argument("--list", action="store_true", help=_("list the timer presets"))
    timer.add_argument("--json", action="store_true", help=_("with --list: machine-readable output"))
    running = command(
        "timers", _later("timers", "cmd_timers"), _("show running ice and heat timers with the time left")
    )
    running.add_argument("--json", action="store_true", help=_("machine-readable output"))
    report = command("report", _later("history", "cmd_report"), _("write a one-page PDF report for your clinician"))
    report.add_argument("--since", metavar="DATE",
                        help=_("start date (default: the day the spasm started, else the last 7 days)"))  # fmt: skip
    report.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help=_("the PDF file to write"))
    if full:
        from . import diary, reminders, share

        diary.add_parsers(command)
        reminders.add_parsers(command)
        share.add_parsers(command)
    run = command("run", None, _("open the window straight into a routine and start it"))
    run.add_argument("routine", metavar="ROUTINE", help=_("routine id"))
    run.add_argument("--no-prompt", action="store_true", help=_("skip the pain-rating questions before and after"))
    if full:
        from . import desktop

        desktop.add_parser(commands)
    return parser


def guarded(action: Callable[[], int]) -> int:
    """Run a command; a user's mistake becomes one line on standard error and exit 1 (2 for bad settings)."""
    try:
        return int(action())
    except (UsageError, StorageError) as exc:
        warn(f"spasmcoach: {exc}")
        return 1
    except (ValueError, paths.DataDirError) as exc:  # e.g. a bad SPASMCOACH_TIME_SCALE or SPASMCOACH_HOME
        warn(f"spasmcoach: {str(exc).rstrip('.')}.")
        return 2
    except BrokenPipeError:
        return 0


def tolerant(stream: TextIO) -> TextIO:
    """``stream``, re-encoded so that a character the terminal's encoding lacks prints as an escape.

    Under a non-UTF-8 locale (say ISO-8859-1) "·" or "—" would otherwise raise UnicodeEncodeError.
    """
    reconfigure = getattr(stream, "reconfigure", None)
    if isinstance(stream, io.TextIOWrapper) and callable(reconfigure):
        reconfigure(errors="backslashreplace")
    return stream


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run the terminal command ``args`` asks for, writing to ``out`` (standard output by default)."""
    language.setup()
    handler: Handler | None = args.handler
    if handler is None:
        raise UsageError(_("this command opens the window"))
    stream = out or tolerant(sys.stdout)
    tolerant(sys.stderr)

    def checked() -> int:
        paths.check_data_dir()  # a SPASMCOACH_HOME that is a file or too long: one line, exit 2, for every command
        return handler(args, stream)

    return guarded(checked)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Parse ``argv`` and run a terminal command (the window commands are ``spasmcoach.cli``'s)."""
    args = build_parser().parse_args(argv)
    if args.handler is None:
        warn(
            _("spasmcoach: '{value}' opens the window; start it with spasmcoach.cli").format(
                value=clean(" ".join(argv or sys.argv[1:]))
            )
        )
        return 2
    return run(args, out)
