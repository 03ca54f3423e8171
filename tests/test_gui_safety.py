"""First launch shows the safety page once; Help shows it again; settings for voice and the tray."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import make_context
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from spasmcoach.core.clock import FakeClock
from spasmcoach.gui import theme
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.palette import DARK, LIGHT
from spasmcoach.gui.safety import safety_page


def window(qtbot: QtBot, home: Path) -> MainWindow:
    win = MainWindow(make_context(home, FakeClock()))
    qtbot.addWidget(win)
    return win


def test_first_launch_shows_safety_once(qtbot: QtBot, spasmcoach_home: Path) -> None:
    first = window(qtbot, spasmcoach_home)
    assert first.stack.currentWidget() is first.safety
    text = first.safety.text()
    for phrase in ("not medical advice", "Stop at once if pain increases", "emergency care now",
                   "numbness around your genitals or buttocks", "loss of bladder or bowel control",
                   "both legs", "See a doctor soon", "one leg or arm", "high temperature",
                   "weight loss", "after a fall", "worse at night"):  # fmt: skip
        assert phrase in text, phrase
    assert not first.nav_buttons["Routines"].isVisibleTo(first)
    first.safety.button.click()
    assert first.stack.currentWidget() is first.library
    first.ctx.settings.sync()
    second = window(qtbot, spasmcoach_home)
    assert second.stack.currentWidget() is second.library


def test_help_menu_reaches_safety_and_self_care(qtbot: QtBot, spasmcoach_home: Path) -> None:
    win = window(qtbot, spasmcoach_home)
    win.safety.button.click()
    actions = {a.text().replace("&", ""): a for a in win.help_menu.actions()}
    actions["Self-care basics"].trigger()
    assert win.stack.currentWidget() is win.self_care
    for phrase in ("pillows under your knees", "48 to 72 hours", "20 minutes", "never directly on the skin",
                   "heat", "walks", "Drink enough water", "hourly breaks"):  # fmt: skip
        assert phrase in win.self_care.text(), phrase
    actions["Safety and when to see a professional"].trigger()
    assert win.stack.currentWidget() is win.safety


def test_voice_setting_is_off_and_disabled_without_a_speech_engine(qtbot: QtBot, spasmcoach_home: Path) -> None:
    win = window(qtbot, spasmcoach_home)  # the recording sink has no speech engine
    assert not win.voice_action.isEnabled() and not win.voice_action.isChecked()


@pytest.mark.qt_log_ignore("systemTrayWindowChanged")  # offscreen Qt's note when a tray icon is made
def test_tray_setting_persists(qtbot: QtBot, spasmcoach_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QSystemTrayIcon

    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))  # a desktop with a tray
    win = window(qtbot, spasmcoach_home)
    assert win.tray_action.isChecked()
    win.tray_action.setChecked(False)
    win.ctx.settings.sync()
    assert not window(qtbot, spasmcoach_home).tray_action.isChecked()


def test_the_red_flag_colours_follow_the_theme_and_carry_no_pixel_sizes(qapp: QApplication, qtbot: QtBot) -> None:
    page = safety_page()
    qtbot.addWidget(page)
    assert "#9B2C2C" in page.body.text() and "px" not in page.body.text()  # light: as written, sizes from the page
    try:
        theme.apply(qapp, DARK)
        qtbot.waitUntil(lambda: DARK.worse in page.body.text())
        assert "#9B2C2C" not in page.body.text() and DARK.warning_text in page.body.text()
        theme.apply(qapp, LIGHT)
        qtbot.waitUntil(lambda: "#9B2C2C" in page.body.text())
    finally:
        theme.use(LIGHT, 1.0)
        qapp.setStyleSheet("")
        qapp.setPalette(qapp.style().standardPalette())
