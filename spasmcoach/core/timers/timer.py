"""One ice or heat timer: its states, the events it produces, and the engine that runs it.

Timing never counts ticks. A timer keeps an *anchor*: the elapsed seconds at some moment plus the clock
reading at that moment, so elapsed = elapsed_at_anchor + (clock now - anchor). Every phase boundary is
start + planned phases + added time, so a timer is exact however irregularly it is polled. The app runs
timers on :func:`~spasmcoach.core.clock.timer_clock`, a boot-time clock that keeps counting through
suspend, so an ice pack that should have come off while the laptop slept is announced at the next poll.
"""

from __future__ import annotations

import bisect
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ..clock import Clock, ScaledClock
from ..storage import require_aware, utc_now
from .kinds import Therapy
from .presets import MAX_OFF_SECONDS, MAX_ON_SECONDS, TimerPhase, TimerPreset

DEFAULT_ADD_SECONDS = 5 * 60.0  # what the app's "+5 min" button adds

Now = Callable[[], datetime]


class TimerState(StrEnum):
    """Where a timer is in its life; finished and cancelled timers stay listed as history."""

    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    CANCELLED = "cancelled"

    @property
    def active(self) -> bool:
        """Running or paused: still under way, can be paused, resumed, extended or cancelled."""
        return self in (TimerState.RUNNING, TimerState.PAUSED)


class TimerEventKind(StrEnum):
    """A new phase began (on or off), or the whole timer ended."""

    PHASE = "phase"
    END = "end"

    @property
    def journal_type(self) -> str:
        """The journal event type this becomes."""
        return "timer_phase" if self is TimerEventKind.PHASE else "timer_end"


@dataclass(frozen=True)
class TimerEvent:
    """Something that fell due. ``due`` is its clock time, ``at`` its wall time; for PHASE, the new phase."""

    kind: TimerEventKind
    timer_id: str
    preset_id: str
    therapy: Therapy
    phase: TimerPhase
    cycle: int
    cycles: int
    due: float
    at: datetime
    index: int = 0  # which phase boundary of the timer this is (0 = the end of the first phase)

    @property
    def journal_key(self) -> str:
        """The journal key of this event: the same boundary of the same timer is journaled only once."""
        return f"timer:{self.timer_id}:{self.index}:{self.kind}"

    def journal_data(self) -> dict[str, Any]:
        """The ``data`` this event is journaled with."""
        return {"preset": self.preset_id, "therapy": str(self.therapy), "phase": str(self.phase),
                "cycle": self.cycle, "cycles": self.cycles, "timer": self.timer_id}  # fmt: skip


@dataclass(frozen=True)
class TimerStatus:
    """What a display (window or terminal) shows of one timer at one moment."""

    id: str
    preset: TimerPreset
    state: TimerState
    phase: TimerPhase
    cycle: int
    cycles: int
    remaining: float  # seconds left in the current phase
    phase_seconds: float  # the current phase's full length, with any added time
    ends_at: datetime | None  # wall time the current phase ends; only while running
    started_at: datetime
    finished_at: datetime | None
    cancelled_at: datetime | None


@dataclass(frozen=True)
class SavedTimer:
    """Everything a timer needs to carry on in a later run; the state file stores exactly this."""

    id: str
    preset: TimerPreset
    state: TimerState
    elapsed_at_anchor: float
    added: tuple[float, ...]
    fired: int
    anchor_monotonic: float  # the unscaled boot-time clock at the anchor
    anchor_wall: datetime
    boot_id: str | None
    time_scale: float
    started_at: datetime
    finished_at: datetime | None
    cancelled_at: datetime | None


class TherapyTimer:
    """Runs one preset from absolute deadlines on ``clock``; create it through ``TimerManager``."""

    def __init__(
        self,
        preset: TimerPreset,
        clock: Clock,
        *,
        timer_id: str | None = None,
        now: Now = utc_now,
        boot_id: str | None = None,
    ) -> None:
        self.preset = preset
        self.id = timer_id or uuid.uuid4().hex[:12]
        self.clock = clock
        self._now = now
        self._boot_id = boot_id
        self._phases = preset.phases()
        self._added = [0.0] * len(self._phases)
        self._ends = self._boundaries()
        self._fired = 0  # boundaries whose event has been produced
        self._pending: list[TimerEvent] = []
        self._state = TimerState.RUNNING
        self.started_at = self._wall()
        self.finished_at: datetime | None = None
        self.cancelled_at: datetime | None = None
        self._elapsed_at_anchor = 0.0
        self._anchor(self.started_at)

    # -- clocks and anchors ------------------------------------------------------------------------------
    @property
    def time_scale(self) -> float:
        """Timer seconds per real second (1 unless ``SPASMCOACH_TIME_SCALE`` speeds the app up)."""
        return self.clock.scale

    def _base_now(self) -> float:
        """The unscaled boot-time reading saved with the state: comparable across runs in one boot."""
        return self.clock.base.now()

    def _wall(self) -> datetime:
        return require_aware(self._now(), "the wall clock")

    def _anchor(self, wall: datetime | None = None) -> None:
        """Fix the current elapsed time to the current clock readings (start, pause, resume, restore)."""
        self._anchor_clock = self.clock.now()
        self._anchor_base = self._base_now()
        self._anchor_wall = wall or self._wall()

    def _boundaries(self) -> list[float]:
        """Elapsed seconds at the end of each phase, with added time."""
        ends: list[float] = []
        total = 0.0
        for phase, extra in zip(self._phases, self._added, strict=True):
            total += phase.seconds + extra
            ends.append(total)
        return ends

    @property
    def elapsed(self) -> float:
        """Timer seconds since the start, without pauses; frozen unless running."""
        if self._state is not TimerState.RUNNING:
            return self._elapsed_at_anchor
        return self._elapsed_at_anchor + max(self.clock.now() - self._anchor_clock, 0.0)

    # -- reading -----------------------------------------------------------------------------------------
    @property
    def state(self) -> TimerState:
        self._advance()
        return self._state

    def _index_at(self, elapsed: float) -> int:
        """Index of the phase ``elapsed`` falls in (the last one at or after the end)."""
        return min(bisect.bisect_right(self._ends, elapsed), len(self._phases) - 1)

    @property
    def phase_index(self) -> int:
        """Index of the current phase in ``preset.phases()`` (the last one once finished)."""
        self._advance()
        return self._index_at(self.elapsed)

    @property
    def phase(self) -> TimerPhase:
        return self._phases[self.phase_index].kind

    @property
    def cycle(self) -> int:
        """The current cycle, counting from 1; an off-phase belongs to the cycle before it."""
        return self._phases[self.phase_index].cycle

    @property
    def cycles(self) -> int:
        return self.preset.cycles

    @property
    def phase_seconds(self) -> float:
        """The current phase's length including time added to it."""
        return self.status().phase_seconds

    @property
    def remaining(self) -> float:
        """Timer seconds left in the current phase (0 once finished; frozen while paused or cancelled)."""
        return self.status().remaining

    @property
    def total(self) -> float:
        """The whole timer's length in timer seconds, with added time."""
        return self._ends[-1]

    @property
    def added(self) -> tuple[float, ...]:
        """Seconds added to each phase."""
        return tuple(self._added)

    @property
    def ends_at(self) -> datetime | None:
        """Wall time (UTC) the current phase ends, while running; None when paused, finished or cancelled."""
        return self.status().ends_at

    def seconds_to_next_event(self) -> float | None:
        """Clock seconds until :meth:`poll` has something; 0 if it already has, None if nothing will come.

        These are seconds of the timer's clock: ``clock.to_real_seconds`` turns them into real ones.
        """
        self._advance()
        if self._pending:
            return 0.0
        if self._state is not TimerState.RUNNING:
            return None
        return max(self._ends[self._fired] - self.elapsed, 0.0)

    def status(self) -> TimerStatus:
        """A consistent snapshot of everything a display shows, from one reading of the clock."""
        self._advance()
        elapsed = self.elapsed
        index = self._index_at(elapsed)
        finished = self._state is TimerState.FINISHED
        remaining = 0.0 if finished else max(self._ends[index] - elapsed, 0.0)
        ends_at = None
        if self._state is TimerState.RUNNING:
            ends_at = self._wall() + timedelta(seconds=self.clock.to_real_seconds(remaining))
        return TimerStatus(
            id=self.id, preset=self.preset, state=self._state, phase=self._phases[index].kind,
            cycle=self._phases[index].cycle, cycles=self.cycles, remaining=remaining,
            phase_seconds=self._phases[index].seconds + self._added[index], ends_at=ends_at,
            started_at=self.started_at, finished_at=self.finished_at, cancelled_at=self.cancelled_at,
        )  # fmt: skip

    # -- driving -----------------------------------------------------------------------------------------
    def poll(self) -> list[TimerEvent]:
        """The phase changes and the end that fell due since the last poll, oldest first."""
        self._advance()
        events, self._pending = self._pending, []
        return events

    def pause(self) -> bool:
        """Freeze the countdown; False (nothing changes) unless running."""
        self._advance()
        if self._state is not TimerState.RUNNING:
            return False
        self._elapsed_at_anchor = self.elapsed
        self._state = TimerState.PAUSED
        self._anchor()
        return True

    def resume(self) -> bool:
        """Carry on from where the pause froze it; False unless paused."""
        if self._state is not TimerState.PAUSED:
            return False
        self._state = TimerState.RUNNING
        self._anchor()
        return True

    def cancel(self) -> bool:
        """Stop for good (kept as history); False if it had already finished or been cancelled."""
        self._advance()
        if not self._state.active:
            return False
        self._elapsed_at_anchor = self.elapsed
        self._state = TimerState.CANCELLED
        self.cancelled_at = self._wall()
        self._anchor(self.cancelled_at)
        return True

    def add_time(self, seconds: float = DEFAULT_ADD_SECONDS) -> float:
        """Lengthen the current phase; returns the seconds actually added (capped at the phase limit)."""
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or seconds <= 0
        ):
            raise ValueError(f"seconds to add must be a positive number, got {seconds!r}")
        self._advance()
        if not self._state.active:
            return 0.0
        index = self.phase_index
        limit = MAX_ON_SECONDS if self._phases[index].kind is TimerPhase.ON else MAX_OFF_SECONDS
        room = max(limit - (self._phases[index].seconds + self._added[index]), 0.0)
        extra = min(float(seconds), room)
        if extra > 0:
            self._added[index] += extra
            self._ends = self._boundaries()
        return extra

    def _advance(self) -> None:
        """Queue an event for every boundary the elapsed time has passed; finish after the last one."""
        if self._state is not TimerState.RUNNING or self._fired >= len(self._ends):
            return
        elapsed = self.elapsed
        if self._ends[self._fired] > elapsed:
            return
        clock_now = self.clock.now()
        wall_now = self._wall()
        while self._fired < len(self._ends) and self._ends[self._fired] <= elapsed:
            index = self._fired
            late = elapsed - self._ends[index]
            due = clock_now - late
            at = wall_now - timedelta(seconds=self.clock.to_real_seconds(late))
            self._fired += 1
            last = index == len(self._phases) - 1
            shown = self._phases[index] if last else self._phases[index + 1]
            kind = TimerEventKind.END if last else TimerEventKind.PHASE
            self._pending.append(TimerEvent(kind, self.id, self.preset.id, self.preset.therapy, shown.kind,
                                            shown.cycle, self.cycles, due, at, index))  # fmt: skip
            if last:
                self._state = TimerState.FINISHED
                self.finished_at = at
                self._elapsed_at_anchor = self._ends[-1]
                self._anchor(wall_now)

    def take_pending(self) -> list[TimerEvent]:
        """The events waiting for :meth:`poll`, without advancing (what fell due while the app was closed)."""
        events, self._pending = self._pending, []
        return events

    # -- saving ------------------------------------------------------------------------------------------
    def saved(self) -> SavedTimer:
        """What the state file keeps of this timer."""
        return SavedTimer(
            id=self.id, preset=self.preset, state=self._state, elapsed_at_anchor=self._elapsed_at_anchor,
            added=tuple(self._added), fired=self._fired, anchor_monotonic=self._anchor_base,
            anchor_wall=self._anchor_wall, boot_id=self._boot_id, time_scale=self.time_scale,
            started_at=self.started_at, finished_at=self.finished_at, cancelled_at=self.cancelled_at,
        )  # fmt: skip

    @classmethod
    def restore(
        cls, saved: SavedTimer, clock: Clock, *, now: Now = utc_now, boot_id: str | None = None
    ) -> TherapyTimer:
        """The timer ``saved`` describes (already checked for consistency), brought up to the present.

        Elapsed time since the save comes from the boot-time clock when ``boot_id`` matches the saved
        one, else from the wall clock. Events that fell due meanwhile wait in :meth:`poll`.
        """
        if saved.time_scale != clock.scale:
            # A timer keeps the speed it was started with: a reader with another SPASMCOACH_TIME_SCALE
            # (say `spasmcoach timers` from a plain shell) must still show its true end time.
            clock = ScaledClock(clock.base, saved.time_scale)
        timer = cls(saved.preset, clock, timer_id=saved.id, now=now, boot_id=boot_id)
        timer.started_at = saved.started_at
        timer.finished_at = saved.finished_at
        timer.cancelled_at = saved.cancelled_at
        timer._added = list(saved.added)
        timer._ends = timer._boundaries()
        timer._fired = saved.fired
        elapsed = saved.elapsed_at_anchor
        if saved.state is TimerState.RUNNING:
            elapsed += timer._since(saved.anchor_monotonic, saved.anchor_wall, saved.boot_id, saved.time_scale)
        timer._state = saved.state
        timer._elapsed_at_anchor = elapsed
        timer._anchor()
        if saved.state is TimerState.FINISHED:
            timer._fired = len(timer._ends)
            timer._elapsed_at_anchor = timer._ends[-1]
        timer._advance()  # what fell due while the app was closed waits in poll()
        return timer

    def _since(self, saved_base: float, saved_wall: datetime, saved_boot: str | None, scale: float) -> float:
        """Timer seconds that passed between the save and now (never negative)."""
        if saved_boot is not None and saved_boot == self._boot_id:
            delta = self._base_now() - saved_base
            if delta >= 0:
                return delta * scale
        return max((self._wall() - saved_wall).total_seconds(), 0.0) * scale
