"""One SpasmCoach per data folder: a second launch hands its request to the running window and exits.

Requests are one JSON object per connection: ``{"cmd": "show"}``, ``{"cmd": "timer", "preset": ID}`` or
``{"cmd": "run", "routine": ID, "prompt": bool}``. The server name is derived from the data folder, so
tests with their own SPASMCOACH_HOME never talk to the user's running app.
Signals of InstanceServer: received(dict).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from spasmcoach.core import paths

log = logging.getLogger(__name__)
TIMEOUT_MS = 1500


def server_name() -> str:
    digest = hashlib.sha256(str(paths.data_dir()).encode()).hexdigest()[:16]
    return f"spasmcoach-{os.getuid() if hasattr(os, 'getuid') else 'user'}-{digest}"


def send_to_running(request: dict[str, object]) -> bool:
    """True if a running instance took ``request``; False if none is listening."""
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write((json.dumps(request) + "\n").encode())
    socket.flush()  # after this there is nothing left to write, so wait only for the reply
    reply = b""
    while not reply.endswith(b"\n") and socket.waitForReadyRead(TIMEOUT_MS):
        reply += bytes(socket.readAll().data())
    reply = reply.strip()
    socket.disconnectFromServer()
    return reply == b"ok"


class InstanceServer(QObject):
    """Listens for requests from later launches."""

    received = Signal(dict)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        name = server_name()
        if not self.server.listen(name):
            QLocalServer.removeServer(name)  # a stale socket left by a killed instance
            if not self.server.listen(name):
                log.warning("single-instance server not available: %s", self.server.errorString())
                return False
        return True

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        try:
            request = json.loads(line)
        except ValueError:
            socket.write(b"bad\n")
            return
        socket.write(b"ok\n")
        socket.flush()
        if isinstance(request, dict):
            self.received.emit(request)

    def close(self) -> None:
        self.server.close()
