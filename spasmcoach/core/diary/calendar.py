"""Pain per day for the diary's calendar: every rating a person gave that day, as its highest and average.

Ratings come from check-ins, before and after routines, and stops because pain increased (the same set
as the FHIR export). Days are the person's local days, so a rating at 23:30 belongs to that evening.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from .fhir import RATED_EVENTS, RatedEvent


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
