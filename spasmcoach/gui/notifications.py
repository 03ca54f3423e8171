"""Telling the user something while the window may be hidden: the desktop's notification service, else the
tray balloon.

:class:`Alerts` is the one entry point (``Alerts.notify(title, body, critical=, actions=, key=)``). With a
session bus that has ``org.freedesktop.Notifications`` it sends a real notification with buttons
("Open", "+5 min") and reports a pressed button through :attr:`Alerts.action`; notifications with the
same ``key`` (one timer) replace each other. Without the service, or when a call fails, the tray shows
the message where a tray exists (the window's own banner is shown by the caller in every case).

Nothing here waits on the remote service for long: the only call to it has a short timeout
(:data:`NOTIFY_TIMEOUT_MS`), and describing its interface never asks the service (see
:func:`.dbus_values.typed_interface`).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, QObject, Qt, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusInterface

from spasmcoach.core.app_id import APP_ID
from spasmcoach.core.i18n import N_, _

from .dbus_values import typed_interface
from .tray import Tray

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
NOTIFY_TIMEOUT_MS = 400  # a working service answers in a few ms; a hung one must not freeze the window
URGENCY_NORMAL, URGENCY_CRITICAL = 1, 2
Action = tuple[str, str]  # (action key, button label)
TIMER_ACTIONS: tuple[Action, ...] = (("open", N_("Open")), ("add5", N_("+5 min")))  # labels translated when sent
OPEN_ONLY: tuple[Action, ...] = (("open", N_("Open")),)

# The notification specification's interface, as far as we call it. The hints map carries a Qt type
# name so QtDBus knows it as a map of variants.
INTERFACE_XML = f"""<interface name="{SERVICE}">
  <method name="Notify">
    <arg name="app_name" type="s" direction="in"/>
    <arg name="replaces_id" type="u" direction="in"/>
    <arg name="app_icon" type="s" direction="in"/>
    <arg name="summary" type="s" direction="in"/>
    <arg name="body" type="s" direction="in"/>
    <arg name="actions" type="as" direction="in"/>
    <arg name="hints" type="a{{sv}}" direction="in"/>
    <annotation name="org.qtproject.QtDBus.QtTypeName.In6" value="QVariantMap"/>
    <arg name="expire_timeout" type="i" direction="in"/>
    <arg name="id" type="u" direction="out"/>
  </method>
  <method name="CloseNotification">
    <arg name="id" type="u" direction="in"/>
  </method>
</interface>"""


@dataclass(frozen=True)
class Sent:
    """One alert and where it went: "desktop", "tray" or "none" (no tray, no service)."""

    title: str
    body: str
    critical: bool
    key: str
    channel: str


class DesktopNotifications(QObject):
    """A client of ``org.freedesktop.Notifications`` on ``bus``. Signal: action_invoked(key, action)."""

    action_invoked = Signal(str, str)

    def __init__(self, bus: QDBusConnection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bus = bus
        self.interface: QDBusInterface | None = None
        self.keys: dict[int, str] = {}  # notification id -> our key (a timer id)
        self.ids: dict[str, int] = {}  # our key -> its notification on screen, to replace it
        if not bus.isConnected():
            return
        self.interface = typed_interface(bus, SERVICE, PATH, SERVICE, INTERFACE_XML, NOTIFY_TIMEOUT_MS)
        listeners = (("ActionInvoked", "_action_invoked(uint,QString)"), ("NotificationClosed", "_closed(uint,uint)"))
        for name, slot in listeners:
            # "1" marks a slot, as Qt's SLOT() does; PySide takes it as str (its stubs say bytes)
            if not bus.connect(SERVICE, PATH, SERVICE, name, self, f"1{slot}"):  # type: ignore[call-overload]
                log.info("cannot listen for %s on the session bus", name)

    @property
    def usable(self) -> bool:
        return self.interface is not None and self.bus.isConnected()

    def send(
        self, summary: str, body: str, *, critical: bool = False, actions: Sequence[Action] = (), key: str = ""
    ) -> bool:
        """Show a notification; False if there is no service or it refused (the caller falls back)."""
        if self.interface is None:
            return False
        flat: list[str] = [part for key, text in actions for part in (key, _(text))]
        hints: dict[str, object] = {
            "urgency": URGENCY_CRITICAL if critical else URGENCY_NORMAL,
            "desktop-entry": APP_ID,
        }
        if critical:
            hints["category"] = "x-spasmcoach.timer"
        replaces = self.ids.get(key, 0) if key else 0
        # Critical ones stay until dismissed (the spec lets the server decide; 0 asks for no expiry).
        expire = 0 if critical else -1
        try:
            result = QMetaObject.invokeMethod(
                self.interface, "Notify", Qt.ConnectionType.DirectConnection, Q_RETURN_ARG("uint"),
                Q_ARG("QString", "SpasmCoach"), Q_ARG("uint", replaces), Q_ARG("QString", APP_ID),
                Q_ARG("QString", summary), Q_ARG("QString", body), Q_ARG("QStringList", flat),
                Q_ARG("QVariantMap", hints), Q_ARG("int", expire),
            )  # fmt: skip
        except RuntimeError as exc:  # the call could not be made at all
            log.info("desktop notification failed: %s", exc)
            return False
        error = self.interface.lastError()
        if error.isValid() or not isinstance(result, int) or result <= 0:
            log.info("desktop notification refused: %s %s", error.name(), error.message())
            return False
        if key:
            old = self.ids.pop(key, None)
            if old is not None:
                self.keys.pop(old, None)
            self.ids[key] = result
            self.keys[result] = key
        return True

    @Slot("uint", str)
    def _action_invoked(self, notification: int, action: str) -> None:
        key = self.keys.get(notification)
        if key is None:  # another application's notification, or one we no longer track
            return
        log.info("notification action %s for %s", action, key)
        self.action_invoked.emit(key, action)

    @Slot("uint", "uint")
    def _closed(self, notification: int, _reason: int) -> None:
        key = self.keys.pop(notification, None)
        if key is not None and self.ids.get(key) == notification:
            del self.ids[key]

_BALLOON_OWNER: weakref.WeakKeyDictionary[Tray, Alerts] = weakref.WeakKeyDictionary()  # whose balloon shows now


class Alerts(QObject):
    """The app's one way to alert outside the window. Signal: action(key, action), e.g. ("t1", "add5").

    "open" also comes when the user clicks the notification itself ("default") or the tray balloon.
    """

    action = Signal(str, str)

    def __init__(self, tray: Tray, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray = tray
        self.desktop: DesktopNotifications | None = None
        self.sent: list[Sent] = []
        self._tray_key = ""
        tray.icon.messageClicked.connect(self._balloon_clicked)

    def attach_bus(self, bus: QDBusConnection) -> bool:
        """Use the notification service on ``bus`` from now on; False if the bus is not connected."""
        self.desktop = DesktopNotifications(bus, self)
        self.desktop.action_invoked.connect(self._desktop_action)
        return self.desktop.usable

    def _balloon_clicked(self) -> None:
        """The tray balloon was clicked: "open" for this sender's alert only, when the balloon was its own (the
        timers and the reminders share one tray, and a click must not open the page of the other)."""
        if _BALLOON_OWNER.get(self.tray) is self:
            self.action.emit(self._tray_key, "open")

    def _desktop_action(self, key: str, action: str) -> None:
        self.action.emit(key, "open" if action == "default" else action)

    def notify(
        self, title: str, body: str, *, critical: bool = False, actions: Sequence[Action] = (), key: str = ""
    ) -> str:
        """Send one alert; returns where it went ("desktop", "tray" or "none")."""
        channel = "none"
        if self.desktop is not None and self.desktop.send(title, body, critical=critical, actions=actions, key=key):
            channel = "desktop"
        else:
            self.tray.notify(title, body)  # records the message even where no tray is shown
            if self.tray.available:
                channel = "tray"
                self._tray_key = key
                _BALLOON_OWNER[self.tray] = self
        self.sent.append(Sent(title, body, critical, key, channel))
        return channel
