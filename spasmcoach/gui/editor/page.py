"""The editor page: the routine's form, its steps and the chosen step's form, the loader's messages beside
each field, the live total and timeline, and Save / Try it / Leave.

Esc leaves (asking first if anything is unsaved); it is never a pain stop here, as nothing is running.
Signals: left(), saved(str routine_id), try_requested(Routine).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core.i18n import _, ngettext

from ..built_in_parts import BuiltInParts
from ..widgets import label, scrolling

if TYPE_CHECKING:  # the editor's own modules (and PyYAML, the loader) load over the turns after the first part
    from spasmcoach.core.editing.check import Checked
    from spasmcoach.core.editing.draft import RoutineDraft, StepDraft

    from .fields import FieldForm
    from .step_form import StepForm
    from .step_list import StepList
    from .validation import DraftKeeper, LiveCheck

WIDE = 1400  # pixels: from this width the routine and its steps sit side by side

# What the later parts make (gui/built_in_parts.py): asking for one first builds the rest at once.
LATER = frozenset(
    {"draft", "taken", "_saved_text", "_current", "check", "keeper", "routine_form", "routine_errors", "steps",
     "step_form", "total", "timeline", "_cards"}
)  # fmt: skip


class Unsaved(Enum):
    SAVE = "save"
    DISCARD = "discard"
    KEEP = "keep"


def _card(parent: QWidget, title: str, *widgets: QWidget) -> QFrame:
    card = QFrame(parent)
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.addWidget(label(title, "heading"))
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)  # room to spare goes below the fields, never between them
    return card


class EditorPage(BuiltInParts, QWidget):
    """The routine editor. Its title, buttons and status are built at once; the routine's form, the steps
    and the timeline over the next turns, each after the modules it needs (``build_in_parts``). A draft
    opened meanwhile is shown once they are there (:meth:`open_later`)."""

    left = Signal()
    saved = Signal(str)
    try_requested = Signal(object)
    LATER = LATER

    draft: RoutineDraft
    taken: set[str]
    _saved_text: str
    _current: int
    check: LiveCheck
    keeper: DraftKeeper
    routine_form: FieldForm
    routine_errors: QLabel
    steps: StepList
    step_form: StepForm
    total: QLabel
    timeline: QPlainTextEdit
    _cards: tuple[QFrame, QFrame, QFrame]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._pending: Callable[[], None] | None = None
        self.heading = label("", "title")
        self.try_button = QPushButton(_("Try it"))
        self.try_button.setToolTip(_("Play the routine as it is now, without saving it"))
        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip(_("Save the routine (Ctrl+S)"))
        self.leave_button = QPushButton(_("Leave the editor"))
        self.leave_button.setToolTip(_("Back to the routines (Esc); asks first if something is not saved"))
        self.try_button.clicked.connect(self.try_it)
        self.save_button.clicked.connect(self.save)
        self.leave_button.clicked.connect(self.leave)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        for button in (self.leave_button, self.try_button, self.save_button):
            button.setMinimumHeight(48)
            top.addWidget(button)
        self.warning = label("", "notice")
        self.warning.hide()
        self.status = label("", "subtitle")
        self.status.setAccessibleName(_("Editor status"))

        self.content = QWidget()
        self.content.setObjectName("page")
        self.cards = QGridLayout(self.content)
        self.cards.setContentsMargins(0, 0, 12, 0)
        self.cards.setColumnStretch(0, 1)
        self._wide: bool | None = False  # the cards are added one above the other as they are built
        self.form_scroll = scrolling(self.content)  # the form scrolls; the title, Save and Leave stay in view
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.status)
        layout.addWidget(self.form_scroll, 1)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.leave)
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)
        # Until the form is there, the page itself holds the focus: a key typed meanwhile builds the rest at
        # once and goes where it belongs then (see event()), never to a button of the top row.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.build_in_parts(self._build_rest())

    def _build_rest(self) -> Iterator[None]:
        """The later parts, one per turn; each import of some milliseconds on a turn of its own."""
        from spasmcoach.core.editing import draft as drafts  # PyYAML and the loader

        yield
        from . import validation

        yield
        self.draft = drafts.RoutineDraft()
        self.taken = set()
        self._saved_text = drafts.to_yaml(self.draft)
        self._current = 0
        self.check = validation.LiveCheck(lambda: self.draft, self)
        self.check.checked.connect(self._show_checked)
        self.keeper = validation.DraftKeeper(lambda: self.draft, self)
        from .fields import FieldForm

        yield
        self.routine_form = FieldForm(drafts.ROUTINE_FIELDS)
        self.routine_form.changed.connect(self._routine_changed)
        self.routine_errors = label("", "broken")
        self.routine_errors.hide()
        routine = _card(self.content, _("The routine"), self.routine_form, self.routine_errors)
        self.cards.addWidget(routine, 0, 0)  # one above the other; _arrange places them when wide
        from .step_form import StepForm
        from .step_list import StepList

        yield
        self.steps = StepList()
        self.steps.selected.connect(self._select_step)
        self.steps.reordered.connect(self._reorder)
        self.steps.add.connect(self._add_step)
        self.steps.duplicate.connect(self._duplicate_step)
        self.steps.remove.connect(self._remove_step)
        self.step_form = StepForm()
        self.step_form.changed.connect(self._step_changed)
        self.step_form.pick_picture.connect(self._pick_picture)
        steps_row = QWidget()  # the list above the chosen step's form: narrow windows need no sideways scrolling
        steps_layout = QVBoxLayout(steps_row)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        steps_layout.addWidget(self.steps)
        steps_layout.addWidget(self.step_form)
        steps = _card(self.content, _("Steps"), steps_row)
        self.cards.addWidget(steps, 1, 0)
        yield
        self.total = label("", "subtitle")
        self.timeline = QPlainTextEdit()
        self.timeline.setReadOnly(True)
        self.timeline.setAccessibleName(_("Timeline"))
        self.timeline.setFont(QFont("monospace"))
        self.timeline.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.timeline.setMinimumHeight(180)
        self.timeline.setTabChangesFocus(True)
        timeline = _card(self.content, _("Timeline"), self.total, self.timeline)
        self.cards.addWidget(timeline, 2, 0)
        self._cards = (routine, steps, timeline)
        self._arrange(wide=self.width() >= WIDE)
        self.setTabOrder(self.save_button, self.routine_form.rows[drafts.ROUTINE_FIELDS[0].key].control)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(True)  # Enter presses the focused button, as on every other page
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        pending, self._pending = self._pending, None
        if pending is not None:
            pending()
        elif self.hasFocus():
            self.focusNextChild()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.is_built():
            self.setFocus()

    def event(self, event: QEvent) -> bool:
        """A key pressed before the last part has run (Tab included): build the rest now and pass the key on
        to the widget that has the focus then (the title field, for a routine being opened)."""
        if event.type() == QEvent.Type.KeyPress and self.finish_building():
            target = QApplication.focusWidget()
            if target is not None and target is not self:
                QApplication.sendEvent(target, event)
                return True
        return super().event(event)

    def _arrange(self, *, wide: bool) -> None:
        """Side by side on a wide window (the routine beside its steps), one above the other otherwise."""
        if wide == self._wide:
            return
        self._wide = wide
        routine, steps, timeline = self._cards
        for card in self._cards:
            self.cards.removeWidget(card)
        if wide:
            self.cards.addWidget(routine, 0, 0)
            self.cards.addWidget(timeline, 1, 0)
            self.cards.addWidget(steps, 0, 1, 2, 1)
            self.cards.setColumnStretch(0, 2)
            self.cards.setColumnStretch(1, 3)
        else:
            for row, card in enumerate(self._cards):
                self.cards.addWidget(card, row, 0)
            self.cards.setColumnStretch(0, 1)
            self.cards.setColumnStretch(1, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.is_built():  # until then the cards are still coming; the last part arranges them
            self._arrange(wide=event.size().width() >= WIDE)

    # -- opening -----------------------------------------------------------------------------------
    def open_later(self, opening: Callable[[], None]) -> None:
        """Call ``opening`` (which opens a draft) once the page is built: now if it is, else after its last part.
        Only the newest request is kept."""
        if self.is_built():
            opening()
        else:
            self._pending = opening

    def open_draft(
        self, draft: RoutineDraft, *, taken: set[str], rewrites: bool = False, draft_key: str | None = None,
        saved_text: str | None = None,
    ) -> None:  # fmt: skip
        """Edit ``draft``. ``rewrites``: its file was written by hand and saving will not keep its layout.
        ``saved_text``: the text the file has now (None: nothing is saved yet, so everything is new)."""
        from spasmcoach.core.editing.draft import ROUTINE_FIELDS
        from spasmcoach.core.editing.files import previous_path

        self.finish_building()
        self.draft = draft
        self.taken = taken
        self._saved_text = saved_text if saved_text is not None else ""
        self.keeper.begin(draft_key)
        title = draft.get("title")
        if draft.source:
            self.heading.setText(_("Edit “{title}”").format(title=title))
        else:
            self.heading.setText(_("New routine") if not title else _("New routine: “{title}”").format(title=title))
        self.warning.setText(
            _("This file was written by hand. Saving rewrites it in the editor's own layout: its comments and "
              "key order are not kept. The current file is kept beside it as {name}.").format(
                name=previous_path(Path(draft.source or "routine.yaml")).name)
        )  # fmt: skip
        self.warning.setVisible(rewrites)
        self.status.setText("")
        self.routine_form.load(draft.values)
        self._current = 0
        self._refresh_steps()
        self.check.check_now()
        if draft_key is not None:  # work brought back from a kept draft is unsaved: keep it kept
            self.keeper.schedule()
        self.routine_form.rows[ROUTINE_FIELDS[0].key].control.setFocus()

    def is_dirty(self) -> bool:
        from spasmcoach.core.editing.draft import to_yaml

        return to_yaml(self.draft) != self._saved_text

    # -- editing -----------------------------------------------------------------------------------
    def _changed(self) -> None:
        self.status.setText(_("Not saved yet") if self.is_dirty() else "")
        self.check.schedule()
        self.keeper.schedule()

    def _routine_changed(self, _key: str) -> None:
        self.draft.values = self.routine_form.values()
        self._changed()

    def _step_changed(self) -> None:
        self._refresh_list()
        self._changed()

    def _refresh_list(self) -> None:
        checked = self.check.last
        problems = [bool(checked and checked.for_step(i)) for i in range(len(self.draft.steps))]
        titles = [s.get("name") or _("(no name yet)") for s in self.draft.steps]
        self.steps.show_steps(titles, self._current, problems)

    def _refresh_steps(self) -> None:
        self._current = min(self._current, len(self.draft.steps) - 1)
        self._refresh_list()
        if self.draft.steps:
            self.step_form.load(self.draft.steps[self._current], self._current + 1)
            self._show_step_errors()

    def _select_step(self, index: int) -> None:
        if 0 <= index < len(self.draft.steps) and index != self._current:
            self._current = index
            self.step_form.load(self.draft.steps[index], index + 1)
            self._show_step_errors()

    def _insert(self, step: StepDraft) -> None:
        self.draft.steps.insert(self._current + 1, step)
        self._current += 1
        self._refresh_steps()
        self._changed()
        self.step_form.form.rows["name"].control.setFocus()

    def _add_step(self) -> None:
        from spasmcoach.core.editing.draft import new_step

        names = {s.get("name") for s in self.draft.steps}
        number = len(self.draft.steps) + 1
        step = new_step(number)
        while step.get("name") in names:  # a name of its own, in the words new_step uses
            number += 1
            step = new_step(number)
        self._insert(step)

    def _duplicate_step(self) -> None:
        if not self.draft.steps:
            return
        copy = self.draft.steps[self._current].copy()
        names = {s.get("name") for s in self.draft.steps}
        base = copy.get("name")
        name, number = _("{name} (again)").format(name=base), 2
        while name in names:
            name, number = _("{name} (again {number})").format(name=base, number=number), number + 1
        copy.values["name"] = name
        self._insert(copy)

    def _remove_step(self) -> None:
        if len(self.draft.steps) <= 1:
            return
        del self.draft.steps[self._current]
        self._current = max(0, self._current - 1)
        self._refresh_steps()
        self._changed()
        self.steps.list.setFocus()

    def _reorder(self, order: list[int]) -> None:
        current = self.draft.steps[self._current]
        self.draft.steps = [self.draft.steps[i] for i in order]
        self._current = self.draft.steps.index(current)
        self._refresh_steps()
        self._changed()
        self.steps.list.setFocus()

    def _pick_picture(self) -> None:
        from .picture_picker import PicturePicker

        step = self.draft.steps[self._current]
        name = PicturePicker.ask(self, step.images[0] if step.images else None)
        if name is not None:
            self.step_form.set_images([name])
        self.step_form.choose_button.setFocus()

    # -- checks --------------------------------------------------------------------------------------
    def _show_checked(self, checked: Checked) -> None:
        from spasmcoach.core.durations import format_human
        from spasmcoach.core.editing.check import timeline_lines

        routine_errors = {key: messages for (step, key), messages in checked.errors.items() if step is None}
        self.routine_form.set_errors(routine_errors)
        general = [m for key in ("", "steps") for m in routine_errors.get(key, [])]
        self.routine_errors.setText("\n".join(general))
        self.routine_errors.setVisible(bool(general))
        self._show_step_errors()
        self._refresh_list()
        if checked.routine is not None:
            self.total.setText(_("Total time: {time}").format(time=format_human(checked.routine.total)))
            self.timeline.setPlainText("\n".join(timeline_lines(checked.routine)))
        else:
            count = checked.count()
            self.total.setText(
                ngettext("{count} thing to fix before the routine can be played; it is marked in red.",
                         "{count} things to fix before the routine can be played; they are marked in red.",
                         count).format(count=count)
            )  # fmt: skip

    def _show_step_errors(self) -> None:
        checked = self.check.last
        errors = (
            {}
            if checked is None
            else {key: messages for (step, key), messages in checked.errors.items() if step == self._current}
        )
        self.step_form.set_errors(errors)

    # -- save, try, leave ---------------------------------------------------------------------------
    def save(self) -> bool:
        """Save if the loader accepts the routine; True when it is on disk."""
        from spasmcoach.core.editing import files
        from spasmcoach.core.editing.draft import to_yaml

        checked = self.check.check_now()
        if not checked.ok:
            self.status.setText(_("Not saved: first fix what is marked in red below."))
            return False
        if not self.draft.routine_id or (not self.draft.source and self.draft.routine_id in self.taken):
            self.draft.routine_id = files.free_id(self.draft.get("title"), self.taken)
        try:
            result = files.save(self.draft)
        except files.EditorFileError as exc:
            self.status.setText(_("Not saved: {reason}").format(reason=exc))
            return False
        self.draft.source = str(result.path)
        self._saved_text = to_yaml(self.draft)
        self.keeper.discard()
        self.warning.hide()
        self.heading.setText(_("Edit “{title}”").format(title=self.draft.get("title")))
        self.status.setText(_("Saved to {path}").format(path=result.path))
        self.saved.emit(self.draft.routine_id)
        return True

    def try_it(self) -> None:
        checked = self.check.check_now()
        if checked.routine is None:
            self.status.setText(_("It cannot be played yet: first fix what is marked in red below."))
            return
        self.keeper.write_now()
        self.try_requested.emit(checked.routine)

    def leave(self) -> None:
        from spasmcoach.core.editing.draft import to_yaml

        if self.is_dirty():
            answer = self.ask_unsaved(self)
            if answer is Unsaved.KEEP:
                return
            if answer is Unsaved.SAVE and not self.save():
                return
        self.keeper.discard()
        self._saved_text = to_yaml(self.draft)  # saved or thrown away on purpose: nothing left to ask about
        self.left.emit()

    @staticmethod
    def ask_unsaved(parent: QWidget) -> Unsaved:
        """Save, discard or keep editing (tests replace this)."""
        box = QMessageBox(parent)
        box.setWindowTitle(_("Unsaved changes"))
        box.setText(_("This routine has changes that are not saved yet."))
        save = box.addButton(_("Save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(_("Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        clicked = box.clickedButton()
        return Unsaved.SAVE if clicked is save else Unsaved.DISCARD if clicked is discard else Unsaved.KEEP
