"""The window's set-up after its first paint, in parts that never hold the GUI thread for long.

:func:`in_turns` runs a generator one part per turn of the event loop. A part may yield a
:class:`~concurrent.futures.Future` instead of None: the next part then runs when that future is done, and
the window paints and answers keys meanwhile. :class:`Preparer` makes such futures: it imports modules and
reads files on a worker thread. Only modules without Qt are imported there (a Qt class made on another thread
is not allowed), and what the GUI needs from the worker comes back through the future, read on the GUI thread.
:func:`after_first_paint` starts the set-up once the window has been drawn, so the first paint never waits for
it (see benchmarks/bench_stalls.py).
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

__all__ = ["FIRST_PAINT_WAIT_MS", "Preparer", "after_first_paint", "in_turns"]

FIRST_PAINT_WAIT_MS = 400  # start anyway if no paint came by then (a hidden window, a platform without expose)
SWITCH_INTERVAL_S = 0.001  # while the worker runs Python, the GUI thread gets the interpreter within 1 ms
T = TypeVar("T")


class _Relay(QObject):
    """Carries "a future is done" from the worker thread to the GUI thread (a queued signal)."""

    resume = Signal()


def in_turns(parts: Iterator[Future[Any] | None]) -> None:
    """Run ``parts`` one turn of the event loop apart; after a part that yields a future, when it is done."""
    relay = _Relay()

    def next_part() -> None:
        step = next(parts, _DONE)
        if step is _DONE:
            relay.deleteLater()
        elif isinstance(step, Future):
            step.add_done_callback(lambda _future: relay.resume.emit())
        else:
            QTimer.singleShot(0, next_part)

    relay.resume.connect(next_part, Qt.ConnectionType.QueuedConnection)
    QTimer.singleShot(0, next_part)


_DONE = object()


class _FirstPaint(QObject):
    """Calls ``start`` once, after the window's first paint or after a short wait, whichever comes first."""

    def __init__(self, window: QWidget, start: Callable[[], None]) -> None:
        super().__init__(window)
        self._start: Callable[[], None] | None = start
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._go)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._go)  # after this paint has finished
        return False

    def _go(self) -> None:
        start, self._start = self._start, None
        if start is not None:
            self.parent().removeEventFilter(self)  # type: ignore[union-attr]
            start()


def after_first_paint(window: QWidget, start: Callable[[], None]) -> None:
    """Call ``start`` once ``window`` has been painted (at once if it is hidden)."""
    if window.isVisible():
        _FirstPaint(window, start)
    else:
        QTimer.singleShot(0, start)


class Preparer:
    """A worker thread that imports modules and reads files ahead of the GUI thread's need for them."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="set-up")
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL_S))

    def imported(self, modules: Iterable[str]) -> Future[None]:
        """Import ``modules`` (none of them may use Qt) on the worker; a module that fails is left to the GUI
        thread, which imports it again when it needs it and meets the error where it is handled."""
        return self._pool.submit(_import_all, tuple(modules))

    def run(self, job: Callable[[], T]) -> Future[T]:
        """``job()`` on the worker (it must not touch Qt); its result or exception comes with the future."""
        return self._pool.submit(job)

    def close(self) -> None:
        """Let the worker go once it has finished, and hand the interpreter back at its usual pace."""
        self._pool.shutdown(wait=False)
        sys.setswitchinterval(self._interval)


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            log.debug("preparing %s failed; it is imported when first used", name, exc_info=True)
