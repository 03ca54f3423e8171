"""Episodes of back spasm: from when the spasm started to when the person says it has settled, with triggers.

Stored as two event types, both plain journal events (no schema change):

* ``episode_start`` (the one the Timers page already writes) at the moment the spasm began; optional
  trigger tags (:data:`~.vocabulary.TRIGGERS`) live in its data as ``{"triggers": [...]}``. Tags added
  later are written onto that same start event (an edit, so the change log keeps the old value).
* ``episode_end`` at the moment the back settled ("My back has settled").

Reading follows the order the entries were *made* (their ids), so a correction behaves as people mean it:
a second start while an episode is open and within :data:`CORRECTION_WINDOW` of it corrects that start
(the latest entry wins, as on the Timers page); a second end corrects the end. A start further away, with no
end recorded in between, begins a new episode and leaves the earlier one "not marked as settled".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from spasmcoach.core.i18n import _, ngettext
from spasmcoach.core.journal import Op, Receipt, ops
from spasmcoach.core.storage import require_aware, utc_now

from .entries import FUTURE_SLACK
from .vocabulary import TRIGGERS, label_of, parse_terms

START_EVENT = "episode_start"  # the same type as core.timers.advice.EPISODE_EVENT
END_EVENT = "episode_end"
EPISODE_EVENTS = (START_EVENT, END_EVENT)
CORRECTION_WINDOW = timedelta(days=7)  # a new start this close to the open one corrects it


class EpisodeEvent(Protocol):
    """The fields of a journal event the episode list reads (the journal's ``Event`` has them)."""

    @property
    def id(self) -> int: ...
    @property
    def time(self) -> datetime: ...
    @property
    def type(self) -> str: ...
    @property
    def data(self) -> Mapping[str, Any]: ...


class EpisodeReader(Protocol):
    """The journal read episodes need."""

    def events(self, *, types: Iterable[str] | None = None) -> Sequence[EpisodeEvent]: ...


class EpisodeWriter(Protocol):
    """The journal's never-lose write (the real ``Journal`` has it): saved at once, or kept safe for later."""

    def submit(self, op: Op) -> Receipt: ...


@dataclass(frozen=True)
class Episode:
    """One bout of spasm: when it started, when it settled (None: not said yet), its triggers and length.

    ``length`` is end minus start; for the newest episode still open it is the time so far (``ongoing``);
    for an older one never marked as settled it is None.
    """

    start: datetime
    end: datetime | None
    triggers: tuple[str, ...]
    length: timedelta | None
    ongoing: bool = False
    start_id: int = 0  # the start entry the triggers are kept on
    end_id: int | None = None

    @property
    def trigger_labels(self) -> list[str]:
        """The triggers in words."""
        return [label_of(TRIGGERS, t) for t in self.triggers]


@dataclass
class _Open:
    start: datetime
    start_id: int
    triggers: tuple[str, ...] = ()
    end: datetime | None = None
    end_id: int | None = None
    ids: list[int] = field(default_factory=list)


def _triggers_of(data: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The trigger tags stored on a start event (unknown ones kept as stored); None when it has none."""
    raw = data.get("triggers")
    if not isinstance(raw, list):
        return None
    return tuple(dict.fromkeys(str(t) for t in raw if isinstance(t, str)))


def list_episodes(events: Iterable[EpisodeEvent], *, now: datetime | None = None) -> list[Episode]:
    """The episodes in ``events`` (start and end entries in any order), oldest first."""
    moment = require_aware(now or utc_now())
    ordered = sorted((e for e in events if e.type in EPISODE_EVENTS), key=lambda e: e.id)
    found: list[_Open] = []
    current: _Open | None = None
    for event in ordered:
        when = require_aware(event.time)
        if event.type == START_EVENT:
            tags = _triggers_of(event.data)
            if current is not None and current.end is None and abs(when - current.start) <= CORRECTION_WINDOW:
                current.start, current.start_id = when, event.id  # a correction: the latest entry wins
                if tags is not None:
                    current.triggers = tags
                continue
            current = _Open(when, event.id, tags or ())
            found.append(current)
        elif current is not None and when >= current.start:
            current.end, current.end_id = when, event.id  # an end, or a correction of it
    episodes: list[Episode] = []
    for index, item in enumerate(found):
        newest = index == len(found) - 1
        if item.end is not None:
            length: timedelta | None = item.end - item.start
        elif newest:
            length = max(moment - item.start, timedelta(0))
        else:
            length = None
        episodes.append(
            Episode(
                item.start, item.end, item.triggers, length, item.end is None and newest, item.start_id, item.end_id
            )
        )
    return episodes


def episodes(journal: EpisodeReader, *, now: datetime | None = None) -> list[Episode]:
    """Every episode in the journal, oldest first."""
    return list_episodes(journal.events(types=list(EPISODE_EVENTS)), now=now)


def open_episode(journal: EpisodeReader, *, now: datetime | None = None) -> Episode | None:
    """The episode going on now (started, not yet settled), if any."""
    found = episodes(journal, now=now)
    return found[-1] if found and found[-1].ongoing else None


def _past(moment: datetime | None, now: datetime, what: str) -> datetime:
    when = require_aware(moment if moment is not None else now, what)
    if when > require_aware(now) + FUTURE_SLACK:
        raise ValueError(_("{what} lies in the future; give a time that has passed").format(what=what))
    return when


def start(
    journal: EpisodeWriter, *, at: datetime | None = None, triggers: Iterable[str] = (), now: datetime | None = None
) -> Receipt:
    """Record that a spasm started at ``at`` (default now), with its trigger tags; the journal's receipt.

    ValueError for a time in the future or an unknown trigger (naming it and the known ones).
    """
    when = _past(at, now or utc_now(), _("the start of the spasm"))
    tags = parse_terms(triggers, TRIGGERS, "trigger")
    return journal.submit(ops.event(START_EVENT, data={"triggers": list(tags)} if tags else None, now=when))


def end(
    journal: EpisodeWriter,
    current: Episode | None,
    *,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Receipt:
    """Record that the back has settled at ``at`` (default now), ending ``current``; the journal's receipt.

    ValueError when there is no episode to end, or the end lies in the future or before the start.
    """
    if current is None:
        raise ValueError(_("there is no episode going on to end (record when the spasm started first)"))
    when = _past(at, now or utc_now(), _("the time it settled"))
    if when < current.start:
        raise ValueError(_("the time it settled lies before the spasm started; give a later time"))
    return journal.submit(ops.event(END_EVENT, now=when))


def trigger_data(stored: Mapping[str, Any], triggers: Iterable[str]) -> dict[str, Any]:
    """A start event's data with its trigger tags replaced (checked; other keys kept)."""
    tags = parse_terms(triggers, TRIGGERS, "trigger")
    return {**stored, "triggers": list(tags)}


def length_text(length: timedelta | None) -> str:
    """'3 days 4 hours', '5 hours', '20 minutes', or 'not known' — how long an episode lasted."""
    if length is None:
        return _("not known")
    minutes = int(length.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    hours_text = ngettext("{count} hour", "{count} hours", hours).format(count=hours)
    if days:
        days_text = ngettext("{count} day", "{count} days", days).format(count=days)
        return _("{days} {hours}").format(days=days_text, hours=hours_text) if hours else days_text
    if hours:
        return hours_text
    mins = max(mins, 0)
    return ngettext("{count} minute", "{count} minutes", mins).format(count=mins)


def describe(episode: Episode, tz: Any = None) -> str:
    """One line: 'Started 2026-11-01 08:30, settled 2026-11-04 18:00 (3 days 9 hours); triggers: Lifting'."""
    begun = episode.start.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if episode.end is not None:
        line = _("Started {start}, settled {end} ({length})").format(
            start=begun, end=episode.end.astimezone(tz).strftime("%Y-%m-%d %H:%M"), length=length_text(episode.length)
        )
    elif episode.ongoing:
        line = _("Started {start}, going on for {length}").format(start=begun, length=length_text(episode.length))
    else:
        line = _("Started {start}, not marked as settled").format(start=begun)
    triggers = ", ".join(episode.trigger_labels)
    return _("{episode}; triggers: {triggers}").format(episode=line, triggers=triggers) if triggers else line


def to_json(episode: Episode) -> dict[str, Any]:
    """The episode as JSON for ``spasmcoach episodes --json``."""
    return {
        "start": episode.start.isoformat(timespec="seconds"),
        "end": None if episode.end is None else episode.end.isoformat(timespec="seconds"),
        "ongoing": episode.ongoing,
        "length_seconds": None if episode.length is None else round(episode.length.total_seconds()),
        "triggers": list(episode.triggers),
    }
