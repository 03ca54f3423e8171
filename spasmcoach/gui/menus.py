"""The window's menu bar: File, Settings and Help, each item made by the module that owns its concern.

A new menu item is one function in the module of its feature (returning a ``QAction`` or a ``QMenu``) and
one line here, so the window itself does not grow with every setting.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from .context import AppContext
from .instructions_menu import instructions_menu
from .login_item import start_at_login_action
from .tray import Tray, explain_missing_tray


class MainWindow(Protocol):
    """What the menus need of the window (the window itself imports this module)."""

    ctx: AppContext
    tray: Tray
    file_menu: QMenu
    settings_menu: QMenu
    help_menu: QMenu
    voice_action: QAction
    tray_action: QAction
    login_action: QAction

    def menuBar(self) -> QMenuBar: ...  # noqa: N802 - Qt's name
    def setting_bool(self, key: str, default: bool = False) -> bool: ...
    def set_voice(self, on: bool) -> None: ...
    def reload_library(self) -> None: ...
    def quit_app(self) -> None: ...
    def show_safety(self) -> None: ...
    def show_self_care(self) -> None: ...


def build_menus(window: MainWindow) -> None:
    """Fill the window's menu bar; the actions tests and other modules reach stay attributes of the window."""
    _file_menu(window)
    _settings_menu(window)
    _help_menu(window)


def _file_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("&File")
    window.file_menu = menu
    reload_action = QAction("&Reload routines", menu)
    reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
    reload_action.triggered.connect(window.reload_library)
    menu.addAction(reload_action)
    menu.addSeparator()
    quit_action = QAction("&Quit", menu)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.quit_app)
    menu.addAction(quit_action)


def _settings_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("&Settings")
    window.settings_menu = menu
    settings = window.ctx.settings
    window.voice_action = QAction("Spoken &guidance", menu, checkable=True)
    window.voice_action.setToolTip("Speak the step names and counts (needs espeak-ng)")
    window.voice_action.toggled.connect(window.set_voice)
    menu.addAction(window.voice_action)
    menu.addMenu(instructions_menu(menu, settings))
    window.tray_action = QAction("Keep &timers running in the tray when closed", menu, checkable=True)
    window.tray_action.setChecked(window.setting_bool("timers/close_to_tray", True))
    window.tray_action.toggled.connect(lambda on: settings.setValue("timers/close_to_tray", on))
    if not window.tray.available:
        explain_missing_tray(window.tray_action)
    menu.addAction(window.tray_action)
    window.login_action = start_at_login_action(menu, window.ctx.notifier)
    menu.addAction(window.login_action)


def _help_menu(window: MainWindow) -> None:
    window.help_menu = window.menuBar().addMenu("&Help")
    for text, slot in (("&Safety and when to see a professional", window.show_safety),
                       ("Self-&care basics", window.show_self_care)):  # fmt: skip
        action = QAction(text, window.help_menu)
        action.triggered.connect(slot)
        window.help_menu.addAction(action)
