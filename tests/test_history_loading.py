"""Loading History quickly: ratings kept between filter changes (and re-read when the journal changes), the
calendar's days worked out off the GUI thread, and the CSV export with the diary's check-ins and relievers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import shown_history
from history_data import LBR, NOW, add_session, local
from PySide6.QtGui import QShowEvent
from pytestqt.qtbot import QtBot

from spasmcoach.core import diary
from spasmcoach.core.diary.calendar import daily_pain
from spasmcoach.core.diary.fhir import RATED_EVENTS
from spasmcoach.core.history.query import HistoryRequest, RatingsCache, load_page
from spasmcoach.core.journal import Journal
from spasmcoach.core.wording import day_range
from spasmcoach.gui.history import HistoryView


@pytest.fixture
def journal(spasmcoach_home: Path) -> Iterator[Journal]:
    spasmcoach_home.mkdir(parents=True, exist_ok=True)
    with Journal.open() as opened:
        diary.record_checkin(opened, diary.CheckIn.build(4, areas=["neck"]), now=local(16, 8))
        diary.record_reliever(opened, diary.Reliever.build("=Own tablets", "2 tablets"), now=local(17, 7))
        add_session(opened, LBR, local(18, 9), 12, 6, 3)
        yield opened


class CountingReads:
    """The journal's reads, counting how often the ratings are read."""

    def __init__(self, journal: Journal) -> None:
        self.journal, self.rating_reads = journal, 0

    def pain_ratings(self, types: Any, **query: Any) -> Any:
        if set(types) == set(RATED_EVENTS):
            self.rating_reads += 1
        return self.journal.pain_ratings(types, **query)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.journal, name)


def test_ratings_are_kept_for_the_same_range_and_read_again_for_another_or_after_a_clear(journal: Journal) -> None:
    reads, cache = CountingReads(journal), RatingsCache()
    since, until = day_range(date(2026, 11, 15), date(2026, 11, 21))
    week = HistoryRequest(now=NOW, since=since, until=until)
    first = load_page(reads, week, ratings=cache)  # type: ignore[arg-type]
    again = load_page(reads, HistoryRequest(now=NOW, since=since, until=until, routine=LBR[0]), ratings=cache)  # type: ignore[arg-type]
    assert reads.rating_reads == 1 and again.days == first.days
    assert first.days == daily_pain(journal.events(since=since, until=until, types=list(RATED_EVENTS)))
    assert set(first.days) == {date(2026, 11, 16), date(2026, 11, 18)}  # the check-in and the routine's ratings
    load_page(reads, HistoryRequest(now=NOW), ratings=cache)  # type: ignore[arg-type]
    assert reads.rating_reads == 2
    cache.clear()
    load_page(reads, HistoryRequest(now=NOW), ratings=cache)  # type: ignore[arg-type]
    assert reads.rating_reads == 3


def test_a_new_rating_shows_in_the_calendar_after_the_page_re_reads(qtbot: QtBot, journal: Journal) -> None:
    view = shown_history(qtbot, journal, date(2026, 11, 15), date(2026, 11, 21))
    assert set(view.diary.calendar.days) == {date(2026, 11, 16), date(2026, 11, 18)}
    view.set_routine(LBR[0])  # a filter change reuses the ratings: same calendar
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
    assert set(view.diary.calendar.days) == {date(2026, 11, 16), date(2026, 11, 18)}
    diary.record_checkin(journal, diary.CheckIn.build(7, areas=["neck"]), now=local(20, 9))
    view.showEvent(QShowEvent())  # coming back to the page: the journal may have changed, so nothing is reused
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
    assert date(2026, 11, 20) in view.diary.calendar.days


def test_the_csv_export_has_check_ins_and_relievers_after_the_rows(
    qtbot: QtBot, journal: Journal, tmp_path: Path
) -> None:
    view = HistoryView(journal, now=lambda: NOW)
    qtbot.addWidget(view)
    view.setMinimumSize(1200, 760)
    view.show()
    view.set_dates(date(2026, 11, 15), date(2026, 11, 21))
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
    target = tmp_path / "history.csv"
    assert view.export_csv(target) == 3
    records = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    assert [r["kind"] for r in records] == ["session", "reliever_taken", "checkin"]
    reliever = records[1]
    assert reliever["what"] == "'=Own tablets" and reliever["result"] == "2 tablets"  # defused against formulas
    assert records[2]["what"] == "Check-in" and records[2]["pain"] == "4" and "neck" in records[2]["result"]
    assert "3 entries" in view.status.text()
