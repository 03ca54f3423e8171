"""CSV export of history rows and raw journal events, with free-text cells defused against spreadsheet formulas."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import fields
from datetime import tzinfo
from typing import TextIO

from ..journal import Event
from ..storage import format_time
from .table import HistoryRow

__all__ = ["EVENT_CSV_COLUMNS", "HISTORY_CSV_COLUMNS", "write_events_csv", "write_history_csv"]

HISTORY_CSV_COLUMNS: tuple[str, ...] = (
    "kind",
    "date",
    "time",
    "routine",
    "what",
    "result",
    "minutes",
    "pain_before",
    "pain_after",
    "pain_change",
    "pain",
    "symptoms",
    "note",
    "id",
    "iso_time",
)
# Every field of a journal event, in the journal's own order; hidden (deleted) rows are not exported.
# Then the diary's fields, spelled out from ``data`` so a spreadsheet can filter on them.
DIARY_CSV_COLUMNS: tuple[str, ...] = ("areas", "qualities", "helped", "reliever", "amount", "triggers")
EVENT_CSV_COLUMNS: tuple[str, ...] = (
    *(f.name for f in fields(Event) if f.name != "deleted"),
    *DIARY_CSV_COLUMNS,
)
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell for a number or a fixed word: '' for None, floats to at most 3 decimals."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{round(value, 3)}"
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def _text_cell(value: str | None) -> str:
    """A free-text cell (title, note, symptoms), defused against spreadsheet formulas."""
    if not value:
        return ""
    return "'" + value if value.startswith(_CSV_FORMULA_START) else value


def write_history_csv(
    rows: Iterable[HistoryRow], out: TextIO, tz: tzinfo | None = None, diary: Iterable[Event] = ()
) -> int:
    """Write History rows (sessions, pain stops, timer uses) as CSV with a header; returns the row count.

    ``diary``: check-ins and pain relievers, written after the rows, newest first (see :func:`_diary_row`)."""
    writer = csv.writer(out)
    writer.writerow(HISTORY_CSV_COLUMNS)
    count = 0
    for row in rows:
        local = row.time.astimezone(tz)
        minutes = None if row.duration is None else round(row.duration / 60, 1)
        writer.writerow(
            [
                row.kind.value,
                local.date().isoformat(),
                local.strftime("%H:%M"),
                _text_cell(row.routine),
                _text_cell(row.what),
                _text_cell(row.result),
                _cell(minutes),
                _cell(row.pain_before),
                _cell(row.pain_after),
                _cell(row.change),
                _cell(row.pain),
                _text_cell("; ".join(row.symptoms)),
                _text_cell(row.note),
                row.id,
                local.isoformat(timespec="seconds"),
            ]
        )
        count += 1
    for event in sorted(diary, key=lambda e: (e.time, e.id), reverse=True):
        writer.writerow(_diary_row(event, tz))
        count += 1
    return count


def _diary_row(event: Event, tz: tzinfo | None) -> list[str | int]:
    """A check-in or a pain reliever as a History CSV row: kind 'checkin' or 'reliever_taken'; "what" is the
    reliever's name (or "Check-in"), "result" the amount (or the areas and qualities named)."""
    local = event.time.astimezone(tz)
    areas, qualities, _helped, name, amount, _triggers = _diary_cells(event)
    reliever = event.type == "reliever_taken"
    named = "; ".join(part for part in (areas, qualities) if part)
    return [
        event.type,
        local.date().isoformat(),
        local.strftime("%H:%M"),
        "",
        name if reliever else "Check-in",
        amount if reliever else _text_cell(named),
        "", "", "", "",
        _cell(event.pain),
        "",
        _text_cell(event.note),
        event.id,
        local.isoformat(timespec="seconds"),
    ]  # fmt: skip


def _diary_cells(event: Event) -> list[str]:
    """The DIARY_CSV_COLUMNS cells of one event: identifiers joined with '; ', the reliever's own words."""
    cells = []
    for key in ("areas", "qualities", "helped"):
        stored = event.data.get(key)
        cells.append("; ".join(str(v) for v in stored) if isinstance(stored, list) else "")
    reliever = event.type == "reliever_taken"
    cells += [_text_cell(str(event.data.get(key) or "")) if reliever else "" for key in ("name", "amount")]
    stored = event.data.get("triggers")
    cells.append("; ".join(str(v) for v in stored) if isinstance(stored, list) else "")
    return cells


def write_events_csv(events: Iterable[Event], out: TextIO) -> int:
    """Write raw journal events (as ``spasmcoach log`` lists them) as CSV with a header; returns the count."""
    writer = csv.writer(out)
    writer.writerow(EVENT_CSV_COLUMNS)
    count = 0
    for e in events:
        writer.writerow(
            [
                e.id,
                format_time(e.time),
                e.type,
                _cell(e.session_id),
                _text_cell(e.routine),
                _text_cell(e.step),
                _cell(e.phase),
                _cell(e.side),
                _cell(e.rep),
                _cell(e.seconds),
                _cell(e.pain),
                _text_cell("; ".join(e.symptoms)),
                _text_cell(e.note),
                json.dumps(e.data, ensure_ascii=False, sort_keys=True) if e.data else "",
                "" if e.edited is None else format_time(e.edited),
                *_diary_cells(e),
            ]
        )
        count += 1
    return count
