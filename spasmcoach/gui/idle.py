"""How long the person has been away from the keyboard, asked of the desktop without stalling the window.

Sources, tried in order until one answers: GNOME's ``org.gnome.Mutter.IdleMonitor`` (idle milliseconds),
KDE's ``org.freedesktop.ScreenSaver`` ``GetSessionIdleTime`` (milliseconds, as KDE's screen locker gives
it), the screen savers' ``GetActive`` (``org.gnome.ScreenSaver``, ``org.freedesktop.ScreenSaver``: a locked
or blanked screen means away), and X11's MIT-SCREEN-SAVER extension through ``libXss`` where the window
runs on X11. Each D-Bus question is asynchronous with a short timeout (:mod:`.dbus_async`). Where none
answers, idle time is unknown (None) and the reminders count plain time; the Reminders page says so.

``SPASMCOACH_IDLE=plain`` skips the desktop and counts plain time (real-window tests with a sped-up clock:
nobody types on their screen, so every second there would look idle).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtDBus import QDBusConnection
from PySide6.QtGui import QGuiApplication

from spasmcoach.core.reminders.breaks import NATURAL_BREAK_SECONDS

from .dbus_async import ask

log = logging.getLogger(__name__)

IDLE_ENV = "SPASMCOACH_IDLE"
Reading = Callable[[list[object]], float | None]  # a reply's arguments -> idle seconds (None: not usable)


class IdleStatus(StrEnum):
    """Whether the desktop tells SpasmCoach when the person is away."""

    PROBING = "probing"  # still asking
    KNOWN = "known"  # a source answers
    UNKNOWN = "unknown"  # nothing answers: plain time counts


def _milliseconds(args: list[object]) -> float | None:
    value = args[0] if args else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value / 1000.0


def _locked(args: list[object]) -> float | None:
    """A screen saver that is on means the person walked away: as long an idle spell as a natural break."""
    value = args[0] if args else None
    if not isinstance(value, bool):
        return None
    return NATURAL_BREAK_SECONDS if value else 0.0


@dataclass(frozen=True)
class BusSource:
    """One D-Bus method that tells idle time, and how to read its answer."""

    name: str
    target: tuple[str, str, str, str]  # service, path, interface, method
    read: Reading


MUTTER = BusSource(
    "GNOME",
    ("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor",
     "GetIdletime"),
    _milliseconds,
)  # fmt: skip
_FDO = ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver")
_GNOME_SAVER = ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver")
BUS_SOURCES: tuple[BusSource, ...] = (
    MUTTER,
    BusSource("KDE", (*_FDO, "GetSessionIdleTime"), _milliseconds),
    BusSource("GNOME screen saver", (*_GNOME_SAVER, "GetActive"), _locked),
    BusSource("screen saver", (*_FDO, "GetActive"), _locked),
)


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [  # noqa: RUF012 - the ctypes layout of XScreenSaverInfo
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    ]


class X11Idle:
    """Idle time from the X server's MIT-SCREEN-SAVER extension (a local, immediate question)."""

    def __init__(self) -> None:
        self._lib: ctypes.CDLL | None = None
        self._display: int | None = None
        self._info: ctypes.c_void_p | None = None
        self._root = 0

    @classmethod
    def open(cls) -> X11Idle | None:
        """The source, or None when the window is not on X11 or libXss / the extension is missing."""
        if QGuiApplication.platformName() != "xcb" or not os.environ.get("DISPLAY"):
            return None
        names = (ctypes.util.find_library("Xss"), ctypes.util.find_library("X11"))
        if not all(names):
            return None
        try:
            xss, x11 = ctypes.CDLL(names[0]), ctypes.CDLL(names[1])
            x11.XOpenDisplay.restype = ctypes.c_void_p
            x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
            x11.XDefaultRootWindow.restype = ctypes.c_ulong
            x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
            xss.XScreenSaverAllocInfo.restype = ctypes.c_void_p
            xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p]
            xss.XScreenSaverQueryExtension.argtypes = [
                ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_int),
                ctypes.POINTER(ctypes.c_int),
            ]
        except (OSError, AttributeError) as exc:
            log.info("X11 idle time not available: %s", exc)
            return None
        display = x11.XOpenDisplay(None)
        if not display:
            return None
        event, error = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(display, ctypes.byref(event), ctypes.byref(error)):
            return None
        source = cls()
        source._lib, source._display = xss, display
        source._info = ctypes.c_void_p(xss.XScreenSaverAllocInfo())
        source._root = x11.XDefaultRootWindow(display)
        return source if source._info else None

    def seconds(self) -> float | None:
        if self._lib is None or self._info is None:
            return None
        if not self._lib.XScreenSaverQueryInfo(self._display, self._root, self._info):
            return None
        info = ctypes.cast(self._info, ctypes.POINTER(_XScreenSaverInfo)).contents
        return info.idle / 1000.0


class IdleMonitor(QObject):
    """Answers "how long has the person been idle?" in real seconds, or None when the desktop cannot tell.

    :meth:`request` never blocks: the answer comes to the callback from the event loop. The first source
    that answers is kept; if it stops answering the next ones are tried. Signal: status_changed().
    """

    status_changed = Signal()

    def __init__(
        self,
        bus: QDBusConnection | None,
        *,
        sources: tuple[BusSource, ...] = BUS_SOURCES,
        x11: Callable[[], X11Idle | None] = X11Idle.open,
        environ: dict[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        env = os.environ if environ is None else environ
        plain = env.get(IDLE_ENV, "").strip().lower() == "plain"
        self.bus = bus if bus is not None and bus.isConnected() and not plain else None
        self.sources = sources if self.bus is not None else ()
        self._x11_factory = (lambda: None) if plain else x11
        self._x11: X11Idle | None = None
        self._x11_tried = False
        self.current = 0  # index of the source in use (len(sources) = X11 or nothing)
        self.source_name = ""
        self.status = IdleStatus.PROBING

    def _set_status(self, status: IdleStatus, name: str = "") -> None:
        if (status, name) != (self.status, self.source_name):
            self.status, self.source_name = status, name
            log.info("idle time: %s", f"from {name}" if name else status.value)
            self.status_changed.emit()

    def request(self, answer: Callable[[float | None], None]) -> None:
        """Ask for the idle seconds; ``answer`` is called once (later, or at once when nothing is asked)."""
        self._try(self.current, answer)

    def _try(self, index: int, answer: Callable[[float | None], None]) -> None:
        if index < len(self.sources) and self.bus is not None:
            source = self.sources[index]

            def got(args: list[object] | None) -> None:
                seconds = source.read(args) if args is not None else None
                if seconds is None:
                    self._try(index + 1, answer)  # this desktop does not offer it: the next one
                    return
                self.current = index
                self._set_status(IdleStatus.KNOWN, source.name)
                answer(seconds)

            ask(self.bus, source.target, got, parent=self)
            return
        seconds = self._x11_seconds()
        if seconds is None:
            self.current = 0  # ask the desktop again next time (it may have started late)
            self._set_status(IdleStatus.UNKNOWN)
        else:
            self.current = len(self.sources)
            self._set_status(IdleStatus.KNOWN, "X11")
        QTimer.singleShot(0, self, lambda: answer(seconds))  # always later, as a D-Bus answer would be

    def _x11_seconds(self) -> float | None:
        if not self._x11_tried:
            self._x11_tried = True
            self._x11 = self._x11_factory()
        return self._x11.seconds() if self._x11 is not None else None
