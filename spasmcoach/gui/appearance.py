"""Appearance: light, dark, follow the system, or high contrast, and "Larger text"; the Settings submenu.

The choice is kept in QSettings (``appearance/theme``, ``appearance/larger_text``); ``--theme`` overrides it
for one session. "Follow system" reads ``QStyleHints.colorScheme()`` and follows its
``colorSchemeChanged`` signal live. Applying a choice hands the palette and text scale to
:func:`theme.apply` (style sheet and Qt's palette) and emits ``changed``.
Signals (of :class:`Appearance`): changed() after a new palette or text size is in use.
"""

from __future__ import annotations

import logging
from enum import Enum

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from spasmcoach.core.i18n import N_, _

from . import theme
from .palette import DARK, HIGH_CONTRAST, LIGHT, Palette

__all__ = ["THEME_KEY", "LARGER_TEXT_KEY", "Appearance", "Choice", "appearance_menu", "current", "install"]

log = logging.getLogger(__name__)

THEME_KEY = "appearance/theme"
LARGER_TEXT_KEY = "appearance/larger_text"


class Choice(Enum):
    """What the user chose; the value is what ``--theme`` and the settings file say."""

    LIGHT = "light"
    DARK = "dark"
    SYSTEM = "system"
    HIGH_CONTRAST = "high-contrast"


CHOICES = tuple(choice.value for choice in Choice)
_MENU_TEXT = {
    Choice.LIGHT: N_("&Light"),
    Choice.DARK: N_("&Dark"),
    Choice.SYSTEM: N_("Follow &system"),
    Choice.HIGH_CONTRAST: N_("&High contrast"),
}


def resolve(choice: Choice, scheme: Qt.ColorScheme) -> Palette:
    """The palette for ``choice`` when the system's scheme is ``scheme``."""
    if choice is Choice.HIGH_CONTRAST:
        return HIGH_CONTRAST
    if choice is Choice.DARK or (choice is Choice.SYSTEM and scheme is Qt.ColorScheme.Dark):
        return DARK
    return LIGHT


class Appearance(QObject):
    """The appearance setting of one application: reads and writes it, applies it and (once
    :meth:`follow_system` is called, as :func:`install` does) follows the desktop's scheme and font."""

    changed = Signal()

    def __init__(self, settings: QSettings, session: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.session = Choice(session) if session in CHOICES else None  # --theme: this run only
        self._system = QGuiApplication.styleHints().colorScheme()  # the desktop's own scheme
        self._asking = False  # our own request to the platform is not the desktop changing its mind
        self._asked = False  # a scheme was asked of the platform (so colorScheme() says ours, not the desktop's)
        self.following = False

    def follow_system(self) -> None:
        """React to the desktop: its light or dark scheme, and its font (sizes are worked out again)."""
        if self.following:
            return
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)
        app = QCoreApplication.instance()
        if isinstance(app, QGuiApplication):
            app.fontChanged.connect(self._font_changed)
        self.following = True

    def stop_following(self) -> None:
        if not self.following:
            return
        QGuiApplication.styleHints().colorSchemeChanged.disconnect(self._system_changed)
        app = QCoreApplication.instance()
        if isinstance(app, QGuiApplication):
            app.fontChanged.disconnect(self._font_changed)
        self.following = False

    # -- the choice ---------------------------------------------------------------------------------------
    def choice(self) -> Choice:
        if self.session is not None:
            return self.session
        saved = str(self.settings.value(THEME_KEY, Choice.SYSTEM.value))
        return Choice(saved) if saved in CHOICES else Choice.SYSTEM

    def larger_text(self) -> bool:
        return str(self.settings.value(LARGER_TEXT_KEY, False)).lower() in ("true", "1")

    def set_choice(self, choice: Choice) -> None:
        """The user's pick from the menu: kept, and it ends a ``--theme`` given for this session."""
        self.session = None
        self.settings.setValue(THEME_KEY, choice.value)
        self.apply()

    def set_larger_text(self, on: bool) -> None:
        self.settings.setValue(LARGER_TEXT_KEY, on)
        self.apply()

    def palette(self) -> Palette:
        return resolve(self.choice(), self._system)

    # -- applying -----------------------------------------------------------------------------------------
    def apply(self) -> None:
        """Put the chosen palette and text size to use in every window, and ask Qt's own dialogs to match."""
        app = QCoreApplication.instance()
        if not isinstance(app, QApplication):
            return
        self._ask_scheme()
        p = self.palette()
        theme.apply(app, p, theme.LARGER_TEXT if self.larger_text() else 1.0)
        for widget in app.allWidgets():  # widgets that paint themselves read the new palette as they paint
            widget.update()
        log.info("appearance: %s%s", p.name, ", larger text" if self.larger_text() else "")
        self.changed.emit()

    def _ask_scheme(self) -> None:
        """Tell the platform which scheme we show (native dialogs and title bars follow where they can);
        for "Follow system", take back any earlier request and read the desktop's own scheme again."""
        hints = QGuiApplication.styleHints()
        choice = self.choice()
        self._asking = True
        try:
            if choice is Choice.SYSTEM:
                if self._asked:  # the scheme Qt reports was ours: take it back and read the desktop's
                    hints.unsetColorScheme()
                    self._system = hints.colorScheme()
                    self._asked = False
            else:
                dark = resolve(choice, self._system).dark
                hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
                self._asked = True
        finally:
            self._asking = False

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        if self._asking:
            return
        self._system = scheme
        if self.choice() is Choice.SYSTEM:
            self.apply()

    def _font_changed(self, _font: QFont) -> None:
        self.apply()  # the desktop's font changed: every size is worked out from it again


_installed: list[Appearance] = []


def install(app: QApplication, settings: QSettings, session: str | None = None) -> Appearance:
    """The application's appearance, applied now (called once at start-up, before the window is built)."""
    for old in _installed:
        old.stop_following()
    appearance = Appearance(settings, session, parent=app)
    appearance.follow_system()
    _installed[:] = [appearance]
    appearance.apply()
    return appearance


def current(settings: QSettings, parent: QObject | None = None) -> Appearance:
    """The installed appearance when it keeps its settings in the same file as ``settings``; otherwise a
    new one on ``settings`` that applies only when asked (tests build windows without start-up)."""
    app = QCoreApplication.instance()
    for installed in _installed:
        if installed.parent() is app and installed.settings.fileName() == settings.fileName():
            return installed
    return Appearance(settings, parent=parent)


def appearance_menu(parent: QWidget, settings: QSettings) -> QMenu:
    """Settings → Appearance: the four looks (one checked) and "Larger text"."""
    menu = QMenu(_("&Appearance"), parent)
    appearance = current(settings, menu)
    menu.appearance = appearance  # type: ignore[attr-defined]  # for tests
    group = QActionGroup(menu)
    group.setExclusive(True)
    actions: dict[Choice, QAction] = {}
    for choice in Choice:
        action = QAction(_(_MENU_TEXT[choice]), menu, checkable=True)
        action.setData(choice.value)
        action.triggered.connect(lambda _checked=False, c=choice: appearance.set_choice(c))
        group.addAction(action)
        menu.addAction(action)
        actions[choice] = action
    menu.addSeparator()
    larger = QAction(_("Larger &text"), menu, checkable=True)
    larger.setToolTip(_("Make all the text larger, for reading from further away"))
    larger.toggled.connect(appearance.set_larger_text)
    menu.addAction(larger)

    def show_state() -> None:
        actions[appearance.choice()].setChecked(True)
        larger.blockSignals(True)
        larger.setChecked(appearance.larger_text())
        larger.blockSignals(False)

    show_state()
    menu.aboutToShow.connect(show_state)
    appearance.changed.connect(show_state)
    return menu
