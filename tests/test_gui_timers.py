"""The timers page, header summary, tray notifications and close-to-tray (offscreen, fake clock)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from gui_helpers import RecordingSink, driver_of, journal_of, session_of
from PySide6.QtCore import QDateTime
from pytestqt.qtbot import QtBot

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.timers import Therapy, TimerManager, TimerState, load_all_presets, start_episode
from spasmcoach.gui.context import AppContext
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.timers_panel import TimerDriver, TimersPage


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


WALL_START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def page_of(window: MainWindow) -> TimersPage:
    assert window.timers_page is not None
    return window.timers_page


def manager_of(window: MainWindow) -> TimerManager:
    assert window.ctx.timers is not None
    return window.ctx.timers


def timer_driver_of(window: MainWindow) -> TimerDriver:
    assert window.timer_driver is not None
    return window.timer_driver


def recording_ask(asked: list[str], answer: bool) -> Callable[[type, object, str, str], bool]:
    """A stand-in for ``TimersPage.ask`` that notes each question and gives ``answer``."""

    def ask(cls: type, parent: object, title: str, text: str) -> bool:
        asked.append(text)
        return answer

    return ask


def build(home: Path, clock: FakeClock, journal: Journal) -> MainWindow:
    origin = clock.now()

    def wall() -> datetime:  # the wall clock moves with the fake one, as real clocks do together
        return WALL_START + timedelta(seconds=clock.now() - origin)

    manager = TimerManager(clock, journal=journal, boot_id=lambda: "boot-1", now=wall)
    presets, _ = load_all_presets()
    ctx = AppContext(clock=clock, journal=journal, audio=RecordingSink(), timers=manager, presets=presets)
    return MainWindow(ctx)


@pytest.fixture
def window(qtbot: QtBot, spasmcoach_home: Path, clock: FakeClock) -> Iterator[MainWindow]:
    spasmcoach_home.mkdir(parents=True)
    journal = Journal.open()
    win = build(spasmcoach_home, clock, journal)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.quit_app()
    assert not timer_driver_of(win).timer.isActive()
    journal.close()


def start(window: MainWindow, preset_id: str) -> str:
    page = page_of(window)
    page.preset_box.setCurrentIndex(page.preset_box.findData(preset_id))
    page.start_preset.click()
    return manager_of(window).timers[-1].id


def test_ice_cycle_runs_through_its_phases_with_sound_notification_and_highlight(
    window: MainWindow, clock: FakeClock
) -> None:
    window.nav_buttons["Timers"].click()
    timer_id = start(window, "ice-cycle")
    card = page_of(window).cards[timer_id]
    assert card.phase.text() == "Ice on · cycle 1 of 3" and card.clock.text() == "20:00"
    assert window.timer_summary.text() == "Ice 20:00"
    clock.advance(20 * 60 + 0.5)
    timer_driver_of(window).tick()
    assert card.phase.text() == "Break · cycle 1 of 3" and card.clock.text() == "30:00"
    assert window.ctx.audio.played[-1] == "timer-phase"
    assert window.tray.messages[-1].startswith("Ice cycle, 20 min on / 30 min off × 3: time for a break")
    assert card.highlighted
    clock.advance(30 * 60 + 20 * 60 + 30 * 60 + 20 * 60)
    timer_driver_of(window).tick()
    assert manager_of(window).get(timer_id).state is TimerState.FINISHED
    assert card.phase.text().startswith("Finished at ") and window.ctx.audio.played[-1] == "timer-done"
    types = [e.type for e in journal_of(window).events() if e.type.startswith("timer_")]
    assert types == ["timer_start"] + ["timer_phase"] * 4 + ["timer_end"]


def test_pause_add_and_cancel_buttons(window: MainWindow, clock: FakeClock) -> None:
    timer_id = start(window, "ice-20")
    card = page_of(window).cards[timer_id]
    clock.advance(60)
    card.pause_button.click()
    assert card.pause_button.text() == "Resume" and card.phase.text().startswith("Paused")
    clock.advance(600)
    timer_driver_of(window).tick()
    assert card.clock.text() == "19:00"
    card.add_button.click()
    assert card.clock.text() == "24:00"
    card.pause_button.click()
    card.cancel_button.click()  # the first press only asks
    assert card.driver.manager.get(timer_id).state.active and card.cancel_button.text() == "Yes, stop this timer"
    card.cancel_button.click()
    assert card.phase.text() == "Cancelled" and not card.cancel_button.isVisible()
    card.clear_button.click()
    assert timer_id not in page_of(window).cards
    assert [e.type for e in journal_of(window).events() if e.type.startswith("timer_")][-1] == "timer_cancel"


def test_several_timers_at_once_alongside_a_routine(
    window: MainWindow, clock: FakeClock, spasmcoach_home: Path
) -> None:
    start(window, "ice-20")
    page_of(window).start(load_all_presets()[0]["ice-massage"])
    assert len(manager_of(window).active) == 2
    assert window.timer_summary.text() == "Ice 20:00 · Ice 5:00"
    window.library.select("lower-back-release")
    window.library.start_button.click()
    window.before.skip.click()
    assert window.stack.currentWidget() is window.player
    assert window.timer_summary.isVisible() and not window.nav_buttons["Timers"].isVisible()
    clock.advance(5 * 60 + 1)
    timer_driver_of(window).tick()
    driver_of(window).tick()
    assert window.timer_summary.text() == "Ice 14:59"
    assert session_of(window).runner.state.active


def test_heat_in_the_first_72_hours_asks_first(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    start_episode(journal_of(window), datetime.now(UTC) - timedelta(hours=20))
    asked: list[str] = []
    monkeypatch.setattr(TimersPage, "ask", classmethod(recording_ask(asked, False)))
    page = page_of(window)
    page.heat.setChecked(True)
    page.start_custom.click()
    assert asked and "first two to three days" in asked[0]
    assert manager_of(window).timers == []
    monkeypatch.setattr(TimersPage, "ask", classmethod(lambda cls, parent, title, text: True))
    page.start_custom.click()
    assert manager_of(window).timers[0].preset.therapy is Therapy.HEAT


def test_long_on_phase_warns(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(TimersPage, "ask", classmethod(recording_ask(asked, True)))
    page = page_of(window)
    page.on_minutes.setValue(30)
    page.start_custom.click()
    assert asked and "skin" in asked[0]


def test_episode_start_is_saved_and_suggests_cold(window: MainWindow) -> None:
    page = page_of(window)
    assert "Tell the app when this spasm began" in page.episode_text.text()
    started = datetime.now().astimezone() - timedelta(hours=30)
    page.episode_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(started.timestamp())))
    page.episode_button.click()
    assert "cold soothing" in page.episode_text.text()
    assert journal_of(window).events(types=["episode_start"])


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_closing_with_timers_hides_to_the_tray(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(window.tray, "available", True)
    start(window, "ice-20")
    window.close()
    assert not window.isVisible() and manager_of(window).active
    assert not timer_driver_of(window).visible
    assert window.tray.messages[-1] == "Your timers keep running here in the tray."
    window.show_from_tray()
    assert window.isVisible() and timer_driver_of(window).visible


def test_restart_restores_timers_and_finished_while_closed(
    qtbot: QtBot, spasmcoach_home: Path, clock: FakeClock
) -> None:
    spasmcoach_home.mkdir(parents=True)
    journal = Journal.open()
    first = build(spasmcoach_home, clock, journal)
    qtbot.addWidget(first)
    start(first, "ice-20")
    start(first, "ice-massage")
    first.quit_app()
    clock.advance(6 * 60)
    second = build(spasmcoach_home, clock, journal)
    qtbot.addWidget(second)
    cards = list(page_of(second).cards.values())
    assert cards[0].clock.text() == "14:00" and cards[0].phase.text() == "Ice on"
    assert cards[1].phase.text().startswith("Finished at ")
    assert [e.type for e in journal.events() if e.type == "timer_end"] == ["timer_end"]
    second.quit_app()
    journal.close()


# -- when did the spasm start? (issue 12 §5) -------------------------------------------------------------------
def save_start(window: MainWindow, moment: datetime) -> str:
    page = page_of(window)
    page.episode_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))
    page.episode_button.click()
    return page.episode_text.text()


def test_a_future_spasm_start_is_refused(window: MainWindow) -> None:
    text = save_start(window, datetime.now(UTC) + timedelta(hours=3))
    assert "cannot be in the future" in text and "-" not in text.split(".")[0]
    assert window.ctx.journal is not None and window.ctx.journal.events(types=["episode_start"]) == []


def test_the_latest_entry_wins_and_the_heat_note_uses_it(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime.now(UTC)
    save_start(window, now - timedelta(minutes=10))
    text = save_start(window, now - timedelta(hours=30))  # a correction to an earlier time
    assert text.startswith("Started about 30 hours ago.")
    asked: list[str] = []

    def ask(cls: type, parent: object, title: str, body: str) -> bool:
        asked.append(body)
        return False

    monkeypatch.setattr(TimersPage, "ask", classmethod(ask))
    page = page_of(window)
    page.preset_box.setCurrentIndex(page.preset_box.findData("heat-20"))
    page.start_preset.click()
    assert asked and "about 30 hours ago" in asked[0] and "less than an hour" not in asked[0]


def test_a_start_just_now_reads_naturally(window: MainWindow) -> None:
    text = save_start(window, datetime.now(UTC) - timedelta(minutes=5))
    assert text.startswith("Started less than an hour ago.")
    assert "0 hours" not in text
    text = save_start(window, datetime.now(UTC) - timedelta(minutes=70))
    assert text.startswith("Started about 1 hour ago.")


def test_cancel_asks_first_and_the_question_goes_away(window: MainWindow, qtbot: QtBot) -> None:
    timer_id = start(window, "ice-20")
    card = page_of(window).cards[timer_id]
    card.disarm.setInterval(50)
    card.cancel_button.click()
    assert "Press again" in card.phase.text()
    assert window.timer_driver is not None
    window.timer_driver.tick()  # the countdown goes on under the question
    assert "Press again" in card.phase.text()
    qtbot.waitUntil(lambda: card.cancel_button.text() == "Cancel")
    assert card.phase.text() == "Ice on" and manager_of(window).get(timer_id).state is TimerState.RUNNING
    card.cancel_button.click()
    card.cancel_button.click()
    assert manager_of(window).get(timer_id).state is TimerState.CANCELLED
