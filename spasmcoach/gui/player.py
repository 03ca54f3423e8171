"""The player: what to do now, how long is left, and the big red stop button.

The view never counts time. :class:`SessionDriver` asks the runner when the next cue falls due and when
the shown second changes, sleeps until the earlier of the two, then ticks the session; the view redraws
only what changed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QMargins, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QProgressBar, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from spasmcoach.core import loader
from spasmcoach.core.durations import format_clock
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.model import Phase, PhaseKind
from spasmcoach.core.resources import UnsafePathError
from spasmcoach.core.runner import RunnerState
from spasmcoach.core.session import GuidedSession, PainStop

from . import theme
from .wake import WakeTimer, to_next_whole_second
from .widgets import CountdownRing, IllustrationView, TextScroll, label

log = logging.getLogger(__name__)
STATE_WORDS = {
    PhaseKind.GET_READY: N_("Get ready"),
    PhaseKind.HOLD: N_("Hold"),
    PhaseKind.REST: N_("Rest"),
    PhaseKind.TIMED: N_("Now"),
}


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
        self.session.skip()
        self.tick()

    def back(self) -> None:
        self.session.back()
        self.tick()

    def halt(self) -> None:
        self.timer.stop()

    def pain_stop(self, source: str = "window") -> PainStop | None:
        """Stop for pain: nothing wakes the routine again, and the session halts, silences and records it
        (``source``: how it was given, see :meth:`GuidedSession.pain_stop`).

        None when nothing was running (the routine had finished or was already stopped).
        """
        self.halt()
        record = self.session.pain_stop(source)
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
        self._paths: dict[tuple[str, ...], list[Path | None]] = {}  # this routine's pictures, found ahead of time

        self.routine_title = label("", "subtitle")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(_("Progress through the routine"))
        self.progress_text = label("", "muted", wrap=False)
        top = QHBoxLayout()
        top.addWidget(self.routine_title, 2)
        top.addWidget(self.progress_text)
        top.addWidget(self.progress, 1)

        self.illustration = IllustrationView()
        self.phase_label = label("", "phaseWord")
        self.step_name = label("", "stepName")
        self.side_rep = label("", "sideRep")
        self.ring = CountdownRing()
        self.instructions = label("", "instructions")
        self.instructions.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.instructions_scroll = TextScroll(self.instructions)  # scrolls, never cut, on a small screen
        self.next_step = label("", "nextStep")

        right = self.right_column = QVBoxLayout()
        right.addWidget(self.phase_label)
        right.addWidget(self.step_name)
        right.addWidget(self.side_rep)
        right.addWidget(self.ring, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.illustration, 3)
        middle.addLayout(right, 2)

        self.back_button = self._control(
            _("◀  Back"), _("Back (Left arrow): restart this part, or go to the previous one"), _("Back")
        )
        self.pause_button = self._control(_("Pause"), _("Pause or resume (Space)"), _("Pause"))
        self.skip_button = self._control(_("Skip  ▶"), _("Skip to the next part (Right arrow)"), _("Skip"))
        self.mute_button = self._control(_("Sound on"), _("Mute or unmute sounds and voice (M)"), _("Mute"))
        self.mute_button.setCheckable(True)
        self.stop_button = QPushButton(_("Stop — pain increased  (Esc)"))
        self.stop_button.setObjectName("stop")
        self.stop_button.setAccessibleName(_("Stop — pain increased"))
        self.stop_button.setToolTip(_("Stop at once because pain increased (Esc). The stop is saved in your journal."))
        self.stop_button.setMinimumHeight(84)
        self.stop_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        # One row when the window is wide enough, otherwise the Stop button gets a row of its own: it is
        # always whole on screen, and pausing never moves it (Pause and Resume take the same width).
        self.controls = QGridLayout()
        self.controls.setHorizontalSpacing(12)
        self.controls.setVerticalSpacing(10)
        self._stop_row: bool | None = None

        layout = self.page_layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 16)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.instructions_scroll)
        layout.addWidget(self.next_step)
        layout.addLayout(self.controls)
        self._place_controls()

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
        _fit_widest(self.pause_button, PAUSE_TEXTS)
        _fit_widest(self.mute_button, MUTE_TEXTS)
        self._place_controls()
        self.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_text(event.size().width(), event.size().height())
        self._place_controls()
        super().resizeEvent(event)

    def _fit_text(self, width: int, height: int) -> None:
        """Smaller words on a small screen so everything fits with the Stop button; bigger on a big one so
        they read from across the room (the style sheet sizes each ``fit``). Hysteresis keeps it steady."""
        current = self.property("fit") or ""
        if height < 600 or (current == "small" and height < 640):
            fit = "small"
        elif width >= 1500 and height >= 940:
            fit = "large"
        else:
            fit = ""
        if fit == current:
            return
        self.setProperty("fit", fit)
        small = fit == "small"
        heights = {"small": (44, 64), "": (64, 84), "large": (84, 120)}[fit]
        for button in (self.back_button, self.pause_button, self.skip_button, self.mute_button):
            button.setMinimumHeight(heights[0])
        self.stop_button.setMinimumHeight(heights[1])
        self.ring.setMinimumSize(*(2 * (80 if small else 110,)))
        layout = self.page_layout
        layout.setContentsMargins(*((20, 8, 20, 8) if small else (28, 16, 28, 16)))
        layout.setSpacing(6 if small else 10)
        self.right_column.setSpacing(4 if small else 8)
        self.controls.setVerticalSpacing(6 if small else 10)
        for widget in self.findChildren(QWidget):  # each carries ``fit`` itself: the sheet has no ancestor rules
            widget.setProperty("fit", fit)
            self.style().unpolish(widget)
            self.style().polish(widget)
        _fit_widest(self.pause_button, PAUSE_TEXTS)
        _fit_widest(self.mute_button, MUTE_TEXTS)
        self._stop_row = None  # the buttons' widths changed: place them again

    def _place_controls(self) -> None:
        """Back, Pause, Skip and Sound in a row with the Stop button, or above it when the row is too narrow."""
        small = (self.back_button, self.pause_button, self.skip_button, self.mute_button)
        margins = self.page_layout.contentsMargins() if hasattr(self, "page_layout") else QMargins()
        inner = self.width() - margins.left() - margins.right()
        needed = sum(max(b.sizeHint().width(), b.minimumWidth()) for b in small) + self.stop_button.sizeHint().width()
        stop_row = inner < needed + self.controls.horizontalSpacing() * len(small) + 24
        if stop_row == self._stop_row:
            return
        self._stop_row = stop_row
        for widget in (*small, self.stop_button):
            self.controls.removeWidget(widget)
        for column, button in enumerate(small):
            self.controls.addWidget(button, 0, column)
        self.controls.setColumnMinimumWidth(len(small), 12)
        self.controls.setColumnStretch(len(small) + 1, 1)
        if stop_row:
            self.controls.addWidget(self.stop_button, 1, 0, 1, len(small) + 2)
        else:
            self.controls.addWidget(self.stop_button, 0, len(small) + 1)

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
        self._paths = {}  # and look its pictures up afresh
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
        if self.driver is not None and getattr(self.driver.session.sink, "available", None) is False:
            self._show_no_sound()
            return
        self.mute_button.setText(_("Muted") if muted else _("Sound on"))
        self.mute_button.setAccessibleDescription(_("muted") if muted else _("sound on"))
        self.mute_button.setToolTip(_("Mute or unmute sounds and voice (M)"))

    def _show_no_sound(self) -> None:
        """No way to play sound works on this computer: say so rather than "Sound on"."""
        self.mute_button.setText(_("No sound"))
        self.mute_button.setAccessibleDescription(_("no sound available"))
        self.mute_button.setToolTip(_(NO_SOUND_TIP))

    # -- drawing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.driver is None:
            return
        session = self.driver.session
        snap = session.runner.snapshot()
        paused = snap.state is RunnerState.PAUSED
        self.pause_button.setText(_("Resume") if paused else _("Pause"))
        self.pause_button.setAccessibleName(_("Resume") if paused else _("Pause"))
        if getattr(session.sink, "available", None) is False and self.mute_button.text() != "No sound":
            self._show_no_sound()
        self.progress.setValue(round(snap.routine_fraction * 1000))
        if not snap.state.active:
            self.illustration.forget_drawn()  # no next step: what was drawn ahead is not needed
        phase = snap.phase
        if phase is None:
            self.illustration.set_animating(False)
            return
        steps = len(session.routine.steps)
        self.progress_text.setText(_("Step {number} of {steps}").format(number=phase.step_index + 1, steps=steps))
        if phase is not self._shown_phase:
            self._show_phase(phase)
            self.instructions_scroll.updateGeometry()  # new text, new height
        colour = theme.PHASE_COLOURS[phase.kind]
        word = phase_word(phase)
        self.phase_label.setText(("Paused · " + word if paused else word).upper())
        self.phase_label.setStyleSheet(f"color: {colour};")
        self.ring.set_values(format_clock(snap.remaining), snap.phase_fraction, colour)
        self.illustration.set_animating(not paused and snap.state.active)

    def _show_phase(self, phase: Phase) -> None:
        """Draw ``phase``; the step's name, instructions and pictures only when the step changed."""
        previous, self._shown_phase = self._shown_phase, phase
        step = phase.step
        resting = phase.kind is PhaseKind.REST
        was_resting = previous is not None and previous.kind is PhaseKind.REST
        if previous is None or previous.step is not step or resting != was_resting:
            self.step_name.setText(step.name)
            if resting:  # not the movement's picture and words: a calm, empty picture area and what to do now
                self.instructions.setText(_(REST_INSTRUCTIONS))
                self.illustration.set_images([], step.frame_seconds)
            else:
                self.instructions.setText(step.instructions)
                self.illustration.set_images(self._image_paths(step.images), step.frame_seconds)
        self.side_rep.setText(side_rep_text(phase))
        timeline = self.driver.session.runner.timeline if self.driver is not None else None
        if resting:
            later = timeline.phases[phase.index + 1 :] if timeline is not None else ()
            following = later[0] if later else None
            what = following.step.name if following is not None else _("the end of the routine")
            if following is not None and following.step is step and following.rep:
                what = _("{step}, rep {rep}").format(step=what, rep=following.rep)
            self.next_step.setText(_("Rest — next: {what}").format(what=what))
            if following is not None and following.kind is not PhaseKind.REST:
                self._prepare_later(following.step.images)
        else:
            upcoming = timeline.next_step_phase(phase) if timeline is not None else None
            self.next_step.setText(_("Next: {step}").format(step=upcoming.step.name) if upcoming else _("Last step"))
            if upcoming is not None:
                self._prepare_later(upcoming.step.images)

    def _prepare_later(self, names: tuple[str, ...]) -> None:
        """The pictures shown next are found on disk and drawn during this phase, a little after its change,
        so the next change only swaps finished images (no folder listing or drawing as its sounds start)."""
        QTimer.singleShot(PREPARE_DELAY_MS, self, lambda: self._prepare(names))

    def _prepare(self, names: tuple[str, ...]) -> None:
        if self.driver is not None and self.driver.session.runner.state.active:  # not once the routine is over
            self.illustration.prepare(self._image_paths(names))

    def _image_paths(self, names: tuple[str, ...]) -> list[Path | None]:
        """``image_paths(names)``, looked up once per routine: a step change then only draws (the folder
        listings and checks cost several milliseconds, done during the step before)."""
        found = self._paths.get(names)
        if found is None:
            found = self._paths[names] = image_paths(names)
        return found

    def current_texts(self) -> dict[str, str]:
        """What the user sees, for tests and screenshots."""
        return {
            "phase": self.phase_label.text(), "step": self.step_name.text(), "side_rep": self.side_rep.text(),
            "countdown": self.ring.text, "next": self.next_step.text(), "pause": self.pause_button.text(),
        }  # fmt: skip


PREPARE_DELAY_MS = 400  # after a step is drawn, its successor's pictures are found and drawn (off the change itself)
REST_INSTRUCTIONS = N_("Rest. Breathe out slowly and let your muscles soften.")
NO_SOUND_TIP = N_(
    "No sound can be played on this computer (no working sound output was found), so cues are shown on "
    "screen only. Check the speakers or headphones, then restart SpasmCoach."
)


def phase_word(phase: Phase) -> str:
    """The big word over the countdown: 'Get ready', 'Rest', 'Hold' for a still position, 'Keep moving' for a
    movement (a step drawn in several frames, like marching), 'Now' for a timed still step."""
    if phase.kind in (PhaseKind.HOLD, PhaseKind.TIMED) and len(phase.step.images) > 1:
        return _("Keep moving")
    return _(STATE_WORDS[phase.kind])


PAUSE_TEXTS = (N_("Pause"), N_("Resume"))
MUTE_TEXTS = (N_("Sound on"), N_("Muted"), N_("No sound"))


def _fit_widest(button: QPushButton, texts: tuple[str, ...]) -> None:
    """Wide enough for the longest of ``texts``, so changing between them never moves what is beside it."""
    button.ensurePolished()
    shown, widths = button.text(), []
    for text in texts:
        button.setText(_(text))
        widths.append(button.sizeHint().width())
    button.setText(shown)
    button.setMinimumWidth(max(widths))


def side_rep_text(phase: Phase) -> str:
    """'Left · rep 2 of 3' and its shorter forms."""
    parts = []
    if phase.side:
        parts.append(_("Left") if phase.side == "left" else _("Right") if phase.side == "right" else phase.side)
    if phase.rep is not None and phase.step.reps > 1:
        parts.append(_("rep {rep} of {reps}").format(rep=phase.rep, reps=phase.step.reps))
    if phase.kind is PhaseKind.GET_READY and phase.step.sides.order() != (None,):
        first = phase.step.sides.order()[0]
        parts.append(_("starting on the left side") if first == "left" else _("starting on the right side"))
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
