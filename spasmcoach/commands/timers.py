"""Terminal commands for the ice and heat timers: ``spasmcoach timer PRESET``, ``timer --list``, ``timers``.

``timer --list`` and ``timers`` read files only: ``timers`` never journals, never moves a damaged file and
never writes the state; the app does that when it next starts. ``timer PRESET`` needs no display: it hands
the preset to the open window over the single-instance socket or, with no window open, starts the timer
in the saved state (holding the instance lock meanwhile, so no window starts half-way through).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any, TextIO

from spasmcoach.core import instance, paths
from spasmcoach.core.clock import timer_clock
from spasmcoach.core.durations import format_clock, format_human
from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Journal, JournalError
from spasmcoach.core.storage import utc_now
from spasmcoach.core.timers import (
    StateFileError,
    TimerManager,
    TimerPhase,
    TimerPreset,
    TimerStatus,
    load_all_presets,
    load_timers,
    start_warnings,
)

from .common import UsageError, clean, warn, write_table


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
        rows = [(_("ID"), _("TITLE"), _("THERAPY"), _("ON"), _("OFF"), _("CYCLES"), _("TOTAL"))]
        rows += [
            (p.id, p.title, p.therapy.label, format_human(p.on), format_human(p.off) if p.off else "-",
             str(p.cycles), format_human(p.total))
            for p in found.values()
        ]  # fmt: skip
        write_table(rows, out)
    for error in errors:
        warn(_("skipped (broken): {problem}").format(problem=error.problems[0]))
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


def check_preset(preset_id: str) -> TimerPreset:
    """The timer preset with this id; UsageError naming the known ones if there is none."""
    known, _errors = load_all_presets()
    if preset_id not in known:
        names = ", ".join(sorted(known)) or "none"
        raise UsageError(
            _("no timer preset called '{preset_id}'. Known presets: {names}").format(
                preset_id=clean(preset_id), names=names
            )
        )
    return known[preset_id]


def _ends_text(ends_at: datetime | str | None) -> str:
    """'; first phase ends 14:32' (local time), or nothing if unknown."""
    if isinstance(ends_at, str):
        try:
            ends_at = datetime.fromisoformat(ends_at)
        except ValueError:
            return ""
    return (
        _("; first phase ends {local_clock_time}").format(local_clock_time=_local_clock_time(ends_at))
        if isinstance(ends_at, datetime)
        else ""
    )


def cmd_timer_start(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach timer PRESET``: start it in the open window, or in the saved state if none is open."""
    preset = check_preset(args.preset)
    lock = instance.InstanceLock()
    try:
        reply = instance.hand_over_or_own({"cmd": "timer", "preset": preset.id}, lock)
    except instance.InstanceError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(
            _("cannot use the data folder {data_dir}: {value}").format(
                data_dir=paths.data_dir(), value=exc.strerror or exc
            )
        ) from None
    if reply is not None:
        if not reply.get("ok"):
            raise UsageError(
                _("the open window did not start the timer: {get}").format(get=clean(str(reply.get("error", "?"))))
            )
        title = clean(str(reply.get("title") or preset.title))
        out.write(
            _("Started {title} in the open window{ends_text}.\n").format(
                title=title, ends_text=_ends_text(reply.get("ends_at"))
            )
        )
        return 0
    with lock:
        return _start_saved(preset, out)


def _start_saved(preset: TimerPreset, out: TextIO) -> int:
    """No window is open (we hold the lock): start the timer in the saved state and journal it."""
    journal: Journal | None = None
    try:
        journal = Journal.open()
    except JournalError as exc:
        warn(_("spasmcoach: the timer is not journaled: {exc}").format(exc=exc))
    try:
        manager = TimerManager(timer_clock(), journal=journal)
        if manager.recovery_reason is not None:
            warn(
                _("spasmcoach: the saved timers could not be read ({recovery_reason}); started afresh").format(
                    recovery_reason=manager.recovery_reason
                )
            )
        timer = manager.start(preset)
        if manager.save_error is not None:
            raise UsageError(_("the timer could not be saved: {save_error}").format(save_error=manager.save_error))
        notes = start_warnings(preset.therapy, preset.on, _episode_start(journal), utc_now())
    finally:
        if journal is not None:
            journal.close()
    out.write(
        _(
            "Started {title}{ends_text}. SpasmCoach is not open, so nothing will sound when a phase "
            "ends: open SpasmCoach (run `spasmcoach`) and the timer is there. `spasmcoach timers` "
            "shows the time left.\n"
        ).format(title=clean(preset.title), ends_text=_ends_text(timer.status().ends_at))
    )
    for note in notes:
        out.write(_("Note: {note}").format(note=note) + "\n")
    return 0


def _episode_start(journal: Journal | None) -> datetime | None:
    from spasmcoach.core.timers import current_episode

    if journal is None:
        return None
    try:
        episode = current_episode(journal)
    except Exception:  # a note we cannot work out is left out, the timer still runs
        return None
    return episode.started if episode else None


def cmd_timers(args: argparse.Namespace, out: TextIO) -> int:
    """``spasmcoach timers [--json]``: the running and paused timers, from the state the app saved."""
    path = paths.timers_state_path()
    clock = timer_clock()
    try:
        timers = load_timers(path, clock=clock)
    except StateFileError as exc:
        message = _(
            "the timer state file {path} cannot be used: {exc}. SpasmCoach will set it aside and start "
            "afresh when it next opens."
        ).format(path=path, exc=exc)
        raise UsageError(message) from None
    statuses = [s for s in (t.status() for t in timers) if s.state.active]
    if getattr(args, "json", False):
        json.dump([status_to_json(s) for s in statuses], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    if not statuses:
        out.write(_("No ice or heat timers are running.\n"))
        return 0
    rows = [("TITLE", "PHASE", "LEFT", "ENDS", "STATE")]
    for s in statuses:
        phase = f"{'on' if s.phase is TimerPhase.ON else 'off'} {s.cycle}/{s.cycles}"
        ends = _local_clock_time(s.ends_at) if s.ends_at else "-"
        rows.append((s.preset.title, phase, format_clock(s.remaining), ends, str(s.state)))
    write_table(rows, out)
    return 0
