"""Every page at every screen size, offscreen: the Stop button whole, no text cut, nothing overlapping.

The window is resized to each size and walked through the pages a user sees (welcome, library, before,
player running and paused, the stop page with Numbness ticked, finish with a warning, history, timers);
at each, the geometry snapshot the app can also write from a real window is checked by tests/layout_checks.py.
The real-window runs of the same checks are in tests/test_e2e_screens.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import make_context
from layout_checks import problems, stop_button
from PySide6.QtCore import QEventLoop, QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.timers import TimerManager, load_all_presets
from spasmcoach.gui import theme
from spasmcoach.gui.geometry_dump import snapshot
from spasmcoach.gui.history import HistoryView
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.navigation import Page
from spasmcoach.gui.screen_fit import SMALLEST, fits, initial_size

SIZES = [(640, 480), (1024, 600), (1280, 800), (1920, 1080), (3840, 2160)]


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    """The app's style sheet, as in the real app (sizes depend on it); taken off again afterwards."""
    qapp.setStyleSheet(theme.STYLE_SHEET)
    yield
    qapp.setStyleSheet("")


@pytest.fixture
def window(qtbot: QtBot, spasmcoach_home: Path, styled: None) -> Iterator[MainWindow]:
    clock = FakeClock()
    ctx = make_context(spasmcoach_home, clock)
    presets, _ = load_all_presets()
    win = MainWindow(ctx)
    win.attach_timers(TimerManager(clock, journal=ctx.journal, boot_id=lambda: "layout"), presets)
    win.clock = clock  # type: ignore[attr-defined]
    qtbot.addWidget(win)
    win.setWindowState(Qt.WindowState.WindowNoState)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.end_running_session()
    win.close()
    ctx.journal.close()


def settle(window: MainWindow) -> None:
    for _ in range(4):  # layout requests travel up one parent per round
        QApplication.processEvents()


def check(window: MainWindow, what: str, size: tuple[int, int]) -> dict[str, Any]:
    settle(window)
    snap = snapshot(window)
    found = problems(snap, screen_checks=False, tables=size[1] >= 800)
    assert not found, f"{what} at {size[0]}x{size[1]}:\n  " + "\n  ".join(found)
    return snap


def walk_pages(window: MainWindow, size: tuple[int, int]) -> None:
    """The pages in the order a user meets them, each checked."""
    clock: FakeClock = window.clock  # type: ignore[attr-defined]
    window.show_safety()
    check(window, "welcome page", size)
    assert window.safety.button.isVisible()
    window.safety.button.click()
    window.library.select("lower-back-release")
    check(window, "library", size)
    window.library.start_button.click()
    check(window, "before you start", size)
    window.before.scale.buttons[3].click()
    for seconds in (0, 5 + 45 + 5 + 7.4, 40):  # get ready, a hold, a rest
        clock.advance(seconds)
        assert window.driver is not None
        window.driver.tick()
        running = check(window, "player", size)
    window.player.pause_button.click()
    paused = check(window, "player, paused", size)
    assert stop_button(paused)["rect"] == stop_button(running)["rect"], "pausing moved the Stop button"
    window.player.pause_button.click()
    window.pain_stop()
    window.stop_page.symptom_boxes["numbness"].setChecked(True)
    settle(window)
    QApplication.processEvents()
    check(window, "stop page with Numbness ticked", size)
    warning = window.stop_page.warning
    assert warning.visibleRegion().boundingRect().height() >= warning.height() - 1, "the emergency advice is cut"
    window.stop_page.finish.click()
    window.library.select("desk-break")
    window.library.start_button.click()
    window.before.scale.buttons[2].click()
    clock.advance(3 * 3600)
    assert window.driver is not None
    window.driver.tick()
    window.finish_page.scale.buttons[8].click()  # pain rose: the warning shows
    assert window.finish_page.warning.isVisible()
    check(window, "finish page with a warning", size)
    window.finish_page.close_button.click()
    window.open_page(Page.TIMERS)
    check(window, "timers", size)
    window.open_page(Page.HISTORY)
    history = window.stack.page(Page.HISTORY)
    assert isinstance(history, HistoryView)
    if history.loading:  # History is built over a few turns of the event loop, then read on a worker thread
        waiting = QEventLoop()
        history.loaded.connect(waiting.quit)
        QTimer.singleShot(10_000, waiting.quit)
        waiting.exec()
    assert not history.loading, "History did not load"
    snap = check(window, "history", size)
    if size[1] >= 800:  # below that, History scrolls down to its table (its chart and summary come first)
        assert snap["tables"] and any(t["rows_on_screen"] for t in snap["tables"]), "History shows no rows"


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_page_fits(window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    walk_pages(window, size)
    assert (window.width(), window.height()) == size, "a page made the window grow"


def test_the_window_can_be_small(window: MainWindow) -> None:
    """Every page (built) lets the window go down to 640×480; it used to refuse anything under 900×640."""
    window.stack.page(Page.HISTORY)
    window.resize(200, 200)
    settle(window)
    assert window.width() <= SMALLEST.width() and window.height() <= SMALLEST.height()


@pytest.mark.parametrize(
    ("available", "expected"),
    [((1024, 600), (1008, 552)), ((1280, 800), (1264, 752)), ((1920, 1080), (1536, 864)),
     ((3840, 2160), (3072, 1728)), ((1366, 768), (1280, 720))],
)  # fmt: skip
def test_opens_inside_the_free_screen_area(available: tuple[int, int], expected: tuple[int, int]) -> None:
    size = initial_size(QSize(*available))
    assert (size.width(), size.height()) == expected
    assert fits(QSize(*available)) == (available[1] >= 908 and available[0] >= 1296)


def test_a_restored_size_too_big_for_this_screen_is_brought_inside(
    qtbot: QtBot, spasmcoach_home: Path, styled: None
) -> None:
    ctx = make_context(spasmcoach_home, FakeClock())
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.setWindowState(Qt.WindowState.WindowNoState)
    first.setGeometry(0, 0, 3000, 2000)  # saved on a big monitor
    ctx.settings.setValue("window/geometry", first.saveGeometry())
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    area = second.screen().availableGeometry()
    assert second.width() <= area.width() and second.height() <= area.height()
    ctx.journal.close()
