"""A generated week of SpasmCoach use, shared by the history, insights and report tests.

Fixtures: ``journal`` (a fresh journal in the test's SPASMCOACH_HOME) and ``week`` (that journal filled
with the week). Import ``journal_fixture`` and ``week_fixture`` into a test module to use them by those names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from spasmcoach.core.journal import Journal
from spasmcoach.core.timers import start_episode


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in November 2026, timezone-aware."""
    return datetime(2026, 11, day, hour, minute).astimezone()


NOW = local(21, 18)
LBR = ("lower-back-release", "Lower-back spasm release")
ACUTE = ("acute-rest-positions", "Rest positions for a fresh spasm")
HAM = ("hamstring-hip-stretches", "Hamstring, hip and calf stretches")
KNOT = ("knot-release", "Knot release with thumb and ball")
DESK = ("desk-break", "Desk break")
TITLES = {
    "ice-20": "Ice pack, 20 minutes",
    "ice-cycle": "Ice cycle, 20 min on / 30 min off × 3",
    "heat-20": "Heat, 20 minutes",
}


@dataclass
class Week:
    """Ids of what make_week wrote, by a readable name."""

    sessions: dict[str, int] = field(default_factory=dict)
    stops: dict[str, int] = field(default_factory=dict)
    timers: dict[str, list[int]] = field(default_factory=dict)


def add_session(
    journal: Journal,
    routine: tuple[str, str],
    start: datetime,
    minutes: float,
    before: int | None,
    after: int | None,
    *,
    steps_total: int = 6,
    stop: tuple[str, int | None, list[str], str | None, int] | None = None,
    outcome: str | None = None,
) -> tuple[int, int | None]:
    """A session as the app writes it; ``stop`` = (step, pain, symptoms, note, steps done). Returns ids."""
    session_id = journal.start_session(routine[0], routine[1], pain_before=before, steps_total=steps_total, now=start)
    end = start + timedelta(minutes=minutes)
    stop_id = None
    if stop is not None:
        step, pain, symptoms, note, done = stop
        stop_id = journal.record_pain_stop(
            session_id, routine=routine[0], step=step, phase="hold", side="left", rep=1, seconds=12.0, now=end
        )
        journal.end_session(session_id, outcome="stopped", steps_done=done, now=end)
        journal.update_event(stop_id, pain=pain, symptoms=symptoms, note=note, now=end + timedelta(seconds=30))
    elif outcome != "running":
        journal.end_session(session_id, outcome=outcome or "completed", steps_done=steps_total, now=end)
    if after is not None:
        journal.set_session_pain(session_id, after=after, now=end + timedelta(seconds=40))
    return session_id, stop_id


def add_timer(
    journal: Journal,
    preset: str,
    therapy: str,
    start: datetime,
    minutes: float,
    *,
    end: str = "timer_end",
    cycles: int = 1,
) -> list[int]:
    """A timer use as the timer manager journals it (start, phases, end or cancel); returns the event ids."""
    timer_id = f"t{start:%d%H%M}"
    data = {
        "preset": preset,
        "therapy": therapy,
        "phase": "on",
        "cycle": 1,
        "cycles": cycles,
        "timer": timer_id,
    }
    ids = [journal.record("timer_start", data={**data, "on": 20 * 60.0, "off": None}, now=start)]
    if cycles > 1:
        ids.append(journal.record("timer_phase", data={**data, "phase": "off"}, now=start + timedelta(minutes=20)))
    if end:
        ids.append(journal.record(end, data=data, now=start + timedelta(minutes=minutes)))
    return ids


def make_week(journal: Journal) -> Week:
    """A realistic first week: ten sessions with pain ratings, two pain stops, seven ice or heat timers."""
    week = Week()
    start_episode(journal, local(15, 8))
    s = week.sessions
    week.timers["ice-sun"] = add_timer(journal, "ice-20", "cold", local(15, 9), 20)
    s["sun"], _ = add_session(journal, LBR, local(15, 10), 12, 7, 6)
    s["mon"], monday_stop = add_session(
        journal,
        LBR,
        local(16, 9, 30),
        5,
        7,
        None,
        stop=("Knee to chest", 8, ["sharper"], "Sharp twinge when I pulled the knee in", 1),
    )
    week.timers["ice-mon"] = add_timer(journal, "ice-cycle", "cold", local(16, 10), 45, end="timer_cancel", cycles=3)
    s["mon-rest"], _ = add_session(journal, ACUTE, local(16, 15), 15, 6, 5, steps_total=3)
    s["tue"], _ = add_session(journal, LBR, local(17, 10), 12, 6, 5)
    week.timers["ice-tue"] = add_timer(journal, "ice-20", "cold", local(17, 11), 20)
    s["wed"], _ = add_session(journal, LBR, local(18, 10), 12, 6, 4)
    s["wed-knot"], _ = add_session(journal, KNOT, local(18, 16), 10, 5, 5, steps_total=4)
    week.timers["heat-wed"] = add_timer(journal, "heat-20", "heat", local(18, 19), 20)
    s["thu"], thursday_stop = add_session(
        journal,
        HAM,
        local(19, 11),
        4,
        5,
        6,
        steps_total=3,
        stop=("Hamstring stretch with a towel", 6, ["tingling"], "Tingling down the left leg", 0),
    )
    week.timers["heat-thu"] = add_timer(journal, "heat-20", "heat", local(19, 19), 20)
    assert monday_stop is not None and thursday_stop is not None
    week.stops.update(mon=monday_stop, thu=thursday_stop)
    s["fri"], _ = add_session(journal, LBR, local(20, 10), 12, 5, 3)
    week.timers["heat-fri"] = add_timer(journal, "heat-20", "heat", local(20, 19), 20)
    s["sat"], _ = add_session(journal, LBR, local(21, 9), 12, 4, 3)
    s["sat-desk"], _ = add_session(journal, DESK, local(21, 14), 8, 3, 3, steps_total=5)
    week.timers["heat-sat"] = add_timer(journal, "heat-20", "heat", local(21, 16), 20, end="")
    return week


@pytest.fixture(name="journal")
def journal_fixture(spasmcoach_home: Path) -> Iterator[Journal]:
    spasmcoach_home.mkdir(parents=True, exist_ok=True)
    with Journal.open() as opened:
        yield opened


@pytest.fixture(name="week")
def week_fixture(journal: Journal) -> Week:
    return make_week(journal)
