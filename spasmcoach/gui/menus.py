"""The window's menu bar: File, Settings and Help, each item made by the module that owns its concern.

A new menu item is one function in the module of its feature (returning a ``QAction`` or a ``QMenu``) and
one line here, so the window itself does not grow with every setting. The three menus are put in the bar
when the window is built (:func:`add_menus`, so the bar is there at the first paint) and filled then or,
when the app starts, just after the first paint (:func:`fill_menus`: the features' modules load then).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from spasmcoach.core.i18n import _

from .appearance import appearance_menu
from .context import AppContext
from .editor.wiring import EditorWiring, new_routine_action
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
    editor: EditorWiring

    def menuBar(self) -> QMenuBar: ...  # noqa: N802 - Qt's name
    def setting_bool(self, key: str, default: bool = False) -> bool: ...
    def set_voice(self, on: bool) -> None: ...
    def reload_library(self) -> None: ...
    def quit_app(self) -> None: ...
    def show_safety(self) -> None: ...
    def show_self_care(self) -> None: ...


def add_menus(window: MainWindow) -> None:
    """File, Settings and Help in the window's menu bar, empty until :func:`fill_menus`."""
    bar = window.menuBar()
    window.file_menu = bar.addMenu(_("&File"))
    window.settings_menu = bar.addMenu(_("&Settings"))
    window.help_menu = bar.addMenu(_("&Help"))


def fill_menus(window: MainWindow) -> None:
    """Fill the menus; the actions tests and other modules reach stay attributes of the window."""
    _file_menu(window)
    _settings_menu(window)
    _help_menu(window)


def _file_menu(window: MainWindow) -> None:
    from .sharing_actions import sharing_actions

    menu = window.file_menu
    menu.addAction(new_routine_action(menu, window.editor.new_routine))
    sharing_actions(window, menu)  # Import…, Export…, Print handout…, Save handout as PDF… (gui/sharing_actions)
    reload_action = QAction(_("&Reload routines"), menu)
    reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
    reload_action.triggered.connect(window.reload_library)
    menu.addAction(reload_action)
    menu.addSeparator()
    quit_action = QAction(_("&Quit"), menu)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.quit_app)
    menu.addAction(quit_action)


def _settings_menu(window: MainWindow) -> None:
    from .instructions_menu import instructions_menu
    from .language import language_menu
    from .login_item import start_at_login_action

    menu = window.settings_menu
    settings = window.ctx.settings
    window.voice_action = QAction(_("Spoken &guidance"), menu, checkable=True)
    window.voice_action.setToolTip(_("Speak the step names and counts (needs espeak-ng)"))
    window.voice_action.toggled.connect(window.set_voice)
    menu.addAction(window.voice_action)
    menu.addMenu(instructions_menu(menu, settings))
    menu.addMenu(appearance_menu(menu, settings))
    menu.addMenu(language_menu(menu, settings, window.ctx.notifier))
    window.tray_action = QAction(_("Keep &timers and reminders running in the tray when closed"), menu, checkable=True)
    window.tray_action.setChecked(window.setting_bool("timers/close_to_tray", True))
    window.tray_action.toggled.connect(lambda on: settings.setValue("timers/close_to_tray", on))
    if not window.tray.available:
        explain_missing_tray(window.tray_action)
    menu.addAction(window.tray_action)
    window.login_action = start_at_login_action(menu, window.ctx.notifier)
    menu.addAction(window.login_action)


def _help_menu(window: MainWindow) -> None:
    for text, slot in ((_("&Safety and when to see a professional"), window.show_safety),
                       (_("Self-&care basics"), window.show_self_care)):  # fmt: skip
        action = QAction(text, window.help_menu)
        action.triggered.connect(slot)
        window.help_menu.addAction(action)
