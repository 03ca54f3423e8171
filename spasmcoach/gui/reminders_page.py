"""The Reminders page (Ctrl+5): stand and stretch after time at the computer, routines at set times, quiet hours.

Every change is saved at once to the same ``reminders.json`` that ``spasmcoach reminders`` edits, through
the running :class:`.reminder_wiring.ReminderWiring` (seen here as a :class:`ReminderControl`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import time
from typing import Protocol

from PySide6.QtCore import Qt, QTime, SignalInstance
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core.i18n import N_, _
from spasmcoach.core.loader import Library
from spasmcoach.core.reminders.model import (
    MAX_BREAK_MINUTES,
    MIN_BREAK_MINUTES,
    QuietHours,
    ReminderSettings,
    RoutineReminder,
)

DAY_NAMES = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


class ReminderControl(Protocol):
    """What the page needs of the reminders' driver."""

    @property
    def changed(self) -> SignalInstance: ...
    @property
    def settings(self) -> ReminderSettings: ...
    def apply(self, settings: ReminderSettings) -> bool: ...
    def reload(self) -> None: ...
    def next_text(self) -> str: ...
    def idle_text(self) -> str: ...


def days_label(days: frozenset[int]) -> str:
    """ "every day", "weekdays", "weekends" or "Mon, Wed, Fri", in the chosen language."""
    if days == frozenset(range(7)):
        return _("every day")
    if days == frozenset(range(5)):
        return _("weekdays")
    if days == frozenset({5, 6}):
        return _("weekends")
    return ", ".join(_(DAY_NAMES[d]) for d in sorted(days))


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    # never squeezed below its natural height (controls would be cut in half): the page scrolls instead
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 16, 20, 16)
    layout.setSpacing(10)
    heading = QLabel(title)
    heading.setObjectName("heading")
    layout.addWidget(heading)
    return frame, layout


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def _left(widget: QWidget) -> QHBoxLayout:
    """``widget`` at its own width on the left, not stretched across a wide window."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


def _clock(value: QTime) -> time:
    return time(value.hour(), value.minute())


class ReminderPage(QWidget):
    """The three reminder settings, each saved as soon as it changes."""

    def __init__(self, control: ReminderControl, library: Callable[[], Library]) -> None:
        super().__init__()
        self.setObjectName("page")
        self.control = control
        self.library = library
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 24)
        outer.setSpacing(14)
        title = QLabel(_("Reminders"))
        title.setObjectName("title")
        outer.addWidget(title)
        intro = QLabel(_("Gentle nudges to move. You can snooze or skip any of them. Ice and heat alerts always "
                         "sound, whatever is set here."))  # fmt: skip
        intro.setObjectName("subtitle")
        intro.setWordWrap(True)
        outer.addWidget(intro)
        outer.addWidget(self._break_card())
        outer.addWidget(self._routines_card())
        outer.addWidget(self._quiet_card())
        outer.addStretch(1)
        self._load()
        control.changed.connect(self.refresh)

    # -- building ------------------------------------------------------------------------------------
    def _break_card(self) -> QFrame:
        frame, layout = _card(_("Stand up and stretch"))
        self.break_on = QCheckBox(_("Remind me to stand up and stretch"))
        layout.addWidget(self.break_on)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("After")))
        self.minutes = QSpinBox()
        self.minutes.setRange(MIN_BREAK_MINUTES, MAX_BREAK_MINUTES)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" " + _("min"))
        self.minutes.setAccessibleName(_("Minutes at the computer before the reminder"))
        row.addWidget(self.minutes)
        row.addWidget(QLabel(_("at the computer")))
        row.addStretch(1)
        layout.addLayout(row)
        self.idle_line = _muted()
        self.next_line = QLabel()
        self.next_line.setWordWrap(True)
        layout.addWidget(self.idle_line)
        layout.addWidget(self.next_line)
        self.break_on.toggled.connect(self._save_break)
        self.minutes.editingFinished.connect(self._save_break)
        return frame

    def _routines_card(self) -> QFrame:
        frame, layout = _card(_("Routines at set times"))
        self.planned = QListWidget()
        self.planned.setAccessibleName(_("Planned routines"))
        self.planned.setMaximumHeight(140)
        layout.addWidget(self.planned)
        self.empty_line = _muted(_("No routines planned yet."))
        layout.addWidget(self.empty_line)
        self.remove = QPushButton(_("Remove the selected reminder"))
        self.remove.clicked.connect(self._remove)
        layout.addLayout(_left(self.remove))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.routine_box = QComboBox()
        self.routine_box.setAccessibleName(_("Routine"))
        self.time_edit = QTimeEdit(QTime(8, 0))
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName(_("Time of day"))
        grid.addWidget(QLabel(_("Routine")), 0, 0)
        grid.addWidget(self.routine_box, 0, 1)
        grid.addWidget(QLabel(_("At")), 0, 2)
        grid.addWidget(self.time_edit, 0, 3)
        self.routine_box.setMinimumWidth(260)
        grid.setColumnStretch(4, 1)
        layout.addLayout(grid)
        days = QHBoxLayout()
        days.addWidget(QLabel(_("On")))
        self.day_boxes = [QCheckBox(_(name)) for name in DAY_NAMES]
        for box in self.day_boxes:
            box.setChecked(True)
            days.addWidget(box)
        days.addStretch(1)
        layout.addLayout(days)
        self.add = QPushButton(_("Add this reminder"))
        self.add.clicked.connect(self._add)
        self.add_problem = _muted()
        self.add_problem.hide()
        layout.addLayout(_left(self.add))
        layout.addWidget(self.add_problem)
        return frame

    def _quiet_card(self) -> QFrame:
        frame, layout = _card(_("Quiet hours"))
        self.quiet_on = QCheckBox(_("Hold reminders during quiet hours"))
        layout.addWidget(self.quiet_on)
        row = QHBoxLayout()
        self.quiet_start = QTimeEdit()
        self.quiet_end = QTimeEdit()
        for edit, name in ((self.quiet_start, _("Quiet hours start")), (self.quiet_end, _("Quiet hours end"))):
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName(name)
        row.addWidget(QLabel(_("From")))
        row.addWidget(self.quiet_start)
        row.addWidget(QLabel(_("to")))
        row.addWidget(self.quiet_end)
        row.addStretch(1)
        layout.addLayout(row)
        waits = _("Reminders also wait while a routine is on screen and while the desktop's do-not-disturb is on; "
                  "a reminder that waited is shown once afterwards.")  # fmt: skip
        layout.addWidget(_muted(waits))
        self.quiet_on.toggled.connect(self._save_quiet)
        self.quiet_start.editingFinished.connect(self._save_quiet)
        self.quiet_end.editingFinished.connect(self._save_quiet)
        return frame

    # -- showing --------------------------------------------------------------------------------------
    def _load(self) -> None:
        """Put the saved settings into the controls (without saving them back)."""
        settings = self.control.settings
        widgets = (self.break_on, self.minutes, self.quiet_on, self.quiet_start, self.quiet_end)
        for widget in widgets:
            widget.blockSignals(True)
        self.break_on.setChecked(settings.break_reminder.enabled)
        self.minutes.setValue(settings.break_reminder.minutes)
        self.quiet_on.setChecked(settings.quiet.enabled)
        self.quiet_start.setTime(QTime(settings.quiet.start.hour, settings.quiet.start.minute))
        self.quiet_end.setTime(QTime(settings.quiet.end.hour, settings.quiet.end.minute))
        for widget in widgets:
            widget.blockSignals(False)
        self._fill_routines()
        self._fill_planned()
        self.refresh()

    def _fill_routines(self) -> None:
        chosen = self.routine_box.currentData()
        self.routine_box.clear()
        for routine in self.library().sorted():
            self.routine_box.addItem(routine.title, routine.id)
        index = self.routine_box.findData(chosen)
        self.routine_box.setCurrentIndex(max(index, 0))

    def _fill_planned(self) -> None:
        self.planned.clear()
        library = self.library()
        for reminder in self.control.settings.routines:
            routine = library.get(reminder.routine)
            name = routine.title if routine is not None else reminder.routine
            times = ", ".join(t.strftime("%H:%M") for t in reminder.times)
            text = _("{routine} at {times}, {days}").format(routine=name, times=times, days=days_label(reminder.days))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, reminder.id)
            self.planned.addItem(item)
        has_any = self.planned.count() > 0
        self.planned.setVisible(has_any)
        self.remove.setVisible(has_any)
        self.empty_line.setVisible(not has_any)
        if has_any:
            self.planned.setCurrentRow(0)

    def refresh(self) -> None:
        """The lines that change on their own: where the count comes from, and the next reminder."""
        self.idle_line.setText(self.control.idle_text())
        self.idle_line.setVisible(bool(self.idle_line.text()) and self.break_on.isChecked())
        text = self.control.next_text()
        self.next_line.setText(text)
        self.next_line.setVisible(bool(text))
        self.minutes.setEnabled(self.break_on.isChecked())

    def showEvent(self, event: QShowEvent) -> None:
        """Show what is in force: the terminal may have changed the settings, the library may have been reloaded."""
        self.control.reload()
        self._load()
        super().showEvent(event)

    # -- saving ---------------------------------------------------------------------------------------
    def _apply(self, settings: ReminderSettings) -> None:
        if not self.control.apply(settings):
            self._load()  # not saved: show what is in force
        self.refresh()

    def _save_break(self) -> None:
        settings = self.control.settings
        brk = replace(settings.break_reminder, enabled=self.break_on.isChecked(), minutes=self.minutes.value())
        if brk != settings.break_reminder:
            self._apply(replace(settings, break_reminder=brk, offered=True))

    def _save_quiet(self) -> None:
        settings = self.control.settings
        quiet = QuietHours(self.quiet_on.isChecked(), _clock(self.quiet_start.time()), _clock(self.quiet_end.time()))
        if quiet != settings.quiet:
            self._apply(replace(settings, quiet=quiet))

    def _add(self) -> None:
        routine = self.routine_box.currentData()
        days = frozenset(i for i, box in enumerate(self.day_boxes) if box.isChecked())
        if not isinstance(routine, str):
            self._problem(_("Choose a routine first."))
            return
        if not days:
            self._problem(_("Tick at least one day of the week."))
            return
        settings = self.control.settings
        when = _clock(self.time_edit.time())
        reminder = RoutineReminder(settings.new_id(routine), routine, (when,), days)
        self.add_problem.hide()
        self._apply(settings.with_routine(reminder))
        self._fill_planned()
        self.planned.setCurrentRow(self.planned.count() - 1)

    def _problem(self, text: str) -> None:
        self.add_problem.setText(text)
        self.add_problem.show()

    def _remove(self) -> None:
        item = self.planned.currentItem()
        if item is None:
            return
        self._apply(self.control.settings.without(str(item.data(Qt.ItemDataRole.UserRole))))
        self._fill_planned()
        self.planned.setFocus()
