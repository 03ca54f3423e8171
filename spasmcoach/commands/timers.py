"""Terminal commands for the ice and heat timers: ``spasmcoach timer --list`` and ``spasmcoach timers``.

Both read files only: the preset files, and the timer state the app saves. ``timers`` never journals,
never moves a damaged file and never writes the state; the app does that when it next starts.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any, TextIO

from spasmcoach.core import paths
from spasmcoach.core.clock import timer_clock
from spasmcoach.core.durations import format_clock, format_human
from spasmcoach.core.timers import (
    StateFileError,
    TimerPhase,
    TimerPreset,
    TimerStatus,
    load_all_presets,
    load_timers,
)

from .common import UsageError, warn, write_table


def preset_to_json(preset: TimerPreset) -> dict[str, Any]:
    """One preset for ``timer --list --json``; times in seconds."""
    return {
        "id": preset.id, "title": preset.title, "therapy": str(preset.therapy), "on": preset.on,
        "off": preset.off, "cycles": preset.cycles, "total": preset.total, "advice": preset.advice,
    }  # fmt: skip


def cmd_timer_list(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach timer --list [--json]``: the presets on the routine path, bundled and the user's."""
    found, errors = load_all_presets()
    if getattr(args, "json", False):
        json.dump([preset_to_json(p) for p in found.values()], out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        rows = [("ID", "TITLE", "THERAPY", "ON", "OFF", "CYCLES", "TOTAL")]
        rows += [
            (p.id, p.title, str(p.therapy), format_human(p.on), format_human(p.off) if p.off else "-",
             str(p.cycles), format_human(p.total))
            for p in found.values()
        ]  # fmt: skip
        write_table(rows, out)
    for error in errors:
        warn(f"skipped (broken): {error.problems[0]}")
    return 0


def status_to_json(status: TimerStatus) -> dict[str, Any]:
    """One timer for ``timers --json``; ``remaining`` is seconds left in the current phase."""
    return {
        "id": status.id,
        "preset": status.preset.id,
        "title": status.preset.title,
        "therapy": str(status.preset.therapy),
        "state": str(status.state),
        "phase": str(status.phase),
        "cycle": status.cycle,
        "cycles": status.cycles,
        "remaining": round(status.remaining, 3),
        "phase_seconds": status.phase_seconds,
        "ends_at": None if status.ends_at is None else status.ends_at.isoformat(timespec="seconds"),
        "started_at": status.started_at.isoformat(timespec="seconds"),
    }


def _local_clock_time(moment: datetime) -> str:
    """``14:35`` in the computer's own time zone."""
    return moment.astimezone().strftime("%H:%M")


def check_preset(preset_id: str) -> None:
    """UsageError unless a timer preset with this id exists (before anything hands it to a window)."""
    known, _errors = load_all_presets()
    if preset_id not in known:
        raise UsageError(f"no timer preset called '{preset_id}'. Known presets: {', '.join(sorted(known)) or 'none'}")


def cmd_timers(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach timers [--json]``: the running and paused timers, from the state the app saved."""
    path = paths.timers_state_path()
    clock = timer_clock()
    try:
        timers = load_timers(path, clock=clock)
    except StateFileError as exc:
        message = (
            f"the timer state file {path} cannot be used: {exc}. "
            "SpasmCoach will set it aside and start afresh when it next opens."
        )
        raise UsageError(message) from None
    statuses = [s for s in (t.status() for t in timers) if s.state.active]
    if getattr(args, "json", False):
        json.dump([status_to_json(s) for s in statuses], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    if not statuses:
        out.write("No ice or heat timers are running.\n")
        return 0
    rows = [("TITLE", "PHASE", "LEFT", "ENDS", "STATE")]
    for s in statuses:
        phase = f"{'on' if s.phase is TimerPhase.ON else 'off'} {s.cycle}/{s.cycles}"
        ends = _local_clock_time(s.ends_at) if s.ends_at else "-"
        rows.append((s.preset.title, phase, format_clock(s.remaining), ends, str(s.state)))
    write_table(rows, out)
    return 0
