"""A private session bus for tests, and a stand-in desktop notification service that runs on it.

``private_bus()`` starts its own ``dbus-daemon`` (never the user's bus) and stops it afterwards.
``NotificationStandIn`` runs ``python dbus_standins.py notifications RECORD.json`` on that bus: it owns
``org.freedesktop.Notifications``, accepts Notify only with the exact signature the specification gives
(as GDBus- and Qt-based servers do), writes every call it received to RECORD.json, and on
``Press(id, action)`` (interface ``test.StandIn`` at ``/control``) emits ActionInvoked as if the user had
pressed that button.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


def dbus_tools_missing() -> str | None:
    """Why the D-Bus tests cannot run here, or None."""
    for tool in ("dbus-daemon", "dbus-send"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian/Ubuntu: apt-get install dbus)"
    return None


@contextmanager
def private_bus() -> Iterator[str]:
    """A fresh session bus; yields its address."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # it complains harmlessly when it cannot raise its file limit
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address.startswith("unix:"), f"dbus-daemon gave no address: {address!r}"
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        if daemon.stdout is not None:
            daemon.stdout.close()


def dbus_send(address: str, *args: str, timeout: float = 5) -> str:
    """Run ``dbus-send --print-reply`` on the private bus (as a media-key daemon or a test would)."""
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address)
    done = subprocess.run(
        ["dbus-send", "--session", "--print-reply", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"dbus-send {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


class NotificationStandIn:
    """The stand-in service in a subprocess; :meth:`received` reads what it recorded."""

    def __init__(self, address: str, record: Path) -> None:
        self.address = address
        self.record = record
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address, QT_QPA_PLATFORM="offscreen")
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "dbus_standins.py"), "notifications", str(record)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()  # "ready" once the name is owned
        if line != "ready":
            self.stop()
            raise RuntimeError(f"the stand-in notification service did not start: {line!r}")

    def received(self) -> list[dict[str, Any]]:
        if not self.record.exists():
            return []
        return list(json.loads(self.record.read_text()))

    def press(self, notification_id: int, action: str) -> None:
        dbus_send(self.address, f"--dest={SERVICE}", "/control", "test.StandIn.Press",
                  f"uint32:{notification_id}", f"string:{action}")  # fmt: skip

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _run_notifications(record: Path) -> int:
    """The stand-in itself (runs in its own process)."""
    from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Signal, Slot
    from PySide6.QtDBus import QDBusConnection

    app = QCoreApplication([])
    bus = QDBusConnection.sessionBus()
    calls: list[dict[str, Any]] = []

    @ClassInfo({"D-Bus Interface": SERVICE})  # type: ignore[call-arg]
    class Server(QObject):  # type: ignore[operator]
        ActionInvoked = Signal("uint", str)  # type: ignore[arg-type]  # C++ type names: sent as uint32
        NotificationClosed = Signal("uint", "uint")  # type: ignore[arg-type]

        def __init__(self) -> None:
            super().__init__()
            self.next_id = 0

        @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
        def Notify(self, app_name: str, replaces_id: int, app_icon: str, summary: str, body: str,  # noqa: N802
                   actions: list[str], hints: dict[str, Any], expire_timeout: int) -> int:  # fmt: skip
            if replaces_id:
                notification = replaces_id
            else:
                self.next_id += 1
                notification = self.next_id
            calls.append({
                "id": notification, "app_name": app_name, "replaces_id": replaces_id, "app_icon": app_icon,
                "summary": summary, "body": body, "actions": list(actions), "expire_timeout": expire_timeout,
                "hints": {k: v for k, v in hints.items() if isinstance(v, str | int | float | bool)},
            })  # fmt: skip
            tmp = record.with_suffix(".tmp")
            tmp.write_text(json.dumps(calls))
            tmp.replace(record)
            return notification

        @Slot("uint")
        def CloseNotification(self, notification: int) -> None:  # noqa: N802
            self.NotificationClosed.emit(notification, 3)

        @Slot(result="QStringList")
        def GetCapabilities(self) -> list[str]:  # noqa: N802
            return ["actions", "body"]

    @ClassInfo({"D-Bus Interface": "test.StandIn"})  # type: ignore[call-arg]
    class Control(QObject):  # type: ignore[operator]
        def __init__(self, server: Server) -> None:
            super().__init__()
            self.server = server

        @Slot("uint", str)
        def Press(self, notification: int, action: str) -> None:  # noqa: N802
            self.server.ActionInvoked.emit(notification, action)

    server = Server()
    control = Control(server)
    options = QDBusConnection.RegisterOption
    ok = bus.registerObject(PATH, server, options.ExportAllSlots | options.ExportAllSignals)
    ok = ok and bus.registerObject("/control", control, options.ExportAllSlots)
    ok = ok and bus.registerService(SERVICE)
    print("ready" if ok else f"failed: {bus.lastError().message()}", flush=True)
    if not ok:
        return 1
    return app.exec()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "notifications":
        sys.exit(_run_notifications(Path(sys.argv[2])))
    print("usage: dbus_standins.py notifications RECORD.json", file=sys.stderr)
    sys.exit(2)
