"""Media keys over MPRIS, on a private session bus: the methods are called with ``dbus-send`` exactly as a
media-key daemon, a headset bridge or KDE Connect would, and the answers read from its output."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbus_standins import dbus_tools_missing, private_bus
from gui_helpers import KNEE_ROUTINE, make_context, write_routine
from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Slot
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from spasmcoach.core.app_id import APP_ID
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.runner import RunnerState
from spasmcoach.gui.desktop_bus import attach_desktop_bus
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.mpris import BUS_NAME, PATH, PLAYER, Mpris, WindowMedia

pytestmark = pytest.mark.skipif(dbus_tools_missing() is not None, reason=dbus_tools_missing() or "")
_names = itertools.count()


@pytest.fixture
def address() -> Iterator[str]:
    with private_bus() as bus_address:
        yield bus_address


def connect(address: str) -> tuple[QDBusConnection, str]:
    name = f"test-mpris-{next(_names)}"
    connection = QDBusConnection.connectToBus(address, name)
    assert connection.isConnected()
    return connection, name


@pytest.fixture
def bus(address: str) -> Iterator[QDBusConnection]:
    connection, name = connect(address)
    yield connection
    QDBusConnection.disconnectFromBus(name)


@pytest.fixture
def window(qtbot: QtBot, spasmcoach_home: Path) -> Iterator[MainWindow]:
    write_routine(spasmcoach_home, "knee-test", KNEE_ROUTINE)
    ctx = make_context(spasmcoach_home, FakeClock())
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    ctx.journal.close()


@pytest.fixture
def mpris(window: MainWindow, bus: QDBusConnection) -> Iterator[Mpris]:
    published = attach_desktop_bus(window, bus)
    assert published is not None and published.name == BUS_NAME
    yield published
    published.close()


class MediaKeys:
    """``dbus-send`` in a QProcess: the window keeps answering while the call is under way."""

    def __init__(self, qtbot: QtBot, address: str) -> None:
        self.qtbot = qtbot
        self.env = QProcessEnvironment.systemEnvironment()
        self.env.insert("DBUS_SESSION_BUS_ADDRESS", address)

    def send(self, *args: str, dest: str = BUS_NAME) -> str:
        process = QProcess()
        process.setProcessEnvironment(self.env)
        process.start("dbus-send", ["--session", "--print-reply", f"--dest={dest}", PATH, *args])
        self.qtbot.waitUntil(lambda: process.state() == QProcess.ProcessState.NotRunning, timeout=5000)
        output = bytes(process.readAllStandardOutput().data()).decode()
        error = bytes(process.readAllStandardError().data()).decode()
        assert process.exitCode() == 0, f"dbus-send {args} failed: {error}"
        return " ".join(output.split())

    def press(self, method: str) -> None:
        self.send(f"{PLAYER}.{method}")

    def player(self) -> str:
        return self.send("org.freedesktop.DBus.Properties.GetAll", f"string:{PLAYER}")


@pytest.fixture
def keys(qtbot: QtBot, address: str) -> MediaKeys:
    return MediaKeys(qtbot, address)


def prop(output: str, name: str) -> str:
    """The printed value after ``string "name"`` in a dbus-send reply (whitespace collapsed)."""
    match = re.search(rf'string "{re.escape(name)}" variant (\w+ (?:"[^"]*"|[^ )]+))', output)
    assert match, f"{name} not in {output}"
    return match.group(1)


def journal_of(window: MainWindow) -> Journal:
    assert window.ctx.journal is not None
    return window.ctx.journal


def run(window: MainWindow) -> None:
    window.start_routine("knee-test", prompt=False)
    assert window.driver is not None and window.driver.session.runner.state.active


def test_published_with_identity_desktop_entry_and_stopped_when_idle(
    window: MainWindow, mpris: Mpris, keys: MediaKeys
) -> None:
    root = keys.send("org.freedesktop.DBus.Properties.GetAll", "string:org.mpris.MediaPlayer2")
    assert prop(root, "Identity") == 'string "SpasmCoach"' and prop(root, "DesktopEntry") == f'string "{APP_ID}"'
    assert prop(root, "CanRaise") == "boolean true" and prop(root, "CanQuit") == "boolean false"
    assert 'SupportedUriSchemes" variant array [ ]' in root  # an empty ``as``, not an ``av``
    player = keys.player()
    assert prop(player, "PlaybackStatus") == 'string "Stopped"' and prop(player, "CanPlay") == "boolean false"
    assert prop(player, "CanControl") == "boolean true"
    introspection = keys.send("org.freedesktop.DBus.Introspectable.Introspect")
    assert '<interface name="org.mpris.MediaPlayer2.Player">' in introspection
    keys.press("Stop")  # nothing running: nothing to stop, nothing journaled
    assert journal_of(window).events(types=["pain_stop"]) == []


def test_metadata_shows_routine_step_and_part_with_typed_length(
    window: MainWindow, mpris: Mpris, keys: MediaKeys
) -> None:
    run(window)
    player = keys.player()
    assert prop(player, "PlaybackStatus") == 'string "Playing"'
    assert 'string "xesam:title" variant string "Rest on your back"' in player
    assert 'string "xesam:album" variant string "Lower-back test"' in player
    assert 'string "xesam:artist" variant array [ string "Get ready" ]' in player
    assert 'string "mpris:length" variant int64 5000000' in player  # the 5 s get-ready, as int64
    assert re.search(r'string "mpris:trackid" variant object path "/io/github/spasmcoach/SpasmCoach/Part/0"', player)
    assert prop(player, "Position").startswith("int64 ")


def test_play_pause_toggles_next_and_previous_move(window: MainWindow, mpris: Mpris, keys: MediaKeys) -> None:
    run(window)
    runner = window.driver.session.runner  # type: ignore[union-attr]
    keys.press("PlayPause")
    assert runner.state is RunnerState.PAUSED and prop(keys.player(), "PlaybackStatus") == 'string "Paused"'
    assert window.player.pause_button.text() == "Resume"
    keys.press("Pause")  # already paused: stays paused
    assert runner.state is RunnerState.PAUSED
    keys.press("Play")
    assert runner.state is not RunnerState.PAUSED and prop(keys.player(), "PlaybackStatus") == 'string "Playing"'
    first = runner.snapshot().phase
    keys.press("Next")
    second = runner.snapshot().phase
    assert first is not None and second is not None and second.index > first.index
    assert window.player.current_texts()["step"] == second.step.name
    keys.press("Next")
    keys.press("Previous")
    assert runner.snapshot().phase is not None


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_stop_is_the_pain_stop_recorded_like_esc_with_how_it_was_given(
    window: MainWindow, mpris: Mpris, keys: MediaKeys, qtbot: QtBot
) -> None:
    run(window)
    with qtbot.waitSignal(window.pain_stop_shown, timeout=5000) as shown:
        keys.press("Stop")
    [event] = journal_of(window).events(types=["pain_stop"])
    assert event.id == shown.args[0].event_id and event.routine == "knee-test"
    assert event.step == "Rest on your back" and event.data.get("via") == "media-key"
    assert window.stack.currentWidget() is window.stop_page or window.stop_page.isVisible()
    assert window.driver.session.runner.state is RunnerState.STOPPED  # type: ignore[union-attr]
    assert prop(keys.player(), "PlaybackStatus") == 'string "Stopped"'
    keys.send("org.mpris.MediaPlayer2.Raise")


def test_esc_is_recorded_as_given_in_the_window(window: MainWindow, qtbot: QtBot) -> None:
    run(window)
    window.pain_stop()
    [event] = journal_of(window).events(types=["pain_stop"])
    assert event.data.get("via") == "window"


class ChangeListener(QObject):
    """Collects PropertiesChanged signals, as a desktop's media widget listens for them."""

    def __init__(self) -> None:
        super().__init__()
        self.changes: list[dict[str, Any]] = []

    @Slot(str, "QVariantMap", "QStringList")
    def changed(self, interface: str, values: dict[str, Any], _invalidated: list[str]) -> None:
        if interface == PLAYER:
            self.changes.append(values)


def test_changes_are_announced_once_not_every_second(
    window: MainWindow, mpris: Mpris, keys: MediaKeys, address: str, qtbot: QtBot
) -> None:
    listener_bus, name = connect(address)
    listener = ChangeListener()
    slot = "1changed(QString,QVariantMap,QStringList)"
    assert listener_bus.connect("", PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged", listener, slot)  # type: ignore[call-overload]
    try:
        run(window)
        qtbot.waitUntil(lambda: any(c.get("PlaybackStatus") == "Playing" for c in listener.changes), timeout=3000)
        count = len(listener.changes)
        clock = window.ctx.clock
        assert isinstance(clock, FakeClock) and window.driver is not None
        clock.advance(1.0)  # a second passes inside the get-ready part: nothing to announce
        window.driver.tick()
        keys.press("PlayPause")
        qtbot.waitUntil(lambda: any(c.get("PlaybackStatus") == "Paused" for c in listener.changes), timeout=3000)
        assert len(listener.changes) == count + 1
    finally:
        QDBusConnection.disconnectFromBus(name)


def test_a_second_copy_gets_its_own_name(window: MainWindow, mpris: Mpris, address: str) -> None:
    other_bus, name = connect(address)
    try:
        other = Mpris(WindowMedia(window), other_bus)
        assert other.publish() == f"{BUS_NAME}.instance{os.getpid()}"
        other.close()
    finally:
        QDBusConnection.disconnectFromBus(name)


def test_no_session_bus_means_no_mpris_and_no_error(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from spasmcoach.gui.desktop_bus import session_bus

    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(Path(os.devnull).parent / "nonexistent-runtime-dir"))
    assert session_bus() is None
    assert attach_desktop_bus(window, None) is None
