"""Reading the History page's data on a worker thread, so the window never waits for the journal.

Each request gets a number; only the newest request's result is delivered (to ``loaded``, on the GUI
thread), and a request overtaken before it started is skipped. The worker reads through its own
read-only connection (:meth:`JournalReads.reader`), so it never holds the journal's lock.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

from PySide6.QtCore import QObject, Qt, Signal

from spasmcoach.core.history.query import HistoryPage, HistoryRequest, RatingsCache, load_page
from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Journal, JournalError

log = logging.getLogger(__name__)

__all__ = ["HistoryLoader"]


class HistoryLoader(QObject):
    """Loads History pages one at a time off the GUI thread; ``loaded(number, page or JournalError)``."""

    loaded = Signal(int, object)
    _finished = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history-loader")
        self._latest = 0
        self._ratings = RatingsCache()  # touched on the worker only (clearing is a plain assignment)
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.destroyed.connect(lambda *_args, pool=self._pool: pool.shutdown(wait=False, cancel_futures=True))

    def load(self, journal: Journal, request: HistoryRequest, *, fresh: bool = True) -> int:
        """Start reading ``request``; returns its number (the one ``loaded`` will carry).

        ``fresh``: the journal may have changed since the last load, so nothing kept from it is reused.
        """
        if fresh:
            self._ratings = RatingsCache()
        self._latest += 1
        number = self._latest
        self._pool.submit(self._work, journal, request, number, self._ratings)
        return number

    def _work(self, journal: Journal, request: HistoryRequest, number: int, ratings: RatingsCache) -> None:
        """On the worker: read, then hand the result over (skipped when a newer request is waiting)."""
        if number != self._latest:
            return
        result: HistoryPage | JournalError
        try:
            reader = journal.reader()
            try:
                result = load_page(reader, request, ratings=ratings)
            finally:
                reader.close()
        except JournalError as exc:
            result = exc
        except Exception as exc:  # never lose the page to a bug: say so instead of loading forever
            log.exception("reading the history failed")
            result = JournalError(_("an unexpected problem ({problem})").format(problem=exc))
        with suppress(RuntimeError):  # the page was closed meanwhile
            self._finished.emit(number, result)

    def _deliver(self, number: int, result: object) -> None:
        """On the GUI thread: pass on the newest result only."""
        if number == self._latest:
            self.loaded.emit(number, result)
