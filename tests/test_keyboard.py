"""Keyboard only (issue 12 §3): Enter acts on the focused control, digits choose a pain rating, a visible
focus ring on every kind of control, and a logical Tab order on every page (offscreen, real key events)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import make_context
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from spasmcoach.core.clock import FakeClock
from spasmcoach.gui import theme
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.pain_scale import TEN_WINDOW_MS


@pytest.fixture
def window(qtbot: QtBot, spasmcoach_home: Path, qapp: QApplication) -> Iterator[MainWindow]:
    qapp.setStyleSheet(theme.STYLE_SHEET)
    clock = FakeClock()
    ctx = make_context(spasmcoach_home, clock)
    win = MainWindow(ctx)
    win.clock = clock  # type: ignore[attr-defined]
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    win.safety.button.click()
    yield win
    win.end_running_session()
    win.close()
    ctx.journal.close()
    qapp.setStyleSheet("")


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(*keys: Qt.Key | str) -> None:
    """Real key events to whatever has the focus, as the keyboard would send them."""
    for key in keys:
        if isinstance(key, str):
            QTest.keyClicks(focused(), key)
        else:
            QTest.keyClick(focused(), key)


def open_before(window: MainWindow, routine: str = "desk-break") -> None:
    window.library.select(routine)
    window.library.start_button.click()
    assert window.stack.currentWidget() is window.before
    assert focused() is window.before.skip


def pain_before(window: MainWindow) -> int | None:
    assert window.session is not None and window.stack.currentWidget() is window.player
    return window.session.pain_before


def test_tab_to_the_scale_arrow_to_4_and_enter_starts_rated_4(window: MainWindow) -> None:
    open_before(window)
    press(Qt.Key.Key_Tab)
    assert focused() is window.before.scale.buttons[0], "one Tab from Start reaches the scale"
    press(Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Right)
    assert focused() is window.before.scale.buttons[4]
    assert window.stack.currentWidget() is window.before, "arrows move along the scale without choosing"
    press(Qt.Key.Key_Return)
    assert pain_before(window) == 4


def test_enter_on_start_without_rating_starts_without_one(window: MainWindow) -> None:
    open_before(window)
    press(Qt.Key.Key_Return)
    assert pain_before(window) is None


@pytest.mark.parametrize(("typed", "rating"), [("6", 6), ("0", 0), ("10", 10), ("9", 9)])
def test_typing_a_number_rates_and_starts(window: MainWindow, typed: str, rating: int) -> None:
    open_before(window)
    press(typed)
    assert pain_before(window) == rating


def test_a_one_alone_counts_after_a_second_or_at_once_with_enter(window: MainWindow, qtbot: QtBot) -> None:
    open_before(window)
    press("1")
    assert window.stack.currentWidget() is window.before, "a 1 waits: it may become 10"
    with qtbot.waitSignal(window.before.begin, timeout=TEN_WINDOW_MS + 1000) as started:
        pass
    assert started.args == [1] and pain_before(window) == 1
    window.end_running_session()
    window.show_library()
    open_before(window)
    press("1", Qt.Key.Key_Return)
    assert pain_before(window) == 1


def test_after_the_closing_rating_enter_goes_on(window: MainWindow) -> None:
    open_before(window)
    press("3")
    window.clock.advance(3 * 3600)  # type: ignore[attr-defined]
    assert window.driver is not None
    window.driver.tick()
    assert window.stack.currentWidget() is window.finish_page
    press("5")
    assert window.session is not None and window.session.pain_after == 5
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.library


def test_the_stop_page_takes_a_typed_rating_and_digits_in_the_note_stay_there(window: MainWindow) -> None:
    open_before(window)
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Escape)
    page = window.stop_page
    assert window.stack.currentWidget() is page
    press("7")
    assert page.scale.value() == 7 and focused() is page.finish
    page.note.setFocus()
    press("2 hours after lunch")
    assert page.note.toPlainText() == "2 hours after lunch" and page.scale.value() == 7
    press(Qt.Key.Key_Tab)
    assert focused() is page.finish, "Tab leaves the note"
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.library
    assert window.ctx.journal is not None
    stop = window.ctx.journal.last_pain_stop("desk-break")
    assert stop is not None and stop.pain == 7


def tab_chain(start: QWidget, count: int) -> list[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    chain = []
    for _ in range(count):
        press(Qt.Key.Key_Tab)
        chain.append(focused())
    return chain


def test_tab_order_follows_each_page_top_to_bottom(window: MainWindow) -> None:
    library = window.library
    filters = [library.kind_filter, library.area_filter, library.where_filter]
    assert tab_chain(library.search, 5)[:4] == [*filters, library.list]
    open_before(window)
    before = window.before
    assert tab_chain(before.scale.buttons[0], 3) == [before.back, before.skip, before.scale.buttons[0]]
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Escape)
    stop = window.stop_page
    boxes = list(stop.symptom_boxes.values())
    assert tab_chain(stop.scale.buttons[0], len(boxes) + 2) == [*boxes, stop.note, stop.finish]


def grab(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


@pytest.mark.parametrize("which", ["kind_filter", "search", "start_button", "leave_out"])
def test_library_controls_show_a_focus_ring(window: MainWindow, which: str) -> None:
    widget: QWidget = getattr(window.library, which)
    widget.show()
    window.library.list.setFocus()
    plain = grab(widget)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    assert widget.hasFocus()
    assert grab(widget) != plain, f"{which} looks the same with and without the keyboard focus"


def test_a_chosen_pain_number_still_shows_the_focus(window: MainWindow) -> None:
    open_before(window)
    button = window.before.scale.buttons[4]
    button.setChecked(True)
    window.before.skip.setFocus()
    plain = grab(button)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    assert grab(button) != plain


def test_pause_and_resume_keep_the_same_width(window: MainWindow) -> None:
    open_before(window)
    press(Qt.Key.Key_Return)
    player = window.player
    QApplication.processEvents()
    widths = (player.pause_button.width(), player.stop_button.x())
    press(Qt.Key.Key_Space)
    QApplication.processEvents()
    assert player.pause_button.text() == "Resume"
    assert (player.pause_button.width(), player.stop_button.x()) == widths
