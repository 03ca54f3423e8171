"""The diary in the clinician's report: the course of the current episode, pain by area, relievers, triggers.

Plain rows of text, gathered without Qt; ``core.history.report_content`` collects them and
``documents.report`` lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import Any, Protocol

from spasmcoach.core.i18n import N_, _
from spasmcoach.core.wording import day_text, when_text

from .calendar import daily_pain
from .episodes import Episode, length_text
from .fhir import RatedEvent
from .vocabulary import AREAS, label_of

NOT_YET = N_("not yet")  # an episode still going on has not settled
NONE_NOTED = N_("none noted")  # no triggers were noted for an episode

Rows = list[list[str]]


class DiaryEvent(Protocol):
    """The fields of a journal event these rows read."""

    @property
    def time(self) -> datetime: ...
    @property
    def pain(self) -> int | None: ...
    @property
    def data(self) -> Mapping[str, Any]: ...


def _average(values: Sequence[int]) -> str:
    mean = sum(values) / len(values)
    return str(int(mean)) if mean.is_integer() else f"{mean:.1f}"


def course_rows(rated: Iterable[RatedEvent], episode: Episode | None, tz: tzinfo | None = None) -> Rows:
    """Day by day since the current episode began: highest, average, how many ratings, where (from check-ins)."""
    if episode is None:
        return []
    since = [e for e in rated if e.time >= episode.start and (episode.end is None or e.time <= episode.end)]
    days = daily_pain(since, tz=tz)
    return [
        [
            day_text(day.day),
            str(day.highest),
            f"{day.average:.1f}".removesuffix(".0"),
            str(day.count),
            "; ".join(label_of(AREAS, a) for a in day.areas),
        ]
        for day in days.values()
    ]


def area_rows(checkins: Iterable[DiaryEvent]) -> Rows:
    """Per body area named in check-ins: how often, the highest and the average pain; most named first."""
    by_area: dict[str, list[int]] = {}
    for event in checkins:
        areas = event.data.get("areas")
        if event.pain is None or not isinstance(areas, list):
            continue
        for area in areas:
            by_area.setdefault(str(area), []).append(event.pain)
    order = {term.id: index for index, term in enumerate(AREAS)}
    ranked = sorted(by_area.items(), key=lambda item: (-len(item[1]), order.get(item[0], len(order))))
    return [[label_of(AREAS, a), str(len(p)), str(max(p)), _average(p)] for a, p in ranked]


def reliever_rows(relievers: Iterable[DiaryEvent], tz: tzinfo | None = None) -> Rows:
    """Every pain reliever taken: when, the name and the amount in the person's words."""
    return [[when_text(e.time, tz), str(e.data.get("name") or ""), str(e.data.get("amount") or "")] for e in relievers]


def episode_rows(found: Iterable[Episode], first: date, last: date, tz: tzinfo | None = None) -> Rows:
    """The episodes that overlap first..last: started, settled, how long, triggers."""
    rows: Rows = []
    for episode in found:
        start_day = episode.start.astimezone(tz).date()
        end_day = episode.end.astimezone(tz).date() if episode.end else None
        if start_day > last or (end_day is not None and end_day < first):
            continue
        settled = when_text(episode.end, tz) if episode.end else (_(NOT_YET) if episode.ongoing else _("not said"))
        length = length_text(episode.length)
        if episode.ongoing:
            length = _("{length} so far").format(length=length)
        rows.append([when_text(episode.start, tz), settled, length, ", ".join(episode.trigger_labels) or _(NONE_NOTED)])
    return rows
