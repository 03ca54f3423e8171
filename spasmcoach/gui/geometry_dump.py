"""Where everything is on screen, as data: for the layout tests, offscreen and in a real window.

:func:`snapshot` describes the window, the screen's free area and every visible control and text of the
page on screen (global rectangles, the part not clipped by a parent, the height wrapped text needs).
With ``SPASMCOACH_DEBUG_GEOMETRY=PATH`` set, the window writes that snapshot as JSON to PATH a moment after
each page change, resize, pause or resume, focus change, and logs ``geometry written: PAGE`` (the real-window tests wait
for that line). Unset, nothing is watched and nothing is written.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QWidget,
)

from spasmcoach.core.i18n import _
from spasmcoach.core.storage import StorageError, write_bytes_atomic

from .built_in_parts import settle
from .widgets import CountdownRing, IllustrationView

log = logging.getLogger(__name__)
ENV = "SPASMCOACH_DEBUG_GEOMETRY"
LEAVES = (QAbstractButton, QLabel, QComboBox, QLineEdit, QPlainTextEdit, QProgressBar, CountdownRing, IllustrationView)


def _rect(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def _global(widget: QWidget, rect: QRect) -> QRect:
    return rect.translated(widget.mapToGlobal(rect.topLeft()) - rect.topLeft())


def _shown(widget: QWidget) -> QRect:
    """The widget's global rectangle cut to every parent's: the part a person can see."""
    shown = _global(widget, widget.rect())
    parent = widget.parentWidget()
    while parent is not None:
        shown = shown.intersected(_global(parent, parent.rect()))
        parent = parent.parentWidget()
    return shown


def _in_scroll(widget: QWidget) -> bool:
    """Inside a scroll area's viewport (text there may scroll out of view by design)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def describe(widget: QWidget) -> dict[str, Any]:
    """One control or text: its kind, name and words, where it is and what it needs."""
    text = widget.text() if isinstance(widget, QAbstractButton | QLabel | QLineEdit) else ""
    entry: dict[str, Any] = {
        "kind": type(widget).__name__,
        "name": widget.objectName() or widget.accessibleName(),
        "text": text,
        "rect": _rect(_global(widget, widget.rect())),
        "visible": _rect(_shown(widget)),
        "in_scroll": _in_scroll(widget),
        "min_width": widget.minimumSizeHint().width(),
    }
    if isinstance(widget, QLabel) and text:
        wraps = widget.wordWrap()
        entry["wrap"] = wraps
        entry["needed_height"] = widget.heightForWidth(widget.width()) if wraps else widget.sizeHint().height()
        entry["needed_width"] = 0 if wraps else widget.sizeHint().width()
    return entry


def snapshot(window: QMainWindow) -> dict[str, Any]:
    """The window, its screen and the visible leaves of the page on screen (plus the header and notice)."""
    stack = getattr(window, "stack", None)
    page: QWidget | None = stack.currentWidget() if stack is not None else None  # the page or its scroll area
    settle(stack.current_page() if stack is not None else None)  # a page being built is described complete
    spec = stack.current_spec() if stack is not None else None
    screen = window.screen()
    widgets = []
    central = window.centralWidget()
    for widget in central.findChildren(QWidget) if central is not None else []:
        if not isinstance(widget, LEAVES) or not widget.isVisible():
            continue
        if page is not None and stack is not None and stack.isAncestorOf(widget) and not page.isAncestorOf(widget):
            continue  # a page that is not on screen
        widgets.append(describe(widget))
    tables = [
        {"name": view.accessibleName(), "rows": view.model().rowCount() if view.model() is not None else 0,
         "rows_on_screen": _rows_on_screen(view), "visible": _rect(_shown(view))}
        for view in (page.findChildren(QAbstractItemView) if page is not None else [])
        if view.isVisible() and not isinstance(view, QHeaderView)
    ]  # fmt: skip
    player = getattr(window, "player", None)
    return {
        "page": str(spec.key) if spec is not None else "",  # the English name, whatever the language
        "window": _rect(window.geometry()),
        "frame": _rect(window.frameGeometry()),
        "content": _rect(_global(central, central.rect())) if central is not None else [],
        "screen": _rect(screen.availableGeometry()) if screen is not None else [],
        "paused": bool(player is not None and player.isVisible() and player.pause_button.text() == _("Resume")),
        "widgets": widgets,
        "tables": tables,
    }


def _rows_on_screen(view: QAbstractItemView) -> int:
    model = view.model()
    if model is None:
        return 0
    port = view.viewport()
    shown = _shown(port)  # the part of the table's viewport that is on screen
    rows = (_global(port, view.visualRect(model.index(row, 0))) for row in range(model.rowCount()))
    return sum(1 for rect in rows if shown.intersected(rect).height() >= rect.height() // 2 > 0)


class _Watcher(QObject):
    """Writes a snapshot a moment after anything that changes the layout, once things have settled."""

    def __init__(self, window: QMainWindow, path: Path) -> None:
        super().__init__(window)
        self.window, self.path = window, path
        self.timer = QTimer(self)
        self.timer.setObjectName("geometryDumpTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.write)
        self._followed: set[QWidget] = set()
        later = self.later
        window.installEventFilter(self)
        stack = getattr(window, "stack", None)
        if stack is not None:
            stack.currentChanged.connect(later)
            stack.currentChanged.connect(self._follow_loading)
        player = getattr(window, "player", None)
        if player is not None:
            player.pause_button.clicked.connect(later)
            for shortcut in player.shortcuts.values():
                shortcut.activated.connect(later)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(later)  # a keyboard step, a check box ticked and left, …
        window.destroyed.connect(self.timer.stop)

    def _follow_loading(self, *_args: object) -> None:
        """A page that fills itself over a few turns (History) says ``loaded``: write again then."""
        current_page = getattr(getattr(self.window, "stack", None), "current_page", None)
        page = current_page() if current_page is not None else None
        loaded = getattr(page, "loaded", None)
        if page is not None and loaded is not None and page not in self._followed:
            self._followed.add(page)
            loaded.connect(self.later)

    def later(self, *_args: object) -> None:
        """Write once things have settled (signals' arguments are ignored: ``start(int)`` would take them)."""
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.WindowStateChange):
            self.timer.start()
        return False

    def write(self) -> None:
        if not self.window.isVisible():
            return
        data = snapshot(self.window)
        try:
            write_bytes_atomic(self.path, json.dumps(data, indent=1).encode(), "the geometry dump")
        except StorageError as exc:
            log.warning("%s", exc)
            return
        log.info("geometry written: %s %dx%d", data["page"], data["window"][2], data["window"][3])


def watch_geometry(window: QMainWindow) -> None:
    """With ``SPASMCOACH_DEBUG_GEOMETRY`` set, keep writing :func:`snapshot` there (see the module doc)."""
    target = os.environ.get(ENV, "").strip()
    if target:
        window._geometry_watcher = _Watcher(window, Path(target))  # type: ignore[attr-defined]
