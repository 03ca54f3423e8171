"""The library's editing row (New, Duplicate, Edit, Delete) and its offer bar (Undo a delete, reopen kept
changes), kept here so the library page only places them.

Signals of :class:`EditButtons`: new(), duplicate(), edit(), delete().
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QWidget

from spasmcoach.core.i18n import _
from spasmcoach.core.model import Origin, Routine

from ..widgets import label

Choice = tuple[str, Callable[[], None]]


class EditButtons(QWidget):
    new = Signal()
    duplicate = Signal()
    edit = Signal()
    delete = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)  # two by two: whole words even in a narrow details pane
        grid.setContentsMargins(0, 0, 0, 0)
        self.new_button = QPushButton(_("New routine"))
        self.new_button.setToolTip(_("Write a routine of your own, for example your physio's exercises (Ctrl+N)"))
        self.duplicate_button = QPushButton(_("Duplicate"))
        self.duplicate_button.setToolTip(_("Make your own copy of this routine to change"))
        self.edit_button = QPushButton(_("Edit"))
        self.edit_button.setToolTip(_("Change this routine"))
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.setToolTip(_("Delete this routine of yours (you can undo it)"))
        for index, (button, signal) in enumerate(
            ((self.new_button, self.new), (self.duplicate_button, self.duplicate),
             (self.edit_button, self.edit), (self.delete_button, self.delete))
        ):  # fmt: skip
            button.clicked.connect(signal)
            button.setMinimumWidth(button.sizeHint().width())  # never a cut-off word
            grid.addWidget(button, index // 2, index % 2)

    def follow(self, routine: Routine | None) -> None:
        """Duplicate any routine; Edit and Delete only the user's own (a bundled one is duplicated to edit)."""
        own = routine is not None and routine.origin == Origin.USER
        self.duplicate_button.setEnabled(routine is not None)
        self.edit_button.setEnabled(routine is not None)
        self.edit_button.setText(_("Edit") if own or routine is None else _("Edit a copy"))
        self.delete_button.setEnabled(own)


class OfferBar(QFrame):
    """A calm line with one or two buttons: "… was deleted. [Undo]"; hidden once answered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        row = QHBoxLayout(self)
        self.text = label("")
        self.yes = QPushButton()
        self.no = QPushButton()
        row.addWidget(self.text, 1)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        self._choices: dict[QPushButton, Callable[[], None]] = {}
        self.yes.clicked.connect(lambda: self._answer(self.yes))
        self.no.clicked.connect(lambda: self._answer(self.no))
        self.hide()

    def offer(self, text: str, yes: Choice, no: Choice | None = None) -> None:
        self.text.setText(text)
        self.yes.setText(yes[0])
        self._choices = {self.yes: yes[1]}
        self.no.setVisible(no is not None)
        if no is not None:
            self.no.setText(no[0])
            self._choices[self.no] = no[1]
        self.show()

    def _answer(self, button: QPushButton) -> None:
        self.hide()
        action = self._choices.pop(button, None)
        self._choices.clear()
        if action is not None:
            action()
