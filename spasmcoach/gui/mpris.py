"""Control from the floor: the player published over MPRIS (``org.mpris.MediaPlayer2``) on the session bus.

Media keys, a Bluetooth headset's button, a presenter clicker or a phone (KDE Connect, GSConnect) talk to
media players through MPRIS. Here Play/Pause toggles the routine's pause, Next and Previous skip and go
back, and **Stop is the pain stop**: recorded exactly as Esc is, with ``"via": "media-key"`` in the
journal event. The metadata shows the step (title), the routine (album), what is happening now (artist,
e.g. "Hold · Left · rep 2 of 3") and the part's length and position, so a phone shows the time left.

:class:`WindowMedia` reads and drives the main window; :class:`MprisObject` answers the D-Bus calls
(a virtual object, so every value goes out with the type the specification gives); :class:`Mpris` owns
the bus name and sends ``PropertiesChanged`` when the state, the part or the step changes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusObjectPath, QDBusVariant, QDBusVirtualObject

from spasmcoach.core.app_id import APP_ID
from spasmcoach.core.runner import RunnerState

from .dbus_values import BASE_PATH, TypedValues, string_list, variant_map
from .player import STATE_WORDS, side_rep_text

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .player import SessionDriver

log = logging.getLogger(__name__)

PATH = "/org/mpris/MediaPlayer2"
ROOT = "org.mpris.MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
PROPERTIES = "org.freedesktop.DBus.Properties"
BUS_NAME = "org.mpris.MediaPlayer2.spasmcoach"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"  # the specification's "no track" path
COMMANDS = frozenset({"play", "pause", "playpause", "next", "previous", "stop", "raise"})


@dataclass(frozen=True)
class MediaState:
    """What MPRIS shows of the player at one moment."""

    status: str = "Stopped"  # "Playing", "Paused" or "Stopped"
    routine: str = ""
    step: str = ""
    detail: str = ""  # "Hold · Left · rep 2 of 3"
    track: str = NO_TRACK
    length_us: int = 0
    position_us: int = 0

    @property
    def active(self) -> bool:
        return self.status != "Stopped"

    def announced(self) -> tuple[object, ...]:
        """The fields whose change is announced (the position moves on its own, as for any player)."""
        return (self.status, self.routine, self.step, self.detail, self.track, self.length_us)


class WindowMedia(QObject):
    """The main window as a media player. Signal: changed() whenever something visible may have changed."""

    changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.driver_started.connect(self._driver_started)
        window.pain_stop_shown.connect(lambda _record: self.changed.emit())
        window.session_finished.connect(self.changed)
        if window.driver is not None:
            self._driver_started(window.driver)

    def _driver_started(self, driver: SessionDriver) -> None:
        driver.updated.connect(self.changed)
        self.changed.emit()

    def state(self) -> MediaState:
        driver = self.window.driver
        if driver is None:
            return MediaState()
        session = driver.session
        snap = session.runner.snapshot()
        phase = snap.phase
        if phase is None:
            return MediaState(routine=session.routine.title)
        words = [STATE_WORDS[phase.kind]]
        if side_rep_text(phase):
            words.append(side_rep_text(phase))
        status = {RunnerState.PAUSED: "Paused", RunnerState.RUNNING: "Playing", RunnerState.GET_READY: "Playing"}
        return MediaState(
            status=status.get(snap.state, "Stopped"),
            routine=session.routine.title,
            step=phase.step.name,
            detail=" · ".join(words),
            track=f"{BASE_PATH}/Part/{phase.index}",
            length_us=round(phase.duration * 1_000_000),
            position_us=round(max(0.0, phase.duration - snap.remaining) * 1_000_000),
        )

    def command(self, command: str) -> None:
        """Do what a media key asked: play, pause, playpause, next, previous, stop (the pain stop), raise."""
        window, driver = self.window, self.window.driver
        if command == "raise":
            window.show_from_tray()
            return
        if driver is None or not driver.session.runner.state.active:
            return  # nothing running: every key is a no-op (Stop included: there is nothing to stop)
        paused = driver.session.runner.state is RunnerState.PAUSED
        if command == "stop":
            log.info("pain stop from a media key")
            window.pain_stop(source="media-key")
        elif command == "playpause" or (command == "pause" and not paused) or (command == "play" and paused):
            driver.toggle_pause()
        elif command == "next":
            driver.skip()
        elif command == "previous":
            driver.back()


def _interface_xml() -> str:
    """Introspection data for the two MPRIS interfaces and the properties interface."""
    root_props = [("CanQuit", "b"), ("CanRaise", "b"), ("HasTrackList", "b"), ("Identity", "s"),
                  ("DesktopEntry", "s"), ("SupportedUriSchemes", "as"), ("SupportedMimeTypes", "as")]  # fmt: skip
    player_props = [("PlaybackStatus", "s"), ("Rate", "d"), ("Metadata", "a{sv}"), ("Volume", "d"),
                    ("Position", "x"), ("MinimumRate", "d"), ("MaximumRate", "d"), ("CanGoNext", "b"),
                    ("CanGoPrevious", "b"), ("CanPlay", "b"), ("CanPause", "b"), ("CanSeek", "b"),
                    ("CanControl", "b")]  # fmt: skip

    def props(items: list[tuple[str, str]]) -> str:
        return "".join(f'<property name="{name}" type="{kind}" access="read"/>' for name, kind in items)

    void = "".join(f'<method name="{m}"/>' for m in ("Next", "Previous", "Pause", "PlayPause", "Stop", "Play"))
    return (
        f'<interface name="{ROOT}"><method name="Raise"/><method name="Quit"/>{props(root_props)}</interface>'
        f'<interface name="{PLAYER}">{void}'
        '<method name="Seek"><arg name="Offset" type="x" direction="in"/></method>'
        '<method name="SetPosition"><arg name="TrackId" type="o" direction="in"/>'
        '<arg name="Position" type="x" direction="in"/></method>'
        '<method name="OpenUri"><arg name="Uri" type="s" direction="in"/></method>'
        '<signal name="Seeked"><arg name="Position" type="x"/></signal>'
        f"{props(player_props)}</interface>"
        f'<interface name="{PROPERTIES}">'
        '<method name="Get"><arg name="interface_name" type="s" direction="in"/>'
        '<arg name="property_name" type="s" direction="in"/><arg name="value" type="v" direction="out"/></method>'
        '<method name="GetAll"><arg name="interface_name" type="s" direction="in"/>'
        '<arg name="properties" type="a{sv}" direction="out"/></method>'
        '<method name="Set"><arg name="interface_name" type="s" direction="in"/>'
        '<arg name="property_name" type="s" direction="in"/><arg name="value" type="v" direction="in"/></method>'
        '<signal name="PropertiesChanged"><arg name="interface_name" type="s"/>'
        '<arg name="changed_properties" type="a{sv}"/><arg name="invalidated_properties" type="as"/></signal>'
        "</interface>"
    )


class MprisObject(QDBusVirtualObject):
    """Answers every MPRIS call at :data:`PATH` from ``state()`` and passes commands to ``command()``."""

    def __init__(self, state: Callable[[], MediaState], command: Callable[[str], None], typed: TypedValues) -> None:
        super().__init__()
        self.state = state
        self.command = command
        self.typed = typed
        self.xml = _interface_xml()

    def introspect(self, path: str) -> str:
        return self.xml if path == PATH else ""

    def properties(self, interface: str, state: MediaState) -> dict[str, Any]:
        """The interface's properties as D-Bus values (typed where a Python value would be mistyped)."""
        if interface == ROOT:
            return {"CanQuit": False, "CanRaise": True, "HasTrackList": False, "Identity": "SpasmCoach",
                    "DesktopEntry": APP_ID, "SupportedUriSchemes": [], "SupportedMimeTypes": []}  # fmt: skip
        if interface != PLAYER:
            return {}
        return {
            "PlaybackStatus": state.status, "Rate": 1.0, "Metadata": self.metadata(state), "Volume": 1.0,
            "Position": self.typed.int64(state.position_us), "MinimumRate": 1.0, "MaximumRate": 1.0,
            "CanGoNext": state.active, "CanGoPrevious": state.active, "CanPlay": state.active,
            "CanPause": state.active, "CanSeek": False, "CanControl": True,
        }  # fmt: skip

    def metadata(self, state: MediaState) -> QDBusVariant:
        entries: dict[str, Any] = {"mpris:trackid": QDBusObjectPath(state.track)}
        if state.routine:
            entries.update({"xesam:title": state.step or state.routine, "xesam:album": state.routine,
                            "xesam:artist": [state.detail] if state.detail else []})  # fmt: skip
        if state.length_us:
            entries["mpris:length"] = self.typed.int64(state.length_us)
        return QDBusVariant(variant_map(entries))

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:
        if message.path() != PATH:
            return False
        interface, member, args = message.interface(), message.member(), message.arguments()
        reply_args: list[Any] = []
        if interface == PROPERTIES and member in ("Get", "GetAll") and args and isinstance(args[0], str):
            values = self.properties(args[0], self.state())
            if member == "GetAll":
                reply_args = [variant_map(values)]
            elif len(args) > 1 and args[1] in values:
                value = values[args[1]]
                reply_args = [value if isinstance(value, QDBusVariant) else _as_variant(value)]
            else:
                return _error(connection, message, "org.freedesktop.DBus.Error.UnknownProperty", "No such property")
        elif interface == PROPERTIES and member == "Set":
            return _error(connection, message, "org.freedesktop.DBus.Error.PropertyReadOnly", "Read-only property")
        elif interface in (ROOT, PLAYER, "") and member.lower() in COMMANDS:
            self.command(member.lower())
        elif interface in (ROOT, PLAYER, "") and member in ("Quit", "Seek", "SetPosition", "OpenUri"):
            pass  # CanQuit and CanSeek are false and there is nothing to open: accepted and ignored
        else:
            return False  # Qt answers Introspect, Peer and unknown methods
        if message.isReplyRequired():
            reply = message.createReply()
            reply.setArguments(reply_args)
            connection.send(reply)
        return True


def _as_variant(value: Any) -> QDBusVariant:
    if isinstance(value, list):
        return QDBusVariant(string_list(value))
    return QDBusVariant(value)


def _error(connection: QDBusConnection, message: QDBusMessage, name: str, text: str) -> bool:
    connection.send(message.createErrorReply(name, text))
    return True


class Mpris(QObject):
    """Publishes ``media`` on ``bus`` as :data:`BUS_NAME` (another running copy gets a suffixed name)."""

    def __init__(self, media: WindowMedia, bus: QDBusConnection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.media = media
        self.bus = bus
        self.typed = TypedValues(bus)
        self.object = MprisObject(media.state, media.command, self.typed)
        self.name: str | None = None
        self._last = MediaState()
        media.changed.connect(self.refresh)

    def publish(self) -> str | None:
        """Register the object and take a bus name; the name, or None if the bus refused."""
        if not self.bus.isConnected() or not self.bus.registerVirtualObject(PATH, self.object):
            log.info("MPRIS not published: %s", self.bus.lastError().message() or "no session bus")
            return None
        for name in (BUS_NAME, f"{BUS_NAME}.instance{os.getpid()}"):
            if self.bus.registerService(name):
                self.name = name
                log.info("MPRIS published as %s", name)
                return name
        log.info("MPRIS name refused: %s", self.bus.lastError().message())
        self.bus.unregisterObject(PATH)
        return None

    def refresh(self) -> None:
        """Announce what changed since the last announcement (state, step, part), nothing otherwise."""
        state = self.media.state()
        if state.announced() == self._last.announced():
            return
        before, self._last = self._last, state
        if self.name is None:
            return
        new = self.object.properties(PLAYER, state)
        old = self.object.properties(PLAYER, replace(before, position_us=state.position_us))
        changed = {key: new[key] for key in new if key not in ("Position", "Metadata") and new[key] != old[key]}
        changed["Metadata"] = new["Metadata"]
        signal = QDBusMessage.createSignal(PATH, PROPERTIES, "PropertiesChanged")
        signal.setArguments([PLAYER, variant_map(changed), string_list([])])
        self.bus.send(signal)

    def close(self) -> None:
        if self.name is not None:
            self.bus.unregisterService(self.name)
            self.name = None
        self.bus.unregisterObject(PATH)
        self.typed.close()
