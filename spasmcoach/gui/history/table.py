"""The History page's table widget: sortable rows of sessions, pain stops and timers, newest first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QWidget

from spasmcoach.core.history import HistoryRow, RowKind
from spasmcoach.core.i18n import _

from .model import HistoryModel

__all__ = ["COLUMN_WIDTHS", "MIN_ROWS_SHOWN", "ROW_HEIGHT", "HistoryTable"]

COLUMN_WIDTHS = (180, 110, 245, 250, 80, 72)
ROW_HEIGHT = 56  # two lines of 16-pixel text and the padding: every row the same, so no row is measured
MIN_ROWS_SHOWN = 4  # the table is never shorter than this many rows (plus its header and a scroll bar)


class HistoryTable(QTableView):
    """The table over a paged HistoryModel (it sorts itself); rows are found and selected by (kind, id).

    Rows all have one height: measuring each row's text (the old ``ResizeToContents``) asked for every cell
    of every row and froze the window for seconds on a long journal. Longer notes show in the tooltip.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows_model = HistoryModel(self)
        self._fitted = False  # the columns are widened to their headings once, when first shown
        self.setAccessibleName(_("History entries"))
        self.setModel(self.rows_model)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(False)
        self.setWordWrap(True)  # long notes wrap onto a second line rather than vanish
        self.setShowGrid(False)
        vertical = self.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        header.setStretchLastSection(False)  # it fills the rest, but never narrower than its heading: _fit_last
        header.sectionResized.connect(self._section_resized)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Several rows always show: the page scrolls (on a small screen) rather than squeeze the table to one row.
        self.setMinimumHeight(header.sizeHint().height() + MIN_ROWS_SHOWN * ROW_HEIGHT + 2 * self.frameWidth() + 16)

    def showEvent(self, event: QShowEvent) -> None:
        """The first time it shows (styled by then): widen any column whose heading or kind word would be cut."""
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self.fit_columns()

    def fit_columns(self) -> None:
        """Make each column at least as wide as its heading (with the sort arrow) and the kind column as wide
        as its longest word ("Schmerzstopp"), so a longer language is not cut; never narrower than before."""
        header = self.horizontalHeader()
        words = [word for kind in RowKind for word in kind.label.split()]  # a label may wrap between words
        kind_width = max(self.fontMetrics().horizontalAdvance(word) for word in words) + 28
        arrow = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        for column in range(len(COLUMN_WIDTHS)):
            wanted = header.sectionSizeHint(column) - arrow  # the heading and its padding
            if column == 1:
                wanted = max(wanted, kind_width)
            if header.sectionSize(column) < wanted:
                header.resizeSection(column, wanted)
        self._fit_last()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_last()

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != len(COLUMN_WIDTHS):  # the user (or fit_columns) changed another column
            self._fit_last()

    def _fit_last(self) -> None:
        """The last column ("Symptoms and notes") fills the rest of the width, but is never narrower than its
        heading: on a narrow screen the table scrolls sideways instead of cutting the heading."""
        header = self.horizontalHeader()
        last = len(COLUMN_WIDTHS)
        if header.count() <= last:
            return
        others = sum(header.sectionSize(column) for column in range(last))
        wanted = max(header.sectionSizeHint(last), self.viewport().width() - others)
        if header.sectionSize(last) != wanted:
            header.resizeSection(last, wanted)

    def shown_rows(self) -> list[HistoryRow]:
        """All rows of the chosen range in the order the table shows them (scrolling fetches the rest)."""
        return list(self.rows_model.rows)

    def selected_row(self) -> HistoryRow | None:
        """The selected entry, if any."""
        indexes = self.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.rows_model.rows[indexes[0].row()]

    def select_key(self, key: tuple[str, int]) -> bool:
        """Select the entry with this (kind, id), fetching down to it; False if it is not in the range."""
        position = self.rows_model.position(key)
        if position is None:
            return False
        self.rows_model.show_up_to(position)
        self.selectRow(position)
        self.scrollTo(self.rows_model.index(position, 0))
        return True
