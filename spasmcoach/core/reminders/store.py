"""Reminder settings on disk: ``reminders.json`` in the data folder, read strictly, written atomically.

The Reminders page and ``spasmcoach reminders`` edit the same file. A damaged file is set aside (never
deleted) and the defaults are used, with a message the caller shows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from spasmcoach.core import paths, storage
from spasmcoach.core.i18n import N_, _

from .model import BreakReminder, QuietHours, ReminderSettings, RoutineReminder, parse_clock_time

FORMAT = 1
MAX_BYTES = 256 * 1024
FILE_NAME = "reminders.json"


def settings_path() -> Path:
    """Where the reminder settings live."""
    return paths.data_dir() / FILE_NAME


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


def to_document(settings: ReminderSettings) -> dict[str, Any]:
    """The settings as the JSON document written to disk."""
    return {
        "format": FORMAT,
        "offered": settings.offered,
        "break": {
            "enabled": settings.break_reminder.enabled,
            "minutes": settings.break_reminder.minutes,
            "routine": settings.break_reminder.routine,
        },
        "routines": [
            {
                "id": r.id,
                "routine": r.routine,
                "times": [_clock(t) for t in r.times],
                "days": sorted(r.days),
                "enabled": r.enabled,
            }
            for r in settings.routines
        ],
        "quiet": {
            "enabled": settings.quiet.enabled,
            "start": _clock(settings.quiet.start),
            "end": _clock(settings.quiet.end),
        },
    }


def _object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(_("{what} must be an object").format(what=what))
    return value


def _bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_("{what} must be true or false").format(what=what))
    return value


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_("{what} must be a whole number").format(what=what))
    return value


def _str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(_("{what} must be text").format(what=what))
    return value


def from_document(document: object) -> ReminderSettings:
    """Settings from a parsed document; ValueError naming the first bad field."""
    root = _object(document, _("the file"))
    if root.get("format") != FORMAT:
        raise ValueError(_("format must be {format}").format(format=FORMAT))
    brk = _object(root.get("break", {}), "break")
    quiet = _object(root.get("quiet", {}), "quiet")
    routines = root.get("routines", [])
    if not isinstance(routines, list) or len(routines) > 100:
        raise ValueError(_("routines must be a list of at most 100 reminders"))
    reminders = []
    for index, item in enumerate(routines):
        entry = _object(item, f"routines[{index}]")
        times = entry.get("times")
        days = entry.get("days", list(range(7)))
        if not isinstance(times, list) or not isinstance(days, list):
            raise ValueError(_("routines[{index}]: times and days must be lists").format(index=index))
        reminders.append(
            RoutineReminder(
                id=_str(entry.get("id"), f"routines[{index}].id"),
                routine=_str(entry.get("routine"), f"routines[{index}].routine"),
                times=tuple(parse_clock_time(_str(t, f"routines[{index}].times")) for t in times),
                days=frozenset(_int(d, f"routines[{index}].days") for d in days),
                enabled=_bool(entry.get("enabled", True), f"routines[{index}].enabled"),
            )
        )
    return ReminderSettings(
        break_reminder=BreakReminder(
            enabled=_bool(brk.get("enabled", False), "break.enabled"),
            minutes=_int(brk.get("minutes", 60), "break.minutes"),
            routine=_str(brk.get("routine", "desk-break"), "break.routine"),
        ),
        routines=tuple(reminders),
        quiet=QuietHours(
            enabled=_bool(quiet.get("enabled", False), "quiet.enabled"),
            start=parse_clock_time(_str(quiet.get("start", "22:00"), "quiet.start")),
            end=parse_clock_time(_str(quiet.get("end", "07:00"), "quiet.end")),
        ),
        offered=_bool(root.get("offered", False), "offered"),
    )


@dataclass(frozen=True)
class Loaded:
    """The settings read, and a message when the file was damaged and set aside (None otherwise)."""

    settings: ReminderSettings
    problem: str | None = None


def load(path: Path | None = None) -> Loaded:
    """The saved settings (defaults if there is no file); a damaged file is moved aside with a message."""
    target = path or settings_path()
    try:
        storage.check_regular_or_missing(target, N_("reminder settings"))
        if not target.exists():
            return Loaded(ReminderSettings())
        data = storage.read_bytes(target, MAX_BYTES, N_("reminder settings"))
        return Loaded(from_document(json.loads(data.decode("utf-8"))))
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        reason = str(exc)
    except storage.StorageError as exc:
        return Loaded(ReminderSettings(), _("{reason} The default reminder settings are used.").format(reason=exc))
    try:
        moved = storage.move_aside(target, "damaged")
    except storage.StorageError as exc:
        return Loaded(ReminderSettings(), str(exc))
    return Loaded(
        ReminderSettings(),
        _(
            "The reminder settings in {path} could not be read ({reason}); they were kept at {moved} "
            "and the defaults are used."
        ).format(path=target, reason=reason, moved=moved),
    )


def save(settings: ReminderSettings, path: Path | None = None) -> None:
    """Write the settings atomically; StorageError with a calm message if it fails."""
    storage.write_json_atomic(path or settings_path(), to_document(settings), N_("reminder settings"))
