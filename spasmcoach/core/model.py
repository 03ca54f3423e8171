"""The routine model and its deterministic expansion into a timeline of phases.

A :class:`Routine` is what a YAML file says; a :class:`Timeline` is the flat list of timed phases the
runner plays. For ``hold`` steps the expansion is: for each side in order, for each rep, one hold, then a
rest unless it is the step's last hold; every step starts with its get-ready phase.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path


class RoutineKind(StrEnum):
    STRETCH = "stretch"
    RELEASE = "release"
    REST = "rest"
    WARMUP = "warmup"
    BREAK = "break"


class Area(StrEnum):
    NECK = "neck"
    UPPER_BACK = "upper-back"
    MID_BACK = "mid-back"
    LOWER_BACK = "lower-back"
    HIPS = "hips"
    LEGS = "legs"
    WHOLE_BODY = "whole-body"


class Sides(StrEnum):
    NONE = "none"
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"

    def order(self) -> tuple[str | None, ...]:
        """The sides a step is done on, in order; ``(None,)`` for a step without sides."""
        return {"none": (None,), "left": ("left",), "right": ("right",), "both": ("left", "right")}[self.value]


class Position(StrEnum):
    """Where a routine or step is done; a routine's position is the default of its steps."""

    FLOOR = "floor"
    BED = "bed"
    CHAIR = "chair"
    STANDING = "standing"


class PhaseKind(StrEnum):
    GET_READY = "get_ready"
    HOLD = "hold"
    REST = "rest"
    TIMED = "timed"  # a step given as one ``duration`` block

    @property
    def label(self) -> str:
        """How the player names this phase to the user."""
        return {"get_ready": "Get ready", "hold": "Hold", "rest": "Rest", "timed": "Now"}[self.value]


class Origin(StrEnum):
    BUNDLED = "bundled"
    USER = "user"


DEFAULT_GET_READY = 5.0
MAX_PHASE_SECONDS = 2 * 3600.0


@dataclass(frozen=True)
class Step:
    """One exercise or position. Exactly one of ``duration`` and ``hold`` is set."""

    name: str
    instructions: str = ""
    duration: float | None = None
    hold: float | None = None
    reps: int = 1
    rest: float = 0.0
    sides: Sides = Sides.NONE
    images: tuple[str, ...] = ()
    frame_seconds: float = 2.0
    say: str | None = None
    get_ready: float | None = None  # overrides the routine's value
    line: int = 0  # where the step starts in its file, for messages
    position: Position | None = None  # its own; None takes the routine's (see Routine.step_position)
    move: str = ""  # how to get into its position, set for a run only (core.positions.with_moves)

    @property
    def holds(self) -> int:
        return self.reps * len(self.sides.order())


@dataclass(frozen=True)
class Routine:
    """A routine as loaded from one YAML file; ``id`` is the file name without ``.yaml``."""

    id: str
    title: str
    kind: RoutineKind
    steps: tuple[Step, ...]
    area: Area | None = None
    summary: str = ""
    cautions: tuple[str, ...] = ()
    get_ready: float = DEFAULT_GET_READY
    path: Path | None = None
    origin: Origin = Origin.BUNDLED
    position: Position | None = None  # the default of its steps
    prescribed_by: str = ""  # who prescribed it (a physio, a doctor)
    prescribed_on: date | None = None
    review_on: date | None = None  # when to go over it again with whoever prescribed it
    note: str = ""  # for the patient, from whoever prescribed it

    @property
    def prescribed(self) -> bool:
        """Whether someone prescribed this routine (any of the prescription fields is given)."""
        return bool(self.prescribed_by or self.prescribed_on or self.review_on or self.note)

    def review_due(self, today: date) -> bool:
        """Whether the review date has come (so the library says "Review with your physio")."""
        return self.review_on is not None and self.review_on <= today

    def step_position(self, step: Step) -> Position | None:
        """Where ``step`` is done: its own position, else the routine's (None when neither says)."""
        return self.position if step.position is None else step.position

    def positions(self) -> frozenset[Position]:
        """Every position the routine's steps are done in (empty when the file says none)."""
        return frozenset(p for p in (self.step_position(s) for s in self.steps) if p is not None)

    def fits(self, where: Position | None) -> bool:
        """Whether every step can be done ``where`` the user is (None: anywhere, so every routine fits).

        A routine that does not say its positions fits only "anywhere": it may ask for anything.
        """
        if where is None:
            return True
        return all(self.step_position(s) is where for s in self.steps) and bool(self.steps)

    def step_get_ready(self, step: Step) -> float:
        return self.get_ready if step.get_ready is None else step.get_ready

    def without_steps(self, names: set[str] | frozenset[str]) -> Routine:
        """This routine with the named steps left out (e.g. the one that hurt last time)."""
        kept = tuple(s for s in self.steps if s.name not in names)
        return replace(self, steps=kept)

    def timeline(self) -> Timeline:
        return expand(self)

    @property
    def total(self) -> float:
        return self.timeline().total


@dataclass(frozen=True)
class Phase:
    """One timed block of the timeline. ``start`` is seconds from the routine's start."""

    index: int
    step_index: int
    step: Step
    kind: PhaseKind
    start: float
    duration: float
    side: str | None = None
    rep: int | None = None  # 1-based; None for get-ready and timed blocks
    first_of_step: bool = False
    last_of_step: bool = False
    side_switch: bool = False  # the first hold on a new side of the same step

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True)
class Timeline:
    routine: Routine
    phases: tuple[Phase, ...] = field(default_factory=tuple)

    @property
    def total(self) -> float:
        return self.phases[-1].end if self.phases else 0.0

    def step_start(self, step_index: int) -> float:
        """When the given step's first phase begins."""
        return next(p.start for p in self.phases if p.step_index == step_index)

    def phase_at(self, offset: float) -> Phase | None:
        """The phase running at ``offset`` seconds from the start (None before 0 or after the end)."""
        for phase in self.phases:
            if phase.start <= offset < phase.end:
                return phase
        return None

    def next_step_phase(self, phase: Phase) -> Phase | None:
        """The first phase of the step after ``phase``'s step."""
        return next((p for p in self.phases[phase.index :] if p.step_index > phase.step_index), None)


def expand(routine: Routine) -> Timeline:
    """Expand ``routine`` into its phases; deterministic, so ``show`` and the player always agree."""
    plan: list[tuple[int, Step, PhaseKind, float, str | None, int | None, bool]] = []
    for step_index, step in enumerate(routine.steps):
        get_ready = routine.step_get_ready(step)
        if get_ready > 0:
            plan.append((step_index, step, PhaseKind.GET_READY, get_ready, None, None, False))
        if step.duration is not None:
            plan.append((step_index, step, PhaseKind.TIMED, step.duration, None, None, False))
            continue
        assert step.hold is not None
        sides = step.sides.order()
        for side_number, side in enumerate(sides):
            for number in range(1, step.reps + 1):
                switch = side_number > 0 and number == 1
                plan.append((step_index, step, PhaseKind.HOLD, step.hold, side, number, switch))
                last_hold = side_number == len(sides) - 1 and number == step.reps
                if step.rest > 0 and not last_hold:
                    plan.append((step_index, step, PhaseKind.REST, step.rest, side, number, False))

    phases: list[Phase] = []
    start = 0.0
    for index, (step_index, step, kind, duration, side, rep, switch) in enumerate(plan):
        first = index == 0 or plan[index - 1][0] != step_index
        last = index == len(plan) - 1 or plan[index + 1][0] != step_index
        phases.append(Phase(index, step_index, step, kind, start, duration, side, rep, first, last, switch))
        start += duration
    return Timeline(routine, tuple(phases))
