"""The diary in History: a calendar of pain per day over weeks, filtered by area, and the episodes of spasm.

Each day is coloured by its highest or its average rating (a toggle), from pale green (0) through yellow and
orange to deep red (10), with the number written in the cell, so it reads without colour too; days with
no rating stay blank. A legend sits under the grid. The calendar is one Tab stop: the arrow keys move
from day to day (Page Up/Down a week... four weeks), and the chosen day is read out in words.
Signals (of :class:`DiaryPanel`): recorded(str sentence) after a pain reliever is recorded here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QSizePolicy, QTabWidget, QVBoxLayout, QWidget

from spasmcoach.core import diary
from spasmcoach.core.diary.calendar import CALENDAR_WEEKS, DayMeasure, DayPain, daily_pain, weeks
from spasmcoach.core.diary.episodes import Episode, describe
from spasmcoach.core.diary.fhir import RatedEvent
from spasmcoach.core.i18n import ENGLISH, _, current_language, ngettext
from spasmcoach.core.journal import Journal
from spasmcoach.core.locale_format import WEEKDAYS_SHORT, format_date, format_decimal
from spasmcoach.core.storage import utc_now
from spasmcoach.core.wording import day_text, in_sentence

from .. import theme
from ..widgets import label

log = logging.getLogger(__name__)

__all__ = ["PAIN_COLOURS", "DiaryPanel", "PainCalendar", "chart_tabs", "colour_for"]

# 0 … 10: calm at the bottom, unmistakable at the top; every step differs in lightness as well as hue.
PAIN_COLOURS: tuple[str, ...] = (
    "#DFF2E3", "#CBEBC4", "#E6F2B6", "#FAEDA5", "#FAD888", "#F6BE6A",
    "#F09E55", "#E27A45", "#CF5638", "#B53A2E", "#8E2424",
)  # fmt: skip
DARK_FROM = 7  # from this rating on, the number is written in white
# Words on a coloured day are written in these whatever the theme: the colours are the same in every theme.
ON_PAIN, ON_PAIN_MUTED, ON_PAIN_DARK = "#1F2933", "#3E4C59", "#FFFFFF"
MIN_SWATCH = 22.0  # a legend box narrower than this crowds its number ("10")
MAX_WEEKS = CALENDAR_WEEKS  # half a year at most; a longer range shows its latest weeks (and only they are read)


def weekday_names() -> tuple[str, ...]:
    """'Mon' … 'Sun' ('Mo' … 'So') for the calendar's header row."""
    return WEEKDAYS_SHORT.get(current_language(), WEEKDAYS_SHORT[ENGLISH])


def colour_for(value: float) -> str:
    """The colour of a day whose rating (highest or average) is ``value``."""
    return PAIN_COLOURS[min(max(round(value), 0), 10)]


def _value_text(value: float) -> str:
    return format_decimal(value, 1)  # '4', '4.5' ('4,5' in German)


class PainCalendar(QWidget):
    """The painted grid of weeks; ``set_days`` gives it the days and the range, ``set_measure`` the colouring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: dict[date, DayPain] = {}
        self.measure = DayMeasure.HIGHEST
        self.grid: list[Sequence[date]] = []
        self.first = self.last = self.current = date.today()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(340, 150)  # short, so the History table below keeps several rows
        self.setAccessibleName(_("Pain calendar"))

    def sizeHint(self) -> QSize:
        return QSize(720, 90 + 52 * max(len(self.grid), 4))

    def set_days(self, days: dict[date, DayPain], first: date, last: date) -> None:
        """Show ``days`` over first..last (at most the latest :data:`MAX_WEEKS` weeks)."""
        self.days = days
        first = max(first, last - timedelta(weeks=MAX_WEEKS) + timedelta(days=1))
        self.first, self.last = first, last
        self.grid = weeks(first, last)
        if not first <= self.current <= last:
            self.current = last
        self.updateGeometry()
        self._describe()
        self.update()

    def set_measure(self, measure: DayMeasure | str) -> None:
        self.measure = DayMeasure(measure)  # a combo box hands its data back as a plain str
        self._describe()
        self.update()

    def day_text(self, day: date) -> str:
        """'Tue 3 Nov: highest 6, average 4.5 (3 ratings); lower back, centre' or 'Tue 3 Nov: no rating'."""
        head = day_text(day)
        found = self.days.get(day)
        if found is None:
            return _("{day}: no rating").format(day=head)
        areas = ", ".join(in_sentence(diary.label_of(diary.AREAS, a)) for a in found.areas)
        count = ngettext("{count} rating", "{count} ratings", found.count).format(count=found.count)
        text = _("{day}: highest {highest}, average {average} ({ratings})").format(
            day=head, highest=found.highest, average=_value_text(round(found.average, 1)), ratings=count
        )
        return text + (f"; {areas}" if areas else "")

    def _describe(self) -> None:
        self.setAccessibleDescription(self.day_text(self.current))
        self.setToolTip(self.day_text(self.current))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7,
                 Qt.Key.Key_PageUp: -28, Qt.Key.Key_PageDown: 28}  # fmt: skip
        step = moves.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
            return
        self.current = min(max(self.current + timedelta(days=step), self.first), self.last)
        self._describe()
        self.update()

    def cell_colour(self, day: date) -> str | None:
        """The fill of ``day``'s cell; None for a day without a rating."""
        found = self.days.get(day)
        return None if found is None else colour_for(found.value(self.measure))

    # -- painting ----------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(theme.SURFACE))
        font = QFont(self.font())  # the style sheet's body size: follows the system font and "Larger text"
        painter.setFont(font)
        line = QFontMetricsF(font).height()
        legend = line * 2.2
        top = line * 1.4
        width = self.width() - 16
        rows = max(len(self.grid), 1)
        cell_w = width / 7
        cell_h = min((self.height() - top - legend - 8) / rows, cell_w * 0.8)
        painter.setPen(QColor(theme.MUTED))
        for column, name in enumerate(weekday_names()):
            painter.drawText(QRectF(8 + column * cell_w, 2, cell_w, top), Qt.AlignmentFlag.AlignCenter, name)
        big = QFont(font)
        body = QFontInfo(font).pixelSize()
        big.setPixelSize(max(round(body * 0.9), min(round(body * 1.6), round(cell_h * 0.42))))
        big.setBold(True)
        for row, week in enumerate(self.grid):
            for column, day in enumerate(week):
                cell = QRectF(8 + column * cell_w, top + row * cell_h, cell_w, cell_h).adjusted(2, 2, -2, -2)
                self._paint_day(painter, cell, day, font, big)
        self._paint_legend(painter, QRectF(8, top + rows * cell_h + 8, width, legend), font)
        painter.end()

    def _paint_day(self, painter: QPainter, cell: QRectF, day: date, font: QFont, big: QFont) -> None:
        inside = self.first <= day <= self.last
        fill = self.cell_colour(day) if inside else None
        painter.setPen(QPen(QColor(theme.BORDER), 1))
        painter.setBrush(QColor(fill) if fill else QColor(theme.SURFACE if inside else theme.BACKGROUND))
        painter.drawRoundedRect(cell, 6, 6)
        found = self.days.get(day) if inside else None
        dark = found is not None and round(found.value(self.measure)) >= DARK_FROM
        painter.setFont(font)
        muted = theme.MUTED if inside else theme.BORDER
        painter.setPen(QColor(ON_PAIN_DARK if dark else ON_PAIN_MUTED if found is not None else muted))
        painter.drawText(cell.adjusted(6, 3, -4, -2), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         str(day.day) if day.day != 1 else format_date(day, "day_month_short"))  # fmt: skip
        if found is not None:
            painter.setFont(big)
            painter.setPen(QColor(ON_PAIN_DARK if dark else ON_PAIN))
            text = _value_text(round(found.value(self.measure), 1))
            painter.drawText(cell.adjusted(0, 8, 0, 0), Qt.AlignmentFlag.AlignCenter, text)
        if day == self.current and self.hasFocus():
            painter.setPen(QPen(QColor(theme.FOCUS_DARK), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(1, 1, -1, -1), 6, 6)

    def _paint_legend(self, painter: QPainter, rect: QRectF, font: QFont) -> None:
        painter.setFont(font)
        painter.setPen(QColor(theme.TEXT))
        what = _("Highest pain of the day") if self.measure is DayMeasure.HIGHEST else _("Average pain of the day")
        advance = QFontMetricsF(font).horizontalAdvance(what) + 16
        blank_text = _("blank: no rating")
        blank_width = QFontMetricsF(font).horizontalAdvance(blank_text) + 8
        swatch = min(34.0, (rect.width() - advance - blank_width - 12) / 11)
        if swatch < MIN_SWATCH:  # narrow (or a longer language): the choice above already says what is shown
            advance = 0.0
            swatch = min(34.0, (rect.width() - blank_width - 12) / 11)
        else:
            what_box = QRectF(rect.left(), rect.top(), advance, rect.height())
            painter.drawText(what_box, Qt.AlignmentFlag.AlignVCenter, what)
        x = rect.left() + advance
        for value, colour in enumerate(PAIN_COLOURS):
            box = QRectF(x + value * swatch, rect.center().y() - swatch * 0.45, swatch - 2, swatch * 0.9)
            painter.setPen(QPen(QColor(theme.BORDER), 1))
            painter.setBrush(QColor(colour))
            painter.drawRect(box)
            painter.setPen(QColor(ON_PAIN_DARK if value >= DARK_FROM else ON_PAIN))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(value))
        painter.setPen(QColor(theme.MUTED))
        blank = QRectF(x + 11 * swatch + 12, rect.top(), blank_width, rect.height())
        painter.drawText(blank, Qt.AlignmentFlag.AlignVCenter, blank_text)


class DiaryPanel(QWidget):
    """The calendar with its two choices (colour by; area), a pain-reliever button and the episodes."""

    recorded = Signal(str)  # what happened, in a sentence for the status line

    def __init__(
        self, journal: Journal | None, *, now: Callable[[], datetime] = utc_now, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journal, self.now = journal, now
        self.rated: list[RatedEvent] = []
        self._all_days: dict[date, DayPain] | None = None
        self.first = self.last = date.today()
        self.measure = QComboBox()
        self.measure.setAccessibleName(_("Colour each day by"))
        self.measure.addItem(_("Highest of the day"), DayMeasure.HIGHEST)
        self.measure.addItem(_("Average of the day"), DayMeasure.AVERAGE)
        self.area = QComboBox()
        self.area.setAccessibleName(_("Show pain in this area only"))
        self.area.addItem(_("All areas"), None)
        for term in diary.AREAS:
            self.area.addItem(term.label, term.id)
        self.reliever_button = QPushButton(_("I took a pain reliever…"))
        self.calendar = PainCalendar()
        self.episodes = label("", "")
        self.episodes.setAccessibleName(_("Episodes of spasm"))
        self.episodes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        for combo in (self.measure, self.area):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        row = QHBoxLayout()
        row.addWidget(label(_("Colour:"), "muted", wrap=False))
        row.addWidget(self.measure, 1)
        row.addWidget(label(_("Area:"), "muted", wrap=False))
        row.addWidget(self.area, 1)
        episodes_row = QHBoxLayout()
        episodes_row.addWidget(label(_("Episodes of spasm"), "heading"), 1)
        episodes_row.addWidget(self.reliever_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.calendar, 1)
        layout.addLayout(episodes_row)
        layout.addWidget(self.episodes)
        self.measure.currentIndexChanged.connect(lambda _i: self.calendar.set_measure(self.measure.currentData()))
        self.area.currentIndexChanged.connect(lambda _i: self._fill())
        self.reliever_button.clicked.connect(self.ask_reliever)

    def show_data(
        self,
        rated: Sequence[RatedEvent],
        found: Sequence[Episode],
        first: date | None,
        last: date | None,
        days: Mapping[date, DayPain] | None = None,
    ) -> None:
        """Show the ratings of the chosen range (first..last; None: from the data / up to today).

        ``days``: ``daily_pain(rated)`` already worked out (off the GUI thread), used while all areas show."""
        self.rated = list(rated)
        self._all_days = None if days is None else dict(days)
        today = self.now().astimezone().date()
        self.last = last or today
        if days is not None:
            start = min(days, default=self.last - timedelta(days=27))
        else:
            start = min((e.time.astimezone().date() for e in self.rated), default=self.last - timedelta(days=27))
        self.first = first or start
        self._fill()
        lines = [describe(e) for e in reversed(found)][:8]
        self.episodes.setText("\n".join(lines) if lines else _("No episodes recorded yet. The check-in page can "
                              "record when a spasm started and when it settled."))  # fmt: skip

    def _fill(self) -> None:
        area = self.area.currentData()
        days = self._all_days if area is None and self._all_days is not None else daily_pain(self.rated, area=area)
        self.calendar.set_days(days, self.first, self.last)

    def ask_reliever(self) -> None:
        from ..reliever_dialog import RelieverDialog  # imported on first use, not when the page opens

        entry = RelieverDialog.ask(self.now(), self)
        if entry is None or self.journal is None:
            return
        try:
            receipt = diary.record_reliever(self.journal, entry, now=self.now())
        except ValueError as exc:
            log.warning("pain reliever not saved: %s", exc)
            self.recorded.emit(_("That could not be saved: {problem}").format(problem=exc))
            return
        self.recorded.emit(receipt.sentence(_("“{name}”").format(name=entry.name)))


def chart_tabs(chart: QWidget, panel: DiaryPanel, parent: QWidget | None = None) -> QTabWidget:
    """The pain chart and the diary's calendar as two tabs (Ctrl+Tab switches)."""
    tabs = QTabWidget(parent)
    tabs.addTab(chart, _("Pain chart"))
    tabs.addTab(panel, _("Calendar and episodes"))
    tabs.setAccessibleName(_("Chart or calendar"))
    return tabs
