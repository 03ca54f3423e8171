"""The timer terminal commands: ``timer --list`` over the preset files and ``timers`` over the saved state."""

from __future__ import annotations

import argparse
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmcoach.commands.common import UsageError
from spasmcoach.commands.timers import cmd_timer_list, cmd_timers
from spasmcoach.core import paths
from spasmcoach.core.clock import BootClock, ScaledClock
from spasmcoach.core.timers import COLD_ADVICE, Therapy, TimerManager, TimerPreset

ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\Z")
ICE_CYCLE = TimerPreset("ice-cycle", "Ice cycle", Therapy.COLD, on=1200, off=1800, cycles=3)


def run(command: Any, *, as_json: bool) -> tuple[int, str]:
    """Call a command function the way the CLI does and return its exit code and output."""
    out = io.StringIO()
    code = command(argparse.Namespace(json=as_json), out)
    return code, out.getvalue()


def timers_json() -> list[dict[str, Any]]:
    code, text = run(cmd_timers, as_json=True)
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(text)
    return rows


# -- timer --list ----------------------------------------------------------------------------------------


def test_timer_list_json_gives_every_bundled_preset_in_seconds() -> None:
    code, text = run(cmd_timer_list, as_json=True)
    rows = {row["id"]: row for row in json.loads(text)}
    assert code == 0
    assert {"ice-20", "ice-cycle", "ice-massage", "heat-20", "ice-every-4-hours"} <= rows.keys()
    cycle = rows["ice-cycle"]
    assert {k: cycle[k] for k in ("therapy", "on", "off", "cycles", "total")} == {
        "therapy": "cold", "on": 1200, "off": 1800, "cycles": 3, "total": 7200,
    }  # fmt: skip
    assert rows["ice-20"]["off"] is None and rows["heat-20"]["therapy"] == "heat"
    assert all(isinstance(row["on"], float | int) and isinstance(row["title"], str) for row in rows.values())


def test_timer_list_shows_user_presets_and_reports_broken_files(
    spasmcoach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = spasmcoach_home / "routines"
    folder.mkdir(parents=True)
    (folder / "timers.yaml").write_text(
        "presets:\n  - {id: ice-20, title: My ice, therapy: cold, 'on': 15 min}\n"
    )
    (folder / "bad.timers.yaml").write_text("presets:\n  - {id: bad, therapy: cold}\n")
    code, text = run(cmd_timer_list, as_json=False)
    assert code == 0
    lines = text.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "THERAPY", "ON", "OFF", "CYCLES", "TOTAL"]
    assert any(line.startswith("ice-20") and "My ice" in line and "15 min" in line for line in lines)
    assert any(line.startswith("ice-cycle") and "30 min" in line and "2 h" in line for line in lines)
    assert "skipped (broken): " in capsys.readouterr().err


# -- timers ----------------------------------------------------------------------------------------------


def test_timers_json_from_a_state_the_app_saved() -> None:
    manager = TimerManager(ScaledClock(BootClock(), 1.0))  # the real clocks, boot id and state path
    ice = manager.start(ICE_CYCLE)
    heat = manager.start(TimerPreset.custom(Therapy.HEAT, 15))
    manager.pause(heat.id)
    before = paths.timers_state_path().read_bytes()
    now = datetime.now(UTC)
    rows = {row["id"]: row for row in timers_json()}
    assert paths.timers_state_path().read_bytes() == before  # the command only reads
    first = rows[ice.id]
    assert {k: first[k] for k in ("preset", "title", "therapy", "state", "phase", "cycle", "cycles")} == {
        "preset": "ice-cycle", "title": "Ice cycle", "therapy": "cold", "state": "running", "phase": "on",
        "cycle": 1, "cycles": 3,
    }  # fmt: skip
    assert 1200 - 30 < first["remaining"] <= 1200
    assert ISO_WITH_OFFSET.match(first["ends_at"])
    ends_at = datetime.fromisoformat(first["ends_at"])
    assert abs((ends_at - (now + timedelta(seconds=first["remaining"]))).total_seconds()) < 30
    paused = rows[heat.id]
    assert (paused["preset"], paused["state"], paused["ends_at"]) == ("custom", "paused", None)
    assert 900 - 30 < paused["remaining"] <= 900


def write_state(timers: list[dict[str, Any]]) -> Path:
    """A state file as the app writes it, for a machine with no boot id (so the wall clock counts)."""
    path = paths.timers_state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": 1, "saved_at": "2026-11-21T14:15:00+00:00", "timers": timers}))
    return path


def saved_timer(
    timer_id: str, minutes_ago: float, *, state: str = "running", elapsed: float = 0.0, **extra: Any
) -> dict[str, Any]:
    anchor = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    entry = {
        "id": timer_id, "preset": ICE_CYCLE.to_dict(), "state": state, "elapsed_at_anchor": elapsed,
        "added": [0, 0, 0, 0, 0], "fired": 0, "anchor_monotonic": 0.0, "anchor_wall": anchor.isoformat(),
        "boot_id": None, "time_scale": 1.0, "started_at": anchor.isoformat(), "finished_at": None,
        "cancelled_at": None,
    }  # fmt: skip
    entry.update(extra)
    return entry


def test_timers_json_from_a_hand_written_state() -> None:
    done = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    write_state([
        saved_timer("in-break", 25),  # 25 minutes in: the first break, 25 minutes left
        saved_timer("paused", 60, state="paused", elapsed=600),
        saved_timer("ended-while-closed", 300),
        saved_timer("finished", 300, state="finished", elapsed=7200, fired=5, finished_at=done),
        saved_timer("cancelled", 10, state="cancelled", elapsed=60, cancelled_at=done),
    ])  # fmt: skip
    rows = timers_json()
    assert [row["id"] for row in rows] == ["in-break", "paused"]
    running, paused = rows
    assert (running["phase"], running["cycle"], running["state"]) == ("off", 1, "running")
    assert running["remaining"] == pytest.approx(25 * 60, abs=30)
    assert paused["remaining"] == 600 and paused["phase"] == "on" and paused["ends_at"] is None
    assert set(running) >= {
        "id",
        "preset",
        "title",
        "therapy",
        "state",
        "phase",
        "cycle",
        "cycles",
        "remaining",
        "ends_at",
    }


def test_timers_text_lists_what_is_running() -> None:
    write_state([saved_timer("a", 5), saved_timer("b", 60, state="paused", elapsed=600)])
    code, text = run(cmd_timers, as_json=False)
    assert code == 0
    header, first, second = text.splitlines()
    assert header.split() == ["TITLE", "PHASE", "LEFT", "ENDS", "STATE"]
    assert first.startswith("Ice cycle") and "on 1/3" in first and re.search(r"1[45]:\d\d", first)
    assert re.search(r"\d\d:\d\d\s+running$", first)
    assert "10:00" in second and second.endswith("paused") and " - " in second


def test_timers_with_nothing_saved() -> None:
    assert timers_json() == []
    assert run(cmd_timers, as_json=False) == (0, "No ice or heat timers are running.\n")
    write_state([saved_timer("old", 500)])  # ended long ago
    assert timers_json() == []


def test_timers_with_a_damaged_state_file_says_so_and_leaves_it_alone() -> None:
    path = paths.timers_state_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(UsageError, match="cannot be used"):
        run(cmd_timers, as_json=True)
    assert path.read_text() == "{not json" and [p.name for p in path.parent.iterdir()] == ["timers.json"]


def test_the_saved_preset_carries_its_advice() -> None:
    assert ICE_CYCLE.to_dict()["advice"] == COLD_ADVICE


# -- timer PRESET without a window ----------------------------------------------------------------------------
def test_timer_preset_with_no_window_starts_it_in_the_saved_state_and_says_so() -> None:
    from spasmcoach.commands.main import main
    from spasmcoach.core.journal import Journal

    out = io.StringIO()
    assert main(["timer", "ice-20"], out=out) == 0
    text = out.getvalue()
    assert re.match(r"Started Ice pack, 20 minutes; first phase ends \d\d:\d\d\. SpasmCoach is not open", text)
    assert "open SpasmCoach" in text
    (timer,) = timers_json()
    assert timer["preset"] == "ice-20" and timer["state"] == "running"
    with Journal.open() as journal:
        assert [e.type for e in journal.events()] == ["timer_start"]
    from spasmcoach.core import instance

    assert not instance.is_owned()  # the command let go of the data folder


def test_timer_preset_runs_without_a_display_and_opens_no_window(spasmcoach_home: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["SPASMCOACH_HOME"] = str(spasmcoach_home)
    done = subprocess.run([sys.executable, "-m", "spasmcoach", "timer", "ice-cycle"], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Started Ice cycle")
    assert "xcb" not in done.stderr and "Qt" not in done.stderr
    assert not (spasmcoach_home / "settings.ini").exists()  # no window was ever built


def test_timer_preset_that_does_not_exist_names_the_known_ones() -> None:
    from spasmcoach.commands.main import main

    assert main(["timer", "no-such"], out=io.StringIO()) == 1
    assert timers_json() == []


def test_log_says_which_phase_a_timer_event_reached() -> None:
    from spasmcoach.commands.history import describe_event
    from spasmcoach.core.journal import Journal

    paths.ensure_data_dir()
    data = {"preset": "ice-cycle", "therapy": "cold", "cycle": 1, "cycles": 3, "timer": "t1"}
    with Journal.open() as journal:
        journal.record("timer_start", data={**data, "phase": "on"})
        journal.record("timer_phase", data={**data, "phase": "off"})
        journal.record("timer_phase", data={**data, "phase": "on", "cycle": 2})
        journal.record("timer_end", data={**data, "phase": "on", "cycle": 3})
        lines = [describe_event(e) for e in journal.events()]
    assert lines[0].endswith("timer start    ice-cycle · ice on, cycle 1 of 3")
    assert lines[1].endswith("timer phase    ice-cycle · break, cycle 1 of 3")
    assert lines[2].endswith("ice-cycle · ice on, cycle 2 of 3")
    assert lines[3].endswith("ice-cycle · finished")
