"""Pain per day for the diary's calendar: every rating a person gave that day, as its highest and average.

Ratings come from check-ins, before and after routines, and stops because pain increased (the same set
as the FHIR export). Days are the person's local days, so a rating at 23:30 belongs to that evening.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from ..storage import parse_time
from .fhir import RATED_EVENTS, RatedEvent

CALENDAR_WEEKS = 26  # the calendar shows at most this many weeks, the range's latest (half a year)


class DayMeasure(StrEnum):
    """How a day's ratings become one colour: its highest rating, or their average."""

    HIGHEST = "highest"
    AVERAGE = "average"


@dataclass(frozen=True)
class DayPain:
    """One local day's ratings: how many, the highest, the average, and the areas named in check-ins."""

    day: date
    count: int
    highest: int
    average: float
    areas: tuple[str, ...]

    def value(self, measure: DayMeasure) -> float:
        """The number the calendar colours this day by."""
        return float(self.highest) if measure is DayMeasure.HIGHEST else self.average


def _local_day(moment: datetime, tz: tzinfo | None) -> date:
    return moment.astimezone(tz).date()


def daily_pain(
    events: Iterable[RatedEvent],
    *,
    tz: tzinfo | None = None,
    area: str | None = None,
) -> dict[date, DayPain]:
    """Each local day with at least one rating, keyed by day; ``area`` keeps check-ins naming that area only.

    With an ``area`` filter, ratings that name no area (routines, stops) are left out: they say nothing
    about that area.
    """
    ratings: dict[date, list[int]] = defaultdict(list)
    areas: dict[date, dict[str, None]] = defaultdict(dict)
    for event in events:
        if event.type not in RATED_EVENTS or event.pain is None:
            continue
        named = [a for a in event.data.get("areas", []) if isinstance(a, str)]
        if area is not None and area not in named:
            continue
        day = _local_day(event.time, tz)
        ratings[day].append(event.pain)
        for name in named:
            areas[day][name] = None
    return {
        day: DayPain(day, len(values), max(values), sum(values) / len(values), tuple(areas[day]))
        for day, values in sorted(ratings.items())
    }


class LocalDays:
    """Local days of many moments (stored times such as '2026-11-21T08:05:00.000+00:00', or UTC datetimes),
    the zone looked up once per UTC day.

    On a UTC day at one offset all day (every day but those of a clock change), a moment's local day is its
    UTC day, the one before or the one after, by its time of day plus the offset; on other days, and for
    other forms, each moment is converted. Exactly ``moment.astimezone(tz).date()``, at a fraction of its cost.
    """

    def __init__(self, tz: tzinfo | None = None) -> None:
        self.tz = tz
        self._texts: dict[str, tuple[int, tuple[date, date, date]] | None] = {}
        self._ordinals: dict[int, tuple[int, tuple[date, date, date]] | None] = {}

    def of(self, text: str) -> date:
        """The local day of one stored time."""
        if len(text) == 29 and text.endswith("+00:00") and text[10] == "T" and text[13] == text[16] == ":":
            utc_day = text[:10]
            try:
                known = self._texts[utc_day]
            except KeyError:
                try:
                    known = self._texts[utc_day] = self._one_offset(date.fromisoformat(utc_day))
                except ValueError:
                    known = self._texts[utc_day] = None
            if known is not None:
                offset, days = known
                seconds = int(text[11:13]) * 3600 + int(text[14:16]) * 60 + int(text[17:19]) + offset
                return days[seconds // 86400 + 1]  # seconds: -86400 < seconds < 2 * 86400
        return parse_time(text).astimezone(self.tz).date()

    def of_moment(self, moment: datetime) -> date:
        """The local day of one aware datetime."""
        if moment.tzinfo is UTC:
            ordinal = moment.toordinal()
            try:
                known = self._ordinals[ordinal]
            except KeyError:
                known = self._ordinals[ordinal] = self._one_offset(date.fromordinal(ordinal))
            if known is not None:
                offset, days = known
                return days[(moment.hour * 3600 + moment.minute * 60 + moment.second + offset) // 86400 + 1]
        return moment.astimezone(self.tz).date()

    def _one_offset(self, day: date) -> tuple[int, tuple[date, date, date]] | None:
        """The UTC day's offset in whole seconds, if it is the same all day, and the days before, of and after."""
        start = datetime.combine(day, time(0), UTC)
        try:
            offsets = {(start + step).astimezone(self.tz).utcoffset() for step in _DAY_PROBES}
        except (OverflowError, ValueError):  # the first or last day a datetime can hold
            return None
        if len(offsets) != 1:
            return None
        (offset,) = offsets
        if offset is None or offset % timedelta(seconds=1) or abs(offset) >= timedelta(days=1):
            return None
        try:
            return int(offset.total_seconds()), (day - timedelta(days=1), day, day + timedelta(days=1))
        except OverflowError:
            return None


# Moments of a UTC day at which its offset is looked up (clocks change at most once a day: at its start and
# end the same offset means the same all day).
_DAY_PROBES = (timedelta(0), timedelta(days=1, microseconds=-1))


def daily_pain_of(
    ratings: Iterable[tuple[str, Any]],
    named: Iterable[RatedEvent] = (),
    *,
    tz: tzinfo | None = None,
    local: LocalDays | None = None,
) -> dict[date, DayPain]:
    """``daily_pain`` of all areas from the ratings alone: (stored time, pain) of every rating, and as events
    those ratings that name areas (a check-in's ``data["areas"]``), for the areas of each day. ``local``:
    the days already worked out for ``tz`` (its ``tz`` is used then)."""
    local = local or LocalDays(tz)
    ratings_by_day: dict[date, list[int]] = defaultdict(list)
    for text, pain in ratings:
        if pain is not None:
            ratings_by_day[local.of(text)].append(pain)
    areas: dict[date, dict[str, None]] = defaultdict(dict)
    for event in named:
        if event.type in RATED_EVENTS and event.pain is not None:
            day = local.of_moment(event.time)
            for name in event.data.get("areas", []):
                if isinstance(name, str):
                    areas[day][name] = None
    return {
        day: DayPain(day, len(values), max(values), sum(values) / len(values), tuple(areas.get(day, ())))
        for day, values in sorted(ratings_by_day.items())
    }


def weeks(first: date, last: date) -> list[Sequence[date]]:
    """Monday-to-Sunday weeks covering first..last (whole weeks, so the calendar is a clean grid)."""
    if last < first:
        first, last = last, first
    start = first - timedelta(days=first.weekday())
    grid: list[Sequence[date]] = []
    while start <= last:
        grid.append(tuple(start + timedelta(days=i) for i in range(7)))
        start += timedelta(days=7)
    return grid
