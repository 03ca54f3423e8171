"""The journal read as history: sessions, pain stops and ice or heat timer uses over a date range.

* a **session**: one run of a routine (the journal's :class:`Session`), with the pain stop that ended it;
* a **pain stop**: the "Stop — pain increased" event, with the step, the pain, symptoms and note;
* a **timer use**: one ice or heat timer, from its ``timer_start`` to its ``timer_end`` or ``timer_cancel``
  (all its journal events share the timer's id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..diary.entries import CHECKIN_EVENT, RELIEVER_EVENT
from ..durations import format_human
from ..i18n import _, ngettext
from ..journal import Event, Session
from ..journal.reads import JournalReads
from ..pain import pain_change
from ..storage import parse_time
from ..timers.kinds import Therapy
from ..wording import title_from_id
from .stops import StopRow, stop_row, symptom_words

__all__ = [
    "TIMER_TYPES",
    "History",
    "SessionRow",
    "StopRow",
    "TimerUse",
    "load_history",
    "preset_titles",
    "stop_row",
    "symptom_words",
]

TIMER_TYPES: tuple[str, ...] = ("timer_start", "timer_phase", "timer_end", "timer_cancel")


@dataclass(frozen=True)
class SessionRow:
    """One run of a routine as the journal stores it, with the pain stop that ended it (if any)."""

    session: Session
    stop: StopRow | None = None

    # The stored session's fields, read through (one definition of them: the journal's Session).
    @property
    def id(self) -> int:
        return self.session.id

    @property
    def routine(self) -> str:
        return self.session.routine

    @property
    def title(self) -> str:
        return self.session.title

    @property
    def started(self) -> datetime:
        return self.session.started

    @property
    def ended(self) -> datetime | None:
        return self.session.ended

    @property
    def outcome(self) -> str | None:
        return self.session.outcome

    @property
    def pain_before(self) -> int | None:
        return self.session.pain_before

    @property
    def pain_after(self) -> int | None:
        return self.session.pain_after

    @property
    def steps_done(self) -> int:
        return self.session.steps_done

    @property
    def steps_total(self) -> int:
        return self.session.steps_total

    @property
    def edited(self) -> bool:
        """Changed after it was recorded."""
        return self.session.edited is not None

    @property
    def duration(self) -> float | None:
        """Seconds from start to end, or None while (or if never) ended."""
        return None if self.ended is None else max(0.0, (self.ended - self.started).total_seconds())

    @property
    def change(self) -> int | None:
        """Pain after minus pain before (negative: it went down), or None without both ratings."""
        return pain_change(self.pain_before, self.pain_after)

    @property
    def stopped_for_pain(self) -> bool:
        """Ended with 'Stop — pain increased'."""
        return self.stop is not None

    @property
    def result(self) -> str:
        """'Completed', 'Stopped for pain at STEP', 'Stopped early after 2 of 5 steps' or 'Not finished'."""
        if self.outcome == "completed":
            return _("Completed")
        if self.stop is not None:
            return _("Stopped for pain at {step}").format(step=self.stop.step or _("an unknown step"))
        if self.outcome == "stopped":
            return ngettext(
                "Stopped early after {done} of {count} step",
                "Stopped early after {done} of {count} steps",
                self.steps_total,
            ).format(done=self.steps_done, count=self.steps_total)
        return _("Not finished")

    @property
    def pain_text(self) -> str:
        """'6 → 3', '6 → ?', '? → 3' or '' (before → after)."""
        if self.pain_before is None and self.pain_after is None:
            return ""
        before = "?" if self.pain_before is None else str(self.pain_before)
        after = "?" if self.pain_after is None else str(self.pain_after)
        return f"{before} → {after}"


@dataclass(frozen=True)
class TimerUse:
    """One ice or heat timer from start to end (or cancel); ``event_ids`` are all of its journal events."""

    timer: str
    event_ids: tuple[int, ...]
    preset: str
    title: str
    therapy: str
    started: datetime
    ended: datetime | None
    outcome: str  # "finished", "cancelled" or "running" (no end recorded yet)
    cycles: int

    @property
    def duration(self) -> float | None:
        """Seconds from start to end, or None while running."""
        return None if self.ended is None else max(0.0, (self.ended - self.started).total_seconds())

    @property
    def cold(self) -> bool:
        """Ice (cold) rather than heat."""
        return self.therapy == Therapy.COLD

    @property
    def result(self) -> str:
        """'Finished', 'Cancelled' or 'Not finished yet' (still running, or the app closed before its end)."""
        return {"finished": _("Finished"), "cancelled": _("Cancelled")}.get(self.outcome, _("Not finished yet"))


@dataclass(frozen=True)
class History:
    """Everything in one date range: sessions, pain stops and timer uses, each oldest first."""

    sessions: list[SessionRow]
    stops: list[StopRow]
    timers: list[TimerUse]
    since: datetime | None = None
    until: datetime | None = None
    checkins: list[Event] = field(default_factory=list)  # the diary's "How is your back?" entries
    relievers: list[Event] = field(default_factory=list)  # pain relievers taken

    @property
    def empty(self) -> bool:
        """Nothing at all in the range."""
        return not (self.sessions or self.stops or self.timers or self.checkins or self.relievers)

    def first_time(self) -> datetime | None:
        """The earliest entry's time."""
        times = [s.started for s in self.sessions] + [s.time for s in self.stops] + [t.started for t in self.timers]
        times += [e.time for e in self.checkins + self.relievers]
        return min(times, default=None)

    def last_time(self) -> datetime | None:
        """The latest entry's time (its end, when it has one)."""
        times = [s.ended or s.started for s in self.sessions] + [s.time for s in self.stops]
        times += [t.ended or t.started for t in self.timers] + [e.time for e in self.checkins + self.relievers]
        return max(times, default=None)


def _timer_title(data: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    """The preset's title, or 'Ice, 20 min' / 'Heat' made from what the start event recorded."""
    preset = str(data.get("preset") or "")
    if preset in titles:
        return titles[preset]
    kind = Therapy.named(data.get("therapy"))
    what = kind.label if kind else ""
    on = data.get("on")
    if what and isinstance(on, int | float) and not isinstance(on, bool) and on > 0:
        return f"{what}, {format_human(float(on))}"
    return what or title_from_id(preset) or _("Timer")


_ENDS = {"timer_end": "finished", "timer_cancel": "cancelled"}


def _timer_uses(events: Sequence[tuple[int, str, str, Mapping[str, Any]]], titles: Mapping[str, str]) -> list[TimerUse]:
    """Group timer_* events, as (id, stored time, type, data), by timer id into uses: from the first start
    to the last end or cancel of each timer; a timer whose start is not in the list is left out."""
    groups: dict[str, tuple[list[int], list[Any]]] = {}  # timer -> (event ids, [start, last end])
    for event_id, moment, kind, data in events:
        key = str(data.get("timer") or f"event-{event_id}")
        group = groups.get(key)
        if group is None:
            group = groups[key] = ([], [None, None])
        group[0].append(event_id)
        if kind == "timer_start":
            if group[1][0] is None:
                group[1][0] = (moment, data)
        elif kind in _ENDS:
            group[1][1] = (moment, kind)
    uses: list[TimerUse] = []
    named: dict[tuple[str, str, str], str] = {}  # a title is made once per kind of start, not once per timer
    for key, (ids, (start, end)) in groups.items():
        if start is None:
            continue
        data = start[1]
        cycles = data.get("cycles")
        what = (repr(data.get("preset")), repr(data.get("therapy")), repr(data.get("on")))  # exact: None is not "None"
        title = named.get(what)
        if title is None:
            title = named[what] = _timer_title(data, titles)
        uses.append(
            TimerUse(
                timer=key,
                event_ids=tuple(ids),
                preset=str(data.get("preset") or ""),
                title=title,
                therapy=str(data.get("therapy") or ""),
                started=parse_time(start[0]),
                ended=None if end is None else parse_time(end[0]),
                outcome="running" if end is None else _ENDS[end[1]],
                cycles=cycles if isinstance(cycles, int) and not isinstance(cycles, bool) else 1,
            )
        )
    uses.sort(key=lambda u: (u.started, u.event_ids[0]))
    return uses


def preset_titles() -> dict[str, str]:
    """Timer preset titles by id, from the preset files; {} if they cannot be read."""
    try:
        from ..timers import load_all_presets

        found, _errors = load_all_presets()
    except Exception:  # titles are a nicety: a broken preset file must never break the history
        return {}
    return {preset_id: preset.title for preset_id, preset in found.items()}


def load_history(
    journal: JournalReads,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    routine: str | None = None,
    titles: Mapping[str, str] | None = None,
    routine_titles: Mapping[str, str] | None = None,
) -> History:
    """Sessions, pain stops and timer uses that started in [since, until); deleted entries are left out.

    With ``routine`` only that routine's sessions and stops (timers belong to no routine, so none).
    ``titles`` names timer presets by id (see :func:`preset_titles`); ``routine_titles`` is
    ``journal.routine_titles()`` if the caller has it.
    """
    sessions = journal.sessions(since=since, until=until, routine=routine)
    # one grouped query, not every session again (or none: the caller's, read just before)
    titles_by_routine = journal.routine_titles() if routine_titles is None else routine_titles
    session_titles = {s.id: s.title for s in sessions}

    def title_of(event: Event) -> str:
        """The routine title for a pain stop: its session's, else the routine's latest, else its id."""
        routine_id = event.routine or ""
        return (
            session_titles.get(event.session_id or -1) or titles_by_routine.get(routine_id) or title_from_id(routine_id)
        )

    # A session keeps "stopped for pain at STEP" even if that stop's own entry is deleted (deleting one
    # entry never changes another), and a stop belongs with its session even just after ``until``.
    first_stop: dict[int, StopRow] = {}
    for event in journal.events(types=["pain_stop"], since=since, routine=routine, include_deleted=True):
        if event.session_id is not None and event.session_id not in first_stop:
            first_stop[event.session_id] = stop_row(event, title_of(event))
    stops = [
        stop_row(event, title_of(event))
        for event in journal.events(types=["pain_stop"], since=since, until=until, routine=routine)
    ]
    rows = [SessionRow(s, first_stop.get(s.id)) for s in sessions]
    timers: list[TimerUse] = []
    diary: list[Event] = []
    if routine is None:  # check-ins and relievers belong to no routine
        diary = journal.events(types=[CHECKIN_EVENT, RELIEVER_EVENT], since=since, until=until)
        # Ends may fall after ``until``: read from ``since`` on and keep the uses that started in range.
        timer_events = journal.event_values(types=TIMER_TYPES, since=since)  # no whole events: 2 to 3 a use
        uses = _timer_uses(timer_events, titles or {})
        timers = [u for u in uses if until is None or u.started < until]
    checkins = [e for e in diary if e.type == CHECKIN_EVENT]
    relievers = [e for e in diary if e.type == RELIEVER_EVENT]
    return History(rows, stops, timers, since, until, checkins, relievers)
