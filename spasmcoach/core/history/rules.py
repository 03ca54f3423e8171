"""Plain-word insights over a history, and per-routine statistics for the library's details pane."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from ..journal import Event, Journal, Session
from ..pain import pain_change
from ..timers.kinds import Therapy
from ..wording import ago, long_day_text, pain_change_text, plural, times_text, title_from_id
from .records import History, SessionRow, StopRow, load_history, stop_row

__all__ = [
    "Insight",
    "RoutineChange",
    "RoutineStats",
    "insights",
    "insights_from",
    "most_stopped_steps",
    "routine_changes",
    "routine_stats",
    "routine_stats_text",
]


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


def _episode_insight(episode_started: datetime, now: datetime, tz: tzinfo | None) -> Insight:
    """'The spasm started 3 days ago, on Sunday 15 November.'"""
    day = episode_started.astimezone(tz).date()
    when = ago(episode_started, now, tz)
    return Insight("episode", f"The spasm started {when}, on {long_day_text(day, year=False)}.")


def _week_insight(week: Sequence[SessionRow], live_stops: Collection[int] | None = None) -> Insight:
    """Sessions of the last 7 days: how many, completed, stopped for pain (a stop whose entry the user
    deleted is not counted when ``live_stops``, the ids of the stops still in the journal, is given)."""
    if not week:
        return Insight("week", "No sessions in the last 7 days.")
    stopped = sum(1 for s in week if s.stop is not None and (live_stops is None or s.stop.id in live_stops))
    completed = sum(1 for s in week if s.outcome == "completed")
    text = f"This week (the last 7 days): {plural(len(week), 'session')}, {completed} completed"
    text += f", {stopped} stopped because pain increased." if stopped else "."
    return Insight("week", text)


def _stops_insight(stops: Sequence[StopRow]) -> Insight:
    """Where pain stops happened, most often first."""
    steps = most_stopped_steps(stops)
    if steps and steps[0][2] > 1:
        listed = "; ".join(f"{step} ({title}), {times_text(count)}" for step, title, count in steps)
        return Insight("stops", f"Most often stopped at: {listed}.")
    if steps:
        names = [f"{step} ({title})" for step, title, _count in steps]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return Insight("stops", f"Stopped because of pain at: {joined}.")
    return Insight("stops", "No stops because of pain in this period.")


def insights_from(
    history: History,
    *,
    week: Sequence[SessionRow],
    episode_started: datetime | None,
    now: datetime,
    tz: tzinfo | None = None,
    week_stops: Collection[int] | None = None,
) -> list[Insight]:
    """Plain-word insights: spasm age, pain after sessions, this week, stops, per routine, ice and heat.

    ``week_stops``: ids of the pain stops of the last 7 days still in the journal (deleted ones left out)."""
    found: list[Insight] = []
    if episode_started is not None:
        found.append(_episode_insight(episode_started, now, tz))
    rated = [s for s in history.sessions if s.change is not None]
    if rated:
        lower = sum(1 for s in rated if (s.change or 0) < 0)
        higher = sum(1 for s in rated if (s.change or 0) > 0)
        text = f"Pain was lower after {lower} of {plural(len(rated), 'rated session')}"
        text += f", higher after {higher}." if higher else "."
        found.append(Insight("overall", text))
    found.append(_week_insight(week, week_stops))
    found.append(_stops_insight(history.stops))

    for change in routine_changes(history.sessions):
        words = pain_change_text(change.average)
        sessions_text = plural(change.rated, "session")
        if words.startswith("stayed"):
            text = f"Pain {words} after {change.title} ({sessions_text})."
        else:
            text = f"Pain {words} on average after {change.title} ({sessions_text})."
        found.append(Insight(f"routine:{change.routine}", text))

    timers = [t for t in history.timers if t.outcome != "running"]  # a timer not finished yet is not a use yet
    open_now = len(history.timers) - len(timers)
    if history.timers:
        counts = Counter(Therapy.named(t.therapy) or Therapy.HEAT for t in timers)  # unknown: heat, as before
        parts = [f"{kind.info.noun} {times_text(counts[kind])}" for kind in Therapy if counts[kind]]
        text = f"Used {' and '.join(parts)}." if parts else ""
        if open_now:
            text += f" {plural(open_now, 'timer')} not finished yet."
        found.append(Insight("timers", text.strip()))

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
    from ..timers import current_episode

    if history is None:
        history = load_history(journal, since=since, until=until, routine=routine)
    week = load_history(journal, since=now - timedelta(days=7), until=now + timedelta(seconds=1), routine=routine)
    episode = current_episode(journal)
    return insights_from(
        history,
        week=week.sessions,
        week_stops={stop.id for stop in week.stops},
        episode_started=None if episode is None else episode.started,
        now=now,
        tz=tz,
    )


# -- per-routine statistics (the library's details pane) ---------------------------------------------------


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
    changes = [c for c in (pain_change(s.pain_before, s.pain_after) for s in sessions) if c is not None]
    stops = journal.events(types=["pain_stop"], routine=routine)
    title = sessions[-1].title if sessions else title_from_id(routine)
    return RoutineStats(
        routine=routine,
        times_done=len(sessions),
        completed=sum(1 for s in sessions if s.outcome == "completed"),
        average_change=sum(changes) / len(changes) if changes else None,
        rated=len(changes),
        last_done=sessions[-1].started if sessions else None,
        last_stop=stop_row(stops[-1], title) if stops else None,
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
