"""The player: what to do now, how long is left, and the big red stop button.

The view never counts time. :class:`SessionDriver` asks the runner when the next cue falls due and when
the shown second changes, sleeps until the earlier of the two, then ticks the session; the view redraws
only what changed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from spasmcoach.core import loader
from spasmcoach.core.durations import format_clock
from spasmcoach.core.model import Phase, PhaseKind
from spasmcoach.core.resources import UnsafePathError
from spasmcoach.core.runner import RunnerState
from spasmcoach.core.session import GuidedSession, PainStop

from . import theme
from .wake import WakeTimer, to_next_whole_second
from .widgets import CountdownRing, IllustrationView, label

log = logging.getLogger(__name__)
STATE_WORDS = {PhaseKind.GET_READY: "Get ready", PhaseKind.HOLD: "Hold", PhaseKind.REST: "Rest", PhaseKind.TIMED: "Now"}


class SessionDriver(QObject):
    """Wakes the session exactly when something is due. Signals: updated(), finished()."""

    updated = Signal()
    finished = Signal()

    def __init__(self, session: GuidedSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.timer = WakeTimer(session.clock, "sessionWakeTimer", self)
        self.timer.timeout.connect(self.tick)
        self.wakeups = 0  # for tests and benchmarks: how often the event loop woke us

    def start(self, pain_before: int | None) -> None:
        self.session.start(pain_before)
        self._after_change()

    def tick(self) -> None:
        self.wakeups += 1
        self.session.tick()
        self._after_change()

    def _after_change(self) -> None:
        self.updated.emit()
        if self.session.finished:
            self.timer.stop()
            self.finished.emit()
            return
        self.schedule()

    def schedule(self) -> None:
        """Sleep until the next cue or the next whole second of the countdown, whichever is first."""
        runner = self.session.runner
        if runner.state not in (RunnerState.GET_READY, RunnerState.RUNNING):
            self.timer.stop()
            return
        to_second = to_next_whole_second(runner.snapshot().remaining)
        self.timer.sleep_until_nearest([to_second, runner.seconds_to_next_cue()])

    # the user's controls: each brings the runner up to date and redraws at once
    def toggle_pause(self) -> None:
        self.session.runner.toggle_pause()
        log.info("routine %s", "paused" if self.session.runner.state is RunnerState.PAUSED else "resumed")
        self.tick()

    def skip(self) -> None:
        self.session.runner.skip()
        self.tick()

    def back(self) -> None:
        self.session.runner.back()
        self.tick()

    def halt(self) -> None:
        self.timer.stop()

    def pain_stop(self) -> PainStop | None:
        """Stop for pain: nothing wakes the routine again, and the session halts, silences and records it.

        None when nothing was running (the routine had finished or was already stopped).
        """
        self.halt()
        record = self.session.pain_stop()
        if record is not None:
            self.updated.emit()  # the view draws the stopped state (illustration still) from the runner
        return record


class PlayerView(QWidget):
    """Shows one running session. Signals: stop_requested() (pain), mute_toggled(bool)."""

    stop_requested = Signal()
    mute_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.driver: SessionDriver | None = None
        # The runner's phase whose words and picture are on screen, compared by identity: every session
        # has its own timeline, so a new routine never matches what the last one left on screen.
        self._shown_phase: Phase | None = None

        self.routine_title = label("", "subtitle")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Progress through the routine")
        self.progress_text = label("", "muted", wrap=False)
        top = QHBoxLayout()
        top.addWidget(self.routine_title, 2)
        top.addWidget(self.progress_text)
        top.addWidget(self.progress, 1)

        self.illustration = IllustrationView()
        self.phase_label = label("", "")
        self.phase_label.setStyleSheet("font-size: 30px; font-weight: 700; letter-spacing: 2px;")
        self.step_name = label("", "stepName")
        self.side_rep = label("", "sideRep")
        self.ring = CountdownRing()
        self.instructions = label("", "instructions")
        self.instructions.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.next_step = label("", "nextStep")

        right = QVBoxLayout()
        right.addWidget(self.phase_label)
        right.addWidget(self.step_name)
        right.addWidget(self.side_rep)
        right.addWidget(self.ring, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.illustration, 3)
        middle.addLayout(right, 2)

        self.back_button = self._control(
            "◀  Back", "Back (Left arrow): restart this part, or go to the previous one", "Back"
        )
        self.pause_button = self._control("Pause", "Pause or resume (Space)", "Pause")
        self.skip_button = self._control("Skip  ▶", "Skip to the next part (Right arrow)", "Skip")
        self.mute_button = self._control("Sound on", "Mute or unmute sounds and voice (M)", "Mute")
        self.mute_button.setCheckable(True)
        self.stop_button = QPushButton("Stop — pain increased  (Esc)")
        self.stop_button.setObjectName("stop")
        self.stop_button.setAccessibleName("Stop — pain increased")
        self.stop_button.setToolTip("Stop at once because pain increased (Esc). The stop is saved in your journal.")
        self.stop_button.setMinimumHeight(84)
        self.stop_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        controls = QHBoxLayout()
        for button in (self.back_button, self.pause_button, self.skip_button, self.mute_button):
            controls.addWidget(button)
        controls.addSpacing(24)
        controls.addWidget(self.stop_button, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.instructions)
        layout.addWidget(self.next_step)
        layout.addLayout(controls)

        self.stop_button.clicked.connect(self.stop_requested)
        self.pause_button.clicked.connect(self._toggle_pause)
        self.skip_button.clicked.connect(self._skip)
        self.back_button.clicked.connect(self._back)
        self.mute_button.toggled.connect(self._mute_changed)
        self.shortcuts = {
            "Esc": self._shortcut(Qt.Key.Key_Escape, self.stop_requested.emit),
            "Space": self._shortcut(Qt.Key.Key_Space, self._toggle_pause),
            "Right": self._shortcut(Qt.Key.Key_Right, self._skip),
            "Left": self._shortcut(Qt.Key.Key_Left, self._back),
            "M": self._shortcut(Qt.Key.Key_M, self.mute_button.toggle),
        }

    def _control(self, text: str, tip: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(name)
        button.setMinimumHeight(64)
        return button

    def _shortcut(self, key: Qt.Key, slot: object) -> QShortcut:
        # Window-wide, but only while the player is on screen (see showEvent/hideEvent): Esc must stop
        # the routine wherever the keyboard focus happens to be.
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.setEnabled(False)
        shortcut.activated.connect(slot)
        return shortcut

    def showEvent(self, event: QShowEvent) -> None:
        for shortcut in self.shortcuts.values():
            shortcut.setEnabled(True)
        self.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        for shortcut in self.shortcuts.values():
            shortcut.setEnabled(False)
        self.illustration.set_animating(False)

    # -- wiring a session -------------------------------------------------------------------
    def attach(self, driver: SessionDriver, *, muted: bool) -> None:
        if self.driver is not None:
            self.driver.updated.disconnect(self.refresh)
        self.driver = driver
        self._shown_phase = None  # a new routine: draw its step from scratch
        driver.updated.connect(self.refresh)
        self.routine_title.setText(driver.session.routine.title)
        self.mute_button.blockSignals(True)
        self.mute_button.setChecked(muted)
        self.mute_button.blockSignals(False)
        self._show_mute(muted)
        self.refresh()

    def _toggle_pause(self) -> None:
        if self.driver is not None and self.driver.session.runner.state.active:
            self.driver.toggle_pause()

    def _skip(self) -> None:
        if self.driver is not None and self.driver.session.runner.state.active:
            self.driver.skip()

    def _back(self) -> None:
        if self.driver is not None and self.driver.session.runner.state.active:
            self.driver.back()

    def _mute_changed(self, muted: bool) -> None:
        self._show_mute(muted)
        self.mute_toggled.emit(muted)

    def _show_mute(self, muted: bool) -> None:
        self.mute_button.setText("Muted" if muted else "Sound on")
        self.mute_button.setAccessibleDescription("muted" if muted else "sound on")

    # -- drawing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.driver is None:
            return
        session = self.driver.session
        snap = session.runner.snapshot()
        paused = snap.state is RunnerState.PAUSED
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setAccessibleName("Resume" if paused else "Pause")
        self.progress.setValue(round(snap.routine_fraction * 1000))
        phase = snap.phase
        if phase is None:
            self.illustration.set_animating(False)
            return
        steps = len(session.routine.steps)
        self.progress_text.setText(f"Step {phase.step_index + 1} of {steps}")
        if phase is not self._shown_phase:
            self._show_phase(phase)
        colour = theme.PHASE_COLOURS[phase.kind]
        word = STATE_WORDS[phase.kind]
        self.phase_label.setText(("Paused · " + word if paused else word).upper())
        self.phase_label.setStyleSheet(f"font-size: 30px; font-weight: 700; letter-spacing: 2px; color: {colour};")
        self.ring.set_values(format_clock(snap.remaining), snap.phase_fraction, colour)
        self.illustration.set_animating(not paused and snap.state.active)

    def _show_phase(self, phase: Phase) -> None:
        """Draw ``phase``; the step's name, instructions and pictures only when the step changed."""
        previous, self._shown_phase = self._shown_phase, phase
        step = phase.step
        if previous is None or previous.step is not step:
            self.step_name.setText(step.name)
            self.instructions.setText(step.instructions)
            self.illustration.set_images(image_paths(step.images), step.frame_seconds)
        self.side_rep.setText(side_rep_text(phase))
        upcoming = None
        if self.driver is not None:
            upcoming = self.driver.session.runner.timeline.next_step_phase(phase)
        self.next_step.setText(f"Next: {upcoming.step.name}" if upcoming else "Next: finish")

    def current_texts(self) -> dict[str, str]:
        """What the user sees, for tests and screenshots."""
        return {
            "phase": self.phase_label.text(), "step": self.step_name.text(), "side_rep": self.side_rep.text(),
            "countdown": self.ring.text, "next": self.next_step.text(), "pause": self.pause_button.text(),
        }  # fmt: skip


def side_rep_text(phase: Phase) -> str:
    """'Left · rep 2 of 3' and its shorter forms."""
    parts = []
    if phase.side:
        parts.append(phase.side.capitalize())
    if phase.rep is not None and phase.step.reps > 1:
        parts.append(f"rep {phase.rep} of {phase.step.reps}")
    if phase.kind is PhaseKind.GET_READY and phase.step.sides.order() != (None,):
        parts.append(f"starting on the {phase.step.sides.order()[0]} side")
    return " · ".join(parts)


def image_paths(names: tuple[str, ...]) -> list[Path | None]:
    """Resolve illustration names; a missing or unsafe one becomes None (the view shows a placeholder)."""
    dirs = loader.image_dirs()
    found: list[Path | None] = []
    for name in names:
        try:
            found.append(loader.find_image(name, dirs))
        except UnsafePathError:
            found.append(None)
    return found
