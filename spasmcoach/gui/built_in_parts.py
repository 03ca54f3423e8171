"""A page built in parts, one turn of the event loop apart, so opening it never freezes the window.

A page that mixes in :class:`BuiltInParts` builds what a first glance needs in its constructor, then hands a
generator of the remaining parts to :meth:`~BuiltInParts.build_in_parts`: each ``yield`` ends a part, and the
window paints and answers keys before the next one. A part that imports a module of some milliseconds does
it on a turn of its own. The attributes the later parts make are named in the class's ``LATER``: asking for
one of them before its part has run (a test, another page, a key) builds the rest at once, so no caller ever
sees a half-built page. Used by History (``history/building.py``) and the routine editor (``editor/page.py``).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, cast

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QWidget

__all__ = ["PART_GAP_MS", "BuiltInParts", "settle"]

# A real timer between parts, not a zero one: Qt runs a zero one as a posted event, and a chain of those runs
# straight on, before the paint and the keys the parts were spaced out for.
PART_GAP_MS = 1


class BuiltInParts:
    """Mixed into a QWidget page: its later parts run one per turn (see the module doc)."""

    LATER: ClassVar[frozenset[str]] = frozenset()  # what the later parts make

    def build_in_parts(self, parts: Iterator[None]) -> None:
        """Run ``parts`` one turn of the event loop apart, starting on the next turn."""
        self._parts: Iterator[None] | None = parts
        QTimer.singleShot(PART_GAP_MS, self, self._next_part)  # type: ignore[call-overload]

    def _next_part(self) -> None:
        """Run the next part, and ask for the one after it on the next turn."""
        parts = self.__dict__.get("_parts")
        if parts is None:
            return
        if next(parts, self) is None:
            QTimer.singleShot(PART_GAP_MS, self, self._next_part)  # type: ignore[call-overload]
        else:
            self._parts = None

    def finish_building(self) -> bool:
        """Build the parts not built yet, now; False if there were none (or one is being built)."""
        parts = self.__dict__.get("_parts")
        if parts is None or inspect.getgeneratorstate(parts) == inspect.GEN_RUNNING:
            return False
        self._parts = None
        for _step in parts:
            pass
        _show_now(cast(QWidget, self))
        return True

    def is_built(self) -> bool:
        """True once every part has run."""
        return self.__dict__.get("_parts") is None

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            """A later part's attribute asked for before its turn: build the rest now."""
            if name in type(self).LATER and self.finish_building():
                return getattr(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


def _show_now(page: QWidget) -> None:
    """Show at once what the parts just built inside a visible page, and lay it out: Qt would show a widget
    added to a visible parent on the next turn, and a key or a look at the page can come before that."""
    if not page.isVisible():
        return
    for widget in page.findChildren(QWidget):  # parents before their children
        parent = widget.parentWidget()
        if widget.isVisible() or widget.isWindow() or parent is None or not parent.isVisible():
            continue
        if not (widget.isHidden() and widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)):
            widget.show()  # what Qt's queued show would do: never one hidden on purpose
    for _round in range(16):  # a layout's request goes up one parent per round
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def settle(page: QWidget | None) -> None:
    """If ``page`` is being built in parts, build the rest now."""
    if isinstance(page, BuiltInParts):
        page.finish_building()
