"""The desktop's do-not-disturb state, read from the notification service's ``Inhibited`` property.

Servers that have the property (it came with version 1.3 of the notification specification) say whether
they hold back notifications. Where the property, the service or the bus is missing the answer is
"not on", so reminders are never silently lost. Ice and heat alerts never ask: they always sound.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtDBus import QDBusConnection

from .dbus_async import ask

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
PROPERTIES = "org.freedesktop.DBus.Properties"


class DoNotDisturb(QObject):
    """The last known do-not-disturb state; :meth:`refresh` asks again without waiting for the answer."""

    def __init__(self, bus: QDBusConnection | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bus = bus if bus is not None and bus.isConnected() else None
        self.on = False

    def refresh(self) -> None:
        if self.bus is None:
            return
        ask(self.bus, (SERVICE, PATH, PROPERTIES, "Get"), self._answered, (SERVICE, "Inhibited"), parent=self)

    def _answered(self, args: list[object] | None) -> None:
        value = args[0] if args else None
        variant = getattr(value, "variant", None)
        if callable(variant):  # a QDBusVariant around the value
            value = variant()
        self.on = value is True
