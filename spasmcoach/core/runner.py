"""The timing engine: plays a routine's timeline against a clock and reports cue points.

The runner never counts ticks. Its position is ``clock.now() - origin``; pausing freezes the position,
resuming moves ``origin`` forward by the time spent paused, and skipping or going back re-anchors
``origin``. Every phase boundary is therefore start time + planned durations + time paused, so nothing
drifts however long the routine or however irregularly :meth:`Runner.poll` is called.

The runner is passive: the GUI calls :meth:`poll` when :meth:`seconds_to_next_cue` says something is
due, and plays or shows the returned cues.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from enum import StrEnum

from .clock import Clock
from .model import Phase, PhaseKind, Timeline

HALFWAY_MIN_SECONDS = 10.0  # no "halfway" cue in short phases: it would crowd the countdown
COUNTDOWN_FROM = 3
COUNTDOWN_MIN_SECONDS = 4.0
BACK_RESTARTS_AFTER = 2.0  # "back" within this many seconds of a phase start goes to the previous phase


class RunnerState(StrEnum):
    IDLE = "idle"
    GET_READY = "get_ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"

    @property
    def active(self) -> bool:
        """Running, getting ready or paused: a routine is under way and can be stopped."""
        return self in (RunnerState.GET_READY, RunnerState.RUNNING, RunnerState.PAUSED)


class CueKind(StrEnum):
    STEP_CHANGE = "step_change"
    SIDE_SWITCH = "side_switch"
    PHASE_START = "phase_start"
    HALFWAY = "halfway"
    COUNTDOWN = "countdown"
    FINISHED = "finished"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Cue:
    """Something to announce. ``offset`` is its planned place in the timeline, ``due`` the clock time."""

    kind: CueKind
    phase: Phase | None
    offset: float
    due: float = 0.0
    count: int | None = None  # 3, 2, 1 for COUNTDOWN


@dataclass(frozen=True)
class StopPoint:
    """Where a routine was when it was stopped: what the journal's pain_stop event records."""

    phase: Phase | None
    offset: float
    seconds_into_step: float


@dataclass(frozen=True)
class Snapshot:
    """What the player shows at one moment."""

    state: RunnerState
    phase: Phase | None
    offset: float
    remaining: float  # seconds left in the phase
    phase_fraction: float  # 0..1 through the phase
    routine_fraction: float  # 0..1 through the routine
    next_phase: Phase | None


def planned_cues(timeline: Timeline) -> list[Cue]:
    """Every cue of the timeline in the order it falls due (``due`` left at 0: the runner stamps it)."""
    plan: list[Cue] = []
    for phase in timeline.phases:
        if phase.first_of_step:
            plan.append(Cue(CueKind.STEP_CHANGE, phase, phase.start))
        if phase.side_switch:
            plan.append(Cue(CueKind.SIDE_SWITCH, phase, phase.start))
        plan.append(Cue(CueKind.PHASE_START, phase, phase.start))
        if phase.kind in (PhaseKind.HOLD, PhaseKind.TIMED) and phase.duration >= HALFWAY_MIN_SECONDS:
            plan.append(Cue(CueKind.HALFWAY, phase, phase.start + phase.duration / 2))
        if phase.duration >= COUNTDOWN_MIN_SECONDS:
            for count in range(COUNTDOWN_FROM, 0, -1):
                plan.append(Cue(CueKind.COUNTDOWN, phase, phase.end - count, count=count))
    plan.append(Cue(CueKind.FINISHED, None, timeline.total))
    return plan


class Runner:
    """Plays one timeline. States: idle, get_ready, running, paused, finished, stopped."""

    def __init__(self, timeline: Timeline, clock: Clock) -> None:
        if not timeline.phases:
            raise ValueError("a routine needs at least one step to run")
        self.timeline = timeline
        self.clock = clock
        self._plan = planned_cues(timeline)
        self._plan_offsets = [cue.offset for cue in self._plan]
        self._next_cue = 0
        self._origin = 0.0
        self._paused_at: float | None = None  # the frozen position while paused
        self._state = RunnerState.IDLE
        self._pending: list[Cue] = []
        self._last_offset = 0.0
        self._done_steps: set[int] = set()
        self.stop_point: StopPoint | None = None

    # -- reading -------------------------------------------------------------------------------
    @property
    def state(self) -> RunnerState:
        return self._state

    @property
    def offset(self) -> float:
        """Seconds into the timeline, clamped to [0, total]."""
        if self._state is RunnerState.IDLE:
            return 0.0
        if self._state is RunnerState.FINISHED:
            return self.timeline.total
        if self._paused_at is not None:
            return self._paused_at
        if self._state is RunnerState.STOPPED and self.stop_point is not None:
            return self.stop_point.offset
        return min(max(self.clock.now() - self._origin, 0.0), self.timeline.total)

    @property
    def current_phase(self) -> Phase | None:
        if self._state in (RunnerState.IDLE, RunnerState.FINISHED):
            return None
        return self.timeline.phase_at(self.offset) or self.timeline.phases[-1]

    @property
    def steps_done(self) -> int:
        """Steps the user went through to their end (steps skipped past do not count)."""
        return len(self._done_steps)

    def snapshot(self) -> Snapshot:
        offset = self.offset
        phase = self.current_phase
        total = self.timeline.total
        if phase is None:
            return Snapshot(self._state, None, offset, 0.0, 1.0 if offset else 0.0, offset / total, None)
        remaining = max(phase.end - offset, 0.0)
        fraction = min(max((offset - phase.start) / phase.duration, 0.0), 1.0)
        following = self.timeline.phases[phase.index + 1] if phase.index + 1 < len(self.timeline.phases) else None
        return Snapshot(self._state, phase, offset, remaining, fraction, offset / total, following)

    def seconds_to_next_cue(self) -> float | None:
        """Clock seconds until the next cue falls due; None when nothing will happen by itself."""
        if self._pending:
            return 0.0
        if self._state not in (RunnerState.GET_READY, RunnerState.RUNNING) or self._next_cue >= len(self._plan):
            return None
        return max(self._plan[self._next_cue].offset - self.offset, 0.0)

    # -- driving -------------------------------------------------------------------------------
    def start(self) -> list[Cue]:
        if self._state is not RunnerState.IDLE:
            raise RuntimeError(f"cannot start a runner that is {self._state}")
        self._origin = self.clock.now()
        self._state = RunnerState.RUNNING
        return self.poll()

    def poll(self) -> list[Cue]:
        """The cues that fell due since the last call, oldest first, each stamped with its due time."""
        if self._state in (RunnerState.GET_READY, RunnerState.RUNNING):
            self._advance(self.offset)
        cues, self._pending = self._pending, []
        return cues

    def _advance(self, offset: float) -> None:
        while self._next_cue < len(self._plan) and self._plan_offsets[self._next_cue] <= offset:
            cue = self._plan[self._next_cue]
            self._pending.append(self._stamped(cue))
            self._next_cue += 1
        self._count_done_steps(offset)
        if offset >= self.timeline.total:
            self._state = RunnerState.FINISHED
            self._paused_at = None
        else:
            self._update_active_state()

    def _count_done_steps(self, offset: float) -> None:
        """Steps whose last phase ended between the last look and ``offset`` were gone through."""
        for phase in self.timeline.phases:
            if phase.last_of_step and self._last_offset < phase.end <= offset:
                self._done_steps.add(phase.step_index)
        self._last_offset = max(self._last_offset, offset)

    def _stamped(self, cue: Cue) -> Cue:
        due = self._origin + cue.offset if self._paused_at is None else self.clock.now()
        return Cue(cue.kind, cue.phase, cue.offset, due, cue.count)

    def _update_active_state(self) -> None:
        if self._paused_at is not None:
            self._state = RunnerState.PAUSED
            return
        phase = self.timeline.phase_at(self.offset)
        get_ready = phase is not None and phase.kind is PhaseKind.GET_READY
        self._state = RunnerState.GET_READY if get_ready else RunnerState.RUNNING

    def pause(self) -> None:
        if self._state not in (RunnerState.GET_READY, RunnerState.RUNNING):
            return
        self.poll_into_pending()
        if self._state is RunnerState.FINISHED:
            return
        self._paused_at = self.offset
        self._state = RunnerState.PAUSED

    def resume(self) -> None:
        if self._state is not RunnerState.PAUSED or self._paused_at is None:
            return
        self._origin = self.clock.now() - self._paused_at
        self._paused_at = None
        self._update_active_state()

    def toggle_pause(self) -> None:
        if self._state is RunnerState.PAUSED:
            self.resume()
        else:
            self.pause()

    def _phase_to_move_from(self) -> Phase | None:
        """The up-to-date current phase, or None when there is nothing to skip or go back in."""
        if not self._state.active:
            return None
        self.poll_into_pending()
        return self.current_phase if self._state.active else None

    def skip(self) -> None:
        """Go to the start of the next phase (finishing the routine from its last phase)."""
        phase = self._phase_to_move_from()
        if phase is None:
            return
        if phase.index + 1 >= len(self.timeline.phases):
            self._seek(self.timeline.total)
        else:
            self._seek(self.timeline.phases[phase.index + 1].start)

    def back(self) -> None:
        """Restart the current phase, or go to the previous one if it has only just begun."""
        phase = self._phase_to_move_from()
        if phase is None:
            return
        if self.offset - phase.start < BACK_RESTARTS_AFTER and phase.index > 0:
            self._seek(self.timeline.phases[phase.index - 1].start)
        else:
            self._seek(phase.start)

    def _seek(self, offset: float) -> None:
        """Move the playhead; the target's own cues (step change, phase start) fall due at once."""
        self._next_cue = bisect.bisect_left(self._plan_offsets, offset)
        self._last_offset = offset
        if self._paused_at is not None:
            self._paused_at = offset
            if offset >= self.timeline.total:
                self._paused_at = None
                self._origin = self.clock.now() - offset
                self._advance(offset)
                return
            while self._next_cue < len(self._plan) and self._plan_offsets[self._next_cue] <= offset:
                self._pending.append(self._stamped(self._plan[self._next_cue]))
                self._next_cue += 1
            return
        self._origin = self.clock.now() - offset
        self._advance(offset)

    def poll_into_pending(self) -> None:
        """Bring the runner up to date without handing out cues (they stay for the next poll)."""
        if self._state in (RunnerState.GET_READY, RunnerState.RUNNING):
            self._advance(self.offset)

    def stop(self) -> StopPoint:
        """Halt at once ("stop — pain increased"). Pending cues are dropped; a STOPPED cue is queued.

        A stop always wins over an end that fell due since the last poll: someone who pressed Stop as the
        routine ended stopped it, and the record must say where they were.
        """
        offset = self.offset
        if self._state.active:
            offset = min(offset, math.nextafter(self.timeline.total, 0.0))
            self._count_done_steps(offset)
        phase = (self.timeline.phase_at(offset) or self.timeline.phases[-1]) if self._state.active else None
        into_step = offset - self.timeline.step_start(phase.step_index) if phase else 0.0
        point = StopPoint(phase, offset, into_step)
        if self._state.active:
            self.stop_point = point
            self._paused_at = None
            self._state = RunnerState.STOPPED
            self._pending = [Cue(CueKind.STOPPED, phase, offset, self.clock.now())]
        return point
