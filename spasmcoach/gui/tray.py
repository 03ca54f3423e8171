"""The system tray icon: the running timers and the next reminder at a glance, notifications, and a way back
to the window.

Many desktops (stock GNOME among them) have no tray. There, closing the window while timers run asks
whether to keep them running in a minimised window or to stop them and quit (:meth:`Tray.ask_close`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon, QWidget

from spasmcoach.core.i18n import N_, _, ngettext

NO_TRAY_SETTING = N_("Keep timers running in the tray when closed (this desktop has no tray: closing asks instead)")


def explain_missing_tray(action: QAction) -> None:
    """No tray on this desktop: the "keep running in the tray" setting says so, unticked and greyed, instead
    of a tick that does nothing (the saved choice is kept for a desktop that has a tray)."""
    action.setText(_(NO_TRAY_SETTING))
    action.blockSignals(True)
    action.setChecked(False)
    action.blockSignals(False)
    action.setEnabled(False)


class CloseChoice(Enum):
    """What closing the window with timers running should do."""

    KEEP = "keep"  # keep the timers (and their alarms) going in a minimised window
    STOP = "stop"  # stop the timers and quit
    CANCEL = "cancel"  # leave the window open


class Tray(QObject):
    """Wraps QSystemTrayIcon; does nothing where no tray exists. Signals: show_requested(), quit_requested()."""

    show_requested = Signal()
    quit_requested = Signal()
    checkin_requested = Signal()  # "How is your back?" from the tray menu

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip("SpasmCoach")
        self.menu = QMenu()
        self.timer_actions: list[QAction] = []
        self.timer_lines: list[str] = []
        self.reminder_action = QAction("", self.menu)  # "Next: stand and stretch in 25 min", once reminders are on
        self.reminder_action.setEnabled(False)
        self.reminder_action.setVisible(False)
        self.menu.addAction(self.reminder_action)
        self.separator = self.menu.addSeparator()
        self.show_action = self.menu.addAction(_("Show SpasmCoach"))
        self.checkin_action = self.menu.addAction(_("How is your back?"))
        self.checkin_action.triggered.connect(self.checkin_requested)
        self.quit_action = self.menu.addAction(_("Quit SpasmCoach"))
        self.show_action.triggered.connect(self.show_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.close_box: QMessageBox | None = None  # the "timers are running" question, while it is up
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
        for line in lines or [_("No timers running")]:
            action = QAction(line, self.menu)
            action.setEnabled(False)
            self.menu.insertAction(self.reminder_action, action)
            self.timer_actions.append(action)
        self.timer_lines = list(lines)
        self._tooltip()

    def update_reminder(self, line: str) -> None:
        """Show the next reminder ("Next: stand and stretch in 25 min") in the menu and the tooltip; "" hides it."""
        self.reminder_action.setText(line)
        self.reminder_action.setVisible(bool(line))
        self._tooltip()

    def _tooltip(self) -> None:
        lines = [*self.timer_lines, *([self.reminder_action.text()] if self.reminder_action.isVisible() else [])]
        self.icon.setToolTip("SpasmCoach\n" + "\n".join(lines) if lines else "SpasmCoach")

    def notify(self, title: str, message: str) -> None:
        self.messages.append(message)
        if self.available and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 15_000)

    def hide(self) -> None:
        self.icon.hide()

    def ask_close(self, parent: QWidget, running: int, answer: Callable[[CloseChoice], None]) -> None:
        """Closing would silence ``running`` timers: ask, without blocking (the timers keep ticking while the
        question is up); ``answer`` gets the choice. Asking again while it is open only brings it forward."""
        if self.close_box is not None and self.close_box.isVisible():
            self.close_box.raise_()
            return
        text = ngettext(
            "A timer is still running. If SpasmCoach closes, it cannot tell you when to take the ice or heat off.",
            "{count} timers are still running. If SpasmCoach closes, it cannot tell you when to take the ice or "
            "heat off.",
            running,
        ).format(count=running)
        box = QMessageBox(QMessageBox.Icon.Question, _("Timers are running"), text, parent=parent)
        keep = box.addButton(_("Keep timers running in the background"), QMessageBox.ButtonRole.AcceptRole)
        stop = box.addButton(_("Stop the timers and quit"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            clicked = box.clickedButton()
            self.close_box = None
            answer(CloseChoice.KEEP if clicked is keep else CloseChoice.STOP if clicked is stop else CloseChoice.CANCEL)

        box.finished.connect(answered)
        self.close_box = box
        box.open()
