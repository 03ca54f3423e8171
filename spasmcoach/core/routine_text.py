"""Bundled routines and timer presets in the chosen language; a user's own files stay as written.

The bundled texts (titles, summaries, cautions, step names, instructions, spoken cues, preset titles and
advice) are msgids in the one catalogue: ``tools/i18n_catalog.py`` reads them through the same loaders, so
the English text in the YAML file is exactly the key looked up here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any, Protocol, TypeVar

from .i18n import N_, _
from .model import Area, Origin, Routine, RoutineKind, Step

__all__ = [
    "area_label",
    "kind_label",
    "origin_label",
    "localized_library",
    "localized_preset",
    "localized_routine",
    "preset_texts",
    "routine_texts",
]


class _Preset(Protocol):
    """What is translated of a timer preset (the timers package imports this module, not the reverse)."""

    @property
    def title(self) -> str: ...
    @property
    def advice(self) -> str: ...


P = TypeVar("P", bound=_Preset)


def routine_texts(routine: Routine) -> Iterator[str]:
    """Every translatable text of ``routine``, in reading order."""
    yield routine.title
    if routine.summary:
        yield routine.summary
    yield from routine.cautions
    for step in routine.steps:
        yield step.name
        if step.instructions:
            yield step.instructions
        if step.say:
            yield step.say


def preset_texts(preset: _Preset) -> Iterator[str]:
    yield preset.title
    if preset.advice:
        yield preset.advice


def _text(text: str) -> str:
    return _(text) if text else text


def _step(step: Step) -> Step:
    say = _text(step.say) if step.say else step.say
    return dataclasses.replace(step, name=_text(step.name), instructions=_text(step.instructions), say=say)


def localized_routine(routine: Routine) -> Routine:
    """``routine`` in the chosen language if it is bundled; a user's routine unchanged."""
    if routine.origin is not Origin.BUNDLED:
        return routine
    return dataclasses.replace(
        routine,
        title=_text(routine.title),
        summary=_text(routine.summary),
        cautions=tuple(_text(text) for text in routine.cautions),
        steps=tuple(_step(step) for step in routine.steps),
    )


def localized_library(library: Any) -> Any:
    """A loaded library with its bundled routines translated (errors and shadowed files as they were)."""
    library.routines = {key: localized_routine(routine) for key, routine in library.routines.items()}
    return library


def localized_preset(preset: P) -> P:
    """A bundled timer preset with its title and advice in the chosen language."""
    return dataclasses.replace(preset, title=_text(preset.title), advice=_text(preset.advice))  # type: ignore[type-var]


# How a routine's kind, body area and origin are named to people (the values stay the stored identifiers).
KIND_LABELS = {
    RoutineKind.STRETCH: N_("Stretch"), RoutineKind.RELEASE: N_("Release"), RoutineKind.REST: N_("Rest"),
    RoutineKind.WARMUP: N_("Warm-up"), RoutineKind.BREAK: N_("Break"),
}  # fmt: skip
AREA_LABELS = {
    Area.NECK: N_("Neck"), Area.UPPER_BACK: N_("Upper back"), Area.MID_BACK: N_("Mid back"),
    Area.LOWER_BACK: N_("Lower back"), Area.HIPS: N_("Hips"), Area.LEGS: N_("Legs"), Area.WHOLE_BODY: N_("Whole body"),
}  # fmt: skip
ORIGIN_LABELS = {Origin.BUNDLED: N_("bundled"), Origin.USER: N_("yours")}


def kind_label(kind: RoutineKind) -> str:
    return _(KIND_LABELS.get(kind, str(kind)))


def area_label(area: Area | None) -> str:
    return _(AREA_LABELS.get(area, str(area))) if area is not None else ""


def origin_label(origin: Origin) -> str:
    return _(ORIGIN_LABELS.get(origin, str(origin)))
