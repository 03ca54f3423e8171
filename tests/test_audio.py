"""AudioPlayer and Speech: non-blocking, drop-late, stoppable, quiet when sound cannot work."""

from __future__ import annotations

import logging
import os
import select
import shutil
import sys
import threading
import time
import wave
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # not on Windows; the FIFO test is skipped there
    fcntl = None  # type: ignore[assignment]

from spasmcoach import audio
from spasmcoach.audio import (
    UNAVAILABLE_MESSAGE,
    AudioPlayer,
    AudioUnavailableError,
    Cue,
    Playing,
    PlaysoundBackend,
    PlaysoundHandle,
    Speech,
)
from spasmcoach.core import paths
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.resources import sounds_dir

TIMEOUT = 10.0  # generous upper bound for anything waited on; passing tests never wait this long


class FakeHandle:
    """A sound that plays until the test ends it or the player stops it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stopped = threading.Event()
        self.finished = threading.Event()
        self.code = 0

    def is_alive(self) -> bool:
        """Playing until finished or stopped."""
        return not (self.stopped.is_set() or self.finished.is_set())

    def stop(self) -> None:
        """Record that the player stopped this sound."""
        self.stopped.set()

    def exit_code(self) -> int | None:
        """-15 if stopped, the chosen code once finished, None while playing."""
        if self.stopped.is_set():
            return -15
        return self.code if self.finished.is_set() else None

    def finish(self, code: int = 0) -> None:
        """End the sound by itself with exit status ``code``."""
        self.code = code
        self.finished.set()


class FakeBackend:
    """Records what the player asked to play; can hold the worker inside a call until released."""

    def __init__(self) -> None:
        self.handles: list[FakeHandle] = []
        self.cond = threading.Condition()
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()
        self.exit_code_on_finish: int | None = None

    def __call__(self, path: Path) -> FakeHandle:
        """Start a (fake or recorded) sound."""
        self.entered.set()
        assert self.gate.wait(TIMEOUT), "test never released the fake backend"
        handle = FakeHandle(path)
        if self.exit_code_on_finish is not None:
            handle.finish(self.exit_code_on_finish)
        with self.cond:
            self.handles.append(handle)
            self.cond.notify_all()
        return handle

    def hold(self) -> None:
        """Make the next call wait inside the backend until ``gate`` is set."""
        self.entered.clear()
        self.gate.clear()

    @property
    def names(self) -> list[str]:
        """File names played so far, in order."""
        with self.cond:
            return [h.path.name for h in self.handles]

    def wait_for_calls(self, count: int) -> list[FakeHandle]:
        """Block until at least ``count`` sounds were started (bounded)."""
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.handles) >= count, TIMEOUT), self.names
            return list(self.handles)


class NoSpeech(Speech):
    """A speech engine that is not installed."""

    def __init__(self) -> None:
        super().__init__(executable=None)
        self._executable = None


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` (bounded, without sleeping the test thread in a fixed step)."""
    tick = threading.Event()
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        tick.wait(0.005)


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


def audio_threads() -> list[threading.Thread]:
    """The player's threads that are still alive (they are named spasmcoach-...)."""
    return [t for t in threading.enumerate() if t.name.startswith("spasmcoach-")]


# ---- playing cues ------------------------------------------------------------------------------------------


def test_play_returns_at_once_and_backend_gets_the_cue_file(
    player: AudioPlayer, backend: FakeBackend
) -> None:
    """A cue reaches the backend as its WAV in the bundled sounds folder."""
    player.play(Cue.HOLD)
    (handle,) = backend.wait_for_calls(1)
    assert handle.path == sounds_dir() / "hold.wav"
    assert player.available is True


def test_play_never_blocks_even_while_the_backend_is_stuck(player: AudioPlayer, backend: FakeBackend) -> None:
    """The GUI thread must not wait, even if starting a sound hangs."""
    backend.hold()
    player.play(Cue.GET_READY)
    assert backend.entered.wait(TIMEOUT)
    started = time.perf_counter()
    for _ in range(50):
        player.play(Cue.TICK)
    player.say("ignored: no speech engine")
    assert time.perf_counter() - started < 0.05
    backend.gate.set()


def test_every_cue_maps_to_its_file(player: AudioPlayer, backend: FakeBackend) -> None:
    """Each Cue plays the file of the same name, in the order asked."""
    for cue in Cue:
        player.play(cue)
    backend.wait_for_calls(len(Cue))
    assert backend.names == [cue.filename for cue in Cue]


def test_cue_names_as_strings_are_accepted_and_unknown_ones_rejected(
    player: AudioPlayer, backend: FakeBackend
) -> None:
    """Plain strings work; a typo is a bug and fails loudly at the call."""
    player.play("rest")
    backend.wait_for_calls(1)
    assert backend.names == ["rest.wav"]
    with pytest.raises(ValueError):
        player.play("no-such-cue")


def test_late_cue_is_dropped_not_played_late(
    player: AudioPlayer, backend: FakeBackend, clock: FakeClock
) -> None:
    """A cue more than 0.5 s late when it could start is dropped; a less late one plays."""
    backend.hold()
    player.play(Cue.HOLD)  # the worker is now stuck inside the backend with this one
    assert backend.entered.wait(TIMEOUT)
    player.play(Cue.HALFWAY)  # due now...
    player.play(Cue.REST, due=clock.now() + 0.2)  # ...and one due a little later
    clock.advance(0.6)  # HALFWAY is now 0.6 s late (> 0.5), REST only 0.4 s late
    backend.gate.set()
    player.play(Cue.DONE)  # on time; reaching it proves the worker has judged the others
    backend.wait_for_calls(3)
    assert backend.names == ["hold.wav", "rest.wav", "done.wav"]


def test_lateness_limit_is_configurable(backend: FakeBackend, clock: FakeClock) -> None:
    """max_lateness sets the drop threshold."""
    with AudioPlayer(clock=clock, backend=backend, speech=NoSpeech(), max_lateness=2.0) as p:
        p.play(Cue.TICK, due=clock.now() - 1.5)
        p.play(Cue.DONE, due=clock.now() - 2.5)
        p.play(Cue.HOLD)
        backend.wait_for_calls(2)
        assert backend.names == ["tick.wav", "hold.wav"]


def test_stop_all_terminates_playing_sounds_and_clears_the_queue(
    player: AudioPlayer, backend: FakeBackend
) -> None:
    """'Stop - pain increased' silences playing, starting and queued sounds at once."""
    player.play(Cue.HOLD)
    (first,) = backend.wait_for_calls(1)
    backend.hold()
    player.play(Cue.HALFWAY)  # being started while stop_all happens
    assert backend.entered.wait(TIMEOUT)
    for _ in range(5):
        player.play(Cue.TICK)  # waiting in the queue
    started = time.perf_counter()
    player.stop_all()
    assert time.perf_counter() - started < 0.01
    assert first.stopped.is_set()
    backend.gate.set()
    player.play(Cue.DONE)
    handles = backend.wait_for_calls(3)
    assert backend.names == ["hold.wav", "halfway.wav", "done.wav"]  # no ticks
    assert handles[1].stopped.wait(TIMEOUT), "a sound started during stop_all must be silenced too"
    assert not handles[2].stopped.is_set()


def test_mute_silences_at_once_and_drops_cues_until_unmuted(
    player: AudioPlayer, backend: FakeBackend
) -> None:
    """Muting stops the current sound and cues asked for while muted never play."""
    player.play(Cue.HOLD)
    (playing,) = backend.wait_for_calls(1)
    player.muted = True
    assert player.muted
    assert playing.stopped.is_set()
    player.play(Cue.TICK)
    player.play(Cue.REST)
    player.muted = False
    player.play(Cue.DONE)
    backend.wait_for_calls(2)
    assert backend.names == ["hold.wav", "done.wav"]


def test_finished_sounds_are_reaped(player: AudioPlayer, backend: FakeBackend) -> None:
    """Handles of sounds that ended are forgotten, so nothing piles up."""
    for cue in (Cue.HOLD, Cue.REST, Cue.TICK):
        player.play(cue)
    for handle in backend.wait_for_calls(3):
        handle.finish()
    wait_until(lambda: not player._active, "finished sounds to be forgotten")


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
            p.play(Cue.TICK)
        assert reported.wait(TIMEOUT)
        for _ in range(30):
            p.play(Cue.HOLD)
            p.say("still nothing")
        assert p.available is False
    assert messages == [UNAVAILABLE_MESSAGE]
    assert len(calls) == 1


def test_player_process_that_fails_at_once_reports_unavailable(
    backend: FakeBackend, clock: FakeClock
) -> None:
    """aplay without a sound card starts, then exits with status 1: that also means no sound."""
    backend.exit_code_on_finish = 1
    reported = threading.Event()
    messages: list[str] = []

    def on_unavailable(message: str) -> None:
        """Record the message and wake the test."""
        messages.append(message)
        reported.set()

    with AudioPlayer(clock=clock, backend=backend, on_unavailable=on_unavailable, speech=NoSpeech()) as p:
        p.play(Cue.HOLD)
        assert reported.wait(TIMEOUT)
        for _ in range(10):
            p.play(Cue.REST)
        assert p.available is False
    assert messages == [UNAVAILABLE_MESSAGE]
    assert backend.names == ["hold.wav"]


def test_occasional_failure_after_sound_worked_is_tolerated(backend: FakeBackend, clock: FakeClock) -> None:
    """One failed sound after sound has worked does not switch sound off."""
    reported: list[str] = []
    with AudioPlayer(clock=clock, backend=backend, on_unavailable=reported.append, speech=NoSpeech()) as p:
        p.play(Cue.HOLD)
        backend.wait_for_calls(1)[0].finish(0)
        wait_until(lambda: p._confirmed, "the first sound to count as working")
        p.play(Cue.REST)
        backend.wait_for_calls(2)[1].finish(1)
        wait_until(lambda: p._failures == 1, "the failure to be noticed")
        p.play(Cue.DONE)
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
        p.play(Cue.HOLD)
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
    with AudioPlayer(
        folder, clock=clock, backend=backend, on_unavailable=unavailable.append, speech=NoSpeech()
    ) as p:
        for _ in range(3):
            p.play(Cue.TICK)
            p.play(Cue.REST)
        p.play(Cue.HOLD)
        backend.wait_for_calls(1)
        assert backend.names == ["hold.wav"]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 2
    assert {"tick.wav" in r.getMessage() or "rest.wav" in r.getMessage() for r in warnings} == {True}
    assert unavailable == []


def test_close_joins_the_thread_and_stops_sounds(backend: FakeBackend, clock: FakeClock) -> None:
    """close() stops sounds, ends the thread, is idempotent and makes later calls no-ops."""
    p = AudioPlayer(clock=clock, backend=backend, speech=NoSpeech())
    p.play(Cue.DONE)
    (handle,) = backend.wait_for_calls(1)
    assert audio_threads()
    p.close()
    p.close()  # idempotent
    assert handle.stopped.is_set()
    assert audio_threads() == []
    p.play(Cue.HOLD)  # after close: ignored, no new thread
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
    monkeypatch.setattr(audio.shutil, "which", lambda name: "/usr/bin/aplay" if name == "aplay" else None)
    b = PlaysoundBackend()
    b._resolve()
    assert b.name == "alsa"


def test_default_backend_raises_unavailable_when_no_player_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no player program at all the backend says so with AudioUnavailableError."""
    import playsound3

    monkeypatch.setattr(playsound3, "DEFAULT_BACKEND", None)
    monkeypatch.setattr(audio.shutil, "which", lambda name: None)
    with pytest.raises(AudioUnavailableError):
        PlaysoundBackend()(sounds_dir() / "tick.wav")


def test_no_player_program_means_one_calm_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real default backend on a machine without players: one message, no errors."""
    import playsound3

    monkeypatch.setattr(playsound3, "DEFAULT_BACKEND", None)
    monkeypatch.setattr(audio.shutil, "which", lambda name: None)
    messages: list[str] = []
    reported = threading.Event()

    def on_unavailable(message: str) -> None:
        """Record the message and wake the test."""
        messages.append(message)
        reported.set()

    with AudioPlayer(on_unavailable=on_unavailable, speech=NoSpeech()) as p:
        for cue in Cue:
            p.play(cue)
        assert reported.wait(TIMEOUT)
    assert messages == [UNAVAILABLE_MESSAGE]


# ---- speech ------------------------------------------------------------------------------------------------


class GatedSpeech(Speech):
    """A speech engine whose renders wait for the test and return a prepared WAV."""

    def __init__(self, wav: Path) -> None:
        super().__init__(executable="fake-espeak")
        self.wav = wav
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.texts: list[str] = []

    def render(self, text: str) -> Path | None:
        """Record the text, wait for the test, return the prepared WAV."""
        self.texts.append(text)
        self.entered.set()
        assert self.gate.wait(TIMEOUT)
        return self.wav


def test_speech_is_silently_absent_without_espeak(
    monkeypatch: pytest.MonkeyPatch, backend: FakeBackend, clock: FakeClock
) -> None:
    """Without espeak-ng, say() does nothing and no speech thread starts."""
    monkeypatch.setattr(audio.shutil, "which", lambda name: None)
    speech = Speech()
    assert speech.available is False
    assert speech.render("Breathe out") is None
    with AudioPlayer(clock=clock, backend=backend, speech=speech) as p:
        assert p.voice_enabled is False
        p.say("Breathe out slowly")
        p.play(Cue.HOLD)
        backend.wait_for_calls(1)
        assert backend.names == ["hold.wav"]
        assert [t.name for t in audio_threads()] == ["spasmcoach-audio"]  # no speech thread was started


def test_say_plays_the_rendered_file_through_the_backend(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    """Rendered speech is played through the same backend as the cues."""
    speech = GatedSpeech(sounds_dir() / "halfway.wav")
    speech.gate.set()
    with AudioPlayer(clock=clock, backend=backend, speech=speech) as p:
        assert p.voice_enabled
        p.say("Hold for twenty seconds")
        (handle,) = backend.wait_for_calls(1)
        assert handle.path == speech.wav
        assert speech.texts == ["Hold for twenty seconds"]


def test_speech_that_renders_too_late_is_dropped(backend: FakeBackend, clock: FakeClock) -> None:
    """A sentence whose rendering finished too late is not spoken."""
    speech = GatedSpeech(sounds_dir() / "halfway.wav")
    with AudioPlayer(clock=clock, backend=backend, speech=speech) as p:
        p.say("Lie on your back")
        assert speech.entered.wait(TIMEOUT)
        clock.advance(0.7)  # the render "took" 0.7 s
        speech.gate.set()
        p.play(Cue.HOLD)
        backend.wait_for_calls(1)
        wait_until(lambda: not p._queue and p._pending_speech is None, "the speech job to be judged")
        p.play(Cue.REST)
        backend.wait_for_calls(2)
        assert backend.names == ["hold.wav", "rest.wav"]


def test_new_sentence_cuts_off_the_previous_one_and_voice_can_be_turned_off(
    backend: FakeBackend, clock: FakeClock
) -> None:
    """Never two voices at once; turning voice off silences speech but not tones."""
    speech = GatedSpeech(sounds_dir() / "halfway.wav")
    speech.gate.set()
    with AudioPlayer(clock=clock, backend=backend, speech=speech) as p:
        p.say("First sentence")
        (first,) = backend.wait_for_calls(1)
        p.say("Second sentence")
        second = backend.wait_for_calls(2)[1]
        assert first.stopped.wait(TIMEOUT)
        p.voice_enabled = False
        assert second.stopped.is_set()
        assert not p.voice_enabled
        p.say("Not spoken")
        p.play(Cue.TICK)
        backend.wait_for_calls(3)
        assert backend.names[-1] == "tick.wav" and len(backend.names) == 3


needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


@needs_espeak
def test_speech_renders_a_cached_wav_with_espeak() -> None:
    """espeak-ng renders into cache_dir()/speech once; the second request hits the cache."""
    speech = Speech()
    assert speech.available
    path = speech.render("Breathe in, and slowly out.")
    assert path is not None
    assert path.parent == paths.cache_dir() / "speech"
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        assert wav.getnframes() > wav.getframerate()  # longer than a second
        samples = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    assert 0.6 < max(abs(s) for s in samples) / 32767 < 0.75  # peak normalised to -3 dBFS
    stamp = path.stat().st_mtime_ns
    assert speech.render("Breathe in, and slowly out.") == path
    assert path.stat().st_mtime_ns == stamp  # second time from the cache
    assert speech.render("Something else") != path
    assert not list(path.parent.glob(".*.part"))  # no half-written leftovers


@needs_espeak
def test_cache_name_depends_on_voice_and_rate() -> None:
    """Changing voice or rate must not reuse a sentence rendered differently."""
    assert Speech(rate=140).cache_path("Rest") != Speech(rate=160).cache_path("Rest")
    assert Speech(voice="en-us").cache_path("Rest") != Speech(voice="en-gb").cache_path("Rest")
    assert Speech().cache_path("Rest") == Speech().cache_path("Rest")


@needs_espeak
def test_text_that_looks_like_an_option_is_spoken_not_parsed() -> None:
    """Text goes to espeak-ng on stdin, so it can never be taken for an option."""
    assert Speech().render("-w /tmp/oops.wav") is not None


@needs_espeak
def test_say_renders_with_espeak_and_plays_the_cached_file(backend: FakeBackend, clock: FakeClock) -> None:
    """The default Speech engine feeds its cached WAV to the backend."""
    with AudioPlayer(clock=clock, backend=backend) as p:
        p.say("Rest now")
        (handle,) = backend.wait_for_calls(1)
        assert handle.path.parent == paths.cache_dir() / "speech"
        assert handle.path.suffix == ".wav"


# ---- real audio, captured through ALSA's file plugin -------------------------------------------------------

needs_aplay = pytest.mark.skipif(shutil.which("aplay") is None, reason="aplay (alsa-utils) is not installed")


class Recording:
    """Wraps a real backend and keeps the handles it returned so the test can wait for them."""

    def __init__(self, inner: PlaysoundBackend) -> None:
        self.inner = inner
        self.handles: list[PlaysoundHandle] = []
        self.cond = threading.Condition()

    def __call__(self, path: Path) -> PlaysoundHandle:
        """Start a (fake or recorded) sound."""
        handle = self.inner(path)
        with self.cond:
            self.handles.append(handle)
            self.cond.notify_all()
        return handle

    def wait_for_handle(self) -> PlaysoundHandle:
        """Block (bounded) until the first sound was started, and return it."""
        with self.cond:
            assert self.cond.wait_for(lambda: bool(self.handles), TIMEOUT), "nothing was played"
            return self.handles[0]


@pytest.fixture
def alsa_capture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Route ALSA's default device into a raw file (no sound card needed); returns the file."""
    out = tmp_path / "captured.raw"
    config = tmp_path / "asound.conf"
    config.write_text(
        "pcm.!default {\n"
        "    type file\n"
        '    slave.pcm "capture_sink"\n'
        f'    file "{out}"\n'
        '    format "raw"\n'
        "}\n"
        "pcm.capture_sink {\n"
        "    type null\n"
        "}\n"
    )
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(config))
    return out


def child_pids() -> list[int]:
    """Processes whose parent is this test process (Linux /proc)."""
    me = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                found.append(int(entry.name))
    return found


def read_raw(path: Path) -> array:
    """Samples of a raw little-endian 16-bit capture."""
    samples = array("h", path.read_bytes())
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def wav_samples(path: Path) -> array:
    """Samples of a 16-bit WAV file."""
    with wave.open(str(path), "rb") as wav:
        samples = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


@pytest.mark.audio
@needs_aplay
@pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="needs Linux /proc to look for child processes"
)
def test_real_cue_is_played_through_aplay_into_the_capture(alsa_capture: Path) -> None:
    """A cue really goes through playsound3 and aplay, sample for sample, leaving no process."""
    recording = Recording(PlaysoundBackend("alsa"))
    unavailable: list[str] = []
    with AudioPlayer(backend=recording, on_unavailable=unavailable.append, speech=NoSpeech()) as p:
        started = time.perf_counter()
        p.play(Cue.HOLD)
        assert time.perf_counter() - started < 0.05
        handle = recording.wait_for_handle()
        assert handle.wait(TIMEOUT), "aplay did not finish"
        assert handle.exit_code() == 0
    assert unavailable == []
    captured = read_raw(alsa_capture)
    expected = wav_samples(sounds_dir() / "hold.wav")
    assert max(abs(s) for s in captured) > 10_000
    assert captured[: len(expected)] == expected  # exactly the cue's samples reached the device
    assert child_pids() == []


@pytest.mark.audio
@needs_aplay
@pytest.mark.skipif(
    fcntl is None or not hasattr(fcntl, "F_SETPIPE_SZ"), reason="needs Linux pipes with a settable size"
)
def test_stop_all_cuts_off_a_real_aplay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The capture is a small FIFO the test does not read, so aplay stays mid-sound until stopped."""
    fifo = tmp_path / "capture.fifo"
    os.mkfifo(fifo)
    config = tmp_path / "asound.conf"
    config.write_text(
        f'pcm.!default {{\n type file\n slave.pcm "sink"\n file "{fifo}"\n format "raw"\n}}\n'
        "pcm.sink {\n type null\n}\n"
    )
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(config))
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # open first, so aplay's open does not block
    try:
        fcntl.fcntl(reader, fcntl.F_SETPIPE_SZ, 4096)
        recording = Recording(PlaysoundBackend("alsa"))
        unavailable: list[str] = []
        with AudioPlayer(backend=recording, on_unavailable=unavailable.append, speech=NoSpeech()) as p:
            p.play(Cue.DONE)  # about 92 KB of samples: far more than the pipe holds
            handle = recording.wait_for_handle()
            assert select.select([reader], [], [], TIMEOUT)[0], "aplay never started writing"
            assert handle.is_alive()  # mid-sound: blocked on the full pipe
            p.stop_all()
            received = 0
            while True:  # drain; EOF means aplay has closed its end
                assert select.select([reader], [], [], TIMEOUT)[0], (
                    "aplay neither wrote nor exited after stop_all"
                )
                chunk = os.read(reader, 65536)
                if not chunk:
                    break
                received += len(chunk)
            assert handle.wait(TIMEOUT), "aplay kept running after stop_all"
            assert p.available is True  # being stopped is not a failure
        full = (sounds_dir() / "done.wav").stat().st_size - 44
        assert received < full / 2, f"{received} of {full} bytes: the sound was not cut off"
        assert unavailable == []
    finally:
        os.close(reader)


@pytest.mark.audio
@needs_aplay
@needs_espeak
def test_real_speech_is_rendered_and_played_into_the_capture(alsa_capture: Path) -> None:
    """espeak-ng speech is rendered and played through aplay into the capture."""
    recording = Recording(PlaysoundBackend("alsa"))
    with AudioPlayer(backend=recording) as p:
        p.say("Slowly bring your knee to your chest.")
        handle = recording.wait_for_handle()
        assert handle.wait(TIMEOUT), "aplay did not finish"
        assert handle.exit_code() == 0
    captured = read_raw(alsa_capture)
    assert len(captured) > 22050  # more than a second of speech
    assert max(abs(s) for s in captured) > 10_000
    loud = sum(1 for s in captured if abs(s) > 1000)
    assert loud > 2000


@pytest.mark.audio
@needs_aplay
def test_aplay_without_a_usable_device_reports_unavailable_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aplay failing to open the device is detected from its exit status: one message."""
    config = tmp_path / "asound.conf"
    config.write_text('pcm.!default {\n    type hw\n    card "NoSuchCard"\n}\n')
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(config))
    messages: list[str] = []
    reported = threading.Event()

    def on_unavailable(message: str) -> None:
        """Record the message and wake the test."""
        messages.append(message)
        reported.set()

    with AudioPlayer(backend=PlaysoundBackend("alsa"), on_unavailable=on_unavailable, speech=NoSpeech()) as p:
        for cue in (Cue.HOLD, Cue.REST, Cue.TICK):
            p.play(cue)
        assert reported.wait(TIMEOUT)
        for cue in Cue:
            p.play(cue)
        assert p.available is False
    assert messages == [UNAVAILABLE_MESSAGE]
