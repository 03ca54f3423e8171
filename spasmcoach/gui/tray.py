"""The system tray icon: the running timers at a glance, notifications, and a way back to the window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon


class Tray(QObject):
    """Wraps QSystemTrayIcon; does nothing where no tray exists. Signals: show_requested(), quit_requested()."""

    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip("SpasmCoach")
        self.menu = QMenu()
        self.timer_actions: list[QAction] = []
        self.separator = self.menu.addSeparator()
        self.show_action = self.menu.addAction("Show SpasmCoach")
        self.quit_action = self.menu.addAction("Quit SpasmCoach")
        self.show_action.triggered.connect(self.show_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.messages: list[str] = []  # what was notified, for tests and for places without a tray
        if self.available:
            self.icon.show()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def update_timers(self, lines: list[str]) -> None:
        """Show one line per running timer in the menu and the tooltip."""
        for action in self.timer_actions:
            self.menu.removeAction(action)
        self.timer_actions = []
        for line in lines or ["No timers running"]:
            action = QAction(line, self.menu)
            action.setEnabled(False)
            self.menu.insertAction(self.separator, action)
            self.timer_actions.append(action)
        self.icon.setToolTip("SpasmCoach\n" + "\n".join(lines) if lines else "SpasmCoach")

    def notify(self, title: str, message: str) -> None:
        self.messages.append(message)
        if self.available and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 15_000)

    def hide(self) -> None:
        self.icon.hide()
