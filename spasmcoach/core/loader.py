"""Loading and validating routine files, and finding every routine on the routine path.

A broken file never hides the others: :func:`load_library` reports it and carries on. Every mistake in a
file is reported at once, each as ``file:line:col: field: message``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths, pictures, resources, svg_check
from .fields import FieldReader
from .i18n import _
from .model import MAX_PHASE_SECONDS, Area, Origin, Position, Routine, RoutineKind, Sides, Step
from .yamlsource import Problems, RoutineFileError, compose_file, display_name, join

if TYPE_CHECKING:  # PyYAML is imported only when a file is parsed: a start-up the routine cache answers needs none
    import yaml

PRESCRIPTION_KEYS = ("prescribed_by", "prescribed_on", "review_on", "note")
ROUTINE_KEYS = {"title", "kind", "area", "summary", "cautions", "get_ready", "steps", "position", *PRESCRIPTION_KEYS}
STEP_KEYS = {
    "name", "instructions", "duration", "hold", "reps", "rest", "sides",
    "image", "images", "frame_seconds", "say", "get_ready", "position",
}  # fmt: skip
HOLD_ONLY = ("reps", "rest", "sides")
MAX_REPS = 50
MAX_STEPS = 200
MAX_FRAMES = 24  # an animation needs a handful; each frame costs a file lookup at load time
MAX_IMAGE_NAME = 200
PRESET_SUFFIX = "timers.yaml"  # files named timers.yaml or *.timers.yaml hold timer presets, not routines


def is_preset_file(path: Path) -> bool:
    return path.name == PRESET_SUFFIX or path.name.endswith("." + PRESET_SUFFIX)


def image_dirs() -> list[Path]:
    """Where illustrations are looked up: the user's own folder first, then the bundled one."""
    return [paths.data_dir() / "illustrations", resources.illustrations_dir()]


def find_image(name: str, dirs: Sequence[Path]) -> Path | None:
    """The first existing, safe ``name`` in ``dirs``; raises UnsafePathError for a path that escapes."""
    return ImageFinder(dirs).find(name)


class ImageFinder:
    """Looks illustration names up in folders, listing each folder once (a library loads thousands)."""

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.dirs = list(dirs)
        self._listings: dict[Path, dict[str, bool]] = {}  # folder -> {file name: is a symlink}
        self._checked: dict[tuple[int, int, int, int], list[svg_check.SvgProblem]] = {}

    def _listing(self, folder: Path) -> dict[str, bool]:
        listing = self._listings.get(folder)
        if listing is None:
            listing = {}
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        with contextlib.suppress(OSError):
                            if entry.is_file():
                                listing[entry.name] = entry.is_symlink()
            except OSError:  # a folder that does not exist (yet) holds nothing
                pass
            self._listings[folder] = listing
        return listing

    def check(self, path: Path) -> list[svg_check.SvgProblem]:
        """Why the picture at ``path`` must not be drawn (``core.svg_check``, ``core.pictures``); empty if safe.

        Each file is read and parsed once per loader (by its identity and modification time).
        """
        try:
            info = os.stat(path)
            key = (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)
        except OSError:
            key = None
        if key is not None and key in self._checked:
            return self._checked[key]
        problems = pictures.check_picture(path)
        if key is not None:
            self._checked[key] = problems
        return problems

    def find(self, name: str) -> Path | None:
        """The file for ``name``, or None; UnsafePathError if the name or its link leads outside."""
        resources.check_relative(name)
        for folder in self.dirs:
            if "/" in name or "\\" in name:  # a sub-folder: check it the slow, thorough way
                candidate = resources.safe_child(folder, name)
                try:
                    if candidate.is_file():
                        return candidate
                except OSError:  # e.g. a name too long for the file system: simply not there
                    continue
                continue
            listing = self._listing(folder)
            if name in listing:
                if listing[name]:  # a link: make sure it stays inside the folder
                    return resources.safe_child(folder, name)
                return folder / name
        return None


def load_routine(
    path: Path, *, origin: Origin = Origin.BUNDLED, images: Sequence[Path] | ImageFinder | None = None
) -> Routine:
    """The routine in ``path``; RoutineFileError listing every mistake if it is not usable."""
    node = compose_file(path)
    problems = Problems(display_name(path))
    reader = FieldReader(problems)
    found = reader.fields(node, "", ROUTINE_KEYS, frozenset({"title", "kind", "steps"}))
    if found is None:
        problems.raise_if_any()
        raise AssertionError("unreachable")
    title = reader.text(found["title"], "title") if "title" in found else None
    kind = reader.choice(found["kind"], "kind", RoutineKind) if "kind" in found else None
    area = reader.choice(found["area"], "area", Area) if "area" in found else None
    summary = reader.text(found["summary"], "summary", allow_empty=True) if "summary" in found else ""
    cautions = reader.text_list(found["cautions"], "cautions") if "cautions" in found else ()
    get_ready = 5.0
    if "get_ready" in found:
        get_ready = reader.duration(found["get_ready"], "get_ready", allow_zero=True, limit=600) or 0.0
    position = reader.choice(found["position"], "position", Position) if "position" in found else None
    prescription = _read_prescription(reader, found)
    finder = images if isinstance(images, ImageFinder) else ImageFinder(image_dirs() if images is None else images)
    steps: list[Step] = []
    if "steps" in found:
        items = list(reader.items(found["steps"], "steps"))
        if len(items) > MAX_STEPS:
            problems.add(
                found["steps"],
                "steps",
                _("has {count} steps; at most {limit} are allowed").format(count=len(items), limit=MAX_STEPS),
            )
        names: dict[str, int] = {}
        for index, step_node in items[:MAX_STEPS]:
            name, step = _read_step(reader, step_node, join("steps", index), finder)
            if name is not None and name in names:
                # Step names identify a step in the journal ("stopped at Knee to chest"), so they must be unique;
                # checked even when the step has other mistakes, so every mistake is reported at once.
                problems.add(
                    step_node,
                    join("steps", index),
                    _("another step (steps[{index}]) is already named '{name}'; give each step its own name").format(
                        index=names[name], name=name
                    ),
                )
            if name is not None:
                names.setdefault(name, index)
            if step is not None:
                steps.append(step)
    problems.raise_if_any()
    assert title is not None and kind is not None
    return Routine(
        id=path.stem, title=title, kind=kind, area=area, summary=summary or "", cautions=cautions,
        get_ready=get_ready, steps=tuple(steps), path=path, origin=origin, position=position, **prescription,
    )  # fmt: skip


def _read_prescription(reader: FieldReader, found: dict[str, yaml.Node]) -> dict[str, Any]:
    """The optional prescription fields that are given: who prescribed it, when, the review date, a note."""
    values: dict[str, Any] = {}
    for key in ("prescribed_by", "note"):
        if key in found:
            values[key] = reader.text(found[key], key) or ""
    for key in ("prescribed_on", "review_on"):
        if key in found:
            values[key] = reader.date(found[key], key)
    return values


def _read_step(reader: FieldReader, node: yaml.Node, field: str, finder: ImageFinder) -> tuple[str | None, Step | None]:
    """The step's name (if readable) and the step (None when it has mistakes, which are reported)."""
    problems = reader.problems
    before = len(problems.items)
    found = reader.fields(node, field, STEP_KEYS, frozenset({"name"}))
    if found is None:
        return None, None
    name = reader.text(found["name"], join(field, "name")) if "name" in found else None
    instructions = (
        reader.text(found["instructions"], join(field, "instructions"), allow_empty=True)
        if "instructions" in found
        else ""
    )
    say = reader.text(found["say"], join(field, "say")) if "say" in found else None
    has_duration, has_hold = "duration" in found, "hold" in found
    duration = hold = None
    if has_duration and has_hold:
        problems.add(found["hold"], join(field, "hold"), _("a step has either 'duration' or 'hold', not both"))
    elif not has_duration and not has_hold:
        problems.add(node, field, _("needs 'duration' (one timed block) or 'hold' (timed repetitions)"))
    elif has_duration:
        duration = reader.duration(found["duration"], join(field, "duration"))
        for key in HOLD_ONLY:
            if key in found:
                problems.add(
                    found[key],
                    join(field, key),
                    _("'{key}' goes only with 'hold', not with 'duration'").format(key=key),
                )
    else:
        hold = reader.duration(found["hold"], join(field, "hold"))
    reps = reader.integer(found["reps"], join(field, "reps"), 1, MAX_REPS) if "reps" in found else 1
    rest = reader.duration(found["rest"], join(field, "rest"), allow_zero=True) if "rest" in found else 0.0
    sides = reader.choice(found["sides"], join(field, "sides"), Sides) if "sides" in found else Sides.NONE
    get_ready = (
        reader.duration(found["get_ready"], join(field, "get_ready"), allow_zero=True, limit=600)
        if "get_ready" in found
        else None
    )
    frame_seconds = 2.0
    if "frame_seconds" in found:
        frame_seconds = reader.duration(found["frame_seconds"], join(field, "frame_seconds"), limit=60) or 2.0
    position = reader.choice(found["position"], join(field, "position"), Position) if "position" in found else None
    image_names = _read_images(reader, found, field, finder)
    if len(problems.items) > before:
        return name, None
    assert name is not None and reps is not None and rest is not None and sides is not None
    if hold is not None and reps * len(sides.order()) * (hold + rest) > MAX_PHASE_SECONDS * 4:
        problems.add(node, field, _("adds up to more than 8 hours; split it into shorter steps"))
        return name, None
    return name, Step(
        name=name, instructions=instructions or "", duration=duration, hold=hold, reps=reps, rest=rest,
        sides=sides, images=image_names, frame_seconds=frame_seconds, say=say, get_ready=get_ready,
        line=node.start_mark.line + 1, position=position,
    )  # fmt: skip


def _read_images(reader: FieldReader, found: dict[str, yaml.Node], field: str, finder: ImageFinder) -> tuple[str, ...]:
    problems = reader.problems
    if "image" in found and "images" in found:
        problems.add(found["images"], join(field, "images"), _("use either 'image' or 'images', not both"))
        return ()
    refs: list[tuple[str, yaml.Node, str]] = []
    if "image" in found:
        name = reader.text(found["image"], join(field, "image"))
        if name:
            refs.append((name, found["image"], join(field, "image")))
    elif "images" in found:
        frames = list(reader.items(found["images"], join(field, "images")))
        if len(frames) > MAX_FRAMES:
            problems.add(
                found["images"],
                join(field, "images"),
                _("has {count} frames; at most {limit}").format(count=len(frames), limit=MAX_FRAMES),
            )
            frames = []
        for index, item in frames:
            name = reader.text(item, join(field, f"images[{index}]"))
            if name:
                refs.append((name, item, join(field, f"images[{index}]")))
    for name, node, where in refs:
        if len(name) > MAX_IMAGE_NAME:
            problems.add(node, where, _("the file name is longer than {limit} characters").format(limit=MAX_IMAGE_NAME))
            continue
        try:
            picture = finder.find(name)
        except resources.UnsafePathError as exc:
            problems.add(node, where, f"'{name}' {exc}")
            continue
        if picture is None:
            problems.add(
                node, where, _("image file '{name}' was not found in the illustration folders").format(name=name)
            )
            continue
        for problem in finder.check(picture):
            problems.add(
                node,
                where,
                _("the picture {where}: {reason}").format(where=problem.where(name), reason=problem.message),
            )
    return tuple(ref[0] for ref in refs)


@dataclass
class Library:
    """Every usable routine on the routine path, by id, plus the files that could not be used."""

    routines: dict[str, Routine] = field(default_factory=dict)
    errors: list[RoutineFileError] = field(default_factory=list)
    shadowed: list[Path] = field(default_factory=list)  # bundled files hidden by a user file of the same id

    def get(self, routine_id: str) -> Routine | None:
        return self.routines.get(routine_id)

    def sorted(self) -> list[Routine]:
        return sorted(self.routines.values(), key=lambda r: (r.title.lower(), r.id))


def routine_path() -> list[tuple[Path, Origin]]:
    """The folders routines are loaded from, lowest priority first."""
    return [(resources.routines_dir(), Origin.BUNDLED), (paths.user_routines_dir(), Origin.USER)]


def yaml_files(folder: Path) -> list[Path]:
    """The ``.yaml``/``.yml`` files directly in ``folder`` (none if it does not exist)."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:
        return []


def load_library(
    folders: Iterable[tuple[Path, Origin]] | None = None,
    *,
    read: Callable[[Path, Origin, ImageFinder], Routine] | None = None,
) -> Library:
    """Load every routine; a later folder's routine shadows an earlier one with the same id.

    ``read`` loads one file (default: :func:`load_routine`); ``core.routine_cache`` passes its cached reader."""
    library = Library()
    images = ImageFinder(image_dirs())
    load = read or (lambda path, origin, images: load_routine(path, origin=origin, images=images))
    for folder, origin in routine_path() if folders is None else folders:
        for path in yaml_files(folder):
            if is_preset_file(path):
                continue
            try:
                routine = load(path, origin, images)
            except RoutineFileError as exc:
                library.errors.append(exc)
                continue
            previous = library.routines.get(routine.id)
            if previous is not None and previous.path is not None:
                library.shadowed.append(previous.path)
            library.routines[routine.id] = routine
    return library
