"""The running window's side of "one SpasmCoach per data folder": a local server on the socket path that
:mod:`spasmcoach.core.instance` decides, answering one JSON request per connection.

It listens only while this process holds the instance lock, so removing a stale socket before listening
can never remove a live window's socket. A request that is not one line of valid JSON naming a known
command, or that is longer than :data:`~spasmcoach.core.instance.MAX_MESSAGE`, is dropped and logged;
a connection that sends nothing is closed after a few seconds. Built on Python's own Unix socket, watched by
a ``QSocketNotifier`` on the event loop (as :mod:`spasmcoach.core.instance` sends on one): Qt's network module
would cost about 3 MiB of memory and its load time for one short message now and then.
Signals of InstanceServer: received(dict).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import stat
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from spasmcoach.core import instance
from spasmcoach.core.i18n import _

log = logging.getLogger(__name__)
IDLE_MS = 5000  # a connection that has not sent a whole request by then is closed
BACKLOG = 16
REPLY_TIMEOUT_S = 1.0  # a reply is a few hundred bytes: it fits the socket's buffer at once

Responder = Callable[[dict[str, Any]], dict[str, Any]]


class _Connection:
    """One client: its socket, what it has sent so far, the notifier that says more came, its idle timer."""

    def __init__(self, conn: socket.socket, server: InstanceServer) -> None:
        conn.setblocking(False)
        self.conn = conn
        self.data = b""
        self.notifier = QSocketNotifier(conn.fileno(), QSocketNotifier.Type.Read, server)
        self.notifier.activated.connect(lambda *_args: server._read(self))
        self.idle = QTimer(server)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(lambda: server._drop(self, "nothing complete arrived in time"))
        self.idle.start(IDLE_MS)

    def close(self) -> None:
        self.idle.stop()
        self.notifier.setEnabled(False)
        self.notifier.deleteLater()
        self.idle.deleteLater()
        with contextlib.suppress(OSError):
            self.conn.close()


class InstanceServer(QObject):
    """Listens for requests from later launches and from ``spasmcoach timer``.

    ``responder`` (if set) handles a valid request and returns what to add to the ``{"ok": true}`` reply;
    otherwise ``received`` is emitted and the reply is a plain ``{"ok": true}``.
    """

    received = Signal(dict)

    def __init__(self, parent: QObject | None = None, responder: Responder | None = None) -> None:
        super().__init__(parent)
        self.responder = responder
        self.dropped = 0  # bad requests dropped, for tests and the log
        self._listener: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._path: str | None = None
        self._clients: set[_Connection] = set()

    def listen(self, lock: instance.InstanceLock) -> bool:
        """Listen on the agreed path. Only the lock's holder may replace a socket file found there."""
        if not lock.held:
            raise RuntimeError("listen() needs the instance lock")
        path = str(instance.socket_path())
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            _remove_socket_file(path)  # we own the lock, so any socket here is a dead owner's leftover
            old_mask = os.umask(0o177)  # only this user may connect
            try:
                listener.bind(path)
            finally:
                os.umask(old_mask)
            listener.listen(BACKLOG)
            listener.setblocking(False)
        except OSError as exc:
            listener.close()
            log.warning("single-instance server not available at %s: %s", path, exc.strerror or exc)
            return False
        self._listener, self._path = listener, path
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(lambda *_args: self._accept())
        log.info("single-instance server listening at %s", path)
        return True

    def _accept(self) -> None:
        while self._listener is not None:
            try:
                conn, _address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of file descriptors, say: the next launch tries again
                log.warning("single-instance connection not accepted: %s", exc.strerror or exc)
                return
            self._clients.add(_Connection(conn, self))

    def _gone(self, client: _Connection) -> None:
        self._clients.discard(client)
        client.close()

    def _drop(self, client: _Connection, why: str) -> None:
        if client not in self._clients:
            return
        self.dropped += 1
        log.warning("single-instance request dropped: %s", why)
        self._gone(client)

    def _receive(self, client: _Connection) -> bytes | None:
        """What arrived so far (at most one byte over the limit); None when the client closed or failed."""
        room = instance.MAX_MESSAGE - len(client.data) + 1
        try:
            chunk = client.conn.recv(max(room, 1))
        except (BlockingIOError, InterruptedError):
            return client.data
        except OSError:
            return None
        return client.data + chunk if chunk else None

    def _read(self, client: _Connection) -> None:
        if client not in self._clients:
            return
        data = self._receive(client)
        if data is None:  # closed before a whole request arrived
            self._gone(client)
            return
        if b"\n" not in data:
            if len(data) > instance.MAX_MESSAGE:
                self._drop(client, f"longer than {instance.MAX_MESSAGE} bytes")
            else:
                client.data = data
            return
        self._clients.discard(client)
        client.notifier.setEnabled(False)
        line = data.split(b"\n", 1)[0]
        try:
            request = instance.valid_request(json.loads(line))
        except (ValueError, RecursionError):
            request = None
        if request is None:
            self.dropped += 1
            log.warning("single-instance request dropped: not a valid request (%d bytes)", len(line))
            self._reply(client, {"ok": False, "error": _("not a valid request")})
            return
        if instance.expired(request):
            self.dropped += 1
            log.warning("single-instance request dropped: %s arrived after its sender stopped waiting", request["cmd"])
            self._reply(client, {"ok": False, "error": _("too late")})
            return
        try:
            extra = self.responder(request) if self.responder is not None else {}
        except Exception:  # a request must never take the window down
            log.exception("single-instance request failed: %s", request.get("cmd"))
            self._reply(client, {"ok": False, "error": _("the window could not do that")})
            return
        if self.responder is None:
            self.received.emit(request)
        self._reply(client, {"ok": True, **extra})

    def _reply(self, client: _Connection, reply: dict[str, Any]) -> None:
        try:
            data = instance.encode(reply)
        except (ValueError, TypeError):
            data = instance.encode({"ok": bool(reply.get("ok"))})
        try:
            client.conn.settimeout(REPLY_TIMEOUT_S)
            client.conn.sendall(data)
            client.conn.shutdown(socket.SHUT_RDWR)
        except OSError as exc:  # the sender gave up meanwhile
            log.info("single-instance reply not delivered: %s", exc.strerror or exc)
        client.close()

    def close(self) -> None:
        """Stop listening: close every connection and the socket, and remove the socket file."""
        for client in list(self._clients):
            self._gone(client)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._path is not None:
            with contextlib.suppress(OSError):
                _remove_socket_file(self._path)
            self._path = None


def _remove_socket_file(path: str) -> None:
    """Remove a socket file at ``path``; anything else there is left alone (binding then fails and says so)."""
    try:
        if stat.S_ISSOCK(os.lstat(path).st_mode):
            os.unlink(path)
    except FileNotFoundError:
        pass
