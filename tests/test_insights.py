"""History rows, filters, plain-word insights, per-routine stats and CSV, on a generated week of use.

The week itself lives in tests/history_data.py, shared with the History view and report tests.
"""

from __future__ import annotations

import argparse
import csv
import io
from datetime import date
from pathlib import Path

import pytest
from history_data import (
    HAM,
    LBR,
    NOW,
    TITLES,
    Week,
    add_session,
    journal_fixture,  # noqa: F401  (a fixture)
    local,
    week_fixture,  # noqa: F401  (a fixture)
)

from spasmcoach.core import paths
from spasmcoach.core.history import (
    EVENT_CSV_COLUMNS,
    HISTORY_CSV_COLUMNS,
    Insight,
    RowKind,
    history_rows,
    insights,
    load_history,
    routine_stats,
    routine_stats_text,
    write_history_csv,
)
from spasmcoach.core.journal import Journal
from spasmcoach.core.pain import PAIN_RISE_WARNING, pain_change, pain_rose
from spasmcoach.core.wording import day_range, pain_change_text

# -- rows ----------------------------------------------------------------------------------------------------


def test_sessions_are_joined_with_their_pain_stop(journal: Journal, week: Week) -> None:
    history = load_history(journal, titles=TITLES)
    assert len(history.sessions) == 10 and len(history.stops) == 2 and len(history.timers) == 7
    by_id = {s.id: s for s in history.sessions}
    monday = by_id[week.sessions["mon"]]
    assert monday.result == "Stopped for pain at Knee to chest"
    assert monday.stop is not None and monday.stop.id == week.stops["mon"]
    assert monday.pain_text == "7 → ?" and monday.change is None
    assert monday.duration == 5 * 60
    friday = by_id[week.sessions["fri"]]
    assert (friday.result, friday.pain_text, friday.change) == ("Completed", "5 → 3", -2)
    thursday_stop = next(p for p in history.stops if p.id == week.stops["thu"])
    assert thursday_stop.where == "Hamstring stretch with a towel (hold, left side, rep 1)"
    assert thursday_stop.symptoms == ("tingling",) and thursday_stop.note == "Tingling down the left leg"
    assert thursday_stop.title == HAM[1]


def test_stopped_early_and_unfinished_sessions_say_so(journal: Journal) -> None:
    early, _ = add_session(journal, LBR, local(20, 8), 3, 5, None, outcome="stopped")
    running, _ = add_session(journal, LBR, local(20, 9), 3, 5, None, outcome="running")
    by_id = {s.id: s for s in load_history(journal).sessions}
    assert by_id[early].result == "Stopped early after 6 of 6 steps"
    assert by_id[running].result == "Not finished" and by_id[running].duration is None


def test_timer_uses_group_their_events(journal: Journal, week: Week) -> None:
    uses = {u.timer: u for u in load_history(journal, titles=TITLES).timers}
    cycle = uses["t161000"]
    assert cycle.title == "Ice cycle, 20 min on / 30 min off × 3"
    assert (cycle.outcome, cycle.result, cycle.duration, cycle.cycles) == (
        "cancelled",
        "Cancelled",
        45 * 60,
        3,
    )
    assert set(cycle.event_ids) == set(week.timers["ice-mon"]) and len(cycle.event_ids) == 3
    saturday = uses["t211600"]
    assert saturday.outcome == "running" and saturday.ended is None and not saturday.cold


def test_timer_title_without_the_preset_file(journal: Journal, week: Week) -> None:
    titles = {u.timer: u.title for u in load_history(journal).timers}
    assert titles["t150900"] == "Ice, 20 min"
    assert titles["t181900"] == "Heat, 20 min"


def test_date_range_is_local_days_inclusive(journal: Journal, week: Week) -> None:
    since, until = day_range(date(2026, 11, 16), date(2026, 11, 17))
    history = load_history(journal, since=since, until=until)
    assert [s.id for s in history.sessions] == [week.sessions[k] for k in ("mon", "mon-rest", "tue")]
    assert [p.id for p in history.stops] == [week.stops["mon"]]
    assert len(history.timers) == 2


def test_a_stop_just_after_the_range_stays_with_its_session(journal: Journal) -> None:
    session_id, stop_id = add_session(journal, LBR, local(16, 23, 58), 4, 6, None, stop=("Pelvic tilt", 7, [], None, 3))
    since, until = day_range(date(2026, 11, 16), date(2026, 11, 16))
    history = load_history(journal, since=since, until=until)
    assert history.sessions[0].stop is not None and history.sessions[0].stop.id == stop_id
    assert history.stops == []  # the stop itself happened on the 17th


def test_routine_filter_keeps_that_routine_only(journal: Journal, week: Week) -> None:
    history = load_history(journal, routine=HAM[0])
    assert [s.id for s in history.sessions] == [week.sessions["thu"]]
    assert [p.id for p in history.stops] == [week.stops["thu"]]
    assert history.timers == []


def test_rows_filter_by_kind_newest_first(journal: Journal, week: Week) -> None:
    history = load_history(journal)
    rows = history_rows(history)
    assert len(rows) == 10 + 2 + 7
    assert [r.time for r in rows] == sorted((r.time for r in rows), reverse=True)
    stops = history_rows(history, [RowKind.PAIN_STOP])
    assert [r.id for r in stops] == [week.stops["thu"], week.stops["mon"]]
    assert stops[0].pain_text == "6" and stops[0].details == "tingling · “Tingling down the left leg”"
    assert {r.kind for r in history_rows(history, ["session", "timer"])} == {RowKind.SESSION, RowKind.TIMER}


def test_deleting_one_entry_leaves_the_others(journal: Journal, week: Week) -> None:
    before = {r.key: r for r in history_rows(load_history(journal))}
    journal.delete_session(week.sessions["wed"], now=NOW)
    journal.delete_event(week.stops["thu"], now=NOW)
    for event_id in week.timers["heat-wed"]:
        journal.delete_event(event_id, now=NOW)
    after = {r.key: r for r in history_rows(load_history(journal))}
    gone = set(before) - set(after)
    assert gone == {
        ("session", week.sessions["wed"]),
        ("pain_stop", week.stops["thu"]),
        ("timer", week.timers["heat-wed"][0]),
    }
    assert all(after[key] == before[key] for key in after)  # Thursday's session still says where it stopped
    journal.restore_session(week.sessions["wed"], now=NOW)
    journal.restore_event(week.stops["thu"], now=NOW)
    for event_id in week.timers["heat-wed"]:
        journal.restore_event(event_id, now=NOW)
    assert {r.key: r for r in history_rows(load_history(journal))} == before


# -- insights ------------------------------------------------------------------------------------------------


def texts(found: list[Insight]) -> dict[str, str]:
    return {i.key: i.text for i in found}


def test_insights_in_plain_words(journal: Journal, week: Week) -> None:
    found = texts(insights(journal, now=NOW))
    assert found["overall"] == "Pain was lower after 6 of 9 rated sessions, higher after 1."
    assert found["week"] == ("This week (the last 7 days): 10 sessions, 8 completed, 2 stopped because pain increased.")
    # Lower-back: 7→6, 6→5, 6→4, 5→3, 4→3 = -7 over 5 rated sessions (Monday's stop has no "after").
    assert found["routine:lower-back-release"] == (
        "Pain went down by 1.4 points on average after Lower-back spasm release (5 sessions)."
    )
    assert found["routine:acute-rest-positions"] == (
        "Pain went down by 1 point on average after Rest positions for a fresh spasm (1 session)."
    )
    assert found["routine:hamstring-hip-stretches"] == (
        "Pain went up by 1 point on average after Hamstring, hip and calf stretches (1 session)."
    )
    assert found["routine:desk-break"] == "Pain stayed about the same after Desk break (1 session)."
    assert found["stops"] == (
        "Stopped because of pain at: Hamstring stretch with a towel (Hamstring, hip and calf stretches) and "
        "Knee to chest (Lower-back spasm release)."
    )
    assert found["timers"] == "Used ice 3 times and heat 3 times. 1 timer not finished yet."  # Saturday's runs on
    assert found["episode"] == "The spasm started 6 days ago, on Sunday 15 November."
    keys = list(found)
    assert keys[:4] == ["episode", "overall", "week", "stops"] and keys[-1] == "timers"
    assert keys.index("routine:lower-back-release") < keys.index("routine:hamstring-hip-stretches")


def test_insights_for_an_empty_journal(journal: Journal) -> None:
    found = texts(insights(journal, now=NOW))
    assert found == {
        "week": "No sessions in the last 7 days.",
        "stops": "No stops because of pain in this period.",
    }


def test_week_counts_only_the_last_seven_days(journal: Journal, week: Week) -> None:
    found = texts(insights(journal, now=local(24, 12)))
    assert found["week"].startswith("This week (the last 7 days): 6 sessions, 5 completed, 1 stopped")
    assert found["episode"] == "The spasm started 9 days ago, on Sunday 15 November."


def test_most_stopped_steps_counts_repeats(journal: Journal, week: Week) -> None:
    add_session(journal, LBR, local(21, 17), 3, 5, None, stop=("Knee to chest", None, [], None, 1))
    found = texts(insights(journal, now=NOW))
    assert found["stops"] == (
        "Most often stopped at: Knee to chest (Lower-back spasm release), twice; "
        "Hamstring stretch with a towel (Hamstring, hip and calf stretches), once."
    )


@pytest.mark.parametrize(
    ("average", "words"),
    [
        (-1.5, "went down by 1.5 points"),
        (1.0, "went up by 1 point"),
        (0.0, "stayed about the same"),
        (-0.04, "stayed about the same"),
        (-2.0, "went down by 2 points"),
        (None, ""),
    ],
)
def test_pain_change_words(average: float | None, words: str) -> None:
    assert pain_change_text(average) == words


@pytest.mark.parametrize(
    ("before", "after", "change", "rose"),
    [(6, 3, -3, False), (4, 5, 1, False), (4, 6, 2, True), (2, 9, 7, True), (None, 5, None, False)],
)
def test_one_pain_change_rule(before: int | None, after: int | None, change: int | None, rose: bool) -> None:
    """The history, the library and the guided session share one rule: a rise of 2 points or more is said."""
    assert PAIN_RISE_WARNING == 2
    assert pain_change(before, after) == change and pain_rose(before, after) is rose


# -- per-routine stats ---------------------------------------------------------------------------------------


def test_routine_stats_for_the_library(journal: Journal, week: Week) -> None:
    stats = routine_stats(journal, LBR[0])
    assert (stats.times_done, stats.completed, stats.rated) == (6, 5, 5)
    assert stats.average_change == pytest.approx(-1.4)
    assert stats.last_stop is not None and stats.last_stop.id == week.stops["mon"]
    assert routine_stats_text(stats, NOW) == (
        "Done 6 times, last today. Pain went down by 1.4 points on average afterwards. "
        "Last stop: Knee to chest (sharper), 5 days ago."
    )
    ham = routine_stats_text(routine_stats(journal, HAM[0]), NOW)
    assert (
        ham == "Done once, last 2 days ago. Pain went up by 1 point on average afterwards. "
        "Last stop: Hamstring stretch with a towel (tingling), 2 days ago."
    )
    assert routine_stats_text(routine_stats(journal, "warm-up"), NOW) == "Not done yet."


# -- CSV ----------------------------------------------------------------------------------------------------


def test_history_csv_round_trips(journal: Journal, week: Week) -> None:
    journal.update_event(week.stops["mon"], note='=HYPERLINK("http://x")', now=NOW)
    rows = history_rows(load_history(journal, titles=TITLES))
    out = io.StringIO()
    assert write_history_csv(rows, out) == len(rows)
    records = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(records[0]) == list(HISTORY_CSV_COLUMNS)
    friday = next(r for r in records if r["kind"] == "session" and r["id"] == str(week.sessions["fri"]))
    assert friday == {
        **friday,
        "date": "2026-11-20",
        "time": "10:00",
        "what": "Lower-back spasm release",
        "result": "Completed",
        "minutes": "12",
        "pain_before": "5",
        "pain_after": "3",
        "pain_change": "-2",
    }
    stop = next(r for r in records if r["kind"] == "pain_stop" and r["id"] == str(week.stops["mon"]))
    assert stop["note"] == '\'=HYPERLINK("http://x")' and stop["symptoms"] == "sharper" and stop["pain"] == "8"
    assert sum(r["kind"] == "timer" for r in records) == 7


def test_log_csv_writes_every_event(journal: Journal, week: Week) -> None:
    from spasmcoach.commands.history import write_log_csv

    out = io.StringIO()
    count = write_log_csv(journal, local(19, 0), out)
    records = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(records) == len(journal.events(since=local(19, 0)))
    assert list(records[0]) == list(EVENT_CSV_COLUMNS)
    stop = next(r for r in records if r["type"] == "pain_stop")
    assert (stop["step"], stop["symptoms"], stop["seconds"], stop["pain"]) == (
        "Hamstring stretch with a towel",
        "tingling",
        "12",
        "6",
    )
    assert '"preset": "heat-20"' in next(r for r in records if r["type"] == "timer_start")["data"]


def test_log_csv_command_on_a_missing_journal(spasmcoach_home: Path) -> None:
    from spasmcoach.commands.history import cmd_log_csv

    out = io.StringIO()
    assert cmd_log_csv(argparse.Namespace(since=None, limit=None), out) == 0
    assert out.getvalue().splitlines() == [",".join(EVENT_CSV_COLUMNS)]
    assert not paths.journal_path().exists()


# -- shown honestly (issue 12 §4) ------------------------------------------------------------------------------
def test_a_deleted_stop_is_not_counted_anywhere_at_a_glance(journal: Journal, week: Week) -> None:
    journal.delete_event(week.stops["mon"], now=NOW)
    journal.delete_event(week.stops["thu"], now=NOW)
    found = texts(insights(journal, now=NOW))
    assert found["stops"] == "No stops because of pain in this period."
    assert "stopped because pain increased" not in found["week"]
    assert found["week"] == "This week (the last 7 days): 10 sessions, 8 completed."


def test_a_timer_still_running_is_not_counted_as_used(journal: Journal) -> None:
    from history_data import add_timer

    add_timer(journal, "ice-20", "cold", local(21, 9), 20)
    add_timer(journal, "ice-20", "cold", local(21, 11), 20, end="")  # still running
    found = texts(insights(journal, now=NOW))
    assert found["timers"] == "Used ice once. 1 timer not finished yet."
    assert "twice" not in found["timers"]


def test_timer_days_are_listed_once_each(journal: Journal) -> None:
    from history_data import add_timer

    from spasmcoach.core.history.report_content import timer_rows

    add_timer(journal, "ice-20", "cold", local(18, 9), 20)
    add_timer(journal, "ice-20", "cold", local(18, 15), 20)
    add_timer(journal, "ice-20", "cold", local(19, 9), 20)
    (row,) = timer_rows(load_history(journal, titles=TITLES), tz=None)
    assert row[-1] == "Wed 18, Thu 19"


def test_a_length_never_breaks_between_a_number_and_its_unit(journal: Journal) -> None:
    from spasmcoach.core.wording import length_text

    assert length_text(71) == "1\u00a0min 11\u00a0s"
    assert length_text(45) == "45\u00a0s" and length_text(3700) == "1\u00a0h 2\u00a0min"
    add_session(journal, LBR, local(18, 10), 71 / 60, 5, 4)
    from spasmcoach.core.history.report_content import session_rows

    cells = [cell for cells in session_rows(load_history(journal), tz=None) for cell in cells]
    assert "1\u00a0min 11\u00a0s" in cells


def stop_red_rows(journal: Journal, pain: int | None, qapp: object) -> list[int]:
    """Paint the chart of one pain stop rated ``pain`` and return the y of every pixel in the stop's red
    below the legend (the top 20 pixels)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from spasmcoach.documents.pain_chart import paint_pain_chart

    add_session(journal, LBR, local(18, 10), 5, None, None, stop=("Knee to chest", pain, [], None, 1))
    history = load_history(journal)
    image = QImage(800, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_pain_chart(painter, QRectF(0, 0, 800, 400), history, first=date(2026, 11, 18), last=date(2026, 11, 18))
    painter.end()
    red = QColor("#C53030").rgb()
    return sorted({y for y in range(20, 400) for x in range(0, 800) if image.pixel(x, y) == red})


def test_an_unrated_pain_stop_is_not_drawn_as_a_10(journal: Journal, qapp: object) -> None:
    rows = stop_red_rows(journal, None, qapp)
    assert rows, "the stop must still be drawn"
    assert min(rows) > 300  # in the row under the axis, not at the top of the 0-10 scale


def test_a_rated_pain_stop_sits_at_its_rating(journal: Journal, qapp: object) -> None:
    rows = stop_red_rows(journal, 10, qapp)
    assert rows and min(rows) < 150  # a real 10 is drawn at the top


def test_an_unrated_stop_says_not_rated_in_the_report_table(journal: Journal) -> None:
    from spasmcoach.core.history.report_content import stop_rows

    add_session(journal, LBR, local(18, 10), 5, None, None, stop=("Knee to chest", None, [], None, 1))
    (row,) = stop_rows(load_history(journal), tz=None)
    assert row[2] == "not rated"
