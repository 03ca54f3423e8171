"""The pain chart on the History page: a widget around ``documents.pain_chart``, in the screen's colours."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from spasmcoach.core.history import History
from spasmcoach.documents.ink import Ink
from spasmcoach.documents.pain_chart import paint_pain_chart, summary_text

from . import theme

SCREEN_INK = Ink(text=theme.TEXT, muted=theme.MUTED, border=theme.BORDER, surface=theme.SURFACE, after=theme.ACCENT)


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
        painter.fillRect(self.rect(), QColor(SCREEN_INK.surface))
        font = QFont(self.font())
        font.setPixelSize(16)
        margin = 12
        paint_pain_chart(
            painter,
            QRectF(self.rect()).adjusted(margin, margin, -margin, -margin),
            self.history,
            first=self.first,
            last=self.last,
            font=font,
            today=self.today,
            ink=SCREEN_INK,
        )
        painter.end()
