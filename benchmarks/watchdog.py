"""An event-loop stall watchdog for the benchmarks: a 5 ms QTimer on the GUI thread notes how late each tick is.

A tick that arrives 5 ms after the previous one means the event loop was free; one that arrives 80 ms after
it means the GUI thread was busy (or waiting for Python's GIL) for about 75 ms, and the window could not
repaint or answer a key meanwhile. ``worst(start, end)`` is the longest such stall whose end fell in the
span; every tick is kept, so one run can be cut into spans afterwards (start-up, each page, a routine).
"""

from __future__ import annotations

import collections
import sys
import threading
import time
import traceback
from pathlib import Path
from types import FrameType

from PySide6.QtCore import QObject, Qt, QTimer

INTERVAL_MS = 5


class Watchdog(QObject):
    """Ticks every ``INTERVAL_MS`` on the thread it lives on and records each tick's lateness in ms."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[tuple[float, float]] = []  # (perf_counter at the tick, ms late beyond the interval)
        # per tick, the GUI thread's own CPU time (ms) since the previous tick: a stall with about as much CPU
        # was the GUI thread working; one with little was it waiting (for Python's GIL, or the X server)
        self.cpu_ms: list[float] = []
        # per tick, (the other threads' CPU ms, the GUI thread's ms waiting for a core) since the previous tick:
        # a stall with neither GUI CPU nor run-queue wait was a wait for a lock (the GIL) held by another thread
        self.others_ms: list[tuple[float, float]] = []
        # per tick, the process's major page faults since the previous tick: a stall with no CPU anywhere and
        # faults was a thread reading code or data back from disk (holding the GIL meanwhile)
        self.faults: list[int] = []
        self._last_faults = _major_faults()
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._last_proc, self._last_queued = time.process_time(), _queued()
        self.loop_started: float | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Start watching (the first tick's lateness counts from now)."""
        self._last = time.perf_counter()
        self._last_cpu, self._last_proc, self._last_queued = time.thread_time(), time.process_time(), _queued()
        self._timer.start()

    def restart(self) -> None:
        """Count lateness from now on (e.g. when the event loop first runs, after a blocking start-up)."""
        self._last = time.perf_counter()
        self._last_cpu, self._last_proc, self._last_queued = time.thread_time(), time.process_time(), _queued()
        self.loop_started = self._last

    def stop(self) -> None:
        """Stop watching."""
        self._timer.stop()

    def _tick(self) -> None:
        moment, cpu, proc, queued = time.perf_counter(), time.thread_time(), time.process_time(), _queued()
        self.ticks.append((moment, max(0.0, (moment - self._last) * 1000 - INTERVAL_MS)))
        self.cpu_ms.append((cpu - self._last_cpu) * 1000)
        others = (proc - self._last_proc - (cpu - self._last_cpu)) * 1000
        self.others_ms.append((others, (queued - self._last_queued) / 1e6))
        faults = _major_faults()
        self.faults.append(faults - self._last_faults)
        self._last, self._last_cpu, self._last_proc, self._last_queued = moment, cpu, proc, queued
        self._last_faults = faults

    def first_tick(self) -> float | None:
        """When the event loop first ran the watchdog (perf_counter), if it has."""
        return self.ticks[0][0] if self.ticks else None

    def faults_in(self, start: float, end: float) -> int:
        """Major page faults of the process in the ticks that ended between ``start`` and ``end``."""
        return sum(faults for (at, _late), faults in zip(self.ticks, self.faults, strict=True) if start <= at <= end)

    def worst(self, start: float, end: float) -> float:
        """The longest stall (ms) that ended between ``start`` and ``end`` (perf_counter)."""
        return max((late for at, late in self.ticks if start <= at <= end), default=0.0)


class StallSampler:
    """Where the GUI thread is while it stalls: a side thread looks at its stack every 10 ms while the
    watchdog's last tick is over 30 ms old, and counts the innermost frames of our own code.

    For finding what a stall is spent on (``BENCH_STALL_STACKS=1``); GIL-bound, so it adds a little delay itself.
    """

    def __init__(self, dog: Watchdog, threshold_ms: float = 30.0) -> None:
        self.dog, self.threshold = dog, threshold_ms / 1000
        self.gui = threading.main_thread().ident
        self.others = True
        self.counts: collections.Counter[str] = collections.Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> list[tuple[str, int]]:
        """Stop; the 15 most common stall stacks (ms of stall each, about 10 per sample)."""
        self._stop.set()
        self._thread.join(1)
        return [(stack, count * 10) for stack, count in self.counts.most_common(15)]

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            last = self.dog.ticks[-1][0] if self.dog.ticks else self.dog.loop_started
            if last is None:  # start-up before the event loop runs is not a stall; bench_startup times it
                continue
            if time.perf_counter() - last < self.threshold:
                continue
            frames = sys._current_frames()
            frame = frames.get(self.gui or 0)
            if frame is None:
                continue
            self.counts[_where(frame)] += 1
            if self.others:  # the GUI thread may be waiting for the GIL: which other thread ran?
                for ident, other in frames.items():
                    if ident not in (self.gui, threading.get_ident()):
                        self.counts["  other thread: " + _where(other)] += 1


def _major_faults() -> int:
    """The process's major page faults so far (pages read back from disk; Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/stat", "rb") as file:
            return int(file.read().rsplit(b")", 1)[1].split()[9])
    except (OSError, IndexError, ValueError):
        return 0


def _queued() -> int:
    """Nanoseconds the calling thread has waited for a core so far (Linux schedstat; 0 elsewhere)."""
    try:
        with open("/proc/thread-self/schedstat", "rb") as file:
            return int(file.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _where(frame: FrameType) -> str:
    """The innermost frames of our own code (or the innermost three), innermost first."""
    stack = traceback.extract_stack(frame)
    ours = [f for f in stack if "spasmcoach" in f.filename and "benchmarks" not in f.filename]
    picked = ours[-4:] if ours else stack[-3:]
    return " < ".join(f"{Path(f.filename).stem}.{f.name}:{f.lineno}" for f in reversed(picked))
