"""The timing engine, driven by a fake clock: expansion, states, cue points, pause/skip/back, no drift."""

from __future__ import annotations

import itertools
import random

import pytest

from spasmcoach.core.clock import FakeClock, ScaledClock
from spasmcoach.core.model import Phase, PhaseKind, Routine, RoutineKind, Sides, Step
from spasmcoach.core.runner import Cue, CueKind, Runner, RunnerState, StopPoint


def routine(*steps: Step, get_ready: float = 5) -> Routine:
    return Routine("r", "R", RoutineKind.RELEASE, steps, get_ready=get_ready)


KNEE = Step("Knee to chest", hold=20, reps=3, rest=10, sides=Sides.BOTH)
LIE = Step("Rest on your back", duration=90)


def phase_of(source: Runner | Cue | StopPoint) -> Phase:
    """The phase a runner is in, or a cue or stop point belongs to (the tests only ask when there is one)."""
    phase = source.current_phase if isinstance(source, Runner) else source.phase
    assert phase is not None
    return phase


def test_expansion_matches_the_documented_arithmetic() -> None:
    timeline = routine(KNEE).timeline()
    assert timeline.total == 5 + 6 * 20 + 5 * 10 == 175
    kinds = [p.kind for p in timeline.phases]
    assert kinds.count(PhaseKind.HOLD) == 6 and kinds.count(PhaseKind.REST) == 5
    holds = [(p.side, p.rep) for p in timeline.phases if p.kind is PhaseKind.HOLD]
    assert holds == [("left", 1), ("left", 2), ("left", 3), ("right", 1), ("right", 2), ("right", 3)]
    assert [p.side_switch for p in timeline.phases if p.kind is PhaseKind.HOLD] == [False] * 3 + [True, False, False]
    starts = [p.start for p in timeline.phases]
    assert starts == sorted(starts) and all(a.end == b.start for a, b in itertools.pairwise(timeline.phases))


def test_step_get_ready_override_and_zero() -> None:
    steps = (Step("A", duration=10, get_ready=0), Step("B", hold=5, reps=2), Step("C", duration=3, get_ready=2))
    timeline = routine(*steps, get_ready=4).timeline()
    assert [(p.step.name, p.kind.value, p.duration) for p in timeline.phases] == [
        ("A", "timed", 10), ("B", "get_ready", 4), ("B", "hold", 5), ("B", "hold", 5),
        ("C", "get_ready", 2), ("C", "timed", 3),
    ]  # fmt: skip
    assert timeline.total == 29


def test_leaving_a_step_out() -> None:
    shorter = routine(LIE, KNEE).without_steps({"Knee to chest"})
    assert [s.name for s in shorter.steps] == ["Rest on your back"] and shorter.total == 95


def run(r: Routine) -> tuple[Runner, FakeClock]:
    clock = FakeClock()
    return Runner(r.timeline(), clock), clock


def test_states_and_cues_through_a_whole_routine() -> None:
    runner, clock = run(routine(Step("A", hold=10, reps=2, rest=5)))
    assert runner.state is RunnerState.IDLE
    cues = runner.start()
    assert [c.kind for c in cues] == [CueKind.STEP_CHANGE, CueKind.PHASE_START]
    assert runner.state is RunnerState.GET_READY
    seen = list(cues)
    for _ in range(61):
        clock.advance(0.5)
        seen += runner.poll()
    assert runner.state is RunnerState.FINISHED
    timeline = [(c.kind.value, c.offset, c.count) for c in seen]
    assert timeline == [
        ("step_change", 0, None), ("phase_start", 0, None),
        ("countdown", 2, 3), ("countdown", 3, 2), ("countdown", 4, 1),
        ("phase_start", 5, None), ("halfway", 10, None),
        ("countdown", 12, 3), ("countdown", 13, 2), ("countdown", 14, 1),
        ("phase_start", 15, None), ("countdown", 17, 3), ("countdown", 18, 2), ("countdown", 19, 1),
        ("phase_start", 20, None), ("halfway", 25, None),
        ("countdown", 27, 3), ("countdown", 28, 2), ("countdown", 29, 1),
        ("finished", 30, None),
    ]  # fmt: skip
    assert runner.steps_done == 1


def test_side_switch_cue_on_the_first_hold_of_the_second_side() -> None:
    runner, clock = run(routine(KNEE))
    runner.start()
    clock.advance(95)
    cues = runner.poll()
    switches = [c for c in cues if c.kind is CueKind.SIDE_SWITCH]
    assert len(switches) == 1 and switches[0].offset == 95 and phase_of(switches[0]).side == "right"


def test_every_cue_carries_its_planned_due_time_even_when_polled_late() -> None:
    runner, clock = run(routine(KNEE))
    start = clock.now()
    runner.start()
    clock.advance(60.7)
    cues = runner.poll()
    assert len(cues) >= 3, "a minute into the routine several cues are due"  # an empty poll must not pass
    assert {c.kind for c in cues} >= {CueKind.PHASE_START}
    for cue in cues:
        assert cue.due == pytest.approx(start + cue.offset)
        assert cue.due <= clock.now()


def test_pause_freezes_time_and_resume_keeps_the_schedule() -> None:
    runner, clock = run(routine(Step("A", duration=30)))
    runner.start()
    clock.advance(12)
    runner.poll()
    runner.pause()
    assert runner.state is RunnerState.PAUSED
    snap = runner.snapshot()
    clock.advance(500)
    assert runner.poll() == [] and runner.seconds_to_next_cue() is None
    assert runner.snapshot().remaining == snap.remaining == pytest.approx(23)
    runner.resume()
    assert runner.state is RunnerState.RUNNING
    clock.advance(23)
    kinds = [c.kind for c in runner.poll()]
    assert CueKind.FINISHED in kinds and runner.state is RunnerState.FINISHED


def test_skip_and_back() -> None:
    runner, clock = run(routine(Step("A", hold=10, reps=2, rest=5), Step("B", duration=20)))
    runner.start()
    runner.poll()
    runner.skip()  # get ready -> first hold
    assert phase_of(runner).kind is PhaseKind.HOLD and phase_of(runner).rep == 1
    assert [c.kind for c in runner.poll()] == [CueKind.PHASE_START]
    clock.advance(4)
    runner.back()  # 4 s in: restart this hold
    assert runner.snapshot().remaining == pytest.approx(10)
    runner.back()  # at its start: previous phase
    assert phase_of(runner).kind is PhaseKind.GET_READY
    for _ in range(4):
        runner.skip()
    assert phase_of(runner).step.name == "B" and phase_of(runner).kind is PhaseKind.GET_READY
    kinds = [c.kind for c in runner.poll()]
    assert CueKind.STEP_CHANGE in kinds
    assert runner.steps_done == 0  # A was skipped through, not done
    runner.skip()
    runner.skip()
    assert runner.state is RunnerState.FINISHED


def test_skip_while_paused_stays_paused() -> None:
    runner, clock = run(routine(Step("A", hold=10, reps=2, rest=5)))
    runner.start()
    runner.pause()
    runner.skip()
    assert runner.state is RunnerState.PAUSED
    assert phase_of(runner).kind is PhaseKind.HOLD
    clock.advance(100)
    assert runner.snapshot().remaining == pytest.approx(10)
    runner.resume()
    clock.advance(10)
    runner.poll()
    assert phase_of(runner).kind is PhaseKind.REST


@pytest.mark.parametrize("state_at", ["get_ready", "running", "paused"])
def test_stop_halts_at_once_and_records_where(state_at: str) -> None:
    runner, clock = run(routine(LIE, KNEE))
    runner.start()
    clock.advance({"get_ready": 2, "running": 95 + 5 + 20 + 10 + 7, "paused": 40}[state_at])
    runner.poll()
    if state_at == "paused":
        runner.pause()
    assert runner.state.value == state_at
    point = runner.stop()
    assert runner.state is RunnerState.STOPPED
    assert [c.kind for c in runner.poll()] == [CueKind.STOPPED]
    clock.advance(1000)
    assert runner.poll() == [] and runner.seconds_to_next_cue() is None
    assert runner.offset == point.offset
    if state_at == "running":
        phase = phase_of(point)
        assert phase.step.name == "Knee to chest" and phase.side == "left" and phase.rep == 2
        assert point.seconds_into_step == pytest.approx(42)


def test_stop_when_not_running_changes_nothing() -> None:
    runner, _ = run(routine(LIE))
    runner.stop()
    assert runner.state is RunnerState.IDLE


def test_seconds_to_next_cue_lets_the_view_sleep_until_something_happens() -> None:
    runner, clock = run(routine(Step("A", duration=60)))
    runner.start()
    runner.poll()
    assert runner.seconds_to_next_cue() == pytest.approx(2)  # countdown 3 of the get-ready
    clock.advance(5)
    runner.poll()
    assert runner.seconds_to_next_cue() == pytest.approx(30)  # halfway


def test_no_drift_over_a_simulated_two_hour_routine() -> None:
    steps = tuple(Step(f"S{i}", hold=25, reps=4, rest=12.5, sides=Sides.BOTH) for i in range(25))
    r = routine(*steps, get_ready=7.3)
    runner, clock = run(r)
    assert r.total > 2 * 3600
    start = clock.now()
    rng = random.Random(7)
    boundaries = [c for c in runner.start() if c.kind is CueKind.PHASE_START]
    while runner.state is not RunnerState.FINISHED:
        # poll at irregular, sometimes long, intervals as a busy event loop would
        clock.advance(rng.choice([0.001, 0.016, 0.3, 1.7, 9.9]))
        boundaries += [c for c in runner.poll() if c.kind in (CueKind.PHASE_START, CueKind.FINISHED)]
    planned = [p.start for p in r.timeline().phases] + [r.total]
    assert [c.offset for c in boundaries] == planned
    assert [c.due - start for c in boundaries] == pytest.approx(planned, abs=1e-6)


def test_scaled_clock_speeds_up_the_routine() -> None:
    base = FakeClock()
    runner = Runner(routine(Step("A", duration=60)).timeline(), ScaledClock(base, 10))
    runner.start()
    base.advance(6.5)
    runner.poll()
    assert runner.state is RunnerState.FINISHED
