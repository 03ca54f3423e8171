"""The ice and heat timer engine on a fake clock: cycles, pause, added time, several timers, sleep and
suspend, saving and restoring across restarts and reboots, damaged state files, and the safety advice."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmcoach.core import paths
from spasmcoach.core.clock import FakeClock, ScaledClock, session_clock, time_scale, timer_clock
from spasmcoach.core.journal import Journal, Op, Receipt, SaveState, parse_time
from spasmcoach.core.notify import Level, Notifier
from spasmcoach.core.storage import StorageError
from spasmcoach.core.timers import (
    COLD_ADVICE,
    DEFAULT_ADD_SECONDS,
    HEAT_ADVICE,
    THERAPY_KINDS,
    Episode,
    StateFileError,
    Therapy,
    TherapyTimer,
    TimerEvent,
    TimerEventKind,
    TimerManager,
    TimerPhase,
    TimerPreset,
    TimerState,
    current_episode,
    heat_warning,
    load_timers,
    long_phase_warning,
    read_boot_id,
    start_episode,
    start_warnings,
    suggested_therapy,
)
from spasmcoach.core.timers.state_file import MAX_STATE_BYTES

T0 = datetime(2026, 11, 21, 14, 15, tzinfo=UTC)
MIN = 60.0
ON, OFF = TimerPhase.ON, TimerPhase.OFF
PHASE, END = TimerEventKind.PHASE, TimerEventKind.END

ICE_20 = TimerPreset("ice-20", "Ice pack, 20 minutes", Therapy.COLD, on=20 * MIN)
ICE_CYCLE = TimerPreset("ice-cycle", "Ice cycle", Therapy.COLD, on=20 * MIN, off=30 * MIN, cycles=3)
HEAT_20 = TimerPreset("heat-20", "Heat, 20 minutes", Therapy.HEAT, on=20 * MIN)


class Wall:
    """A wall clock a test moves by hand, independently of the monotonic clock (it can jump)."""

    def __init__(self, start: datetime = T0) -> None:
        self.time = start

    def __call__(self) -> datetime:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += timedelta(seconds=seconds)


class World:
    """A fake machine: a boot-time clock and a wall clock that move together unless told otherwise."""

    def __init__(self, boot: str | None = "boot-a", start: float = 1000.0) -> None:
        self.clock = FakeClock(start)
        self.wall = Wall()
        self.boot = boot

    def boot_id(self) -> str | None:
        return self.boot

    def advance(self, seconds: float) -> None:
        """Time passes for everything (including a suspend: the boot-time clock counts through it)."""
        self.clock.advance(seconds)
        self.wall.advance(seconds)

    def reboot(self, off_for: float) -> None:
        """The machine is off for ``off_for`` seconds and comes back with a new boot and a fresh clock."""
        self.wall.advance(off_for)
        self.clock = FakeClock(5.0)
        self.boot = (self.boot or "boot") + "-next"

    def manager(self, journal: FakeJournal | None = None, path: Path | None = None) -> TimerManager:
        return TimerManager(self.clock, journal=journal, state_path=path, now=self.wall, boot_id=self.boot_id)

    def timer(self, preset: TimerPreset) -> TherapyTimer:
        return TherapyTimer(preset, self.clock, now=self.wall, boot_id=self.boot)


@dataclass(frozen=True)
class Entry:
    """One journal.record call."""

    type: str
    data: Mapping[str, Any]
    now: datetime | None


class FakeJournal:
    """Remembers what was recorded, as the real journal would store it (a key already seen is a no-op)."""

    pending = False

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.keys: set[str] = set()

    def submit(self, op: Op) -> Receipt:
        if op.key not in self.keys:
            self.keys.add(op.key)
            self.entries.append(Entry(op.fields["type"], json.loads(op.fields["data"]), parse_time(op.time)))
        return Receipt(op.key, SaveState.SAVED, row_id=len(self.entries))

    def record(
        self, type: str, *, routine: str | None = None, step: str | None = None, pain: int | None = None,
        note: str | None = None, data: Mapping[str, Any] | None = None, now: datetime | None = None,
    ) -> int:  # fmt: skip
        self.entries.append(Entry(type, dict(data or {}), now))
        return len(self.entries)

    def types(self) -> list[str]:
        return [e.type for e in self.entries]

    def events(self, *, types: Iterable[str] | None = None, limit: int | None = None) -> Sequence[Any]:
        wanted = set(types or [])
        found = sorted((e for e in self.entries if e.type in wanted), key=lambda e: e.now or T0)
        rows = [type("Row", (), {"time": e.now, "type": e.type, "data": e.data})() for e in found]
        return rows[-(limit or len(found)) :]


class BrokenJournal:
    """A journal whose writes fail with an unexpected error (a bug)."""

    pending = False

    def submit(self, op: Op) -> Receipt:
        raise OSError("disk full")

    def events(self, *, types: Iterable[str] | None = None) -> list[Any]:
        return []


def clear_finished(manager: TimerManager) -> int:
    """Forget every finished and cancelled timer, as the window's Clear buttons do; returns how many."""
    return sum(manager.forget(timer.id) for timer in manager.timers)


def kinds(events: list[TimerEvent]) -> list[tuple[TimerEventKind, TimerPhase, int]]:
    return [(e.kind, e.phase, e.cycle) for e in events]


@pytest.fixture
def world() -> World:
    return World()


# -- one timer -------------------------------------------------------------------------------------------


def test_a_20_minute_timer_ends_exactly_at_20_minutes(world: World) -> None:
    timer = world.timer(ICE_20)
    assert (timer.state, timer.phase, timer.cycle, timer.cycles) == (TimerState.RUNNING, ON, 1, 1)
    assert timer.remaining == 1200 and timer.ends_at == T0 + timedelta(minutes=20)
    assert timer.poll() == []
    world.advance(1199.5)
    assert timer.poll() == [] and timer.status().state is TimerState.RUNNING
    assert timer.remaining == pytest.approx(0.5)
    world.advance(0.5)
    [event] = timer.poll()
    assert (event.kind, event.phase, event.cycle, event.preset_id, event.therapy) == (
        END,
        ON,
        1,
        "ice-20",
        Therapy.COLD,
    )
    assert event.due == 1000 + 1200 and event.at == T0 + timedelta(minutes=20)
    assert timer.state is TimerState.FINISHED and timer.remaining == 0 and timer.ends_at is None
    assert timer.finished_at == T0 + timedelta(minutes=20)
    world.advance(600)
    assert timer.poll() == [] and timer.seconds_to_next_event() is None


def test_a_cycle_goes_on_off_on_off_on_with_the_right_boundaries(world: World) -> None:
    timer = world.timer(ICE_CYCLE)
    expected = [  # (minutes since start, event)
        (20, (PHASE, OFF, 1)), (50, (PHASE, ON, 2)), (70, (PHASE, OFF, 2)), (100, (PHASE, ON, 3)),
        (120, (END, ON, 3)),
    ]  # fmt: skip
    now = 0.0
    for minutes, event in expected:
        assert timer.seconds_to_next_event() == pytest.approx(minutes * MIN - now)
        world.advance(minutes * MIN - now - 1)
        assert timer.poll() == []
        world.advance(1)
        now = minutes * MIN
        events = timer.poll()
        assert kinds(events) == [event]
        assert events[0].due == 1000 + now and events[0].at == T0 + timedelta(minutes=minutes)
    assert timer.state is TimerState.FINISHED and timer.total == 120 * MIN


def test_phase_cycle_and_remaining_inside_each_phase(world: World) -> None:
    timer = world.timer(ICE_CYCLE)
    checks = [(10, ON, 1, 10), (35, OFF, 1, 15), (60, ON, 2, 10), (80, OFF, 2, 20), (119, ON, 3, 1)]
    for minutes, phase, cycle, left in checks:
        world.advance(minutes * MIN - (world.clock.now() - 1000))
        status = timer.status()
        assert (status.phase, status.cycle, status.cycles) == (phase, cycle, 3), minutes
        assert status.remaining == pytest.approx(left * MIN), minutes
        assert status.ends_at == world.wall() + timedelta(minutes=left)
        assert status.phase_seconds == (20 if phase is ON else 30) * MIN


def test_events_are_stamped_with_their_due_time_not_the_poll_time(world: World) -> None:
    timer = world.timer(ICE_CYCLE)
    world.advance(20 * MIN + 7)  # the app looked 7 seconds late
    [event] = timer.poll()
    assert event.due == 1000 + 20 * MIN and event.at == T0 + timedelta(minutes=20)
    assert timer.remaining == pytest.approx(30 * MIN - 7)  # the off-phase still ends on time


def test_sleeping_past_several_boundaries_fires_them_all_on_the_next_poll(world: World) -> None:
    timer = world.timer(ICE_CYCLE)
    world.advance(83 * MIN)  # laptop suspended; the boot-time clock kept counting
    assert timer.seconds_to_next_event() == 0
    events = timer.poll()
    assert kinds(events) == [(PHASE, OFF, 1), (PHASE, ON, 2), (PHASE, OFF, 2)]
    assert [e.due for e in events] == [1000 + 20 * MIN, 1000 + 50 * MIN, 1000 + 70 * MIN]
    assert [e.at for e in events] == [T0 + timedelta(minutes=m) for m in (20, 50, 70)]
    assert (timer.phase, timer.cycle) == (OFF, 2) and timer.remaining == pytest.approx(17 * MIN)
    world.advance(10 * 3600)  # it should have ended long ago: it ends at once, with its true time
    events = timer.poll()
    assert kinds(events) == [(PHASE, ON, 3), (END, ON, 3)]
    assert timer.finished_at == T0 + timedelta(minutes=120)


def test_pause_freezes_the_countdown_and_resume_carries_on(world: World) -> None:
    timer = world.timer(ICE_20)
    world.advance(5 * MIN)
    assert timer.pause() is True and timer.pause() is False
    world.advance(3600)
    assert timer.state is TimerState.PAUSED and timer.remaining == 15 * MIN
    assert timer.ends_at is None and timer.seconds_to_next_event() is None and timer.poll() == []
    assert timer.resume() is True and timer.resume() is False
    assert timer.ends_at == world.wall() + timedelta(minutes=15)
    world.advance(15 * MIN)
    [event] = timer.poll()
    assert event.kind is END and event.due == 1000 + 5 * MIN + 3600 + 15 * MIN


def test_pausing_after_the_end_fell_due_keeps_the_end(world: World) -> None:
    timer = world.timer(ICE_20)
    world.advance(25 * MIN)
    assert timer.pause() is False  # too late: it has finished
    assert kinds(timer.poll()) == [(END, ON, 1)] and timer.state is TimerState.FINISHED


def test_add_time_extends_only_the_current_phase(world: World) -> None:
    timer = world.timer(ICE_CYCLE)
    world.advance(15 * MIN)
    assert timer.add_time() == DEFAULT_ADD_SECONDS == 5 * MIN
    assert timer.remaining == 10 * MIN and timer.phase_seconds == 25 * MIN
    world.advance(10 * MIN - 1)
    assert timer.poll() == []
    world.advance(1)
    assert kinds(timer.poll()) == [(PHASE, OFF, 1)]
    assert timer.remaining == 30 * MIN  # the break is as long as ever
    timer.add_time(60)
    assert timer.added == (300, 60, 0, 0, 0)
    assert timer.total == 120 * MIN + 360


def test_add_time_is_capped_and_refused_when_it_makes_no_sense(world: World) -> None:
    timer = world.timer(ICE_20)
    assert timer.add_time(3 * 3600) == 100 * MIN  # an on-phase stops at 2 hours
    assert timer.add_time(60) == 0
    with pytest.raises(ValueError):
        timer.add_time(-60)
    with pytest.raises(ValueError):
        timer.add_time(float("inf"))
    world.advance(3 * 3600)
    assert timer.add_time(60) == 0 and timer.state is TimerState.FINISHED


def test_add_time_while_paused(world: World) -> None:
    timer = world.timer(ICE_20)
    world.advance(19 * MIN)
    timer.pause()
    timer.add_time(2 * MIN)
    assert timer.remaining == 3 * MIN


def test_cancel_stops_for_good(world: World) -> None:
    timer = world.timer(ICE_CYCLE)
    world.advance(30 * MIN)
    assert kinds(timer.poll()) == [(PHASE, OFF, 1)]
    assert timer.cancel() is True and timer.cancel() is False
    assert timer.state is TimerState.CANCELLED and timer.cancelled_at == T0 + timedelta(minutes=30)
    world.advance(5 * 3600)
    assert timer.poll() == [] and timer.seconds_to_next_event() is None and timer.ends_at is None
    assert timer.resume() is False and timer.add_time(60) == 0
    assert timer.remaining == 20 * MIN  # frozen where it stopped, for the history


def test_a_wall_clock_jump_changes_nothing_while_running(world: World) -> None:
    timer = world.timer(ICE_20)
    world.advance(5 * MIN)
    world.wall.advance(2 * 3600)  # the user (or NTP) moves the clock; the boot-time clock does not jump
    assert timer.poll() == [] and timer.remaining == 15 * MIN
    assert timer.ends_at == world.wall() + timedelta(minutes=15)  # shown in the new wall time
    world.wall.advance(-5 * 3600)
    assert timer.remaining == 15 * MIN


def test_a_scaled_clock_runs_the_timer_faster_and_ends_at_is_in_real_time(world: World) -> None:
    base = world.clock
    timer = TherapyTimer(ICE_20, ScaledClock(base, 60), now=world.wall, boot_id="boot-a")
    assert timer.time_scale == 60
    assert timer.ends_at == T0 + timedelta(seconds=20)  # 20 minutes at 60× take 20 real seconds
    world.advance(10)
    assert timer.remaining == pytest.approx(10 * MIN)
    world.advance(10)
    [event] = timer.poll()
    assert event.kind is END and event.at == T0 + timedelta(seconds=20)


# -- several timers and the journal ----------------------------------------------------------------------


def test_several_timers_run_at_once_and_are_journaled(world: World) -> None:
    journal = FakeJournal()
    manager = world.manager(journal)
    ice = manager.start(ICE_CYCLE)
    world.advance(10 * MIN)
    heat = manager.start(HEAT_20)
    assert ice.id != heat.id and manager.timers == [ice, heat] and manager.active == [ice, heat]
    assert manager.seconds_to_next_event() == 10 * MIN
    world.advance(25 * MIN)
    events = manager.poll()
    assert [(e.timer_id, e.kind, e.phase) for e in events] == [(ice.id, PHASE, OFF), (heat.id, END, ON)]
    assert [e.due for e in events] == [1000 + 20 * MIN, 1000 + 30 * MIN]
    assert manager.active == [ice]
    assert manager.pause(ice.id) and manager.get(ice.id).state is TimerState.PAUSED
    assert manager.resume(ice.id)
    assert manager.add_time(ice.id, 60) == 60
    assert manager.cancel(ice.id) and not manager.cancel(ice.id)
    assert journal.types() == ["timer_start", "timer_start", "timer_phase", "timer_end", "timer_cancel"]
    start, _, phase, end, cancel = journal.entries
    assert start.data == {"preset": "ice-cycle", "therapy": "cold", "phase": "on", "cycle": 1, "cycles": 3,
                          "timer": ice.id, "on": 1200, "off": 1800}  # fmt: skip
    assert start.now == T0
    assert phase.data == {"preset": "ice-cycle", "therapy": "cold", "phase": "off", "cycle": 1, "cycles": 3,
                          "timer": ice.id}  # fmt: skip
    assert phase.now == T0 + timedelta(minutes=20)  # journaled at its due time, not the poll time
    assert end.data["preset"] == "heat-20" and end.data["therapy"] == "heat" and end.now == T0 + timedelta(minutes=30)
    assert cancel.data["phase"] == "off" and cancel.data["timer"] == ice.id
    assert cancel.data["remaining"] == pytest.approx(30 * MIN - 15 * MIN + 60)
    assert clear_finished(manager) == 2 and manager.timers == []
    with pytest.raises(KeyError):
        manager.get(ice.id)


def test_a_failing_journal_never_stops_a_timer(world: World) -> None:
    notifier = Notifier()
    manager = TimerManager(
        world.clock, journal=BrokenJournal(), now=world.wall, boot_id=world.boot_id, notifier=notifier
    )
    timer = manager.start(ICE_20)
    world.advance(20 * MIN)
    assert kinds(manager.poll()) == [(END, ON, 1)]
    assert len(manager.journal_errors) == 2 and timer.state is TimerState.FINISHED
    [notice] = notifier.history  # told once, not at every event
    assert notice.level is Level.WARNING and "keeps running" in notice.message


def test_a_failing_save_never_stops_a_timer(world: World, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    notifier = Notifier()
    manager = TimerManager(world.clock, state_path=blocker / "timers.json", now=world.wall, notifier=notifier)
    timer = manager.start(ICE_20)
    assert isinstance(manager.save_error, StorageError)
    assert "could not be saved" in notifier.history[0].message
    world.advance(20 * MIN)
    assert kinds(manager.poll()) == [(END, ON, 1)] and timer.state is TimerState.FINISHED


def test_the_real_journal_takes_timer_events(world: World) -> None:
    journal = Journal.open()
    try:
        manager = TimerManager(world.clock, journal=journal, now=world.wall, boot_id=world.boot_id)
        manager.start(ICE_20)
        world.advance(20 * MIN)
        manager.poll()
        stored = journal.events(types=["timer_start", "timer_end"])
        assert [e.type for e in stored] == ["timer_start", "timer_end"]
        assert stored[1].data["preset"] == "ice-20" and stored[1].time == T0 + timedelta(minutes=20)
        start_episode(journal, T0 - timedelta(hours=30))
        episode = current_episode(journal)
        assert episode is not None and episode.started == T0 - timedelta(hours=30)
    finally:
        journal.close()


# -- the state file --------------------------------------------------------------------------------------


def saved(path: Path | None = None) -> dict[str, Any]:
    """The state file as JSON."""
    document: dict[str, Any] = json.loads((path or paths.timers_state_path()).read_text(encoding="utf-8"))
    return document


def test_the_state_is_saved_after_every_change_in_the_documented_shape(world: World) -> None:
    manager = world.manager()
    timer = manager.start(ICE_CYCLE)
    document = saved()
    assert document["format"] == 1 and document["saved_at"] == T0.isoformat()
    [entry] = document["timers"]
    assert entry == {
        "id": timer.id,
        "preset": {"id": "ice-cycle", "title": "Ice cycle", "therapy": "cold", "on": 1200.0, "off": 1800.0,
                   "cycles": 3, "advice": COLD_ADVICE},
        "state": "running",
        "elapsed_at_anchor": 0.0,
        "added": [0.0] * 5,
        "fired": 0,
        "anchor_monotonic": 1000.0,
        "anchor_wall": "2026-11-21T14:15:00+00:00",
        "boot_id": "boot-a",
        "time_scale": 1.0,
        "started_at": "2026-11-21T14:15:00+00:00",
        "finished_at": None,
        "cancelled_at": None,
    }  # fmt: skip
    world.advance(5 * MIN)
    manager.pause(timer.id)
    assert saved()["timers"][0]["state"] == "paused" and saved()["timers"][0]["elapsed_at_anchor"] == 300
    manager.resume(timer.id)
    manager.add_time(timer.id)
    assert saved()["timers"][0]["added"] == [300.0, 0, 0, 0, 0]
    world.advance(30 * MIN)
    manager.poll()
    assert saved()["timers"][0]["fired"] == 1
    assert [p.name for p in paths.timers_state_path().parent.iterdir()] == ["timers.json"]  # no temp files left


def test_the_saved_anchor_of_a_scaled_clock_is_the_unscaled_boot_clock(world: World) -> None:
    clock = ScaledClock(world.clock, 60)
    world.clock.advance(100)
    manager = TimerManager(clock, now=world.wall, boot_id=world.boot_id)
    manager.start(ICE_20)
    entry = saved()["timers"][0]
    assert entry["anchor_monotonic"] == 1100 and entry["time_scale"] == 60
    world.advance(5)  # 5 real seconds = 5 timer minutes
    restored = TimerManager(ScaledClock(world.clock, 60), now=world.wall, boot_id=world.boot_id)
    assert restored.timers[0].remaining == pytest.approx(15 * MIN)


def test_restore_after_a_restart_continues_where_it_was(world: World) -> None:
    manager = world.manager()
    timer = manager.start(ICE_CYCLE)
    world.advance(12 * MIN)
    manager.poll()
    del manager  # the app closes
    world.advance(13 * MIN)  # and opens again 13 minutes later, same boot
    restored = world.manager()
    [again] = restored.timers
    assert again.id == timer.id and again.preset == ICE_CYCLE and again.started_at == T0
    assert (again.state, again.phase, again.cycle, again.remaining) == (TimerState.RUNNING, OFF, 1, 25 * MIN)
    assert [e.kind for e in restored.missed] == [PHASE]  # the change to "off" happened while closed
    assert restored.poll() == []  # and is not announced again
    world.advance(25 * MIN)
    assert kinds(restored.poll()) == [(PHASE, ON, 2)]


def test_a_wall_clock_jump_between_runs_has_no_effect_in_the_same_boot(world: World) -> None:
    world.manager().start(ICE_20)
    world.advance(5 * MIN)
    world.wall.advance(-3 * 3600)  # clock set back three hours while the app was closed
    [timer] = world.manager().timers
    assert timer.remaining == 15 * MIN
    world.wall.advance(10 * 3600)  # and then forward ten
    [timer] = world.manager().timers
    assert timer.remaining == 15 * MIN and timer.state is TimerState.RUNNING


def test_restore_after_a_reboot_uses_the_wall_clock(world: World) -> None:
    world.manager().start(ICE_CYCLE)
    world.advance(5 * MIN)
    world.reboot(off_for=10 * MIN)  # the boot-time clock starts again from near zero
    manager = world.manager()
    [timer] = manager.timers
    assert (timer.phase, timer.cycle, timer.remaining) == (ON, 1, 5 * MIN)
    assert saved()["timers"][0]["boot_id"] == "boot-a-next"  # re-anchored to the new boot
    world.advance(5 * MIN)
    assert kinds(manager.poll()) == [(PHASE, OFF, 1)]
    world.advance(10 * MIN)
    world.wall.advance(-3600)  # from now on the new boot's clock counts, not the wall clock
    [timer] = world.manager().timers
    assert (timer.phase, timer.remaining) == (OFF, 20 * MIN)


def test_restore_without_a_boot_id_uses_the_wall_clock() -> None:
    world = World(boot=None)
    world.manager().start(ICE_20)
    world.wall.advance(8 * MIN)  # no boot id: the boot-time clock cannot be trusted across runs
    [timer] = world.manager().timers
    assert timer.remaining == 12 * MIN


def test_a_timer_that_ended_while_closed_is_finished_and_journaled_once(world: World) -> None:
    journal = FakeJournal()
    world.manager(journal).start(ICE_CYCLE)
    world.advance(3 * 3600)  # the app was closed for three hours
    restored = world.manager(journal)
    [timer] = restored.timers
    assert timer.state is TimerState.FINISHED
    assert timer.finished_at == T0 + timedelta(minutes=120)
    assert timer.finished_at.astimezone(UTC).strftime("%H:%M") == "16:15"
    assert kinds(restored.missed) == [
        (PHASE, OFF, 1),
        (PHASE, ON, 2),
        (PHASE, OFF, 2),
        (PHASE, ON, 3),
        (END, ON, 3),
    ]
    assert restored.poll() == []
    assert journal.types() == [
        "timer_start",
        "timer_phase",
        "timer_phase",
        "timer_phase",
        "timer_phase",
        "timer_end",
    ]
    assert journal.entries[-1].now == T0 + timedelta(minutes=120)
    world.advance(3600)
    again = world.manager(journal)  # opened once more: the end is not journaled twice
    assert again.timers[0].state is TimerState.FINISHED and again.timers[0].finished_at == T0 + timedelta(minutes=120)
    assert again.missed == [] and journal.types().count("timer_end") == 1
    assert clear_finished(again) == 1 and saved()["timers"] == []


def test_finished_and_cancelled_timers_stay_as_history_until_cleared(world: World) -> None:
    manager = world.manager()
    done = manager.start(ICE_20)
    stopped = manager.start(HEAT_20)
    running = manager.start(ICE_CYCLE)
    manager.cancel(stopped.id)
    world.advance(21 * MIN)
    manager.poll()
    restored = world.manager()
    states = {t.id: t.state for t in restored.timers}
    assert states == {
        done.id: TimerState.FINISHED,
        stopped.id: TimerState.CANCELLED,
        running.id: TimerState.RUNNING,
    }
    assert restored.get(stopped.id).cancelled_at == T0
    assert clear_finished(restored) == 2 and [t.id for t in restored.timers] == [running.id]
    assert [t["id"] for t in saved()["timers"]] == [running.id]


def test_a_paused_timer_stays_paused_across_restarts_and_reboots(world: World) -> None:
    manager = world.manager()
    timer = manager.start(ICE_20)
    world.advance(4 * MIN)
    manager.pause(timer.id)
    world.advance(3600)
    world.reboot(off_for=3600)
    [again] = world.manager().timers
    assert again.state is TimerState.PAUSED and again.remaining == 16 * MIN


def test_restore_does_not_need_the_preset_file(world: World, spasmcoach_home: Path) -> None:
    custom = TimerPreset.custom(Therapy.HEAT, 12)
    world.manager().start(custom)
    [timer] = world.manager().timers
    assert timer.preset == custom and timer.preset.advice == HEAT_ADVICE


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"format": 99, "timers": []}',
        b'{"format": 1, "timers": [{"id": "x"}]}',
        b'{"format": 1, "timers": [{"id": "x", "preset": {"id": "a"}}]}',
    ],
)
def test_a_damaged_state_file_is_moved_aside_and_the_app_starts_empty(world: World, content: bytes) -> None:
    path = paths.timers_state_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    notifier = Notifier()
    manager = TimerManager(world.clock, now=world.wall, boot_id=world.boot_id, notifier=notifier)
    assert manager.timers == [] and manager.recovery_reason
    assert "started without them" in notifier.history[0].message
    assert manager.recovered_from == path.with_name("timers.json.damaged-20261121T141500")
    assert manager.recovered_from.read_bytes() == content  # kept, never deleted
    assert not path.exists()
    manager.start(ICE_20)
    assert len(saved()["timers"]) == 1


def test_a_second_damaged_file_does_not_overwrite_the_first(world: World) -> None:
    path = paths.timers_state_path()
    path.parent.mkdir(parents=True)
    path.write_text("first")
    first = world.manager().recovered_from
    path.write_text("second")
    second = world.manager().recovered_from
    assert first is not None and second is not None and first != second
    assert (first.read_text(), second.read_text()) == ("first", "second")


def test_a_damaged_saved_timer_is_caught_before_anything_runs(world: World) -> None:
    manager = world.manager()
    manager.start(ICE_CYCLE)
    document = saved()
    document["timers"][0]["fired"] = 5  # a running timer cannot have fired its end
    paths.timers_state_path().write_text(json.dumps(document))
    with pytest.raises(StateFileError):
        load_timers(clock=world.clock, now=world.wall, boot_id=world.boot_id)
    assert world.manager().recovered_from is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_the_state_file_is_refused_at_once_and_set_aside(world: World) -> None:
    path = paths.timers_state_path()
    path.parent.mkdir(parents=True)
    os.mkfifo(path)  # opening this for reading would wait forever for a writer
    with pytest.raises(StateFileError, match="FIFO"):
        load_timers(clock=world.clock, now=world.wall, boot_id=world.boot_id)
    manager = world.manager()
    assert manager.timers == [] and manager.recovered_from is not None and not path.exists()


def test_a_huge_state_file_is_refused_without_reading_it_all(world: World) -> None:
    path = paths.timers_state_path()
    path.parent.mkdir(parents=True)
    with path.open("wb") as out:
        out.truncate(MAX_STATE_BYTES + 1)
    with pytest.raises(StateFileError, match="too large"):
        load_timers(clock=world.clock, now=world.wall, boot_id=world.boot_id)


def test_no_state_file_means_no_timers(world: World) -> None:
    manager = world.manager()
    assert manager.timers == [] and manager.recovered_from is None and manager.missed == []
    assert not paths.timers_state_path().exists()  # nothing written until something happens


def test_the_boot_id_is_read_from_linux_or_is_none(tmp_path: Path) -> None:
    source = tmp_path / "boot_id"
    source.write_text("0b9c6f0e-1c1a-4f54-9a6f-0d2b8f7c4f11\n")
    assert read_boot_id(source) == "0b9c6f0e-1c1a-4f54-9a6f-0d2b8f7c4f11"
    assert read_boot_id(tmp_path / "missing") is None
    assert read_boot_id() is None or len(read_boot_id() or "") > 10


# -- safety ----------------------------------------------------------------------------------------------


def test_advice_for_each_therapy() -> None:
    assert Therapy.COLD.info.advice == COLD_ADVICE and Therapy.HEAT.info.advice == HEAT_ADVICE
    assert COLD_ADVICE.startswith("Never put ice directly on the skin — wrap it in a thin towel.")
    assert "skin" in COLD_ADVICE.split(".", 1)[1]
    heat = HEAT_ADVICE
    assert "warm" in heat and "never hot" in heat and "Never fall asleep on a heat pad or a hot water bottle" in heat


@pytest.mark.parametrize(
    ("hours", "therapy"),
    [(0, Therapy.COLD), (30, Therapy.COLD), (71.99, Therapy.COLD), (72, Therapy.HEAT), (200, Therapy.HEAT)],
)
def test_cold_is_suggested_for_the_first_72_hours(hours: float, therapy: Therapy) -> None:
    assert suggested_therapy(T0 - timedelta(hours=hours), T0) is therapy


def test_with_no_known_episode_cold_is_suggested_and_heat_is_not_warned_about() -> None:
    assert suggested_therapy(None, T0) is Therapy.COLD
    assert heat_warning(None, T0) is None


def test_heat_in_the_first_72_hours_gets_a_calm_note() -> None:
    note = heat_warning(T0 - timedelta(hours=30), T0)
    assert note is not None
    assert note.startswith("A note:") and "about 30 hours ago" in note and "two to three days" in note
    assert "cold soothing" in note and "Heat is fine too" in note and "moderate evidence" in note
    assert not any(word in note.lower() for word in ("harm", "swelling", "avoid", "should not"))  # a note, no alarm
    assert "less than an hour ago" in (heat_warning(T0 - timedelta(minutes=20), T0) or "")
    assert "about 1 hour ago" in (heat_warning(T0 - timedelta(minutes=61), T0) or "")
    assert heat_warning(T0 - timedelta(hours=72), T0) is None
    assert heat_warning(T0 + timedelta(hours=2), T0) is not None  # a start in the future counts as now


def test_episodes_need_aware_times() -> None:
    with pytest.raises(ValueError):
        Episode(datetime(2026, 11, 21, 14, 0))
    assert Episode(T0).age(T0 + timedelta(hours=5)) == timedelta(hours=5)


def test_long_on_phases_get_a_skin_warning() -> None:
    assert long_phase_warning(ICE_20) is None  # exactly 20 minutes is fine
    note = long_phase_warning(TimerPreset("x", "X", Therapy.COLD, on=25 * MIN))
    assert note is not None and "25 min" in note and "harm the skin" in note and "cold" in note
    heat = long_phase_warning(TimerPreset("y", "Y", Therapy.HEAT, on=45 * MIN, off=10 * MIN, cycles=2))
    assert heat is not None and "heat" in heat


def test_start_warnings_give_the_episode_note_first_then_the_long_phase_note() -> None:
    early = T0 - timedelta(hours=30)
    long_heat = start_warnings(Therapy.HEAT, 45 * MIN, early, T0)
    assert long_heat == [heat_warning(early, T0), long_phase_warning(TimerPreset("h", "H", Therapy.HEAT, on=45 * MIN))]
    assert start_warnings(Therapy.HEAT, 20 * MIN, T0 - timedelta(days=5), T0) == []  # after 72 hours: no note
    assert start_warnings(Therapy.HEAT, 20 * MIN, None, T0) == []  # an unknown start is not guessed at
    [cold_note] = start_warnings(Therapy.COLD, 25 * MIN, early, T0)  # cold early is what is advised
    assert "harm the skin" in cold_note and "cold" in cold_note


def test_each_therapy_kind_has_one_descriptor_with_everything_shown() -> None:
    assert set(THERAPY_KINDS) == set(Therapy)
    for therapy, kind in THERAPY_KINDS.items():
        assert therapy.info is kind and therapy.label == kind.label
        assert kind.label and kind.noun and kind.sensation and kind.icon and kind.advice and kind.suggestion
        for colour in (kind.colour, kind.chart_colour):
            assert len(colour) == 7 and colour.startswith("#") and int(colour[1:], 16) >= 0
    assert (Therapy.COLD.label, Therapy.HEAT.label) == ("Ice", "Heat")
    assert Therapy.HEAT.info.discouraged_early and not Therapy.COLD.info.discouraged_early
    assert Therapy.named("cold") is Therapy.COLD and Therapy.named("warm") is None and Therapy.named(None) is None


def test_the_episode_start_lives_in_the_journal() -> None:
    journal = FakeJournal()
    assert current_episode(journal) is None
    start_episode(journal, T0 - timedelta(days=10))
    start_episode(journal, T0 - timedelta(hours=6))
    assert journal.entries[-1] == Entry("episode_start", {}, T0 - timedelta(hours=6))
    episode = current_episode(journal)
    assert episode == Episode(T0 - timedelta(hours=6)) and episode.early(T0)


# -- the clocks timers run on ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["abc", "0", "-2", "0.001", "10001", "inf", "nan"])
def test_a_bad_time_scale_is_refused_in_one_sentence_naming_the_range(raw: str) -> None:
    with pytest.raises(ValueError, match=r"^SPASMCOACH_TIME_SCALE must be a number from 0\.01 to 10000, got '.*'\.$"):
        time_scale({"SPASMCOACH_TIME_SCALE": raw})
    with pytest.raises(ValueError, match="SPASMCOACH_TIME_SCALE"):
        timer_clock({"SPASMCOACH_TIME_SCALE": raw})


def test_every_clock_converts_its_seconds_to_real_ones() -> None:
    assert time_scale({}) == 1.0 and time_scale({"SPASMCOACH_TIME_SCALE": " 0.01 "}) == 0.01
    fast = timer_clock({"SPASMCOACH_TIME_SCALE": "60"})
    assert fast.scale == 60 and fast.to_real_seconds(120) == 2 and fast.base.scale == 1
    plain = session_clock({})
    assert plain.scale == 1 and plain.to_real_seconds(120) == 120
    fake = FakeClock()
    assert fake.to_real_seconds(7.5) == 7.5 and fake.base is fake


def test_a_settled_episode_is_no_longer_current(tmp_path: Path) -> None:
    """"My back has settled" ends the episode the timers advise on; a later start begins a new one."""
    from spasmcoach.core.diary import episodes as diary_episodes

    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        start_episode(journal, T0 - timedelta(days=2), now=T0)
        assert current_episode(journal) == Episode(T0 - timedelta(days=2))
        open_one = diary_episodes.open_episode(journal, now=T0)
        diary_episodes.end(journal, open_one, at=T0 - timedelta(days=1), now=T0)
        assert current_episode(journal) is None, "settled: no heat warning or cold-first advice for it"
        start_episode(journal, T0 - timedelta(hours=3), now=T0)
        assert current_episode(journal) == Episode(T0 - timedelta(hours=3))
        # an end entered later but dated before the newest start does not end it
        journal.record("episode_end", now=T0 - timedelta(hours=5))
        assert current_episode(journal) == Episode(T0 - timedelta(hours=3))
