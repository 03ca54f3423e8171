"""``spasmcoach reminders``: list, add and remove reminders without a window (the same file the app edits)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, TextIO

from spasmcoach.core import loader, paths
from spasmcoach.core.durations import format_human, parse_duration
from spasmcoach.core.i18n import _
from spasmcoach.core.locale_format import format_date, format_time
from spasmcoach.core.reminders import model, schedule, store
from spasmcoach.core.storage import utc_now

from .common import UsageError, clean, write_table

Handler = Callable[[argparse.Namespace, TextIO], int]
AddCommand = Callable[[str, Handler, str], argparse.ArgumentParser]


def _load() -> model.ReminderSettings:
    loaded = store.load()
    if loaded.problem:
        raise UsageError(loaded.problem)
    return loaded.settings


def _save(settings: model.ReminderSettings) -> None:
    try:
        paths.ensure_data_dir()
    except paths.DataDirError as exc:
        raise UsageError(str(exc)) from None
    store.save(settings)  # a StorageError is reported in one line by the command runner


def _when(moment: datetime | None) -> str:
    """'Wed 2 Dec 08:00' ('Mi 2. Dez. 08:00'), in the computer's time zone."""
    if moment is None:
        return "-"
    local = moment.astimezone()
    return f"{format_date(local.date(), 'day')} {format_time(local)}"


def rows(settings: model.ReminderSettings, now: datetime) -> list[dict[str, Any]]:
    """Every reminder with what it does and when it is next due (breaks depend on time at the computer)."""
    brk = settings.break_reminder
    listed: list[dict[str, Any]] = [
        {
            "id": model.BREAK_ID,
            "kind": "break",
            "routine": brk.routine,
            "enabled": brk.enabled,
            "every_minutes": brk.minutes,
            "next": None,
            "when": f"after {format_human(brk.minutes * 60)} at the computer" if brk.enabled else "off",
        }
    ]
    for reminder in settings.routines:
        due = schedule.next_due(reminder, now)
        listed.append(
            {
                "id": reminder.id,
                "kind": "routine",
                "routine": reminder.routine,
                "enabled": reminder.enabled,
                "times": [t.strftime("%H:%M") for t in reminder.times],
                "days": model.days_text(reminder.days),
                "next": None if due is None else due.isoformat(timespec="seconds"),
                "when": f"{', '.join(t.strftime('%H:%M') for t in reminder.times)} {model.days_text(reminder.days)}",
            }
        )
    return listed


def cmd_reminders(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach reminders [--json]``: the reminders with their next due time."""
    settings = _load()
    listed = rows(settings, utc_now())
    if args.json:
        quiet = settings.quiet
        document = {
            "reminders": listed,
            "quiet_hours": {"enabled": quiet.enabled, "start": f"{quiet.start:%H:%M}", "end": f"{quiet.end:%H:%M}"},
        }
        json.dump(document, out, indent=2)
        out.write("\n")
        return 0
    table: list[tuple[object, ...]] = [(_("ID"), _("ROUTINE"), _("WHEN"), _("NEXT"))]
    for row in listed:
        nxt = _when(datetime.fromisoformat(row["next"])) if row["next"] else "-"
        table.append((row["id"], row["routine"], _shown_when(row), nxt))
    write_table(table, out)
    if settings.quiet.enabled:
        out.write(
            _("Quiet hours: {start}–{end} (ice and heat alerts still sound)").format(
                start=f"{settings.quiet.start:%H:%M}", end=f"{settings.quiet.end:%H:%M}"
            )
            + "\n"
        )
    return 0


def _shown_when(row: dict[str, Any]) -> str:
    """A row's "when" in the chosen language (the JSON output keeps the English of :func:`rows`)."""
    if row["kind"] != "break":
        return str(row["when"])
    if not row["enabled"]:
        return _("off")
    return _("after {length} at the computer").format(length=format_human(row["every_minutes"] * 60))


def _known_routine(routine_id: str) -> None:
    library = loader.load_library()
    if library.get(routine_id) is None:
        known = ", ".join(sorted(library.routines)) or _("none")
        raise UsageError(
            _("no routine called '{id}'. Known routines: {known}").format(id=clean(routine_id), known=known)
        )


def cmd_add(args: argparse.Namespace, out: TextIO) -> int:
    """``reminders add break --every 60m`` or ``reminders add ROUTINE --at 08:00 [--days mon,wed,fri]``."""
    settings = _load()
    try:
        if args.what == model.BREAK_ID:
            if args.at:
                raise UsageError(_("a break reminder comes after time at the computer: use --every, not --at"))
            minutes = round(parse_duration(args.every or "60m") / 60)
            settings = replace(settings, break_reminder=model.BreakReminder(True, minutes))
            message = _("Reminder to stand up and stretch after {length} at the computer.").format(
                length=format_human(minutes * 60)
            )
        else:
            if not args.at:
                raise UsageError(_("give at least one time of day with --at, e.g. --at 08:00 --at 18:00"))
            if args.every:
                raise UsageError(_("--every is for the break reminder; a routine reminder takes --at"))
            _known_routine(args.what)
            reminder = model.RoutineReminder(
                settings.new_id(args.what),
                args.what,
                tuple(model.parse_clock_time(t) for t in args.at),
                model.parse_days(args.days or "daily"),
            )
            settings = settings.with_routine(reminder)
            due = schedule.next_due(reminder, utc_now())
            when = f"{', '.join(args.at)} {model.days_text(reminder.days)}"
            message = _("Added '{id}': {routine} at {when}; next {next}.").format(
                id=reminder.id, routine=args.what, when=when, next=_when(due)
            )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _save(settings)
    out.write(clean(message) + "\n")
    return 0


def cmd_remove(args: argparse.Namespace, out: TextIO) -> int:
    """``reminders remove ID`` (``break`` turns the stand-and-stretch reminder off)."""
    try:
        settings = _load().without(args.id)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _save(settings)
    if args.id == model.BREAK_ID:
        out.write(_("The break reminder is off.") + "\n")
    else:
        out.write(_("Removed '{id}'.").format(id=clean(args.id)) + "\n")
    return 0


def cmd_quiet(args: argparse.Namespace, out: TextIO) -> int:
    """``reminders quiet 22:00-07:00`` or ``reminders quiet off``."""
    settings = _load()
    if args.hours.strip().lower() == "off":
        settings = replace(settings, quiet=replace(settings.quiet, enabled=False))
        message = _("Quiet hours are off.")
    else:
        start, _dash, end = args.hours.partition("-")
        try:
            quiet = model.QuietHours(True, model.parse_clock_time(start), model.parse_clock_time(end))
        except ValueError as exc:
            raise UsageError(_("{reason} (write quiet hours as 22:00-07:00)").format(reason=exc)) from None
        settings = replace(settings, quiet=quiet)
        message = _("Reminders wait from {start} to {end}; ice and heat alerts still sound.").format(
            start=f"{quiet.start:%H:%M}", end=f"{quiet.end:%H:%M}"
        )
    _save(settings)
    out.write(message + "\n")
    return 0


def add_parsers(command: AddCommand) -> None:
    """``reminders`` with its sub-commands ``add``, ``remove`` and ``quiet``."""
    listing = command("reminders", cmd_reminders, _("list reminders with their next time; add, remove, quiet hours"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    subs = listing.add_subparsers(title=_("actions"), metavar="ACTION")
    add = subs.add_parser("add", help=_("add a reminder"), description=_("add a reminder"))
    add.set_defaults(handler=cmd_add)
    add.add_argument("what", metavar="break|ROUTINE", help=_("'break' to stand and stretch, or a routine id"))
    add.add_argument("--every", metavar="TIME", help=_("with break: after this much time at the computer (e.g. 60m)"))
    add.add_argument("--at", action="append", metavar="HH:MM", help=_("with a routine: a time of day (repeatable)"))
    add.add_argument("--days", metavar="DAYS", help=_("mon,wed,fri, weekdays, weekend or daily (the default)"))
    remove = subs.add_parser("remove", help=_("remove a reminder"), description=_("remove a reminder by its id"))
    remove.set_defaults(handler=cmd_remove)
    remove.add_argument("id", metavar="ID", help=_("the id shown by 'spasmcoach reminders'"))
    quiet = subs.add_parser("quiet", help=_("set quiet hours"), description=_("reminders wait during quiet hours"))
    quiet.set_defaults(handler=cmd_quiet)
    quiet.add_argument("hours", metavar="HH:MM-HH:MM|off", help=_("e.g. 22:00-07:00, or off"))
