"""One guided run of a routine: the runner, the journal and the sound cues tied together, without Qt.

The order of a pain stop matters and lives here so it can be tested without a window: halt the runner,
silence the sound, write the ``pain_stop`` event, then end the session, so the end can never be in the
journal without the stop; :meth:`GuidedSession.pain_stop` returns the one :class:`PainStop` record the
stop page shows. Every write goes through ``Journal.submit``: it never waits more than a few tens of
milliseconds, and a write the journal cannot take at once (another program holds it, the disk is full,
it is read-only) is kept safe in the outbox and saved later, in order. That is reported once; the
routine still runs and the stop still halts. Later writes name the session and the stop by their keys,
so they apply after them even while those are still waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from .clock import Clock
from .cues import sounds_for, spoken_texts, with_time_to_listen
from .i18n import N_, Labels, _
from .journal import Journal, Op, Receipt, SaveState, new_key, ops
from .model import Routine
from .notify import Notifier
from .pain import pain_change, pain_rose
from .positions import with_moves
from .red_flags import SYMPTOM_LABELS as RED_FLAG_LABELS
from .runner import Cue, CueKind, Runner, RunnerState
from .storage import utc_now

log = logging.getLogger(__name__)

NERVE_SYMPTOMS = frozenset({"numbness", "tingling", "weakness"})
# What the stop screen (and a correction in History) can tick: two signs about the pain itself, then the
# red-flag signs from core/red_flags, so an emergency sign can be said there and gets the emergency wording.
SYMPTOM_LABELS = Labels(
    {
        "sharper": N_("Sharper pain"),
        "spreading": N_("Pain spreading"),
        **{key: RED_FLAG_LABELS.msgid(key) for key in RED_FLAG_LABELS},
    }
)
SYMPTOMS = tuple(SYMPTOM_LABELS)


class CueSink(Protocol):
    """Where cues are played: the audio player (names are the sound files' stems)."""

    def play(self, cue: str, due: float | None = None) -> None: ...

    def say(self, text: str, due: float | None = None, *, droppable: bool = False, until: float | None = None) -> None:
        """Speak ``text``; a sentence that matters finishes, a ``droppable`` one yields (see audio.player)."""
        ...

    def prepare(self, texts: Sequence[str]) -> None:
        """Render the sentences a run will speak ahead of time (returns at once)."""
        ...

    def stop_all(self) -> None: ...


@dataclass(frozen=True)
class PainStop:
    """A pain stop as the stop page shows it: which routine, at which step, when, and whether it was saved."""

    routine_id: str
    routine_title: str
    step: str | None  # the step that was running; None only for a routine with nothing to run
    when: datetime  # aware UTC; the journal event carries the same time
    event_id: int | None  # the journal's pain_stop event if it was saved at once, else None
    key: str | None = None  # the pain_stop event's key (names it even while it waits in the outbox)
    receipt: Receipt | None = None  # where the stop is: saved, kept safe, or in memory; None without a journal

    @property
    def saved(self) -> bool:
        """In the journal now."""
        return self.receipt is not None and self.receipt.saved

    def sentence(self) -> str:
        """What the stop page says about where the stop is, truthfully."""
        if self.receipt is None:
            return _("Your stop could not be saved in the journal.")
        what = _("Your stop at “{step}”").format(step=self.step) if self.step else _("Your stop")
        return self.receipt.sentence(what)


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
        read_instructions: bool = False,
    ) -> None:
        self.routine = routine.without_steps(set(left_out)) if left_out else routine
        self.routine = with_moves(self.routine)  # a step in a new position says how to move, and gives time
        if read_instructions:  # long enough get-readies to hear each step's instructions out
            self.routine = with_time_to_listen(self.routine)
        self.left_out = tuple(left_out)
        self.read_instructions = read_instructions  # read each step's instructions during its get-ready
        self.runner = Runner(self.routine.timeline(), clock)
        self.clock = clock
        self.journal = journal
        self.sink = sink
        self.notifier = notifier or Notifier()
        self.session_id: int | None = None  # the journal's row id, once the session start is saved
        self.session_key: str | None = None  # names the session in later writes, saved or still waiting
        self.pain_before: int | None = None
        self.pain_after: int | None = None
        self.pain_stop_record: PainStop | None = None
        self.rating_receipt: Receipt | None = None  # where the pain rating after the routine is
        self.started_at: float | None = None
        self.ended_at: float | None = None

    # -- journal writes never stop (or hold up) the routine ----------------------------------------
    def _write(self, what: str, build: Callable[[], Op]) -> Receipt | None:
        """Submit one write; a write kept for later is said once, plainly. None without a journal or on a bug."""
        if self.journal is None:
            return None
        try:
            receipt = self.journal.submit(build())
        except Exception:  # a bug, not the user's environment: log it, keep guiding
            log.exception("journal write failed: %s", what)
            message = _("Something went wrong saving your journal; the routine carries on.")
            self.notifier.warn(message, key="journal-bug")
            return None
        if not receipt.saved:
            detail = f": {receipt.detail.rstrip('.')}" if receipt.detail else ""
            if receipt.state is SaveState.KEPT:
                where = _("Nothing is lost: {sentence}").format(sentence=receipt.sentence(_("what you log")))
            else:
                where = receipt.sentence(_("What you log"))
            self.notifier.warn(
                _("Your journal could not be saved ({what}){detail}. {where}").format(
                    what=what, detail=detail, where=where
                ),
                key="journal-write",
            )
        return receipt

    # -- driving ----------------------------------------------------------------------------------
    def start(self, pain_before: int | None = None) -> list[Cue]:
        self.pain_before = pain_before
        key = new_key()
        receipt = self._write(
            "session start",
            lambda: ops.session_start(
                self.routine.id,
                self.routine.title,
                pain_before=pain_before,
                steps_total=len(self.routine.steps),
                left_out=self.left_out,
                key=key,
            ),
        )
        if receipt is not None:
            self.session_key = key
            self.session_id = receipt.row_id if receipt.saved else None
        self.started_at = self.clock.now()
        if self.sink is not None:
            self.sink.prepare(spoken_texts(self.runner.timeline, read_instructions=self.read_instructions))
        return self._announce(self.runner.start())

    def tick(self) -> list[Cue]:
        """Bring the runner up to date, play what fell due, and close the session when it finishes."""
        return self._announce(self.runner.poll())

    def skip(self) -> None:
        """The user skips ahead: what is being said about the part they left is cut, the next part's follows."""
        self.runner.skip()
        self._hush()

    def back(self) -> None:
        """The user goes back: as for :meth:`skip`."""
        self.runner.back()
        self._hush()

    def _hush(self) -> None:
        if self.sink is not None and self.runner.state.active:
            self.sink.stop_all()

    def _announce(self, cues: list[Cue]) -> list[Cue]:
        if self.sink is not None:
            heard = sounds_for(cues, self.runner.timeline, read_instructions=self.read_instructions)
            for sound, text, due, droppable, until in heard:
                if sound:
                    self.sink.play(sound, due)
                if text:
                    self.sink.say(text, due, droppable=droppable, until=until)
        if any(c.kind is CueKind.FINISHED for c in cues):
            self._end("completed")
        return cues

    def _end(self, outcome: str) -> None:
        self.ended_at = self.clock.now()
        session_key = self.session_key
        if session_key is not None:
            steps_done = self.runner.steps_done
            self._write("session end", lambda: ops.session_end(session_key, outcome=outcome, steps_done=steps_done))

    def pain_stop(self, source: str = "window") -> PainStop | None:
        """Stop because pain increased: halt, silence, record (committed), then end the session.

        ``source`` says how the stop was given ("window": Esc or the button; "media-key": a media key,
        headset button or phone over MPRIS); it is kept in the event's data as ``via``.
        Returns what the stop page shows, or None when nothing is running (not started, finished, stopped).
        """
        if not self.runner.state.active:
            return None
        point = self.runner.stop()
        if self.sink is not None:
            self.sink.stop_all()
        phase = point.phase
        when = utc_now()
        key = new_key()
        receipt = self._write(
            "pain stop",
            lambda: ops.event(
                "pain_stop",
                session=self.session_key,
                routine=self.routine.id,
                step=phase.step.name if phase else "",
                phase=str(phase.kind) if phase else "",
                side=phase.side if phase else None,
                rep=phase.rep if phase else None,
                seconds=round(point.seconds_into_step, 3),
                data={"via": source},
                key=key,
                now=when,
            ),
        )
        self._end("stopped")  # after the stop: the end can never be in the journal without it
        if self.sink is not None:
            for announcement in sounds_for(self.runner.poll()):
                if announcement.sound:
                    self.sink.play(announcement.sound, announcement.due)
        self.pain_stop_record = PainStop(
            routine_id=self.routine.id,
            routine_title=self.routine.title,
            step=phase.step.name if phase else None,
            when=when,
            event_id=receipt.row_id if receipt is not None and receipt.saved else None,
            key=key if receipt is not None else None,
            receipt=receipt,
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
        """The optional details from the stop screen update the same pain_stop event (even while it waits)."""
        record = self.pain_stop_record
        if record is None or record.key is None:
            return
        key = record.key
        self._write(
            "stop details",
            lambda: ops.event_update(key, pain=pain, symptoms=list(symptoms), note=note.strip() or None),
        )

    def rate_after(self, pain: int | None) -> bool:
        """Record the pain rating after the routine; True if pain rose enough to say so plainly."""
        self.pain_after = pain
        session_key = self.session_key
        if session_key is not None and pain is not None:
            self.rating_receipt = self._write("pain rating", lambda: ops.session_pain(session_key, after=pain))
        rose = pain_rose(self.pain_before, self.pain_after)
        if rose:
            self._write(
                "pain increase",
                lambda: ops.event(
                    "pain_increase",
                    session=session_key,
                    routine=self.routine.id,
                    pain=pain,
                    note=f"pain {self.pain_before} before, {pain} after",
                ),
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
