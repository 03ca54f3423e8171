"""One form row per field of the routine format, built from the core's field table, with the loader's
message for that field shown right under it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from spasmcoach.core.editing.draft import FieldSpec, Kind
from spasmcoach.core.i18n import _

from ..widgets import label

CONTROL_HEIGHT = 40


def choice_text(value: str) -> str:
    """How a choice such as ``lower-back`` reads in a drop-down: ``Lower back``."""
    return _(value.replace("-", " ").capitalize())


class FieldRow(QWidget):
    """A field's control and, under it, the loader's messages about it. Signal: changed()."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.control: QWidget
        if spec.kind is Kind.CHOICE:
            combo = QComboBox()
            if spec.optional_choice:
                combo.addItem(_("(none)"), "")
            for value in spec.choices:
                combo.addItem(choice_text(value), value)
            combo.currentIndexChanged.connect(self.changed)
            self.control = combo
        elif spec.kind in (Kind.TEXT, Kind.LINES):
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)  # Tab moves on; the keyboard never gets stuck in a text box
            text.setFixedHeight(84)
            text.textChanged.connect(self.changed)
            self.control = text
        else:
            line = QLineEdit()
            line.setMinimumHeight(CONTROL_HEIGHT)
            if spec.hint:
                line.setPlaceholderText(_(spec.hint))
            line.textChanged.connect(self.changed)
            self.control = line
        self.control.setAccessibleName(_(spec.label))
        if spec.hint:
            self.control.setToolTip(_(spec.hint))
        self.error = label("", "broken")
        self.error.setAccessibleName(_("Problem with {field}").format(field=_(spec.label)))
        self.error.hide()
        layout.addWidget(self.control)
        layout.addWidget(self.error)

    def value(self) -> str:
        control = self.control
        if isinstance(control, QComboBox):
            return str(control.currentData() or "")
        if isinstance(control, QPlainTextEdit):
            return control.toPlainText()
        assert isinstance(control, QLineEdit)
        return control.text()

    def set_value(self, value: str) -> None:
        """Show ``value`` without announcing a change (loading a draft is not an edit)."""
        control = self.control
        control.blockSignals(True)
        if isinstance(control, QComboBox):
            index = control.findData(value)
            if index < 0 and value:  # a value the file has but the table does not: keep it visible
                control.addItem(value, value)
                index = control.count() - 1
            control.setCurrentIndex(max(index, 0))
        elif isinstance(control, QPlainTextEdit):
            control.setPlainText(value)
        elif isinstance(control, QLineEdit):
            control.setText(value)
        control.blockSignals(False)

    def set_errors(self, messages: Sequence[str]) -> None:
        text = "\n".join(messages)
        self.error.setText(text)
        self.error.setVisible(bool(messages))
        self.control.setAccessibleDescription(text)  # a screen reader hears the problem with the field


class FieldForm(QWidget):
    """Rows for a list of field specs, in a two-column form. Signal: changed(key)."""

    changed = Signal(str)

    def __init__(self, specs: Iterable[FieldSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.rows: dict[str, FieldRow] = {}
        self.labels: dict[str, QLabel] = {}
        for spec in specs:
            row = FieldRow(spec)
            caption = QLabel(_(spec.label))
            caption.setBuddy(row.control)
            caption.setWordWrap(True)
            row.changed.connect(lambda key=spec.key: self.changed.emit(key))
            self.form.addRow(caption, row)
            self.rows[spec.key] = row
            self.labels[spec.key] = caption

    def load(self, values: dict[str, str]) -> None:
        for key, row in self.rows.items():
            row.set_value(values.get(key, ""))

    def values(self) -> dict[str, str]:
        return {key: row.value() for key, row in self.rows.items() if row.value() != ""}

    def set_visible(self, key: str, visible: bool) -> None:
        self.form.setRowVisible(self.rows[key], visible)

    def set_errors(self, errors: dict[str, list[str]]) -> None:
        for key, row in self.rows.items():
            row.set_errors(errors.get(key, []))
