"""Speech ordering: a sentence that matters is never replaced, droppable ones yield (fake backend and clock)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from audio_fakes import FakeBackend, FakeHandle, SizedSpeech, wait_until

from spasmcoach.audio import AudioPlayer, Sound
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.model import Routine, RoutineKind, Sides, Step
from spasmcoach.core.session import GuidedSession


@pytest.fixture
def clock() -> FakeClock:
    """A clock that moves only when the test says so."""
    return FakeClock()


@pytest.fixture
def backend(clock: FakeClock) -> FakeBackend:
    """A recording backend whose handles know when they started and were stopped."""
    return FakeBackend(clock)


@pytest.fixture
def speech(tmp_path: Path) -> SizedSpeech:
    """Silent sentences as long as spoken ones would be (0.07 s a character)."""
    return SizedSpeech(tmp_path / "speech")


@pytest.fixture
def player(clock: FakeClock, backend: FakeBackend, speech: SizedSpeech) -> Iterator[AudioPlayer]:
    """A player on the fakes; closed after the test."""
    with AudioPlayer(clock=clock, backend=backend, speech=speech) as p:
        yield p


def spoken(backend: FakeBackend, speech: SizedSpeech) -> list[str]:
    """The sentences started so far, in order."""
    return [speech.said_by[h.path] for h in list(backend.handles) if h.path in speech.said_by]


def handle_of(backend: FakeBackend, speech: SizedSpeech, text: str) -> FakeHandle:
    """The playing handle of ``text``."""
    return next(h for h in backend.handles if speech.said_by.get(h.path) == text)


def at(clock: FakeClock, start: float, seconds: float) -> None:
    """Move the clock to ``seconds`` after ``start``."""
    clock.advance(start + seconds - clock.now())


def settle(player: AudioPlayer) -> None:
    """Wait until the player has started everything it can start now."""
    wait_until(lambda: player.settled, "the player to catch up")


def test_a_second_sentence_waits_for_the_first_instead_of_replacing_it(
    player: AudioPlayer, backend: FakeBackend, speech: SizedSpeech, clock: FakeClock
) -> None:
    """Two sentences that matter at the same instant: both are heard, in order, the first to its end."""
    player.say("Switch to the right side.")
    player.say("Breathe out.")
    settle(player)
    assert spoken(backend, speech) == ["Switch to the right side."]
    first = handle_of(backend, speech, "Switch to the right side.")
    assert not first.stopped.is_set()
    first.finish()  # the player program ended by itself
    wait_until(lambda: spoken(backend, speech) == ["Switch to the right side.", "Breathe out."], "the second")
    assert not first.stopped.is_set()


def test_the_countdown_yields_to_a_sentence_naming_the_next_step(
    player: AudioPlayer, backend: FakeBackend, speech: SizedSpeech, clock: FakeClock
) -> None:
    """'3' and '2' are skipped while "Next: Standing back extension." is spoken; '1' after it is heard."""
    text = "Next: Standing back extension."
    start = clock.now()
    player.say(text)
    settle(player)
    length = speech.seconds(text)  # 2.1 s
    for count, seconds in (("3", 0.5), ("2", 1.5)):
        at(clock, start, seconds)
        player.say(count, droppable=True)
        settle(player)
    assert spoken(backend, speech) == [text]
    assert not handle_of(backend, speech, text).stopped.is_set()
    at(clock, start, length + 0.4)  # past its estimated end (the WAV's length), though the fake player still runs
    player.say("1", droppable=True)
    wait_until(lambda: spoken(backend, speech) == [text, "1"], "the last count")


def test_a_countdown_number_is_skipped_while_a_sentence_waits_to_be_rendered(
    player: AudioPlayer, backend: FakeBackend, speech: SizedSpeech
) -> None:
    """Asked for but not yet rendered counts as speaking: the number does not jump the queue."""
    player.say("Rest. Next: right side.")
    player.say("3", droppable=True)
    settle(player)
    assert spoken(backend, speech) == ["Rest. Next: right side."]
    assert "3" not in speech.texts  # not even rendered


def test_a_sentence_that_matters_cuts_off_a_droppable_one_and_a_newer_number_replaces_an_older(
    player: AudioPlayer, backend: FakeBackend, speech: SizedSpeech
) -> None:
    """Droppable words are the only ones ever cut off or replaced."""
    player.say("Halfway.", droppable=True)
    settle(player)
    halfway = handle_of(backend, speech, "Halfway.")
    player.say("Rest.")
    wait_until(lambda: spoken(backend, speech) == ["Halfway.", "Rest."], "rest")
    assert halfway.stopped.is_set()
    handle_of(backend, speech, "Rest.").finish()
    player.say("2", droppable=True)
    player.say("1", droppable=True)
    wait_until(lambda: spoken(backend, speech)[-1:] == ["1"], "the newest number")
    assert "2" not in spoken(backend, speech)


def test_tones_are_never_held_up_by_a_sentence_waiting_for_the_voice(
    player: AudioPlayer, backend: FakeBackend, speech: SizedSpeech
) -> None:
    """The hold chime waits for nothing: it plays while a sentence waits for the one before it."""
    player.say("Lie on your back with your knees bent.")
    player.say("Knee hug.")
    settle(player)
    player.play(Sound.HOLD)
    wait_until(lambda: "hold.wav" in backend.names, "the chime")
    assert spoken(backend, speech) == ["Lie on your back with your knees bent."]


def test_waiting_for_the_voice_is_not_lateness_but_a_phase_that_ended_is(
    player: AudioPlayer, backend: FakeBackend, speech: SizedSpeech, clock: FakeClock
) -> None:
    """A sentence queued behind a long one is still said after 3 s; one whose phase is over is not."""
    long = "Lie on your back with your knees bent and your feet flat."  # about 4 s
    start = clock.now()
    player.say(long)
    player.say("Knee hug.", until=start + 100.0)
    player.say("Rest.", until=start + 3.0)
    settle(player)
    at(clock, start, speech.seconds(long) + 0.1)
    handle_of(backend, speech, long).finish()
    wait_until(lambda: spoken(backend, speech) == [long, "Knee hug."], "the sentence that waited")
    handle_of(backend, speech, "Knee hug.").finish()
    settle(player)
    assert spoken(backend, speech) == [long, "Knee hug."]  # "Rest." was about a phase that had ended


def test_prepare_renders_ahead_without_playing(player: AudioPlayer, backend: FakeBackend, speech: SizedSpeech) -> None:
    """A routine's sentences are rendered into the cache before they are needed, and nothing is played."""
    player.prepare(["Next: Knee hug.", "Rest."])
    wait_until(lambda: speech.texts == ["Next: Knee hug.", "Rest."], "the renders")
    assert backend.names == []


def test_a_whole_routine_never_cuts_off_a_sentence_that_matters(
    player: AudioPlayer, backend: FakeBackend, speech: SizedSpeech, clock: FakeClock
) -> None:
    """Run a routine through the session into the player: every sentence that matters is heard, in order,
    and none is stopped before its end; the side is named ahead and at the switch."""
    routine = Routine(
        "sides", "Sides", RoutineKind.STRETCH,
        (
            Step("Standing back extension", "Stand tall, hands on your lower back.", hold=6, reps=1, rest=4,
                 sides=Sides.BOTH, say="Breathe out."),
            Step("Lie still", "Lie on your back.", duration=6),
        ),
        get_ready=4,
    )  # fmt: skip
    session = GuidedSession(routine, clock, journal=None, sink=player, read_instructions=True)
    session.start()
    settle(player)
    while not session.finished:
        clock.advance(0.1)
        session.tick()
        settle(player)
    clock.advance(10)
    handles = [h for h in backend.handles if h.path in speech.said_by]
    for handle in handles:
        text = speech.said_by[handle.path]
        if handle.stopped_at is not None and text not in {"1", "2", "3", "Halfway."}:
            assert handle.stopped_at >= handle.started_at + speech.seconds(text) - 1e-6, f"{text!r} was cut off"
    heard = [speech.said_by[h.path] for h in handles if speech.said_by[h.path] not in {"1", "2", "3"}]
    assert heard == [
        "Next: Standing back extension. Left side first.",
        "Stand tall, hands on your lower back.",
        "Standing back extension. Breathe out.",
        "Rest. Next: right side.",
        "Switch to the right side.",
        "Breathe out.",
        "Next: Lie still.",
        "Lie on your back.",
        "Lie still.",
        "Done. Well done.",
    ]
