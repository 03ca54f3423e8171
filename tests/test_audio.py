"""AudioPlayer: non-blocking, drop-late, stoppable, quiet when sound cannot work (fake backend)."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from audio_fakes import TIMEOUT, FakeBackend, NoSpeech, audio_threads, wait_until

from spasmcoach.audio import (
    UNAVAILABLE_MESSAGE,
    AudioPlayer,
    AudioUnavailableError,
    Playing,
    PlaysoundBackend,
    Sound,
    backends,
)
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.resources import sounds_dir


@pytest.fixture
def backend() -> FakeBackend:
    """A fresh recording fake backend."""
    return FakeBackend()


@pytest.fixture
def clock() -> FakeClock:
    """A clock that moves only when the test says so."""
    return FakeClock()


@pytest.fixture
def player(backend: FakeBackend, clock: FakeClock) -> Iterator[AudioPlayer]:
    """A player on the fake backend and fake clock, without speech; closed after the test."""
    p = AudioPlayer(clock=clock, backend=backend, speech=NoSpeech())
    yield p
    p.close()


# ---- playing cues ------------------------------------------------------------------------------------------


def test_play_returns_at_once_and_backend_gets_the_cue_file(player: AudioPlayer, backend: FakeBackend) -> None:
    """A cue reaches the backend as its WAV in the bundled sounds folder."""
    player.play(Sound.HOLD)
    (handle,) = backend.wait_for_calls(1)
    assert handle.path == sounds_dir() / "hold.wav"
    assert player.available is True


def test_play_never_blocks_even_while_the_backend_is_stuck(player: AudioPlayer, backend: FakeBackend) -> None:
    """The GUI thread must not wait, even if starting a sound hangs."""
    backend.hold()
    player.play(Sound.GET_READY)
    assert backend.entered.wait(TIMEOUT)
    started = time.perf_counter()
    for _ in range(50):
        player.play(Sound.TICK)
    player.say("ignored: no speech engine")
    assert time.perf_counter() - started < 0.05
    backend.gate.set()


def test_every_sound_plays_its_bundled_file(player: AudioPlayer, backend: FakeBackend) -> None:
    """Each Sound plays the bundled WAV named after it (which exists), in the order asked."""
    for cue in Sound:
        player.play(cue)
    handles = backend.wait_for_calls(len(Sound))
    assert [h.path for h in handles] == [sounds_dir() / f"{cue.value}.wav" for cue in Sound]
    assert all(h.path.is_file() for h in handles)


def test_cue_names_as_strings_are_accepted_and_unknown_ones_rejected(player: AudioPlayer, backend: FakeBackend) -> None:
    """Plain strings work; a typo is a bug and fails loudly at the call."""
    player.play("rest")
    backend.wait_for_calls(1)
    assert backend.names == ["rest.wav"]
    with pytest.raises(ValueError):
        player.play("no-such-cue")


def test_late_cue_is_dropped_not_played_late(player: AudioPlayer, backend: FakeBackend, clock: FakeClock) -> None:
    """A cue more than 0.5 s late when it could start is dropped; a less late one plays."""
    backend.hold()
    player.play(Sound.HOLD)  # the worker is now stuck inside the backend with this one
    assert backend.entered.wait(TIMEOUT)
    player.play(Sound.HALFWAY)  # due now...
    player.play(Sound.REST, due=clock.now() + 0.2)  # ...and one due a little later
    clock.advance(0.6)  # HALFWAY is now 0.6 s late (> 0.5), REST only 0.4 s late
    backend.gate.set()
    player.play(Sound.DONE)  # on time; reaching it proves the worker has judged the others
    backend.wait_for_calls(3)
    assert backend.names == ["hold.wav", "rest.wav", "done.wav"]


def test_lateness_limit_is_configurable(backend: FakeBackend, clock: FakeClock) -> None:
    """max_lateness sets the drop threshold."""
    with AudioPlayer(clock=clock, backend=backend, speech=NoSpeech(), max_lateness=2.0) as p:
        p.play(Sound.TICK, due=clock.now() - 1.5)
        p.play(Sound.DONE, due=clock.now() - 2.5)
        p.play(Sound.HOLD)
        backend.wait_for_calls(2)
        assert backend.names == ["tick.wav", "hold.wav"]


def test_stop_all_terminates_playing_sounds_and_clears_the_queue(player: AudioPlayer, backend: FakeBackend) -> None:
    """'Stop - pain increased' silences playing, starting and queued sounds at once."""
    player.play(Sound.HOLD)
    (first,) = backend.wait_for_calls(1)
    backend.hold()
    player.play(Sound.HALFWAY)  # being started while stop_all happens
    assert backend.entered.wait(TIMEOUT)
    for _ in range(5):
        player.play(Sound.TICK)  # waiting in the queue
    started = time.perf_counter()
    player.stop_all()
    assert time.perf_counter() - started < 0.01
    assert first.stopped.is_set()
    backend.gate.set()
    player.play(Sound.DONE)
    handles = backend.wait_for_calls(3)
    assert backend.names == ["hold.wav", "halfway.wav", "done.wav"]  # no ticks
    assert handles[1].stopped.wait(TIMEOUT), "a sound started during stop_all must be silenced too"
    assert not handles[2].stopped.is_set()


def test_mute_silences_at_once_and_drops_cues_until_unmuted(player: AudioPlayer, backend: FakeBackend) -> None:
    """Muting stops the current sound and cues asked for while muted never play."""
    player.play(Sound.HOLD)
    (playing,) = backend.wait_for_calls(1)
    player.muted = True
    assert player.muted
    assert playing.stopped.is_set()
    player.play(Sound.TICK)
    player.play(Sound.REST)
    player.muted = False
    player.play(Sound.DONE)
    backend.wait_for_calls(2)
    assert backend.names == ["hold.wav", "done.wav"]


def test_finished_sounds_are_reaped(player: AudioPlayer, backend: FakeBackend) -> None:
    """Handles of sounds that ended are forgotten, so nothing piles up."""
    for cue in (Sound.HOLD, Sound.REST, Sound.TICK):
        player.play(cue)
    handles = backend.wait_for_calls(3)
    wait_until(lambda: len(player._active) == 3, "all three sounds to be playing")  # else "forgotten" proves nothing
    for handle in handles:
        handle.finish()
    wait_until(lambda: not player._active, "finished sounds to be forgotten")
    assert player._confirmed  # they were reaped as having ended normally


def test_backend_that_raises_reports_unavailable_once(clock: FakeClock) -> None:
    """No backend: one calm message, one attempt, no exceptions, then silence."""
    calls: list[Path] = []
    messages: list[str] = []
    reported = threading.Event()

    def broken(path: Path) -> Playing:
        """A backend that cannot play anything."""
        calls.append(path)
        raise AudioUnavailableError("no audio player")

    def on_unavailable(message: str) -> None:
        """Record the message and wake the test."""
        messages.append(message)
        reported.set()

    with AudioPlayer(clock=clock, backend=broken, on_unavailable=on_unavailable, speech=NoSpeech()) as p:
        assert p.available is None
        for _ in range(30):
            p.play(Sound.TICK)
        assert reported.wait(TIMEOUT)
        for _ in range(30):
            p.play(Sound.HOLD)
            p.say("still nothing")
        assert p.available is False
    assert messages == [UNAVAILABLE_MESSAGE]
    assert len(calls) == 1


def test_player_process_that_fails_at_once_reports_unavailable(backend: FakeBackend, clock: FakeClock) -> None:
    """aplay without a sound card starts, then exits with status 1: that also means no sound."""
    backend.exit_code_on_finish = 1
    reported = threading.Event()
    messages: list[str] = []

    def on_unavailable(message: str) -> None:
        """Record the message and wake the test."""
        messages.append(message)
        reported.set()

    with AudioPlayer(clock=clock, backend=backend, on_unavailable=on_unavailable, speech=NoSpeech()) as p:
        p.play(Sound.HOLD)
        assert reported.wait(TIMEOUT)
        for _ in range(10):
            p.play(Sound.REST)
        assert p.available is False
    assert messages == [UNAVAILABLE_MESSAGE]
    assert backend.names == ["hold.wav"]


def test_occasional_failure_after_sound_worked_is_tolerated(backend: FakeBackend, clock: FakeClock) -> None:
    """One failed sound after sound has worked does not switch sound off."""
    reported: list[str] = []
    with AudioPlayer(clock=clock, backend=backend, on_unavailable=reported.append, speech=NoSpeech()) as p:
        p.play(Sound.HOLD)
        backend.wait_for_calls(1)[0].finish(0)
        wait_until(lambda: p._confirmed, "the first sound to count as working")
        p.play(Sound.REST)
        backend.wait_for_calls(2)[1].finish(1)
        wait_until(lambda: p._failures == 1, "the failure to be noticed")
        p.play(Sound.DONE)
        backend.wait_for_calls(3)
        assert p.available is True
    assert reported == []


def test_on_unavailable_callback_errors_do_not_escape(clock: FakeClock) -> None:
    """A failing callback is logged, not raised into the worker."""
    called = threading.Event()

    def broken(path: Path) -> Playing:
        """A backend that cannot play anything."""
        raise OSError("no such program")

    def bad_callback(message: str) -> None:
        """A callback that fails, as a half-destroyed GUI might."""
        called.set()
        raise RuntimeError("GUI already gone")

    with AudioPlayer(clock=clock, backend=broken, on_unavailable=bad_callback, speech=NoSpeech()) as p:
        p.play(Sound.HOLD)
        assert called.wait(TIMEOUT)


def test_missing_and_unreadable_files_are_skipped_and_logged_once(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Bad cue files are warned about once each and skipped; other cues still play."""
    folder = tmp_path / "sounds"
    folder.mkdir()
    shutil.copy(sounds_dir() / "hold.wav", folder / "hold.wav")
    (folder / "rest.wav").write_bytes(b"this is not a wav file")
    unavailable: list[str] = []
    caplog.set_level(logging.DEBUG, logger="spasmcoach.audio")
    with AudioPlayer(folder, clock=clock, backend=backend, on_unavailable=unavailable.append, speech=NoSpeech()) as p:
        for _ in range(3):
            p.play(Sound.TICK)
            p.play(Sound.REST)
        p.play(Sound.HOLD)
        backend.wait_for_calls(1)
        assert backend.names == ["hold.wav"]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 2
    assert {"tick.wav" in r.getMessage() or "rest.wav" in r.getMessage() for r in warnings} == {True}
    assert unavailable == []


def test_close_joins_the_thread_and_stops_sounds(backend: FakeBackend, clock: FakeClock) -> None:
    """close() stops sounds, ends the thread, is idempotent and makes later calls no-ops."""
    p = AudioPlayer(clock=clock, backend=backend, speech=NoSpeech())
    p.play(Sound.DONE)
    (handle,) = backend.wait_for_calls(1)
    assert audio_threads()
    p.close()
    p.close()  # idempotent
    assert handle.stopped.is_set()
    assert audio_threads() == []
    p.play(Sound.HOLD)  # after close: ignored, no new thread
    p.say("hello")
    assert audio_threads() == []
    assert backend.names == ["done.wav"]


def test_no_thread_until_first_cue(clock: FakeClock) -> None:
    """A player that never plays starts no thread."""
    with AudioPlayer(clock=clock, backend=FakeBackend(), speech=NoSpeech()):
        assert audio_threads() == []


# ---- the default backend -----------------------------------------------------------------------------------


def test_default_backend_uses_aplay_when_playsound3_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """playsound3 wants mpg123 too; for our WAVs aplay alone is enough."""
    import playsound3

    monkeypatch.setattr(playsound3, "DEFAULT_BACKEND", None)
    monkeypatch.setattr(backends.shutil, "which", lambda name: "/usr/bin/aplay" if name == "aplay" else None)
    b = PlaysoundBackend()
    b._resolve()
    assert b.name == "alsa"


def test_default_backend_raises_unavailable_when_no_player_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no player program at all the backend says so with AudioUnavailableError."""
    import playsound3

    monkeypatch.setattr(playsound3, "DEFAULT_BACKEND", None)
    monkeypatch.setattr(backends.shutil, "which", lambda name: None)
    with pytest.raises(AudioUnavailableError):
        PlaysoundBackend()(sounds_dir() / "tick.wav")


def test_no_player_program_means_one_calm_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real default backend on a machine without players: one message, no errors."""
    import playsound3

    monkeypatch.setattr(playsound3, "DEFAULT_BACKEND", None)
    monkeypatch.setattr(backends.shutil, "which", lambda name: None)
    messages: list[str] = []
    reported = threading.Event()

    def on_unavailable(message: str) -> None:
        """Record the message and wake the test."""
        messages.append(message)
        reported.set()

    with AudioPlayer(on_unavailable=on_unavailable, speech=NoSpeech()) as p:
        for cue in Sound:
            p.play(cue)
        assert reported.wait(TIMEOUT)
    assert messages == [UNAVAILABLE_MESSAGE]
