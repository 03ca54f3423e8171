"""The Settings menu's "Start at login" switch, kept in step with the XDG autostart entry on disk."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from spasmcoach.core import autostart
from spasmcoach.core.i18n import _
from spasmcoach.core.notify import Notifier
from spasmcoach.core.storage import StorageError


def start_at_login_action(parent: QObject, notifier: Notifier) -> QAction:
    """A checkable action: on writes the autostart entry (SpasmCoach starts hidden), off removes it.

    The check mark shows what is on disk, so an entry removed by the desktop's own settings shows as off.
    A failure is a calm notice and the check mark goes back to the truth.
    """
    action = QAction(_("Start at &login (hidden, so timers keep running)"), parent, checkable=True)
    action.setToolTip(_("Adds SpasmCoach to your desktop's startup applications"))
    action.setChecked(autostart.is_enabled())

    def toggled(on: bool) -> None:
        try:
            if on:
                autostart.enable()
            else:
                autostart.disable()
        except StorageError as exc:
            notifier.warn(_("Start at login could not be changed: {error}").format(error=exc))
        enabled = autostart.is_enabled()
        if enabled != on:
            action.blockSignals(True)
            action.setChecked(enabled)
            action.blockSignals(False)

    action.toggled.connect(toggled)
    return action
