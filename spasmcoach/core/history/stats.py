"""Per-routine statistics for the library's details pane: how often a routine was done, how pain changed after
it, and its latest pain stop, in one line of words.

Apart from the History page's modules (``records``, ``rules``): the library shows this line at start-up, and
needs neither the diary nor the reading of a whole history for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

from ..i18n import _
from ..pain import pain_change
from ..wording import SAME_THRESHOLD, ago, points_text, times_text, title_from_id
from .stops import StopRow, stop_row

if TYPE_CHECKING:
    from ..journal import Event, Session

__all__ = ["RoutineStats", "routine_stats", "routine_stats_text"]


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
        text = _("Not done yet.")
    else:
        text = _("Done {times}, last {when}.").format(
            times=times_text(stats.times_done), when=ago(stats.last_done, now, tz)
        )
    change = stats.average_change
    if change is not None:  # one whole sentence per case, so each language keeps its own word order
        if abs(change) < SAME_THRESHOLD:
            pain = _("Pain stayed about the same afterwards.")
        elif change < 0:
            pain = _("Pain went down by {points} on average afterwards.")
        else:
            pain = _("Pain went up by {points} on average afterwards.")
        text += " " + pain.format(points=points_text(change))
    if stats.last_stop is not None:
        stop = stats.last_stop
        step = stop.step or _("an unknown step")
        when = ago(stop.time, now, tz)
        if stop.symptoms:
            last = _("Last stop: {step} ({symptoms}), {when}.").format(
                step=step, symptoms=stop.symptoms_text, when=when
            )
        else:
            last = _("Last stop: {step}, {when}.").format(step=step, when=when)
        text += " " + last
    return text
