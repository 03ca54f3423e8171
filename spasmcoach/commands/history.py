"""Terminal commands for the history: ``spasmcoach log [--json | --csv]`` and ``spasmcoach report -o FILE.pdf``.

Neither creates a journal that does not exist yet. A journal in a read-only folder (or a read-only file)
is read without changing anything. A damaged journal is set aside (as the window does) and the command
says so, naming where the old file went, and fails: it never prints "No entries." for a journal it lost.
``report`` loads Qt (QtGui only, on the offscreen platform unless QT_QPA_PLATFORM says otherwise), so
it works over SSH and without a display.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from spasmcoach.core import paths
from spasmcoach.core.history import write_events_csv
from spasmcoach.core.i18n import N_, _, ngettext
from spasmcoach.core.journal import Event, Journal, JournalError, check_path_length, event_to_json
from spasmcoach.core.storage import StorageError, check_regular_or_missing
from spasmcoach.core.wording import day_range, in_sentence, range_text

from .common import UsageError, clean, ensure_gui_app, parse_since, warn

DEFAULT_REPORT_DAYS = 7  # without --since (and no recorded spasm start): today and the six days before


def diary_words(event: Event) -> list[str]:
    """The diary's own fields of ``event`` in words (empty for other events)."""
    from spasmcoach.core.diary import AREAS, HELPED, QUALITIES, TRIGGERS, label_of

    data = event.data
    words = [str(data.get(k) or "") for k in ("name", "amount")] if event.type == "reliever_taken" else []
    for key, terms in (("areas", AREAS), ("qualities", QUALITIES), ("helped", HELPED), ("triggers", TRIGGERS)):
        stored = data.get(key)
        values = stored if isinstance(stored, list) else []
        named = ", ".join(in_sentence(label_of(terms, str(v))) for v in values)
        words.append((_("helped: {what}").format(what=named) if key == "helped" else named) if named else "")
    return words


def timer_words(type_: str, data: dict[str, object]) -> str:
    """'ice on, cycle 2 of 3' / 'break, cycle 1 of 3' / 'finished': where a timer event left the timer."""
    if type_ in ("timer_end", "timer_cancel"):
        return _("finished") if type_ == "timer_end" else _("cancelled")
    on = _("heat on") if data.get("therapy") == "heat" else _("ice on")
    what = {"on": on, "off": _("break")}.get(str(data.get("phase")), "")
    cycle, cycles = data.get("cycle"), data.get("cycles")
    if isinstance(cycle, int) and isinstance(cycles, int) and cycles > 1:
        what += _(", cycle {cycle} of {cycles}").format(cycle=cycle, cycles=cycles)
    return what


# What each kind of journal entry is called in ``spasmcoach log`` (the stored type stays as it is).
EVENT_WORDS = {
    "session_start": N_("session start"), "session_end": N_("session end"), "session_pain": N_("session pain"),
    "pain_stop": N_("pain stop"), "checkin": N_("checkin"), "reliever_taken": N_("reliever taken"),
    "episode_start": N_("episode start"), "episode_end": N_("episode end"), "timer_start": N_("timer start"),
    "timer_phase": N_("timer phase"), "timer_end": N_("timer end"), "timer_cancel": N_("timer cancel"),
}  # fmt: skip


def describe_event(event: Event) -> str:
    """One readable, terminal-safe line for ``spasmcoach log``."""
    when = event.time.astimezone().strftime("%Y-%m-%d %H:%M")
    kind = _(EVENT_WORDS[event.type]) if event.type in EVENT_WORDS else event.type.replace("_", " ")
    parts = [event.routine or str(event.data.get("preset", "") or "")]
    if event.step:
        where = [event.phase.replace("_", " ") if event.phase else "", event.side or "",
                 _("rep {rep}").format(rep=event.rep) if event.rep else "",
                 "" if event.seconds is None else _("{seconds:.0f} s in").format(seconds=event.seconds)]  # fmt: skip
        detail = ", ".join(w for w in where if w)
        parts.append(_("at {step}").format(step=event.step) + (f" ({detail})" if detail else ""))
    if event.type == "session_end" and event.data.get("outcome"):
        parts.append(str(event.data["outcome"]))
    if event.type.startswith("timer_"):
        parts.append(timer_words(event.type, event.data))
    parts += diary_words(event)  # a check-in's areas and qualities, a reliever's name and amount, triggers
    if event.pain is not None:
        parts.append(_("pain {pain}").format(pain=event.pain))
    if event.symptoms:
        parts.append(", ".join(event.symptoms))
    if event.note:
        parts.append(f"“{event.note}”")
    return clean(f"{when}  {kind:<14} " + " · ".join(p for p in parts if p))


def journal_exists() -> bool:
    """Whether there is a journal to read; UsageError (naming the limit) for a path too long to use."""
    path = paths.journal_path()
    try:
        check_path_length(path)
        return path.exists()
    except JournalError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(
            _("cannot use the journal {path}: {value}").format(path=path, value=exc.strerror or exc)
        ) from None


def open_for_reading() -> Journal:
    """The journal, opened to read: read-only where it cannot be written; UsageError if it was damaged."""
    try:
        journal = Journal.open()
    except JournalError as exc:
        try:
            journal = Journal.open_readonly()
        except JournalError as read_only_exc:
            raise UsageError(str(read_only_exc)) from None
        warn(_("spasmcoach: the journal was opened read-only ({exc})").format(exc=exc))
    if journal.recovered_from is not None:
        path, aside = journal.path, journal.recovered_from
        journal.close()
        raise UsageError(
            _(
                "the journal {path} was damaged and could not be read. The damaged file was kept as "
                "{aside}, and a new, empty journal was started in its place"
            ).format(path=path, aside=aside)
        )
    return journal


def cmd_log(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach log [--json] [--since DATE] [--limit N]``; ``--csv`` goes to :func:`cmd_log_csv`."""
    if getattr(args, "csv", False):
        return cmd_log_csv(args, out)
    if not journal_exists():
        if not args.json:
            out.write(_("The journal is empty: nothing has been logged yet.\n"))
        return 0
    since = parse_since(args.since) if args.since else None
    try:
        with open_for_reading() as journal:
            events = journal.events(since=since)
    except JournalError as exc:
        raise UsageError(str(exc)) from None
    if args.limit and not args.since:
        events = events[-args.limit :]
    for event in events:
        out.write(
            json.dumps(event_to_json(event), ensure_ascii=False) + "\n" if args.json else describe_event(event) + "\n"
        )
    if not events and not args.json:
        none = _("No entries since {date}.").format(date=clean(args.since)) if args.since else _("No entries.")
        out.write(none + "\n")
    return 0


def write_log_csv(journal: Journal, since: datetime | None, out: TextIO, *, limit: int | None = None) -> int:
    """Every journal event since ``since`` (all if None; the newest ``limit`` if given) as CSV; the count."""
    events = journal.events(since=since)
    if limit:
        events = events[-limit:]
    return write_events_csv(events, out)


def cmd_log_csv(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach log --csv [--since DATE]``: the journal's events as CSV (header only when it is empty)."""
    since = parse_since(args.since) if getattr(args, "since", None) else None
    if not journal_exists():
        write_events_csv([], out)
        return 0
    try:
        with open_for_reading() as journal:
            write_log_csv(journal, since, out)
    except JournalError as exc:
        raise UsageError(str(exc)) from None
    return 0


def default_since(journal: Journal, now: datetime) -> datetime:
    """The report's start without --since: the day the spasm started, else the last seven days."""
    from spasmcoach.core.timers import current_episode

    episode = current_episode(journal)
    today = now.astimezone().date()
    first = episode.started.astimezone().date() if episode is not None else None
    if first is None or first > today:
        first = today - timedelta(days=DEFAULT_REPORT_DAYS - 1)
    since, _until = day_range(first, None)
    assert since is not None
    return since


def check_report_output(output: Path) -> None:
    """UsageError, before any work, for an output that is a folder, a FIFO, a device, too long or in no folder."""
    if os.path.isdir(output):  # os.path.isdir never raises (a name too long is simply not a folder)
        raise UsageError(
            clean(
                _("{output} is a folder; give a file name such as {value}").format(
                    output=output, value=output / "spasmcoach-report.pdf"
                )
            )
        )
    try:
        check_regular_or_missing(output, _("report file"))
    except StorageError as exc:
        raise UsageError(clean(str(exc).rstrip("."))) from None
    if not os.path.isdir(output.parent):
        raise UsageError(clean(_("{parent}: no such folder").format(parent=output.parent)))


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach report [--since DATE] -o FILE.pdf``: the clinician's PDF report, up to now."""
    output = Path(args.output).expanduser()
    check_report_output(output)
    since = parse_since(args.since) if getattr(args, "since", None) else None
    if not journal_exists():
        raise UsageError(_("the journal is empty: nothing has been logged yet, so there is nothing to report"))
    now = datetime.now(UTC)
    if since is not None and since > now:
        raise UsageError(_("--since {since} lies in the future").format(since=args.since))
    ensure_gui_app()
    from spasmcoach.documents.report import write_report

    try:
        with open_for_reading() as journal:
            result = write_report(journal, output, since=since or default_since(journal, now), now=now)
    except JournalError as exc:
        raise UsageError(str(exc)) from None
    except StorageError as exc:
        raise UsageError(clean(str(exc).rstrip("."))) from None
    except OSError as exc:
        raise UsageError(
            clean(_("could not write {output}: {value}").format(output=output, value=exc.strerror or exc))
        ) from None
    counts = [
        ngettext("{count} session", "{count} sessions", result.sessions).format(count=result.sessions),
        ngettext("{count} pain stop", "{count} pain stops", result.stops).format(count=result.stops),
        ngettext("{count} ice or heat timer", "{count} ice or heat timers", result.timers).format(count=result.timers),
    ]
    pages = ngettext("{count} page", "{count} pages", result.pages).format(count=result.pages)
    out.write(
        _("Wrote {file} ({pages}): {dates}, {counts}.").format(
            file=output, pages=pages, dates=range_text(result.first, result.last), counts=", ".join(counts)
        )
        + "\n"
    )
    return 0
