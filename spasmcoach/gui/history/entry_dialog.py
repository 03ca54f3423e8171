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
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core.history import SessionRow, StopRow
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
        self.setWindowTitle("Change the pain ratings")
        layout.addWidget(label(f"{entry.title}, {when_text(entry.started, gap='  ')}", "heading"))
        self.before = self._pain_box("Pain before", entry.pain_before)
        self.after = self._pain_box("Pain after", entry.pain_after)
        grid = QGridLayout()
        grid.addWidget(label("Pain before (0 = none, 10 = worst)"), 0, 0)
        grid.addWidget(self.before, 0, 1)
        grid.addWidget(label("Pain after"), 1, 0)
        grid.addWidget(self.after, 1, 1)
        layout.addLayout(grid)

    def _build_stop(self, layout: QVBoxLayout, entry: StopRow) -> None:
        """Pain at the stop, the symptoms noticed and a note."""
        self.setWindowTitle("Change this pain stop")
        when = when_text(entry.time, gap="  ")
        layout.addWidget(label(f"{entry.title}: stopped at {entry.where}, {when}", "heading"))
        self.pain = self._pain_box("Pain at the stop", entry.pain)
        row = QHBoxLayout()
        row.addWidget(label("Pain at the stop (0 = none, 10 = worst)"))
        row.addWidget(self.pain)
        layout.addLayout(row)
        layout.addWidget(label("What did you notice?"))
        boxes = QGridLayout()
        for index, key in enumerate(SYMPTOMS):
            box = QCheckBox(SYMPTOM_LABELS.get(key, key.capitalize()))
            box.setAccessibleName(SYMPTOM_LABELS.get(key, key))
            box.setChecked(key in entry.symptoms)
            self.symptom_boxes[key] = box
            boxes.addWidget(box, index // 3, index % 3)
        layout.addLayout(boxes)
        # Kept as they were: the dialog only offers the standard symptoms.
        self._extra_symptoms = [s for s in entry.symptoms if s not in SYMPTOMS]
        self.note = QPlainTextEdit(entry.note or "")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("A note for yourself or your clinician (optional)")
        self.note.setMaximumHeight(110)
        layout.addWidget(self.note)

    @staticmethod
    def _pain_box(name: str, value: int | None) -> QComboBox:
        """'Not rated' or 0–10, large."""
        box = QComboBox()
        box.setAccessibleName(name)
        box.addItem("Not rated", None)
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
