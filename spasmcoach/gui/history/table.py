"""The History page's table widget: sortable rows of sessions, pain stops and timers, newest first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from spasmcoach.core.history import HistoryRow

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
        self.setAccessibleName("History entries")
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
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Several rows always show: the page scrolls (on a small screen) rather than squeeze the table to one row.
        self.setMinimumHeight(header.sizeHint().height() + MIN_ROWS_SHOWN * ROW_HEIGHT + 2 * self.frameWidth() + 16)

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
