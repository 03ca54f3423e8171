"""What keeps the window's thread free while a routine plays (issue 17): sound players started without forking
the app, speech levelled in a child process, pictures drawn ahead of a step change."""

from __future__ import annotations

import subprocess
import sys
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import driver_of, make_context, write_routine
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from spasmcoach.audio import backends, wav
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.resources import illustrations_dir
from spasmcoach.gui import illustration
from spasmcoach.gui.illustration import IllustrationView
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.player import PREPARE_DELAY_MS

# -- sound players ------------------------------------------------------------------------------------------


def test_a_sound_player_is_started_without_a_preexec_fn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """playsound3 starts its player with a ``preexec_fn``, which makes Python fork() the whole app holding the
    GIL (7-10 ms per cue, the window frozen meanwhile); the backend starts the same program without one."""
    started: list[tuple[list[str], dict[str, Any]]] = []
    real_popen = subprocess.Popen
    # a stand-in player: exits 0 whatever the file, like ``aplay --quiet FILE`` on a silent device
    monkeypatch.setitem(backends.PLAYER_COMMANDS, "alsa", (sys.executable, "-c", "pass"))

    def recording_popen(command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        started.append((command, kwargs))
        return real_popen(command, **kwargs)

    backend = backends.PlaysoundBackend("alsa")
    backend._resolve()  # playsound3's import runs its own probes
    monkeypatch.setattr(backends.subprocess, "Popen", recording_popen)
    sound = tmp_path / "tick.wav"
    handle = backend(sound)
    assert handle.wait(10) and handle.exit_code() == 0
    assert len(started) == 1
    command, kwargs = started[0]
    assert command == [sys.executable, "-c", "pass", str(sound)]
    assert kwargs.get("preexec_fn") is None and not kwargs.get("start_new_session")


def test_the_alsa_player_is_aplay_as_playsound3_starts_it() -> None:
    """The same program and options playsound3 would run, so cues sound as before."""
    assert backends.PLAYER_COMMANDS["alsa"] == ("aplay", "--quiet")


# -- speech levelled in a child process ---------------------------------------------------------------------


def _tone(path: Path, amplitude: float, seconds: float = 1.0, rate: int = 22050) -> None:
    import math

    samples = array(
        "h", (round(amplitude * 32767 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(rate * seconds)))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


@pytest.mark.parametrize("mode", ["level", "limit"])
def test_speech_is_levelled_in_a_child_process_exactly_as_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """Scaling every sample held the GIL in slices that kept the window's thread waiting; the child process
    writes the very same samples the in-process fallback writes."""
    runs: list[list[str]] = []
    real_run = wav.subprocess.run

    def recording_run(command: list[str], **kwargs: Any) -> Any:
        runs.append(command)
        return real_run(command, **kwargs)

    monkeypatch.setattr(wav.subprocess, "run", recording_run)
    results = []
    for in_child in (True, False):
        path = tmp_path / f"{in_child}.wav"
        _tone(path, 0.95 if mode == "limit" else 0.05)
        if not in_child:
            monkeypatch.setattr(wav, "_level_in_child", lambda *_args: None)
        measured = -1.0
        if mode == "level":
            measured = wav.normalise_loudness(path, -20.0, -1.0)
        else:
            wav.limit_peak(path, -3.0)
        results.append((measured, path.read_bytes()))
    (child_measured, child_bytes), (here_measured, here_bytes) = results
    assert child_bytes == here_bytes and child_measured == here_measured
    assert _tone_bytes(tmp_path, mode) != child_bytes  # it was scaled
    assert runs[0][3].endswith("loudness.py") and runs[0][4] == f"--{mode}"


def _tone_bytes(tmp_path: Path, mode: str) -> bytes:
    path = tmp_path / "unscaled.wav"
    _tone(path, 0.95 if mode == "limit" else 0.05)
    return path.read_bytes()


# -- pictures drawn ahead -----------------------------------------------------------------------------------


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[IllustrationView]:
    widget = IllustrationView()
    qtbot.addWidget(widget)
    widget.resize(QSize(400, 300))
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.hide()


def _count_drawing(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    drawn: list[Path | None] = []
    real_load = illustration.load_frame

    def counting(path: Path | None, *args: Any) -> Any:
        drawn.append(path)
        return real_load(path, *args)

    monkeypatch.setattr(illustration, "load_frame", counting)
    return drawn


def test_pictures_drawn_ahead_show_at_once(
    view: IllustrationView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [illustrations_dir() / "knees-to-chest.svg"]
    following = [illustrations_dir() / "shoulder-rolls-1.svg", illustrations_dir() / "shoulder-rolls-2.svg"]
    view.set_images(first)
    assert view.wait_rendered()
    drawn = _count_drawing(monkeypatch)
    view.prepare(following)
    qtbot.waitUntil(lambda: len(view._drawn) == 1)  # the next step's, drawn in the worker thread
    assert drawn == following
    view.set_images(following)
    assert view.ready and view.frames == 2 and not view.missing  # no wait: nothing is drawn at the change
    assert drawn == following
    view.set_images([])  # a rest between reps: the same pictures come back after it, kept, not drawn again
    view.set_images(following)
    assert view.ready and view.frames == 2 and drawn == following


def test_pictures_drawn_for_another_size_are_drawn_again(
    view: IllustrationView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pictures = [illustrations_dir() / "knees-to-chest.svg"]
    view.prepare(pictures)
    qtbot.waitUntil(lambda: len(view._drawn) == 1)
    view.resize(QSize(600, 450))
    drawn = _count_drawing(monkeypatch)
    view.set_images(pictures)
    assert view.wait_rendered() and drawn == pictures


def test_a_hidden_view_keeps_no_pictures_drawn(view: IllustrationView, qtbot: QtBot) -> None:
    view.prepare([illustrations_dir() / "knees-to-chest.svg"])
    qtbot.waitUntil(lambda: len(view._drawn) == 1)
    view.hide()
    assert view._drawn == {}


# -- the player during a routine ----------------------------------------------------------------------------

TWO_STEPS = """title: Two pictures
kind: release
get_ready: 5
steps:
  - name: Knees to chest
    instructions: Hug both knees gently.
    duration: 20
    image: knees-to-chest.svg
  - name: Shoulder rolls
    instructions: Sit tall and roll your shoulders backwards.
    duration: 20
    images: [shoulder-rolls-1.svg, shoulder-rolls-2.svg]
"""


@pytest.fixture
def window(qtbot: QtBot, spasmcoach_home: Path) -> Iterator[tuple[MainWindow, FakeClock]]:
    clock = FakeClock()
    write_routine(spasmcoach_home, "two-steps", TWO_STEPS)
    ctx = make_context(spasmcoach_home, clock)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win, clock
    win.close()
    ctx.journal.close()


def _start(win: MainWindow, qtbot: QtBot) -> None:
    win.library.select("two-steps")
    win.library.start_button.click()
    win.before.skip.click()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.player)


def test_the_next_steps_pictures_are_ready_before_its_change(
    window: tuple[MainWindow, FakeClock], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    win, clock = window
    _start(win, qtbot)
    pictures = win.player.illustration
    assert pictures.wait_rendered() and pictures.frames == 1
    qtbot.wait(PREPARE_DELAY_MS)
    qtbot.waitUntil(lambda: any(len(key[0]) == 2 for key in pictures._drawn))  # type: ignore[arg-type]
    drawn = _count_drawing(monkeypatch)
    clock.advance(5 + 20 + 0.5)
    driver_of(win).tick()
    assert win.player.step_name.text() == "Shoulder rolls"
    assert pictures.ready and pictures.frames == 2 and drawn == []
