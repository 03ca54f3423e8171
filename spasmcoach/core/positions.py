"""Changing position between steps: the careful way to get from lying to sitting, from standing to the floor.

A back in spasm is hurt most by getting up and down carelessly, so when a step is done in another position
than the one before it, the player says and shows how to move (roll onto your side first, use your arms)
and gives at least :data:`MOVE_SECONDS` to do it. The words are in :data:`MOVES`, one table; the labels
the library's "Where I am now" filter shows are in :data:`WHERE_LABELS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Final

from .i18n import N_, _
from .model import Position, Routine

MOVE_SECONDS = 15.0  # the least get-ready before a step in another position: time to move slowly

_LYING = (Position.FLOOR, Position.BED)

# (from, to) -> how to move; marked for translation, translated where it is said or shown.
MOVES: Final[Mapping[tuple[Position, Position], str]] = MappingProxyType(
    {
        **{
            (lying, Position.CHAIR): N_(
                "Now sit up slowly: roll onto your side first, then push yourself up with your arms."
            )
            for lying in _LYING
        },
        **{
            (lying, Position.STANDING): N_(
                "Now get up slowly: roll onto your side first, push up to sitting with your arms, then stand."
            )
            for lying in _LYING
        },
        (Position.FLOOR, Position.BED): N_(
            "Now move to the bed slowly: roll onto your side first and push up with your arms."
        ),
        (Position.BED, Position.FLOOR): N_(
            "Now move to the floor slowly: roll onto your side, sit up with your arms, then lower yourself down."
        ),
        (Position.CHAIR, Position.FLOOR): N_(
            "Lower yourself down carefully: onto your hands and knees first, then onto your side, then your back."
        ),
        (Position.CHAIR, Position.BED): N_(
            "Now lie down slowly: sit on the edge of the bed, lower yourself onto your side, then roll onto your back."
        ),
        (Position.CHAIR, Position.STANDING): N_(
            "Now stand up slowly: move to the front of the seat and push up with your hands."
        ),
        (Position.STANDING, Position.FLOOR): N_(
            "Lower yourself down carefully: hold on to something steady and kneel, then lower yourself onto your side "
            "with your arms and roll onto your back."
        ),
        (Position.STANDING, Position.BED): N_(
            "Now lie down slowly: sit on the edge of the bed, lower yourself onto your side, then roll onto your back."
        ),
        (Position.STANDING, Position.CHAIR): N_("Now sit down slowly, with your hands on the chair for support."),
    }
)

WHERE_LABELS: Final[Mapping[Position | None, str]] = MappingProxyType(
    {
        None: N_("Anywhere"),
        Position.BED: N_("In bed"),
        Position.FLOOR: N_("On the floor"),
        Position.CHAIR: N_("In a chair"),
        Position.STANDING: N_("Standing"),
    }
)
"""The "Where I am now" choices, in the order the library lists them."""

POSITION_LABELS: Final[Mapping[Position, str]] = MappingProxyType(
    {
        Position.FLOOR: N_("on the floor"),
        Position.BED: N_("in bed"),
        Position.CHAIR: N_("in a chair"),
        Position.STANDING: N_("standing"),
    }
)
"""How a step's position is named in a sentence ("Done on the floor")."""


def move_words(before: Position | None, after: Position | None) -> str | None:
    """How to move from ``before`` to ``after`` (translated), or None when there is nothing to change."""
    if before is None or after is None or before is after:
        return None
    words = MOVES.get((before, after))
    return _(words) if words else None


def moves(routine: Routine) -> list[str | None]:
    """For each step of ``routine``, how to move into its position from the step before (None if no change)."""
    out: list[str | None] = []
    previous: Position | None = None
    for step in routine.steps:
        here = routine.step_position(step)
        out.append(move_words(previous, here))
        if here is not None:
            previous = here
    return out


def with_moves(routine: Routine) -> Routine:
    """``routine`` for one run: a step in a new position opens its instructions with how to move there, and
    its get-ready lasts at least :data:`MOVE_SECONDS` (only ever lengthened), so the move is shown, said
    and has time. The routine file and ``spasmcoach show`` are unchanged.
    """
    steps = []
    for step, words in zip(routine.steps, moves(routine), strict=True):
        if words:
            instructions = f"{words}\n\n{step.instructions}" if step.instructions else words
            get_ready = max(routine.step_get_ready(step), MOVE_SECONDS)
            step = replace(step, instructions=instructions, get_ready=get_ready, move=words)
        steps.append(step)
    return replace(routine, steps=tuple(steps))
