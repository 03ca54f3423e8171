"""Idle time and do-not-disturb from the desktop, against stand-in services on a private session bus.

The stand-ins run in this process on a second connection to the test's own ``dbus-daemon``; the user's bus
is never touched. Every question is asynchronous: the tests wait for the answer with ``qtbot.waitUntil``.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest
from dbus_standins import dbus_tools_missing, private_bus
from PySide6.QtCore import ClassInfo, Property, QObject, Slot
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from spasmcoach.gui.do_not_disturb import DoNotDisturb
from spasmcoach.gui.idle import IdleMonitor, IdleStatus, X11Idle

pytestmark = pytest.mark.skipif(dbus_tools_missing() is not None, reason=dbus_tools_missing() or "")
_names = itertools.count()


@ClassInfo({"D-Bus Interface": "org.gnome.Mutter.IdleMonitor"})  # type: ignore[call-arg]
class MutterStandIn(QObject):  # type: ignore[operator]
    def __init__(self, idle_ms: int) -> None:
        super().__init__()
        self.idle_ms = idle_ms

    @Slot(result="qulonglong")
    def GetIdletime(self) -> int:  # noqa: N802 - the desktop's method name
        return self.idle_ms


@ClassInfo({"D-Bus Interface": "org.gnome.ScreenSaver"})  # type: ignore[call-arg]
class ScreenSaverStandIn(QObject):  # type: ignore[operator]
    def __init__(self, active: bool) -> None:
        super().__init__()
        self.active = active

    @Slot(result=bool)
    def GetActive(self) -> bool:  # noqa: N802
        return self.active


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})  # type: ignore[call-arg]
class InhibitedStandIn(QObject):  # type: ignore[operator]
    def __init__(self, inhibited: bool) -> None:
        super().__init__()
        self.inhibited = inhibited

    def _read(self) -> bool:
        return self.inhibited

    Inhibited = Property(bool, _read)


@pytest.fixture
def address() -> Iterator[str]:
    with private_bus() as bus_address:
        yield bus_address


def connect(address: str) -> QDBusConnection:
    name = f"test-idle-{next(_names)}"
    connection = QDBusConnection.connectToBus(address, name)
    assert connection.isConnected()
    return connection


@pytest.fixture
def bus(address: str) -> Iterator[QDBusConnection]:
    connection = connect(address)
    yield connection
    QDBusConnection.disconnectFromBus(connection.name())


@pytest.fixture
def desktop(address: str) -> Iterator[QDBusConnection]:
    """The stand-in desktop's own connection: register services on it."""
    connection = connect(address)
    yield connection
    QDBusConnection.disconnectFromBus(connection.name())


def serve(desktop: QDBusConnection, service: str, path: str, obj: QObject) -> None:
    options = QDBusConnection.RegisterOption
    flags = options.ExportAllSlots | options.ExportAllProperties
    assert desktop.registerObject(path, obj, flags) and desktop.registerService(service)


def answer_of(monitor: IdleMonitor, qtbot: QtBot) -> float | None:
    answers: list[float | None] = []
    monitor.request(answers.append)
    assert answers == []  # never answered on the spot: the window does not wait
    qtbot.waitUntil(lambda: bool(answers), timeout=3000)
    return answers[0]


def test_gnome_tells_the_idle_time_in_milliseconds(
    bus: QDBusConnection, desktop: QDBusConnection, qtbot: QtBot
) -> None:
    mutter = MutterStandIn(42_000)
    serve(desktop, "org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core", mutter)
    monitor = IdleMonitor(bus, x11=lambda: None, environ={})
    assert answer_of(monitor, qtbot) == pytest.approx(42.0)
    assert monitor.status is IdleStatus.KNOWN and monitor.source_name == "GNOME"
    mutter.idle_ms = 1_500
    assert answer_of(monitor, qtbot) == pytest.approx(1.5)


def test_a_locked_screen_counts_as_away_where_only_the_screen_saver_answers(
    bus: QDBusConnection, desktop: QDBusConnection, qtbot: QtBot
) -> None:
    saver = ScreenSaverStandIn(True)
    serve(desktop, "org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", saver)
    monitor = IdleMonitor(bus, x11=lambda: None, environ={})
    assert answer_of(monitor, qtbot) == pytest.approx(300.0)  # a natural break
    assert monitor.source_name == "GNOME screen saver"
    saver.active = False
    assert answer_of(monitor, qtbot) == 0.0


def test_where_nothing_answers_idle_is_unknown_at_once_and_plain_time_counts(
    bus: QDBusConnection, qtbot: QtBot
) -> None:
    monitor = IdleMonitor(bus, x11=lambda: None, environ={})
    changed: list[IdleStatus] = []
    monitor.status_changed.connect(lambda: changed.append(monitor.status))
    started = time.monotonic()
    assert answer_of(monitor, qtbot) is None
    assert time.monotonic() - started < 1.0  # a missing service is refused at once by the bus
    assert monitor.status is IdleStatus.UNKNOWN and changed == [IdleStatus.UNKNOWN]


def test_plain_time_on_request_even_where_the_desktop_would_tell(
    bus: QDBusConnection, desktop: QDBusConnection, qtbot: QtBot
) -> None:
    serve(desktop, "org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core", MutterStandIn(5))
    monitor = IdleMonitor(bus, x11=lambda: None, environ={"SPASMCOACH_IDLE": "plain"})
    assert answer_of(monitor, qtbot) is None and monitor.status is IdleStatus.UNKNOWN


def test_without_a_bus_x11_is_asked_and_else_nothing(qtbot: QtBot) -> None:
    class Fixed(X11Idle):
        def seconds(self) -> float | None:
            return 7.0

    assert answer_of(IdleMonitor(None, x11=Fixed, environ={}), qtbot) == 7.0
    assert answer_of(IdleMonitor(None, x11=lambda: None, environ={}), qtbot) is None
    assert X11Idle.open() is None  # the tests run offscreen: no X server to ask


def test_do_not_disturb_comes_from_the_notification_servers_inhibited_property(
    bus: QDBusConnection, desktop: QDBusConnection, qtbot: QtBot
) -> None:
    server = InhibitedStandIn(True)
    serve(desktop, "org.freedesktop.Notifications", "/org/freedesktop/Notifications", server)
    dnd = DoNotDisturb(bus)
    assert not dnd.on  # unknown until the answer comes
    dnd.refresh()
    qtbot.waitUntil(lambda: dnd.on, timeout=3000)
    server.inhibited = False
    dnd.refresh()
    qtbot.waitUntil(lambda: not dnd.on, timeout=3000)


def test_a_server_without_the_property_means_not_on(bus: QDBusConnection, qtbot: QtBot) -> None:
    dnd = DoNotDisturb(bus)
    dnd.on = True
    dnd.refresh()  # nobody owns the service: an error answer
    qtbot.waitUntil(lambda: not dnd.on, timeout=3000)
