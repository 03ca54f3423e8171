"""Small widgets the pages share: the countdown ring, the illustration, the 0–10 pain scale."""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget

from . import theme
from .illustration import IllustrationView
from .pain_scale import PainScale

__all__ = ["CountdownRing", "IllustrationView", "PainScale", "TextScroll", "label", "scrolling"]

log = logging.getLogger(__name__)


class CountdownRing(QWidget):
    """Big digits inside a progress ring; repaints only when told the shown values changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._fraction = 0.0
        self._colour = QColor(theme.ACCENT)
        # Shrinks on small screens rather than growing into its neighbours: it paints only inside its own
        # square, and the layout never gives it less than this.
        self.setMinimumSize(110, 110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Time left")

    def sizeHint(self) -> QSize:
        # modest: the words of the step come first when space is short; any room left goes to the ring
        return QSize(180, 180)

    @property
    def text(self) -> str:
        return self._text

    def set_values(self, text: str, fraction: float, colour: str) -> None:
        fraction = round(min(max(fraction, 0.0), 1.0), 3)
        if (text, fraction, colour) == (self._text, self._fraction, self._colour.name().upper()):
            return
        self._text, self._fraction, self._colour = text, fraction, QColor(colour)
        self.setAccessibleDescription(text)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height())
        thickness = max(10.0, side * 0.07)
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        rect = rect.adjusted(thickness / 2, thickness / 2, -thickness / 2, -thickness / 2)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(theme.palette().track), thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawEllipse(rect)
        if self._fraction > 0:
            pen.setColor(self._colour)
            painter.setPen(pen)
            # Sweeps clockwise from 12 o'clock as the phase goes by.
            painter.drawArc(rect, 90 * 16, -round(self._fraction * 360 * 16))
        font = QFont(self.font())
        font.setPixelSize(max(24, round(side * (0.30 if len(self._text) <= 4 else 0.24))))
        font.setWeight(QFont.Weight.Bold)
        painter.setFont(font)
        painter.setPen(QColor(theme.TEXT))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._text)
        painter.end()


def label(text: str = "", name: str = "", *, wrap: bool = True) -> QLabel:
    """A QLabel with a style-sheet object name, word-wrapped by default."""
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def scrolling(content: QWidget, *, focusable: bool = False) -> QScrollArea:
    """``content`` in a frameless vertical scroll area: text that does not fit a small screen scrolls
    instead of being cut off. ``focusable``: a Tab stop of its own, so the keys can scroll it (for text with
    no controls in it); otherwise it scrolls to whichever control inside takes the focus."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.StrongFocus if focusable else Qt.FocusPolicy.NoFocus)
    return area


class TextScroll(QScrollArea):
    """A word-wrapped label that asks for its whole height at the current width and scrolls when the window
    cannot give it that, so a long instruction is never cut off and never pushes the Stop button away."""

    def __init__(self, text: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.setWidget(text)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def _text_height(self) -> int:
        label = self.text
        width = max(self.viewport().width(), 200)
        return label.heightForWidth(width) if label.hasHeightForWidth() else label.sizeHint().height()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._text_height())

    def minimumSizeHint(self) -> QSize:
        # two lines at least: enough to read the start and see that it scrolls
        return QSize(100, min(self._text_height(), self.text.fontMetrics().lineSpacing() * 2 + 4))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # another width, another height for the wrapped text
