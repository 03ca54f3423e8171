"""Reminders in the window (offscreen, fake clock, fake wall time): the stand-and-stretch question and its
answers in the journal, idle time, holds, routine times, the first-launch offer, the tray line, the page."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from dbus_standins import NotificationStandIn, dbus_tools_missing, private_bus
from gui_helpers import journal_of, make_context
from PySide6.QtCore import Qt
from PySide6.QtDBus import QDBusConnection
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.reminders import model, store
from spasmcoach.gui.idle import IdleMonitor, IdleStatus
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.navigation import Page
from spasmcoach.gui.reminder_wiring import LAST_SEEN_SETTING, ReminderWiring, attach_reminders
from spasmcoach.gui.reminders_page import ReminderPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
WALL_START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


class FakeIdle(IdleMonitor):
    """Idle seconds set by the test, answered at once."""

    def __init__(self, seconds: float | None = 0.0) -> None:
        super().__init__(None, x11=lambda: None)
        self.seconds = seconds
        self.status = IdleStatus.KNOWN if seconds is not None else IdleStatus.UNKNOWN

    def request(self, answer: Callable[[float | None], None]) -> None:
        answer(self.seconds)


class Rig:
    """A window with reminders attached, and the clocks that drive it."""

    def __init__(self, window: MainWindow, clock: FakeClock, idle: FakeIdle, wiring: ReminderWiring) -> None:
        self.window, self.clock, self.idle, self.wiring = window, clock, idle, wiring
        self.origin = clock.now()

    def wall(self) -> datetime:
        return WALL_START + timedelta(seconds=self.clock.now() - self.origin)

    def minutes(self, count: int, idle: float | None = None) -> None:
        """``count`` minutes pass, the wiring waking each minute as its timer would."""
        for _minute in range(count):
            if idle is not None:
                self.idle.seconds = idle
            self.clock.advance(60)
            self.wiring.wake()

    def event_types(self) -> list[str]:
        return [e.type for e in journal_of(self.window).events() if e.type.startswith("reminder_")]


def save_settings(home: Path, settings: model.ReminderSettings) -> None:
    home.mkdir(parents=True, exist_ok=True)
    store.save(settings, home / store.FILE_NAME)


BREAK_ON = model.ReminderSettings(break_reminder=model.BreakReminder(True, 60), offered=True)


@pytest.fixture
def make_rig(qtbot: QtBot, spasmcoach_home: Path) -> Iterator[Callable[..., Rig]]:
    windows: list[MainWindow] = []

    def build(
        settings: model.ReminderSettings | None = BREAK_ON,
        idle: float | None = 0.0,
        safety_seen: bool = True,
        last_seen: datetime | None = None,
        bus: QDBusConnection | None = None,
    ) -> Rig:
        if settings is not None:
            save_settings(spasmcoach_home, settings)
        clock = FakeClock()
        ctx = make_context(spasmcoach_home, clock)
        ctx.settings.setValue("safety/seen", safety_seen)
        if last_seen is not None:
            ctx.settings.setValue(LAST_SEEN_SETTING, last_seen.isoformat())
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        fake_idle = FakeIdle(idle)
        rig = Rig(window, clock, fake_idle, None)  # type: ignore[arg-type]
        wiring = attach_reminders(window, clock, bus, idle=fake_idle, now=rig.wall, tz=UTC)
        assert wiring is not None
        rig.wiring = wiring
        return rig

    yield build
    for window in windows:
        window.quit_app()
        journal_of(window).close()


def test_after_an_hour_at_the_computer_the_question_comes_and_start_opens_the_desk_break(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig()
    bar = rig.wiring.bar
    rig.minutes(59)
    assert not bar.isVisible() and rig.event_types() == []
    assert rig.window.tray.reminder_action.text() == "Next: stand and stretch in 1 min"
    rig.minutes(1)
    assert bar.isVisible() and "<b>Time to stand up and stretch.</b>" in bar.text.text()
    assert [bar.button(a).text() for a in ("start", "snooze", "skip")] == [
        "Start the desk break", "Snooze 10 min", "Skip"
    ]  # fmt: skip
    sent = rig.wiring.alerts.sent[-1]
    assert sent.title == "Time to stand up and stretch" and sent.key == "reminder:break" and not sent.critical
    assert rig.event_types() == ["reminder_shown"]
    rig.minutes(30)  # no answer yet: asked once, not again every minute
    assert rig.event_types() == ["reminder_shown"] and len(rig.wiring.alerts.sent) == 1

    bar.button("start").click()
    assert rig.window.stack.current_spec() is not None
    assert rig.window.stack.current_spec().key is Page.BEFORE  # type: ignore[union-attr]
    assert rig.window.before.isVisible() and "Desk break" in rig.window.before.title.text()
    assert not bar.isVisible()
    assert rig.event_types() == ["reminder_shown", "reminder_taken"]
    [taken] = [e for e in journal_of(rig.window).events() if e.type == "reminder_taken"]
    assert taken.routine == "desk-break" and taken.data == {"reminder": "break", "kind": "break"}


def test_idle_time_does_not_count_and_five_minutes_away_starts_the_count_again(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig()
    rig.minutes(50)
    rig.minutes(20, idle=60)  # idle through each of these minutes: they do not count
    assert not rig.wiring.bar.isVisible()
    assert rig.wiring.planner.counter is not None and rig.wiring.planner.counter.active == pytest.approx(50 * 60)
    rig.idle.seconds = 5 * 60  # a natural break
    rig.minutes(1)
    assert rig.wiring.planner.counter.active == 0
    rig.minutes(59, idle=0)
    assert not rig.wiring.bar.isVisible()
    rig.minutes(1)
    assert rig.wiring.bar.isVisible()


def test_snooze_asks_again_after_ten_minutes_and_skip_starts_a_fresh_hour(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    rig.minutes(60)
    rig.wiring.bar.button("snooze").click()
    assert not rig.wiring.bar.isVisible()
    rig.minutes(9)
    assert not rig.wiring.bar.isVisible()
    rig.minutes(1)
    assert rig.wiring.bar.isVisible()
    rig.wiring.bar.button("skip").click()
    rig.minutes(59)
    assert not rig.wiring.bar.isVisible()
    rig.minutes(1)
    assert rig.wiring.bar.isVisible()
    assert rig.event_types() == [
        "reminder_shown", "reminder_snoozed", "reminder_shown", "reminder_skipped", "reminder_shown"
    ]  # fmt: skip


def test_a_notification_button_answers_the_same_way(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    rig.minutes(60)
    rig.wiring.alerts.action.emit("reminder:break", "skip")
    assert not rig.wiring.bar.isVisible() and rig.event_types() == ["reminder_shown", "reminder_skipped"]
    rig.wiring.alerts.action.emit("reminder:break", "skip")  # a second press on an old notification
    assert rig.event_types() == ["reminder_shown", "reminder_skipped"]


def test_never_during_a_routine_and_a_routine_counts_as_a_break(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    rig.minutes(55)
    rig.window.start_routine("desk-break", prompt=True)  # the Before page: part of a run
    rig.minutes(10)
    assert not rig.wiring.bar.isVisible() and rig.event_types() == []
    rig.window.show_library()
    rig.minutes(59)
    assert not rig.wiring.bar.isVisible()
    rig.minutes(1)
    assert rig.wiring.bar.isVisible()


def test_quiet_hours_and_do_not_disturb_hold_the_reminder_until_they_end(make_rig: Callable[..., Rig]) -> None:
    quiet = model.QuietHours(True, time(9, 30), time(10, 30))
    rig = make_rig(replace(BREAK_ON, quiet=quiet))
    rig.wiring.dnd.on = True
    rig.minutes(60)  # 10:00: due, but quiet hours
    assert not rig.wiring.bar.isVisible() and rig.event_types() == []
    rig.minutes(31)  # 10:31: quiet hours over, do-not-disturb still on
    assert not rig.wiring.bar.isVisible()
    rig.wiring.dnd.on = False
    rig.minutes(1)
    assert rig.wiring.bar.isVisible() and rig.event_types() == ["reminder_shown"]


def test_a_routine_at_a_set_time_is_shown_once_and_a_missed_one_once_after_starting(
    make_rig: Callable[..., Rig],
) -> None:
    morning = model.RoutineReminder("warm-up", "warm-up", (time(8, 0), time(9, 30)))
    rig = make_rig(model.ReminderSettings(routines=(morning,), offered=True), last_seen=WALL_START - timedelta(hours=2))
    assert rig.wiring.bar.isVisible()  # 08:00 passed while SpasmCoach was closed: shown once
    assert "<b>Time for Gentle warm-up.</b>" in rig.wiring.bar.text.text()
    rig.wiring.bar.button("skip").click()
    rig.minutes(29)
    assert not rig.wiring.bar.isVisible()
    rig.minutes(1)  # 09:30
    assert rig.wiring.bar.isVisible() and rig.wiring.alerts.sent[-1].key == "reminder:warm-up"
    assert rig.event_types() == ["reminder_shown", "reminder_skipped", "reminder_shown"]
    events = [e for e in journal_of(rig.window).events() if e.type == "reminder_shown"]
    assert {e.data["kind"] for e in events} == {"routine"} and {e.routine for e in events} == {"warm-up"}


def test_the_wake_up_timer_sleeps_until_it_is_worth_looking_and_not_at_all_when_nothing_is_set(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig()
    assert rig.wiring.timer.isActive() and 0 < rig.wiring.timer.interval() <= 60_001
    rig.wiring.apply(replace(BREAK_ON, break_reminder=model.BreakReminder(False)))
    assert not rig.wiring.timer.isActive()


def test_the_first_launch_offer_is_a_calm_question_in_the_window(
    make_rig: Callable[..., Rig], spasmcoach_home: Path, qtbot: QtBot
) -> None:
    rig = make_rig(settings=None, safety_seen=False)
    assert not rig.wiring.bar.isVisible()  # the safety page comes first
    rig.window.safety.button.click()
    qtbot.waitUntil(rig.wiring.bar.isVisible)
    assert "stand up and stretch" in rig.wiring.bar.text.text()
    assert rig.window.library.isVisible()
    assert not rig.wiring.bar.button("yes").hasFocus()  # offered, never forced: the focus stays on the page
    rig.wiring.bar.button("yes").click()
    saved = json.loads((spasmcoach_home / "reminders.json").read_text())
    assert saved["offered"] is True and saved["break"]["enabled"] is True
    assert not rig.wiring.bar.isVisible()


def test_the_offer_declined_is_not_asked_again(make_rig: Callable[..., Rig], spasmcoach_home: Path) -> None:
    rig = make_rig(settings=None)
    assert rig.wiring.bar.isVisible()
    rig.wiring.bar.button("no").click()
    assert store.load(spasmcoach_home / "reminders.json").settings.offered
    rig.wiring.offer()
    assert not rig.wiring.bar.isVisible() and rig.wiring.planner.counter is None


def page_of(rig: Rig, qtbot: QtBot) -> ReminderPage:
    rig.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(rig.window.stack.current_page(), ReminderPage))
    page = rig.window.stack.current_page()
    assert isinstance(page, ReminderPage)
    return page


def test_ctrl_5_opens_the_page_and_its_changes_are_saved_for_the_command_line(
    make_rig: Callable[..., Rig], spasmcoach_home: Path, qtbot: QtBot
) -> None:
    rig = make_rig(idle=None)
    page = page_of(rig, qtbot)
    assert page.break_on.isChecked() and page.minutes.value() == 60
    assert page.idle_line.text().startswith("This desktop does not tell SpasmCoach when you are away")
    assert page.next_line.text() == "Next: stand and stretch in 60 min"

    page.minutes.setValue(45)
    page.minutes.editingFinished.emit()
    page.routine_box.setCurrentIndex(page.routine_box.findData("warm-up"))
    page.time_edit.setTime(page.time_edit.time().fromString("18:15", "HH:mm"))
    for index in (5, 6):
        page.day_boxes[index].setChecked(False)
    page.add.click()
    page.quiet_on.setChecked(True)
    saved = store.load(spasmcoach_home / "reminders.json").settings
    assert saved.break_reminder.minutes == 45 and saved.quiet.enabled
    [added] = saved.routines
    assert added.routine == "warm-up" and added.times == (time(18, 15),) and added.days == frozenset(range(5))
    assert page.planned.item(0).text() == "Gentle warm-up at 18:15, weekdays"

    page.remove.click()
    assert store.load(spasmcoach_home / "reminders.json").settings.routines == ()
    assert page.empty_line.isVisibleTo(page)
    page.break_on.setChecked(False)
    assert not store.load(spasmcoach_home / "reminders.json").settings.break_reminder.enabled
    assert not rig.window.tray.reminder_action.isVisible()


def test_a_day_must_be_ticked(make_rig: Callable[..., Rig], qtbot: QtBot) -> None:
    rig = make_rig()
    page = page_of(rig, qtbot)
    for box in page.day_boxes:
        box.setChecked(False)
    page.add.click()
    assert page.add_problem.isVisibleTo(page) and page.add_problem.text() == "Tick at least one day of the week."
    assert rig.wiring.settings.routines == ()


def test_a_damaged_settings_file_is_set_aside_with_a_calm_notice(
    make_rig: Callable[..., Rig], spasmcoach_home: Path
) -> None:
    spasmcoach_home.mkdir(parents=True)
    (spasmcoach_home / "reminders.json").write_text("{not json")
    rig = make_rig(settings=None)
    assert "reminder settings" in rig.window.notice.text() and "could not be read" in rig.window.notice.text()
    assert rig.wiring.settings == model.ReminderSettings()


def test_history_shows_breaks_taken_per_day_at_a_glance(make_rig: Callable[..., Rig], qtbot: QtBot) -> None:
    rig = make_rig()
    rig.minutes(60)
    rig.wiring.bar.button("start").click()
    rig.window.show_library()
    rig.window.open_page(Page.HISTORY)
    view = rig.window.stack.current_page()
    qtbot.waitUntil(lambda: "Stand-and-stretch breaks taken: today: 1." in view.insight_texts())  # type: ignore[union-attr]


@pytest.mark.skipif(dbus_tools_missing() is not None, reason=dbus_tools_missing() or "")
def test_start_the_desk_break_pressed_on_a_desktop_notification(
    make_rig: Callable[..., Rig], qtbot: QtBot, tmp_path: Path
) -> None:
    with private_bus() as address:
        bus = QDBusConnection.connectToBus(address, "test-reminders-bus")
        standin = NotificationStandIn(address, tmp_path / "received.json")
        try:
            rig = make_rig(bus=bus)
            rig.minutes(60)
            [sent] = standin.received()
            assert sent["summary"] == "Time to stand up and stretch" and sent["hints"]["urgency"] == 1
            assert sent["actions"] == ["start", "Start the desk break", "snooze", "Snooze 10 min", "skip", "Skip"]
            assert rig.wiring.alerts.sent[-1].channel == "desktop"
            standin.press(sent["id"], "start")
            qtbot.waitUntil(lambda: rig.window.before.isVisible(), timeout=3000)
            assert rig.window.before.title.text() == "Desk break"
            assert rig.event_types() == ["reminder_shown", "reminder_taken"]
        finally:
            standin.stop()
            QDBusConnection.disconnectFromBus("test-reminders-bus")


def test_keyboard_alone_f6_reaches_the_question_and_enter_starts_the_desk_break(
    make_rig: Callable[..., Rig], qtbot: QtBot
) -> None:
    rig = make_rig()
    rig.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    page_focus = QApplication.focusWidget()
    rig.minutes(60)
    assert QApplication.focusWidget() is page_focus  # the question never takes the focus by itself
    QTest.keyClick(page_focus, Qt.Key.Key_F6)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is rig.wiring.bar.button("start"))
    QTest.keyClick(rig.wiring.bar.button("start"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: rig.window.before.isVisible())
    assert rig.event_types() == ["reminder_shown", "reminder_taken"]


def test_the_page_shows_what_the_terminal_changed_meanwhile(
    make_rig: Callable[..., Rig], spasmcoach_home: Path, qtbot: QtBot
) -> None:
    rig = make_rig()
    rig.window.show_library()
    evening = model.RoutineReminder("warm-up", "warm-up", (time(18, 0),))
    save_settings(spasmcoach_home, replace(BREAK_ON, routines=(evening,)))  # as `spasmcoach reminders add` does
    page = page_of(rig, qtbot)
    assert page.planned.count() == 1 and rig.wiring.settings.routines == (evening,)
    assert rig.window.tray.reminder_action.text() == "Next: stand and stretch in 60 min"


def test_the_tray_shows_the_running_timers_and_the_next_reminder_together(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    tray = rig.window.tray
    tray.update_timers(["Ice: 12 min left"])
    rig.minutes(35)
    assert tray.icon.toolTip() == "SpasmCoach\nIce: 12 min left\nNext: stand and stretch in 25 min"
    menu = [a.text() for a in tray.menu.actions() if a.isVisible() and a.text()]
    assert (
        menu.index("Ice: 12 min left") < menu.index("Next: stand and stretch in 25 min") < menu.index("Show SpasmCoach")
    )
    tray.update_timers([])
    assert tray.icon.toolTip() == "SpasmCoach\nNext: stand and stretch in 25 min"


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_closing_the_window_keeps_reminders_coming_from_the_tray(
    make_rig: Callable[..., Rig], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a reminder set, closing hides to the tray (a quit app reminds nobody); with none set, and no timers,
    closing still quits."""
    rig = make_rig()
    monkeypatch.setattr(rig.window.tray, "available", True)
    rig.window.close()
    assert not rig.window.isVisible() and not rig.window._quitting
    assert rig.window.tray.messages[-1] == "Your reminders keep coming from here in the tray."
    rig.minutes(60)
    assert rig.wiring.bar.text.text() and rig.event_types() == ["reminder_shown"]

    rig.window.show_from_tray()
    assert rig.wiring.apply(model.ReminderSettings(offered=True))  # everything switched off
    assert not rig.window.keeps_running_in_tray()
