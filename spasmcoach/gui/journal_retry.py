"""Saving what waits in the outbox: a timer that calls ``Journal.flush_pending`` only while something waits.

The journal calls ``on_pending`` when it keeps a write for later; that starts the timer (through a queued
signal, so the hook is safe from any thread). Each retry is one short attempt (a few tens of
milliseconds at most); once everything is saved the timer stops and the user is told, once.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Journal
from spasmcoach.core.notify import Notifier

RETRY_INTERVAL_MS: Final = 3000


class JournalRetry(QObject):
    """Retries the journal's waiting writes every few seconds while there are any."""

    kept = Signal()  # a write was kept for later (emitted from the journal's on_pending hook)
    flushed = Signal()  # everything that waited is now in the journal

    def __init__(self, journal: Journal, notifier: Notifier, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.notifier = notifier
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_INTERVAL_MS)
        self.timer.timeout.connect(self.retry)
        self.kept.connect(self._start, Qt.ConnectionType.QueuedConnection)
        journal.on_pending = self.kept.emit
        if journal.pending:
            self._start()

    def _start(self) -> None:
        if not self.timer.isActive():
            self.timer.start()

    def retry(self) -> bool:
        """One attempt; True (and the timer stopped) once nothing waits."""
        if not self.journal.flush_pending():
            return False
        self.timer.stop()
        self.notifier.notify(_("Everything that was waiting is now saved in your journal."))
        self.flushed.emit()
        return True

    def stop(self) -> None:
        """Stop retrying (the window closes); one last attempt first."""
        self.timer.stop()
        self.journal.on_pending = None
        if self.journal.pending:
            self.journal.flush_pending()
