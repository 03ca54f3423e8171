"""Desktop notifications over D-Bus, against a stand-in notification service on a private session bus.

The stand-in accepts Notify only with the specification's exact signature (``susssasa{sv}i``, as GDBus-
and Qt-based servers do), records what it received and can press a notification's button. Each test
starts its own ``dbus-daemon``; the user's bus is never touched.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dbus_standins import NotificationStandIn, dbus_tools_missing, private_bus
from gui_helpers import RecordingSink
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from spasmcoach.core.app_id import APP_ID
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.timers import TimerManager, load_all_presets
from spasmcoach.gui.context import AppContext
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.notifications import NOTIFY_TIMEOUT_MS, Alerts, DesktopNotifications

pytestmark = pytest.mark.skipif(dbus_tools_missing() is not None, reason=dbus_tools_missing() or "")
_names = itertools.count()


@pytest.fixture
def address() -> Iterator[str]:
    with private_bus() as bus_address:
        yield bus_address


@pytest.fixture
def bus(address: str) -> Iterator[QDBusConnection]:
    name = f"test-notifications-{next(_names)}"
    connection = QDBusConnection.connectToBus(address, name)
    assert connection.isConnected()
    yield connection
    QDBusConnection.disconnectFromBus(name)


@pytest.fixture
def standin(address: str, tmp_path: Path) -> Iterator[NotificationStandIn]:
    service = NotificationStandIn(address, tmp_path / "received.json")
    yield service
    service.stop()


@pytest.fixture
def window(qtbot: QtBot, spasmcoach_home: Path) -> Iterator[MainWindow]:
    spasmcoach_home.mkdir(parents=True)
    clock = FakeClock()
    journal = Journal.open()
    origin = clock.now()
    wall_start = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    manager = TimerManager(
        clock,
        journal=journal,
        boot_id=lambda: "boot-1",
        now=lambda: wall_start + timedelta(seconds=clock.now() - origin),
    )
    presets, _ = load_all_presets()
    ctx = AppContext(clock=clock, journal=journal, audio=RecordingSink(), timers=manager, presets=presets)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.quit_app()
    journal.close()


def start_ice_cycle(window: MainWindow) -> str:
    page = window.timers_page
    assert page is not None
    page.preset_box.setCurrentIndex(page.preset_box.findData("ice-cycle"))
    page.start_preset.click()
    return window.ctx.timers.timers[-1].id  # type: ignore[union-attr]


def end_ice_phase(window: MainWindow) -> None:
    clock = window.ctx.clock
    assert isinstance(clock, FakeClock)
    clock.advance(20 * 60 + 0.5)
    window.timer_driver.tick()  # type: ignore[union-attr]


def test_ice_phase_end_is_a_critical_desktop_notification_and_plus_5_adds_five_minutes(
    window: MainWindow, bus: QDBusConnection, standin: NotificationStandIn, qtbot: QtBot
) -> None:
    wiring = window.timer_wiring
    assert wiring is not None and wiring.alerts.attach_bus(bus)
    timer_id = start_ice_cycle(window)
    end_ice_phase(window)

    [sent] = standin.received()
    assert sent["app_name"] == "SpasmCoach" and sent["app_icon"] == APP_ID and sent["replaces_id"] == 0
    assert sent["summary"] == "Take the ice off now"
    assert sent["body"].startswith("Ice cycle, 20 min on / 30 min off × 3: time for a break. Take the ice off")
    assert sent["actions"] == ["open", "Open", "add5", "+5 min"]
    assert sent["hints"]["urgency"] == 2 and sent["hints"]["desktop-entry"] == APP_ID
    assert sent["expire_timeout"] == 0  # a critical one stays until dismissed
    assert wiring.alerts.sent[-1].channel == "desktop"
    assert window.tray.messages == []  # no tray balloon on top of the desktop notification
    assert window.notice.text().startswith("Ice cycle")  # the window's own banner is shown as well

    timer = window.ctx.timers.get(timer_id)  # type: ignore[union-attr]
    before = timer.remaining
    standin.press(sent["id"], "add5")
    qtbot.waitUntil(lambda: timer.remaining > before + 290, timeout=3000)
    assert timer.remaining == pytest.approx(before + 300, abs=1)
    assert timer.added[timer.phase_index] == 300


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_the_next_phase_replaces_the_timers_notification_and_open_shows_the_timers(
    window: MainWindow, bus: QDBusConnection, standin: NotificationStandIn, qtbot: QtBot
) -> None:
    assert window.timer_wiring is not None and window.timer_wiring.alerts.attach_bus(bus)
    start_ice_cycle(window)
    end_ice_phase(window)
    window.show_library()
    assert window.timers_page is not None and not window.timers_page.isVisible()
    clock = window.ctx.clock
    assert isinstance(clock, FakeClock)
    clock.advance(30 * 60 + 0.5)
    window.timer_driver.tick()  # type: ignore[union-attr]
    first, second = standin.received()
    assert second["summary"] == "Ice on again" and second["hints"]["urgency"] == 1
    assert second["replaces_id"] == first["id"]  # one notification per timer, not a growing pile
    assert second["expire_timeout"] == -1
    standin.press(second["id"], "open")
    qtbot.waitUntil(lambda: window.timers_page is not None and window.timers_page.isVisible(), timeout=3000)


def test_actions_on_other_applications_notifications_are_ignored(
    bus: QDBusConnection, standin: NotificationStandIn, qtbot: QtBot
) -> None:
    client = DesktopNotifications(bus)
    seen: list[tuple[str, str]] = []
    client.action_invoked.connect(lambda key, action: seen.append((key, action)))
    assert client.send("Ice on again", "body", actions=[("open", "Open")], key="t1")
    [sent] = standin.received()
    standin.press(sent["id"] + 41, "add5")  # someone else's notification
    standin.press(sent["id"], "default")  # a click on ours
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [("t1", "default")]


def test_without_a_notification_service_alerts_fall_back_to_the_tray_and_the_banner(
    window: MainWindow, bus: QDBusConnection
) -> None:
    wiring = window.timer_wiring
    assert wiring is not None
    wiring.alerts.attach_bus(bus)  # a bus, but nobody owns org.freedesktop.Notifications
    start_ice_cycle(window)
    started = time.monotonic()
    end_ice_phase(window)
    assert time.monotonic() - started < 1.0  # the refusal comes at once from the bus
    assert wiring.alerts.sent[-1].channel == ("tray" if window.tray.available else "none")
    assert window.tray.messages[-1].startswith("Ice cycle, 20 min on / 30 min off × 3: time for a break")
    assert window.notice.isVisibleTo(window) and window.notice.text().startswith("Ice cycle")


def test_a_hung_notification_service_costs_at_most_the_short_timeout(
    bus: QDBusConnection, standin: NotificationStandIn, qtbot: QtBot
) -> None:
    from PySide6.QtGui import QIcon

    from spasmcoach.gui.tray import Tray

    alerts = Alerts(Tray(QIcon()))
    assert alerts.attach_bus(bus)
    os.kill(standin.process.pid, signal.SIGSTOP)  # it owns the name but will not answer
    try:
        started = time.monotonic()
        channel = alerts.notify("Take the ice off now", "Ice: done.", critical=True, key="t1")
        waited = time.monotonic() - started
    finally:
        os.kill(standin.process.pid, signal.SIGCONT)
    assert channel in ("tray", "none") and alerts.tray.messages == ["Ice: done."]
    assert NOTIFY_TIMEOUT_MS / 1000 * 0.8 < waited < NOTIFY_TIMEOUT_MS / 1000 + 0.5


def test_a_tray_balloon_click_reaches_only_the_sender_of_that_balloon(qtbot: QtBot) -> None:
    """Timers and reminders share one tray: clicking a reminder's balloon must not open the Timers page."""
    from PySide6.QtGui import QIcon

    from spasmcoach.gui.tray import Tray

    tray = Tray(QIcon())
    tray.available = True  # as on a desktop with a tray but no notification service
    timers, reminders = Alerts(tray), Alerts(tray)
    heard: list[tuple[str, str, str]] = []
    timers.action.connect(lambda key, action: heard.append(("timers", key, action)))
    reminders.action.connect(lambda key, action: heard.append(("reminders", key, action)))
    assert timers.notify("Ice", "Ice cycle 1 of 3: on.", key="t1") == "tray"
    assert reminders.notify("Time to stand up", "Stand and stretch.", key="reminder:break") == "tray"
    tray.icon.messageClicked.emit()
    assert heard == [("reminders", "reminder:break", "open")]
    timers.notify("Ice", "Ice: done.", key="t1")
    tray.icon.messageClicked.emit()
    assert heard[-1] == ("timers", "t1", "open") and len(heard) == 2
