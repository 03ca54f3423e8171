"""Hand routines on: ``spasmcoach export``, ``spasmcoach import`` and ``spasmcoach schema``."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from spasmcoach.core import paths, sharing
from spasmcoach.core.yamlsource import RoutineFileError

from .common import UsageError, clean, ensure_gui_app, library_routine

Handler = Callable[[argparse.Namespace, TextIO], int]
AddCommand = Callable[[str, Handler, str], argparse.ArgumentParser]


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach export ROUTINE -o FILE.spasmcoach``: one file with the routine and your own pictures."""
    routine = library_routine(args.routine)
    target = Path(args.output).expanduser()
    if os.path.isdir(target):  # never raises, even for a name too long
        raise UsageError(f"{target} is a folder; give a file name such as {target / (routine.id + sharing.SUFFIX)}")
    try:
        written = sharing.export_routine(routine, target)
    except sharing.PackageError as exc:
        raise UsageError(str(exc)) from None
    out.write(clean(f"Wrote {written}: {routine.title}.") + "\n")
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach import FILE [--replace]``: a ``.spasmcoach`` package or a routine ``.yaml`` file."""
    source = Path(args.file).expanduser()
    if not os.path.lexists(source):  # never raises, even for a name too long
        raise UsageError(f"{clean(str(source))}: no such file")
    try:
        paths.ensure_data_dir()
        is_yaml = source.suffix.lower() in (".yaml", ".yml")
        package = sharing.read_routine_file(source) if is_yaml else sharing.read_package(source)
        installed = sharing.install(package, replace=args.replace)
    except sharing.AlreadyInstalled as exc:
        raise UsageError(f"{exc}; add --replace to replace it") from None
    except RoutineFileError as exc:
        out.write(clean(str(exc)) + "\n")
        raise UsageError(f"{clean(str(source))} has mistakes; nothing was installed") from None
    except (sharing.PackageError, paths.DataDirError) as exc:
        raise UsageError(clean(str(exc))) from None
    verb = "Replaced" if installed.replaced else "Installed"
    pictures = f" with {len(installed.pictures)} picture(s)" if installed.pictures else ""
    out.write(clean(f"{verb} '{package.routine_id}'{pictures}: {installed.routine}") + "\n")
    return 0


def cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach schema``: where the JSON Schemas for routine files are (copied beside your routines)."""
    try:
        paths.ensure_data_dir()
        copies = sharing.ensure_user_schemas()
    except paths.DataDirError as exc:
        raise UsageError(str(exc)) from None
    from spasmcoach.core import resources

    for name in ("routine.schema.json", "timers.schema.json"):
        out.write(f"{resources.schema_path(name)}\n")
    for copy in copies:
        out.write(f"{copy}\n")
    return 0


def cmd_handout(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach handout ROUTINE -o FILE.pdf``: the routine as a printable sheet with its pictures."""
    routine = library_routine(args.routine)
    target = Path(args.output).expanduser()
    if os.path.isdir(target):  # never raises, even for a name too long
        raise UsageError(f"{target} is a folder; give a file name such as {target / (routine.id + '.pdf')}")
    ensure_gui_app()  # QtGui for painting, offscreen unless told otherwise
    from spasmcoach.documents.handout import write_handout

    pages = write_handout(routine, target)  # a StorageError is one line from the command runner
    out.write(clean(f"Wrote {target} ({pages} page{'s' if pages != 1 else ''}): {routine.title}.") + "\n")
    return 0


def add_parsers(command: AddCommand) -> None:
    """``export``, ``import``, ``handout`` and ``schema``."""
    export = command("export", cmd_export, "write a routine and your own pictures into one .spasmcoach file")
    export.add_argument("routine", metavar="ROUTINE", help="routine id")
    export.add_argument("-o", "--output", required=True, metavar="FILE.spasmcoach", help="the file to write")
    imported = command("import", cmd_import, "add a routine from a .spasmcoach package or a .yaml file")
    imported.add_argument("file", metavar="FILE", help="a .spasmcoach package or a routine .yaml file")
    imported.add_argument("--replace", action="store_true", help="replace a routine or picture you already have")
    handout = command("handout", cmd_handout, "write a routine as a printable PDF sheet with its pictures")
    handout.add_argument("routine", metavar="ROUTINE", help="routine id")
    handout.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write")
    command("schema", cmd_schema, "print where the JSON Schemas for routine files are")
