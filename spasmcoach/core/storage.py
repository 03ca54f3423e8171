"""Files on disk, done one careful way: bounded reads of regular files only, atomic fsync'd writes,
moving a damaged file aside (never deleting it), and the UTC time text every stored record uses.

Every read here may be hostile (a FIFO, a device, a folder, a huge file) and every write may fail
(a full disk, a read-only folder, a name that is too long): each case becomes a ``StorageError`` whose
message names the file and says what to do, never a hang or a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from spasmcoach.core.i18n import _

READ_CHUNK = 64 * 1024


class StorageError(Exception):
    """A file could not be read or written; ``str()`` is a calm sentence naming the file.

    ``errno`` keeps the operating system's code (None where the refusal is ours, e.g. a FIFO).
    """

    def __init__(self, code: int | None, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.errno = code
        self.reason = reason or message  # the cause alone, without the file's name, for callers that add their own


# -- time text ---------------------------------------------------------------------------------------------


def utc_now() -> datetime:
    """The current wall-clock time, UTC-aware."""
    return datetime.now(UTC)


def require_aware(moment: datetime, what: str = "the time") -> datetime:
    """``moment`` in UTC; ValueError for a naive datetime (its zone would be a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {moment!r}")
    return moment.astimezone(UTC)


def format_time(moment: datetime) -> str:
    """The stored form of an aware datetime: UTC, milliseconds, '+00:00' (fixed width, sorts as text)."""
    return require_aware(moment, "stored times").isoformat(timespec="milliseconds")


def parse_time(text: str) -> datetime:
    """The aware UTC datetime of a stored time string."""
    return datetime.fromisoformat(text).astimezone(UTC)


def stamp(moment: datetime | None = None) -> str:
    """A compact UTC stamp for file names, e.g. '20261202T190000'."""
    return (moment or utc_now()).astimezone(UTC).strftime("%Y%m%dT%H%M%S")


# -- reading -----------------------------------------------------------------------------------------------


def _reason(exc: OSError) -> str:
    """The OS's words for an error, with the limit named where the name is too long."""
    if exc.errno == errno.ENAMETOOLONG:
        return _("the path is longer than this system allows (a file name may have at most 255 bytes)")
    return exc.strerror or str(exc)


def _kind(mode: int) -> str:
    """What a non-regular file is, in plain words."""
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def read_bytes(path: Path, limit: int, what: str = "file") -> bytes:
    """The whole content of the regular file ``path``, at most ``limit`` bytes.

    Opens without blocking (a FIFO with no writer would otherwise wait forever), refuses anything but a
    regular file (following symlinks, so a link to a FIFO is refused too), and reads bounded, so a file
    that grows while read still cannot exceed ``limit``. StorageError for every failure.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise StorageError(
            exc.errno,
            _("Cannot read the {what} {path}: {reason}.").format(what=_(what), path=path, reason=_reason(exc)),
            _reason(exc),
        ) from exc
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = _("it is {kind}, not a regular file").format(kind=_kind(info.st_mode))
            raise StorageError(
                errno.EINVAL,
                _("Cannot read the {what} {path}: {kind}.").format(what=_(what), path=path, kind=kind),
                kind,
            )
        if info.st_size > limit:
            too_large = _("it is too large ({st_size:,} bytes; at most {limit:,})").format(
                st_size=info.st_size, limit=limit
            )
            raise StorageError(
                errno.EFBIG,
                _("Cannot read the {what} {path}: {too_large}.").format(what=_(what), path=path, too_large=too_large),
                too_large,
            )
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(descriptor, min(READ_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                too_large = _("it is too large (more than {limit:,} bytes)").format(limit=limit)
                raise StorageError(
                    errno.EFBIG,
                    _("Cannot read the {what} {path}: {too_large}.").format(
                        what=_(what), path=path, too_large=too_large
                    ),
                    too_large,
                )
        return b"".join(chunks)
    except StorageError:
        raise
    except OSError as exc:
        raise StorageError(
            exc.errno,
            _("Cannot read the {what} {path}: {reason}.").format(what=_(what), path=path, reason=_reason(exc)),
            _reason(exc),
        ) from exc
    finally:
        os.close(descriptor)


def check_regular_or_missing(path: Path, what: str = "file") -> None:
    """StorageError unless ``path`` is absent or a regular file (a symlink is followed)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(
            exc.errno, _("Cannot use the {what} {path}: {reason}.").format(what=_(what), path=path, reason=_reason(exc))
        ) from exc
    if not stat.S_ISREG(info.st_mode):
        kind = _("it is {kind}, not a regular file").format(kind=_kind(info.st_mode))
        raise StorageError(
            errno.EINVAL, _("Cannot use the {what} {path}: {kind}.").format(what=_(what), path=path, kind=kind), kind
        )


# -- writing -----------------------------------------------------------------------------------------------


def fsync_dir(folder: Path) -> None:
    """Make new or renamed entries of ``folder`` durable where the platform allows opening a folder."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def atomic_writer(path: Path, what: str = "file", mode: int = 0o644) -> Iterator[BinaryIO]:
    """Write ``path`` all at once or not at all.

    Yields a binary file in the target's folder; on a clean exit it is flushed, fsync'd and renamed over
    ``path`` (then the folder is fsync'd). On any failure the temporary file is removed, ``path`` keeps
    its old content, and a StorageError names the file and the reason. A target that exists but is not a
    regular file (a FIFO, a device, a folder) is refused before anything is written.
    """
    check_regular_or_missing(path, what)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=folder)
    except OSError as exc:
        raise StorageError(
            exc.errno,
            _("Cannot write the {what} {path}: {reason}.").format(what=_(what), path=path, reason=_reason(exc)),
        ) from exc
    try:
        with contextlib.suppress(OSError):  # keep the old file's mode; a new file is rw-r--r--, not private
            os.chmod(temp_name, stat.S_IMODE(path.stat().st_mode) if path.exists() else mode)
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, StorageError):
            raise
        if isinstance(exc, OSError):
            raise StorageError(
                exc.errno,
                _("Could not write the {what} {path}: {reason}. Nothing was saved there.").format(
                    what=_(what), path=path, reason=_reason(exc)
                ),
            ) from exc
        raise
    fsync_dir(folder)


def write_bytes_atomic(path: Path, data: bytes, what: str = "file") -> None:
    """Replace ``path`` with ``data`` atomically (see ``atomic_writer``)."""
    with atomic_writer(path, what) as out:
        out.write(data)


def write_json_atomic(path: Path, document: object, what: str = "file") -> None:
    """Replace ``path`` with ``document`` as indented UTF-8 JSON, atomically."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"), what)


# -- damaged files -----------------------------------------------------------------------------------------


def move_aside(
    path: Path, label: str = "corrupt", companions: Sequence[str] = (), moment: datetime | None = None
) -> Path:
    """Rename a damaged ``path`` (and ``path``+each companion suffix) to '<name>.<label>-<UTC stamp>'.

    Never deletes anything; picks a fresh name if one is taken. Returns where ``path`` went.
    StorageError if the rename is impossible.
    """
    suffixes = ("", *companions)
    base = path.with_name(f"{path.name}.{label}-{stamp(moment)}")
    counter = 1
    try:
        while any(os.path.lexists(base.with_name(base.name + suffix)) for suffix in suffixes):
            counter += 1
            base = path.with_name(f"{path.name}.{label}-{stamp(moment)}-{counter}")
        for suffix in suffixes:
            source = path.with_name(path.name + suffix)
            if source.exists() or source.is_symlink():
                os.rename(source, base.with_name(base.name + suffix))
    except OSError as exc:
        raise StorageError(
            exc.errno,
            _(
                "The file {path} is damaged and could not be moved aside to {base}: {reason}. Move it away "
                "by hand (do not delete it) and start SpasmCoach again."
            ).format(path=path, base=base, reason=_reason(exc)),
        ) from exc
    fsync_dir(path.parent)
    return base
