"""The diary in History and the documents: the calendar, the chart's marks, CSV, ``log``, the clinician's PDF."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from gui_helpers import shown_history
from history_data import NOW, local
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from spasmcoach import cli
from spasmcoach.core import diary
from spasmcoach.core.diary import episodes
from spasmcoach.core.diary.calendar import DayMeasure, daily_pain
from spasmcoach.core.diary.fhir import RATED_EVENTS
from spasmcoach.core.history import load_history
from spasmcoach.core.journal import Journal
from spasmcoach.core.wording import day_range
from spasmcoach.documents.pain_chart import CHECKIN_COLOUR, RELIEVER_COLOUR, paint_pain_chart, summary_text
from spasmcoach.gui.history.calendar import PAIN_COLOURS, colour_for


@pytest.fixture
def journal(spasmcoach_home: Path) -> Iterator[Journal]:
    spasmcoach_home.mkdir(parents=True, exist_ok=True)
    with Journal.open() as opened:
        yield opened


def checkin(journal: Journal, day: int, hour: int, pain: int, *areas: str) -> None:
    diary.record_checkin(journal, diary.CheckIn.build(pain, areas=areas, qualities=["aching"]), now=local(day, hour))


@pytest.fixture
def diary_week(journal: Journal) -> Journal:
    """Check-ins on the 16th (2 and 8, in two areas), the 18th (5), one routine rating on the 19th, a reliever."""
    checkin(journal, 16, 8, 2, "neck")
    checkin(journal, 16, 20, 8, "lower-back-centre", "buttock")
    checkin(journal, 18, 9, 5, "lower-back-centre")
    sid = journal.start_session("desk-break", "Desk break", pain_before=6, steps_total=2, now=local(19, 10))
    journal.end_session(sid, outcome="completed", steps_done=2, now=local(19, 10, 10))
    diary.record_reliever(journal, diary.Reliever.build("Own tablets", "2 tablets"), now=local(17, 7))
    episodes.start(journal, at=local(15, 22), triggers=["lifting"], now=NOW)
    return journal


def test_calendar_colours_match_daily_pain_and_the_toggle(qtbot: QtBot, diary_week: Journal) -> None:
    view = shown_history(qtbot, diary_week, date(2026, 11, 15), date(2026, 11, 21))
    calendar = view.diary.calendar
    days = daily_pain(diary_week.events(types=list(RATED_EVENTS)))
    assert set(calendar.days) == set(days)
    for day, found in days.items():
        assert calendar.cell_colour(day) == colour_for(found.highest)
    assert calendar.cell_colour(date(2026, 11, 16)) == PAIN_COLOURS[8]
    assert calendar.cell_colour(date(2026, 11, 17)) is None  # a reliever is not a rating: the day stays blank
    assert calendar.cell_colour(date(2026, 11, 19)) == PAIN_COLOURS[6]  # a routine's rating counts too
    view.diary.measure.setCurrentIndex(1)  # the day's average
    assert calendar.measure is DayMeasure.AVERAGE
    assert calendar.cell_colour(date(2026, 11, 16)) == PAIN_COLOURS[5]  # (2 + 8) / 2
    view.diary.area.setCurrentIndex(view.diary.area.findData("neck"))  # filter by area
    assert list(calendar.days) == [date(2026, 11, 16)] and calendar.cell_colour(date(2026, 11, 16)) == PAIN_COLOURS[2]
    calendar.setFocus()
    calendar.current = date(2026, 11, 15)
    QTest.keyClick(calendar, Qt.Key.Key_Right)  # the keyboard moves from day to day, read out in words
    assert calendar.accessibleDescription().startswith("Mon 16 Nov: highest 2, average 2 (1 rating); neck")
    QTest.keyClick(calendar, Qt.Key.Key_Down)
    assert calendar.accessibleDescription() == "Sat 21 Nov: no rating"  # a week on, held to the range's last day
    assert "Started" in view.diary.episodes.text() and "Lifting" in view.diary.episodes.text()
    view.close()


def test_chart_shows_checkins_and_relievers(qapp: QApplication, diary_week: Journal) -> None:
    since, until = day_range(date(2026, 11, 15), date(2026, 11, 21))
    history = load_history(diary_week, since=since, until=until)
    assert [e.pain for e in history.checkins] == [2, 8, 5] and len(history.relievers) == 1
    assert summary_text(history) == "Pain chart: 1 session with pain ratings, 3 check-ins, 1 pain reliever."
    image = QImage(900, 360, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    paint_pain_chart(painter, image.rect().toRectF(), history, first=date(2026, 11, 15), last=date(2026, 11, 21))
    painter.end()
    colours = {image.pixelColor(x, y).name().upper() for x in range(0, 900, 2) for y in range(0, 360, 2)}
    assert CHECKIN_COLOUR.upper() in colours and RELIEVER_COLOUR.upper() in colours


def test_log_describes_checkins_relievers_and_triggers(diary_week: Journal, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert cli.main(["log", "--limit", "20"], out) == 0
    text = out.getvalue()
    assert "checkin        lower back, centre, buttock · aching · pain 8" in text
    assert "reliever taken Own tablets · 2 tablets" in text
    assert "episode start  lifting" in text


def test_csv_has_the_diary_columns(diary_week: Journal) -> None:
    out = io.StringIO()
    assert cli.main(["log", "--csv"], out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    header = out.getvalue().splitlines()[0].split(",")
    assert header[-6:] == ["areas", "qualities", "helped", "reliever", "amount", "triggers"]
    by_type = {row["type"]: row for row in rows}
    assert by_type["reliever_taken"]["reliever"] == "Own tablets" and by_type["reliever_taken"]["amount"] == "2 tablets"
    assert by_type["episode_start"]["triggers"] == "lifting"
    assert [r["areas"] for r in rows if r["type"] == "checkin"] == [
        "neck",
        "lower-back-centre; buttock",
        "lower-back-centre",
    ]


def test_a_reliever_name_cannot_become_a_spreadsheet_formula(journal: Journal) -> None:
    diary.record_reliever(journal, diary.Reliever.build("=HYPERLINK(1)", "+2"), now=NOW - timedelta(hours=1))
    out = io.StringIO()
    cli.main(["log", "--csv"], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["reliever"] == "'=HYPERLINK(1)" and row["amount"] == "'+2"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) reads the PDF")
def test_report_lists_the_episode_areas_relievers_and_triggers(
    qapp: QApplication, diary_week: Journal, tmp_path: Path
) -> None:
    from spasmcoach.documents.report import write_report

    since, until = day_range(date(2026, 11, 15), date(2026, 11, 21))
    target = tmp_path / "report.pdf"
    write_report(diary_week, target, since=since, until=until, now=NOW)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())  # fmt: skip
    assert "The latest spasm, day by day" in text
    assert "Mon 16 Nov 8 5 2 Neck; Lower back, centre; Buttock" in text
    assert "Episodes and what set them" in text and "not yet 5 days 20 hours so far Lifting" in text
    assert "Pain by area (check-ins)" in text and "Lower back, centre 2 8 6.5" in text
    assert "Pain relievers taken" in text and "Own tablets 2 tablets" in text
