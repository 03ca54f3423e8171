"""Small widgets the pages share: the countdown ring, the illustration, the 0–10 pain scale."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from . import theme

log = logging.getLogger(__name__)


class CountdownRing(QWidget):
    """Big digits inside a progress ring; repaints only when told the shown values changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._fraction = 0.0
        self._colour = QColor(theme.ACCENT)
        self.setMinimumSize(220, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Time left")

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

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
        pen = QPen(QColor("#E4E7EB"), thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
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


class IllustrationView(QWidget):
    """An SVG illustration drawn crisp at any size; several frames loop; a calm placeholder if missing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderers: list[QSvgRenderer] = []
        self._frame = 0
        self._timer = QTimer(self)
        self._timer.setObjectName("illustrationFrameTimer")
        self._timer.timeout.connect(self._next_frame)
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Illustration")
        self.missing = False

    def set_images(self, paths: Sequence[Path | None], frame_seconds: float = 2.0) -> None:
        """Show ``paths`` (looping if several); unreadable files fall back to the placeholder."""
        self._timer.stop()
        renderers: list[QSvgRenderer] = []
        for path in paths:
            # No Qt parent: the renderers belong to this list, so the last step's pictures are freed.
            renderer = QSvgRenderer(str(path)) if path is not None and path.is_file() else None
            if renderer is not None and renderer.isValid():
                renderers.append(renderer)
            else:
                log.warning("illustration not usable, showing a placeholder: %s", path)
        self._renderers = renderers
        self.missing = bool(paths) and not renderers
        self._frame = 0
        self._timer.setInterval(max(200, round(frame_seconds * 1000)))
        self.update()

    def set_animating(self, on: bool) -> None:
        """Loop frames only while the routine runs, so a paused or hidden player costs nothing."""
        if on and len(self._renderers) > 1 and self.isVisible():
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()

    @property
    def frame(self) -> int:
        return self._frame

    @property
    def frames(self) -> int:
        return len(self._renderers)

    def _next_frame(self) -> None:
        if self._renderers:
            self._frame = (self._frame + 1) % len(self._renderers)
            self.update()

    def hideEvent(self, event: object) -> None:  # type: ignore[override]
        self._timer.stop()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._renderers:
            self._paint_placeholder(painter)
            painter.end()
            return
        renderer = self._renderers[self._frame]
        size = renderer.defaultSize()
        if size.isEmpty():
            size = QSize(400, 300)
        scale = min(self.width() / size.width(), self.height() / size.height())
        w, h = size.width() * scale, size.height() * scale
        renderer.render(painter, QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h))
        painter.end()

    def _paint_placeholder(self, painter: QPainter) -> None:
        side = min(self.width(), self.height()) * 0.6
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.setPen(QPen(QColor(theme.BORDER), 4, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(rect, 18, 18)
        painter.setPen(QPen(QColor("#9AA5B1"), 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        cx, cy = rect.center().x(), rect.center().y()
        painter.drawEllipse(QRectF(cx - side * 0.08, cy - side * 0.3, side * 0.16, side * 0.16))
        painter.drawLine(round(cx), round(cy - side * 0.12), round(cx), round(cy + side * 0.12))
        painter.drawLine(round(cx), round(cy + side * 0.12), round(cx - side * 0.12), round(cy + side * 0.3))
        painter.drawLine(round(cx), round(cy + side * 0.12), round(cx + side * 0.12), round(cy + side * 0.3))
        painter.drawLine(
            round(cx - side * 0.15), round(cy - side * 0.04), round(cx + side * 0.15), round(cy - side * 0.04)
        )


class PainScale(QWidget):
    """Eleven buttons, 0 = no pain to 10 = worst. Signals: rated(int)."""

    rated = Signal(int)

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(question)
        label.setObjectName("heading")
        label.setWordWrap(True)
        layout.addWidget(label)
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.buttons: list[QPushButton] = []
        for value in range(11):
            button = QPushButton(str(value))
            button.setObjectName("painButton")
            button.setCheckable(True)
            meaning = {0: "no pain", 10: "worst pain"}.get(value, "")
            button.setAccessibleName(f"Pain {value}" + (f", {meaning}" if meaning else ""))
            button.setToolTip(f"Pain {value} of 10" + (f" ({meaning})" if meaning else ""))
            self.group.addButton(button, value)
            self.buttons.append(button)
            row.addWidget(button)
        layout.addLayout(row)
        ends = QHBoxLayout()
        low, high = QLabel("0 = no pain"), QLabel("10 = worst")
        low.setObjectName("muted")
        high.setObjectName("muted")
        ends.addWidget(low)
        ends.addStretch(1)
        ends.addWidget(high)
        layout.addLayout(ends)
        self.group.idClicked.connect(self.rated)

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return None if checked < 0 else checked

    def clear(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons:
            button.setChecked(False)
        self.group.setExclusive(True)


def label(text: str = "", name: str = "", *, wrap: bool = True) -> QLabel:
    """A QLabel with a style-sheet object name, word-wrapped by default."""
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget
