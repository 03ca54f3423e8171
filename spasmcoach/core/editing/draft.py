"""The editable routine as plain data: every field as the user typed it, and the routine file text made from it.

Fields are described once, in :data:`ROUTINE_FIELDS` and :data:`STEP_FIELDS` (key, label, kind); the form,
the YAML text and the conversion from a loaded :class:`Routine` all read those tables, so a new optional
field of the file format is one row here. Rows whose key the loader does not (yet) accept are left out.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import yaml

from spasmcoach.core import loader
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.model import Area, Position, Routine, RoutineKind, Sides, Step

SCHEMA_LINE = "# yaml-language-server: $schema=routine.schema.json"  # as core/sharing.py writes it


class Kind(StrEnum):
    """How a field is typed in the form and written in the file."""

    LINE = "line"  # one line of text
    TEXT = "text"  # a paragraph
    LINES = "lines"  # a list of texts, one per line in the form
    DURATION = "duration"  # 45s, 1m30s, 1:30
    COUNT = "count"  # a whole number
    CHOICE = "choice"  # one value of an enum (or empty when optional)
    DATE = "date"  # a calendar day, YYYY-MM-DD


@dataclass(frozen=True)
class FieldSpec:
    """One field of the form: its file key, its label (marked for translation) and how it is typed."""

    key: str
    label: str
    kind: Kind
    choices: tuple[str, ...] = ()
    optional_choice: bool = False  # a choice that may be left empty
    hint: str = ""
    hold_only: bool = False  # shown and written only for a step timed as holds
    duration_only: bool = False  # shown and written only for a step timed as one block


_POSITIONS = tuple(p.value for p in Position)
_ALL_ROUTINE_FIELDS = (
    FieldSpec("title", N_("Title"), Kind.LINE),
    FieldSpec("kind", N_("Kind"), Kind.CHOICE, tuple(k.value for k in RoutineKind)),
    FieldSpec("area", N_("Body area"), Kind.CHOICE, tuple(a.value for a in Area), optional_choice=True),
    FieldSpec("summary", N_("Summary"), Kind.TEXT),
    FieldSpec("cautions", N_("Cautions, one per line"), Kind.LINES),
    FieldSpec("get_ready", N_("Get-ready time before each step"), Kind.DURATION, hint=N_("for example 5s or 0:10")),
    FieldSpec("position", N_("Position"), Kind.CHOICE, _POSITIONS, optional_choice=True),
    FieldSpec("prescribed_by", N_("Prescribed by"), Kind.LINE),
    FieldSpec("prescribed_on", N_("Prescribed on"), Kind.DATE, hint=N_("a date such as 2026-12-01")),
    FieldSpec("review_on", N_("Review on"), Kind.DATE, hint=N_("a date such as 2027-01-15")),
    FieldSpec("note", N_("Note"), Kind.TEXT),
)
_ALL_STEP_FIELDS = (
    FieldSpec("name", N_("Name"), Kind.LINE),
    FieldSpec("instructions", N_("Instructions"), Kind.TEXT),
    FieldSpec("duration", N_("Duration"), Kind.DURATION, hint=N_("for example 45s, 1m30s or 1:30"), duration_only=True),
    FieldSpec("hold", N_("Hold"), Kind.DURATION, hint=N_("for example 20s"), hold_only=True),
    FieldSpec("reps", N_("Repetitions"), Kind.COUNT, hold_only=True),
    FieldSpec("rest", N_("Rest between holds"), Kind.DURATION, hint=N_("for example 10s"), hold_only=True),
    FieldSpec("sides", N_("Sides"), Kind.CHOICE, tuple(s.value for s in Sides), hold_only=True),
    FieldSpec("say", N_("Spoken cue"), Kind.LINE, hint=N_("words said when the step starts")),
    FieldSpec("get_ready", N_("Get-ready time (this step only)"), Kind.DURATION, hint=N_("empty: the routine's")),
    FieldSpec("position", N_("Position"), Kind.CHOICE, _POSITIONS, optional_choice=True),
    FieldSpec("note", N_("Note"), Kind.TEXT),
)
ROUTINE_FIELDS = tuple(s for s in _ALL_ROUTINE_FIELDS if s.key in loader.ROUTINE_KEYS)
STEP_FIELDS = tuple(s for s in _ALL_STEP_FIELDS if s.key in loader.STEP_KEYS)
PICTURE = "image"  # the field key errors about a step's pictures are filed under
TIMING = "timing"  # the step's choice between one timed block and holds


class Timing(StrEnum):
    DURATION = "duration"
    HOLD = "hold"


@dataclass
class StepDraft:
    """One step as typed: field texts by key, how it is timed, its pictures (names) and their frame time."""

    values: dict[str, str] = field(default_factory=dict)
    timing: Timing = Timing.DURATION
    images: list[str] = field(default_factory=list)
    frame_seconds: str = ""

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def copy(self) -> StepDraft:
        return copy.deepcopy(self)

    def to_json(self) -> dict[str, Any]:
        return {"values": dict(self.values), "timing": self.timing.value, "images": list(self.images),
                "frame_seconds": self.frame_seconds}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StepDraft:
        values = {str(k): str(v) for k, v in dict(data.get("values", {})).items()}
        timing = Timing(data.get("timing", "duration"))
        return cls(values, timing, [str(i) for i in data.get("images", [])], str(data.get("frame_seconds", "")))


@dataclass
class RoutineDraft:
    """A routine being edited. ``routine_id`` is the file name it saves to ('' until it has one); ``source``
    the user file it was opened from (None for a new routine or a copy)."""

    values: dict[str, str] = field(default_factory=dict)
    steps: list[StepDraft] = field(default_factory=list)
    routine_id: str = ""
    source: str | None = None

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def copy(self) -> RoutineDraft:
        return copy.deepcopy(self)

    def to_json(self) -> dict[str, Any]:
        return {"values": dict(self.values), "steps": [s.to_json() for s in self.steps],
                "routine_id": self.routine_id, "source": self.source}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RoutineDraft:
        values = {str(k): str(v) for k, v in dict(data.get("values", {})).items()}
        steps = [StepDraft.from_json(s) for s in data.get("steps", [])]
        source = data.get("source")
        return cls(values, steps, str(data.get("routine_id", "")), str(source) if source else None)


def new_step(number: int) -> StepDraft:
    """A fresh step with a name the user can keep or change ("Step 2", in the user's language)."""
    return StepDraft({"name": _("Step {number}").format(number=number), "duration": "30s"})


def new_routine() -> RoutineDraft:
    """A new routine: one step, the gentlest kind preselected, five seconds to get ready."""
    return RoutineDraft({"title": "", "kind": RoutineKind.STRETCH.value, "get_ready": "5s"}, [new_step(1)])


# -- from a loaded routine ---------------------------------------------------------------------------------


def duration_text(seconds: float) -> str:
    """How a duration is shown in the form: ``45s``, ``1m30s``, ``2m``, ``1h5m``, ``2.5s``."""
    if not math.isfinite(seconds) or seconds < 0:
        return ""
    if seconds != int(seconds):
        return f"{seconds:g}s"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "") + (f"{secs}s" if secs else "")
    return text or "0s"


def _text_of(value: object, spec: FieldSpec) -> str:
    if value is None:
        return ""
    if spec.kind is Kind.DURATION and isinstance(value, int | float):
        return duration_text(float(value))
    if spec.kind is Kind.LINES and isinstance(value, Sequence) and not isinstance(value, str):
        return "\n".join(str(v) for v in value)
    return str(value)


def from_routine(routine: Routine) -> RoutineDraft:
    """The draft of a loaded routine (user routines edit their file; others become a copy)."""
    values = {s.key: _text_of(getattr(routine, s.key, None), s) for s in ROUTINE_FIELDS}
    source = str(routine.path) if routine.origin == "user" and routine.path is not None else None
    return RoutineDraft(
        {k: v for k, v in values.items() if v}, [_step_draft(s) for s in routine.steps], routine.id, source
    )


def _step_draft(step: Step) -> StepDraft:
    values = {s.key: _text_of(getattr(step, s.key, None), s) for s in STEP_FIELDS}
    defaults = {"sides": step.sides == Sides.NONE, "reps": step.reps == 1, "rest": step.rest == 0}
    for key, is_default in defaults.items():
        if is_default:
            values.pop(key, None)
    timing = Timing.HOLD if step.hold is not None else Timing.DURATION
    frames = "" if len(step.images) < 2 or step.frame_seconds == 2.0 else duration_text(step.frame_seconds)
    return StepDraft({k: v for k, v in values.items() if v}, timing, list(step.images), frames)


def _typed(value: object, spec: FieldSpec) -> str:
    """A value as its file has it, as the text the form shows (``0:20`` stays ``0:20``)."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).lower()
    if spec.kind is Kind.LINES and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def from_document(document: object, routine_id: str, source: str | None) -> RoutineDraft | None:
    """The draft of a routine file's content exactly as written (None if it is not a routine mapping).

    Used to edit the user's own files: what they typed (``0:20``, ``90``) is what the form shows."""
    if not isinstance(document, dict) or not isinstance(document.get("steps"), list):
        return None
    values = {s.key: _typed(document[s.key], s) for s in ROUTINE_FIELDS if s.key in document}
    steps = []
    for item in document["steps"]:
        if not isinstance(item, dict):
            return None
        step_values = {s.key: _typed(item[s.key], s) for s in STEP_FIELDS if s.key in item}
        images = item.get("images", [item["image"]] if "image" in item else [])
        frames = _typed(item["frame_seconds"], FieldSpec("", "", Kind.DURATION)) if "frame_seconds" in item else ""
        timing = Timing.HOLD if "hold" in item else Timing.DURATION
        steps.append(
            StepDraft(step_values, timing, [str(i) for i in images] if isinstance(images, list) else [], frames)
        )
    return RoutineDraft(values, steps, routine_id, source)


# -- to YAML -----------------------------------------------------------------------------------------------


def _file_value(text: str, spec: FieldSpec) -> object:
    """What a typed text becomes in the file: numbers stay numbers, a list stays a list, the rest is text."""
    if spec.kind is Kind.LINES:
        return [line.strip() for line in text.splitlines() if line.strip()]
    if spec.kind is Kind.COUNT:
        return int(text) if text.strip().isdigit() else text.strip()
    if spec.kind is Kind.DURATION:
        plain = text.strip()
        if plain.isdigit():
            return int(plain)
        return plain
    if spec.kind is Kind.DATE:
        try:
            return date.fromisoformat(text.strip())  # written as a plain YAML date, 2026-12-01
        except ValueError:
            return text.strip()  # the loader says what is wrong with it
    return text.strip()


def _include(spec: FieldSpec, timing: Timing | None) -> bool:
    if timing is Timing.DURATION and spec.hold_only:
        return False
    return not (timing is Timing.HOLD and spec.duration_only)


def routine_document(draft: RoutineDraft) -> dict[str, object]:
    """The routine as the mapping its file holds, keys in the order of the field tables."""
    document: dict[str, object] = {}
    for spec in ROUTINE_FIELDS:
        text = draft.get(spec.key)
        if text.strip():
            document[spec.key] = _file_value(text, spec)
    document["steps"] = [_step_document(step) for step in draft.steps]
    return document


def _step_document(step: StepDraft) -> dict[str, object]:
    document: dict[str, object] = {}
    for spec in STEP_FIELDS:
        if not _include(spec, step.timing):
            continue
        text = step.get(spec.key)
        if spec.key == "sides" and text.strip() == Sides.NONE.value:
            continue
        if text.strip():
            document[spec.key] = _file_value(text, spec)
        if spec.key == "instructions":  # pictures sit after the words, as in the bundled files
            _add_pictures(document, step)
    return document


def _add_pictures(document: dict[str, object], step: StepDraft) -> None:
    images = [name for name in step.images if name.strip()]
    if len(images) == 1:
        document["image"] = images[0]
    elif images:
        document["images"] = images
        if step.frame_seconds.strip():
            document["frame_seconds"] = _file_value(step.frame_seconds, FieldSpec("frame_seconds", "", Kind.DURATION))


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order given, paragraphs with line breaks as ``|`` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key, as people write them


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def to_yaml(draft: RoutineDraft) -> str:
    """The routine file's text: the schema line for editors, then the routine."""
    body = yaml.dump(
        routine_document(draft),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return f"{SCHEMA_LINE}\n{body}"
