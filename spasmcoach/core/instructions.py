"""When a step's instructions are read aloud during its get-ready: the setting's values, and the decision for
one run (always, never, or until the routine has been finished once)."""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .journal import Journal

log = logging.getLogger(__name__)


class InstructionsAloud(StrEnum):
    """When a step's instructions are read out during its get-ready (the setting ``sound/instructions``)."""

    FIRST_RUNS = "first-runs"  # until the routine has been finished once: learn it by ear
    ALWAYS = "always"
    NEVER = "never"


def reads_instructions(mode: InstructionsAloud | str, journal: Journal | None, routine_id: str) -> bool:
    """Whether to read the instructions for this run: always, never, or while no run of it has finished.

    One small indexed query; a journal that cannot be read counts as a first run (reading is the safe side).
    """
    try:
        mode = InstructionsAloud(mode)
    except ValueError:
        mode = InstructionsAloud.FIRST_RUNS
    if mode is not InstructionsAloud.FIRST_RUNS:
        return mode is InstructionsAloud.ALWAYS
    if journal is None:
        return True
    try:
        return not any(s.outcome == "completed" for s in journal.sessions(routine=routine_id))
    except Exception:
        log.warning("could not read the journal to see whether %s was run before", routine_id, exc_info=True)
        return True
