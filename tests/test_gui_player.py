"""The guided player through its widgets: start, pause, skip, finish, pain stop, notices (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import KNEE_ROUTINE, driver_of, journal_of, make_context, session_of, write_routine
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.model import PhaseKind
from spasmcoach.core.runner import RunnerState
from spasmcoach.gui.main_window import MainWindow


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot: QtBot, spasmcoach_home: Path, clock: FakeClock) -> Iterator[MainWindow]:
    write_routine(spasmcoach_home, "knee-test", KNEE_ROUTINE)
    ctx = make_context(spasmcoach_home, clock)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    assert win.driver is None or not driver_of(win).timer.isActive()
    ctx.journal.close()


def start(window: MainWindow, qtbot: QtBot, pain: int | None = 4, routine: str = "knee-test") -> None:
    window.library.select(routine)
    window.library.start_button.click()
    assert window.stack.currentWidget() is window.before
    if pain is None:
        window.before.skip.click()
    else:
        window.before.scale.buttons[pain].click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.player)


def advance(window: MainWindow, clock: FakeClock, seconds: float) -> None:
    """Move the fake clock on and let the driver wake as its timer eventually would."""
    clock.advance(seconds)
    assert window.driver is not None
    driver_of(window).tick()


def key(window: MainWindow, qt_key: Qt.Key) -> None:
    QTest.keyClick(window.player, qt_key)


def test_start_rates_pain_and_shows_the_first_step(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot, pain=4)
    texts = window.player.current_texts()
    assert texts["phase"] == "GET READY" and texts["step"] == "Rest on your back" and texts["countdown"] == "0:05"
    assert texts["next"] == "Next: Knee to chest"
    sessions = journal_of(window).sessions()
    assert len(sessions) == 1 and sessions[0].pain_before == 4 and sessions[0].routine == "knee-test"
    assert window.ctx.audio.played[:1] == ["get-ready"]


def test_countdown_side_and_rep_are_shown(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:
    start(window, qtbot)
    advance(window, clock, 5 + 30 + 5 + 20 + 10 + 20 + 10 + 3.5)  # into the first right-side hold
    texts = window.player.current_texts()
    assert texts["phase"] == "HOLD" and texts["side_rep"] == "Right · rep 1 of 2" and texts["countdown"] == "0:17"
    assert "switch-sides" in window.ctx.audio.played


def test_space_pauses_and_resumes(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:
    start(window, qtbot)
    advance(window, clock, 10)
    key(window, Qt.Key.Key_Space)
    runner = session_of(window).runner
    assert runner.state is RunnerState.PAUSED and window.player.pause_button.text() == "Resume"
    assert not driver_of(window).timer.isActive()  # nothing wakes while paused
    before = runner.snapshot().remaining
    clock.advance(300)
    assert runner.snapshot().remaining == before
    key(window, Qt.Key.Key_Space)
    assert runner.state is RunnerState.RUNNING and driver_of(window).timer.isActive()


def test_arrow_keys_skip_and_go_back(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot)
    runner = session_of(window).runner
    key(window, Qt.Key.Key_Right)
    phase = runner.current_phase
    assert phase is not None and phase.kind is PhaseKind.TIMED
    key(window, Qt.Key.Key_Right)
    key(window, Qt.Key.Key_Right)
    phase = runner.current_phase
    assert phase is not None and phase.step.name == "Knee to chest" and phase.kind is PhaseKind.HOLD
    assert window.player.current_texts()["step"] == "Knee to chest"
    key(window, Qt.Key.Key_Left)
    phase = runner.current_phase
    assert phase is not None and phase.kind is PhaseKind.GET_READY


def test_mute_key_persists(window: MainWindow, qtbot: QtBot, spasmcoach_home: Path, clock: FakeClock) -> None:
    start(window, qtbot)
    key(window, Qt.Key.Key_M)
    assert window.ctx.audio.muted is True and window.player.mute_button.text() == "Muted"
    window.ctx.settings.sync()
    other = MainWindow(make_context(spasmcoach_home, clock, journal=window.ctx.journal))
    qtbot.addWidget(other)
    assert other.ctx.audio.muted is True


def test_finish_with_pain_ratings_and_a_rise_warning(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:
    start(window, qtbot, pain=3)
    with qtbot.waitSignal(window.session_finished, timeout=2000):
        advance(window, clock, 10_000)
    assert window.stack.currentWidget() is window.finish_page
    assert journal_of(window).sessions()[0].outcome == "completed"  # written the moment it finished
    window.finish_page.scale.buttons[6].click()
    assert window.finish_page.warning.isVisible()
    assert "went up by 3 points" in window.finish_page.warning.text()
    assert "Pain 3 before, 6 after" in window.finish_page.summary.text()
    session = journal_of(window).sessions()[0]
    assert (session.pain_before, session.pain_after, session.steps_done) == (3, 6, 3)
    assert [e.type for e in journal_of(window).events(types=["pain_increase"])] == ["pain_increase"]
    assert window.ctx.audio.played[-1] == "done"


def test_no_warning_when_pain_eases(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:
    start(window, qtbot, pain=5)
    advance(window, clock, 10_000)
    window.finish_page.scale.buttons[3].click()
    assert not window.finish_page.warning.isVisible()
    assert journal_of(window).events(types=["pain_increase"]) == []


@pytest.mark.parametrize("state", ["get_ready", "running", "paused"])
@pytest.mark.parametrize("how", ["button", "escape"])
def test_pain_stop_is_journaled_before_the_stop_page_shows(
    window: MainWindow, qtbot: QtBot, clock: FakeClock, state: str, how: str
) -> None:
    start(window, qtbot)
    if state != "get_ready":
        advance(window, clock, 5 + 30 + 5 + 7)  # 7 s into the first hold of Knee to chest
    if state == "paused":
        key(window, Qt.Key.Key_Space)
    assert session_of(window).runner.state.value == state
    seen_on_show: list[list[str]] = []
    window.stack.currentChanged.connect(
        lambda _i: (
            seen_on_show.append([e.type for e in journal_of(window).events()])
            if window.stack.currentWidget() is window.stop_page
            else None
        )
    )
    with qtbot.waitSignal(window.pain_stop_shown, timeout=2000) as blocker:
        if how == "button":
            window.player.stop_button.click()
        else:
            key(window, Qt.Key.Key_Escape)
    assert seen_on_show and "pain_stop" in seen_on_show[0]
    assert session_of(window).runner.state is RunnerState.STOPPED
    assert window.ctx.audio.stops >= 1
    record = blocker.args[0]
    assert record.saved and record.routine_id == "knee-test"
    stop = journal_of(window).event(record.event_id)
    assert stop is not None and stop.type == "pain_stop" and stop.routine == "knee-test"
    if state == "get_ready":
        assert (stop.step, stop.phase) == ("Rest on your back", "get_ready")
    else:
        assert (stop.step, stop.phase, stop.side, stop.rep) == ("Knee to chest", "hold", "left", 1)
        assert stop.seconds == pytest.approx(12)
    assert journal_of(window).sessions()[0].outcome == "stopped"
    # never restarts by itself
    assert not driver_of(window).timer.isActive()  # nothing is left that could wake the routine again
    clock.advance(1000)
    driver_of(window).tick()
    assert session_of(window).runner.state is RunnerState.STOPPED and window.stack.currentWidget() is window.stop_page


def test_stop_details_update_the_same_event_and_nerve_warning(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    start(window, qtbot)
    with qtbot.waitSignal(window.pain_stop_shown) as blocker:
        key(window, Qt.Key.Key_Escape)
    page = window.stop_page
    assert page.heading.text() == "Stopped. Rest in a comfortable position."
    assert not page.warning.isVisible()
    page.symptom_boxes["tingling"].setChecked(True)
    assert page.warning.isVisible() and "nerve" in page.warning.text()
    page.scale.buttons[7].click()
    page.note.setPlainText("Sharp on the left")
    page.finish.click()
    events = journal_of(window).events(types=["pain_stop"])
    assert len(events) == 1 and events[0].id == blocker.args[0].event_id
    assert (events[0].pain, events[0].symptoms, events[0].note) == (7, ("tingling",), "Sharp on the left")
    assert window.stack.currentWidget() is window.library


def test_last_time_stopped_notice_offers_to_leave_the_step_out(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    start(window, qtbot)
    advance(window, clock, 5 + 30 + 5 + 3)
    key(window, Qt.Key.Key_Escape)
    window.stop_page.finish.click()
    library = window.library
    library.select("knee-test")
    assert library.last_stop_label.isVisible()
    assert library.last_stop_label.text() == "Last time: stopped at Knee to chest because pain increased, today."
    assert library.leave_out.isVisible() and library.leave_out.isChecked()
    start(window, qtbot)
    assert [s.name for s in session_of(window).routine.steps] == ["Rest on your back", "Child's pose"]
    assert journal_of(window).sessions()[-1].left_out == ("Knee to chest",)


def test_unticking_keeps_the_step(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:
    start(window, qtbot)
    advance(window, clock, 5 + 30 + 5 + 3)
    key(window, Qt.Key.Key_Escape)
    window.stop_page.finish.click()
    window.library.leave_out.setChecked(False)
    start(window, qtbot)
    assert len(session_of(window).routine.steps) == 3


def test_broken_files_are_listed_with_their_error(qtbot: QtBot, spasmcoach_home: Path, clock: FakeClock) -> None:
    write_routine(spasmcoach_home, "knee-test", KNEE_ROUTINE)
    write_routine(spasmcoach_home, "broken", "title: Broken\nkind: nap\nsteps: []\n")
    win = MainWindow(make_context(spasmcoach_home, clock))
    qtbot.addWidget(win)
    texts = [win.library.list.item(i).text() for i in range(win.library.list.count())]
    assert any("broken.yaml (cannot be used)" in t for t in texts)
    broken_row = next(i for i, t in enumerate(texts) if "broken.yaml" in t)
    win.library.list.setCurrentRow(broken_row)
    assert win.library.title.text() == "This routine file has mistakes"
    assert "kind: must be one of" in win.library.steps.text()
    assert not win.library.start_button.isEnabled()


def test_no_audio_backend_shows_one_notice_and_the_routine_runs(
    qtbot: QtBot, spasmcoach_home: Path, clock: FakeClock
) -> None:
    from spasmcoach.audio import AudioUnavailableError
    from spasmcoach.gui.app import make_audio

    def no_backend(path: Path) -> object:
        raise AudioUnavailableError("no player")

    write_routine(spasmcoach_home, "knee-test", KNEE_ROUTINE)
    ctx = make_context(spasmcoach_home, clock)
    player = make_audio(clock, ctx.notifier, backend=no_backend)
    ctx.audio = player
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    try:
        start(win, qtbot)
        qtbot.waitUntil(lambda: player.available is False, timeout=3000)
        for _ in range(5):
            advance(win, clock, 3)
        qtbot.waitUntil(lambda: win.notice.isVisible())
        assert "Sound is not available" in win.notice.text() or "sound" in win.notice.text().lower()
        assert sum(1 for n in ctx.notifier.history if n.key == "audio") == 1
        assert session_of(win).runner.state.active
    finally:
        win.close()
        player.close()


def test_run_command_starts_without_prompts(qtbot: QtBot, spasmcoach_home: Path, clock: FakeClock) -> None:
    write_routine(spasmcoach_home, "knee-test", KNEE_ROUTINE)
    win = MainWindow(make_context(spasmcoach_home, clock))
    qtbot.addWidget(win)
    win.start_routine("knee-test", prompt=False)
    assert win.stack.currentWidget() is win.player and session_of(win).pain_before is None
    advance(win, clock, 10_000)
    assert win.stack.currentWidget() is win.finish_page and not win.finish_page.scale.isVisible()
    win.close()


def test_closing_mid_routine_ends_the_session(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot)
    window.close()
    assert journal_of(window).sessions()[0].outcome == "stopped"
    assert journal_of(window).events(types=["pain_stop"]) == []


def test_filters_and_search(window: MainWindow) -> None:
    library = window.library
    library.search.setText("knee chest")
    ids = [library.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(library.list.count())]
    found = [window.library.library.get(i) for i in ids]
    assert "knee-test" in ids and all(
        r is not None and ("knee" in r.title.lower() or any("knee" in s.name.lower() for s in r.steps)) for r in found
    )
    library.search.setText("no such words anywhere")
    assert library.list.count() == 0 and library.title.text() == "No routines match"
    library.search.setText("")
    library.kind_filter.setCurrentIndex(library.kind_filter.findData("warmup"))
    ids = [library.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(library.list.count())]
    assert "knee-test" not in ids


LYING = """title: Lying release
kind: release
get_ready: 5
steps:
  - name: Rest with pillows
    instructions: Lie on your back with pillows under your knees.
    duration: 30
    image: rest-supine-pillows.svg
  - name: Knees to chest
    instructions: Hug both knees gently.
    duration: 20
    image: knees-to-chest.svg
"""
STANDING = """title: Desk break test
kind: warmup
get_ready: 5
steps:
  - name: Shoulder rolls
    instructions: Sit tall and roll your shoulders backwards.
    duration: 20
    images: [shoulder-rolls-1.svg, shoulder-rolls-2.svg]
  - name: Reach overhead
    instructions: Reach up slowly.
    duration: 20
    image: reach-overhead-1.svg
"""


@pytest.mark.parametrize("seconds_in", [1, 5 + 3])  # during step 1's get-ready, and during step 1 itself
def test_a_new_routine_shows_its_own_first_step_after_a_stop(
    window: MainWindow,
    qtbot: QtBot,
    clock: FakeClock,
    spasmcoach_home: Path,
    seconds_in: float,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 12 item 1: the second routine's step 1 once showed the first routine's name, picture and words."""
    write_routine(spasmcoach_home, "lying", LYING)
    write_routine(spasmcoach_home, "standing", STANDING)
    window.reload_library()
    pictures: list[list[str]] = []
    real_set_images = window.player.illustration.set_images

    def spy(paths: list[Path | None], frame_seconds: float = 2.0) -> None:
        pictures.append([p.name if p else "?" for p in paths])
        real_set_images(paths, frame_seconds)

    monkeypatch.setattr(window.player.illustration, "set_images", spy)
    start(window, qtbot, routine="lying")
    advance(window, clock, seconds_in)
    assert window.player.step_name.text() == "Rest with pillows"
    key(window, Qt.Key.Key_Escape)
    window.stop_page.finish.click()

    start(window, qtbot, routine="standing")
    phase = session_of(window).runner.current_phase
    assert phase is not None and phase.step.name == "Shoulder rolls"
    assert window.player.step_name.text() == "Shoulder rolls"
    assert window.player.instructions.text() == "Sit tall and roll your shoulders backwards."
    assert pictures[-1] == ["shoulder-rolls-1.svg", "shoulder-rolls-2.svg"]
    assert window.player.current_texts()["next"] == "Next: Reach overhead"


def test_instructions_are_read_aloud_on_a_first_run_and_the_setting_is_kept(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    """A routine never finished before reads its instructions (with a get-ready long enough to hear them);
    Settings → Read instructions aloud → Never stops that, and the choice is saved."""
    window.ctx.settings.remove("sound/instructions")  # the default
    start(window, qtbot)
    assert not session_of(window).read_instructions  # no spoken guidance here: no longer get-readies either
    assert session_of(window).runner.timeline.phases[0].duration == 5
    window.pain_stop()
    window.show_library()
    window.voice_action.setEnabled(True)  # as on a computer with a speech engine
    window.voice_action.setChecked(True)
    start(window, qtbot)
    assert session_of(window).read_instructions
    get_ready = session_of(window).runner.timeline.phases[0]
    assert get_ready.kind is PhaseKind.GET_READY and get_ready.duration > 5  # the routine's own is 5 s
    first = session_of(window).routine.steps[0]
    assert first.instructions and " ".join(first.instructions.split()) in window.ctx.audio.said
    window.pain_stop()
    submenu = next(m for m in window.findChildren(QMenu) if "instructions" in m.title())
    never = next(a for a in submenu.actions() if a.text() == "&Never")
    never.trigger()
    assert window.ctx.settings.value("sound/instructions") == "never"
    window.show_library()
    start(window, qtbot)
    assert not session_of(window).read_instructions
    assert session_of(window).runner.timeline.phases[0].duration == 5
