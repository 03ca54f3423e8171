"""The History table's model: each history row's cell text, sort value, tooltip and pain-stop colours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from spasmcoach.core.history import HistoryRow, RowKind, SessionRow
from spasmcoach.core.wording import length_text, when_text

from .. import theme

__all__ = ["COLUMNS", "KEY_ROLE", "SORT_ROLE", "HistoryModel", "table_when"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
KEY_ROLE = Qt.ItemDataRole.UserRole + 11
COLUMNS = ("When", "What", "Routine or timer", "Result", "Length", "Pain", "Symptoms and notes")
RELIEF_COLOUR = "#276749"


def table_when(row: HistoryRow) -> str:
    """'Sat 21 Nov  14:00' in local time (a wider gap before the time, easier to scan in a column)."""
    return when_text(row.time, gap="  ")


class HistoryModel(QAbstractTableModel):
    """The history rows as a table: display text, a sort value per column, and colours for pain stops."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[HistoryRow] = []

    def set_rows(self, rows: Sequence[HistoryRow]) -> None:
        """Replace all rows."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
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
            return QColor(theme.STOP_HOVER)
        if column == 5 and row.change is not None:
            return QColor(RELIEF_COLOUR if row.change < 0 else theme.STOP_HOVER if row.change > 0 else theme.TEXT)
        return None
