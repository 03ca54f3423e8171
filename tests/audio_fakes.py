"""Stand-ins for the audio tests: a recording backend and its handles, a missing and a gated speech engine."""

from __future__ import annotations

import shutil
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from spasmcoach.audio import Speech
from spasmcoach.core.clock import Clock

TIMEOUT = 10.0  # generous upper bound for anything waited on; passing tests never wait this long

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
"""Skip a test that needs the real espeak-ng speech engine."""


class FakeHandle:
    """A sound that plays until the test ends it or the player stops it."""

    def __init__(self, path: Path, clock: Clock | None = None) -> None:
        self.path = path
        self.stopped = threading.Event()
        self.finished = threading.Event()
        self.code = 0
        self.clock = clock
        self.started_at = clock.now() if clock is not None else 0.0
        self.stopped_at: float | None = None  # the clock reading when the player stopped it

    def is_alive(self) -> bool:
        """Playing until finished or stopped."""
        return not (self.stopped.is_set() or self.finished.is_set())

    def stop(self) -> None:
        """Record that the player stopped this sound (and when, by the test's clock)."""
        if not self.stopped.is_set() and self.clock is not None:
            self.stopped_at = self.clock.now()
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

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock
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
        handle = FakeHandle(path, self.clock)
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


def audio_threads() -> list[threading.Thread]:
    """The player's threads that are still alive (they are named spasmcoach-...)."""
    return [t for t in threading.enumerate() if t.name.startswith("spasmcoach-")]


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


class SizedSpeech(Speech):
    """A speech engine that renders each sentence as a silent WAV as long as espeak would roughly make it
    (``seconds_per_char``), and remembers which file says what."""

    def __init__(self, folder: Path, seconds_per_char: float = 0.07) -> None:
        super().__init__(executable="fake-espeak", cache_dir=folder)
        self.seconds_per_char = seconds_per_char
        self.texts: list[str] = []
        self.said_by: dict[Path, str] = {}

    def seconds(self, text: str) -> float:
        """How long ``text`` plays."""
        return max(0.3, len(text) * self.seconds_per_char)

    def render(self, text: str) -> Path | None:
        """Write (once) and return a silent WAV of the sentence's length."""
        self.texts.append(text)
        path = self.cache_path(text)
        if path not in self.said_by:
            path.parent.mkdir(parents=True, exist_ok=True)
            with wave.open(str(path), "wb") as wav:
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(8000)
                wav.writeframes(b"\0\0" * round(self.seconds(text) * 8000))
            self.said_by[path] = text
        return path
