"""Ice and heat timers in the window: start from a preset or a custom time, watch them, pause, add, cancel.

:class:`TimerDriver` wakes only when a timer's phase changes or, while the timers are on screen, when the
shown second changes; with the window hidden it sleeps until the next phase change.
Signals of TimerDriver: changed(), events(list of TimerEvent).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core import timers
from spasmcoach.core.durations import format_clock
from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Journal
from spasmcoach.core.locale_format import format_time
from spasmcoach.core.storage import utc_now
from spasmcoach.core.timers import (
    Therapy,
    TherapyTimer,
    TimerEvent,
    TimerEventKind,
    TimerManager,
    TimerPhase,
    TimerPreset,
    TimerState,
)

from . import theme
from .wake import WakeTimer, to_next_whole_second
from .widgets import label

CONFIRM_MS = 6000  # how long a first press of Cancel waits for the second


def phase_text(timer: TherapyTimer) -> str:
    """'Ice on · cycle 2 of 3', 'Break · cycle 1 of 3', 'Paused', 'Finished at 14:35'."""
    status = timer.status()
    if status.state is TimerState.FINISHED:
        when = format_time(status.finished_at.astimezone()) if status.finished_at else ""
        return _("Finished at {time}").format(time=when)
    if status.state is TimerState.CANCELLED:
        return _("Cancelled")
    on = _("{therapy} on").format(therapy=status.preset.therapy.label)
    what = on if status.phase is TimerPhase.ON else _("Break")
    cycle = _(" · cycle {cycle} of {cycles}").format(cycle=status.cycle, cycles=status.cycles)
    cycle = cycle if status.cycles > 1 else ""
    paused = _("Paused · ") if status.state is TimerState.PAUSED else ""
    return f"{paused}{what}{cycle}"


def event_message(event: TimerEvent, title: str) -> str:
    """What the notification says when a timer changes phase or ends."""
    label_ = event.therapy.label
    if event.kind is TimerEventKind.END:
        return _("{title}: done. Take the {noun} off and let your skin rest.").format(
            title=title, noun=event.therapy.info.noun
        )
    if event.phase is TimerPhase.OFF:
        return _("{title}: time for a break. Take the {noun} off.").format(title=title, noun=event.therapy.info.noun)
    return _("{title}: cycle {cycle} of {cycles}. {therapy} on again, wrapped in a towel.").format(
        title=title, cycle=event.cycle, cycles=event.cycles, therapy=label_
    )


class TimerDriver(QObject):
    """Polls the manager exactly when something is due. Signals: changed(), events(list)."""

    changed = Signal()
    events = Signal(list)

    def __init__(self, manager: TimerManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.visible = True  # while the timers are on screen, wake for each shown second too
        self.timer = WakeTimer(manager.clock, "therapyWakeTimer", self)
        self.timer.timeout.connect(self.tick)
        self.wakeups = 0

    def tick(self) -> None:
        self.wakeups += 1
        fired = self.manager.poll()
        if fired:
            self.events.emit(fired)
        self.changed.emit()
        self.schedule()

    def schedule(self) -> None:
        """Sleep until the next phase change or, while on screen, the next shown second of a running timer."""
        waits = [self.manager.seconds_to_next_event()]
        if self.visible:
            waits += [to_next_whole_second(t.remaining) for t in self.manager.active if t.state is TimerState.RUNNING]
        self.timer.sleep_until_nearest(waits)

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        self.schedule()

    def act(self, action: Callable[[], object]) -> None:
        """Run a user action on the manager and redraw at once."""
        action()
        self.tick()


class TimerCard(QFrame):
    """One timer: therapy, phase, big mm:ss, and its buttons."""

    def __init__(self, timer: TherapyTimer, driver: TimerDriver, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timer_id = timer.id
        self.driver = driver
        self.setObjectName("card")
        self.title = label(timer.preset.title, "heading")
        self.phase = label("", "subtitle")
        self.clock = label("", "timerClock", wrap=False)  # size and colour: the app's style sheet
        self.clock.setProperty("therapy", timer.preset.therapy.value)
        self.clock.setAccessibleName(_("Time left on {timer}").format(timer=timer.preset.title))
        self.pause_button = QPushButton(_("Pause"))
        self.add_button = QPushButton(_("+5 min"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.clear_button = QPushButton(_("Clear"))
        tips = (
            (self.pause_button, _("Pause or resume this timer")),
            (self.add_button, _("Add five minutes to this part")),
            (self.cancel_button, _("Stop this timer")),
            (self.clear_button, _("Remove this finished timer from the list")),
        )
        for button, tip in tips:
            button.setToolTip(tip)
            button.setAccessibleName(f"{button.text()} {timer.preset.title}")
        grid = QGridLayout(self)
        grid.addWidget(self.title, 0, 0, 1, 2)
        grid.addWidget(self.phase, 1, 0)
        grid.addWidget(self.clock, 0, 2, 2, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        buttons = QHBoxLayout()
        for button in (self.pause_button, self.add_button, self.cancel_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0, 1, 3)
        manager = driver.manager
        self.pause_button.clicked.connect(self._toggle_pause)
        self.add_button.clicked.connect(lambda: driver.act(lambda: manager.add_time(self.timer_id)))
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.disarm = QTimer(self)  # a first press of Cancel only asks; this takes the question back
        self.disarm.setSingleShot(True)
        self.disarm.setInterval(CONFIRM_MS)
        self.disarm.timeout.connect(self._disarm)
        self.armed = False
        self.clear_button.clicked.connect(self._clear)
        self.highlighted = False
        self.refresh()

    def _cancel_clicked(self) -> None:
        """Cancel asks once, on the button itself (no dialog): a second press within a few seconds stops the
        timer; otherwise the button goes back to "Cancel"."""
        if not self.armed:
            self.armed = True
            self.cancel_button.setText(_("Yes, stop this timer"))
            self.cancel_button.setAccessibleName(
                _("Confirm: stop {timer}").format(timer=self.driver.manager.get(self.timer_id).preset.title)
            )
            self.phase.setText(_("Stop this timer? Press again to stop it."))
            self.disarm.start()
            return
        self.disarm.stop()
        self.armed = False
        manager = self.driver.manager
        self.driver.act(lambda: manager.cancel(self.timer_id))

    def _disarm(self) -> None:
        self.armed = False
        self.refresh()

    def _toggle_pause(self) -> None:
        manager = self.driver.manager
        timer = manager.get(self.timer_id)
        if timer.state is TimerState.PAUSED:
            self.driver.act(lambda: manager.resume(self.timer_id))
        else:
            self.driver.act(lambda: manager.pause(self.timer_id))

    def _clear(self) -> None:
        manager = self.driver.manager
        self.driver.act(lambda: manager.forget(self.timer_id))

    def highlight(self, on: bool) -> None:
        self.highlighted = on
        p = theme.palette()
        card = f"QFrame#card {{ background: {p.warning_bg}; border: 2px solid {p.warning_border}; }}"
        self.setStyleSheet(card if on else "")

    def refresh(self) -> None:
        timer = self.driver.manager.get(self.timer_id)
        state = timer.state
        self.clock.setText(format_clock(timer.remaining) if state.active else "")
        self.armed = self.armed and state.active
        if not self.armed:  # while armed, the question stays until answered or taken back
            self.cancel_button.setText(_("Cancel"))
            self.cancel_button.setAccessibleName(_("Cancel {timer}").format(timer=timer.preset.title))
            self.phase.setText(phase_text(timer))
        self.pause_button.setText(_("Resume") if state is TimerState.PAUSED else _("Pause"))
        for button in (self.pause_button, self.add_button, self.cancel_button):
            button.setVisible(state.active)
        self.clear_button.setVisible(not state.active)


class TimersPage(QWidget):
    """Start timers, see the running ones, and record when this spasm started."""

    def __init__(self, driver: TimerDriver, presets: dict[str, TimerPreset], journal: Journal | None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("page")
        self.driver = driver
        self.presets = presets
        self.journal = journal
        self.cards: dict[str, TimerCard] = {}

        self.preset_box = QComboBox()
        self.preset_box.setAccessibleName(_("Timer preset"))
        for preset in presets.values():
            self.preset_box.addItem(f"{preset.title}", preset.id)
        self.start_preset = QPushButton(_("Start timer"))
        self.start_preset.setObjectName("primary")
        self.start_preset.setAccessibleName(_("Start the chosen timer"))
        self.advice = label("", "muted")
        self.cold = QRadioButton(_("Ice (cold)"))
        self.heat = QRadioButton(_("Heat"))
        self.cold.setChecked(True)
        self.on_minutes = self._spin(1, 120, 20, _("Minutes on"))
        self.off_minutes = self._spin(0, 720, 0, _("Minutes off between cycles"))
        self.cycles = self._spin(1, 24, 1, _("Cycles"))
        self.start_custom = QPushButton(_("Start custom timer"))
        self.episode_text = label("", "")
        self.episode_edit = QDateTimeEdit()
        self.episode_edit.setCalendarPopup(True)
        self.episode_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.episode_edit.setAccessibleName(_("When this spasm started"))
        self.episode_button = QPushButton(_("Save start"))
        self.episode_button.setToolTip(_("Record when this episode of back spasm began"))
        self.empty = label(_("No timers running. Start one above; it keeps going while you follow a routine."), "muted")

        start_card = QFrame()
        start_card.setObjectName("card")
        grid = QGridLayout(start_card)
        grid.addWidget(label(_("Start a timer"), "heading"), 0, 0, 1, 4)
        grid.addWidget(self.preset_box, 1, 0, 1, 3)
        grid.addWidget(self.start_preset, 1, 3)
        grid.addWidget(self.advice, 2, 0, 1, 4)
        grid.addWidget(label(_("Or your own:"), ""), 3, 0)
        therapy_row = QHBoxLayout()
        therapy_row.addWidget(self.cold)
        therapy_row.addWidget(self.heat)
        grid.addLayout(therapy_row, 3, 1)
        custom = QHBoxLayout()
        for text, spin in ((_("on"), self.on_minutes), (_("min off"), self.off_minutes), (_("cycles"), self.cycles)):
            custom.addWidget(spin)
            custom.addWidget(label(text, "muted", wrap=False))
        grid.addLayout(custom, 4, 0, 1, 3)
        grid.addWidget(self.start_custom, 4, 3)
        episode = QHBoxLayout()
        episode.addWidget(label(_("This spasm started:"), "", wrap=False))
        episode.addWidget(self.episode_edit)
        episode.addWidget(self.episode_button)
        episode.addStretch(1)
        grid.addLayout(episode, 5, 0, 1, 4)
        grid.addWidget(self.episode_text, 6, 0, 1, 4)
        grid.setRowStretch(7, 1)  # keep the form together at the top

        self.list_layout = QVBoxLayout()
        self.list_layout.addWidget(self.empty)
        self.list_layout.addStretch(1)
        holder = QWidget()
        holder.setLayout(self.list_layout)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(start_card, 2)
        running = QVBoxLayout()
        running.addWidget(label(_("Running timers"), "heading"))
        running.addWidget(scroll, 1)
        layout.addLayout(running, 3)

        self.preset_box.currentIndexChanged.connect(self._show_advice)
        self.start_preset.clicked.connect(self._start_selected)
        self.start_custom.clicked.connect(self._start_custom)
        self.episode_button.clicked.connect(self._save_episode)
        driver.changed.connect(self.refresh)
        self._show_advice()
        self._show_episode()
        self.refresh()

    def _spin(self, low: int, high: int, value: int, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setAccessibleName(name)
        return spin

    # -- episode and advice -----------------------------------------------------------------------
    def episode_started(self) -> datetime | None:
        if self.journal is None:
            return None
        episode = timers.current_episode(self.journal)
        return episode.started if episode else None

    def _show_episode(self) -> None:
        started = self.episode_started()
        now = datetime.now(UTC)
        self.episode_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int((started or now).timestamp())))
        if started is None:
            self.episode_text.setText(_("Tell the app when this spasm began and it suggests cold or heat."))
            return
        suggestion = timers.suggested_therapy(started, now)
        text = _("Started {age}. {suggestion}")
        self.episode_text.setText(text.format(age=timers.age_text(started, now), suggestion=suggestion.info.suggestion))

    def _save_episode(self) -> None:
        if self.journal is None:
            return
        started = datetime.fromtimestamp(self.episode_edit.dateTime().toSecsSinceEpoch(), UTC)
        try:
            timers.start_episode(self.journal, started, utc_now())
        except timers.FutureStartError as exc:
            self.episode_text.setText(str(exc))
            return
        self._show_episode()

    def _show_advice(self) -> None:
        preset = self.presets.get(self.preset_box.currentData())
        self.advice.setText(preset.advice if preset else "")

    # -- starting ------------------------------------------------------------------------------------
    def _start_selected(self) -> None:
        preset = self.presets.get(self.preset_box.currentData())
        if preset is not None:
            self.start(preset)

    def _start_custom(self) -> None:
        kind = Therapy.HEAT if self.heat.isChecked() else Therapy.COLD
        cycles = self.cycles.value()
        off = self.off_minutes.value() or None
        if cycles > 1 and off is None:
            off = 30
        preset = TimerPreset.custom(kind, self.on_minutes.value(), off if cycles > 1 else None, cycles)
        self.start(preset)

    def start(self, preset: TimerPreset, *, confirm: bool = True) -> TherapyTimer | None:
        """Start ``preset`` after the safety notes (72-hour rule, long on-phases) have been seen."""
        notes = timers.start_warnings(preset.therapy, preset.on, self.episode_started(), utc_now())
        if confirm and notes and not self.ask(self, preset.title, "\n\n".join(notes)):
            return None
        timer = self.driver.manager.start(preset)
        self.driver.tick()
        return timer

    @classmethod
    def ask(cls, parent: QWidget, title: str, text: str) -> bool:
        """A calm yes/no before starting; tests monkeypatch this so no modal dialog blocks them."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
        box.addButton(_("Start anyway"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(_("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is not cancel

    # -- the list ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        manager = self.driver.manager
        ids = [t.id for t in manager.timers]
        for timer_id in list(self.cards):
            if timer_id not in ids:
                self.cards.pop(timer_id).deleteLater()
        for index, timer in enumerate(manager.timers):
            card = self.cards.get(timer.id)
            if card is None:
                card = TimerCard(timer, self.driver)
                for button in card.findChildren(QPushButton):
                    button.setAutoDefault(True)
                self.cards[timer.id] = card
                self.list_layout.insertWidget(index, card)
            card.refresh()
        self.empty.setVisible(not ids)

    def highlight(self, timer_id: str) -> None:
        card = self.cards.get(timer_id)
        if card is not None:
            card.highlight(True)
            # The card is the timer's context: if the card (or the window) goes first, Qt cancels the timer.
            QTimer.singleShot(60_000, card, lambda: card.highlight(False))


def tray_lines(manager: TimerManager) -> list[str]:
    """One line per running timer for the tray menu."""
    line = _("{timer}: {phase}, {time} left")
    return [
        line.format(timer=t.preset.title, phase=phase_text(t), time=format_clock(t.remaining)) for t in manager.active
    ]


def summary_text(manager: TimerManager) -> str:
    """One line for the header: 'Ice on 12:34 · Heat 3:02'."""
    parts = []
    for timer in manager.active:
        label_ = timer.preset.therapy.label
        what = label_ if timer.phase is TimerPhase.ON else _("{therapy} break").format(therapy=label_)
        paused = " (paused)" if timer.state is TimerState.PAUSED else ""
        parts.append(f"{what} {format_clock(timer.remaining)}{paused}")
    return " · ".join(parts)
