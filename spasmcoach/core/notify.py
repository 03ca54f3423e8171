"""User-facing notices, without Qt: the core reports, the GUI shows, tests capture.

Separates "the user's environment is wrong" (a calm notice naming the file and what to do) from bugs,
which are logged with a traceback instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True)
class Notice:
    level: Level
    message: str
    key: str = ""  # notices with the same key are shown once per run


class Notifier:
    """Fans notices out to listeners; a notice with a key is delivered only the first time."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[Notice], None]] = []
        self._seen: set[str] = set()
        self.history: list[Notice] = []

    def subscribe(self, listener: Callable[[Notice], None]) -> None:
        self._listeners.append(listener)
        for notice in self.history:  # a view that arrives late still sees what happened at start-up
            listener(notice)

    def notify(self, message: str, *, level: Level = Level.INFO, key: str = "") -> None:
        if key and key in self._seen:
            return
        if key:
            self._seen.add(key)
        notice = Notice(level, message, key)
        self.history.append(notice)
        for listener in list(self._listeners):
            listener(notice)

    def warn(self, message: str, *, key: str = "") -> None:
        self.notify(message, level=Level.WARNING, key=key)
