"""Checking a draft with the loader itself, and the loader's messages filed under the form field they concern.

The draft's YAML text is written to a private scratch file and loaded by :func:`loader.load_routine`, so the
editor says exactly what ``spasmcoach validate`` would say about the saved file. Each problem's field path
(``steps[2].hold``) is mapped back to a form field: ``(2, "hold")``; ``(None, "title")`` for the routine.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from spasmcoach.core import loader
from spasmcoach.core.durations import format_clock, format_human
from spasmcoach.core.i18n import _
from spasmcoach.core.model import Origin, Routine
from spasmcoach.core.yamlsource import Problem, RoutineFileError

from .draft import PICTURE, TIMING, RoutineDraft, to_yaml

FieldKey = tuple[int | None, str]  # (step index or None for the routine, field key; "" for the whole)
_PATH = re.compile(r"^steps\[(\d+)\](?:\.([a-z_]+))?")
_PICTURE_KEYS = {"image", "images", "frame_seconds"}
SCRATCH_ID = "new-routine"


@dataclass
class Checked:
    """What the loader made of a draft: the routine (None if it has mistakes) and each mistake by field."""

    routine: Routine | None
    errors: dict[FieldKey, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.routine is not None and not self.errors

    def count(self) -> int:
        return sum(len(messages) for messages in self.errors.values())

    def for_step(self, index: int) -> list[str]:
        """Every message about one step, whatever its field."""
        return [m for (step, _key), messages in self.errors.items() if step == index for m in messages]


def field_of(problem: Problem) -> FieldKey:
    """The form field a loader problem belongs to."""
    path = problem.field
    match = _PATH.match(path)
    if match:
        key = match.group(2) or ""
        if key in _PICTURE_KEYS:
            key = PICTURE
        elif key == "" and "'duration'" in problem.message and "'hold'" in problem.message:
            key = TIMING
        return int(match.group(1)), key
    top = path.split(".", 1)[0].split("[", 1)[0]
    return None, top


class Checker:
    """Checks drafts through a scratch file of its own (one folder per editor, removed by :meth:`close`)."""

    def __init__(self, image_dirs: list[Path] | None = None) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="spasmcoach-editor-")
        self._images = image_dirs

    def close(self) -> None:
        self._folder.cleanup()

    def check(self, draft: RoutineDraft) -> Checked:
        """The loader's verdict on the draft as it would be saved."""
        name = draft.routine_id or SCRATCH_ID
        scratch = Path(self._folder.name) / f"{name}.yaml"
        try:  # a private scratch file: no fsync, nothing to keep, so it costs next to nothing
            scratch.write_bytes(to_yaml(draft).encode("utf-8"))
        except OSError as exc:
            return Checked(None, {(None, ""): [str(exc)]})
        finder = loader.ImageFinder(self._images if self._images is not None else loader.image_dirs())
        try:
            routine = loader.load_routine(scratch, origin=Origin.USER, images=finder)
        except RoutineFileError as exc:
            errors: dict[FieldKey, list[str]] = {}
            for problem in exc.problems:
                errors.setdefault(field_of(problem), []).append(problem.message)
            return Checked(None, errors)
        return Checked(routine)


def timeline_lines(routine: Routine) -> list[str]:
    """The expanded timeline, row by row, as ``spasmcoach show`` prints it."""
    rows = [f"{_('START'):>8}  {_('LENGTH'):>7}  {_('PHASE'):<12} {_('STEP')}"]
    timeline = routine.timeline()
    for phase in timeline.phases:
        detail = phase.step.name
        if phase.side:
            detail += " · " + (_("left") if phase.side == "left" else _("right"))
        if phase.rep is not None and phase.step.reps > 1:
            detail += " · " + _("rep {rep} of {reps}").format(rep=phase.rep, reps=phase.step.reps)
        label = _(phase.kind.label)
        rows.append(f"{format_clock(phase.start):>8}  {format_clock(phase.duration):>7}  {label:<12} {detail}")
    total = timeline.total
    rows.append("")
    rows.append(_("Total {clock} ({length})").format(clock=format_clock(total), length=format_human(total)))
    return rows
