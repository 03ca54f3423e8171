"""The routine library: every routine with its kind, area and length; filters, search and details.

Broken routine files are listed with their error instead of crashing or vanishing.
Signals: start_requested(str routine_id, list left_out_step_names).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from PySide6.QtCore import QEvent, Qt, Signal, SignalInstance
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core.durations import format_human
from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Event
from spasmcoach.core.loader import Library
from spasmcoach.core.model import Area, Position, Routine, RoutineKind, Sides, Step
from spasmcoach.core.positions import WHERE_LABELS
from spasmcoach.core.prescriptions import prescription_lines, review_mark, where_text
from spasmcoach.core.routine_text import area_label, kind_label
from spasmcoach.core.wording import ago as day_ago
from spasmcoach.core.yamlsource import RoutineFileError

from . import theme
from .editor.library_bar import Choice, EditButtons, OfferBar
from .widgets import label

ROLE_ID = Qt.ItemDataRole.UserRole
ROLE_ERROR = Qt.ItemDataRole.UserRole + 1


def ago(moment: datetime, now: datetime | None = None) -> str:
    """'3 days ago', 'yesterday', 'today' — how people say when something happened (in the local time zone)."""
    return day_ago(moment, now or datetime.now(UTC))


class LibraryView(QWidget):
    start_requested = Signal(str, list)
    checkin_requested = Signal()  # "How is your back?": the check-in page
    # -- editing (gui/editor): New, Duplicate, Edit, Delete by routine id --
    new_requested = Signal()
    duplicate_requested = Signal(str)
    edit_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(
        self,
        library: Library,
        *,
        last_stop: Callable[[str], Event | None] = lambda _id: None,
        stats: Callable[[str], str] = lambda _id: "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.library = library
        self._last_stop = last_stop
        self._stats = stats
        self._current: Routine | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search routines"))
        self.search.setAccessibleName(_("Search routines"))
        self.search.setClearButtonEnabled(True)
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(_("Filter by kind"))
        self.kind_filter.addItem(_("All kinds"), None)
        for kind in RoutineKind:
            self.kind_filter.addItem(kind_label(kind), kind.value)
        self.area_filter = QComboBox()
        self.area_filter.setAccessibleName(_("Filter by body area"))
        self.area_filter.addItem(_("All areas"), None)
        for area in Area:
            self.area_filter.addItem(area_label(area), area.value)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.area_filter, 1)
        # -- positions and prescriptions (issue 14): where the user is now; the prescription in the details --
        self.where_filter = QComboBox()
        self.where_filter.setAccessibleName(_("Where I am now"))
        for position, text in WHERE_LABELS.items():
            self.where_filter.addItem(_(text), position.value if position else None)
        where_row = QHBoxLayout()
        where_row.addWidget(label(_("Where I am now:"), "muted"))
        where_row.addWidget(self.where_filter, 1)

        self.list = QListWidget()
        self.list.setAccessibleName(_("Routines"))
        self.list.setSpacing(2)
        # a long title (German words are long) wraps onto a second line instead of hiding behind a sideways scroll
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        # wrapped rows are measured 100 at a time between other events: a library of 1,000 routines would
        # otherwise be measured in one go at the first paint (same rows in the end, no frozen window)
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(100)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(filters)
        left.addLayout(where_row)
        left.addWidget(self.list, 1)
        self.checkin_button = QPushButton(_("How is your back?  (Ctrl+4)"))
        self.checkin_button.setAccessibleName(_("How is your back? Record your pain now"))
        self.checkin_button.setToolTip(_("Record how your back is now, without a routine (Ctrl+4)"))
        self.checkin_button.setMinimumHeight(52)
        self.checkin_button.clicked.connect(self.checkin_requested)
        left.addWidget(self.checkin_button)
        left_widget = QWidget()
        left_widget.setLayout(left)

        self.title = label("", "title")
        self.meta = label("", "subtitle")
        self.summary = label("")
        self.prescription = label("", "prescription")  # who prescribed it, when, the review date, the note
        self.stats_label = label("", "muted")
        self.last_stop_label = label("", "lastStop")
        self.leave_out = QCheckBox()
        self.leave_out.setAccessibleName(_("Leave out the step that hurt last time"))
        self.cautions = label("")
        self.steps = label("")
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.start_button = QPushButton(_("Start"))
        self.start_button.setObjectName("primary")
        self.start_button.setAccessibleName(_("Start routine"))
        self.start_button.setToolTip(_("Start this routine (Enter)"))
        self.start_button.setMinimumHeight(60)
        details = QVBoxLayout()
        for widget in (self.title, self.meta, self.summary, self.prescription, self.stats_label, self.last_stop_label,
                       self.leave_out):  # fmt: skip
            details.addWidget(widget)
        self.cautions_heading = label(_("Before you start"), "heading")
        self.steps_heading = label(_("Steps"), "heading")  # "This file has errors" for a broken file
        details.addWidget(self.cautions_heading)
        details.addWidget(self.cautions)
        details.addWidget(self.steps_heading)
        details.addWidget(self.steps)
        details.addStretch(1)
        card = QFrame()
        card.setObjectName("card")
        card.setLayout(details)
        scroll = QScrollArea()
        scroll.setWidget(card)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(scroll, 1)
        # -- editing (gui/editor): the New / Duplicate / Edit / Delete row and the Undo / kept-draft bar --
        self.edit_buttons = EditButtons()
        self.edit_buttons.new.connect(self.new_requested)
        self.edit_buttons.duplicate.connect(lambda: self._emit_current(self.duplicate_requested))
        self.edit_buttons.edit.connect(lambda: self._emit_current(self.edit_requested))
        self.edit_buttons.delete.connect(lambda: self._emit_current(self.delete_requested))
        self.offer_bar = OfferBar()
        right.addWidget(self.offer_bar)
        right.addWidget(self.edit_buttons)
        # -- end of editing --
        right.addWidget(self.start_button)
        right_widget = QWidget()
        right_widget.setLayout(right)

        splitter = QSplitter()
        splitter.addWidget(left_widget)
        splitter.addWidget(right_widget)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(splitter)

        self.search.textChanged.connect(self._refill)
        self.kind_filter.currentIndexChanged.connect(self._refill)
        self.area_filter.currentIndexChanged.connect(self._refill)
        self.where_filter.currentIndexChanged.connect(self._refill)
        self.list.currentItemChanged.connect(self._show_current)
        self.list.itemActivated.connect(lambda _item: self._start())
        self.start_button.clicked.connect(self._start)
        self.set_library(library)

    # -- contents ---------------------------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        self.library = library
        self._refill()

    def _matches(self, routine: Routine) -> bool:
        kind, area = self.kind_filter.currentData(), self.area_filter.currentData()
        text = self.search.text().strip().lower()
        if kind and routine.kind != kind:
            return False
        if area and routine.area != area:
            return False
        where = self.where_filter.currentData()
        if not routine.fits(Position(where) if where else None):
            return False
        if text:
            haystack = " ".join([routine.title, routine.summary, routine.id] + [s.name for s in routine.steps]).lower()
            return all(word in haystack for word in text.split())
        return True

    def _refill(self) -> None:
        selected = self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        for routine in self.library.sorted():
            if not self._matches(routine):
                continue
            origin = " · " + _("your routine") if routine.origin == "user" else ""
            mark = review_mark(routine, date.today())
            origin += f"\n⚑ {mark}" if mark else ""  # its own line: never cut off at the list's edge
            item = QListWidgetItem(f"{routine.title}\n{_meta(routine)}{origin}")
            item.setData(ROLE_ID, routine.id)
            item.setToolTip(routine.summary or routine.title)
            self.list.addItem(item)
        words = self.search.text().strip().lower().split()
        for error in self.library.errors:
            if not all(word in error.file.lower() for word in words):
                continue  # a search hides broken files whose name does not match it, as it hides routines
            first = error.problems[0]
            heading = _("{file} (cannot be used)").format(file=error.file)
            item = QListWidgetItem(f"⚠ {heading}\n{str(first).removeprefix(first.file + ':')}")
            item.setData(ROLE_ERROR, error)
            item.setForeground(QColor(theme.palette().broken))
            item.setToolTip(str(error))
            self.list.addItem(item)
        self.list.blockSignals(False)
        rows = [self.list.item(i).data(ROLE_ID) for i in range(self.list.count())]
        self.list.setCurrentRow(rows.index(selected) if selected in rows else 0)
        self._show_current()

    def changeEvent(self, event: QEvent) -> None:
        """A new theme: the broken files' rows take its colour for "cannot be used"."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            for row in range(self.list.count()):
                item = self.list.item(row)
                if item.data(ROLE_ERROR) is not None:
                    item.setForeground(QColor(theme.palette().broken))

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(ROLE_ID) if item is not None else None

    def select(self, routine_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ROLE_ID) == routine_id:
                self.list.setCurrentRow(row)
                return

    def _show_current(self, *_args: object) -> None:
        item = self.list.currentItem()
        error = item.data(ROLE_ERROR) if item is not None else None
        routine = self.library.get(item.data(ROLE_ID)) if item is not None and item.data(ROLE_ID) else None
        self._current = routine
        self.start_button.setEnabled(routine is not None)
        self.edit_buttons.follow(routine)  # editing (gui/editor)
        self.leave_out.hide()
        self.last_stop_label.hide()
        self.prescription.hide()
        self.cautions_heading.setVisible(routine is not None)
        self.cautions.setVisible(routine is not None)
        self.steps_heading.setVisible(routine is not None or isinstance(error, RoutineFileError))
        self.steps_heading.setText(_("Steps"))
        if isinstance(error, RoutineFileError):
            self._show_broken(error)
        elif routine is not None:
            self._show_routine(routine)
        else:
            self.title.setText(_("No routines match"))
            for widget in (self.meta, self.summary, self.cautions, self.steps, self.stats_label):
                widget.setText("")
            self.summary.setText(_("Clear the search or the filters to see every routine."))

    def _show_broken(self, error: RoutineFileError) -> None:
        self.title.setText(_("This routine file has mistakes"))
        self.meta.setText(error.file)
        self.summary.setText(_("It is skipped until it is fixed. Run “spasmcoach validate” for the same list."))
        self.stats_label.setText("")
        self.cautions.setText("")
        self.steps_heading.setText(_("This file has errors"))
        # exactly the lines `spasmcoach validate` prints: file:line:column: field: message (and the suggestion)
        self.steps.setText("<br>".join(_escape(str(p)).replace("\n", "<br>") for p in error.problems))

    def _show_routine(self, routine: Routine) -> None:
        self.title.setText(routine.title)
        self.meta.setText(_meta(routine))
        self.summary.setText(routine.summary)
        where = where_text(routine)
        if where:
            self.meta.setText(self.meta.text() + " · " + where)
        self.prescription.setText("\n".join(prescription_lines(routine, date.today())))
        self.prescription.setVisible(bool(self.prescription.text()))
        self.stats_label.setText(self._stats(routine.id))
        self.stats_label.setVisible(bool(self.stats_label.text()))
        cautions = routine.cautions or (_("Stop at once if pain increases."),)
        self.cautions.setText("\n".join(f"•  {c}" for c in cautions))
        rows = [f"<b>{_escape(step.name)}</b> — {_escape(_length(step))}" for step in routine.steps]
        self.steps.setText("<br>".join(rows))
        stop = self._last_stop(routine.id)
        if stop is not None and stop.step and any(s.name == stop.step for s in routine.steps):
            self.last_stop_label.setText(
                _("Last time: stopped at {step} because pain increased, {when}.").format(
                    step=stop.step, when=ago(stop.time)
                )
            )
            self.last_stop_label.show()
            self.leave_out.setText(_("Leave out “{step}” this time").format(step=stop.step))
            self.leave_out.setProperty("step", stop.step)
            self.leave_out.setChecked(True)
            self.leave_out.show()

    def _start(self) -> None:
        if self._current is None:
            return
        left_out = (
            [self.leave_out.property("step")] if not self.leave_out.isHidden() and self.leave_out.isChecked() else []
        )
        if len(left_out) == len(self._current.steps):
            left_out = []  # never leave out every step; the before-start page shows the cautions again
        self.start_button.setFocus()
        self.start_requested.emit(self._current.id, left_out)

    # -- editing (gui/editor) ---------------------------------------------------------------------------
    def _emit_current(self, signal: SignalInstance) -> None:
        if self._current is not None:
            signal.emit(self._current.id)

    def offer(self, text: str, yes: Choice, no: Choice | None = None) -> None:
        """A calm line above the buttons with a choice: Undo a delete, reopen kept changes."""
        self.offer_bar.offer(text, yes, no)
        self.offer_bar.yes.setFocus()

    # -- end of editing --
    def refresh_details(self) -> None:
        """Re-read the journal-based parts (after a session ended)."""
        self._show_current()


def _meta(routine: Routine) -> str:
    """'Stretch · Lower back · 8 min': kind, body area and length in the chosen language."""
    parts = [kind_label(routine.kind), area_label(routine.area), format_human(routine.total)]
    return " · ".join(part for part in parts if part)


def _length(step: Step) -> str:
    """'3 × 20 s hold, each side', or the step's length when it is one timed block."""
    if step.hold is None:
        return format_human(step.duration or 0)
    hold = format_human(step.hold)
    if step.reps > 1:
        hold = _("{count} × {length} hold").format(count=step.reps, length=hold)
    else:
        hold = _("{length} hold").format(length=hold)
    sides = {
        Sides.BOTH: _("{hold}, each side"), Sides.LEFT: _("{hold}, left side"), Sides.RIGHT: _("{hold}, right side"),
    }  # fmt: skip
    return sides[step.sides].format(hold=hold) if step.sides in sides else hold


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
