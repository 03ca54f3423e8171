"""The window's size on any screen, from a 1024×600 netbook to 4K: open inside the screen's free area, and
never ask for more than a small screen has.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1280, 860)  # on a big screen: roomy, but not the whole screen
SMALLEST = QSize(640, 480)  # every page is laid out to work down to this
FRAME_ALLOWANCE = QSize(16, 48)  # a window manager's title bar and borders, outside our geometry
SHARE = 0.8  # of a large screen's free area


def initial_size(available: QSize) -> QSize:
    """How big the window opens on a screen whose free area (without panels and docks) is ``available``."""
    room = QSize(
        max(available.width() - FRAME_ALLOWANCE.width(), SMALLEST.width()),
        max(available.height() - FRAME_ALLOWANCE.height(), SMALLEST.height()),
    )
    wanted = QSize(
        max(PREFERRED.width(), round(available.width() * SHARE)),
        max(PREFERRED.height(), round(available.height() * SHARE)),
    )
    return wanted.boundedTo(room)


def fits(available: QSize) -> bool:
    """Whether the preferred size fits with its frame; if not, the window opens maximised."""
    return available.width() >= PREFERRED.width() + FRAME_ALLOWANCE.width() and (
        available.height() >= PREFERRED.height() + FRAME_ALLOWANCE.height()
    )


def fit_to_screen(window: QWidget, *, restored: bool) -> None:
    """Size and place ``window`` for the screen it is on. ``restored``: the last size was put back; only
    shrink and move it if it no longer fits (another, smaller screen)."""
    if window.minimumSize() != SMALLEST:
        window.setMinimumSize(SMALLEST)
    screen = window.screen()
    if screen is None:
        return
    area: QRect = screen.availableGeometry()
    if not restored:
        size = initial_size(area.size())
        window.resize(size)
        window.move(area.x() + (area.width() - size.width()) // 2, area.y() + (area.height() - size.height()) // 3)
        if not fits(area.size()):
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    geometry = window.geometry()
    if area.contains(geometry):
        return
    size = geometry.size().boundedTo(initial_size(area.size()))
    window.resize(size)
    window.move(area.x() + (area.width() - size.width()) // 2, area.y() + (area.height() - size.height()) // 3)
