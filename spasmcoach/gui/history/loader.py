"""Reading the History page's data on a worker thread, so the window never waits for the journal.

Each request gets a number; only the newest request's result is delivered (to ``loaded``, on the GUI
thread), and a request overtaken before it started is skipped. The worker reads through its own
read-only connection (:meth:`JournalReads.reader`), so it never holds the journal's lock.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal

from spasmcoach.core.history import History
from spasmcoach.core.history.query import HistoryPage, HistoryRequest, RatingsCache, load_page
from spasmcoach.core.history.records import preset_titles
from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Journal, JournalError

from ..chart import DrawnChart, worth_drawing_ahead

log = logging.getLogger(__name__)

__all__ = ["HistoryLoader"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a page is read, then its young objects collected once.

    A five-year page makes some 100,000 objects; left on, the collector ran over the whole heap twice per
    read (50 to 90 ms each, holding the GIL, so the window froze meanwhile) and took a fifth of the read.
    What the read makes holds no reference cycles: reference counting frees it, with or without the collector.
    """
    if not gc.isenabled():  # paused already (another reader, or the app): leave it as it is
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)  # the read's survivors, once (a few ms), instead of at some later moment on the GUI thread


class HistoryLoader(QObject):
    """Loads History pages one at a time off the GUI thread; ``loaded(number, page or JournalError)``."""

    loaded = Signal(int, object)
    _finished = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history-loader")
        self._latest = 0
        self._ratings = RatingsCache()  # touched on the worker only (clearing is a plain assignment)
        self._titles: dict[str, str] | None = None  # the preset files' timer titles, read once on the worker
        self.drawn: DrawnChart | None = None  # the chart of the page last delivered, drawn on the worker
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.destroyed.connect(lambda *_args, pool=self._pool: pool.shutdown(wait=False, cancel_futures=True))

    def load(
        self,
        journal: Journal,
        request: HistoryRequest,
        *,
        fresh: bool = True,
        draw: Callable[[History], DrawnChart] | None = None,
    ) -> int:
        """Start reading ``request``; returns its number (the one ``loaded`` will carry).

        ``fresh``: the journal may have changed since the last load, so nothing kept from it is reused.
        ``draw``: draws the page's chart on the worker too (see ``PainChart.drawer``), kept in ``drawn``.
        """
        if fresh:
            self._ratings = RatingsCache()
        self._latest += 1
        number = self._latest
        self._pool.submit(self._work, journal, request, number, self._ratings, draw)
        return number

    def _work(
        self,
        journal: Journal,
        request: HistoryRequest,
        number: int,
        ratings: RatingsCache,
        draw: Callable[[History], DrawnChart] | None,
    ) -> None:
        """On the worker: read, then hand the result over (skipped when a newer request is waiting)."""
        if number != self._latest:
            return
        if request.timer_titles is None:  # the page was given no titles: the preset files', read once
            if self._titles is None:
                self._titles = preset_titles()
            request = replace(request, timer_titles=self._titles)
        result: HistoryPage | JournalError
        try:
            reader = journal.reader()
            try:
                with collector_paused():
                    result = load_page(reader, request, ratings=ratings)
            finally:
                reader.close()
        except JournalError as exc:
            result = exc
        except Exception as exc:  # never lose the page to a bug: say so instead of loading forever
            log.exception("reading the history failed")
            result = JournalError(_("an unexpected problem ({problem})").format(problem=exc))
        drawn = None
        if (
            draw is not None
            and isinstance(result, HistoryPage)
            and number == self._latest
            and worth_drawing_ahead(result.chart)
        ):
            try:  # drawn here, while the GUI thread is idle, not in its paint with the rows (the two would wait
                drawn = draw(result.chart)  # on each other for Python's GIL)
            except Exception:  # the chart then draws itself
                log.exception("drawing the pain chart ahead failed")
        with suppress(RuntimeError):  # the page was closed meanwhile
            self._finished.emit(number, result, drawn)

    def _deliver(self, number: int, result: object, drawn: object) -> None:
        """On the GUI thread: pass on the newest result only."""
        if number == self._latest:
            self.drawn = drawn if isinstance(drawn, DrawnChart) else None
            self.loaded.emit(number, result)
