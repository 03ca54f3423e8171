"""Reminders' core: wall-clock schedules across DST, missed-while-closed once, active time, quiet hours."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.reminders import events, model, policy, schedule, store
from spasmcoach.core.reminders.breaks import BreakCounter, BreakState
from spasmcoach.core.reminders.planner import Planner
from spasmcoach.core.reminders.policy import Hold

BERLIN = ZoneInfo("Europe/Berlin")


def morning_and_evening(days: str = "daily") -> model.RoutineReminder:
    return model.RoutineReminder(
        "lower-back-release",
        "lower-back-release",
        (time(8, 0), time(18, 0)),
        model.parse_days(days),
    )


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def test_next_due_follows_the_wall_clock_across_spring_forward() -> None:
    reminder = morning_and_evening()
    # Clocks go forward on 29 March 2026 at 02:00 in Berlin: 08:00 is then UTC 06:00, not 07:00.
    before = schedule.next_due(reminder, local(2026, 3, 28, 9, 0), BERLIN)
    after = schedule.next_due(reminder, local(2026, 3, 29, 7, 0), BERLIN)
    assert before is not None and after is not None
    assert before.astimezone(BERLIN) == local(2026, 3, 28, 18, 0)
    assert after.astimezone(BERLIN).hour == 8 and after == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    assert after - before == timedelta(hours=13)  # 18:00 to 08:00 across the lost hour


def test_a_time_in_the_autumn_repeat_fires_once() -> None:
    reminder = model.RoutineReminder("x", "warm-up", (time(2, 30),))
    # 25 October 2026: 02:00-03:00 happens twice in Berlin.
    first = schedule.next_due(reminder, local(2026, 10, 25, 0, 0), BERLIN)
    assert first is not None
    second = schedule.next_due(reminder, first, BERLIN)
    assert second is not None and second.astimezone(BERLIN).date() == date(2026, 10, 26)


def test_a_time_skipped_by_spring_forward_still_fires_that_day() -> None:
    reminder = model.RoutineReminder("x", "warm-up", (time(2, 30),))
    due = schedule.next_due(reminder, local(2026, 3, 29, 0, 0), BERLIN)
    assert due is not None and due.astimezone(BERLIN).date() == date(2026, 3, 29)


def test_chosen_days_only() -> None:
    reminder = morning_and_evening("mon,wed,fri")
    due = schedule.next_due(reminder, local(2026, 12, 1, 19, 0), BERLIN)  # a Tuesday evening
    assert due is not None and due.astimezone(BERLIN) == local(2026, 12, 2, 8, 0)  # Wednesday morning


def test_a_time_zone_change_moves_the_reminder_to_the_new_local_time() -> None:
    reminder = model.RoutineReminder("x", "warm-up", (time(8, 0),))
    new_york = ZoneInfo("America/New_York")
    after = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    berlin_due = schedule.next_due(reminder, after, BERLIN)
    new_york_due = schedule.next_due(reminder, after, new_york)
    assert berlin_due is not None and new_york_due is not None
    assert berlin_due.astimezone(BERLIN).hour == 8 and new_york_due.astimezone(new_york).hour == 8
    assert new_york_due - berlin_due == timedelta(hours=6)


def test_missed_while_closed_is_shown_once_not_stacked() -> None:
    reminder = morning_and_evening()
    closed = local(2026, 12, 1, 7, 0)
    opened = local(2026, 12, 2, 9, 0)  # missed 08:00, 18:00 and 08:00 again
    due = schedule.due_now((reminder,), closed, opened, BERLIN)
    assert [d.due.astimezone(BERLIN) for d in due] == [local(2026, 12, 2, 8, 0)]
    assert schedule.due_now((reminder,), opened, opened + timedelta(minutes=5), BERLIN) == []


def test_a_reminder_missed_long_ago_is_let_go() -> None:
    reminder = model.RoutineReminder("x", "warm-up", (time(8, 0),))
    assert schedule.due_now((reminder,), local(2026, 12, 1, 7, 0), local(2026, 12, 1, 23, 0), BERLIN) == []


def test_disabled_reminders_never_fall_due() -> None:
    reminder = model.RoutineReminder("x", "warm-up", (time(8, 0),), enabled=False)
    assert schedule.next_due(reminder, local(2026, 12, 1, 7, 0), BERLIN) is None
    assert schedule.due_now((reminder,), local(2026, 12, 1, 7, 0), local(2026, 12, 1, 9, 0), BERLIN) == []


def test_break_counts_only_time_at_the_computer() -> None:
    clock = FakeClock()
    counter = BreakCounter(every=60 * 60.0)
    counter.update(clock.now(), idle=0)
    for _ in range(59):
        clock.advance(60)
        assert not counter.update(clock.now(), idle=2)  # active, a couple of seconds idle each minute
    assert counter.active == pytest.approx(59 * 58)
    answers = []
    for _ in range(3):
        clock.advance(60)
        answers.append(counter.update(clock.now(), idle=0))
    assert answers == [False, False, True] and counter.state is BreakState.SHOWING  # 3422 + 180 s >= an hour
    clock.advance(60)
    assert counter.update(clock.now(), idle=0) is False  # shown once, not again while showing


def test_idle_for_five_minutes_is_a_natural_break() -> None:
    clock = FakeClock()
    counter = BreakCounter(every=3600.0)
    counter.update(clock.now(), idle=0)
    for _ in range(50):
        clock.advance(60)
        counter.update(clock.now(), idle=0)
    clock.advance(60)
    counter.update(clock.now(), idle=301)
    assert counter.active == 0 and counter.seconds_to_due() == 3600


def test_a_suspend_brings_no_burst_of_reminders() -> None:
    clock = FakeClock()
    counter = BreakCounter(every=600.0)
    counter.update(clock.now(), idle=None)  # no idle source: plain time counts
    clock.advance(590)
    assert not counter.update(clock.now(), idle=None)
    clock.advance(8 * 3600)  # the laptop slept all night
    assert counter.update(clock.now(), idle=None) is False and counter.active == 0


def test_snooze_asks_again_after_ten_more_active_minutes() -> None:
    clock = FakeClock()
    counter = BreakCounter(every=600.0)
    counter.update(clock.now())
    due_seen = []
    for _ in range(40):
        clock.advance(60)
        if counter.update(clock.now()):
            due_seen.append(clock.now())
            counter.snoozed()
    assert len(due_seen) >= 3 and due_seen[1] - due_seen[0] == pytest.approx(600.0)


@pytest.mark.parametrize(
    ("at", "held"),
    [((23, 30), policy.Hold.QUIET), ((6, 59), policy.Hold.QUIET), ((7, 0), None), ((12, 0), None)],
)
def test_quiet_hours_over_midnight(at: tuple[int, int], held: policy.Hold | None) -> None:
    quiet = model.QuietHours(True, time(22, 0), time(7, 0))
    now = local(2026, 12, 2, *at)
    assert policy.hold_reason(now, quiet, in_routine=False, do_not_disturb=False, tz=BERLIN) == held


def test_routines_and_do_not_disturb_hold_reminders() -> None:
    now = local(2026, 12, 2, 12, 0)
    quiet = model.QuietHours()
    assert policy.hold_reason(now, quiet, in_routine=True, do_not_disturb=False, tz=BERLIN) is policy.Hold.ROUTINE
    assert (
        policy.hold_reason(now, quiet, in_routine=False, do_not_disturb=True, tz=BERLIN) is policy.Hold.DO_NOT_DISTURB
    )


def test_settings_round_trip_and_a_damaged_file_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    settings = model.ReminderSettings(
        break_reminder=model.BreakReminder(True, 45),
        quiet=model.QuietHours(True, time(21, 30), time(6, 45)),
    ).with_routine(morning_and_evening("weekdays"))
    store.save(settings, path)
    assert store.load(path).settings == settings
    path.write_text(json.dumps({"format": 1, "break": {"minutes": "often"}}))
    loaded = store.load(path)
    assert loaded.settings == model.ReminderSettings() and loaded.problem is not None
    assert "break.minutes" in loaded.problem and not path.exists()
    assert len(list(tmp_path.glob("reminders.json.damaged-*"))) == 1


def test_settings_file_that_is_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    import os

    path = tmp_path / "reminders.json"
    os.mkfifo(path)
    loaded = store.load(path)
    assert loaded.problem is not None and "FIFO" in loaded.problem


@pytest.mark.parametrize(
    ("text", "days"),
    [("daily", set(range(7))), ("weekdays", set(range(5))), ("weekend", {5, 6}), ("Mon, wed,FRI", {0, 2, 4})],
)
def test_days_are_read_as_people_write_them(text: str, days: set[int]) -> None:
    assert model.parse_days(text) == days
    assert model.parse_days(model.days_text(frozenset(days))) == days


@pytest.mark.parametrize("bad", ["25:00", "8", "8:5", "noon", ""])
def test_bad_times_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="time of day"):
        model.parse_clock_time(bad)


def test_reminder_outcomes_are_journaled_and_counted(tmp_path: Path) -> None:
    day = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        events.record(journal, events.Outcome.SHOWN, "break", "desk-break", now=day)
        events.record(journal, events.Outcome.TAKEN, "break", "desk-break", now=day)
        events.record(journal, events.Outcome.SHOWN, "break", "desk-break", now=day + timedelta(hours=1))
        events.record(journal, events.Outcome.SNOOZED, "break", "desk-break", now=day + timedelta(hours=1))
        events.record(journal, events.Outcome.SHOWN, "lbr", "lower-back-release", now=day)
        events.record(journal, events.Outcome.TAKEN, "lbr", "lower-back-release", now=day)
        logged = journal.events(types=events.EVENT_TYPES)
    assert events.breaks_taken_per_day(logged, tz=UTC) == {day.date(): 1}
    assert events.scheduled_done(logged) == {"lbr": (1, 1)}


def _cli(*argv: str) -> tuple[int, str]:
    import io

    from spasmcoach import cli

    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


def test_reminders_command_manages_the_same_settings_file(spasmcoach_home: Path) -> None:
    assert _cli("reminders", "add", "break", "--every", "45m")[0] == 0
    code, text = _cli("reminders", "add", "lower-back-release", "--at", "08:00", "--at", "18:00", "--days", "mon,wed")
    assert code == 0 and "lower-back-release" in text
    settings = store.load().settings
    assert settings.break_reminder == model.BreakReminder(True, 45)
    [reminder] = settings.routines
    assert reminder.times == (time(8, 0), time(18, 0)) and reminder.days == {0, 2}
    code, text = _cli("reminders", "--json")
    listed = json.loads(text)["reminders"]
    assert [r["id"] for r in listed] == ["break", "lower-back-release"]
    nxt = datetime.fromisoformat(listed[1]["next"])
    assert nxt > datetime.now(UTC) and nxt.astimezone().weekday() in (0, 2)
    assert _cli("reminders", "remove", "lower-back-release")[0] == 0
    assert store.load().settings.routines == ()


@pytest.mark.parametrize(
    "argv",
    [
        ["reminders", "add", "no-such-routine", "--at", "08:00"],
        ["reminders", "add", "warm-up", "--at", "8 am"],
        ["reminders", "add", "warm-up"],
        ["reminders", "add", "break", "--every", "2m"],
        ["reminders", "add", "warm-up", "--at", "08:00", "--days", "someday"],
        ["reminders", "remove", "nothing"],
        ["reminders", "quiet", "late-early"],
    ],
)
def test_reminder_mistakes_are_one_line(
    argv: list[str], spasmcoach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _cli(*argv)
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("spasmcoach: ") and err.count("\n") == 1
    assert store.load().settings.routines == ()


# -- the planner: what to show on each wake-up --------------------------------------------------------

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def planner_with(settings: model.ReminderSettings, last_seen: datetime = START) -> Planner:
    return Planner(settings, last_seen, UTC)


def test_a_suspend_is_a_break_and_a_missed_routine_is_shown_once_after_waking() -> None:
    evening = model.RoutineReminder("warm-up", "warm-up", (time(10, 30), time(11, 0)))
    settings = model.ReminderSettings(model.BreakReminder(True, 60), (evening,))
    plan = planner_with(settings)
    assert plan.step(0.0, START, 0.0, None).show == ()
    for minute in range(1, 56):
        assert plan.step(minute * 60.0, START + timedelta(minutes=minute), 0.0, None).show == ()
    # The laptop sleeps for three hours (the boot clock counts it); 10:30 and 11:00 passed meanwhile.
    woke = plan.step(55 * 60.0 + 3 * 3600, START + timedelta(hours=3, minutes=55), 0.0, None)
    assert [p.key for p in woke.show] == ["warm-up"]  # once, not twice; the break was the sleep itself
    assert woke.show[0].due == START + timedelta(hours=2)
    assert plan.counter is not None and plan.counter.active == 0


def test_a_held_routine_reminder_waits_and_one_held_too_long_is_let_go() -> None:
    morning = model.RoutineReminder("warm-up", "warm-up", (time(9, 30),))
    plan = planner_with(model.ReminderSettings(routines=(morning,)))
    assert plan.step(0, START + timedelta(minutes=31), None, Hold.QUIET).show == ()
    clock_wait, wall_wait = plan.waits(START + timedelta(minutes=31))
    assert clock_wait is None and wall_wait == 60  # looks again in a minute whether it may be shown
    assert [p.key for p in plan.step(0, START + timedelta(minutes=40), None, None).show] == ["warm-up"]
    plan.answer("warm-up", events.Outcome.SKIPPED, START + timedelta(minutes=41))
    plan.step(0, START + timedelta(days=1, minutes=31), None, Hold.DO_NOT_DISTURB)
    assert plan.step(0, START + timedelta(days=1, hours=13), None, None).show == ()


def test_snoozing_a_routine_asks_again_ten_minutes_later() -> None:
    morning = model.RoutineReminder("warm-up", "warm-up", (time(9, 30),))
    plan = planner_with(model.ReminderSettings(routines=(morning,)))
    at = START + timedelta(minutes=30)
    assert len(plan.step(0, at, None, None).show) == 1
    plan.answer("warm-up", events.Outcome.SNOOZED, at)
    assert plan.waits(at)[1] == 600
    assert plan.step(0, at + timedelta(minutes=9), None, None).show == ()
    assert [p.key for p in plan.step(0, at + timedelta(minutes=10), None, None).show] == ["warm-up"]


def test_new_settings_do_not_fire_times_already_past_and_removed_reminders_are_taken_down() -> None:
    morning = model.RoutineReminder("warm-up", "warm-up", (time(8, 0),))
    plan = planner_with(model.ReminderSettings(model.BreakReminder(True, 60)))
    assert plan.apply(model.ReminderSettings(model.BreakReminder(True, 60), (morning,)), START).withdraw == ()
    assert plan.step(0, START + timedelta(minutes=1), None, None).show == ()  # 08:00 was before it was set
    for minute in range(1, 61):
        step = plan.step(minute * 60.0, START + timedelta(minutes=minute), 0.0, None)
    assert [p.key for p in step.show] == ["break"]
    assert plan.apply(model.ReminderSettings(), START + timedelta(hours=1)).withdraw == ("break",)
    assert plan.counter is None and plan.waits(START) == (None, None)


def test_upcoming_is_the_sooner_of_the_break_and_the_next_routine() -> None:
    later = model.RoutineReminder("warm-up", "warm-up", (time(9, 20),))
    plan = planner_with(model.ReminderSettings(model.BreakReminder(True, 60), (later,)))
    soon = plan.upcoming(START)
    assert soon is not None and not soon.is_break and soon.seconds == 20 * 60
    plan.step(0.0, START, 0.0, None)
    nearly = plan.upcoming(START + timedelta(minutes=30))
    assert nearly is not None and nearly.is_break and nearly.seconds == 60 * 60


def test_breaks_text_counts_the_last_seven_days() -> None:
    today = date(2026, 12, 2)
    line = events.breaks_text({today: 2, today - timedelta(days=1): 3, today - timedelta(days=9): 5}, today)
    assert line.startswith("Stand-and-stretch breaks taken: today: 2 · ") and line.endswith(": 3.")
    assert events.breaks_text({}, today) == "No stand-and-stretch breaks taken in the last 7 days."


def test_the_clinician_report_says_how_often_scheduled_routines_were_done(tmp_path: Path) -> None:
    from spasmcoach.core.history.report_content import gather, scheduled_rows

    day = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        for offset in range(3):
            when = day + timedelta(days=offset)
            events.record(journal, events.Outcome.SHOWN, "warm-up", "warm-up", now=when)
            if offset != 1:
                events.record(journal, events.Outcome.TAKEN, "warm-up", "warm-up", now=when)
        events.record(journal, events.Outcome.TAKEN, "break", "desk-break", now=day)
        assert scheduled_rows(journal, None, None, {"warm-up": "Gentle warm-up"}) == [["Gentle warm-up", "3", "2"]]
        content = gather(journal, since=day, until=day + timedelta(days=7), now=day + timedelta(days=7), tz=UTC)
    assert [row[1:] for row in content.scheduled] == [["3", "2"]]  # the break is not a scheduled routine


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) reads the PDF")
def test_the_pdf_has_the_scheduled_routines_section(qapp: object, tmp_path: Path) -> None:
    import subprocess

    from spasmcoach.documents.report import write_report

    day = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        events.record(journal, events.Outcome.SHOWN, "warm-up", "warm-up", now=day)
        events.record(journal, events.Outcome.TAKEN, "warm-up", "warm-up", now=day)
        write_report(journal, tmp_path / "report.pdf", since=day, until=day + timedelta(days=1), now=day, tz=UTC)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Routines on a schedule" in text and "Started from the reminder" in text
