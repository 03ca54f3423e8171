"""What the clinician's report says, gathered without Qt: the range, the summary and the rows of each table.

The PDF layout (``spasmcoach.documents.report``) only draws this content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from ..journal import Journal
from ..timers.kinds import Therapy
from ..wording import length_text, long_day_text, pain_change_text, plural, short_day_text, times_text, when_text
from .records import History, SessionRow, TimerUse, load_history, preset_titles
from .rules import Insight, insights_from, routine_changes

__all__ = [
    "DISCLAIMER",
    "REPORT_TITLE",
    "ReportContent",
    "ReportResult",
    "Rows",
    "gather",
    "routine_rows",
    "session_rows",
    "stop_rows",
    "summary_lines",
    "timer_rows",
]

REPORT_TITLE = "SpasmCoach report for your clinician"
DISCLAIMER = (
    "Kept by the patient with SpasmCoach, a self-help app for back muscle spasm. It is not medical advice "
    "and not a diagnosis. Pain is rated by the patient from 0 (no pain) to 10 (worst pain), "
    "shown as before → after each session."
)

Rows = list[list[str]]


@dataclass(frozen=True)
class ReportResult:
    """What was written: the file, its page count and how many entries it lists."""

    path: Path
    pages: int
    sessions: int
    stops: int
    timers: int
    first: date
    last: date


@dataclass(frozen=True)
class DiaryRows:
    """The diary's tables: the current episode day by day, pain by area, relievers, episodes and triggers."""

    course: Rows
    areas: Rows
    relievers: Rows
    episodes: Rows


@dataclass(frozen=True)
class ReportContent:
    """Everything the report shows, gathered before drawing."""

    history: History
    first: date
    last: date
    made: datetime
    summary: list[str]
    tz: tzinfo | None
    diary: DiaryRows = field(default_factory=lambda: DiaryRows([], [], [], []))

    def result(self, path: Path, pages: int) -> ReportResult:
        """The summary of a report of this content written to ``path``."""
        history = self.history
        return ReportResult(
            path, pages, len(history.sessions), len(history.stops), len(history.timers), self.first, self.last
        )


def summary_lines(history: History, found: Sequence[Insight], episode: datetime | None, tz: tzinfo | None) -> list[str]:
    """The few plain sentences at the top of the report."""
    lines: list[str] = []
    sessions = history.sessions
    if sessions:
        completed = sum(1 for s in sessions if s.outcome == "completed")
        stopped = sum(1 for s in sessions if s.stopped_for_pain)
        line = f"{plural(len(sessions), 'session')} of {plural(len({s.routine for s in sessions}), 'routine')}: "
        line += f"{completed} completed"
        line += f", {stopped} stopped because pain increased." if stopped else "."
        lines.append(line)
    else:
        lines.append("No routines were done in this period.")
    by_key = {i.key: i.text for i in found}
    if "overall" in by_key:
        lines.append(by_key["overall"])
    if episode is not None:
        lines.append(f"This spasm started on {long_day_text(episode.astimezone(tz).date())}.")
    return [line for line in lines if line]


def gather(
    journal: Journal,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
    titles: Mapping[str, str] | None = None,
    tz: tzinfo | None = None,
) -> ReportContent:
    """Read the journal for [since, until) and prepare the report's words."""
    from ..timers import current_episode

    made = now or datetime.now(UTC)
    history = load_history(journal, since=since, until=until, titles=preset_titles() if titles is None else titles)
    today = made.astimezone(tz).date()
    start = history.first_time()
    first = since.astimezone(tz).date() if since else (start.astimezone(tz).date() if start else today)
    last = (until - timedelta(microseconds=1)).astimezone(tz).date() if until else today
    last = max(first, last)
    episode = current_episode(journal)
    started = None if episode is None else episode.started
    found = insights_from(history, week=[], episode_started=started, now=made, tz=tz)
    lines = summary_lines(history, found, started, tz)
    return ReportContent(history, first, last, made, lines, tz, _diary_rows(journal, history, first, last, made, tz))


def _diary_rows(
    journal: Journal, history: History, first: date, last: date, made: datetime, tz: tzinfo | None
) -> DiaryRows:
    """The diary's tables for the report (the current episode is read whole, even before ``first``)."""
    from ..diary import episodes, summary
    from ..diary.fhir import RATED_EVENTS

    found = episodes.episodes(journal, now=made)
    current = found[-1] if found else None  # the latest episode, going on or settled
    rated = journal.events(since=current.start, types=list(RATED_EVENTS)) if current else []
    return DiaryRows(
        course=summary.course_rows(rated, current, tz) if any(e.type == "checkin" for e in rated) else [],
        areas=summary.area_rows(history.checkins),
        relievers=summary.reliever_rows(history.relievers, tz),
        episodes=_beyond_summary(summary.episode_rows(found, first, last, tz)),
    )


def _beyond_summary(rows: Rows) -> Rows:
    """The episode rows, unless they only repeat the summary's "This spasm started on …" (one episode going
    on, no triggers): then none, so a typical week stays on one page."""
    if len(rows) == 1 and rows[0][1] == "not yet" and rows[0][3] == "none noted":
        return []
    return rows


def routine_rows(history: History) -> Rows:
    """One row per routine done: times, completed, stopped for pain, average pain change; most done first."""
    changes = {c.routine: c for c in routine_changes(history.sessions)}
    by_routine: dict[str, list[SessionRow]] = {}
    for session in history.sessions:
        by_routine.setdefault(session.routine, []).append(session)
    rows: Rows = []
    for rid, sessions in sorted(by_routine.items(), key=lambda item: (-len(item[1]), item[1][-1].title)):
        change = changes.get(rid)
        rows.append(
            [
                sessions[-1].title,
                str(len(sessions)),
                str(sum(1 for s in sessions if s.outcome == "completed")),
                str(sum(1 for s in sessions if s.stopped_for_pain)),
                "not rated" if change is None else f"{pain_change_text(change.average)} ({change.rated} rated)",
            ]
        )
    return rows


def session_rows(history: History, tz: tzinfo | None) -> Rows:
    """Every session: when, routine, result, length, pain before → after."""
    return [
        [when_text(s.started, tz), s.title, s.result, length_text(s.duration), s.pain_text or "not rated"]
        for s in history.sessions
    ]


def stop_rows(history: History, tz: tzinfo | None) -> Rows:
    """Every pain stop: when, routine and step, pain, symptoms, note."""
    return [
        [
            when_text(p.time, tz),
            f"{p.title}: {p.where}",
            "not rated" if p.pain is None else str(p.pain),
            p.symptoms_text or "none noted",
            p.note or "",
        ]
        for p in history.stops
    ]


def timer_rows(history: History, tz: tzinfo | None) -> Rows:
    """Ice and heat use per timer: kind, how often, cancelled, time in all, on which days."""
    grouped: dict[str, list[TimerUse]] = {}
    for use in history.timers:
        grouped.setdefault(use.title, []).append(use)
    rows: Rows = []
    for title, uses in sorted(grouped.items(), key=lambda item: item[1][0].started):
        total = sum(u.duration or 0 for u in uses)
        cancelled = sum(1 for u in uses if u.outcome == "cancelled")
        rows.append(
            [
                title,
                (Therapy.named(uses[0].therapy) or Therapy.HEAT).label,  # unknown: heat, as before
                times_text(len(uses)),
                str(cancelled) if cancelled else "",
                length_text(total) if total else "",
                ", ".join(dict.fromkeys(short_day_text(u.started.astimezone(tz).date()) for u in uses)),
            ]
        )
    return rows
