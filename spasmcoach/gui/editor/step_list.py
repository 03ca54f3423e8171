"""The routine's steps as a list that reorders by drag and drop or by Alt+Up / Alt+Down, with the buttons
that add, duplicate, remove and move steps.

Signals: reordered(list[int] old indexes in the new order), selected(int), add(), duplicate(), remove().
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core.i18n import _

ROLE_INDEX = Qt.ItemDataRole.UserRole


class _List(QListWidget):
    """A list whose rows move by dragging or Alt+arrow keys; tells its owner the new order."""

    moved = Signal()
    step_by_key = Signal(int)  # -1 up, +1 down

    def __init__(self) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.model().rowsMoved.connect(lambda *_args: self.moved.emit())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.AltModifier and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step_by_key.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)
        self.moved.emit()


class StepList(QWidget):
    reordered = Signal(list)
    selected = Signal(int)
    add = Signal()
    duplicate = Signal()
    remove = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = _List()
        self.list.setAccessibleName(_("Steps"))
        self.list.setToolTip(_("Drag a step, or press Alt+Up or Alt+Down, to change the order"))
        self.list.setMinimumHeight(180)
        self.add_button = QPushButton(_("Add step"))
        self.duplicate_button = QPushButton(_("Duplicate step"))
        self.remove_button = QPushButton(_("Remove step"))
        self.up_button = QPushButton(_("Move up"))
        self.up_button.setToolTip(_("Move the step up (Alt+Up)"))
        self.down_button = QPushButton(_("Move down"))
        self.down_button.setToolTip(_("Move the step down (Alt+Down)"))
        self.add_button.clicked.connect(self.add)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.list.step_by_key.connect(self.move_current)
        self.list.moved.connect(self._dropped)
        self.list.currentRowChanged.connect(self._row_changed)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def show_steps(self, titles: Sequence[str], current: int, problems: Sequence[bool] = ()) -> None:
        """Fill the list (titles in order) and select ``current``, without announcing a selection."""
        self.list.blockSignals(True)
        self.list.clear()
        for index, title in enumerate(titles):
            mark = "⚠ " if index < len(problems) and problems[index] else ""
            item = QListWidgetItem(f"{index + 1}.  {mark}{title}")
            item.setData(ROLE_INDEX, index)
            self.list.addItem(item)
        self.list.setCurrentRow(min(max(current, 0), len(titles) - 1))
        self.list.blockSignals(False)
        self._update_buttons()

    def current(self) -> int:
        return self.list.currentRow()

    def move_current(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.list.count():
            return
        order = list(range(self.list.count()))
        order[row], order[target] = order[target], order[row]
        self.reordered.emit(order)

    def _dropped(self) -> None:
        order = [int(self.list.item(row).data(ROLE_INDEX)) for row in range(self.list.count())]
        if order != sorted(order):
            self.reordered.emit(order)

    def _row_changed(self, row: int) -> None:
        self._update_buttons()
        if row >= 0:
            self.selected.emit(row)

    def _update_buttons(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        self.remove_button.setEnabled(count > 1)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
