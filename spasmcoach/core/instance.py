"""One SpasmCoach per data folder, without Qt: the ownership lock, the socket's path and the client side.

The running window owns the data folder by holding an exclusive ``flock`` on ``instance.lock`` for as long
as it lives; the kernel drops the lock when the process ends, however it ends. Only the lock's holder may
remove and recreate the socket, so a later launch never deletes the socket of a live (busy or stopped)
window. A later launch (or ``spasmcoach timer PRESET`` over SSH) speaks to the owner over a Unix socket with
plain Python: one JSON object and a newline each way, no display and no Qt needed.

Requests: ``{"cmd": "show"}``, ``{"cmd": "timer", "preset": ID}``, ``{"cmd": "run", "routine": ID, "prompt":
bool}``, ``{"cmd": "import", "file": ABSOLUTE_PATH}`` (the window checks the file and asks before replacing),
each with ``"expires"`` (Unix time after which the sender no longer waits: a window that was stopped
and resumes later must not start what the sender already reported as not started).
Replies: ``{"ok": true, ...}`` or ``{"ok": false, "error": TEXT}``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import socket
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import paths
from .filelock import try_lock_exclusive
from .i18n import _

# O_NOFOLLOW and O_CLOEXEC are POSIX-only: 0 (no effect) where the platform lacks them
_NO_FOLLOW = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)

LOCK_NAME = "instance.lock"
SOCKET_NAME = "instance.sock"
MAX_MESSAGE = 4096  # bytes in one request or reply, newline included; anything longer is dropped
SOCKET_PATH_LIMIT = 100  # sun_path holds 108 bytes on Linux; keep a margin for Qt's temporary name
STARTUP_WAIT = 10.0  # seconds to wait for an owner that holds the lock but is not listening yet
REPLY_WAIT = 5.0  # seconds an owner may take to answer before it counts as not answering
COMMANDS = ("show", "timer", "run", "import")


class InstanceError(Exception):
    """A running SpasmCoach owns the data folder but did not take the request (a calm one-line message)."""


def lock_path() -> Path:
    return paths.data_dir() / LOCK_NAME


def socket_path() -> Path:
    """The socket's full path: in the data folder, or (for a very long folder path) a per-folder name in the
    temporary folder, so that the window and every later launch agree on it."""
    inside = paths.data_dir() / SOCKET_NAME
    if len(os.fsencode(inside)) <= SOCKET_PATH_LIMIT:
        return inside
    digest = hashlib.sha256(os.fsencode(paths.data_dir())).hexdigest()[:16]
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"spasmcoach-{uid}-{digest}.sock"


class InstanceLock:
    """The exclusive lock that says "this process is the SpasmCoach for this data folder"."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = lock_path() if path is None else path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """True if this process now owns the folder; False if another live process does. OSError if the
        lock file cannot be opened at all (the caller then runs without single-instance protection)."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NO_FOLLOW, 0o600)
        except OSError as exc:
            if exc.errno not in (errno.EROFS, errno.EACCES):
                raise
            fd = os.open(self.path, os.O_RDONLY | _NO_FOLLOW)  # flock works read-only too
        try:
            taken = try_lock_exclusive(fd)
        except OSError:
            os.close(fd)
            raise
        if not taken:
            os.close(fd)
            return False
        self._fd = fd
        try:  # who owns it, for the message a later launch prints; best effort
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def owner_pid() -> int | None:
    """The process id the owner wrote into the lock file, if readable."""
    try:
        text = lock_path().read_text(encoding="ascii", errors="replace")[:20].strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def is_owned() -> bool:
    """True while some live process holds the lock (tested by trying to take it, and letting go at once)."""
    probe = InstanceLock()
    try:
        got = probe.acquire()
    except OSError:
        return False
    probe.release()
    return not got


def valid_request(request: object) -> dict[str, Any] | None:
    """``request`` if it is a well-formed request, else None (the server drops and logs it)."""
    if not isinstance(request, dict) or request.get("cmd") not in COMMANDS:
        return None
    if request["cmd"] == "timer" and not isinstance(request.get("preset"), str):
        return None
    expires = request.get("expires", 0.0)
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        return None
    if request["cmd"] == "import" and not (isinstance(request.get("file"), str) and os.path.isabs(request["file"])):
        return None
    if request["cmd"] == "run" and not (
        isinstance(request.get("routine"), str) and isinstance(request.get("prompt", True), bool)
    ):
        return None
    return request


def expired(request: Mapping[str, Any], now: float | None = None) -> bool:
    """True if the sender has stopped waiting (it told the user nothing was started): do not act on it."""
    expires = request.get("expires")
    return isinstance(expires, int | float) and expires > 0 and (time.time() if now is None else now) > expires


def encode(message: Mapping[str, Any]) -> bytes:
    data = (json.dumps(dict(message), ensure_ascii=True) + "\n").encode()
    if len(data) > MAX_MESSAGE:
        raise ValueError(f"message over {MAX_MESSAGE} bytes")
    return data


def send(request: Mapping[str, Any], *, startup_wait: float = STARTUP_WAIT, reply_wait: float = REPLY_WAIT
         ) -> dict[str, Any] | None:  # fmt: skip
    """Hand ``request`` to the running SpasmCoach and return its reply; None when no SpasmCoach owns the data
    folder. InstanceError when one owns it but does not answer (it is busy, stopped or starting too slowly)."""
    deadline = time.monotonic() + startup_wait
    path = socket_path()
    while True:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.settimeout(reply_wait)
            conn.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            conn.close()
            if not is_owned():  # nobody is running; a socket file left here is stale
                return None
            if time.monotonic() >= deadline:  # the owner never started listening
                raise InstanceError(_not_answering()) from None
            time.sleep(0.05)  # the owner holds the lock but is still starting
            continue
        except OSError as exc:
            conn.close()
            raise InstanceError(_not_answering(exc.strerror)) from None
        with conn:  # an answer that comes later than we wait must not act: we will have said "not started"
            return _exchange(conn, {**request, "expires": time.time() + reply_wait}, reply_wait)


def hand_over_or_own(request: Mapping[str, Any], lock: InstanceLock, *, startup_wait: float = STARTUP_WAIT,
                     reply_wait: float = REPLY_WAIT) -> dict[str, Any] | None:  # fmt: skip
    """Either take ``lock`` (return None: this process is now the owner) or hand ``request`` to the owner
    and return its reply. InstanceError if an owner exists but does not answer; OSError if the lock file
    cannot be used at all."""
    for _attempt in range(50):
        if lock.acquire():
            return None
        reply = send(request, startup_wait=startup_wait, reply_wait=reply_wait)
        if reply is not None:
            return reply
        time.sleep(0.02)  # the owner quit between our two looks; try to take over
    raise InstanceError(_("SpasmCoach kept starting and stopping for this data folder; nothing was started."))


def _exchange(conn: socket.socket, request: Mapping[str, Any], reply_wait: float) -> dict[str, Any]:
    deadline = time.monotonic() + reply_wait
    try:
        conn.sendall(encode(request))
        reply = b""
        while not reply.endswith(b"\n") and len(reply) <= MAX_MESSAGE:
            conn.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = conn.recv(MAX_MESSAGE)
            if not chunk:
                break
            reply += chunk
    except TimeoutError:
        raise InstanceError(_not_answering()) from None
    except OSError as exc:
        raise InstanceError(_not_answering(exc.strerror)) from None
    try:
        parsed = json.loads(reply) if reply.endswith(b"\n") else None
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise InstanceError(_not_answering(_("it gave no usable reply")))
    return parsed


def _not_answering(reason: str | None = None) -> str:
    pid = owner_pid()
    if pid and reason:
        text = _("SpasmCoach is already open (process {pid}) for this data folder but is not answering ({reason}).")
    elif pid:
        text = _("SpasmCoach is already open (process {pid}) for this data folder but is not answering.")
    elif reason:
        text = _("SpasmCoach is already open for this data folder but is not answering ({reason}).")
    else:
        text = _("SpasmCoach is already open for this data folder but is not answering.")
    advice = _(
        "Nothing was started. If that window is frozen or stopped, close it (or end that process) and try again."
    )
    return text.format(pid=pid, reason=reason) + " " + advice
