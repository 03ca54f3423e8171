"""The pain chart on the History page: a widget around ``documents.pain_chart``, in the palette in use."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
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


class PainChart(QWidget):
    """The pain chart on screen; call set_history() whenever the shown history changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = History([], [], [])
        self.first: date | None = None
        self.last: date | None = None
        self.today: date | None = None
        self.setMinimumSize(360, 150)  # short enough that the table below keeps rows on a 600 px screen
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Pain chart")
        self.setAccessibleDescription(summary_text(self.history))

    def sizeHint(self) -> QSize:
        return QSize(720, 320)

    def set_history(
        self, history: History, first: date | None = None, last: date | None = None, today: date | None = None
    ) -> None:
        """Show ``history`` over the local days first..last (None: from the data)."""
        self.history, self.first, self.last, self.today = history, first, last, today
        description = summary_text(history)
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        ink = screen_ink()
        painter.fillRect(self.rect(), QColor(ink.surface))
        font = QFont(self.font())  # the body size of the style sheet: follows the system font and "Larger text"
        font.setPointSizeF(max(font.pointSizeF(), 6.0) * CHART_TEXT)
        margin = 12
        paint_pain_chart(
            painter,
            QRectF(self.rect()).adjusted(margin, margin, -margin, -margin),
            self.history,
            first=self.first,
            last=self.last,
            font=font,
            today=self.today,
            ink=ink,
        )
        painter.end()
