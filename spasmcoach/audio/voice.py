"""The one voice's queue: sentences that matter wait their turn and finish; droppable ones yield to them.

The policy, so that no sentence that matters is ever silently replaced:

- a sentence that matters (the default) is queued and spoken to its end, one after another; it is dropped
  only if it could not start before ``until`` (the end of the phase it is about), or more than the
  player's ``speech_lateness`` after it was due *and* the voice was free;
- a ``droppable`` sentence (a countdown number, "Halfway.") is skipped while a sentence that matters is
  being spoken or waits to be. A sentence counts as spoken until its start plus the rendered WAV's length
  (plus a little grace for the player starting up), or until its player ends, whichever is first;
- a newer droppable sentence replaces an older one that has not started, and any sentence cuts off a
  droppable one that is playing: never two voices at once.

Pure bookkeeping without threads: the player holds its lock while it calls these.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from .backends import Playing, alive

log = logging.getLogger(__name__)

GRACE_SECONDS = 0.3
"""How long after its estimated end a sentence that matters may still be playing (player start-up lag)."""


@dataclass(frozen=True)
class Job:
    """One sound waiting for the worker: file, when it was due, and which stop_all "era" queued it.

    For speech also whether it may be skipped, when it stops being useful (``until``, a clock reading) and
    ``seconds``, the length of the rendered WAV: how long the voice will be busy with it.
    """

    path: Path
    label: str
    due: float
    generation: int
    speech: bool
    droppable: bool = False
    until: float | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Request:
    """A sentence waiting to be rendered."""

    text: str
    due: float
    generation: int
    droppable: bool
    until: float | None


class SpeechQueue:
    """Sentences on their way to the voice: asked for, being rendered, rendered and waiting, to render ahead."""

    def __init__(self) -> None:
        self.requests: deque[Request] = deque()  # to render, in order
        self.rendering: Request | None = None
        self.ready: deque[Job] = deque()  # rendered, waiting for the voice to be free
        self.starting: Job | None = None  # taken by the worker, being started (a sound or a sentence)
        self.ahead: deque[str] = deque()  # to render into the cache when nothing else is asked for
        self.free_at = float("-inf")  # clock reading when the last sentence that matters should end

    def ask(self, request: Request) -> None:
        """Queue ``request``; it replaces only droppable sentences that have not started yet."""
        self.requests = deque(r for r in self.requests if not r.droppable)
        self.ready = deque(j for j in self.ready if not j.droppable)
        self.requests.append(request)

    def matters_waiting(self) -> bool:
        """A sentence that matters is waiting to be rendered, being rendered, or waiting for the voice."""
        if self.rendering is not None and not self.rendering.droppable:
            return True
        if self.starting is not None and self.starting.speech and not self.starting.droppable:
            return True
        return any(not r.droppable for r in self.requests) or any(not j.droppable for j in self.ready)

    def yields(self, speaking: bool) -> bool:
        """Whether a droppable sentence must give way (``speaking``: one that matters is playing)."""
        if speaking or self.matters_waiting():
            log.debug("skipped droppable speech: a sentence that matters comes first")
            return True
        return False

    def expired(self, until: float | None, now: float) -> bool:
        """Whether a sentence that matters is past ``until``, the end of the phase it is about."""
        if until is not None and now >= until:
            log.debug("dropped speech: its phase is over")
            return True
        return False

    def too_late(self, job: Job, now: float, lateness: float) -> bool:
        """Whether a rendered sentence that matters can no longer start usefully.

        Waiting for the voice does not count as being late; only a delay after the voice was free does.
        """
        if self.expired(job.until, now):
            return True
        late = now - max(job.due, self.free_at)
        if late > lateness:
            log.debug("dropped speech: %.2f s late", late)
            return True
        return False

    def has_work(self) -> bool:
        """Something to render (asked for or ahead)."""
        return bool(self.requests or self.ahead)

    def clear(self) -> None:
        """Forget every sentence not yet playing (what is rendered ahead stays: it only fills the cache)."""
        self.requests.clear()
        self.ready.clear()


@dataclass(frozen=True)
class Sounding:
    """A sound that is playing; for speech, whether it may be cut off and when it should end (clock)."""

    handle: Playing
    speech: bool
    droppable: bool = False
    ends: float = 0.0


def matters_speaking(active: list[Sounding], now: float) -> bool:
    """A sentence that matters is still being spoken: its player runs and it is not long past its end."""
    return any(a.speech and not a.droppable and now < a.ends + GRACE_SECONDS and alive(a.handle) for a in active)
