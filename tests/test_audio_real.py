"""Real sound: cues and speech through playsound3 and aplay into a captured file (no sound card needed)."""

from __future__ import annotations

import os
import select
import shutil
import sys
import threading
import time
import wave
from array import array
from pathlib import Path

import pytest
from audio_fakes import TIMEOUT, NoSpeech, needs_espeak

try:
    import fcntl
except ImportError:  # not on Windows; the FIFO test is skipped there
    fcntl = None  # type: ignore[assignment]

from spasmcoach.audio import UNAVAILABLE_MESSAGE, AudioPlayer, PlaysoundBackend, PlaysoundHandle, Sound
from spasmcoach.core.resources import sounds_dir

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
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to look for child processes")
def test_real_cue_is_played_through_aplay_into_the_capture(alsa_capture: Path) -> None:
    """A cue really goes through playsound3 and aplay, sample for sample, leaving no process."""
    recording = Recording(PlaysoundBackend("alsa"))
    unavailable: list[str] = []
    with AudioPlayer(backend=recording, on_unavailable=unavailable.append, speech=NoSpeech()) as p:
        started = time.perf_counter()
        p.play(Sound.HOLD)
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
            p.play(Sound.DONE)  # about 92 KB of samples: far more than the pipe holds
            handle = recording.wait_for_handle()
            assert select.select([reader], [], [], TIMEOUT)[0], "aplay never started writing"
            assert handle.is_alive()  # mid-sound: blocked on the full pipe
            p.stop_all()
            received = 0
            while True:  # drain; EOF means aplay has closed its end
                assert select.select([reader], [], [], TIMEOUT)[0], "aplay neither wrote nor exited after stop_all"
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
        for cue in (Sound.HOLD, Sound.REST, Sound.TICK):
            p.play(cue)
        assert reported.wait(TIMEOUT)
        for cue in Sound:
            p.play(cue)
        assert p.available is False
    assert messages == [UNAVAILABLE_MESSAGE]
