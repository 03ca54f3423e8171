"""The safety side of the timers: the current episode of spasm, which therapy suits it, and the calm notes
shown before a timer starts (heat early in an episode, long on-phases)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from ..durations import format_human
from ..storage import require_aware
from .kinds import Therapy
from .presets import TimerPreset

COLD_FIRST_HOURS = 72  # cold is usually advised for the first two to three days of an episode
LONG_PHASE_SECONDS = 20 * 60.0  # longer cold or heat at a time can harm the skin
EPISODE_EVENT = "episode_start"


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
        """Within the first 72 hours, when cold is usually advised rather than heat."""
        return self.age(now) < timedelta(hours=COLD_FIRST_HOURS)


def current_episode(journal: EpisodeJournal) -> Episode | None:
    """The latest episode recorded in the journal (its newest ``episode_start`` event), if any."""
    latest = journal.events(types=[EPISODE_EVENT], limit=1)
    return Episode(latest[-1].time) if latest else None


def start_episode(journal: EpisodeJournal, started: datetime) -> Episode:
    """Record that a new episode began at ``started`` (which may lie in the past: "yesterday evening")."""
    episode = Episode(require_aware(started, "an episode start"))
    journal.record(EPISODE_EVENT, now=episode.started)
    return episode


def suggested_therapy(episode_started: datetime | None, now: datetime) -> Therapy:
    """Cold during an episode's first 72 hours, heat after; cold when the start is unknown."""
    if episode_started is None:
        return Therapy.COLD
    return Therapy.COLD if Episode(episode_started).early(now) else Therapy.HEAT


def heat_warning(episode_started: datetime | None, now: datetime) -> str | None:
    """A calm note when heat is chosen in an episode's first 72 hours; None otherwise (or if unknown)."""
    if episode_started is None:
        return None
    episode = Episode(episode_started)
    if not episode.early(now):
        return None
    hours = int(episode.age(now).total_seconds() // 3600)
    when = "less than an hour ago" if hours < 1 else f"about {hours} hour{'s' if hours != 1 else ''} ago"
    return (
        f"This spasm started {when}. For the first two to three days, cold is usually advised rather than "
        "heat, because warmth can add to swelling early on. Guidelines differ, so you can still use heat if "
        "it helps you: keep it warm, not hot."
    )


def long_phase_warning(preset: TimerPreset) -> str | None:
    """A note when each on-phase is over 20 minutes, since longer cold or heat can harm the skin."""
    return long_on_warning(preset.therapy, preset.on)


def long_on_warning(therapy: Therapy, seconds: float) -> str | None:
    """The long-phase note for an on-phase of ``seconds`` (also for time added to a running phase)."""
    if seconds <= LONG_PHASE_SECONDS:
        return None
    what = Therapy(therapy).info.sensation
    return (
        f"Each round of {what} lasts {format_human(seconds)}. More than 20 minutes of {what} at a time can "
        "harm the skin; 15 to 20 minutes is usually enough. Check your skin often."
    )


def start_warnings(therapy: Therapy, on_seconds: float, episode_started: datetime | None, now: datetime) -> list[str]:
    """Every safety note to see before starting ``on_seconds`` of ``therapy``, the episode's first.

    The one place both the window's start button and ``spasmcoach timer PRESET`` get their notes from.
    """
    notes: list[str] = []
    if Therapy(therapy).info.discouraged_early:
        notes.append(heat_warning(episode_started, now) or "")
    notes.append(long_on_warning(therapy, on_seconds) or "")
    return [note for note in notes if note]
