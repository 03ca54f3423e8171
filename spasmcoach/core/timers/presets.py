"""Ice and heat timer presets: the model, the YAML loader and the lookup over bundled and user files.

A preset file (``timers.yaml`` or ``*.timers.yaml``) holds a ``presets:`` list. Every mistake in a file is
reported at once as ``file:line:col: field: message``, in the same words as routine files, because the
same :class:`~spasmcoach.core.fields.FieldReader` reads both. See docs/timers.md.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import paths, resources
from ..durations import format_human
from ..fields import FieldReader
from ..loader import PRESET_SUFFIX
from ..model import MAX_PHASE_SECONDS
from ..routine_text import localized_preset
from ..yamlsource import Problems, RoutineFileError, compose_file, display_name, join
from .kinds import Therapy

if TYPE_CHECKING:
    import yaml

MAX_ON_SECONDS = MAX_PHASE_SECONDS  # 2 h: far beyond any safe ice or heat application, so surely a typo
MAX_OFF_SECONDS = 12 * 3600.0
MIN_PHASE_SECONDS = 60.0  # "on: 20" is 20 seconds; a phase this short is almost always a missing "min"
MAX_CYCLES = 24
MAX_PRESETS = 200
CUSTOM_ID = "custom"
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_ID_LENGTH = 64

FILE_KEYS = {"presets"}
PRESET_KEYS = {"id", "title", "therapy", "on", "off", "cycles", "advice"}
REQUIRED_KEYS = frozenset({"id", "title", "therapy", "on"})


class TimerPhase(StrEnum):
    """An on-phase (the pack is on the skin) or an off-phase (the break between two on-phases)."""

    ON = "on"
    OFF = "off"


class PresetPhase(NamedTuple):
    """One phase of a preset, in order: ``(kind, cycle, seconds)``; ``cycle`` counts from 1."""

    kind: TimerPhase
    cycle: int
    seconds: float


@dataclass(frozen=True)
class TimerPreset:
    """One timer: ``cycles`` on-phases of ``on`` seconds with an ``off`` break between two of them."""

    id: str
    title: str
    therapy: Therapy
    on: float
    off: float | None = None
    cycles: int = 1
    advice: str = ""
    path: Path | None = field(default=None, compare=False)  # the file it came from; None for custom ones

    def __post_init__(self) -> None:
        """Refuse a preset the engine could not run, whatever built it (file, app, saved state)."""
        if not isinstance(self.therapy, Therapy):
            object.__setattr__(self, "therapy", Therapy(self.therapy))
        if not self.id or not self.title:
            raise ValueError("a timer preset needs an id and a title")
        if not _positive(self.on) or self.on > MAX_ON_SECONDS:
            raise ValueError(f"on must be more than 0 and at most {MAX_ON_SECONDS:g} seconds, got {self.on!r}")
        if isinstance(self.cycles, bool) or not isinstance(self.cycles, int) or not 1 <= self.cycles <= MAX_CYCLES:
            raise ValueError(f"cycles must be a whole number from 1 to {MAX_CYCLES}, got {self.cycles!r}")
        if self.off is not None and (not _positive(self.off) or self.off > MAX_OFF_SECONDS):
            raise ValueError(f"off must be more than 0 and at most {MAX_OFF_SECONDS:g} seconds, got {self.off!r}")
        if (self.off is None) != (self.cycles == 1):
            raise ValueError("off is the break between cycles: give it exactly when cycles is 2 or more")
        if not self.advice:
            object.__setattr__(self, "advice", self.therapy.info.advice)

    @property
    def total(self) -> float:
        """Seconds from start to the end of the last on-phase (no break after the last one)."""
        return self.on * self.cycles + (self.off or 0.0) * (self.cycles - 1)

    def phases(self) -> list[PresetPhase]:
        """The phases in order: on, off, on, …, on."""
        result: list[PresetPhase] = []
        for cycle in range(1, self.cycles + 1):
            result.append(PresetPhase(TimerPhase.ON, cycle, self.on))
            if cycle < self.cycles and self.off is not None:
                result.append(PresetPhase(TimerPhase.OFF, cycle, self.off))
        return result

    def describe(self) -> str:
        """A short summary such as ``20 min on, 30 min off, 3 times``."""
        if self.cycles == 1:
            return f"{format_human(self.on)}"
        return f"{format_human(self.on)} on, {format_human(self.off or 0)} off, {self.cycles} times"

    @classmethod
    def custom(
        cls, therapy: Therapy, on_minutes: float, off_minutes: float | None = None, cycles: int = 1
    ) -> TimerPreset:
        """A timer set up in the app rather than in a file; id ``custom``. ``off`` is dropped for 1 cycle."""
        therapy = Therapy(therapy)
        if not _positive(on_minutes):
            raise ValueError(f"on_minutes must be a positive number, got {on_minutes!r}")
        off = None
        if cycles != 1:
            if off_minutes is None or not _positive(off_minutes):
                raise ValueError("two or more cycles need a positive off_minutes for the break between them")
            off = off_minutes * 60.0
        on = on_minutes * 60.0
        title = f"{therapy.label}, {format_human(on)}"
        if off is not None:
            title = f"{therapy.label}, {format_human(on)} on / {format_human(off)} off × {cycles}"
        return cls(id=CUSTOM_ID, title=title, therapy=therapy, on=on, off=off, cycles=cycles)

    def to_dict(self) -> dict[str, Any]:
        """The full definition as JSON-ready values (seconds as numbers); saved with every running timer."""
        return {
            "id": self.id, "title": self.title, "therapy": str(self.therapy), "on": self.on,
            "off": self.off, "cycles": self.cycles, "advice": self.advice,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimerPreset:
        """The preset :meth:`to_dict` wrote; ValueError for anything missing or malformed."""
        if not isinstance(data, Mapping):
            raise ValueError("a saved preset must be an object")
        unknown = set(data) - PRESET_KEYS
        if unknown:
            raise ValueError(f"a saved preset has unknown keys: {', '.join(sorted(unknown))}")
        try:
            values = {key: data[key] for key in ("id", "title", "therapy", "on", "cycles")}
        except KeyError as exc:
            raise ValueError(f"a saved preset lacks {exc.args[0]!r}") from None
        for key in ("id", "title", "therapy"):
            if not isinstance(values[key], str):
                raise ValueError(f"a saved preset's {key} must be text")
        off = data.get("off")
        for key, value in (("on", values["on"]), ("off", off)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise ValueError(f"a saved preset's {key} must be a number")
        advice = data.get("advice", "")
        if not isinstance(advice, str):
            raise ValueError("a saved preset's advice must be text")
        return cls(
            id=values["id"], title=values["title"], therapy=Therapy(values["therapy"]),
            on=float(values["on"]), off=None if off is None else float(off), cycles=values["cycles"],
            advice=advice,
        )  # fmt: skip


def _positive(value: object) -> bool:
    """A finite number above zero (bools are not numbers here)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value) and value > 0


# -- loading ---------------------------------------------------------------------------------------------


def load_presets(path: Path) -> list[TimerPreset]:
    """The presets in ``path``, in file order; RoutineFileError listing every mistake if any is unusable."""
    node = compose_file(path)
    problems = Problems(display_name(path))
    reader = FieldReader(problems)
    found = reader.fields(node, "", FILE_KEYS, frozenset({"presets"}))
    presets: list[TimerPreset] = []
    if found and "presets" in found:
        items = list(reader.items(found["presets"], "presets"))
        if len(items) > MAX_PRESETS:
            problems.add(found["presets"], "presets", f"has {len(items)} presets; at most {MAX_PRESETS} are allowed")
        ids: dict[str, int] = {}
        for index, item in items[:MAX_PRESETS]:
            where = join("presets", index)
            preset_id, preset = _read_preset(reader, item, where, path)
            if preset_id is not None and preset_id in ids:  # reported even when the entry has other mistakes
                message = f"another preset (presets[{ids[preset_id]}]) already has the id '{preset_id}'"
                problems.add(_value_node(item, "id"), join(where, "id"), message)
                continue
            if preset_id is not None:
                ids[preset_id] = index
            if preset is not None:
                presets.append(preset)
    problems.raise_if_any()
    return presets


def _read_preset(
    reader: FieldReader, node: yaml.Node, where: str, path: Path
) -> tuple[str | None, TimerPreset | None]:
    """One entry of the ``presets`` list: its id if that is valid, and the preset or None (mistakes reported).

    The id comes back even when other fields are wrong, so a duplicate id is reported with every other mistake.
    """
    problems = reader.problems
    before = len(problems.items)
    found = reader.fields(node, where, PRESET_KEYS, REQUIRED_KEYS)
    if found is None:
        return None, None
    preset_id = _read_id(reader, found["id"], join(where, "id")) if "id" in found else None
    title = reader.text(found["title"], join(where, "title")) if "title" in found else None
    therapy = reader.choice(found["therapy"], join(where, "therapy"), Therapy) if "therapy" in found else None
    on = _read_phase(reader, found["on"], join(where, "on"), MAX_ON_SECONDS) if "on" in found else None
    off = _read_phase(reader, found["off"], join(where, "off"), MAX_OFF_SECONDS) if "off" in found else None
    cycles = reader.integer(found["cycles"], join(where, "cycles"), 1, MAX_CYCLES) if "cycles" in found else 1
    advice = reader.text(found["advice"], join(where, "advice")) if "advice" in found else ""
    if cycles is not None:
        if "off" in found and cycles < 2:
            message = "is the break between cycles, so it needs cycles of 2 or more; add 'cycles' or remove 'off'"
            problems.add(found["off"], join(where, "off"), message)
        elif "off" not in found and cycles >= 2:
            message = "2 or more cycles need an 'off' time for the break between them"
            problems.add(found["cycles"], join(where, "cycles"), message)
    if len(problems.items) > before:
        return preset_id, None
    assert preset_id is not None and title is not None and therapy is not None and on is not None
    return preset_id, TimerPreset(
        id=preset_id, title=title, therapy=therapy, on=on, off=off, cycles=cycles or 1, advice=advice or "",
        path=path,
    )  # fmt: skip


def _read_id(reader: FieldReader, node: yaml.Node, field_name: str) -> str | None:
    """A preset id: a short slug (it names the preset in the journal and lets a user file replace it)."""
    value = reader.text(node, field_name)
    if value is None:
        return None
    if len(value) > MAX_ID_LENGTH or not ID_PATTERN.match(value):
        message = (
            "must be lowercase letters, digits and dashes such as ice-20, "
            f'at most {MAX_ID_LENGTH} characters, got "{value[:60]}"'
        )
        reader.problems.add(node, field_name, message)
        return None
    if value == CUSTOM_ID:
        reader.problems.add(node, field_name, f"'{CUSTOM_ID}' is kept for timers set up in the app; choose another id")
        return None
    return value


def _read_phase(reader: FieldReader, node: yaml.Node, field_name: str, limit: float) -> float | None:
    """An on- or off-time: a positive duration up to ``limit`` and at least a minute."""
    seconds = reader.duration(node, field_name, limit=limit)
    if seconds is None:
        return None
    if seconds < MIN_PHASE_SECONDS:
        message = (
            f"is {seconds:g} s; on- and off-times are at least 1 minute "
            f"(a plain number means seconds: did you mean '{seconds:g} min'?)"
        )
        reader.problems.add(node, field_name, message)
        return None
    return seconds


def _value_node(mapping: yaml.Node, key: str) -> yaml.Node | None:
    import yaml  # only when a preset file is read: the window starts without PyYAML

    """The value node of ``key`` in a mapping node, for pointing a message at it."""
    if isinstance(mapping, yaml.MappingNode):
        for key_node, value_node in mapping.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    return mapping


def preset_folders() -> list[Path]:
    """Where preset files are read from, lowest priority first: the bundled folder, then the user's."""
    return [resources.routines_dir(), paths.user_routines_dir()]


def preset_files(folder: Path) -> list[Path]:
    """The preset files (``timers.yaml``, ``*.timers.yaml``) directly in ``folder``, sorted by name.

    Chosen by name before anything is asked of the disk: a routines folder of 1,000 routine files costs one
    directory listing, not a ``stat`` of every file (this runs at start-up).
    """
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name == PRESET_SUFFIX or e.name.endswith("." + PRESET_SUFFIX))
    except OSError:  # missing, or not a folder
        return []
    return [path for path in (folder / name for name in names) if path.is_file()]


def load_all_presets(
    folders: Iterable[Path] | None = None, read: Callable[[Path], list[TimerPreset]] = load_presets
) -> tuple[dict[str, TimerPreset], list[RoutineFileError]]:
    """Every usable preset by id (a later folder's preset replaces an earlier one), plus the broken files.

    ``read`` reads one file (the preset cache passes its own, which parses only what changed)."""
    found: dict[str, TimerPreset] = {}
    errors: list[RoutineFileError] = []
    for folder in preset_folders() if folders is None else folders:
        for path in preset_files(folder):
            try:
                presets = read(path)
            except RoutineFileError as exc:
                errors.append(exc)
                continue
            bundled = folder == resources.routines_dir()
            for preset in presets:
                found[preset.id] = localized_preset(preset) if bundled else preset  # a user's text stays as written
    return found, errors
