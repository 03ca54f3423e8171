"""History on a long journal: paged rows (all of them, in order), averaged chart, quick first-entry and
title queries, and reading on a worker through a read-only connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from spasmcoach.core.history import RowKind, history_rows, load_history
from spasmcoach.core.history.query import CHART_COLUMNS, chart_history, first_entry_time
from spasmcoach.core.history.table import HistoryRows
from spasmcoach.core.journal import Journal, JournalError, format_time
from spasmcoach.gui import chart
from spasmcoach.gui.history import HistoryView
from spasmcoach.gui.history.model import PAGE_ROWS

START = datetime(2025, 1, 1, 9, tzinfo=UTC)
DAYS = 400
NOW = (START + timedelta(days=DAYS)).astimezone()


def fill(journal: Journal) -> None:
    """Two sessions a day for DAYS days (pain 6 -> 4, and 5 -> 5), in one transaction, as the app stores them."""
    with journal._write() as conn:
        for day in range(DAYS):
            for slot, (routine, title, before, after) in enumerate(
                (("lbr", "Lower back", 6, 4), ("desk", f"Desk break v{day // 100}", 5, 5))
            ):
                started = START + timedelta(days=day, hours=slot * 6)
                ended = started + timedelta(minutes=10)
                conn.execute(
                    "INSERT INTO sessions (routine, title, started, ended, outcome, pain_before, pain_after, "
                    "steps_done, steps_total) VALUES (?, ?, ?, ?, 'completed', ?, ?, 3, 3)",
                    (routine, title, format_time(started), format_time(ended), before, after),
                )


@pytest.fixture
def journal(spasmcoach_home: Path) -> Iterator[Journal]:
    spasmcoach_home.mkdir(parents=True, exist_ok=True)
    with Journal.open() as opened:
        fill(opened)
        yield opened


def shown_view(qtbot: QtBot, journal: Journal) -> HistoryView:
    view = HistoryView(journal, now=lambda: NOW, titles={})
    qtbot.addWidget(view)
    view.setMinimumSize(1200, 760)  # a fixed top-level size: offscreen warns when size hints change while shown
    view.show()
    return view


def test_the_table_pages_through_every_row_in_order(qtbot: QtBot, journal: Journal) -> None:
    view = shown_view(qtbot, journal)
    view.set_period("Everything")
    qtbot.waitUntil(lambda: not view.loading and len(view.shown_rows()) == 2 * DAYS, timeout=10_000)
    model = view.model
    assert model.rowCount() == PAGE_ROWS < 2 * DAYS  # only the first page is handed to the view
    seen: list[tuple[str, int]] = []
    while True:
        seen += [model.rows[r].key for r in range(len(seen), model.rowCount())]
        if not model.canFetchMore(QModelIndex()):
            break
        model.fetchMore(QModelIndex())
    expected = [r.key for r in history_rows(load_history(journal))]
    assert seen == expected and len(set(seen)) == 2 * DAYS  # all of them, newest first, none twice
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [r.key for r in view.shown_rows()] == expected[::-1]
    oldest_desk = ("session", 2)
    assert view.select_key(oldest_desk) and view.selected_key() == oldest_desk


def test_a_row_beyond_the_first_page_is_fetched_when_selected(qtbot: QtBot, journal: Journal) -> None:
    view = shown_view(qtbot, journal)
    view.set_period("Everything")
    qtbot.waitUntil(lambda: not view.loading and len(view.shown_rows()) == 2 * DAYS, timeout=10_000)
    oldest = view.shown_rows()[-1].key
    assert view.model.rowCount() < 2 * DAYS
    assert view.select_key(oldest) and view.selected_key() == oldest
    assert view.model.rowCount() == 2 * DAYS


def test_the_chart_averages_long_ranges_and_keeps_short_ones(journal: Journal) -> None:
    history = load_history(journal)
    chart = chart_history(history)
    assert len(chart.sessions) <= CHART_COLUMNS < len(history.sessions)
    # Two routines a day, 6 -> 4 and 5 -> 5: each averaged mark is 5.5 -> 4.5, rounded half to even.
    assert {(s.pain_before, s.pain_after) for s in chart.sessions} == {(round(5.5), round(4.5))}
    first, last = date(2025, 3, 1), date(2025, 3, 31)
    month = load_history(journal, since=datetime(2025, 3, 1, tzinfo=UTC), until=datetime(2025, 4, 1, tzinfo=UTC))
    assert chart_history(month, first, last) is month  # 31 days: every session drawn as it is


def test_first_entry_and_routine_titles_are_single_queries(journal: Journal) -> None:
    assert first_entry_time(journal) == START
    journal.delete_session(1)
    assert first_entry_time(journal) == START + timedelta(hours=6)
    journal.record("timer_start", data={"timer": "t"}, now=START - timedelta(days=1))
    assert first_entry_time(journal) == START - timedelta(days=1)
    assert journal.routine_titles() == {"lbr": "Lower back", "desk": f"Desk break v{(DAYS - 1) // 100}"}


def test_the_reader_cannot_write_and_sees_committed_rows(journal: Journal) -> None:
    reader = journal.reader()
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader._connection().execute("UPDATE sessions SET deleted = 1")
        journal.delete_session(3)
        assert 3 not in {s.id for s in reader.sessions()}
    finally:
        reader.close()


def test_a_missing_file_is_a_journal_error(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.sqlite")
    journal.close()
    journal.path = tmp_path / "gone" / "j.sqlite"
    with pytest.raises(JournalError):
        journal.reader()


def test_kinds_filter_reaches_the_worker(qtbot: QtBot, journal: Journal) -> None:
    view = shown_view(qtbot, journal)
    view.kind_boxes[RowKind.SESSION].setChecked(False)
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
    assert view.shown_rows() == []


def test_only_the_rows_on_screen_are_made(qtbot: QtBot, journal: Journal) -> None:
    view = shown_view(qtbot, journal)
    view.set_period("Everything")
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() > 0, timeout=10_000)
    rows = view.model.rows
    assert isinstance(rows, HistoryRows) and len(rows) == 2 * DAYS
    view.table.grab()  # painted: the visible rows are asked for
    assert 0 < rows.made <= PAGE_ROWS
    oldest = ("session", 1)
    assert view.select_key(oldest) and view.selected_key() == oldest  # found without making every row
    assert rows.made < 2 * DAYS
    view.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # another order needs every row's value
    assert [r.key for r in view.shown_rows()] == [
        r.key for r in sorted(history_rows(load_history(journal)), key=lambda r: r.what.lower())
    ]


def test_the_chart_is_drawn_on_the_worker_exactly_as_on_screen(
    qtbot: QtBot, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = shown_view(qtbot, journal)
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() > 0, timeout=10_000)
    assert view.loader.drawn is None  # a week's few marks: drawn where shown, in a few milliseconds
    monkeypatch.setattr(chart, "DRAW_AHEAD_FROM", 100)  # two years of two routines a day: 120 averaged marks
    view.set_period("Everything")
    qtbot.waitUntil(lambda: not view.loading and len(view.model.rows) == 2 * DAYS, timeout=10_000)
    drawn = view.loader.drawn
    assert drawn is not None and drawn.history is view.chart.history
    ahead = view.chart.grab().toImage()
    assert view.chart._drawn is drawn  # the paint showed what the worker drew, drawing nothing itself
    view.chart._drawn = None
    assert view.chart.grab().toImage() == ahead  # drawn there and then: the same pixels
    view.chart.resize(view.chart.width() - 40, view.chart.height())
    assert view.chart.grab().toImage().width() == view.chart.width()  # another size: drawn again
