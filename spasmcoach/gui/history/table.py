"""The History page's table widget: sortable rows of sessions, pain stops and timers, newest first."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from spasmcoach.core.history import HistoryRow

from .model import KEY_ROLE, SORT_ROLE, HistoryModel

__all__ = ["COLUMN_WIDTHS", "HistoryTable"]

COLUMN_WIDTHS = (180, 110, 245, 250, 80, 72)


class HistoryTable(QTableView):
    """The table over a HistoryModel through a sorting proxy; rows are found and selected by (kind, id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows_model = HistoryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.rows_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setAccessibleName("History entries")
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(False)
        self.setWordWrap(True)  # long notes wrap onto a second line rather than vanish
        self.setShowGrid(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(40)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def shown_rows(self) -> list[HistoryRow]:
        """The rows in the order the table shows them."""
        rows = self.rows_model.rows
        return [rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()] for r in range(self.proxy.rowCount())]

    def selected_row(self) -> HistoryRow | None:
        """The selected entry, if any."""
        indexes = self.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.rows_model.rows[self.proxy.mapToSource(indexes[0]).row()]

    def select_key(self, key: tuple[str, int]) -> bool:
        """Select the entry with this (kind, id); False if it is not shown."""
        for proxy_row in range(self.proxy.rowCount()):
            index = self.proxy.index(proxy_row, 0)
            if index.data(KEY_ROLE) == key:
                self.selectRow(proxy_row)
                self.scrollTo(index)
                return True
        return False
