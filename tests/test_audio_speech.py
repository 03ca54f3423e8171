"""Spoken guidance: espeak-ng rendering, its cache, and how the player speaks (fake backend)."""

from __future__ import annotations

import shutil
import sys
import wave
from array import array
from pathlib import Path

import pytest
from audio_fakes import TIMEOUT, FakeBackend, GatedSpeech, audio_threads, needs_espeak, wait_until

from spasmcoach.audio import AudioPlayer, Sound, Speech
from spasmcoach.audio import speech as speech_module
from spasmcoach.core import paths
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


def test_speech_is_silently_absent_without_espeak(
    monkeypatch: pytest.MonkeyPatch, backend: FakeBackend, clock: FakeClock
) -> None:
    """Without espeak-ng, say() does nothing and no speech thread starts."""
    monkeypatch.setattr(speech_module.shutil, "which", lambda name: None)
    speech = Speech()
    assert speech.available is False
    assert speech.render("Breathe out") is None
    with AudioPlayer(clock=clock, backend=backend, speech=speech) as p:
        assert p.voice_enabled is False
        p.say("Breathe out slowly")
        p.play(Sound.HOLD)
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
    """A sentence whose rendering finished too late is not spoken (a droppable one after max_lateness,
    one that matters after speech_lateness)."""
    speech = GatedSpeech(sounds_dir() / "halfway.wav")
    with AudioPlayer(clock=clock, backend=backend, speech=speech) as p:
        p.say("3", droppable=True)
        assert speech.entered.wait(TIMEOUT)
        clock.advance(0.7)  # the render "took" 0.7 s
        speech.entered.clear()
        speech.gate.set()
        wait_until(lambda: p.settled, "the droppable sentence to be judged")
        speech.gate.clear()
        p.say("Lie on your back")
        assert speech.entered.wait(TIMEOUT)
        clock.advance(2.5)  # the render "took" more than speech_lateness
        speech.gate.set()
        wait_until(lambda: p.settled, "the sentence to be judged")
        p.play(Sound.HOLD)
        backend.wait_for_calls(1)
        p.play(Sound.REST)
        backend.wait_for_calls(2)
        wait_until(lambda: p.settled, "everything to be judged")
        assert backend.names == ["hold.wav", "rest.wav"]


def test_voice_off_silences_speech_but_not_tones(backend: FakeBackend, clock: FakeClock) -> None:
    """Turning voice off silences the sentence being spoken; tones still play."""
    speech = GatedSpeech(sounds_dir() / "halfway.wav")
    speech.gate.set()
    with AudioPlayer(clock=clock, backend=backend, speech=speech) as p:
        p.say("First sentence")
        (first,) = backend.wait_for_calls(1)
        p.voice_enabled = False
        assert first.stopped.is_set()
        assert not p.voice_enabled
        p.say("Not spoken")
        p.play(Sound.TICK)
        backend.wait_for_calls(2)
        assert backend.names[-1] == "tick.wav" and len(backend.names) == 2


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


def test_cache_name_depends_on_text_voice_rate_and_pitch(tmp_path: Path) -> None:
    """Changing the text, voice, rate or pitch must not reuse a sentence rendered differently."""
    path = Speech(cache_dir=tmp_path).cache_path("Rest")
    assert path.parent == tmp_path and path.suffix == ".wav"
    others = [
        Speech(cache_dir=tmp_path).cache_path("Rest."),
        Speech(cache_dir=tmp_path, voice="en-gb").cache_path("Rest"),
        Speech(cache_dir=tmp_path, rate=160).cache_path("Rest"),
        Speech(cache_dir=tmp_path, pitch=50).cache_path("Rest"),
    ]
    assert len({path, *others}) == 5


def test_a_cached_sentence_is_reused_by_a_new_engine_without_rendering(tmp_path: Path) -> None:
    """A sentence rendered once is found again by another Speech with the same settings (e.g. next run)."""
    first = Speech(cache_dir=tmp_path, executable="fake-espeak")
    cached = first.cache_path("Rest")
    shutil.copy(sounds_dir() / "rest.wav", cached)
    engine_runs: list[str] = []

    class Counting(Speech):
        """Records any attempt to run the engine (which must not happen)."""

        def _run_engine(self, text: str, out: Path) -> bool:
            """Record the attempt and fail it."""
            engine_runs.append(text)
            return False

    assert Counting(cache_dir=tmp_path, executable="fake-espeak").render("Rest") == cached
    assert engine_runs == []
    assert Counting(cache_dir=tmp_path, executable="fake-espeak", rate=160).render("Rest") is None
    assert engine_runs == ["Rest"]  # other settings: not taken from the cache


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


@needs_espeak
def test_long_sentences_use_the_gain_learned_from_the_first_and_stay_in_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first long sentence is measured and teaches espeak-ng's amplitude; later long ones are not
    measured (no per-sample Python work) yet still land within 1 LU of the cues, peaks at most -1 dBFS."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import measure_audio

    monkeypatch.setattr(speech_module, "_learned", {})
    measured: list[Path] = []
    real_normalise = speech_module.normalise_loudness

    def counting_normalise(path: Path, lufs: float, ceiling: float) -> float:
        measured.append(path)
        return real_normalise(path, lufs, ceiling)

    monkeypatch.setattr(speech_module, "normalise_loudness", counting_normalise)
    speech = Speech(cache_dir=tmp_path)
    sentences = [
        "Lie on your back with both knees bent and your feet flat on the floor, and breathe out slowly.",
        "Gently draw one knee towards your chest, hold it with both hands, and let your back sink down.",
        "Roll slowly onto your side, then push yourself up with your arms, keeping your back relaxed.",
    ]
    paths = [speech.render(text) for text in sentences]
    assert len(measured) == 1  # only the first long sentence was measured
    assert len(speech_module._learned) == 1  # the gain learned for this voice
    for path in paths:
        assert path is not None
        result = measure_audio.measure(path)
        assert abs(result.lufs - speech.LOUDNESS_LUFS) <= 1.0
        assert result.peak_dbfs <= -0.95
