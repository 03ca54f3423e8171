"""Every ice and heat timer of the app at once: starting, driving, journaling and saving them.

Each timer event has a journal key made of the timer's id and what happened (its start, the boundary
index and kind of a phase or end, its cancel), so an event written again after a crash (killed between
the journal commit and the state save) is a no-op. At start-up the journal is reconciled with the saved
state: a timer the journal shows as started but never ended, and that the state no longer has (killed
right after it started, or a damaged state file), gets a closing ``timer_cancel`` marked ``reconciled``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from spasmcoach.core.i18n import _

from .. import paths
from ..clock import Clock
from ..journal import Event, Op, Receipt, SaveState, ops
from ..notify import Notifier
from ..storage import StorageError, move_aside, require_aware, utc_now
from .presets import TimerPreset
from .state_file import BootId, StateFileError, load_timers, read_boot_id, save_timers
from .timer import DEFAULT_ADD_SECONDS, Now, TherapyTimer, TimerEvent

DAMAGED_LABEL = "damaged"  # a damaged state file becomes timers.json.damaged-<UTC time>


RECONCILED_NOTE = "closed at start-up: SpasmCoach stopped before this timer's end was saved"


class JournalLike(Protocol):
    """What the timers need from the journal (the real Journal has it): submit writes, read timer events."""

    @property
    def pending(self) -> bool: ...

    def submit(self, op: Op) -> Receipt: ...

    def events(self, *, types: Iterable[str] | None = None) -> Sequence[Event]: ...


class TimerManager:
    """Every ice and heat timer of the app: starts, drives, journals and saves them.

    The state is saved after every change. Journal and save failures never stop a timer (a full disk
    must not silence "take the ice off"); they are kept in ``journal_errors`` and ``save_error``.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        journal: JournalLike | None = None,
        state_path: Path | None = None,
        now: Now = utc_now,
        boot_id: BootId = read_boot_id,
        notifier: Notifier | None = None,
        restore: bool = True,
    ) -> None:
        self.clock = clock
        self.journal = journal
        self.notifier = notifier
        self.state_path = paths.timers_state_path() if state_path is None else state_path
        self._now = now
        self._boot_id = boot_id
        self._timers: dict[str, TherapyTimer] = {}
        self.recovered_from: Path | None = None  # where a damaged state file was moved to
        self.recovery_reason: str | None = None
        self.missed: list[TimerEvent] = []  # events that fell due while the app was closed (journaled)
        self.journal_errors: list[Exception] = []
        self.save_error: StorageError | None = None
        self._may_save = True
        if restore:
            self._restore()

    # -- reading -----------------------------------------------------------------------------------------
    @property
    def timers(self) -> list[TherapyTimer]:
        """All timers, oldest first, including finished and cancelled ones until :meth:`forget`."""
        return list(self._timers.values())

    @property
    def active(self) -> list[TherapyTimer]:
        """The running and paused timers."""
        return [t for t in self._timers.values() if t.state.active]

    def get(self, timer_id: str) -> TherapyTimer:
        try:
            return self._timers[timer_id]
        except KeyError:
            raise KeyError(_("no timer with id {timer_id!r}").format(timer_id=timer_id)) from None

    def seconds_to_next_event(self) -> float | None:
        """Clock seconds until the next :meth:`poll` has something for any timer; None if never."""
        waits = [w for w in (t.seconds_to_next_event() for t in self._timers.values()) if w is not None]
        return min(waits, default=None)

    # -- driving -----------------------------------------------------------------------------------------
    def start(self, preset: TimerPreset) -> TherapyTimer:
        """Start a new timer for ``preset`` alongside any others."""
        timer = TherapyTimer(preset, self.clock, timer_id=self._new_id(), now=self._now, boot_id=self._boot_id())
        self._timers[timer.id] = timer
        self._journal("timer_start", timer, timer.started_at, "start", on=preset.on, off=preset.off)
        self.save()
        return timer

    def poll(self) -> list[TimerEvent]:
        """Every timer's events that fell due since the last poll, journaled and saved, oldest first."""
        events = [event for timer in self._timers.values() for event in timer.poll()]
        if not events:
            return []
        events.sort(key=lambda e: e.due)
        for event in events:
            self._journal_event(event)
        self.save()
        return events

    def pause(self, timer_id: str) -> bool:
        return self._change(timer_id, TherapyTimer.pause)

    def resume(self, timer_id: str) -> bool:
        return self._change(timer_id, TherapyTimer.resume)

    def cancel(self, timer_id: str) -> bool:
        """Cancel a running or paused timer and journal it; it stays listed until :meth:`forget`."""
        timer = self.get(timer_id)
        if not timer.cancel():
            return False
        self._journal("timer_cancel", timer, timer.cancelled_at, "cancel", remaining=timer.remaining)
        self.save()
        return True

    def add_time(self, timer_id: str, seconds: float = DEFAULT_ADD_SECONDS) -> float:
        """Lengthen a timer's current phase; returns the seconds actually added."""
        added = self.get(timer_id).add_time(seconds)
        if added:
            self.save()
        return added

    def forget(self, timer_id: str) -> bool:
        """Forget one finished or cancelled timer (the journal keeps its story); running ones stay."""
        timer = self._timers.get(timer_id)
        if timer is None or timer.state.active:
            return False
        del self._timers[timer_id]
        self.save()
        return True

    def _change(self, timer_id: str, action: Callable[[TherapyTimer], bool]) -> bool:
        changed = action(self.get(timer_id))
        if changed:
            self.save()
        return changed

    def _new_id(self) -> str:
        while True:
            candidate = uuid.uuid4().hex[:12]
            if candidate not in self._timers:
                return candidate

    # -- journal -----------------------------------------------------------------------------------------
    def _journal(self, type_: str, timer: TherapyTimer, when: datetime | None, what: str, **extra: Any) -> None:
        data = {"preset": timer.preset.id, "therapy": str(timer.preset.therapy), "phase": str(timer.phase),
                "cycle": timer.cycle, "cycles": timer.cycles, "timer": timer.id, **extra}  # fmt: skip
        self._record(type_, data, when, f"timer:{timer.id}:{what}")

    def _journal_event(self, event: TimerEvent) -> None:
        self._record(event.kind.journal_type, event.journal_data(), event.at, event.journal_key)

    def _record(self, type_: str, data: dict[str, Any], when: datetime | None, key: str) -> None:
        """Journal one timer event under its key; a journal that cannot take it never stops the timer."""
        if self.journal is None:
            return
        try:
            receipt = self.journal.submit(ops.event(type_, data=data, key=key, now=when))
        except Exception as exc:  # a bug: it must never stop a running timer
            self.journal_errors.append(exc)
            self._warn(
                _("The timer keeps running, but it could not be written to the journal: {exc}").format(exc=exc),
                "journal",
            )
            return
        if not receipt.saved:
            kept = _("kept safe") if receipt.state is SaveState.KEPT else _("kept while SpasmCoach stays open")
            self._warn(
                _(
                    "The timer keeps running. The journal cannot take its events just now; they are {kept} and "
                    "will be saved later."
                ).format(kept=kept),
                "journal",
            )

    def _reconcile(self) -> None:
        """Close, in the journal, every timer it shows as started and never ended that the state lacks."""
        journal = self.journal
        if journal is None or journal.pending:  # a waiting end would be closed twice
            return
        try:
            events = journal.events(types=["timer_start", "timer_phase", "timer_end", "timer_cancel"])
        except Exception as exc:  # a journal that cannot be read: nothing to reconcile now
            self.journal_errors.append(exc)
            return
        starts: dict[str, Event] = {}
        last: dict[str, datetime] = {}
        closed: set[str] = set()
        for event in events:
            timer_id = event.data.get("timer")
            if not isinstance(timer_id, str):
                continue
            last[timer_id] = max(last.get(timer_id, event.time), event.time)
            if event.type == "timer_start":
                starts[timer_id] = event
            elif event.type in ("timer_end", "timer_cancel"):
                closed.add(timer_id)
        for timer_id, start in starts.items():
            if timer_id in closed or timer_id in self._timers:
                continue
            data: dict[str, Any] = {k: start.data[k] for k in ("preset", "therapy", "cycles") if k in start.data}
            data.update(timer=timer_id, reconciled=True)
            self._record_reconciled(data, last[timer_id], timer_id)

    def _record_reconciled(self, data: dict[str, Any], when: datetime, timer_id: str) -> None:
        assert self.journal is not None
        op = ops.event("timer_cancel", data=data, note=RECONCILED_NOTE, key=f"timer:{timer_id}:reconciled", now=when)
        try:
            self.journal.submit(op)
        except Exception as exc:  # a bug: start-up goes on
            self.journal_errors.append(exc)

    # -- state file --------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Write the state file atomically; False (and ``save_error`` set) if that failed."""
        if not self._may_save:
            return False
        try:
            save_timers(self.state_path, list(self._timers.values()), require_aware(self._now()))
        except StorageError as exc:
            self.save_error = exc
            self._warn(
                _(
                    "The timers keep running, but could not be saved to {state_path}: {reason}. They will not "
                    "survive closing the app."
                ).format(state_path=self.state_path, reason=_reason(exc)),
                "save",
            )
            return False
        self.save_error = None
        return True

    def _warn(self, message: str, key: str) -> None:
        """A calm notice for the user (once per kind and run), when the app gave us a notifier."""
        if self.notifier is not None:
            self.notifier.warn(message, key=f"timers-{key}")

    def _restore(self) -> None:
        """Load the saved timers; journal what fell due while closed; move a damaged file aside."""
        try:
            timers = load_timers(self.state_path, clock=self.clock, now=self._now, boot_id=self._boot_id)
        except StateFileError as exc:
            self._move_aside(str(exc))
            self._reconcile()
            return
        for timer in timers:
            self._timers[timer.id] = timer
        missed = sorted((e for t in timers for e in t.take_pending()), key=lambda e: e.due)
        for event in missed:
            self._journal_event(event)
        self.missed = missed
        self._reconcile()
        if timers:
            self.save()  # re-anchored to this boot, and each missed event journaled only once

    def _move_aside(self, reason: str) -> None:
        """Rename the damaged state file next to itself (never delete it) and start with no timers."""
        self.recovery_reason = reason
        try:
            target = move_aside(self.state_path, DAMAGED_LABEL, moment=require_aware(self._now()))
        except StorageError as exc:
            self._may_save = False  # saving would overwrite the file we could neither read nor move
            self.save_error = exc
            self._warn(
                _(
                    "The saved timers in {state_path} could not be read ({reason}) or set aside ({reason2}); "
                    "timers will not be saved until that is fixed."
                ).format(state_path=self.state_path, reason=reason, reason2=_reason(exc)),
                "damaged",
            )
            return
        self.recovered_from = target
        self._warn(
            _(
                "The saved timers could not be read ({reason}), so SpasmCoach started without them. The "
                "old file is kept as {target}."
            ).format(reason=reason, target=target),
            "damaged",
        )


def _reason(exc: StorageError) -> str:
    """The operating system's words for a storage failure, else the whole message."""
    cause = exc.__cause__
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(exc).rstrip(".")
