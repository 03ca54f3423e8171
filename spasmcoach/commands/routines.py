"""``spasmcoach list``, ``validate`` and ``show``: the routine library from the terminal."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from spasmcoach.core import loader
from spasmcoach.core.durations import format_human
from spasmcoach.core.editing.check import timeline_lines
from spasmcoach.core.i18n import _, ngettext
from spasmcoach.core.model import Phase
from spasmcoach.core.routine_text import area_label, kind_label, localized_library, origin_label
from spasmcoach.core.yamlsource import RoutineFileError

from .common import UsageError, clean, library_routine, warn, write_table


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    """The routines on the routine path, bundled and the user's."""
    library = localized_library(loader.load_library())
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
        table: list[tuple[object, ...]] = [(_("ID"), _("TITLE"), _("KIND"), _("AREA"), _("TIME"), _("ORIGIN"))]
        table += [
            (
                r.id,
                r.title,
                kind_label(r.kind),
                area_label(r.area) or "-",
                format_human(r.total),
                origin_label(r.origin),
            )
            for r in routines
        ]
        write_table(table, out)
    for error in library.errors:
        warn(_("skipped (broken): {problem}").format(problem=error.problems[0]))
    return 0


def _targets(raw_paths: Sequence[str]) -> list[Path]:
    """The files to validate: the routine path by default, else the files and folders named."""
    if not raw_paths:
        files: list[Path] = []
        for folder, _origin in loader.routine_path():
            files += loader.yaml_files(folder)
        return files
    files = []
    for raw in raw_paths:
        path = Path(raw)
        if os.path.isdir(path):  # os.path never raises, even for a name longer than the system allows
            files += loader.yaml_files(path)
        elif os.path.lexists(path):
            files.append(path)  # a FIFO or a device is refused by the reader, with a message
        else:
            raise UsageError(_("{path}: no such file or folder").format(path=clean(raw)))
    return files


def validate_file(path: Path, images: loader.ImageFinder | None = None) -> None:
    """Raise RoutineFileError if ``path`` (a routine or a timer-preset file) has mistakes."""
    if loader.is_preset_file(path):
        from spasmcoach.core.timers import load_presets

        load_presets(path)
    else:
        loader.load_routine(path, images=images)


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    """Every mistake of every file, ``file:line:col: field: message``; exit 1 if any."""
    files = _targets(args.paths)
    if not files:
        raise UsageError(_("no routine files found to validate"))
    failures = 0
    images = loader.ImageFinder(loader.image_dirs())  # each illustration folder is listed once
    for path in files:
        try:
            validate_file(path, images)
        except RoutineFileError as exc:
            failures += 1
            out.write(f"{clean(str(exc))}\n")
    ok = len(files) - failures
    summary = ngettext("{ok} of {count} file valid", "{ok} of {count} files valid", len(files)).format(
        ok=ok, count=len(files)
    )
    out.write(summary + (_(", {failures} with errors\n").format(failures=failures) if failures else "\n"))
    return 1 if failures else 0


def _phase_row(phase: Phase) -> dict[str, object]:
    return {
        "start": phase.start, "duration": phase.duration, "step": phase.step.name,
        "kind": str(phase.kind), "side": phase.side, "rep": phase.rep,
    }  # fmt: skip


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    """A routine's timeline, phase by phase, with start times and the total."""
    routine = library_routine(args.routine)
    timeline = routine.timeline()
    if args.json:
        doc = {"id": routine.id, "title": routine.title, "total": timeline.total,
               "phases": [_phase_row(p) for p in timeline.phases]}  # fmt: skip
        json.dump(doc, out, indent=2)
        out.write("\n")
        return 0
    area = f", {area_label(routine.area)}" if routine.area else ""
    out.write(clean(f"{routine.title} ({routine.id}, {kind_label(routine.kind)}{area})") + "\n\n")
    for row in timeline_lines(routine):  # the same rows the routine editor shows
        out.write(clean(row) + "\n")
    return 0
