"""The pain chart on the History page: a widget around ``documents.pain_chart``, in the palette in use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from spasmcoach.core.history import History
from spasmcoach.documents.ink import Ink
from spasmcoach.documents.pain_chart import paint_pain_chart, summary_text

from . import theme

CHART_TEXT = 16 / 15  # the chart's words, a little larger than the body text


def screen_ink() -> Ink:
    """The chart's colours in the palette in use (the printed report keeps ``ink.PRINT``)."""
    p = theme.palette()
    return Ink(
        text=p.text,
        muted=p.muted,
        border=p.border,
        surface=p.surface,
        grid=p.gridline if not p.dark else p.track,
        day_shade=p.background,
        before=p.chart_before,
        after=p.focus if p.dark else p.accent,
        better=p.chart_better,
        worse=p.worse if p.dark else p.stop,
        stop=p.stop if not p.dark else p.worse,
        stop_strong=p.stop_hover if not p.dark else p.worse,
        warning_text=p.warning_text,
        header_fill=p.header_fill,
        checkin=p.checkin,
        reliever=p.reliever,
    )


def render_chart(
    size: QSize,
    ratio: float,
    history: History,
    first: date | None,
    last: date | None,
    today: date | None,
    font: QFont,
    ink: Ink,
) -> QImage:
    """The chart drawn into an image of ``size`` (logical pixels) at ``ratio``; safe on any thread."""
    image = QImage(round(size.width() * ratio), round(size.height() * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    try:
        rect = QRectF(0, 0, size.width(), size.height())
        painter.fillRect(rect, QColor(ink.surface))
        margin = 12
        paint_pain_chart(
            painter,
            rect.adjusted(margin, margin, -margin, -margin),
            history,
            first=first,
            last=last,
            font=font,
            today=today,
            ink=ink,
        )
    finally:
        painter.end()
    return image


DRAW_AHEAD_FROM = 150  # marks; a chart with fewer is drawn in a few milliseconds where it is shown


def worth_drawing_ahead(history: History) -> bool:
    """Whether the chart of ``history`` takes long enough to draw that it is better drawn off the GUI thread."""
    marks = len(history.sessions) + len(history.stops) + len(history.timers)
    return marks + len(history.checkins) + len(history.relievers) >= DRAW_AHEAD_FROM


@dataclass(frozen=True)
class DrawnChart:
    """A chart drawn ahead (by ``PainChart.drawer``), with what it was drawn for."""

    history: History
    made_for: tuple[Any, ...]
    image: QImage


class PainChart(QWidget):
    """The pain chart on screen; call set_history() whenever the shown history changes.

    The chart is drawn into an image, kept until the data, size, colours or font change. The History page
    has it drawn ahead on its reading thread (``drawer``), before the page is handed to the GUI thread:
    drawing five years takes tens of milliseconds of Python, which froze the window when done in a paint.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = History([], [], [])
        self.first: date | None = None
        self.last: date | None = None
        self.today: date | None = None
        self._drawn: DrawnChart | None = None
        self.setMinimumSize(360, 150)  # short enough that the table below keeps rows on a 600 px screen
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Pain chart")
        self.setAccessibleDescription(summary_text(self.history))

    def sizeHint(self) -> QSize:
        return QSize(720, 320)

    def set_history(
        self,
        history: History,
        first: date | None = None,
        last: date | None = None,
        today: date | None = None,
        drawn: DrawnChart | None = None,
    ) -> None:
        """Show ``history`` over the local days first..last (None: from the data); ``drawn``: drawn ahead."""
        self.history, self.first, self.last, self.today = history, first, last, today
        description = summary_text(history)
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        if drawn is not None and drawn.history is history:
            self._drawn = drawn  # used if still right for the size, colours and font when painted
        self.update()

    def drawer(
        self, first: date | None, last: date | None, today: date | None
    ) -> Callable[[History], DrawnChart] | None:
        """A function drawing a history as this chart would now, callable on another thread; None while hidden."""
        if not self.isVisible():
            return None
        made_for, font, ink = self._made_for(first, last, today)
        size, ratio = self.size(), self.devicePixelRatioF()

        def draw(history: History) -> DrawnChart:
            image = render_chart(size, ratio, history, first, last, today, font, ink)
            return DrawnChart(history, made_for, image)

        return draw

    def _made_for(
        self, first: date | None, last: date | None, today: date | None
    ) -> tuple[tuple[Any, ...], QFont, Ink]:
        """What an image must have been drawn for to be shown now (besides the history), the font and ink."""
        ink = screen_ink()
        font = QFont(self.font())  # the body size of the style sheet: follows the system font and "Larger text"
        font.setPointSizeF(max(font.pointSizeF(), 6.0) * CHART_TEXT)
        made_for = (first, last, today, self.size(), self.devicePixelRatioF(), font.toString(), ink)
        return made_for, font, ink

    def paintEvent(self, event: QPaintEvent) -> None:
        made_for, font, ink = self._made_for(self.first, self.last, self.today)
        drawn = self._drawn
        if drawn is None or drawn.history is not self.history or drawn.made_for != made_for:
            ratio = self.devicePixelRatioF()
            image = render_chart(self.size(), ratio, self.history, self.first, self.last, self.today, font, ink)
            drawn = self._drawn = DrawnChart(self.history, made_for, image)
        painter = QPainter(self)
        painter.drawImage(0, 0, drawn.image)
        painter.end()
