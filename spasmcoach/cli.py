"""The ``spasmcoach`` entry point: terminal commands run from ``spasmcoach.commands``; the rest opens the window.

This module sits above both the GUI and the commands, so neither has to import the other.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from .commands import main as commands

SHARED_SUFFIX = ".spasmcoach"  # a routine package made by ``spasmcoach export``


def _open_window(args: argparse.Namespace) -> int:
    """Start (or hand over to) the app for ``args``; Qt is imported only here."""
    from .gui.app import run_gui

    return commands.guarded(lambda: run_gui(args))


def _opens_window_only(arguments: Sequence[str]) -> bool:
    """True for the command lines that only open the window (none, ``--hidden``, ``--theme X``, ``run ROUTINE
    …``): they are parsed without importing the terminal commands' modules, which start-up does not need."""
    rest = list(arguments)
    while rest and (rest[0] == "--hidden" or rest[0].startswith("--theme=") or (rest[0] == "--theme" and rest[1:])):
        del rest[: 2 if rest[0] == "--theme" else 1]
    return not rest or (rest[0] in commands.WINDOW_ONLY_COMMANDS and "-h" not in rest and "--help" not in rest)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """``spasmcoach [COMMAND ...]``: the exit code. ``spasmcoach FILE.spasmcoach`` (how a file manager opens a
    shared routine) means ``spasmcoach open FILE.spasmcoach``."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0].lower().endswith(SHARED_SUFFIX):
        arguments.insert(0, "open")
    args = commands.build_parser(full=not _opens_window_only(arguments)).parse_args(arguments)
    code = commands.run(args, out) if args.handler is not None else 0
    if code == 0 and args.window:
        return _open_window(args)
    return code
