"""Ice and heat timers: the engine, several timers at once, their saved state, and the safety advice.

Timing never counts ticks. A timer keeps an *anchor*: the elapsed seconds at some moment plus the clock
reading at that moment, so elapsed = elapsed_at_anchor + (clock now - anchor). Every phase boundary is
start + planned phases + added time, so a timer is exact however irregularly it is polled. The app passes
``ScaledClock(BootClock(), time_scale())``: the boot-time clock keeps counting through suspend, so an ice
pack that should have come off while the laptop slept is announced at once on the next poll.

The state is saved as JSON after every change. On restore, a timer saved in the same boot (same Linux
boot id) computes what has passed from the boot-time clock, so wall-clock changes cannot move it; after
a reboot (or where there is no boot id) it uses the wall clock. See docs/timers.md.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import math
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from . import paths
from .clock import Clock, ScaledClock
from .durations import format_human
from .notify import Notifier
from .presets import DEFAULT_ADVICE, MAX_OFF_SECONDS, MAX_ON_SECONDS, Therapy, TimerPhase, TimerPreset

DEFAULT_ADD_SECONDS = 5 * 60.0  # what the app's "+5 min" button adds
COLD_FIRST_HOURS = 72  # cold is usually advised for the first two to three days of an episode
LONG_PHASE_SECONDS = 20 * 60.0  # longer cold or heat at a time can harm the skin
STATE_FORMAT = 1
BOOT_ID_PATH = Path("/proc/sys/kernel/random/boot_id")
EPISODE_EVENT = "episode_start"

Now = Callable[[], datetime]
BootId = Callable[[], str | None]


def utc_now() -> datetime:
    """The current wall-clock time, UTC-aware."""
    return datetime.now(UTC)


def read_boot_id(path: Path = BOOT_ID_PATH) -> str | None:
    """Linux's id of the current boot (changes at every reboot); None where there is none."""
    try:
        value = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value or None


def _aware(moment: datetime, what: str = "the wall clock") -> datetime:
    """``moment`` in UTC; ValueError for a naive datetime (its zone would be a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with its offset, or None."""
    return None if moment is None else _aware(moment).isoformat()


class JournalLike(Protocol):
    """What the timers need from the journal: one ``record`` call per event (the real Journal has it)."""

    def record(
        self,
        type: str,
        *,
        routine: str | None = None,
        step: str | None = None,
        pain: int | None = None,
        note: str | None = None,
        data: Mapping[str, Any] | None = None,
        now: datetime | None = None,
    ) -> object: ...


class TimedRecord(Protocol):
    """A journal event as far as the episode lookup cares: when it happened."""

    @property
    def time(self) -> datetime: ...


class EpisodeJournal(Protocol):
    """A journal that can be asked for its latest events of one type (the real Journal can)."""

    def events(self, *, types: Iterable[str] | None = None, limit: int | None = None) -> Sequence[TimedRecord]: ...


# -- the timer -------------------------------------------------------------------------------------------


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


class TherapyTimer:
    """Runs one preset from absolute deadlines on ``clock``; create it through :class:`TimerManager`."""

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
        return self.clock.scale if isinstance(self.clock, ScaledClock) else 1.0

    def _base_now(self) -> float:
        """The unscaled boot-time reading saved with the state: comparable across runs in one boot."""
        return self.clock.base.now() if isinstance(self.clock, ScaledClock) else self.clock.now()

    def _wall(self) -> datetime:
        return _aware(self._now())

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

        These are seconds of the timer's clock: divide by :attr:`time_scale` for real seconds.
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
            ends_at = self._wall() + timedelta(seconds=remaining / self.time_scale)
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
            at = wall_now - timedelta(seconds=late / self.time_scale)
            self._fired += 1
            last = index == len(self._phases) - 1
            shown = self._phases[index] if last else self._phases[index + 1]
            kind = TimerEventKind.END if last else TimerEventKind.PHASE
            self._pending.append(TimerEvent(kind, self.id, self.preset.id, self.preset.therapy, shown.kind,
                                            shown.cycle, self.cycles, due, at))  # fmt: skip
            if last:
                self._state = TimerState.FINISHED
                self.finished_at = at
                self._elapsed_at_anchor = self._ends[-1]
                self._anchor(wall_now)

    # -- saving ------------------------------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        """This timer as saved in the state file (see docs/timers.md for the shape)."""
        return {
            "id": self.id,
            "preset": self.preset.to_dict(),
            "state": str(self._state),
            "elapsed_at_anchor": self._elapsed_at_anchor,
            "added": list(self._added),
            "fired": self._fired,
            "anchor_monotonic": self._anchor_base,
            "anchor_wall": _iso(self._anchor_wall),
            "boot_id": self._boot_id,
            "time_scale": self.time_scale,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "cancelled_at": _iso(self.cancelled_at),
        }

    @classmethod
    def from_state(
        cls, data: Mapping[str, Any], clock: Clock, *, now: Now = utc_now, boot_id: str | None = None
    ) -> TherapyTimer:
        """A timer as :meth:`to_state` saved it, brought up to the present; StateFileError if malformed.

        Elapsed time since the save comes from the boot-time clock when ``boot_id`` matches the saved
        one, else from the wall clock. Events that fell due meanwhile wait in :meth:`poll`.
        """
        reader = _StateReader(data)
        preset = reader.preset()
        saved_scale = reader.number("time_scale")
        if isinstance(clock, ScaledClock) and saved_scale > 0 and saved_scale != clock.scale:
            # A timer keeps the speed it was started with: a reader with another SPASMCOACH_TIME_SCALE
            # (say `spasmcoach timers` from a plain shell) must still show its true end time.
            clock = ScaledClock(clock.base, saved_scale)
        timer = cls(preset, clock, timer_id=reader.text("id"), now=now, boot_id=boot_id)
        state = reader.state()
        added = reader.added(len(timer._phases))
        fired = reader.integer("fired", 0, len(timer._phases))
        elapsed = reader.number("elapsed_at_anchor")
        saved_base = reader.number("anchor_monotonic")
        saved_wall = reader.time("anchor_wall")
        saved_boot = reader.optional_text("boot_id")
        saved_scale = reader.number("time_scale")
        if saved_scale <= 0:
            raise StateFileError("time_scale must be positive")
        timer.started_at = reader.time("started_at")
        timer.finished_at = reader.optional_time("finished_at")
        timer.cancelled_at = reader.optional_time("cancelled_at")
        timer._added = added
        timer._ends = timer._boundaries()
        timer._fired = fired
        if elapsed < 0:
            raise StateFileError("elapsed_at_anchor must not be negative")
        if state.active and fired >= len(timer._phases):
            raise StateFileError("a running or paused timer cannot have fired its last event")
        if state is TimerState.RUNNING:
            elapsed += timer._since(saved_base, saved_wall, saved_boot, saved_scale)
        timer._state = state
        timer._elapsed_at_anchor = elapsed
        timer._anchor()
        if state is TimerState.FINISHED:
            timer._fired = len(timer._ends)
            timer._elapsed_at_anchor = timer._ends[-1]
            if timer.finished_at is None:
                raise StateFileError("a finished timer needs finished_at")
        if state is TimerState.CANCELLED and timer.cancelled_at is None:
            raise StateFileError("a cancelled timer needs cancelled_at")
        timer._advance()  # what fell due while the app was closed waits in poll()
        return timer

    def _since(self, saved_base: float, saved_wall: datetime, saved_boot: str | None, scale: float) -> float:
        """Timer seconds that passed between the save and now (never negative)."""
        if saved_boot is not None and saved_boot == self._boot_id:
            delta = self._base_now() - saved_base
            if delta >= 0:
                return delta * scale
        return max((self._wall() - saved_wall).total_seconds(), 0.0) * scale

    def _take_pending(self) -> list[TimerEvent]:
        events, self._pending = self._pending, []
        return events


# -- saved state -----------------------------------------------------------------------------------------


class StateFileError(ValueError):
    """The timer state file cannot be understood; the manager moves it aside and starts empty."""


class _StateReader:
    """Strict reading of one saved timer: any missing or mistyped value is a StateFileError."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping):
            raise StateFileError("each saved timer must be an object")
        self.data = data

    def get(self, key: str) -> Any:
        if key not in self.data:
            raise StateFileError(f"a saved timer lacks '{key}'")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value:
            raise StateFileError(f"'{key}' must be text")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.get(key) is None else self.text(key)

    def number(self, key: str) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise StateFileError(f"'{key}' must be a number")
        return float(value)

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise StateFileError(f"'{key}' must be a whole number from {low} to {high}")
        return value

    def time(self, key: str) -> datetime:
        value = self.text(key)
        try:
            return _aware(datetime.fromisoformat(value), key)
        except ValueError:
            raise StateFileError(f"'{key}' must be an ISO 8601 time with its UTC offset") from None

    def optional_time(self, key: str) -> datetime | None:
        return None if self.data.get(key) is None else self.time(key)

    def state(self) -> TimerState:
        try:
            return TimerState(self.get("state"))
        except ValueError:
            raise StateFileError(f"'state' must be one of {', '.join(TimerState)}") from None

    def added(self, count: int) -> list[float]:
        value = self.get("added")
        if not isinstance(value, list) or len(value) != count:
            raise StateFileError(f"'added' must be a list of {count} numbers")
        if any(isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0 for v in value):
            raise StateFileError("'added' must hold numbers of zero or more")
        return [float(v) for v in value]

    def preset(self) -> TimerPreset:
        try:
            return TimerPreset.from_dict(self.get("preset"))
        except (ValueError, TypeError) as exc:
            raise StateFileError(f"the saved preset is not usable: {exc}") from None


def load_timers(
    path: Path | None = None,
    *,
    clock: Clock,
    now: Now = utc_now,
    boot_id: BootId = read_boot_id,
) -> list[TherapyTimer]:
    """The timers saved in ``path`` (default: the data folder's), brought up to now; reads only.

    No file means no timers. StateFileError for a file that cannot be read or understood.
    """
    target = paths.timers_state_path() if path is None else path
    try:
        raw = target.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # nothing saved yet: not a damaged file
        return []
    except OSError as exc:
        raise StateFileError(f"cannot read it: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StateFileError(f"it is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != STATE_FORMAT or not isinstance(doc.get("timers"), list):
        raise StateFileError(f"it is not a SpasmCoach timer state file of format {STATE_FORMAT}")
    current_boot = boot_id()
    timers: list[TherapyTimer] = []
    seen: set[str] = set()
    for entry in doc["timers"]:
        timer = TherapyTimer.from_state(entry, clock, now=now, boot_id=current_boot)
        if timer.id in seen:
            raise StateFileError(f"timer id '{timer.id}' appears twice")
        seen.add(timer.id)
        timers.append(timer)
    return timers


def write_json_atomic(path: Path, document: object) -> None:
    """Replace ``path`` with ``document`` in one step: temp file in the same folder, fsync, os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=2, ensure_ascii=False)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows opening a folder."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# -- several timers --------------------------------------------------------------------------------------


class TimerManager:
    """Every ice and heat timer of the app: starts, drives, journals and saves them.

    The state is saved after every change. Journal and save failures never stop a timer (a full disk
    must not silence "take the ice off"); they are kept in ``journal_errors`` and ``save_error``.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        journal: JournalLike | None = None,
        state_path: Path | None = None,
        now: Now = utc_now,
        boot_id: BootId = read_boot_id,
        notifier: Notifier | None = None,
        restore: bool = True,
    ) -> None:
        self.clock = clock
        self.journal = journal
        self.notifier = notifier
        self.state_path = paths.timers_state_path() if state_path is None else state_path
        self._now = now
        self._boot_id = boot_id
        self._timers: dict[str, TherapyTimer] = {}
        self.recovered_from: Path | None = None  # where a damaged state file was moved to
        self.recovery_reason: str | None = None
        self.missed: list[TimerEvent] = []  # events that fell due while the app was closed (journaled)
        self.journal_errors: list[Exception] = []
        self.save_error: OSError | None = None
        self._may_save = True
        if restore:
            self._restore()

    # -- reading -----------------------------------------------------------------------------------------
    @property
    def timers(self) -> list[TherapyTimer]:
        """All timers, oldest first, including finished and cancelled ones until :meth:`clear_finished`."""
        return list(self._timers.values())

    @property
    def active(self) -> list[TherapyTimer]:
        """The running and paused timers."""
        return [t for t in self._timers.values() if t.state.active]

    def get(self, timer_id: str) -> TherapyTimer:
        try:
            return self._timers[timer_id]
        except KeyError:
            raise KeyError(f"no timer with id {timer_id!r}") from None

    def seconds_to_next_event(self) -> float | None:
        """Clock seconds until the next :meth:`poll` has something for any timer; None if never."""
        waits = [w for w in (t.seconds_to_next_event() for t in self._timers.values()) if w is not None]
        return min(waits, default=None)

    # -- driving -----------------------------------------------------------------------------------------
    def start(self, preset: TimerPreset) -> TherapyTimer:
        """Start a new timer for ``preset`` alongside any others."""
        timer = TherapyTimer(preset, self.clock, timer_id=self._new_id(), now=self._now, boot_id=self._boot_id())
        self._timers[timer.id] = timer
        self._journal("timer_start", timer, timer.started_at, on=preset.on, off=preset.off)
        self.save()
        return timer

    def poll(self) -> list[TimerEvent]:
        """Every timer's events that fell due since the last poll, journaled and saved, oldest first."""
        events = [event for timer in self._timers.values() for event in timer.poll()]
        if not events:
            return []
        events.sort(key=lambda e: e.due)
        for event in events:
            self._journal_event(event)
        self.save()
        return events

    def pause(self, timer_id: str) -> bool:
        return self._change(timer_id, TherapyTimer.pause)

    def resume(self, timer_id: str) -> bool:
        return self._change(timer_id, TherapyTimer.resume)

    def cancel(self, timer_id: str) -> bool:
        """Cancel a running or paused timer and journal it; it stays listed until clear_finished()."""
        timer = self.get(timer_id)
        if not timer.cancel():
            return False
        self._journal("timer_cancel", timer, timer.cancelled_at, remaining=timer.remaining)
        self.save()
        return True

    def add_time(self, timer_id: str, seconds: float = DEFAULT_ADD_SECONDS) -> float:
        """Lengthen a timer's current phase; returns the seconds actually added."""
        added = self.get(timer_id).add_time(seconds)
        if added:
            self.save()
        return added

    def forget(self, timer_id: str) -> bool:
        """Forget one finished or cancelled timer (the journal keeps its story); running ones stay."""
        timer = self._timers.get(timer_id)
        if timer is None or timer.state.active:
            return False
        del self._timers[timer_id]
        self.save()
        return True

    def clear_finished(self) -> int:
        """Forget finished and cancelled timers (the journal keeps their story); returns how many."""
        done = [key for key, timer in self._timers.items() if not timer.state.active]
        for key in done:
            del self._timers[key]
        if done:
            self.save()
        return len(done)

    def _change(self, timer_id: str, action: Callable[[TherapyTimer], bool]) -> bool:
        changed = action(self.get(timer_id))
        if changed:
            self.save()
        return changed

    def _new_id(self) -> str:
        while True:
            candidate = uuid.uuid4().hex[:12]
            if candidate not in self._timers:
                return candidate

    # -- journal -----------------------------------------------------------------------------------------
    def _journal(self, type_: str, timer: TherapyTimer, when: datetime | None, **extra: Any) -> None:
        data = {"preset": timer.preset.id, "therapy": str(timer.preset.therapy), "phase": str(timer.phase),
                "cycle": timer.cycle, "cycles": timer.cycles, "timer": timer.id, **extra}  # fmt: skip
        self._record(type_, data, when)

    def _journal_event(self, event: TimerEvent) -> None:
        self._record(event.kind.journal_type, event.journal_data(), event.at)

    def _record(self, type_: str, data: dict[str, Any], when: datetime | None) -> None:
        if self.journal is None:
            return
        try:
            self.journal.record(type_, data=data, now=when)
        except Exception as exc:  # a journal failure must never stop a running timer
            self.journal_errors.append(exc)
            self._warn(f"The timer keeps running, but it could not be written to the journal: {exc}", "journal")

    # -- state file --------------------------------------------------------------------------------------
    def state_document(self) -> dict[str, Any]:
        """The whole state file's content."""
        return {"format": STATE_FORMAT, "saved_at": _iso(_aware(self._now())),
                "timers": [timer.to_state() for timer in self._timers.values()]}  # fmt: skip

    def save(self) -> bool:
        """Write the state file atomically; False (and ``save_error`` set) if that failed."""
        if not self._may_save:
            return False
        try:
            write_json_atomic(self.state_path, self.state_document())
        except OSError as exc:
            self.save_error = exc
            self._warn(
                f"The timers keep running, but could not be saved to {self.state_path}: "
                f"{exc.strerror or exc}. They will not survive closing the app.",
                "save",
            )
            return False
        self.save_error = None
        return True

    def _warn(self, message: str, key: str) -> None:
        """A calm notice for the user (once per kind and run), when the app gave us a notifier."""
        if self.notifier is not None:
            self.notifier.warn(message, key=f"timers-{key}")

    def _restore(self) -> None:
        """Load the saved timers; journal what fell due while closed; move a damaged file aside."""
        try:
            timers = load_timers(self.state_path, clock=self.clock, now=self._now, boot_id=self._boot_id)
        except StateFileError as exc:
            self._move_aside(str(exc))
            return
        for timer in timers:
            self._timers[timer.id] = timer
        missed = sorted((e for t in timers for e in t._take_pending()), key=lambda e: e.due)
        for event in missed:
            self._journal_event(event)
        self.missed = missed
        if timers:
            self.save()  # re-anchored to this boot, and each missed event journaled only once

    def _move_aside(self, reason: str) -> None:
        """Rename the damaged state file next to itself (never delete it) and start with no timers."""
        stamp = _aware(self._now()).strftime("%Y%m%dT%H%M%SZ")
        target = self.state_path.with_name(f"{self.state_path.name}.damaged-{stamp}")
        counter = 1
        while target.exists():
            target = self.state_path.with_name(f"{self.state_path.name}.damaged-{stamp}-{counter}")
            counter += 1
        self.recovery_reason = reason
        try:
            os.rename(self.state_path, target)
        except OSError as exc:
            self._may_save = False  # saving would overwrite the file we could neither read nor move
            self.save_error = exc
            self._warn(
                f"The saved timers in {self.state_path} could not be read ({reason}) or set aside "
                f"({exc.strerror or exc}); timers will not be saved until that is fixed.",
                "damaged",
            )
            return
        self.recovered_from = target
        self._warn(
            f"The saved timers could not be read ({reason}), so SpasmCoach started without them. "
            f"The old file is kept as {target}.",
            "damaged",
        )


# -- safety ----------------------------------------------------------------------------------------------


def advice_for(therapy: Therapy) -> str:
    """The standard safety advice shown with every timer of this therapy."""
    return DEFAULT_ADVICE[Therapy(therapy)]


@dataclass(frozen=True)
class Episode:
    """One bout of back spasm, known by when it started (the journal's latest ``episode_start``)."""

    started: datetime

    def __post_init__(self) -> None:
        _aware(self.started, "an episode start")

    def age(self, now: datetime) -> timedelta:
        """How long ago it started (zero if the start lies in the future)."""
        return max(_aware(now) - _aware(self.started), timedelta(0))

    def early(self, now: datetime) -> bool:
        """Within the first 72 hours, when cold is usually advised rather than heat."""
        return self.age(now) < timedelta(hours=COLD_FIRST_HOURS)


def suggested_therapy(episode_started: datetime | None, now: datetime) -> Therapy:
    """Cold during an episode's first 72 hours, heat after; cold when the start is unknown."""
    if episode_started is None:
        return Therapy.COLD
    return Therapy.COLD if Episode(episode_started).early(now) else Therapy.HEAT


def heat_warning(episode_started: datetime | None, now: datetime) -> str | None:
    """A calm note when heat is chosen in an episode's first 72 hours; None otherwise (or if unknown)."""
    if episode_started is None:
        return None
    episode = Episode(episode_started)
    if not episode.early(now):
        return None
    hours = int(episode.age(now).total_seconds() // 3600)
    when = "less than an hour ago" if hours < 1 else f"about {hours} hour{'s' if hours != 1 else ''} ago"
    return (
        f"This spasm started {when}. For the first two to three days, cold is usually advised rather than "
        "heat, because warmth can add to swelling early on. Guidelines differ, so you can still use heat if "
        "it helps you: keep it warm, not hot."
    )


def long_phase_warning(preset: TimerPreset) -> str | None:
    """A note when each on-phase is over 20 minutes, since longer cold or heat can harm the skin."""
    return long_on_warning(preset.therapy, preset.on)


def long_on_warning(therapy: Therapy, seconds: float) -> str | None:
    """The long-phase note for an on-phase of ``seconds`` (also for time added to a running phase)."""
    if seconds <= LONG_PHASE_SECONDS:
        return None
    what = "cold" if Therapy(therapy) is Therapy.COLD else "heat"
    return (
        f"Each round of {what} lasts {format_human(seconds)}. More than 20 minutes of {what} at a time can "
        "harm the skin; 15 to 20 minutes is usually enough. Check your skin often."
    )


def current_episode(journal: EpisodeJournal) -> Episode | None:
    """The latest episode recorded in the journal (its newest ``episode_start`` event), if any."""
    latest = journal.events(types=[EPISODE_EVENT], limit=1)
    return Episode(latest[-1].time) if latest else None


def start_episode(journal: JournalLike, started: datetime) -> Episode:
    """Record that a new episode began at ``started`` (which may lie in the past: "yesterday evening")."""
    episode = Episode(_aware(started, "an episode start"))
    journal.record(EPISODE_EVENT, now=episode.started)
    return episode
