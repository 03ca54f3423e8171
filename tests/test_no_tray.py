"""A desktop without a system tray (stock GNOME): the tray setting is explained, closing with timers running
asks, and timer alerts still reach the user inside the window. Offscreen, with the tray forced unavailable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from test_gui_timers import build, start

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.timers import TimerManager, TimerState
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.timers_panel import TimerDriver
from spasmcoach.gui.tray import CloseChoice, Tray

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: no raise, no minimise


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The close question's answers are set per test; records how many timers it was asked about."""
    calls: list[int] = []

    def ask_close(self: Tray, parent: object, running: int, answer: Callable[[CloseChoice], None]) -> None:
        calls.append(running)
        answer(CloseChoice(monkeypatch_answer[0]))

    monkeypatch.setattr(Tray, "ask_close", ask_close)
    return calls


monkeypatch_answer = ["keep"]


def timers(window: MainWindow) -> TimerManager:
    assert window.ctx.timers is not None
    return window.ctx.timers


def driver(window: MainWindow) -> TimerDriver:
    assert window.timer_driver is not None
    return window.timer_driver


def journal(window: MainWindow) -> Journal:
    assert window.ctx.journal is not None
    return window.ctx.journal


@pytest.fixture
def window(
    qtbot: QtBot, spasmcoach_home: Path, monkeypatch: pytest.MonkeyPatch, asked: list[int]
) -> Iterator[MainWindow]:
    monkeypatch.setattr("spasmcoach.gui.tray.QSystemTrayIcon.isSystemTrayAvailable", staticmethod(lambda: False))
    spasmcoach_home.mkdir(parents=True)
    journal = Journal.open()
    clock = FakeClock()
    win = build(spasmcoach_home, clock, journal)
    win.test_clock = clock
    qtbot.addWidget(win)
    win.show()
    yield win
    win.quit_app()
    journal.close()


def test_the_tray_setting_is_explained_not_shown_ticked(window: MainWindow) -> None:
    assert not window.tray.available
    action = window.tray_action
    assert not action.isChecked() and not action.isEnabled()
    assert "no tray" in action.text()


def test_closing_with_a_timer_running_asks_and_keeps_it_in_a_minimised_window(
    window: MainWindow, asked: list[int]
) -> None:
    monkeypatch_answer[0] = "keep"
    timer_id = start(window, "ice-20")
    window.close()
    assert asked == [1]
    assert timers(window).get(timer_id).state is TimerState.RUNNING
    assert window.isVisible() or window.isMinimized()  # still there, not quit
    assert driver(window).timer.isActive()  # its alarm will still come


def test_stop_the_timers_and_quit_cancels_them(qtbot: QtBot, window: MainWindow, asked: list[int]) -> None:
    monkeypatch_answer[0] = "stop"
    timer_id = start(window, "ice-20")
    window.close()
    assert asked == [1]
    assert timers(window).get(timer_id).state is TimerState.CANCELLED
    qtbot.waitUntil(lambda: not window.isVisible())
    assert [e.type for e in journal(window).events() if e.type.startswith("timer_")] == [
        "timer_start", "timer_cancel",
    ]  # fmt: skip


def test_cancel_leaves_the_window_as_it_was(window: MainWindow, asked: list[int]) -> None:
    monkeypatch_answer[0] = "cancel"
    timer_id = start(window, "ice-20")
    window.close()
    assert window.isVisible() and timers(window).get(timer_id).state is TimerState.RUNNING


def test_closing_with_no_timers_does_not_ask(window: MainWindow, asked: list[int]) -> None:
    window.close()
    assert asked == [] and not window.isVisible()


def test_a_phase_change_shows_a_banner_in_the_window(window: MainWindow) -> None:
    start(window, "ice-cycle")
    window.test_clock.advance(20 * 60 + 0.5)  # type: ignore[attr-defined]
    driver(window).tick()
    assert window.notice.isVisibleTo(window)
    assert "time for a break" in window.notice.text()


def test_the_real_question_does_not_block_and_offers_both_ways(
    qtbot: QtBot, spasmcoach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("spasmcoach.gui.tray.QSystemTrayIcon.isSystemTrayAvailable", staticmethod(lambda: False))
    spasmcoach_home.mkdir(parents=True)
    with Journal.open() as journal:
        win = build(spasmcoach_home, FakeClock(), journal)
        qtbot.addWidget(win)
        win.show()
        start(win, "ice-20")
        win.close()  # returns at once: the question is window-modal, not a nested event loop
        box = win.tray.close_box
        assert box is not None and box.isVisible()
        texts = [b.text() for b in box.buttons()]
        assert "Keep timers running in the background" in texts and "Stop the timers and quit" in texts
        stop = next(b for b in box.buttons() if b.text() == "Stop the timers and quit")
        stop.click()
        qtbot.waitUntil(lambda: not win.isVisible())
        assert not timers(win).active


def test_with_a_tray_closing_hides_to_it_without_asking(
    window: MainWindow, asked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window.tray, "available", True)
    window.ctx.settings.setValue("timers/close_to_tray", True)
    start(window, "ice-20")
    window.close()
    assert asked == [] and not window.isVisible() and timers(window).active
