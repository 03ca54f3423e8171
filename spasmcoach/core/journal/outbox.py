"""The outbox: an fsync'd, append-only file beside the journal holding writes the journal could not take yet.

One JSON line per write: ``{"op": {kind, key, time, fields}, "sum": sha256 of the op}``. A line is
appended and fsync'd before the caller is told "kept safe", so once told, the write survives a crash.
A line cut short by a crash (no newline, bad JSON or a wrong checksum) was never acknowledged: it is
skipped, and set aside in ``<outbox>.rejected`` rather than dropped if it is not the torn last line.

Every access holds an exclusive ``flock`` on the file, so two copies of the app never interleave lines
or clear each other's entries; waiting for that lock is bounded (``OutboxBusy`` after a few tens of ms).
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import stat
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from spasmcoach.core import storage
from spasmcoach.core.filelock import try_lock_exclusive

from .ops import Op

log = logging.getLogger(__name__)

LOCK_WAIT_S: Final = 0.05
MAX_OUTBOX_BYTES: Final = 64 * 1024 * 1024
REJECTED_SUFFIX: Final = ".rejected"


class OutboxBusy(OSError):
    """Another process holds the outbox's lock for longer than we may wait."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EWOULDBLOCK, f"the outbox {path} is in use by another program")


def checksum(op: Op) -> str:
    """The SHA-256 of the operation's canonical JSON."""
    canonical = json.dumps(op.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def encode(op: Op) -> bytes:
    """One outbox line, newline included."""
    line = json.dumps({"op": op.to_json(), "sum": checksum(op)}, ensure_ascii=False, separators=(",", ":"))
    return line.encode("utf-8") + b"\n"


def decode(line: bytes) -> Op:
    """The operation of one complete line; ValueError if it is damaged."""
    document = json.loads(line.decode("utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("op"), dict):
        raise ValueError("not an outbox line")
    op = Op.from_json(document["op"])
    if document.get("sum") != checksum(op):
        raise ValueError("the checksum does not match")
    return op


@dataclass(frozen=True)
class Contents:
    """What the outbox holds: the good operations in order, and the damaged lines (raw) to keep aside."""

    ops: list[Op]
    damaged: list[bytes]
    torn_tail: bool


def parse(data: bytes) -> Contents:
    """Split an outbox file into operations; a last line without its newline is a torn write."""
    lines = data.split(b"\n")
    tail = lines.pop()  # b"" when the file ends with a newline
    good: list[Op] = []
    damaged: list[bytes] = []
    for line in lines:
        if not line.strip():
            continue
        try:
            good.append(decode(line))
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning("outbox: a damaged line was set aside: %s", exc)
            damaged.append(line)
    return Contents(good, damaged, torn_tail=bool(tail))


class OutboxFile:
    """The outbox beside one journal file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rejected_path = path.with_name(path.name + REJECTED_SUFFIX)

    def has_entries(self) -> bool:
        """Cheap check without the lock: the file exists and is not empty."""
        try:
            return self.path.stat().st_size > 0
        except OSError:
            return False

    @contextmanager
    def _locked(self, create: bool) -> Iterator[int | None]:
        """The file's descriptor under an exclusive lock (None if it does not exist and create is False)."""
        flags = os.O_RDWR | os.O_APPEND | os.O_NONBLOCK | os.O_CLOEXEC | (os.O_CREAT if create else 0)
        created = create and not self.path.exists()
        try:
            fd = os.open(self.path, flags, 0o600)
        except FileNotFoundError:
            if create:
                raise
            yield None
            return
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, f"the outbox {self.path} is not a regular file")
            deadline = time.monotonic() + LOCK_WAIT_S
            while True:
                if try_lock_exclusive(fd):
                    break
                if time.monotonic() >= deadline:
                    raise OutboxBusy(self.path) from None
                time.sleep(0.005)
            if created:
                storage.fsync_dir(self.path.parent)
            yield fd
        finally:
            os.close(fd)  # releases the lock

    def append(self, ops: Sequence[Op]) -> None:
        """Append and fsync ``ops``; OSError (ENOSPC, EROFS, OutboxBusy…) if they are not all on disk.

        A failed append is cut back to the old length, so no half line is left behind it.
        """
        data = b"".join(encode(op) for op in ops)
        with self._locked(create=True) as fd:
            assert fd is not None
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data  # a torn line from a crash ends here; ours start on a line of their own
            try:
                written = 0
                while written < len(data):
                    written += os.write(fd, data[written:])
                os.fsync(fd)
            except OSError:
                try:
                    os.ftruncate(fd, size)
                    os.fsync(fd)
                except OSError:
                    pass  # the reader skips a torn or damaged line anyway
                raise

    @contextmanager
    def draining(self) -> Iterator[tuple[Contents, Drain]]:
        """Read the outbox under its lock; ``drain.clear()`` empties it once its entries are in the journal."""
        with self._locked(create=False) as fd:
            if fd is None:
                yield Contents([], [], False), Drain(None, self)
                return
            size = os.fstat(fd).st_size
            if size > MAX_OUTBOX_BYTES:
                raise OSError(errno.EFBIG, f"the outbox {self.path} is too large ({size:,} bytes)")
            data = os.pread(fd, size, 0) if size else b""
            yield parse(data), Drain(fd, self)

    def keep_rejected(self, lines: Sequence[bytes]) -> None:
        """Append lines the journal could not take to ``<outbox>.rejected`` (never dropped)."""
        if not lines:
            return
        created = not self.rejected_path.exists()
        fd = os.open(self.rejected_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            data = b"".join(line.rstrip(b"\n") + b"\n" for line in lines)
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            storage.fsync_dir(self.rejected_path.parent)


class Drain:
    """Empties the locked outbox once what it held is safely in the journal."""

    def __init__(self, fd: int | None, outbox: OutboxFile) -> None:
        self._fd = fd
        self._outbox = outbox

    def clear(self) -> None:
        """Truncate the outbox to nothing and fsync (OSError if that fails: a replay is then a no-op)."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
