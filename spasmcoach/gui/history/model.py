"""The History table's model: each history row's cell text, sort value, tooltip and pain-stop colours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from spasmcoach.core.history import HistoryRow, RowKind, SessionRow
from spasmcoach.core.history.table import HistoryRows
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.wording import length_text, when_text

from .. import theme

__all__ = ["COLUMNS", "KEY_ROLE", "PAGE_ROWS", "SORT_ROLE", "HistoryModel", "table_when"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
KEY_ROLE = Qt.ItemDataRole.UserRole + 11
# The column headings: English msgids, shown through _().
COLUMNS = (
    N_("When"),
    N_("What"),
    N_("Routine or timer"),
    N_("Result"),
    N_("Length"),
    N_("Pain"),
    N_("Symptoms and notes"),
)


def table_when(row: HistoryRow) -> str:
    """'Sat 21 Nov  14:00' in local time (a wider gap before the time, easier to scan in a column)."""
    return when_text(row.time, gap="  ")


PAGE_ROWS = 200  # rows handed to the view at a time; more as the user scrolls (canFetchMore / fetchMore)


class HistoryModel(QAbstractTableModel):
    """The history rows as a table: display text, a sort value per column, and colours for pain stops.

    It holds every row of the chosen range in the chosen order (``rows``) but shows them to the view a page
    at a time, so a five-year journal costs the view no more than a week. Sorting happens here, on the
    rows' values, rather than in a proxy asking for every cell.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: Sequence[HistoryRow] = []  # in the chosen order
        self._newest_first: Sequence[HistoryRow] = []  # as given; every sort starts from it: ties stay newest first
        self._shown = 0
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows: Sequence[HistoryRow]) -> None:
        """Replace all rows (kept in the current sort order); the first page is shown.

        ``rows`` may make its rows as they are read (``HistoryRows``): in the newest-first order only the
        rows shown are ever made."""
        self.beginResetModel()
        self._newest_first = rows if isinstance(rows, HistoryRows) else list(rows)
        self.rows = self._sorted(self._newest_first)
        self._shown = min(PAGE_ROWS, len(self.rows))
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._shown < len(self.rows)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid():
            return
        self.show_up_to(self._shown + PAGE_ROWS - 1)

    def show_up_to(self, position: int) -> None:
        """Make rows 0..position available to the view."""
        wanted = min(position + 1, len(self.rows))
        if wanted > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, wanted - 1)
            self._shown = wanted
            self.endInsertRows()

    def position(self, key: tuple[str, int]) -> int | None:
        """Where the row with this (kind, id) is in the current order, if present."""
        if isinstance(self.rows, HistoryRows):
            return self.rows.position(key)
        return next((i for i, row in enumerate(self.rows) if row.key == key), None)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order all rows by a column's values (stable: equal values keep the newest-first order)."""
        self._sort = (column, order)
        self.beginResetModel()
        self.rows = self._sorted(self._newest_first)
        self._shown = min(max(self._shown, PAGE_ROWS), len(self.rows))
        self.endResetModel()

    def _sorted(self, rows: Sequence[HistoryRow]) -> Sequence[HistoryRow]:
        """``rows`` (given newest first, as ``history_rows`` makes them) in the chosen order."""
        column, order = self._sort
        descending = order == Qt.SortOrder.DescendingOrder
        if column == 0 and descending:  # the order they come in: nothing to do on the GUI thread
            return rows
        return sorted(rows, key=lambda r: self.sort_value(r, column), reverse=descending)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def text(self, row: HistoryRow, column: int) -> str:
        """What one cell shows."""
        if column == 0:
            return table_when(row)
        if column == 1:
            return row.kind.label
        if column == 2:
            return row.what
        if column == 3:
            return row.result
        if column == 4:
            return length_text(row.duration) if row.kind is not RowKind.PAIN_STOP else ""
        if column == 5:
            return row.pain_text
        return row.details

    def sort_value(self, row: HistoryRow, column: int) -> Any:
        """What a column sorts by: times as numbers, pain by its change (sessions) or value (stops)."""
        if column == 0:
            return row.time.timestamp()
        if column == 4:
            return -1.0 if row.duration is None or row.kind is RowKind.PAIN_STOP else row.duration
        if column == 5:
            value = row.change if row.kind is RowKind.SESSION else row.pain
            return 99 if value is None else value  # not rated: after every rating when sorted ascending
        return self.text(row, column).lower()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, index.column())
        if role == SORT_ROLE:
            return self.sort_value(row, index.column())
        if role == KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [self.text(row, c) for c in (0, 2, 3, 5, 6)]
            return "\n".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole and row.kind is RowKind.PAIN_STOP:
            return QColor(theme.ALERT_BG)
        return None

    @staticmethod
    def _foreground(row: HistoryRow, column: int) -> QColor | None:
        """Pain stops (and sessions ended by one) in the stop colour; a pain change green, red or plain."""
        stopped = row.kind is RowKind.PAIN_STOP or (isinstance(row.entry, SessionRow) and row.entry.stopped_for_pain)
        if stopped:
            return QColor(theme.palette().worse)
        if column == 5 and row.change is not None:
            p = theme.palette()
            return QColor(p.relief if row.change < 0 else p.worse if row.change > 0 else p.text)
        return None
