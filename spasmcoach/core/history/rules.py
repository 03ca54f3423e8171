"""Plain-word insights over a history, and per-routine statistics for the library's details pane."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from ..i18n import _, ngettext
from ..journal import Journal
from ..timers.kinds import Therapy
from ..wording import SAME_THRESHOLD, ago, long_day_text, points_text, times_text
from .records import History, SessionRow, StopRow, load_history

__all__ = [
    "Insight",
    "RoutineChange",
    "insights",
    "insights_from",
    "most_stopped_steps",
    "routine_changes",
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
    grouped: dict[str, list[tuple[SessionRow, int]]] = {}
    for s in sessions:
        change = s.change
        if change is not None:
            grouped.setdefault(s.routine, []).append((s, change))
    changes = [
        RoutineChange(rid, rows[-1][0].title, sum(change for _s, change in rows) / len(rows), len(rows))
        for rid, rows in grouped.items()
    ]
    changes.sort(key=lambda c: (c.average, -c.rated, c.title))
    return changes


def most_stopped_steps(stops: Iterable[StopRow], limit: int = 3) -> list[tuple[str, str, int]]:
    """(step, routine title, count) of the steps most often stopped at, most first."""
    counts = Counter((s.step or _("an unknown step"), s.title) for s in stops)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(step, title, count) for (step, title), count in ranked[:limit]]


def _episode_insight(episode_started: datetime, now: datetime, tz: tzinfo | None) -> Insight:
    """'The spasm started 3 days ago, on Sunday 15 November.'"""
    day = episode_started.astimezone(tz).date()
    when = ago(episode_started, now, tz)
    text = _("The spasm started {when}, on {day}.").format(when=when, day=long_day_text(day, year=False))
    return Insight("episode", text)


def _week_insight(week: Sequence[SessionRow], live_stops: Collection[int] | None = None) -> Insight:
    """Sessions of the last 7 days: how many, completed, stopped for pain (a stop whose entry the user
    deleted is not counted when ``live_stops``, the ids of the stops still in the journal, is given)."""
    if not week:
        return Insight("week", _("No sessions in the last 7 days."))
    stopped = sum(1 for s in week if s.stop is not None and (live_stops is None or s.stop.id in live_stops))
    completed = sum(1 for s in week if s.outcome == "completed")
    count = len(week)
    if stopped:
        text = ngettext(
            "This week (the last 7 days): {count} session, {completed} completed, {stopped} stopped because pain"
            " increased.",
            "This week (the last 7 days): {count} sessions, {completed} completed, {stopped} stopped because pain"
            " increased.",
            count,
        )
    else:
        text = ngettext(
            "This week (the last 7 days): {count} session, {completed} completed.",
            "This week (the last 7 days): {count} sessions, {completed} completed.",
            count,
        )
    return Insight("week", text.format(count=count, completed=completed, stopped=stopped))


def _and(names: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def _stops_insight(stops: Sequence[StopRow]) -> Insight:
    """Where pain stops happened, most often first."""
    steps = most_stopped_steps(stops)
    if steps and steps[0][2] > 1:
        listed = "; ".join(
            _("{step} ({routine}), {times}").format(step=step, routine=title, times=times_text(count))
            for step, title, count in steps
        )
        return Insight("stops", _("Most often stopped at: {steps}.").format(steps=listed))
    if steps:
        names = [_("{step} ({routine})").format(step=step, routine=title) for step, title, _count in steps]
        return Insight("stops", _("Stopped because of pain at: {steps}.").format(steps=_and(names)))
    return Insight("stops", _("No stops because of pain in this period."))


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
    rated = [change for change in (s.change for s in history.sessions) if change is not None]
    if rated:
        lower = sum(1 for change in rated if change < 0)
        higher = sum(1 for change in rated if change > 0)
        if higher:
            text = ngettext(
                "Pain was lower after {lower} of {count} rated session, higher after {higher}.",
                "Pain was lower after {lower} of {count} rated sessions, higher after {higher}.",
                len(rated),
            )
        else:
            text = ngettext(
                "Pain was lower after {lower} of {count} rated session.",
                "Pain was lower after {lower} of {count} rated sessions.",
                len(rated),
            )
        found.append(Insight("overall", text.format(lower=lower, count=len(rated), higher=higher)))
    found.append(_week_insight(week, week_stops))
    found.append(_stops_insight(history.stops))

    for change in routine_changes(history.sessions):
        found.append(Insight(f"routine:{change.routine}", _routine_change_text(change)))

    timers = [t for t in history.timers if t.outcome != "running"]  # a timer not finished yet is not a use yet
    open_now = len(history.timers) - len(timers)
    if history.timers:
        counts = Counter(Therapy.named(t.therapy) or Therapy.HEAT for t in timers)  # unknown: heat, as before
        parts = [
            _("{therapy} {times}").format(therapy=kind.info.noun, times=times_text(counts[kind]))
            for kind in Therapy
            if counts[kind]
        ]
        text = _("Used {uses}.").format(uses=_and(parts)) if parts else ""
        if open_now:
            text += " " + ngettext(
                "{count} timer not finished yet.", "{count} timers not finished yet.", open_now
            ).format(count=open_now)
        found.append(Insight("timers", text.strip()))

    return found


def _routine_change_text(change: RoutineChange) -> str:
    """'Pain went down by 1.4 points on average after TITLE (5 sessions).', one whole sentence per case."""
    sessions = ngettext("{count} session", "{count} sessions", change.rated).format(count=change.rated)
    if abs(change.average) < SAME_THRESHOLD:
        text = _("Pain stayed about the same after {routine} ({sessions}).")
    elif change.average < 0:
        text = _("Pain went down by {points} on average after {routine} ({sessions}).")
    else:
        text = _("Pain went up by {points} on average after {routine} ({sessions}).")
    return text.format(points=points_text(change.average), routine=change.title, sessions=sessions)


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
