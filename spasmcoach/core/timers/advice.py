"""The safety side of the timers: the current episode of spasm, which therapy suits it, and the calm notes
shown before a timer starts (heat early in an episode, long on-phases)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from ..durations import format_human
from ..i18n import _, ngettext
from ..storage import require_aware
from .kinds import Therapy
from .presets import TimerPreset

COLD_FIRST_HOURS = 72  # many find cold soothing in the first two to three days of an episode
LONG_PHASE_SECONDS = 20 * 60.0  # longer cold or heat at a time can harm the skin
EPISODE_EVENT = "episode_start"
END_EVENT = "episode_end"  # the diary's "My back has settled" (core.diary.episodes.END_EVENT)


class TimedRecord(Protocol):
    """A journal event as far as the episode lookup cares: when it happened."""

    @property
    def time(self) -> datetime: ...


class EpisodeJournal(Protocol):
    """The journal calls the episode needs (the real ``Journal`` has both)."""

    def record(self, type: str, *, data: Mapping[str, Any] | None = None, now: datetime | None = None) -> object: ...

    def events(self, *, types: Iterable[str] | None = None, limit: int | None = None) -> Sequence[TimedRecord]: ...


@dataclass(frozen=True)
class Episode:
    """One bout of back spasm, known by when it started (the journal's latest ``episode_start``)."""

    started: datetime

    def __post_init__(self) -> None:
        require_aware(self.started, "an episode start")

    def age(self, now: datetime) -> timedelta:
        """How long ago it started (zero if the start lies in the future)."""
        return max(require_aware(now) - require_aware(self.started), timedelta(0))

    def early(self, now: datetime) -> bool:
        """Within the first 72 hours, when many people find cold soothing (heat is fine too)."""
        return self.age(now) < timedelta(hours=COLD_FIRST_HOURS)


FUTURE_SLACK = timedelta(minutes=2)  # a start "now" typed on a clock a little ahead is still accepted


class FutureStartError(ValueError):
    """A spasm cannot have started in the future."""


def current_episode(journal: EpisodeJournal) -> Episode | None:
    """The episode the user told us about last: the most recently *entered* ``episode_start`` (a correction
    to an earlier time wins over the entry it corrects), not the one with the latest time; None when there is
    none, or when an ``episode_end`` ("My back has settled") was entered after it, at or after its start."""
    entries = journal.events(types=[EPISODE_EVENT, END_EVENT])
    ordered = sorted(enumerate(entries), key=lambda pair: (getattr(pair[1], "id", 0) or 0, pair[0]))
    latest: TimedRecord | None = None
    for _index, entry in ordered:
        kind = getattr(entry, "type", EPISODE_EVENT)
        if kind == EPISODE_EVENT:
            latest = entry
        elif latest is not None and require_aware(entry.time) >= require_aware(latest.time):
            latest = None  # settled: the next start begins a new episode
    return None if latest is None else Episode(latest.time)


def start_episode(journal: EpisodeJournal, started: datetime, now: datetime | None = None) -> Episode:
    """Record that a new episode began at ``started`` (which may lie in the past: "yesterday evening");
    FutureStartError if it lies in the future."""
    episode = Episode(require_aware(started, "an episode start"))
    moment = require_aware(now) if now is not None else datetime.now(episode.started.tzinfo)
    if episode.started > moment + FUTURE_SLACK:
        raise FutureStartError("The start of a spasm cannot be in the future. Choose a time up to now.")
    journal.record(EPISODE_EVENT, now=episode.started)
    return episode


def age_text(started: datetime, now: datetime) -> str:
    """How long ago, in plain words: 'less than an hour ago', 'about 1 hour ago', 'about 5 hours ago',
    '3 days ago' (from 48 hours on)."""
    hours = int(Episode(started).age(now).total_seconds() // 3600)
    if hours < 1:
        return _("less than an hour ago")
    if hours >= 48:
        days = round(hours / 24)
        return ngettext("{count} day ago", "{count} days ago", days).format(count=days)
    return ngettext("about {count} hour ago", "about {count} hours ago", hours).format(count=hours)


def suggested_therapy(episode_started: datetime | None, now: datetime) -> Therapy:
    """Cold to try first in an episode's first 72 hours, heat after; cold when the start is unknown."""
    if episode_started is None:
        return Therapy.COLD
    return Therapy.COLD if Episode(episode_started).early(now) else Therapy.HEAT


def heat_warning(episode_started: datetime | None, now: datetime) -> str | None:
    """A calm note when heat is chosen in an episode's first 72 hours; None otherwise (or if unknown).

    Only a note: heat is not harmful early. Per the Cochrane review of superficial heat or cold for low back
    pain, heat wraps have moderate evidence in acute pain and cold limited evidence; NICE NG59 stresses
    keeping active."""
    if episode_started is None:
        return None
    episode = Episode(episode_started)
    if not episode.early(now):
        return None
    return _(
        "A note: this spasm started {age}. Many people find cold soothing in the "
        "first two to three days, so you may like to try ice first. Heat is fine too if it helps you more: "
        "heat wraps have moderate evidence of easing a new back spasm (the evidence for cold is limited). "
        "Keep it warm, not hot."
    ).format(age=age_text(episode.started, now))


def long_phase_warning(preset: TimerPreset) -> str | None:
    """A note when each on-phase is over 20 minutes, since longer cold or heat can harm the skin."""
    return long_on_warning(preset.therapy, preset.on)


def long_on_warning(therapy: Therapy, seconds: float) -> str | None:
    """The long-phase note for an on-phase of ``seconds`` (also for time added to a running phase)."""
    if seconds <= LONG_PHASE_SECONDS:
        return None
    what = Therapy(therapy).info.sensation
    return _(
        "Each round of {what} lasts {length}. More than 20 minutes of {what} at a time can "
        "harm the skin; 15 to 20 minutes is usually enough. Check your skin often."
    ).format(what=what, length=format_human(seconds))


def start_warnings(therapy: Therapy, on_seconds: float, episode_started: datetime | None, now: datetime) -> list[str]:
    """Every safety note to see before starting ``on_seconds`` of ``therapy``, the episode's first.

    The one place both the window's start button and ``spasmcoach timer PRESET`` get their notes from.
    """
    notes: list[str] = []
    if Therapy(therapy).info.discouraged_early:
        notes.append(heat_warning(episode_started, now) or "")
    notes.append(long_on_warning(therapy, on_seconds) or "")
    return [note for note in notes if note]
