"""The running window's side of "one SpasmCoach per data folder": a local server on the socket path that
:mod:`spasmcoach.core.instance` decides, answering one JSON request per connection.

It listens only while this process holds the instance lock, so removing a stale socket before listening
can never remove a live window's socket. A request that is not one line of valid JSON naming a known
command, or that is longer than :data:`~spasmcoach.core.instance.MAX_MESSAGE`, is dropped and logged;
a connection that sends nothing is closed after a few seconds.
Signals of InstanceServer: received(dict).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from spasmcoach.core import instance
from spasmcoach.core.i18n import _

log = logging.getLogger(__name__)
IDLE_MS = 5000  # a connection that has not sent a whole request by then is closed

Responder = Callable[[dict[str, Any]], dict[str, Any]]


class InstanceServer(QObject):
    """Listens for requests from later launches and from ``spasmcoach timer``.

    ``responder`` (if set) handles a valid request and returns what to add to the ``{"ok": true}`` reply;
    otherwise ``received`` is emitted and the reply is a plain ``{"ok": true}``.
    """

    received = Signal(dict)

    def __init__(self, parent: QObject | None = None, responder: Responder | None = None) -> None:
        super().__init__(parent)
        self.responder = responder
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self.dropped = 0  # bad requests dropped, for tests and the log
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self, lock: instance.InstanceLock) -> bool:
        """Listen on the agreed path. Only the lock's holder may replace a socket file found there."""
        if not lock.held:
            raise RuntimeError("listen() needs the instance lock")
        path = str(instance.socket_path())
        QLocalServer.removeServer(path)  # we own the lock, so any socket here is a dead owner's leftover
        if not self.server.listen(path):
            log.warning("single-instance server not available at %s: %s", path, self.server.errorString())
            return False
        log.info("single-instance server listening at %s", path)
        return True

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            idle = QTimer(socket)
            idle.setSingleShot(True)
            idle.timeout.connect(lambda s=socket: self._drop(s, "nothing complete arrived in time"))
            idle.start(IDLE_MS)
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket, t=idle: self._gone(s, t))

    def _gone(self, socket: QLocalSocket, idle: QTimer) -> None:
        idle.stop()
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _drop(self, socket: QLocalSocket, why: str) -> None:
        if socket not in self._buffers:
            return
        self.dropped += 1
        log.warning("single-instance request dropped: %s", why)
        self._buffers.pop(socket, None)
        socket.abort()

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        room = instance.MAX_MESSAGE - len(self._buffers[socket]) + 1
        data = self._buffers[socket] + bytes(socket.read(room).data())
        if b"\n" not in data:
            if len(data) > instance.MAX_MESSAGE:
                self._drop(socket, f"longer than {instance.MAX_MESSAGE} bytes")
            else:
                self._buffers[socket] = data
            return
        self._buffers.pop(socket, None)
        line = data.split(b"\n", 1)[0]
        try:
            request = instance.valid_request(json.loads(line))
        except (ValueError, RecursionError):
            request = None
        if request is None:
            self.dropped += 1
            log.warning("single-instance request dropped: not a valid request (%d bytes)", len(line))
            self._reply(socket, {"ok": False, "error": _("not a valid request")})
            return
        if instance.expired(request):
            self.dropped += 1
            log.warning("single-instance request dropped: %s arrived after its sender stopped waiting", request["cmd"])
            self._reply(socket, {"ok": False, "error": _("too late")})
            return
        try:
            extra = self.responder(request) if self.responder is not None else {}
        except Exception:  # a request must never take the window down
            log.exception("single-instance request failed: %s", request.get("cmd"))
            self._reply(socket, {"ok": False, "error": _("the window could not do that")})
            return
        if self.responder is None:
            self.received.emit(request)
        self._reply(socket, {"ok": True, **extra})

    def _reply(self, socket: QLocalSocket, reply: dict[str, Any]) -> None:
        try:
            data = instance.encode(reply)
        except (ValueError, TypeError):
            data = instance.encode({"ok": bool(reply.get("ok"))})
        socket.write(data)
        socket.flush()
        socket.disconnectFromServer()

    def close(self) -> None:
        self.server.close()
