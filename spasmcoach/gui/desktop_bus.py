"""The session bus, attached once the window is on screen: desktop notifications and MPRIS media control.

Where there is no session bus (a bare X server, a container, a test) nothing is started and everything
keeps working: alerts go to the tray or the window's banner, and media keys simply do nothing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtDBus import QDBusConnection

from .mpris import Mpris, WindowMedia

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)


def session_bus() -> QDBusConnection | None:
    """The user's session bus, or None. Never starts a bus (no X11 auto-launch): only one that is announced
    in ``DBUS_SESSION_BUS_ADDRESS`` or listening at ``$XDG_RUNTIME_DIR/bus``."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    announced = bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
    if not announced and not (runtime and Path(runtime, "bus").exists()):
        return None
    bus = QDBusConnection.sessionBus()
    return bus if bus.isConnected() else None


def attach_desktop_bus(window: MainWindow, bus: QDBusConnection | None) -> Mpris | None:
    """Route the window's alerts to the desktop's notification service and publish the player over MPRIS.

    Call after the timers attached. Returns the MPRIS publisher (None without a bus)."""
    if bus is None or not bus.isConnected():
        log.info("no session bus: alerts go to the tray or the window, media keys are not available")
        return None
    if window.timer_wiring is not None and not window.timer_wiring.alerts.attach_bus(bus):
        log.info("no desktop notification service: alerts go to the tray or the window")
    mpris = Mpris(WindowMedia(window), bus, window)
    mpris.publish()
    return mpris
