"""Live checks and the crash draft: the loader runs on the draft shortly after each change, and the
draft is written aside a second after the last change, in a worker thread.

Signals: LiveCheck.checked(Checked).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal

from spasmcoach.core.editing import files
from spasmcoach.core.editing.check import Checked, Checker
from spasmcoach.core.editing.draft import RoutineDraft

log = logging.getLogger(__name__)

CHECK_DELAY_MS = 250
DRAFT_DELAY_MS = 1000


class LiveCheck(QObject):
    """Runs the real loader on the draft once typing pauses."""

    checked = Signal(object)

    def __init__(self, draft: Callable[[], RoutineDraft], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._draft = draft
        self.checker = Checker()
        self.last: Checked | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_DELAY_MS)
        self.timer.timeout.connect(self.check_now)

    def schedule(self) -> None:
        self.timer.start()

    def check_now(self) -> Checked:
        self.timer.stop()
        self.last = self.checker.check(self._draft())
        self.checked.emit(self.last)
        return self.last

    def close(self) -> None:
        self.timer.stop()
        self.checker.close()


class DraftKeeper(QObject):
    """Keeps unsaved work on disk (``drafts/<key>.json``) so a crash mid-edit loses nothing."""

    def __init__(self, draft: Callable[[], RoutineDraft], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._draft = draft
        self.key = files.new_draft_key()
        self.pool = QThreadPool(QCoreApplication.instance())
        self.pool.setMaxThreadCount(1)  # drafts are written in order, the newest last
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DRAFT_DELAY_MS)
        self.timer.timeout.connect(self.write_now)

    def begin(self, key: str | None = None) -> None:
        """A new editing session (``key``: the draft it continues, when a kept draft was opened)."""
        self.timer.stop()
        self.key = key or files.new_draft_key()

    def schedule(self) -> None:
        self.timer.start()

    def write_now(self) -> None:
        self.timer.stop()
        snapshot, key = self._draft().copy(), self.key

        def job() -> None:
            try:
                files.write_draft(key, snapshot)
            except files.EditorFileError as exc:
                log.warning("could not keep a draft: %s", exc)

        self.pool.start(job)

    def discard(self) -> None:
        """The work is saved or thrown away on purpose: no draft to offer any more."""
        self.timer.stop()
        self.pool.waitForDone(2000)  # a draft still being written must not reappear after this
        files.remove_draft(self.key)

    def wait(self) -> None:
        self.pool.waitForDone(5000)
