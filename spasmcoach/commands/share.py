"""Hand routines on: ``spasmcoach export``, ``spasmcoach import`` and ``spasmcoach schema``."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from spasmcoach.core import instance, paths, sharing
from spasmcoach.core.i18n import _, ngettext
from spasmcoach.core.yamlsource import RoutineFileError

from .common import UsageError, clean, ensure_gui_app, library_routine

Handler = Callable[[argparse.Namespace, TextIO], int]
AddCommand = Callable[[str, Handler | None, str], argparse.ArgumentParser]  # None: a command that opens the window


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach export ROUTINE -o FILE.spasmcoach``: one file with the routine and your own pictures."""
    routine = library_routine(args.routine)
    target = Path(args.output).expanduser()
    if os.path.isdir(target):  # never raises, even for a name too long
        raise UsageError(
            _("{path} is a folder; give a file name such as {example}").format(
                path=target, example=target / (routine.id + sharing.SUFFIX)
            )
        )
    try:
        written = sharing.export_routine(routine, target)
    except sharing.PackageError as exc:
        raise UsageError(str(exc)) from None
    out.write(clean(_("Wrote {path}: {title}.").format(path=written, title=routine.title)) + "\n")
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach import FILE [--replace]``: a ``.spasmcoach`` package or a routine ``.yaml`` file."""
    source = Path(args.file).expanduser()
    if not os.path.lexists(source):  # never raises, even for a name too long
        raise UsageError(_("{path}: no such file").format(path=clean(str(source))))
    if not args.replace and _handed_to_window(source, out):
        return 0
    try:
        paths.ensure_data_dir()
        is_yaml = source.suffix.lower() in (".yaml", ".yml")
        package = sharing.read_routine_file(source) if is_yaml else sharing.read_package(source)
        installed = sharing.install(package, replace=args.replace)
    except sharing.AlreadyInstalled as exc:
        raise UsageError(_("{reason}; add --replace to replace it").format(reason=exc)) from None
    except RoutineFileError as exc:
        out.write(clean(str(exc)) + "\n")
        raise UsageError(_("{path} has mistakes; nothing was installed").format(path=clean(str(source)))) from None
    except (sharing.PackageError, paths.DataDirError) as exc:
        raise UsageError(clean(str(exc))) from None
    count = len(installed.pictures)
    if installed.replaced and count:
        message = ngettext(
            "Replaced '{id}' with {count} picture: {path}", "Replaced '{id}' with {count} pictures: {path}", count
        )
    elif installed.replaced:
        message = _("Replaced '{id}': {path}")
    elif count:
        message = ngettext(
            "Installed '{id}' with {count} picture: {path}",
            "Installed '{id}' with {count} pictures: {path}",
            count,
        )
    else:
        message = _("Installed '{id}': {path}")
    out.write(clean(message.format(id=package.routine_id, count=count, path=installed.routine)) + "\n")
    return 0


def _handed_to_window(source: Path, out: TextIO) -> bool:
    """When SpasmCoach is open, it imports the file itself (it checks it and asks before replacing anything), so
    its library never falls behind what is on disk. False when no window runs, or it does not answer."""
    try:
        reply = instance.send({"cmd": "import", "file": os.path.abspath(source)})
    except (instance.InstanceError, OSError, ValueError):
        return False  # a window that does not answer: install here, as without one
    if reply is None or not reply.get("ok", False):
        return False
    message = _("Handed {file} to the open SpasmCoach window; it checks the file and asks there.")
    out.write(clean(message.format(file=source)) + "\n")
    return True


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
        raise UsageError(
            _("{path} is a folder; give a file name such as {example}").format(
                path=target, example=target / (routine.id + ".pdf")
            )
        )
    ensure_gui_app()  # QtGui for painting, offscreen unless told otherwise
    from spasmcoach.documents.handout import write_handout

    pages = write_handout(routine, target)  # a StorageError is one line from the command runner
    message = ngettext("Wrote {path} ({count} page): {title}.", "Wrote {path} ({count} pages): {title}.", pages)
    out.write(clean(message.format(path=target, count=pages, title=routine.title)) + "\n")
    return 0


def add_parsers(command: AddCommand) -> None:
    """``export``, ``import``, ``handout``, ``schema``, and ``open [FILE]`` (the desktop's "Open with")."""
    export = command("export", cmd_export, _("write a routine and your own pictures into one .spasmcoach file"))
    export.add_argument("routine", metavar="ROUTINE", help=_("routine id"))
    export.add_argument("-o", "--output", required=True, metavar="FILE.spasmcoach", help=_("the file to write"))
    imported = command("import", cmd_import, _("add a routine from a .spasmcoach package or a .yaml file"))
    imported.add_argument("file", metavar="FILE", help=_("a .spasmcoach package or a routine .yaml file"))
    imported.add_argument("--replace", action="store_true", help=_("replace a routine or picture you already have"))
    handout = command("handout", cmd_handout, _("write a routine as a printable PDF sheet with its pictures"))
    handout.add_argument("routine", metavar="ROUTINE", help=_("routine id"))
    handout.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help=_("the PDF file to write"))
    command("schema", cmd_schema, _("print where the JSON Schemas for routine files are"))
    opened = command("open", None, _("open the window; with a FILE, import it there (it asks before replacing)"))
    opened.add_argument("open_file", nargs="?", metavar="FILE", help=_("a .spasmcoach package or a routine .yaml file"))
