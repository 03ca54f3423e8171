"""The one cue catalogue: for every moment the app announces, the sound it plays and the words it speaks.

To add a cue: synthesise its sound in ``tools/make_sounds.py`` (which writes ``assets/sounds``), name the
file in :class:`Sound`, give the moment an entry in :data:`CATALOGUE`, and, for a routine cue, map the
runner's cue to it in :func:`moment_for`. The audio player accepts only :class:`Sound` names.

Spoken words come in two kinds. Most sentences *matter* (what to do next, which side, the step's
instructions): the player queues them and lets each finish, so none is ever replaced by a newer one.
A few are *droppable* (the countdown numbers, "Halfway."): they are skipped while a sentence that matters
is still being spoken or waits to be, so "3" never cuts off "Next: Standing back extension".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Final, NamedTuple

from .i18n import N_, _
from .model import Phase, PhaseKind, Routine, Step, Timeline
from .runner import Cue, CueKind, planned_cues


class Sound(StrEnum):
    """The bundled cue sounds; each value is the stem of a WAV file in ``assets/sounds``."""

    GET_READY = "get-ready"
    HOLD = "hold"
    REST = "rest"
    MOVE = "move"
    HALFWAY = "halfway"
    TICK = "tick"
    SWITCH_SIDES = "switch-sides"
    DONE = "done"
    STOPPED = "stopped"
    TIMER_PHASE = "timer-phase"
    TIMER_DONE = "timer-done"

    @property
    def filename(self) -> str:
        """The sound's file name inside the sounds folder."""
        return f"{self.value}.wav"


class Moment(StrEnum):
    """Every moment that is announced by a sound, by words, or both."""

    GET_READY = "get_ready"  # before a step: names the step that comes next
    HOLD = "hold"  # first (or only) hold of a step, or a timed step: names the step and says its words
    HOLD_AGAIN = "hold_again"  # a later repetition: only the step's own words
    MOVE = "move"  # a timed step (a movement, not a hold): names the step and says its words
    INSTRUCTIONS = "instructions"  # during get-ready, when asked for: the step's instructions read out
    REST = "rest"
    REST_BEFORE_SIDE = "rest_before_side"  # the rest before the other side: names the side that comes next
    SWITCH_SIDES = "switch_sides"
    NEW_SIDE = "new_side"  # the phase a side switch starts: the switch sound stands in for its own
    HALFWAY = "halfway"
    COUNTDOWN = "countdown"  # 3, 2, 1 before a phase ends
    DONE = "done"  # the routine is finished
    STOPPED = "stopped"  # the routine was stopped (pain stop)
    TIMER_PHASE = "timer_phase"  # an ice/heat timer moves to its next phase
    TIMER_DONE = "timer_done"  # an ice/heat timer is finished


@dataclass(frozen=True)
class CueEntry:
    """How one moment sounds: a sound (or None) and words to speak.

    The words may use ``{step}``, ``{say}``, ``{count}``, ``{side}`` (the side this or the next phase is
    on), ``{sides}`` (" Left side first." or " Left side." before a step done on sides) and
    ``{instructions}`` and ``{move}`` (how to change position before the step, see ``core.positions``).
    ``droppable`` words may be skipped while words that matter are being spoken.
    """

    sound: Sound | None
    words: str | None = None
    droppable: bool = False

    def spoken(
        self,
        *,
        step: str = "",
        say: str = "",
        count: int | None = None,
        side: str = "",
        sides: str = "",
        instructions: str = "",
        move: str = "",
    ) -> str | None:
        """The words filled in for one cue, or None when nothing is left to say."""
        if self.words is None:
            return None
        words = self.words.replace("{side}", side) if side in ("left", "right") else self.words
        values = {"step": step, "say": say, "count": "" if count is None else count, "side": side}
        text = _(words).format(**values, sides=sides, instructions=instructions, move=move)
        text = " ".join(text.split())
        return text or None


CATALOGUE: Final[Mapping[Moment, CueEntry]] = MappingProxyType(
    {
        Moment.GET_READY: CueEntry(Sound.GET_READY, N_("Next: {step}.{sides} {move}")),
        Moment.HOLD: CueEntry(Sound.HOLD, N_("{step}. {say}")),
        Moment.HOLD_AGAIN: CueEntry(Sound.HOLD, "{say}"),
        Moment.MOVE: CueEntry(Sound.MOVE, N_("{step}. {say}")),
        Moment.INSTRUCTIONS: CueEntry(None, "{instructions}"),
        Moment.REST: CueEntry(Sound.REST, N_("Rest.")),
        Moment.REST_BEFORE_SIDE: CueEntry(Sound.REST, "Rest. Next: {side} side."),  # see SIDE_WORDS
        Moment.SWITCH_SIDES: CueEntry(Sound.SWITCH_SIDES, "Switch to the {side} side."),  # see SIDE_WORDS
        Moment.NEW_SIDE: CueEntry(None, "{say}"),
        Moment.HALFWAY: CueEntry(Sound.HALFWAY, N_("Halfway."), droppable=True),
        Moment.COUNTDOWN: CueEntry(Sound.TICK, "{count}", droppable=True),
        Moment.DONE: CueEntry(Sound.DONE, N_("Done. Well done.")),
        Moment.STOPPED: CueEntry(Sound.STOPPED),
        Moment.TIMER_PHASE: CueEntry(Sound.TIMER_PHASE),
        Moment.TIMER_DONE: CueEntry(Sound.TIMER_DONE),
    }
)
"""The catalogue itself: every :class:`Moment` has exactly one entry."""

# A sentence naming a side is translated whole (German declines "left" differently in each), so each
# "{side}" template is looked up with the side filled in: these are its msgids.
SIDE_WORDS: Final = (
    N_("Rest. Next: left side."), N_("Rest. Next: right side."),
    N_("Switch to the left side."), N_("Switch to the right side."),
    N_("Left side first."), N_("Right side first."), N_("Left side."), N_("Right side."),
)  # fmt: skip


def sound_of(moment: Moment) -> Sound | None:
    """The sound played at ``moment`` (None if it is only spoken)."""
    return CATALOGUE[moment].sound


class Announcement(NamedTuple):
    """What to play and say for one runner cue, and when it is due (a clock reading).

    ``droppable`` words may be skipped while words that matter are spoken; ``until`` (a clock reading, or
    None) is when the words stop being useful: the end of the phase they are about.
    """

    sound: Sound | None
    text: str | None
    due: float
    droppable: bool = False
    until: float | None = None


_PHASE_MOMENT: Final[Mapping[PhaseKind, Moment]] = MappingProxyType(
    {
        PhaseKind.GET_READY: Moment.GET_READY,
        PhaseKind.HOLD: Moment.HOLD,
        PhaseKind.REST: Moment.REST,
        PhaseKind.TIMED: Moment.MOVE,
    }
)

_KIND_MOMENT: Final[Mapping[CueKind, Moment]] = MappingProxyType(
    {
        CueKind.SIDE_SWITCH: Moment.SWITCH_SIDES,
        CueKind.HALFWAY: Moment.HALFWAY,
        CueKind.COUNTDOWN: Moment.COUNTDOWN,
        CueKind.FINISHED: Moment.DONE,
        CueKind.STOPPED: Moment.STOPPED,
    }
)


def moment_for(cue: Cue, *, side_switch: bool = False, side_next: bool = False) -> Moment | None:
    """The moment a runner cue announces (None for a step change, which is shown but not heard).

    ``side_switch`` says that a side-switch cue falls on this cue's phase, so its start is the new side;
    ``side_next`` that this cue's phase is the rest just before the other side starts.
    """
    phase = cue.phase
    if cue.kind is not CueKind.PHASE_START:
        return _KIND_MOMENT.get(cue.kind)
    if phase is None:
        return None
    if side_switch:
        return Moment.NEW_SIDE
    moment = _PHASE_MOMENT[phase.kind]
    if moment is Moment.HOLD and (phase.rep or 1) > 1:
        return Moment.HOLD_AGAIN
    if moment is Moment.REST and side_next:
        return Moment.REST_BEFORE_SIDE
    return moment


def _following(phase: Phase, timeline: Timeline | None) -> Phase | None:
    """The phase after ``phase`` in ``timeline`` (None at the end or without a timeline)."""
    if timeline is None or phase.index + 1 >= len(timeline.phases):
        return None
    return timeline.phases[phase.index + 1]


def _sides_note(step: Step) -> str:
    """' Left side first.' for a step on both sides, ' Left side.' for one side, '' for none."""
    order = step.sides.order()
    if order == (None,):
        return ""
    first = str(order[0]).capitalize()
    return " " + _(f"{first} side first." if len(order) > 1 else f"{first} side.")  # msgids in SIDE_WORDS


def sounds_for(
    cues: Sequence[Cue], timeline: Timeline | None = None, *, read_instructions: bool = False
) -> list[Announcement]:
    """An announcement for each cue worth announcing.

    A side switch replaces its hold sound and says which side; with ``timeline`` the rest before the other
    side names it in advance. With ``read_instructions`` a step's instructions are read after the words
    that start it (during its get-ready), so it can be followed by ear alone.
    """
    switching = {c.phase.index for c in cues if c.kind is CueKind.SIDE_SWITCH and c.phase is not None}
    out: list[Announcement] = []
    for cue in cues:
        phase = cue.phase
        following = _following(phase, timeline) if phase is not None else None
        side_next = following is not None and following.side_switch
        moment = moment_for(cue, side_switch=phase is not None and phase.index in switching, side_next=side_next)
        if moment is None:
            continue
        entry = CATALOGUE[moment]
        if phase is None:
            out.append(Announcement(entry.sound, entry.spoken(count=cue.count), cue.due, entry.droppable))
            continue
        # Words about the next phase (get-ready, the rest before a side) stay useful until that one ends.
        about = following if following is not None and moment in _ABOUT_NEXT else phase
        until = cue.due + (about.end - cue.offset)
        side = (following.side if moment is Moment.REST_BEFORE_SIDE and following else phase.side) or ""
        step = phase.step
        move = "" if read_instructions else step.move  # read out with the instructions, which open with it
        text = entry.spoken(
            step=step.name, say=step.say or "", count=cue.count, side=side, sides=_sides_note(step), move=move
        )  # fmt: skip
        if entry.sound or text:
            out.append(Announcement(entry.sound, text, cue.due, entry.droppable, until))
        if read_instructions and cue.kind is CueKind.PHASE_START and phase.first_of_step:
            words = CATALOGUE[Moment.INSTRUCTIONS].spoken(instructions=step.instructions)
            if words:
                work = following if phase.kind is PhaseKind.GET_READY and following is not None else phase
                out.append(Announcement(None, words, cue.due, False, cue.due + (work.end - cue.offset)))
    return out


_ABOUT_NEXT: Final = frozenset({Moment.GET_READY, Moment.REST_BEFORE_SIDE})


def spoken_texts(timeline: Timeline, *, read_instructions: bool = False) -> list[str]:
    """Every sentence a run of ``timeline`` may speak, in order, each once: what the player renders ahead."""
    texts: dict[str, None] = {}
    for announcement in sounds_for(planned_cues(timeline), timeline, read_instructions=read_instructions):
        if announcement.text:
            texts[announcement.text] = None
    return list(texts)


SECONDS_PER_WORD = 0.33
SECONDS_PER_PAUSE = 0.5
SECONDS_TO_SETTLE = 1.0
MAX_LISTEN_SECONDS = 600  # the loader's limit for a get-ready
"""How long spoken words take, a little generously: fitted to espeak-ng at 140 words a minute (the app's
voice) over every bundled step, where it never underestimates by more than about a second."""


def listening_seconds(text: str) -> float:
    """About how long ``text`` takes to say, by its words and punctuation pauses (no audio needed)."""
    words = len(text.split())
    if not words:
        return 0.0
    pauses = sum(text.count(mark) for mark in ".,;:!?")
    return words * SECONDS_PER_WORD + pauses * SECONDS_PER_PAUSE + SECONDS_TO_SETTLE


def with_time_to_listen(routine: Routine) -> Routine:
    """``routine`` with each get-ready long enough to hear "Next: …" and the step's instructions read out.

    A get-ready is only ever lengthened (to at most :data:`MAX_LISTEN_SECONDS`, the loader's own limit for
    a get-ready), and a step the author gave no get-ready keeps none.
    """
    steps = []
    for step in routine.steps:
        get_ready = routine.step_get_ready(step)
        heard = CATALOGUE[Moment.GET_READY].spoken(step=step.name, sides=_sides_note(step)) or ""
        needed = listening_seconds(heard) + listening_seconds(step.instructions)
        if 0 < get_ready < needed:
            step = replace(step, get_ready=float(min(math.ceil(needed), MAX_LISTEN_SECONDS)))
        steps.append(step)
    return replace(routine, steps=tuple(steps))
