"""GuidedSession without a window: a fake clock, a real journal in a temporary folder and a recording sink."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.instructions import InstructionsAloud, reads_instructions
from spasmcoach.core.journal import Journal
from spasmcoach.core.model import PhaseKind, Routine, RoutineKind, Sides, Step
from spasmcoach.core.notify import Notifier
from spasmcoach.core.runner import RunnerState
from spasmcoach.core.session import GuidedSession
from spasmcoach.core.storage import utc_now

ROUTINE = Routine(
    "test-release",
    "Test release",
    RoutineKind.RELEASE,
    (
        Step("Lie down", "Lie on your back.", duration=10),
        Step("Knee hug", "Hug one knee.", hold=5, reps=2, rest=2, sides=Sides.BOTH),
    ),
    get_ready=3,
)
# get ready 0-3, Lie down 3-13, get ready 13-16, Knee hug right/left holds and rests from 16 on
TOTAL = ROUTINE.total


class Sink:
    """Records what would be played, and the runner's state at the moment the sound was silenced."""

    def __init__(self) -> None:
        self.played: list[str] = []
        self.said: list[str] = []
        self.silenced_in: list[RunnerState] = []
        self.spoken: list[tuple[str, bool]] = []
        self.prepared: list[str] = []
        self.session: GuidedSession | None = None

    def play(self, cue: str, due: float | None = None) -> None:
        self.played.append(cue)

    def say(self, text: str, due: float | None = None, *, droppable: bool = False, until: float | None = None) -> None:
        self.said.append(text)
        self.spoken.append((text, droppable))

    def prepare(self, texts: Sequence[str]) -> None:
        self.prepared.extend(texts)

    def stop_all(self) -> None:
        assert self.session is not None
        self.silenced_in.append(self.session.runner.state)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    journal = Journal.open(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


@pytest.fixture
def sink() -> Sink:
    return Sink()


@pytest.fixture
def session(clock: FakeClock, journal: Journal, sink: Sink) -> GuidedSession:
    guided = GuidedSession(ROUTINE, clock, journal=journal, sink=sink, notifier=Notifier())
    sink.session = guided
    return guided


def event_types(journal: Journal) -> list[str]:
    return [e.type for e in sorted(journal.events(), key=lambda e: e.id)]


def test_start_opens_the_session_and_announces_the_first_step(
    session: GuidedSession, journal: Journal, sink: Sink
) -> None:
    session.start(pain_before=4)
    assert session.runner.state is RunnerState.GET_READY
    [stored] = journal.sessions()
    assert (stored.id, stored.routine, stored.title, stored.pain_before) == (
        session.session_id, "test-release", "Test release", 4,
    )  # fmt: skip
    assert (stored.steps_total, stored.outcome) == (2, None)
    assert sink.played[:1] == ["get-ready"] and sink.said[:1] == ["Next: Lie down."]


def test_pause_freezes_the_routine(session: GuidedSession, clock: FakeClock, sink: Sink) -> None:
    session.start()
    clock.advance(5)
    session.tick()
    session.runner.toggle_pause()
    assert session.runner.state is RunnerState.PAUSED
    remaining = session.runner.snapshot().remaining
    played = list(sink.played)
    clock.advance(300)
    session.tick()
    assert session.runner.snapshot().remaining == remaining and sink.played == played
    session.runner.toggle_pause()
    assert session.runner.state is RunnerState.RUNNING


def test_skip_moves_to_the_next_part(session: GuidedSession) -> None:
    session.start()
    session.runner.skip()
    session.tick()
    phase = session.runner.current_phase
    assert phase is not None and (phase.step.name, phase.kind) == ("Lie down", PhaseKind.TIMED)


def test_finishing_closes_the_session_once(
    session: GuidedSession, clock: FakeClock, journal: Journal, sink: Sink
) -> None:
    session.start(pain_before=5)
    clock.advance(TOTAL + 10)
    session.tick()
    session.tick()
    assert session.finished and sink.played[-1] == "done"
    [stored] = journal.sessions()
    assert (stored.outcome, stored.steps_done) == ("completed", 2)
    assert event_types(journal).count("session_end") == 1
    assert session.elapsed == pytest.approx(TOTAL + 10)
    assert session.pain_stop() is None  # nothing left to stop
    assert "pain_stop" not in event_types(journal)


@pytest.mark.parametrize(
    ("state", "seconds", "step", "phase"),
    [
        (RunnerState.GET_READY, 1, "Lie down", "get_ready"),
        (RunnerState.RUNNING, 18, "Knee hug", "hold"),
        (RunnerState.PAUSED, 7, "Lie down", "timed"),
    ],
)
def test_pain_stop_halts_silences_records_and_ends_in_that_order(
    session: GuidedSession, clock: FakeClock, journal: Journal, sink: Sink,
    state: RunnerState, seconds: float, step: str, phase: str,
) -> None:  # fmt: skip
    session.start(pain_before=3)
    clock.advance(seconds)
    session.tick()
    if state is RunnerState.PAUSED:
        session.runner.toggle_pause()
        clock.advance(60)  # a pause does not move the stop point
    assert session.runner.state is state
    before = utc_now()

    record = session.pain_stop()

    assert record is not None
    assert (record.routine_id, record.routine_title, record.step) == ("test-release", "Test release", step)
    assert record.saved and record.event_id is not None
    assert record.when.tzinfo is UTC and before <= record.when <= utc_now()
    assert session.runner.state is RunnerState.STOPPED
    assert sink.silenced_in == [RunnerState.STOPPED]  # halted first, then silenced
    assert sink.played[-1] == "stopped"
    types = event_types(journal)
    assert types.count("pain_stop") == 1 and types.count("session_end") == 1
    assert types.index("pain_stop") < types.index("session_end")
    stored = journal.event(record.event_id)
    assert stored is not None and (stored.type, stored.routine, stored.step, stored.phase) == (
        "pain_stop", "test-release", step, phase,
    )  # fmt: skip
    assert abs(stored.time - record.when) < timedelta(milliseconds=1)
    assert journal.sessions()[0].outcome == "stopped"


@pytest.mark.parametrize("when", ["not started", "already stopped", "closed early"])
def test_pain_stop_when_nothing_runs_returns_nothing_and_writes_nothing(
    session: GuidedSession, journal: Journal, sink: Sink, when: str
) -> None:
    if when != "not started":
        session.start()
    if when == "already stopped":
        assert session.pain_stop() is not None
    elif when == "closed early":
        session.end_early()
    stops = event_types(journal).count("pain_stop")
    silenced = len(sink.silenced_in)
    assert session.pain_stop() is None
    assert event_types(journal).count("pain_stop") == stops and len(sink.silenced_in) == silenced


def test_pain_stop_without_a_journal_still_halts_and_says_it_was_not_saved(clock: FakeClock, sink: Sink) -> None:
    session = GuidedSession(ROUTINE, clock, journal=None, sink=sink)
    sink.session = session
    session.start()
    record = session.pain_stop()
    assert record is not None and record.event_id is None and not record.saved
    assert record.step == "Lie down" and session.runner.state is RunnerState.STOPPED


def test_stop_details_update_the_same_event(session: GuidedSession, journal: Journal) -> None:
    session.start()
    record = session.pain_stop()
    assert record is not None and record.event_id is not None
    session.describe_stop(6, ["tingling"], "  left side  ")
    [stop] = journal.events(types=["pain_stop"])
    assert (stop.id, stop.pain, stop.symptoms, stop.note) == (record.event_id, 6, ("tingling",), "left side")


def test_closing_early_ends_the_session_without_a_pain_stop(session: GuidedSession, journal: Journal) -> None:
    session.start()
    session.end_early()
    assert session.runner.state is RunnerState.STOPPED
    assert journal.sessions()[0].outcome == "stopped" and "pain_stop" not in event_types(journal)


def test_left_out_steps_are_not_run_and_are_recorded(clock: FakeClock, journal: Journal) -> None:
    session = GuidedSession(ROUTINE, clock, journal=journal, left_out=["Knee hug"])
    session.start()
    assert [s.name for s in session.routine.steps] == ["Lie down"]
    assert journal.sessions()[0].left_out == ("Knee hug",)


def test_a_rise_in_pain_after_is_recorded(session: GuidedSession, clock: FakeClock, journal: Journal) -> None:
    session.start(pain_before=3)
    clock.advance(TOTAL + 1)
    session.tick()
    assert session.rate_after(6) is True
    assert journal.sessions()[0].pain_after == 6
    assert [e.type for e in journal.events(types=["pain_increase"])] == ["pain_increase"]


def test_instructions_are_read_on_first_runs_until_the_routine_is_finished_once(
    clock: FakeClock, journal: Journal
) -> None:
    """By default the instructions are read until a run of the routine has been completed; a stopped run
    does not count. 'always' and 'never' do what they say; no journal counts as a first run."""
    assert reads_instructions(InstructionsAloud.FIRST_RUNS, journal, ROUTINE.id)
    stopped = GuidedSession(ROUTINE, clock, journal=journal)
    stopped.start()
    stopped.pain_stop()
    assert reads_instructions("first-runs", journal, ROUTINE.id)
    done = GuidedSession(ROUTINE, clock, journal=journal)
    done.start()
    clock.advance(TOTAL + 1)
    done.tick()
    assert not reads_instructions(InstructionsAloud.FIRST_RUNS, journal, ROUTINE.id)
    assert reads_instructions(InstructionsAloud.FIRST_RUNS, journal, "another-routine")
    assert reads_instructions(InstructionsAloud.ALWAYS, journal, ROUTINE.id)
    assert not reads_instructions(InstructionsAloud.NEVER, journal, "another-routine")
    assert reads_instructions("nonsense", journal, ROUTINE.id) is False  # unknown: the default, first runs
    assert reads_instructions(InstructionsAloud.FIRST_RUNS, None, ROUTINE.id)
    journal.close()
    assert reads_instructions(InstructionsAloud.FIRST_RUNS, journal, ROUTINE.id)  # unreadable: read them


def test_a_session_reading_instructions_says_them_in_get_ready_and_prepares_them(clock: FakeClock, sink: Sink) -> None:
    """The instructions follow "Next: …" and are rendered ahead; without the option they are never said."""
    session = GuidedSession(ROUTINE, clock, journal=None, sink=sink, read_instructions=True)
    sink.session = session
    session.start()
    assert sink.said == ["Next: Lie down.", "Lie on your back."]
    assert "Hug one knee." in sink.prepared and "Next: Knee hug. Left side first." in sink.prepared
    knee = next(p for p in session.runner.timeline.phases if p.step.name == "Knee hug")
    assert knee.duration > 3  # the get-ready grew to fit "Next: …" and the instructions
    clock.advance(knee.start + 0.5)  # into the get-ready of the knee hug
    session.tick()
    assert sink.said[-2:] == ["Next: Knee hug. Left side first.", "Hug one knee."]
    assert ("3", True) in sink.spoken and ("Next: Lie down.", False) in sink.spoken
    quiet = Sink()
    plain = GuidedSession(ROUTINE, clock, journal=None, sink=quiet)
    quiet.session = plain
    plain.start()
    clock.advance(TOTAL)
    plain.tick()
    assert "Lie on your back." not in quiet.said and "Hug one knee." not in quiet.said


def test_skipping_cuts_what_was_being_said_about_the_part_left(session: GuidedSession, sink: Sink) -> None:
    """A skip or back silences the old part's words before the new part's are announced."""
    session.start()
    session.skip()
    assert sink.silenced_in == [RunnerState.RUNNING]
    session.tick()
    assert sink.said[-1] == "Lie down."
    session.back()
    assert len(sink.silenced_in) == 2
