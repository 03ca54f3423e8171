"""The timers page, header summary, tray notifications and close-to-tray (offscreen, fake clock)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from gui_helpers import RecordingSink
from pytestqt.qtbot import QtBot

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.timers import Therapy, TimerManager, TimerState, load_all_presets, start_episode
from spasmcoach.gui.context import AppContext
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.timers_panel import TimersPage


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


WALL_START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


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
    assert not win.timer_driver.timer.isActive()
    journal.close()


def start(window: MainWindow, preset_id: str) -> str:
    page = window.timers_page
    page.preset_box.setCurrentIndex(page.preset_box.findData(preset_id))
    page.start_preset.click()
    return window.ctx.timers.timers[-1].id


def test_ice_cycle_runs_through_its_phases_with_sound_notification_and_highlight(
    window: MainWindow, clock: FakeClock
) -> None:
    window.nav_buttons["Timers"].click()
    timer_id = start(window, "ice-cycle")
    card = window.timers_page.cards[timer_id]
    assert card.phase.text() == "Ice on · cycle 1 of 3" and card.clock.text() == "20:00"
    assert window.timer_summary.text() == "Ice 20:00"
    clock.advance(20 * 60 + 0.5)
    window.timer_driver.tick()
    assert card.phase.text() == "Break · cycle 1 of 3" and card.clock.text() == "30:00"
    assert window.ctx.audio.played[-1] == "timer-phase"
    assert window.tray.messages[-1].startswith("Ice cycle, 20 min on / 30 min off × 3: time for a break")
    assert card.highlighted
    clock.advance(30 * 60 + 20 * 60 + 30 * 60 + 20 * 60)
    window.timer_driver.tick()
    assert window.ctx.timers.get(timer_id).state is TimerState.FINISHED
    assert card.phase.text().startswith("Finished at ") and window.ctx.audio.played[-1] == "timer-done"
    types = [e.type for e in window.ctx.journal.events() if e.type.startswith("timer_")]
    assert types == ["timer_start"] + ["timer_phase"] * 4 + ["timer_end"]


def test_pause_add_and_cancel_buttons(window: MainWindow, clock: FakeClock) -> None:
    timer_id = start(window, "ice-20")
    card = window.timers_page.cards[timer_id]
    clock.advance(60)
    card.pause_button.click()
    assert card.pause_button.text() == "Resume" and card.phase.text().startswith("Paused")
    clock.advance(600)
    window.timer_driver.tick()
    assert card.clock.text() == "19:00"
    card.add_button.click()
    assert card.clock.text() == "24:00"
    card.pause_button.click()
    card.cancel_button.click()
    assert card.phase.text() == "Cancelled" and not card.cancel_button.isVisible()
    card.clear_button.click()
    assert timer_id not in window.timers_page.cards
    assert [e.type for e in window.ctx.journal.events() if e.type.startswith("timer_")][-1] == "timer_cancel"


def test_several_timers_at_once_alongside_a_routine(
    window: MainWindow, clock: FakeClock, spasmcoach_home: Path
) -> None:
    start(window, "ice-20")
    window.timers_page.start(load_all_presets()[0]["ice-massage"])
    assert len(window.ctx.timers.active) == 2
    assert window.timer_summary.text() == "Ice 20:00 · Ice 5:00"
    window.library.select("lower-back-release")
    window.library.start_button.click()
    window.before.skip.click()
    assert window.stack.currentWidget() is window.player
    assert window.timer_summary.isVisible() and not window.nav_buttons["Timers"].isVisible()
    clock.advance(5 * 60 + 1)
    window.timer_driver.tick()
    window.driver.tick()
    assert window.timer_summary.text() == "Ice 14:59"
    assert window.session.runner.state.active


def test_heat_in_the_first_72_hours_asks_first(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    start_episode(window.ctx.journal, datetime.now(UTC) - timedelta(hours=20))
    asked: list[str] = []
    monkeypatch.setattr(TimersPage, "ask", classmethod(lambda cls, parent, title, text: asked.append(text) or False))
    page = window.timers_page
    page.heat.setChecked(True)
    page.start_custom.click()
    assert asked and "first two to three days" in asked[0]
    assert window.ctx.timers.timers == []
    monkeypatch.setattr(TimersPage, "ask", classmethod(lambda cls, parent, title, text: True))
    page.start_custom.click()
    assert window.ctx.timers.timers[0].preset.therapy is Therapy.HEAT


def test_long_on_phase_warns(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(TimersPage, "ask", classmethod(lambda cls, parent, title, text: asked.append(text) or True))
    page = window.timers_page
    page.on_minutes.setValue(30)
    page.start_custom.click()
    assert asked and "skin" in asked[0]


def test_episode_start_is_saved_and_suggests_cold(window: MainWindow) -> None:
    page = window.timers_page
    assert "Tell the app when this spasm began" in page.episode_text.text()
    page.episode_edit.setDateTime(datetime.now().astimezone() - timedelta(hours=30))
    page.episode_button.click()
    assert "Cold is usually advised" in page.episode_text.text()
    assert window.ctx.journal.events(types=["episode_start"])


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_closing_with_timers_hides_to_the_tray(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(window.tray, "available", True)
    start(window, "ice-20")
    window.close()
    assert not window.isVisible() and window.ctx.timers.active
    assert not window.timer_driver.visible
    assert window.tray.messages[-1] == "Your timers keep running here in the tray."
    window.show_from_tray()
    assert window.isVisible() and window.timer_driver.visible


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
    cards = list(second.timers_page.cards.values())
    assert cards[0].clock.text() == "14:00" and cards[0].phase.text() == "Ice on"
    assert cards[1].phase.text().startswith("Finished at ")
    assert [e.type for e in journal.events() if e.type == "timer_end"] == ["timer_end"]
    second.quit_app()
    journal.close()
