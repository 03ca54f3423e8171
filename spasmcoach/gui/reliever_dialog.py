"""'I took a pain reliever': a small dialog for its name, the amount and the time (now unless changed).

The person writes what they took in their own words. The app never suggests a medicine or a dose: no
list of names, no completion, no default amount. Opened from the check-in page and from History.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core.diary import Reliever
from spasmcoach.core.diary.entries import MAX_AMOUNT, MAX_NAME
from spasmcoach.core.i18n import _

from .widgets import label


class RelieverDialog(QDialog):
    """Name, amount, time; Save checks them and stays open with a calm line if something is missing."""

    def __init__(self, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("A pain reliever you took"))
        self.setObjectName("page")
        self.setMinimumWidth(460)
        self.entry: Reliever | None = None
        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(_("As written on the pack"))
        self.name.setAccessibleName(_("Name of the pain reliever"))
        self.amount = QLineEdit()
        self.amount.setMaxLength(MAX_AMOUNT)
        self.amount.setPlaceholderText(_("In your own words (optional)"))
        self.amount.setAccessibleName(_("Amount taken"))
        moment = QDateTime.fromSecsSinceEpoch(int(now.timestamp()))
        self.time = QDateTimeEdit(moment)
        self.time.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.time.setCalendarPopup(True)
        self.time.setMaximumDateTime(moment)
        self.time.setAccessibleName(_("When you took it"))
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Amount"), self.amount)
        form.addRow(_("When"), self.time)
        self.problem = label("", "alert")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label(_("Write down what you took, as you took it. SpasmCoach never suggests a medicine "
                                 "or a dose; ask a pharmacist or doctor about those."), "muted"))  # fmt: skip
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def taken_at(self) -> datetime:
        """The chosen time as an aware local datetime."""
        moment = datetime.fromtimestamp(self.time.dateTime().toSecsSinceEpoch())
        return moment.astimezone()

    def save(self) -> None:
        """Check the answers; accept with :attr:`entry` set, or say what is missing."""
        try:
            self.entry = Reliever.build(self.name.text(), self.amount.text(), self.taken_at())
        except ValueError as exc:
            self.problem.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            self.problem.show()
            self.name.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, now: datetime, parent: QWidget | None = None) -> Reliever | None:
        """Show the dialog; the entry, or None if cancelled (tests monkeypatch this)."""
        dialog = cls(now, parent)
        return dialog.entry if dialog.exec() == QDialog.DialogCode.Accepted else None
