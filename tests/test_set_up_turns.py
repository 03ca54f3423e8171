"""The window's set-up after the first paint: parts one turn apart, waiting for the worker without blocking."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from spasmcoach.gui.set_up_turns import FIRST_PAINT_WAIT_MS, Preparer, after_first_paint, in_turns


def test_each_part_runs_in_its_own_turn_and_a_future_is_waited_for_without_blocking(qtbot: QtBot) -> None:
    """Between parts the event loop turns (a timer posted meanwhile fires); a part after a yielded future
    runs once the worker has finished it, on the GUI thread, and meanwhile the GUI keeps answering."""
    release = threading.Event()
    log: list[str] = []
    gui_thread = threading.get_ident()

    def slow_job() -> str:
        release.wait(10)
        return "done"

    prepare = Preparer()

    def parts() -> Iterator[Future[Any] | None]:
        log.append("one")
        QTimer.singleShot(0, lambda: log.append("between"))
        yield None
        log.append("two")
        job = prepare.run(slow_job)
        yield job
        log.append(f"three {job.result()} {threading.get_ident() == gui_thread}")
        prepare.close()

    in_turns(parts())
    qtbot.waitUntil(lambda: "two" in log)
    assert log[:3] == ["one", "between", "two"]
    answered: list[bool] = []
    QTimer.singleShot(0, lambda: answered.append(True))
    qtbot.waitUntil(lambda: answered == [True])  # the loop turns while the worker is busy
    assert not any(entry.startswith("three") for entry in log)
    release.set()
    qtbot.waitUntil(lambda: log[-1].startswith("three"))
    assert log[-1] == "three done True"


def test_the_worker_imports_modules_and_a_module_that_fails_is_left_for_later(qtbot: QtBot) -> None:
    prepare = Preparer()
    try:
        sys.modules.pop("colorsys", None)
        done = prepare.imported(["spasmcoach_no_such_module", "colorsys"])
        qtbot.waitUntil(done.done)
        assert done.exception() is None and "colorsys" in sys.modules
    finally:
        prepare.close()


def test_the_worker_hands_the_interpreter_back_quickly_and_restores_the_pace(qtbot: QtBot) -> None:
    before = sys.getswitchinterval()
    prepare = Preparer()
    assert sys.getswitchinterval() <= 0.001
    prepare.close()
    assert sys.getswitchinterval() == before


def test_set_up_starts_after_the_first_paint_once(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    started: list[int] = []
    window.show()
    after_first_paint(window, lambda: started.append(1))
    assert started == []  # not before the event loop has painted
    window.update()
    qtbot.waitUntil(lambda: started == [1])
    window.repaint()
    past_the_fallback: list[int] = []
    QTimer.singleShot(FIRST_PAINT_WAIT_MS + 50, lambda: past_the_fallback.append(1))
    qtbot.waitUntil(lambda: past_the_fallback == [1], timeout=5000)
    assert started == [1]  # neither a later paint nor the fallback timer starts it again


def test_a_hidden_window_starts_its_set_up_at_once(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    started: list[int] = []
    after_first_paint(window, lambda: started.append(1))
    qtbot.waitUntil(lambda: started == [1])
