"""The form of one step: its fields from the core's table, one timed block or holds, and its picture.

Signals: changed() after any edit, pick_picture() when the user asks to choose a picture.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QRadioButton, QVBoxLayout, QWidget

from spasmcoach.core.editing.draft import PICTURE, STEP_FIELDS, TIMING, StepDraft, Timing
from spasmcoach.core.i18n import _

from ..widgets import label
from .fields import FieldForm
from .picture_picker import Thumbnail


class StepForm(QWidget):
    changed = Signal()
    pick_picture = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = StepDraft()
        self.heading = label("", "heading")
        self.block = QRadioButton(_("One timed block"))
        self.holds = QRadioButton(_("Holds with repetitions"))
        self.block.setAccessibleName(_("Timed as one block"))
        self.holds.setAccessibleName(_("Timed as holds with repetitions"))
        group = QButtonGroup(self)
        group.addButton(self.block)
        group.addButton(self.holds)
        self.block.toggled.connect(self._timing_changed)
        timing = QHBoxLayout()
        timing.addWidget(self.block)
        timing.addWidget(self.holds)
        timing.addStretch(1)
        self.timing_error = label("", "broken")
        self.timing_error.hide()
        self.form = FieldForm(STEP_FIELDS)
        self.form.changed.connect(self._field_changed)

        self.thumbnail = Thumbnail(QSize(120, 90))
        self.picture_name = QLabel()
        self.picture_name.setWordWrap(True)
        self.choose_button = QPushButton(_("Choose picture…"))
        self.choose_button.setAccessibleName(_("Choose a picture for this step"))
        self.choose_button.clicked.connect(self.pick_picture)
        self.clear_button = QPushButton(_("No picture"))
        self.clear_button.clicked.connect(lambda: self.set_images([]))
        self.picture_error = label("", "broken")
        self.picture_error.hide()
        picture_buttons = QVBoxLayout()
        picture_buttons.addWidget(self.picture_name)
        picture_buttons.addWidget(self.choose_button)
        picture_buttons.addWidget(self.clear_button)
        picture_buttons.addStretch(1)
        picture = QHBoxLayout()
        picture.addWidget(self.thumbnail)
        picture.addLayout(picture_buttons, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(label(_("How is it timed?"), "muted"))
        layout.addLayout(timing)
        layout.addWidget(self.timing_error)
        layout.addWidget(self.form)
        layout.addWidget(label(_("Picture"), "muted"))
        layout.addLayout(picture)
        layout.addWidget(self.picture_error)

    def load(self, step: StepDraft, number: int) -> None:
        """Show ``step`` (the form edits this object in place)."""
        self.step = step
        self.heading.setText(_("Step {number}").format(number=number))
        for button in (self.block, self.holds):
            button.blockSignals(True)
        self.block.setChecked(step.timing is Timing.DURATION)
        self.holds.setChecked(step.timing is Timing.HOLD)
        for button in (self.block, self.holds):
            button.blockSignals(False)
        self.form.load(step.values)
        self._show_timing()
        self._show_picture()

    def set_images(self, names: list[str]) -> None:
        self.step.images = names
        self._show_picture()
        self.changed.emit()

    def set_errors(self, errors: dict[str, list[str]]) -> None:
        self.form.set_errors(errors)
        for widget, key in ((self.timing_error, TIMING), (self.picture_error, PICTURE)):
            messages = errors.get(key, []) + (errors.get("", []) if key == TIMING else [])
            widget.setText("\n".join(messages))
            widget.setVisible(bool(messages))

    def _field_changed(self, _key: str) -> None:
        # keep what is typed in hidden timing fields, so switching back and forth loses nothing
        kept = {k: v for k, v in self.step.values.items() if k not in self.form.rows}
        self.step.values = {**kept, **self.form.values()}
        self.changed.emit()

    def _timing_changed(self) -> None:
        self.step.timing = Timing.DURATION if self.block.isChecked() else Timing.HOLD
        if self.step.timing is Timing.HOLD and not self.step.get("hold"):
            self.form.rows["hold"].set_value("20s")
            self.step.values["hold"] = "20s"
        if self.step.timing is Timing.DURATION and not self.step.get("duration"):
            self.form.rows["duration"].set_value("30s")
            self.step.values["duration"] = "30s"
        self._show_timing()
        self.changed.emit()

    def _show_timing(self) -> None:
        hold = self.step.timing is Timing.HOLD
        for spec in self.form.rows.values():
            if spec.spec.hold_only:
                self.form.set_visible(spec.spec.key, hold)
            elif spec.spec.duration_only:
                self.form.set_visible(spec.spec.key, not hold)

    def _show_picture(self) -> None:
        from spasmcoach.core import loader

        names = self.step.images
        if not names:
            self.picture_name.setText(_("No picture"))
            self.thumbnail.show_picture(None)
            return
        count = len(names)
        self.picture_name.setText(
            names[0] if count == 1 else _("{name} and {more} more frames").format(name=names[0], more=count - 1)
        )
        path: Path | None = None
        try:
            path = loader.find_image(names[0], loader.image_dirs())
        except Exception:  # an unsafe name: the loader's message says why, under the picture
            path = None
        self.thumbnail.show_picture(path)
