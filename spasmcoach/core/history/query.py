"""One History page's worth of reading, done in one go so it can run off the GUI thread.

``load_page`` reads a date range once and hands back plain data: the table rows (newest first), the
insight lines, the routines for the filter, and a chart history thinned to at most ``CHART_COLUMNS``
columns (per-period averages), so five years of entries draw as quickly as a week.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo

from ..diary.calendar import CALENDAR_WEEKS, DayPain, LocalDays, daily_pain_of
from ..diary.episodes import EPISODE_EVENTS, Episode, list_episodes
from ..diary.fhir import RATED_EVENTS
from ..journal import Event
from ..journal.reads import JournalReads
from ..timers.advice import EPISODE_EVENT
from .records import History, SessionRow, StopRow, TimerUse, load_history, preset_titles
from .rules import insights_from
from .table import HistoryRow, HistoryRows, RowKind

__all__ = [
    "CHART_COLUMNS",
    "HistoryPage",
    "HistoryRequest",
    "RatingsCache",
    "chart_history",
    "first_entry_time",
    "load_page",
]

CHART_COLUMNS = 120  # more columns than this and the chart shows one averaged mark per group of days
ENTRY_TYPES = ("pain_stop", "timer_start")  # the events that start a History entry (besides sessions)
# A rating naming areas has this in its stored data (or, written by hand, a \u escape that might spell it).
AREA_TEXTS = ('"areas"', "\\u")


@dataclass(frozen=True)
class HistoryRequest:
    """What the History page asks for: a range, a routine, the kinds of row, and the moment it is asked."""

    now: datetime
    since: datetime | None = None
    until: datetime | None = None
    routine: str | None = None
    kinds: tuple[RowKind, ...] = tuple(RowKind)
    first_day: date | None = None
    last_day: date | None = None
    timer_titles: Mapping[str, str] | None = None  # timer presets' titles by id (None: the preset files')


@dataclass(frozen=True)
class HistoryPage:
    """What one load found (plain data: safe to hand from a worker thread to the GUI)."""

    history: History
    rows: Sequence[HistoryRow]  # made a row at a time, as the table shows them
    insights: list[str]
    chart: History
    routine_titles: dict[str, str]
    rated: list[Event] = field(default_factory=list)  # the range's ratings naming areas, for the calendar's filter
    episodes: list[Episode] = field(default_factory=list)  # every episode of spasm (few), for History
    days: dict[date, DayPain] = field(default_factory=dict)  # every rating per local day (all areas), for the calendar
    # The calendar's first day when the range reaches further back than the calendar shows and the journal has
    # ratings from before (those are not read); None: the range's first day, or the first day with a rating.
    calendar_first: date | None = None


class RatingsCache:
    """The pain ratings of the last range read, kept by the worker between loads of the same range.

    Ratings do not depend on the routine or kinds chosen, so changing those filters reuses them (reading and
    grouping 19,000 ratings of a five-year journal is a third of a load). ``clear`` forgets them; the page
    calls it whenever the journal may have changed (an edit, the page coming into view).
    """

    def __init__(self) -> None:
        self._key: tuple[datetime | None, datetime | None] | None = None
        self._value: tuple[list[Event], dict[date, DayPain]] = ([], {})

    def clear(self) -> None:
        """Forget the kept ratings."""
        self._key = None

    def get(
        self,
        journal: JournalReads,
        since: datetime | None,
        until: datetime | None,
        tz: tzinfo | None,
        local: LocalDays | None = None,
    ) -> tuple[list[Event], dict[date, DayPain]]:
        """The ratings in [since, until) that name areas, and every rating's days, read unless the same range
        was read last."""
        if self._key != (since, until):
            # Only check-ins name areas: the other ratings are read as (time, pain), not as whole events.
            named = journal.events(since=since, until=until, types=list(RATED_EVENTS), data_contains=AREA_TEXTS)
            ratings = journal.pain_ratings(RATED_EVENTS, since=since, until=until)
            days = daily_pain_of(ratings, named, tz=tz, local=local)
            self._value = (named, days)
            self._key = (since, until)
        return self._value


def first_entry_time(journal: JournalReads) -> datetime | None:
    """The time of the journal's first History entry (session, pain stop or timer), deleted ones left out."""
    return journal.earliest(ENTRY_TYPES)


def load_page(
    journal: JournalReads, request: HistoryRequest, tz: tzinfo | None = None, ratings: RatingsCache | None = None
) -> HistoryPage:
    """Read everything the History page shows for ``request`` (``ratings`` may keep the ratings between loads)."""
    titles = preset_titles() if request.timer_titles is None else request.timer_titles
    routine_titles = journal.routine_titles()
    history = load_history(
        journal,
        since=request.since,
        until=request.until,
        routine=request.routine,
        titles=titles,
        routine_titles=routine_titles,
    )
    now = request.now
    week_start, week_end = now - timedelta(days=7), now + timedelta(seconds=1)
    covered = (request.since is None or request.since <= week_start) and (
        request.until is None or request.until >= week_end
    )
    if covered:  # this week lies inside the range read: no second read
        week = [s for s in history.sessions if week_start <= s.started < week_end]
    else:
        week = load_history(
            journal, since=week_start, until=week_end, routine=request.routine, routine_titles=routine_titles
        ).sessions
    episode = journal.events(types=[EPISODE_EVENT], limit=1)
    found = insights_from(history, week=week, episode_started=episode[-1].time if episode else None, now=now, tz=tz)
    local = LocalDays(tz)  # the zone looked up once per UTC day, for the calendar and the chart
    last_day = request.last_day or request.now.astimezone(tz).date()
    shown_since = calendar_since(request.since, last_day, tz)
    rated, days = (ratings or RatingsCache()).get(journal, shown_since, request.until, tz, local)
    calendar_first = None
    if shown_since is not None and shown_since != request.since:
        earliest = journal.earliest(RATED_EVENTS)
        if earliest is not None and earliest < shown_since:
            calendar_first = last_day - timedelta(weeks=CALENDAR_WEEKS) + timedelta(days=1)
    return HistoryPage(
        history=history,
        rows=HistoryRows(history, request.kinds),
        insights=[i.text for i in found],
        chart=chart_history(history, request.first_day, request.last_day, tz=tz, local=local),
        routine_titles=routine_titles,
        rated=rated,
        episodes=list_episodes(journal.events(types=list(EPISODE_EVENTS)), now=now),
        days=days,
        calendar_first=calendar_first,
    )


def calendar_since(since: datetime | None, last_day: date, tz: tzinfo | None) -> datetime | None:
    """Where the calendar's ratings are read from: ``since``, or, for a longer range, the start of the day
    before the first of the calendar's :data:`CALENDAR_WEEKS` weeks up to ``last_day`` (a day early, so a
    change of zone or clock can never leave out a rating the calendar shows)."""
    day_before = last_day - timedelta(weeks=CALENDAR_WEEKS) - timedelta(days=1)
    midnight = datetime.combine(day_before, time(0))
    start = midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()  # None: the system's zone
    return start if since is None or since < start else since


def _local_day(moment: datetime, tz: tzinfo | None) -> date:
    return moment.astimezone(tz).date()


def chart_history(
    history: History,
    first: date | None = None,
    last: date | None = None,
    *,
    columns: int = CHART_COLUMNS,
    tz: tzinfo | None = None,
    local: LocalDays | None = None,
) -> History:
    """``history`` as the chart needs it: unchanged up to ``columns`` days; beyond, one mark per group of days.

    Per group: the average pain before and after (rounded), the highest pain stop, and the first use of
    each kind of ice or heat timer. The mark stands at the middle of its group. ``local``: local days
    already worked out for ``tz``.
    """
    start, end = history.first_time(), history.last_time()
    first = first or (_local_day(start, tz) if start else None)
    last = last or (_local_day(end, tz) if end else None)
    if first is None or last is None or (last - first).days + 1 <= columns:
        return history
    size = math.ceil(((last - first).days + 1) / columns)
    days = local or LocalDays(tz)

    def group(moment: datetime) -> int:
        return (days.of_moment(moment) - first).days // size

    def middle(index: int) -> datetime:
        day = first + timedelta(days=index * size + size // 2)
        return datetime.combine(day, time(12)).astimezone(tz)

    sessions: dict[int, list[SessionRow]] = {}
    for row in history.sessions:
        sessions.setdefault(group(row.started), []).append(row)
    stops: dict[int, StopRow] = {}
    for stop in history.stops:
        index = group(stop.time)
        kept = stops.get(index)
        if kept is None or (stop.pain or -1) > (kept.pain or -1):
            stops[index] = stop
    timers: dict[tuple[int, str], TimerUse] = {}
    for use in history.timers:
        timers.setdefault((group(use.started), use.therapy), use)
    checkins: dict[int, Event] = {}  # per group, the highest check-in
    for event in history.checkins:
        index = group(event.time)
        if index not in checkins or (event.pain or 0) > (checkins[index].pain or 0):
            checkins[index] = event
    relievers = {group(e.time): e for e in reversed(history.relievers)}  # per group, the first reliever
    return History(
        checkins=[replace(e, time=middle(i)) for i, e in sorted(checkins.items())],
        relievers=[replace(e, time=middle(i)) for i, e in sorted(relievers.items())],
        sessions=[_average(rows, middle(index)) for index, rows in sorted(sessions.items())],
        stops=[replace(stop, time=middle(index)) for index, stop in sorted(stops.items())],
        timers=[_moved(use, middle(index)) for (index, _kind), use in sorted(timers.items(), key=lambda i: i[0])],
        since=history.since,
        until=history.until,
    )


def _mean(values: Iterable[int | None]) -> int | None:
    """The rounded mean of the values given, or None without any."""
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known)) if known else None


def _average(rows: Sequence[SessionRow], at: datetime) -> SessionRow:
    """One session standing for ``rows``: their average pain before and after, at ``at``."""
    session = rows[0].session
    ended = at + timedelta(minutes=10)
    averaged = replace(
        session,
        started=at,
        ended=ended,
        outcome="completed",
        pain_before=_mean(r.pain_before for r in rows),
        pain_after=_mean(r.pain_after for r in rows),
    )
    return SessionRow(averaged, None)


def _moved(use: TimerUse, at: datetime) -> TimerUse:
    """A timer use moved to ``at``, as long as it was."""
    length = use.duration
    return replace(use, started=at, ended=None if length is None else at + timedelta(seconds=length))
