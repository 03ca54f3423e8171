"""History and insights: the journal as readable rows, plain-word insights, per-routine stats and CSV.

Everything here is plain Python on top of :class:`~spasmcoach.core.journal.Journal`; the History page, the
pain chart, the clinician's PDF report and ``spasmcoach log --csv`` all read the journal through it.

Three kinds of row come out of the journal:

* a **session**: one run of a routine, with its outcome (completed, stopped for pain at a step, stopped
  early, not finished), its length and the pain ratings before and after;
* a **pain stop**: the "Stop — pain increased" event, with the step, the pain, symptoms and note;
* a **timer use**: one ice or heat timer, from its ``timer_start`` to its ``timer_end`` or
  ``timer_cancel`` (all its journal events share the timer's id).

Local dates and times use the computer's time zone unless a ``tz`` is given.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Protocol, TextIO

from .durations import format_human
from .journal import Event, Journal, Session, format_time

__all__ = [
    "EVENT_CSV_COLUMNS",
    "HISTORY_CSV_COLUMNS",
    "TIMER_TYPES",
    "History",
    "HistoryRow",
    "Insight",
    "RoutineStats",
    "RowKind",
    "SessionRow",
    "StopRow",
    "TimerUse",
    "ago",
    "day_range",
    "history_rows",
    "insights",
    "insights_from",
    "load_history",
    "pain_change_text",
    "preset_titles",
    "routine_stats",
    "routine_stats_text",
    "write_events_csv",
    "write_history_csv",
]

TIMER_TYPES: tuple[str, ...] = ("timer_start", "timer_phase", "timer_end", "timer_cancel")
_SAME_THRESHOLD = 0.05  # an average change smaller than this reads as "stayed the same"
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class RowKind(StrEnum):
    """The three kinds of history entry; also the "event type" filter of the History page."""

    SESSION = "session"
    PAIN_STOP = "pain_stop"
    TIMER = "timer"

    @property
    def label(self) -> str:
        """The plain name shown to the user."""
        return {"session": "Routine", "pain_stop": "Pain stop", "timer": "Ice or heat"}[self.value]


# ----------------------------------------------------------------------------------------------------------
# Small wording helpers
# ----------------------------------------------------------------------------------------------------------


def _local(moment: datetime, tz: tzinfo | None = None) -> datetime:
    """``moment`` in ``tz`` (None: the computer's time zone)."""
    return moment.astimezone(tz)


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 session', '3 sessions'."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def times_text(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _number(value: float) -> str:
    """One decimal, without a trailing '.0': 1.5, 2, 0.3."""
    text = f"{abs(value):.1f}"
    return text[:-2] if text.endswith(".0") else text


def points_text(value: float) -> str:
    """'1 point', '1.5 points' (the size of a change, without its sign)."""
    text = _number(value)
    return f"{text} point" if text == "1" else f"{text} points"


def pain_change_text(average: float | None) -> str:
    """'went down by 1.5 points', 'went up by 1 point', 'stayed about the same' ('' when unknown)."""
    if average is None:
        return ""
    if abs(average) < _SAME_THRESHOLD:
        return "stayed about the same"
    direction = "down" if average < 0 else "up"
    return f"went {direction} by {points_text(average)}"


def ago(moment: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """'today', 'yesterday', '3 days ago', by calendar day in the local time zone."""
    days = (_local(now, tz).date() - _local(moment, tz).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def day_text(day: date) -> str:
    """'Mon 17 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def long_day_text(day: date) -> str:
    """'Monday 17 November 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def day_range(
    first: date | None, last: date | None, tz: tzinfo | None = None
) -> tuple[datetime | None, datetime | None]:
    """Aware [since, until) for the local days ``first`` to ``last`` inclusive (None: open-ended)."""
    return (
        _midnight(first, tz) if first else None,
        _midnight(last + timedelta(days=1), tz) if last else None,
    )


def _midnight(day: date, tz: tzinfo | None) -> datetime:
    """The start of a local day, timezone-aware."""
    if tz is None:
        return datetime.combine(day, time()).astimezone()
    return datetime.combine(day, time(), tzinfo=tz)


def _humanise(identifier: str) -> str:
    """'lower-back-release' -> 'Lower back release' (for a routine or preset with no title at hand)."""
    text = identifier.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else identifier


# ----------------------------------------------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StopRow:
    """One 'Stop — pain increased' event."""

    id: int
    time: datetime
    session_id: int | None
    routine: str
    title: str
    step: str
    phase: str | None
    side: str | None
    rep: int | None
    seconds: float | None
    pain: int | None
    symptoms: tuple[str, ...]
    note: str | None
    edited: bool = False

    @property
    def where(self) -> str:
        """'Knee to chest (hold, left side, rep 2)': the step and where in it."""
        detail = [
            self.phase.replace("_", " ") if self.phase else "",
            f"{self.side} side" if self.side else "",
            f"rep {self.rep}" if self.rep else "",
        ]
        detail_text = ", ".join(d for d in detail if d)
        step = self.step or "an unknown step"
        return f"{step} ({detail_text})" if detail_text else step

    @property
    def symptoms_text(self) -> str:
        """'tingling, numbness' or ''."""
        return ", ".join(self.symptoms)


@dataclass(frozen=True)
class SessionRow:
    """One run of a routine, with the pain stop that ended it (if any)."""

    id: int
    routine: str
    title: str
    started: datetime
    ended: datetime | None
    outcome: str | None
    pain_before: int | None
    pain_after: int | None
    steps_done: int
    steps_total: int
    stop: StopRow | None = None
    edited: bool = False

    @property
    def duration(self) -> float | None:
        """Seconds from start to end, or None while (or if never) ended."""
        return None if self.ended is None else max(0.0, (self.ended - self.started).total_seconds())

    @property
    def change(self) -> int | None:
        """Pain after minus pain before (negative: it went down), or None without both ratings."""
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    @property
    def stopped_for_pain(self) -> bool:
        """Ended with 'Stop — pain increased'."""
        return self.stop is not None

    @property
    def result(self) -> str:
        """'Completed', 'Stopped for pain at STEP', 'Stopped early after 2 of 5 steps' or 'Not finished'."""
        if self.outcome == "completed":
            return "Completed"
        if self.stop is not None:
            return f"Stopped for pain at {self.stop.step or 'an unknown step'}"
        if self.outcome == "stopped":
            return f"Stopped early after {self.steps_done} of {plural(self.steps_total, 'step')}"
        return "Not finished"

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
        return self.therapy == "cold"

    @property
    def result(self) -> str:
        """'Finished', 'Cancelled' or 'Running or not closed'."""
        return {"finished": "Finished", "cancelled": "Cancelled"}.get(self.outcome, "Running or not closed")


@dataclass(frozen=True)
class History:
    """Everything in one date range: sessions, pain stops and timer uses, each oldest first."""

    sessions: list[SessionRow]
    stops: list[StopRow]
    timers: list[TimerUse]
    since: datetime | None = None
    until: datetime | None = None

    @property
    def empty(self) -> bool:
        """Nothing at all in the range."""
        return not (self.sessions or self.stops or self.timers)

    def first_time(self) -> datetime | None:
        """The earliest entry's time."""
        times = [s.started for s in self.sessions] + [s.time for s in self.stops] + [t.started for t in self.timers]
        return min(times, default=None)

    def last_time(self) -> datetime | None:
        """The latest entry's time (its end, when it has one)."""
        times = [s.ended or s.started for s in self.sessions] + [s.time for s in self.stops]
        times += [t.ended or t.started for t in self.timers]
        return max(times, default=None)


def _stop_row(event: Event, title: str) -> StopRow:
    """A StopRow from a pain_stop event."""
    return StopRow(
        id=event.id,
        time=event.time,
        session_id=event.session_id,
        routine=event.routine or "",
        title=title,
        step=event.step or "",
        phase=event.phase,
        side=event.side,
        rep=event.rep,
        seconds=event.seconds,
        pain=event.pain,
        symptoms=event.symptoms,
        note=event.note,
        edited=event.edited is not None,
    )


def _session_row(session: Session, stop: StopRow | None) -> SessionRow:
    """A SessionRow from a stored session and its first pain stop."""
    return SessionRow(
        id=session.id,
        routine=session.routine,
        title=session.title,
        started=session.started,
        ended=session.ended,
        outcome=session.outcome,
        pain_before=session.pain_before,
        pain_after=session.pain_after,
        steps_done=session.steps_done,
        steps_total=session.steps_total,
        stop=stop,
        edited=session.edited is not None,
    )


def _timer_title(data: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    """The preset's title, or 'Ice, 20 min' / 'Heat' made from what the start event recorded."""
    preset = str(data.get("preset") or "")
    if preset in titles:
        return titles[preset]
    what = "Ice" if data.get("therapy") == "cold" else "Heat" if data.get("therapy") == "heat" else ""
    on = data.get("on")
    if what and isinstance(on, int | float) and not isinstance(on, bool) and on > 0:
        return f"{what}, {format_human(float(on))}"
    return what or _humanise(preset) or "Timer"


def _timer_uses(events: Sequence[Event], titles: Mapping[str, str]) -> list[TimerUse]:
    """Group timer_* events by timer id into uses; a timer whose start is not in the list is left out."""
    groups: dict[str, list[Event]] = {}
    for event in events:
        key = str(event.data.get("timer") or f"event-{event.id}")
        groups.setdefault(key, []).append(event)
    uses: list[TimerUse] = []
    for key, group in groups.items():
        start = next((e for e in group if e.type == "timer_start"), None)
        if start is None:
            continue
        end = next((e for e in reversed(group) if e.type in ("timer_end", "timer_cancel")), None)
        cycles = start.data.get("cycles")
        uses.append(
            TimerUse(
                timer=key,
                event_ids=tuple(e.id for e in group),
                preset=str(start.data.get("preset") or ""),
                title=_timer_title(start.data, titles),
                therapy=str(start.data.get("therapy") or ""),
                started=start.time,
                ended=None if end is None else end.time,
                outcome="running" if end is None else "finished" if end.type == "timer_end" else "cancelled",
                cycles=cycles if isinstance(cycles, int) and not isinstance(cycles, bool) else 1,
            )
        )
    uses.sort(key=lambda u: (u.started, u.event_ids[0]))
    return uses


def preset_titles() -> dict[str, str]:
    """Timer preset titles by id, from the preset files; {} if they cannot be read."""
    try:
        from . import presets

        found, _errors = presets.load_all_presets()
    except Exception:  # titles are a nicety: a broken preset file must never break the history
        return {}
    return {preset_id: preset.title for preset_id, preset in found.items()}


def load_history(
    journal: Journal,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    routine: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> History:
    """Sessions, pain stops and timer uses that started in [since, until); deleted entries are left out.

    With ``routine`` only that routine's sessions and stops (timers belong to no routine, so none).
    ``titles`` names timer presets by id (see :func:`preset_titles`).
    """
    sessions = journal.sessions(since=since, until=until, routine=routine)
    titles_by_routine = {s.routine: s.title for s in journal.sessions(routine=routine)}
    session_titles = {s.id: s.title for s in sessions}

    def title_of(event: Event) -> str:
        """The routine title for a pain stop: its session's, else the routine's latest, else its id."""
        routine_id = event.routine or ""
        return session_titles.get(event.session_id or -1) or titles_by_routine.get(routine_id) or _humanise(routine_id)

    # A session keeps "stopped for pain at STEP" even if that stop's own entry is deleted (deleting one
    # entry never changes another), and a stop belongs with its session even just after ``until``.
    first_stop: dict[int, StopRow] = {}
    for event in journal.events(types=["pain_stop"], since=since, routine=routine, include_deleted=True):
        if event.session_id is not None and event.session_id not in first_stop:
            first_stop[event.session_id] = _stop_row(event, title_of(event))
    stops = [
        _stop_row(event, title_of(event))
        for event in journal.events(types=["pain_stop"], since=since, until=until, routine=routine)
    ]
    rows = [_session_row(s, first_stop.get(s.id)) for s in sessions]
    timers: list[TimerUse] = []
    if routine is None:
        # Ends may fall after ``until``: read from ``since`` on and keep the uses that started in range.
        timer_events = journal.events(types=list(TIMER_TYPES), since=since)
        uses = _timer_uses(timer_events, titles or {})
        timers = [u for u in uses if until is None or u.started < until]
    return History(sessions=rows, stops=stops, timers=timers, since=since, until=until)


@dataclass(frozen=True)
class HistoryRow:
    """One line of the History table and of the history CSV: a session, a pain stop or a timer use."""

    kind: RowKind
    id: int  # session id, pain-stop event id, or the timer's first event id
    time: datetime
    routine: str | None
    what: str
    result: str
    duration: float | None
    pain_before: int | None
    pain_after: int | None
    pain: int | None
    symptoms: tuple[str, ...]
    note: str | None
    entry: SessionRow | StopRow | TimerUse

    @property
    def key(self) -> tuple[str, int]:
        """A stable identity across refreshes: (kind, id)."""
        return (self.kind.value, self.id)

    @property
    def change(self) -> int | None:
        """Pain after minus before, for a session with both ratings."""
        return self.entry.change if isinstance(self.entry, SessionRow) else None

    @property
    def pain_text(self) -> str:
        """'6 → 3' for a session, '7' for a pain stop, '' when not rated."""
        if isinstance(self.entry, SessionRow):
            return self.entry.pain_text
        return "" if self.pain is None else str(self.pain)

    @property
    def details(self) -> str:
        """Symptoms and note in one line: 'tingling, numbness · “sharp when I pulled”'."""
        parts = [", ".join(self.symptoms)] if self.symptoms else []
        if self.note:
            parts.append(f"“{self.note}”")
        return " · ".join(parts)


def history_rows(history: History, kinds: Iterable[RowKind | str] | None = None) -> list[HistoryRow]:
    """The history as table rows of the wanted kinds (default: all), newest first."""
    wanted = set(RowKind) if kinds is None else {RowKind(k) for k in kinds}
    rows: list[HistoryRow] = []
    if RowKind.SESSION in wanted:
        for s in history.sessions:
            rows.append(
                HistoryRow(
                    kind=RowKind.SESSION,
                    id=s.id,
                    time=s.started,
                    routine=s.routine,
                    what=s.title,
                    result=s.result,
                    duration=s.duration,
                    pain_before=s.pain_before,
                    pain_after=s.pain_after,
                    pain=None,
                    symptoms=(),
                    note=None,
                    entry=s,
                )
            )
    if RowKind.PAIN_STOP in wanted:
        for p in history.stops:
            rows.append(
                HistoryRow(
                    kind=RowKind.PAIN_STOP,
                    id=p.id,
                    time=p.time,
                    routine=p.routine,
                    what=p.title,
                    result=f"Stopped at {p.where}",
                    duration=p.seconds,
                    pain_before=None,
                    pain_after=None,
                    pain=p.pain,
                    symptoms=p.symptoms,
                    note=p.note,
                    entry=p,
                )
            )
    if RowKind.TIMER in wanted:
        for t in history.timers:
            rows.append(
                HistoryRow(
                    kind=RowKind.TIMER,
                    id=t.event_ids[0],
                    time=t.started,
                    routine=None,
                    what=t.title,
                    result=t.result,
                    duration=t.duration,
                    pain_before=None,
                    pain_after=None,
                    pain=None,
                    symptoms=(),
                    note=None,
                    entry=t,
                )
            )
    order = {RowKind.SESSION: 0, RowKind.PAIN_STOP: 1, RowKind.TIMER: 2}
    rows.sort(key=lambda r: (r.time, order[r.kind], r.id), reverse=True)
    return rows


# ----------------------------------------------------------------------------------------------------------
# Insights
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Insight:
    """One plain-word finding; ``key`` names which one (for tests and styling)."""

    key: str
    text: str


@dataclass(frozen=True)
class RoutineChange:
    """The average pain change after one routine."""

    routine: str
    title: str
    average: float
    rated: int


def routine_changes(sessions: Iterable[SessionRow]) -> list[RoutineChange]:
    """Average pain change (after minus before) per routine over sessions with both ratings, best first."""
    grouped: dict[str, list[SessionRow]] = {}
    for s in sessions:
        if s.change is not None:
            grouped.setdefault(s.routine, []).append(s)
    changes = [
        RoutineChange(rid, rows[-1].title, sum(r.change or 0 for r in rows) / len(rows), len(rows))
        for rid, rows in grouped.items()
    ]
    changes.sort(key=lambda c: (c.average, -c.rated, c.title))
    return changes


def most_stopped_steps(stops: Iterable[StopRow], limit: int = 3) -> list[tuple[str, str, int]]:
    """(step, routine title, count) of the steps most often stopped at, most first."""
    counts = Counter((s.step or "an unknown step", s.title) for s in stops)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(step, title, count) for (step, title), count in ranked[:limit]]


def insights_from(
    history: History,
    *,
    week: Sequence[SessionRow],
    episode_started: datetime | None,
    now: datetime,
    tz: tzinfo | None = None,
) -> list[Insight]:
    """Plain-word insights: spasm age, pain after sessions, this week, stops, per routine, ice and heat."""
    found: list[Insight] = []
    if episode_started is not None:
        day = _local(episode_started, tz).date()
        days = (_local(now, tz).date() - day).days
        when = "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"
        found.append(Insight("episode", f"The spasm started {when}, on {day:%A} {day.day} {day:%B}."))
    rated = [s for s in history.sessions if s.change is not None]
    if rated:
        lower = sum(1 for s in rated if (s.change or 0) < 0)
        higher = sum(1 for s in rated if (s.change or 0) > 0)
        text = f"Pain was lower after {lower} of {plural(len(rated), 'rated session')}"
        text += f", higher after {higher}." if higher else "."
        found.append(Insight("overall", text))

    stopped = sum(1 for s in week if s.stopped_for_pain)
    completed = sum(1 for s in week if s.outcome == "completed")
    if week:
        text = f"This week (the last 7 days): {plural(len(week), 'session')}, {completed} completed"
        text += f", {stopped} stopped because pain increased." if stopped else "."
    else:
        text = "No sessions in the last 7 days."
    found.append(Insight("week", text))

    steps = most_stopped_steps(history.stops)
    if steps and steps[0][2] > 1:
        listed = "; ".join(f"{step} ({title}), {times_text(count)}" for step, title, count in steps)
        found.append(Insight("stops", f"Most often stopped at: {listed}."))
    elif steps:
        names = [f"{step} ({title})" for step, title, _count in steps]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        found.append(Insight("stops", f"Stopped because of pain at: {joined}."))
    else:
        found.append(Insight("stops", "No stops because of pain in this period."))

    for change in routine_changes(history.sessions):
        words = pain_change_text(change.average)
        sessions_text = plural(change.rated, "session")
        if words.startswith("stayed"):
            text = f"Pain {words} after {change.title} ({sessions_text})."
        else:
            text = f"Pain {words} on average after {change.title} ({sessions_text})."
        found.append(Insight(f"routine:{change.routine}", text))

    timers = history.timers
    if timers:
        cold = sum(1 for t in timers if t.cold)
        heat = len(timers) - cold
        parts = [
            p for p in (f"ice {times_text(cold)}" if cold else "", f"heat {times_text(heat)}" if heat else "") if p
        ]
        found.append(Insight("timers", f"Used {' and '.join(parts)}."))

    return found


def insights(
    journal: Journal,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    routine: str | None = None,
    now: datetime,
    tz: tzinfo | None = None,
    history: History | None = None,
) -> list[Insight]:
    """Insights for [since, until) (or the given ``history``), with this week and the spasm's start."""
    from .therapy import current_episode

    if history is None:
        history = load_history(journal, since=since, until=until, routine=routine)
    week = load_history(journal, since=now - timedelta(days=7), until=now + timedelta(seconds=1), routine=routine)
    episode = current_episode(journal)
    return insights_from(
        history,
        week=week.sessions,
        episode_started=None if episode is None else episode.started,
        now=now,
        tz=tz,
    )


# ----------------------------------------------------------------------------------------------------------
# Per-routine statistics (the library's details pane)
# ----------------------------------------------------------------------------------------------------------


class _StatsJournal(Protocol):
    """What routine_stats reads (the real Journal has it)."""

    def sessions(self, *, routine: str | None = None) -> list[Session]: ...

    def events(self, *, types: Iterable[str] | None = None, routine: str | None = None) -> list[Event]: ...


@dataclass(frozen=True)
class RoutineStats:
    """How often a routine was done, how pain changed after it, and its latest pain stop."""

    routine: str
    times_done: int
    completed: int
    average_change: float | None
    rated: int
    last_done: datetime | None
    last_stop: StopRow | None


def routine_stats(journal: _StatsJournal, routine: str) -> RoutineStats:
    """The routine's statistics over the whole journal (deleted entries left out)."""
    sessions = journal.sessions(routine=routine)
    changes = [s.pain_after - s.pain_before for s in sessions if s.pain_before is not None and s.pain_after is not None]
    stops = journal.events(types=["pain_stop"], routine=routine)
    title = sessions[-1].title if sessions else _humanise(routine)
    return RoutineStats(
        routine=routine,
        times_done=len(sessions),
        completed=sum(1 for s in sessions if s.outcome == "completed"),
        average_change=sum(changes) / len(changes) if changes else None,
        rated=len(changes),
        last_done=sessions[-1].started if sessions else None,
        last_stop=_stop_row(stops[-1], title) if stops else None,
    )


def routine_stats_text(stats: RoutineStats, now: datetime, tz: tzinfo | None = None) -> str:
    """'Done 4 times, last yesterday. Pain went down by 1.5 points on average …' for the library."""
    if stats.times_done == 0 or stats.last_done is None:
        text = "Not done yet."
    else:
        text = f"Done {times_text(stats.times_done)}, last {ago(stats.last_done, now, tz)}."
    if stats.average_change is not None:
        words = pain_change_text(stats.average_change)
        text += f" Pain {words}" + ("" if words.startswith("stayed") else " on average") + " afterwards."
    if stats.last_stop is not None:
        stop = stats.last_stop
        symptoms = f" ({stop.symptoms_text})" if stop.symptoms else ""
        text += f" Last stop: {stop.step or 'an unknown step'}{symptoms}, {ago(stop.time, now, tz)}."
    return text


# ----------------------------------------------------------------------------------------------------------
# CSV
# ----------------------------------------------------------------------------------------------------------

HISTORY_CSV_COLUMNS: tuple[str, ...] = (
    "kind",
    "date",
    "time",
    "routine",
    "what",
    "result",
    "minutes",
    "pain_before",
    "pain_after",
    "pain_change",
    "pain",
    "symptoms",
    "note",
    "id",
    "iso_time",
)
# Every field of a journal event, in the journal's own order; hidden (deleted) rows are not exported.
EVENT_CSV_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Event) if f.name != "deleted")


def _cell(value: object) -> str:
    """A CSV cell for a number or a fixed word: '' for None, floats to at most 3 decimals."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{round(value, 3)}"
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def _text_cell(value: str | None) -> str:
    """A free-text cell (title, note, symptoms), defused against spreadsheet formulas."""
    if not value:
        return ""
    return "'" + value if value.startswith(_CSV_FORMULA_START) else value


def write_history_csv(rows: Iterable[HistoryRow], out: TextIO, tz: tzinfo | None = None) -> int:
    """Write History rows (sessions, pain stops, timer uses) as CSV with a header; returns the row count."""
    writer = csv.writer(out)
    writer.writerow(HISTORY_CSV_COLUMNS)
    count = 0
    for row in rows:
        local = _local(row.time, tz)
        minutes = None if row.duration is None else round(row.duration / 60, 1)
        writer.writerow(
            [
                row.kind.value,
                local.date().isoformat(),
                local.strftime("%H:%M"),
                _text_cell(row.routine),
                _text_cell(row.what),
                _text_cell(row.result),
                _cell(minutes),
                _cell(row.pain_before),
                _cell(row.pain_after),
                _cell(row.change),
                _cell(row.pain),
                _text_cell("; ".join(row.symptoms)),
                _text_cell(row.note),
                row.id,
                local.isoformat(timespec="seconds"),
            ]
        )
        count += 1
    return count


def write_events_csv(events: Iterable[Event], out: TextIO) -> int:
    """Write raw journal events (as ``spasmcoach log`` lists them) as CSV with a header; returns the count."""
    writer = csv.writer(out)
    writer.writerow(EVENT_CSV_COLUMNS)
    count = 0
    for e in events:
        writer.writerow(
            [
                e.id,
                format_time(e.time),
                e.type,
                _cell(e.session_id),
                _text_cell(e.routine),
                _text_cell(e.step),
                _cell(e.phase),
                _cell(e.side),
                _cell(e.rep),
                _cell(e.seconds),
                _cell(e.pain),
                _text_cell("; ".join(e.symptoms)),
                _text_cell(e.note),
                json.dumps(e.data, ensure_ascii=False, sort_keys=True) if e.data else "",
                "" if e.edited is None else format_time(e.edited),
            ]
        )
        count += 1
    return count
