"""The History page's filter bar: a period (or chosen dates) and a routine."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QWidget

from spasmcoach.core.i18n import N_, _, current_language

from ..widgets import label

__all__ = ["PERIODS", "FilterBar"]

# (label, days): a number of days up to today; -1 since the spasm started; None everything; 0 chosen dates.
# The labels are English msgids, shown through _().
PERIODS: tuple[tuple[str, int | None], ...] = (
    (N_("Last 7 days"), 7),
    (N_("Last 14 days"), 14),
    (N_("Last 30 days"), 30),
    (N_("Since the spasm started"), -1),
    (N_("Everything"), None),
    (N_("Chosen dates"), 0),
)


class FilterBar(QWidget):
    """Period, from and to dates, and routine; ``changed`` after any of them changes.

    ``today``, ``first_entry`` and ``episode_start`` are asked when a period needs them, so the bar reads
    the journal only through the page.
    """

    changed = Signal()

    def __init__(
        self,
        today: Callable[[], date],
        first_entry: Callable[[], date | None],
        episode_start: Callable[[], date | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._today, self._first_entry, self._episode_start = today, first_entry, episode_start
        self.period = QComboBox()
        self.period.setAccessibleName(_("Period"))
        for text, days in PERIODS:
            self.period.addItem(_(text), days)
        self.from_date = QDateEdit()
        self.to_date = QDateEdit()
        for edit, name in ((self.from_date, _("From date")), (self.to_date, _("To date"))):
            edit.setCalendarPopup(True)
            edit.setLocale(QLocale(current_language()))  # month names in the app's language
            # Translators: a Qt date format (d day, MMM short month name, yyyy year), e.g. "d. MMM yyyy".
            edit.setDisplayFormat(_("d MMM yyyy"))
            edit.setAccessibleName(name)
        self.routine = QComboBox()
        self.routine.setAccessibleName(_("Routine"))
        self.routine.setMinimumWidth(240)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.period)
        row.addWidget(label(_("from"), "muted", wrap=False))
        row.addWidget(self.from_date)
        row.addWidget(label(_("to"), "muted", wrap=False))
        row.addWidget(self.to_date)
        row.addSpacing(12)
        row.addWidget(self.routine)
        row.addStretch(1)
        self.period.currentIndexChanged.connect(self.apply_period)
        self.from_date.dateChanged.connect(self._dates_edited)
        self.to_date.dateChanged.connect(self._dates_edited)
        self.routine.currentIndexChanged.connect(self.changed)

    # -- what is chosen ---------------------------------------------------------------------------------
    def first_day(self) -> date | None:
        """The first day shown (None: from the beginning)."""
        if self.period.currentData() is None:
            return None
        value = self.from_date.date()
        return date(value.year(), value.month(), value.day())

    def last_day(self) -> date | None:
        """The last day shown (None: up to now)."""
        if self.period.currentData() is None:
            return None
        value = self.to_date.date()
        return date(value.year(), value.month(), value.day())

    def routine_id(self) -> str | None:
        """The routine chosen (None: all)."""
        value = self.routine.currentData()
        return None if value is None else str(value)

    # -- choosing ---------------------------------------------------------------------------------------
    def set_period(self, text: str) -> None:
        """Choose a period by its label, English or as shown ('Last 7 days', 'Everything', …)."""
        index = next((i for i, (name, _days) in enumerate(PERIODS) if name == text), self.period.findText(text))
        self.period.setCurrentIndex(index)

    def set_dates(self, first: date, last: date) -> None:
        """Choose a date range (local days, inclusive)."""
        self._show_dates(first, last)
        self._dates_edited()

    def set_routine(self, routine_id: str | None) -> None:
        """Filter by one routine (None: all)."""
        self.routine.setCurrentIndex(max(self.routine.findData(routine_id), 0))

    def fill_routines(self, titles: Mapping[str, str]) -> None:
        """List these routines (id -> title) by title, keeping the current choice, without a signal."""
        current = self.routine.currentData()
        self.routine.blockSignals(True)
        self.routine.clear()
        self.routine.addItem(_("All routines"), None)
        for routine_id, title in sorted(titles.items(), key=lambda item: item[1].lower()):
            self.routine.addItem(title, routine_id)
        self.routine.setCurrentIndex(max(self.routine.findData(current), 0))
        self.routine.blockSignals(False)

    def apply_period(self, *_args: object) -> None:
        """Set the dates the chosen period covers (chosen dates stay as they are), then signal."""
        days = self.period.currentData()
        today = self._today()
        if days is None:
            self._show_dates(self._first_entry() or today, today)
        elif days == -1:
            self._show_dates(self._episode_start() or today - timedelta(days=6), today)
        elif days != 0:
            self._show_dates(today - timedelta(days=days - 1), today)
        self.changed.emit()

    def _show_dates(self, first: date, last: date) -> None:
        """Show a date range in the date edits without triggering 'Chosen dates'."""
        for edit, day in ((self.from_date, first), (self.to_date, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _dates_edited(self, *_args: object) -> None:
        """A date edited by hand: keep the range non-empty, switch to 'Chosen dates', signal."""
        if self.to_date.date() < self.from_date.date():  # an empty range: move the other end along
            sender = self.sender()
            edit = self.from_date if sender is self.to_date else self.to_date
            edit.blockSignals(True)
            edit.setDate(self.to_date.date() if sender is self.to_date else self.from_date.date())
            edit.blockSignals(False)
        self.period.blockSignals(True)
        self.period.setCurrentIndex(self.period.findData(0))
        self.period.blockSignals(False)
        self.changed.emit()
