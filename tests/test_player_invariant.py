"""The player always shows the step that is running (issue 12 §1), checked by random use of the real widgets.

A hypothesis state machine drives one offscreen window the way a user would: start one of several bundled
routines (with or without a rating), pause and resume, skip, go back, let time pass, stop for pain with Esc,
save the stop, let a routine finish. After every action the step name, instructions, picture, side and rep
on screen must be those of the runner's current phase. The window is kept across examples on purpose: the
original bug was a step from the *previous* routine left on screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import make_context
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.model import Phase, PhaseKind
from spasmcoach.core.runner import RunnerState
from spasmcoach.gui import player
from spasmcoach.gui.main_window import MainWindow

ROUTINES = ("lower-back-release", "desk-break", "warm-up", "acute-rest-positions")


def expected(phase: Phase) -> tuple[str, tuple[Path | None, ...]]:
    """The instructions and pictures ``phase`` must show: the step's own, or during a rest the rest
    words and no movement picture (issue 12 §9: a rest does not show the movement)."""
    if phase.kind is PhaseKind.REST:
        return player.REST_INSTRUCTIONS, ()
    return phase.step.instructions, tuple(player.image_paths(phase.step.images))


def shown_matches(window: MainWindow, phase: Phase) -> list[str]:
    """What on screen disagrees with ``phase`` (empty when everything matches)."""
    view = window.player
    step = phase.step
    instructions, pictures = expected(phase)
    wrong = []
    if view.step_name.text() != step.name:
        wrong.append(f"step name {view.step_name.text()!r}, running {step.name!r}")
    if view.instructions.text() != instructions:
        wrong.append(f"instructions {view.instructions.text()[:40]!r}…, running {step.name!r}")
    if view.illustration.paths != pictures:
        wrong.append(f"picture {view.illustration.paths}, running {step.name!r} with {pictures}")
    if view.side_rep.text() != player.side_rep_text(phase):
        wrong.append(f"side/rep {view.side_rep.text()!r}, running {player.side_rep_text(phase)!r}")
    assert window.session is not None
    if view.routine_title.text() != window.session.routine.title:
        wrong.append(f"routine title {view.routine_title.text()!r}")
    return wrong


class PlayerMachine(RuleBasedStateMachine):
    """One window per example (so a failing example replays the same way); several routines in each."""

    home: Path

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.ctx = make_context(self.home, self.clock)
        self.window = MainWindow(self.ctx)
        self.window.show()
        QTest.qWaitForWindowExposed(self.window)
        self.window.show_library()

    def teardown(self) -> None:
        self.window.end_running_session()
        self.window.close()
        self.window.deleteLater()
        # the next example's window starts at the default size (restoring a saved one offscreen makes Qt warn)
        self.ctx.settings.remove("window/geometry")
        assert self.ctx.journal is not None
        self.ctx.journal.close()

    # -- helpers -------------------------------------------------------------------------------
    def on(self, page: object) -> bool:
        return self.window.stack.currentWidget() is page

    def running(self) -> bool:
        session = self.window.session
        return self.on(self.window.player) and session is not None and session.runner.state.active

    def press(self, key: Qt.Key) -> None:
        QTest.keyClick(self.window.player, key)

    # -- rules -----------------------------------------------------------------------------------
    @precondition(lambda self: not self.running())
    @rule(routine=st.sampled_from(ROUTINES), pain=st.none() | st.integers(0, 10))
    def start(self, routine: str, pain: int | None) -> None:
        window = self.window
        if self.on(window.stop_page):
            window.stop_page.finish.click()
        elif self.on(window.finish_page):
            window.finish_page.close_button.click()
        elif self.on(window.player):  # a routine that finished while the player was up
            window.show_library()
        window.library.select(routine)
        assert window.library.current_id() == routine
        window.library.start_button.click()
        assert self.on(window.before)
        if pain is None:
            window.before.skip.click()
        else:
            window.before.scale.buttons[pain].click()
        assert self.on(window.player) and window.session is not None
        assert window.session.routine.id == routine

    @precondition(lambda self: self.running())
    @rule()
    def pause_or_resume(self) -> None:
        self.press(Qt.Key.Key_Space)

    @precondition(lambda self: self.running())
    @rule(times=st.integers(1, 4))
    def skip(self, times: int) -> None:
        for _ in range(times):
            self.press(Qt.Key.Key_Right)

    @precondition(lambda self: self.running())
    @rule(times=st.integers(1, 3))
    def back(self, times: int) -> None:
        for _ in range(times):
            self.press(Qt.Key.Key_Left)

    @precondition(lambda self: self.running())
    @rule(seconds=st.floats(0.1, 120))
    def time_passes(self, seconds: float) -> None:
        self.clock.advance(seconds)
        assert self.window.driver is not None
        self.window.driver.tick()  # what the wake timer does when it fires

    @precondition(lambda self: self.running())
    @rule()
    def escape_for_pain(self) -> None:
        self.press(Qt.Key.Key_Escape)
        assert self.on(self.window.stop_page)

    @precondition(lambda self: self.running())
    @rule()
    def run_to_the_end(self) -> None:
        assert self.window.session is not None
        if self.window.session.runner.state is RunnerState.PAUSED:
            self.press(Qt.Key.Key_Space)  # resume first: time stands still while paused
        self.clock.advance(3600 * 2)
        assert self.window.driver is not None
        self.window.driver.tick()
        assert self.on(self.window.finish_page)

    @precondition(lambda self: self.on(self.window.stop_page))
    @rule()
    def save_the_stop(self) -> None:
        self.window.stop_page.finish.click()
        assert self.on(self.window.library)

    # -- the invariant ---------------------------------------------------------------------------
    @invariant()
    def the_running_step_is_shown(self) -> None:
        QApplication.processEvents()
        session = self.window.session
        if session is None:
            return
        phase = session.runner.current_phase
        if phase is None:  # finished: the finish page is up
            return
        wrong = shown_matches(self.window, phase)
        assert not wrong, f"{session.routine.id}, phase {phase.index} ({phase.kind}): " + "; ".join(wrong)


@pytest.mark.slow
def test_the_player_always_shows_the_running_step(qapp: QApplication, spasmcoach_home: Path) -> None:
    PlayerMachine.home = spasmcoach_home
    run_state_machine_as_test(
        PlayerMachine,
        settings=settings(
            max_examples=20, stateful_step_count=20, deadline=None,
            suppress_health_check=[HealthCheck.too_slow], database=None,
        ),
    )  # fmt: skip


def test_a_new_routine_never_keeps_the_last_routines_step(qapp: QApplication, spasmcoach_home: Path) -> None:
    """The reported sequence, as a fixed example: Esc in step 1 of one routine, then start another."""
    PlayerMachine.home = spasmcoach_home
    machine = PlayerMachine()
    try:
        for routine in ("lower-back-release", "desk-break", "lower-back-release", "warm-up"):
            machine.start(routine, None)
            machine.the_running_step_is_shown()
            machine.escape_for_pain()
            machine.the_running_step_is_shown()
            machine.save_the_stop()
    finally:
        machine.teardown()
