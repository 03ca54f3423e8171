"""One guided run of a routine: the runner, the journal and the sound cues tied together, without Qt.

The order of a pain stop matters and lives here so it can be tested without a window: halt the runner,
silence the sound, write the ``pain_stop`` event (committed before anything is shown), then end the
session; :meth:`GuidedSession.pain_stop` returns the one :class:`PainStop` record the stop page shows.
A journal that cannot be written (read-only or full disk) is reported once; the routine still runs and
the stop still halts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from .clock import Clock
from .cues import sounds_for
from .journal import Journal, JournalError
from .model import Routine
from .notify import Notifier
from .pain import pain_change, pain_rose
from .runner import Cue, CueKind, Runner, RunnerState
from .storage import utc_now

log = logging.getLogger(__name__)
T = TypeVar("T")

NERVE_SYMPTOMS = frozenset({"numbness", "tingling", "weakness"})
SYMPTOMS = ("sharper", "spreading", "numbness", "tingling", "weakness")


class CueSink(Protocol):
    """Where cues are played: the audio player (names are the sound files' stems)."""

    def play(self, cue: str, due: float | None = None) -> None: ...

    def say(self, text: str, due: float | None = None) -> None: ...

    def stop_all(self) -> None: ...


@dataclass(frozen=True)
class PainStop:
    """A pain stop as the stop page shows it: which routine, at which step, when, and whether it was saved."""

    routine_id: str
    routine_title: str
    step: str | None  # the step that was running; None only for a routine with nothing to run
    when: datetime  # aware UTC; the journal event carries the same time
    event_id: int | None  # the journal's pain_stop event; None if there is no journal or it could not be written

    @property
    def saved(self) -> bool:
        return self.event_id is not None


class GuidedSession:
    """Runs ``routine`` once and keeps the journal in step with it."""

    def __init__(
        self,
        routine: Routine,
        clock: Clock,
        *,
        journal: Journal | None,
        sink: CueSink | None = None,
        notifier: Notifier | None = None,
        left_out: Sequence[str] = (),
    ) -> None:
        self.routine = routine.without_steps(set(left_out)) if left_out else routine
        self.left_out = tuple(left_out)
        self.runner = Runner(self.routine.timeline(), clock)
        self.clock = clock
        self.journal = journal
        self.sink = sink
        self.notifier = notifier or Notifier()
        self.session_id: int | None = None
        self.pain_before: int | None = None
        self.pain_after: int | None = None
        self.pain_stop_record: PainStop | None = None
        self.started_at: float | None = None
        self.ended_at: float | None = None

    # -- journal writes never stop the routine ---------------------------------------------------
    def _write(self, what: str, action: Callable[[], T]) -> T | None:
        if self.journal is None:
            return None
        try:
            return action()
        except JournalError as exc:
            self.notifier.warn(f"Your journal could not be saved ({what}): {exc}", key="journal-write")
        except Exception:  # a bug, not the user's environment: log it, keep guiding
            log.exception("journal write failed: %s", what)
            self.notifier.warn("Something went wrong saving your journal; the routine carries on.", key="journal-bug")
        return None

    # -- driving ----------------------------------------------------------------------------------
    def start(self, pain_before: int | None = None) -> list[Cue]:
        self.pain_before = pain_before
        journal = self.journal
        if journal is not None:
            self.session_id = self._write(
                "session start",
                lambda: journal.start_session(
                    self.routine.id,
                    self.routine.title,
                    pain_before=pain_before,
                    steps_total=len(self.routine.steps),
                    left_out=self.left_out,
                ),  # fmt: skip
            )
        self.started_at = self.clock.now()
        return self._announce(self.runner.start())

    def tick(self) -> list[Cue]:
        """Bring the runner up to date, play what fell due, and close the session when it finishes."""
        return self._announce(self.runner.poll())

    def _announce(self, cues: list[Cue]) -> list[Cue]:
        if self.sink is not None:
            for sound, text, due in sounds_for(cues):
                if sound:
                    self.sink.play(sound, due)
                if text:
                    self.sink.say(text, due)
        if any(c.kind is CueKind.FINISHED for c in cues):
            self._end("completed")
        return cues

    def _end(self, outcome: str) -> None:
        self.ended_at = self.clock.now()
        journal, session_id = self.journal, self.session_id
        if journal is not None and session_id is not None:
            self._write(
                "session end",
                lambda: journal.end_session(session_id, outcome=outcome, steps_done=self.runner.steps_done),
            )

    def pain_stop(self) -> PainStop | None:
        """Stop because pain increased: halt, silence, record (committed), then end the session.

        Returns what the stop page shows, or None when nothing is running (not started, finished, stopped).
        """
        if not self.runner.state.active:
            return None
        point = self.runner.stop()
        if self.sink is not None:
            self.sink.stop_all()
        phase = point.phase
        journal = self.journal
        when = utc_now()
        event_id: int | None = None
        if journal is not None:
            event_id = self._write(
                "pain stop",
                lambda: journal.record_pain_stop(
                    self.session_id,
                    routine=self.routine.id,
                    step=phase.step.name if phase else "",
                    phase=str(phase.kind) if phase else "",
                    side=phase.side if phase else None,
                    rep=phase.rep if phase else None,
                    seconds=round(point.seconds_into_step, 3),
                    now=when,
                ),  # fmt: skip
            )
        self._end("stopped")
        if self.sink is not None:
            for sound, _text, due in sounds_for(self.runner.poll()):
                if sound:
                    self.sink.play(sound, due)
        self.pain_stop_record = PainStop(
            routine_id=self.routine.id,
            routine_title=self.routine.title,
            step=phase.step.name if phase else None,
            when=when,
            event_id=event_id,
        )
        return self.pain_stop_record

    def end_early(self) -> None:
        """The window closed mid-routine: stop quietly (not a pain stop) and close the session record."""
        if not self.runner.state.active:
            return
        self.runner.stop()
        self.runner.poll()
        if self.sink is not None:
            self.sink.stop_all()
        self._end("stopped")

    def describe_stop(self, pain: int | None, symptoms: Sequence[str], note: str) -> None:
        """The optional details from the stop screen update the same pain_stop event."""
        record, journal = self.pain_stop_record, self.journal
        if record is None or record.event_id is None or journal is None:
            return
        event_id = record.event_id
        self._write(
            "stop details",
            lambda: journal.update_event(event_id, pain=pain, symptoms=list(symptoms), note=note.strip() or None),
        )

    def rate_after(self, pain: int | None) -> bool:
        """Record the pain rating after the routine; True if pain rose enough to say so plainly."""
        self.pain_after = pain
        journal, session_id = self.journal, self.session_id
        if journal is not None and session_id is not None and pain is not None:
            self._write("pain rating", lambda: journal.set_session_pain(session_id, after=pain))
        rose = pain_rose(self.pain_before, self.pain_after)
        if rose and journal is not None:
            self._write(
                "pain increase",
                lambda: journal.record(
                    "pain_increase",
                    session_id=session_id,
                    routine=self.routine.id,
                    pain=pain,
                    note=f"pain {self.pain_before} before, {pain} after",
                ),  # fmt: skip
            )
        return rose

    @property
    def pain_rise(self) -> int | None:
        return pain_change(self.pain_before, self.pain_after)

    @property
    def elapsed(self) -> float:
        """Clock seconds from start to end (or to now), pauses included."""
        if self.started_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else self.clock.now()
        return end - self.started_at

    @property
    def finished(self) -> bool:
        return self.runner.state is RunnerState.FINISHED


def nerve_warning(symptoms: Sequence[str]) -> bool:
    """Numbness, tingling or weakness can signal a nerve problem that a professional should examine."""
    return bool(NERVE_SYMPTOMS.intersection(symptoms))
