"""The dialog that corrects one history entry: a session's pain ratings, or a pain stop's details."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core.history import SessionRow, StopRow
from spasmcoach.core.i18n import _
from spasmcoach.core.session import SYMPTOM_LABELS, SYMPTOMS
from spasmcoach.core.wording import when_text

from ..widgets import label

__all__ = ["SYMPTOM_LABELS", "EntryDialog"]


class EntryDialog(QDialog):
    """Edit a session's pain ratings, or a pain stop's pain, symptoms and note."""

    def __init__(self, entry: SessionRow | StopRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setModal(True)
        self.setMinimumWidth(680)
        self.symptom_boxes: dict[str, QCheckBox] = {}
        self.note: QPlainTextEdit | None = None
        self._extra_symptoms: list[str] = []
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        if isinstance(entry, SessionRow):
            self._build_session(layout, entry)
        else:
            self._build_stop(layout, entry)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(max(680, layout.minimumSize().width()))  # wide enough for every symptom's words

    @classmethod
    def ask(cls, entry: SessionRow | StopRow, parent: QWidget | None = None) -> dict[str, Any] | None:
        """Show the dialog and return the chosen values (None: cancelled); tests monkeypatch this."""
        dialog = cls(entry, parent)
        try:
            return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _build_session(self, layout: QVBoxLayout, entry: SessionRow) -> None:
        """Pain before and after."""
        self.setWindowTitle(_("Change the pain ratings"))
        when = when_text(entry.started, gap="  ")
        layout.addWidget(label(_("{title}, {when}").format(title=entry.title, when=when), "heading"))
        self.before = self._pain_box(_("Pain before"), entry.pain_before)
        self.after = self._pain_box(_("Pain after"), entry.pain_after)
        grid = QGridLayout()
        grid.addWidget(label(_("Pain before (0 = none, 10 = worst)")), 0, 0)
        grid.addWidget(self.before, 0, 1)
        grid.addWidget(label(_("Pain after")), 1, 0)
        grid.addWidget(self.after, 1, 1)
        layout.addLayout(grid)

    def _build_stop(self, layout: QVBoxLayout, entry: StopRow) -> None:
        """Pain at the stop, the symptoms noticed and a note."""
        self.setWindowTitle(_("Change this pain stop"))
        when = when_text(entry.time, gap="  ")
        heading = _("{routine}: stopped at {step}, {when}").format(routine=entry.title, step=entry.where, when=when)
        layout.addWidget(label(heading, "heading"))
        self.pain = self._pain_box(_("Pain at the stop"), entry.pain)
        row = QHBoxLayout()
        row.addWidget(label(_("Pain at the stop (0 = none, 10 = worst)")))
        row.addWidget(self.pain)
        layout.addLayout(row)
        layout.addWidget(label(_("What did you notice?")))
        boxes = QGridLayout()
        for index, key in enumerate(SYMPTOMS):
            box = QCheckBox(SYMPTOM_LABELS.get(key, key.capitalize()))
            box.setAccessibleName(SYMPTOM_LABELS.get(key, key))
            box.setChecked(key in entry.symptoms)
            # Never cut (a red-flag sign must read whole): the dialog widens instead; two columns fit 1024 px.
            box.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            self.symptom_boxes[key] = box
            boxes.addWidget(box, index // 2, index % 2)
        layout.addLayout(boxes)
        # Kept as they were: the dialog only offers the standard symptoms.
        self._extra_symptoms = [s for s in entry.symptoms if s not in SYMPTOMS]
        self.note = QPlainTextEdit(entry.note or "")
        self.note.setAccessibleName(_("Note"))
        self.note.setPlaceholderText(_("A note for yourself or your clinician (optional)"))
        self.note.setMaximumHeight(110)
        layout.addWidget(self.note)

    @staticmethod
    def _pain_box(name: str, value: int | None) -> QComboBox:
        """'Not rated' or 0–10, large."""
        box = QComboBox()
        box.setAccessibleName(name)
        box.addItem(_("Not rated"), None)
        for pain in range(11):
            box.addItem(str(pain), pain)
        box.setCurrentIndex(0 if value is None else value + 1)
        box.setMinimumWidth(140)
        return box

    def values(self) -> dict[str, Any]:
        """The chosen values: {'before', 'after'} for a session; {'pain', 'symptoms', 'note'} for a stop."""
        if isinstance(self.entry, SessionRow):
            return {"before": self.before.currentData(), "after": self.after.currentData()}
        symptoms = [key for key, box in self.symptom_boxes.items() if box.isChecked()] + self._extra_symptoms
        note = self.note.toPlainText().strip() if self.note is not None else ""
        return {"pain": self.pain.currentData(), "symptoms": symptoms, "note": note or None}
