"""Dating a file back, for the caches that keep only files not changed in the last two seconds."""

from __future__ import annotations

import os
import time
from pathlib import Path


def settle(path: Path, seconds_ago: int = 60) -> None:
    """Date the file back: the caches keep only files that have not changed in the last two seconds."""
    moment = time.time_ns() - seconds_ago * 1_000_000_000
    os.utime(path, ns=(moment, moment))
