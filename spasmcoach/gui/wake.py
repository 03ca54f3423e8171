"""One wake-up timer for the GUI: sleep until the nearest thing falls due, in real time, then fire once.

The routine player and the ice/heat timers both work the same way: the core says how many clock seconds
until the next cue or phase change (and, while something is on screen, until the shown second changes);
:class:`WakeTimer` sleeps until the nearest of those, converting clock seconds to real ones through the clock
(a sped-up clock sleeps less). Nothing counts ticks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtCore import QObject, Qt, QTimer

from spasmcoach.core.clock import Clock


def to_next_whole_second(remaining: float) -> float:
    """Seconds until a countdown showing ``remaining`` seconds shows the next whole second (1 on a whole one)."""
    return remaining - math.floor(remaining) or 1.0


class WakeTimer(QTimer):
    """A single-shot precise timer on a clock: :meth:`sleep_until_nearest` sets it, ``timeout`` wakes the owner."""

    def __init__(self, clock: Clock, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.setObjectName(name)
        self.setSingleShot(True)
        self.setTimerType(Qt.TimerType.PreciseTimer)

    def sleep_until_nearest(self, waits: Iterable[float | None]) -> None:
        """Fire once after the shortest of ``waits`` (clock seconds; None means never); stop if there are none.

        The extra millisecond makes sure the due moment has passed when the owner looks again.
        """
        nearest = min((wait for wait in waits if wait is not None), default=None)
        if nearest is None:
            self.stop()
            return
        real = self.clock.to_real_seconds(max(nearest, 0.0))
        self.start(max(1, math.ceil(real * 1000) + 1))
