"""What the clinician's report says, gathered without Qt: the range, the summary and the rows of each table.

The PDF layout (``spasmcoach.documents.report``) only draws this content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from ..i18n import N_, _, ngettext
from ..journal import Journal
from ..locale_format import format_integer
from ..model import Routine
from ..timers.kinds import Therapy
from ..wording import (
    date_text,
    length_text,
    long_day_text,
    pain_change_text,
    short_day_text,
    times_text,
    when_text,
)
from .records import History, SessionRow, TimerUse, load_history, preset_titles
from .rules import Insight, insights_from, routine_changes

__all__ = [
    "DISCLAIMER",
    "REPORT_TITLE",
    "ReportContent",
    "ReportResult",
    "Rows",
    "gather",
    "newest_rows",
    "prescribed_rows",
    "routine_rows",
    "session_rows",
    "shorten_note",
    "stop_rows",
    "summary_lines",
    "timer_rows",
]

# English msgids: shown through _() where drawn (the language is chosen after import).
REPORT_TITLE = N_("SpasmCoach report for your clinician")
DISCLAIMER = N_(
    "Kept by the patient with SpasmCoach, a self-help app for back muscle spasm. It is not medical advice "
    "and not a diagnosis. Pain is rated by the patient from 0 (no pain) to 10 (worst pain), "
    "shown as before → after each session."
)

Rows = list[list[str]]

# Bounds, so a five-year journal or a pasted essay still makes a report of a few pages in a few seconds.
MAX_NOTE_CHARS = 400  # per note; the CSV export keeps every word
MAX_TABLE_ROWS = 100  # per long table (sessions, pain stops, relievers): the newest are listed
MAX_TIMER_DAYS = 14  # days named per ice or heat timer


def shorten_note(note: str, limit: int = MAX_NOTE_CHARS) -> str:
    """``note`` as the report prints it: whole up to ``limit`` characters, else cut at a word and marked."""
    if len(note) <= limit:
        return note
    cut = note[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:  # end at a word when one ends in the second half
        cut = cut[:space]
    return cut.rstrip() + " " + _("… (note shortened; full text in the CSV)")


def newest_rows(rows: Rows, limit: int = MAX_TABLE_ROWS) -> tuple[Rows, int]:
    """The last ``limit`` rows (the newest, for tables in time order) and how many earlier ones were left out."""
    if len(rows) <= limit:
        return rows, 0
    return rows[-limit:], len(rows) - limit


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
    prescribed: Rows = field(default_factory=list)  # see prescribed_rows
    scheduled: Rows = field(default_factory=list)  # see scheduled_rows

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
        count = ngettext("{count} session", "{count} sessions", len(sessions)).format(count=len(sessions))
        routines = len({s.routine for s in sessions})
        of = ngettext("{sessions} of {count} routine", "{sessions} of {count} routines", routines)
        done = of.format(sessions=count, count=routines)
        if stopped:
            line = _("{done}: {completed} completed, {stopped} stopped because pain increased.")
        else:
            line = _("{done}: {completed} completed.")
        lines.append(line.format(done=done, completed=completed, stopped=stopped))
    else:
        lines.append(_("No routines were done in this period."))
    by_key = {i.key: i.text for i in found}
    if "overall" in by_key:
        lines.append(by_key["overall"])
    if episode is not None:
        lines.append(_("This spasm started on {day}.").format(day=long_day_text(episode.astimezone(tz).date())))
    return [line for line in lines if line]


def gather(
    journal: Journal,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
    titles: Mapping[str, str] | None = None,
    tz: tzinfo | None = None,
    prescribed: Sequence[Routine] | None = None,
) -> ReportContent:
    """Read the journal for [since, until) and prepare the report's words.

    ``prescribed`` are the routines someone prescribed (by default, those in the user's library).
    """
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
    diary = _diary_rows(journal, history, first, last, made, tz)
    routines = _prescribed_routines() if prescribed is None else prescribed
    named = {s.routine: s.title for s in history.sessions} | {r.id: r.title for r in routines}
    scheduled = scheduled_rows(journal, since, until, named)
    return ReportContent(history, first, last, made, lines, tz, diary, prescribed_rows(history, routines), scheduled)


def _prescribed_routines() -> list[Routine]:
    """The prescribed routines in the user's library (a library that cannot be read has none)."""
    from ..routine_cache import load_library_cached  # parsed routines kept as JSON: no YAML work when unchanged

    try:
        return [r for r in load_library_cached().sorted() if r.prescribed]
    except Exception:  # the report is still worth having without this section
        return []


def prescribed_rows(history: History, routines: Sequence[Routine]) -> Rows:
    """One row per prescribed routine, done or not: who prescribed it and when, the review date, how often it
    was done in the period, completed, and stopped because of pain."""
    rows: Rows = []
    for routine in routines:
        if not routine.prescribed:
            continue
        sessions = [s for s in history.sessions if s.routine == routine.id]
        prescribed = routine.prescribed_by or _("not named")
        if routine.prescribed_on is not None:
            prescribed = _("{who}, on {day}").format(who=prescribed, day=date_text(routine.prescribed_on))
        rows.append(
            [
                routine.title,
                prescribed,
                date_text(routine.review_on) if routine.review_on else "",
                str(len(sessions)),
                str(sum(1 for s in sessions if s.outcome == "completed")),
                str(sum(1 for s in sessions if s.stopped_for_pain)),
            ]
        )
    return rows


def scheduled_rows(
    journal: Journal, since: datetime | None, until: datetime | None, titles: Mapping[str, str] | None = None
) -> Rows:
    """One row per routine reminder at set times: how often it came up in the period, and how often the
    routine was started from it (the answers the Reminders page journals)."""
    from ..reminders.events import EVENT_TYPES, scheduled_done

    found = journal.events(since=since, until=until, types=EVENT_TYPES)
    routine_of = {str(e.data.get("reminder")): e.routine or "" for e in found if e.data.get("kind") == "routine"}
    names = titles or {}
    return [
        [names.get(routine_of[key], routine_of[key] or key), str(shown), str(taken)]
        for key, (shown, taken) in scheduled_done(found).items()
    ]


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
    from ..diary.summary import NONE_NOTED, NOT_YET

    if len(rows) == 1 and rows[0][1] == _(NOT_YET) and rows[0][3] == _(NONE_NOTED):
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
                _("not rated")
                if change is None
                else _("{change} ({count} rated)").format(change=pain_change_text(change.average), count=change.rated),
            ]
        )
    return rows


def session_rows(history: History, tz: tzinfo | None) -> Rows:
    """Every session: when, routine, result, length, pain before → after."""
    return [
        [when_text(s.started, tz), s.title, s.result, length_text(s.duration), s.pain_text or _("not rated")]
        for s in history.sessions
    ]


def stop_rows(history: History, tz: tzinfo | None) -> Rows:
    """Every pain stop: when, routine and step, pain, symptoms, note."""
    return [
        [
            when_text(p.time, tz),
            _("{routine}: {step}").format(routine=p.title, step=p.where),
            _("not rated") if p.pain is None else str(p.pain),
            p.symptoms_text or _("none noted"),
            shorten_note(p.note or ""),
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
                _day_list([short_day_text(d) for d in dict.fromkeys(u.started.astimezone(tz).date() for u in uses)]),
            ]
        )
    return rows


def _day_list(days: Sequence[str], limit: int = MAX_TIMER_DAYS) -> str:
    """'Mon 16 Nov, Tue 17 Nov', or the latest ``limit`` days and how many earlier ones there were."""
    if len(days) <= limit:
        return ", ".join(days)
    earlier = len(days) - limit
    more = ngettext("(and {count} earlier day)", "(and {count} earlier days)", earlier).format(
        count=format_integer(earlier)
    )
    return ", ".join(days[-limit:]) + " " + more
