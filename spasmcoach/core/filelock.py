"""A non-blocking exclusive lock on an open file, on POSIX (``flock``) and on Windows (``msvcrt.locking``).

``fcntl`` does not exist on Windows, so a core module that imports it at the top cannot even be imported
there. Use :func:`try_lock_exclusive` instead; the lock goes away when the descriptor is closed (or the
process dies) on both.
"""

from __future__ import annotations

import errno
import os

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def try_lock_exclusive(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting: True if taken, False if someone else holds it.

    Any other failure (a filesystem without locks, say) raises OSError.
    """
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import msvcrt  # Windows

    try:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EDEADLK):
            return False
        raise
    return True
