"""The one cue catalogue: for every moment the app announces, the sound it plays and the words it speaks.

To add a cue: synthesise its sound in ``tools/make_sounds.py`` (which writes ``assets/sounds``), name the
file in :class:`Sound`, give the moment an entry in :data:`CATALOGUE`, and, for a routine cue, map the
runner's cue to it in :func:`moment_for`. The audio player accepts only :class:`Sound` names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final, NamedTuple

from .model import PhaseKind
from .runner import Cue, CueKind


class Sound(StrEnum):
    """The bundled cue sounds; each value is the stem of a WAV file in ``assets/sounds``."""

    GET_READY = "get-ready"
    HOLD = "hold"
    REST = "rest"
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
    REST = "rest"
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
    """How one moment sounds: a sound (or None) and words to speak, with ``{step}``, ``{say}``, ``{count}``."""

    sound: Sound | None
    words: str | None = None

    def spoken(self, *, step: str = "", say: str = "", count: int | None = None) -> str | None:
        """The words filled in for one cue, or None when nothing is left to say."""
        if self.words is None:
            return None
        text = self.words.format(step=step, say=say, count="" if count is None else count).strip()
        return text or None


CATALOGUE: Final[Mapping[Moment, CueEntry]] = MappingProxyType(
    {
        Moment.GET_READY: CueEntry(Sound.GET_READY, "Next: {step}."),
        Moment.HOLD: CueEntry(Sound.HOLD, "{step}. {say}"),
        Moment.HOLD_AGAIN: CueEntry(Sound.HOLD, "{say}"),
        Moment.REST: CueEntry(Sound.REST, "Rest."),
        Moment.SWITCH_SIDES: CueEntry(Sound.SWITCH_SIDES, "Switch sides."),
        Moment.NEW_SIDE: CueEntry(None, "{say}"),
        Moment.HALFWAY: CueEntry(Sound.HALFWAY, "Halfway."),
        Moment.COUNTDOWN: CueEntry(Sound.TICK, "{count}"),
        Moment.DONE: CueEntry(Sound.DONE, "Done. Well done."),
        Moment.STOPPED: CueEntry(Sound.STOPPED),
        Moment.TIMER_PHASE: CueEntry(Sound.TIMER_PHASE),
        Moment.TIMER_DONE: CueEntry(Sound.TIMER_DONE),
    }
)
"""The catalogue itself: every :class:`Moment` has exactly one entry."""


def sound_of(moment: Moment) -> Sound | None:
    """The sound played at ``moment`` (None if it is only spoken)."""
    return CATALOGUE[moment].sound


class Announcement(NamedTuple):
    """What to play and say for one runner cue, and when it is due (a clock reading)."""

    sound: Sound | None
    text: str | None
    due: float


_PHASE_MOMENT: Final[Mapping[PhaseKind, Moment]] = MappingProxyType(
    {
        PhaseKind.GET_READY: Moment.GET_READY,
        PhaseKind.HOLD: Moment.HOLD,
        PhaseKind.REST: Moment.REST,
        PhaseKind.TIMED: Moment.HOLD,
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


def moment_for(cue: Cue, *, side_switch: bool = False) -> Moment | None:
    """The moment a runner cue announces (None for a step change, which is shown but not heard).

    ``side_switch`` says that a side-switch cue falls on this cue's phase, so its start is the new side.
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
    return moment


def sounds_for(cues: Sequence[Cue]) -> list[Announcement]:
    """An announcement for each cue worth announcing; a side switch replaces its hold sound."""
    switching = {c.phase.index for c in cues if c.kind is CueKind.SIDE_SWITCH and c.phase is not None}
    out: list[Announcement] = []
    for cue in cues:
        phase = cue.phase
        moment = moment_for(cue, side_switch=phase is not None and phase.index in switching)
        if moment is None:
            continue
        entry = CATALOGUE[moment]
        step, say = (phase.step.name, phase.step.say or "") if phase is not None else ("", "")
        announcement = Announcement(entry.sound, entry.spoken(step=step, say=say, count=cue.count), cue.due)
        if announcement.sound or announcement.text:
            out.append(announcement)
    return out
