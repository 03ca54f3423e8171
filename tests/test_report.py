"""The clinician's PDF report: it opens, is A4, has the expected pages and text; and ``spasmcoach report``."""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from history_data import (
    LBR,
    NOW,
    TITLES,
    Week,
    add_session,
    journal_fixture,  # noqa: F401  (a fixture)
    local,
    make_week,
    week_fixture,  # noqa: F401  (a fixture)
)
from PySide6.QtWidgets import QApplication

from spasmcoach.commands.common import UsageError
from spasmcoach.commands.history import cmd_report, default_since
from spasmcoach.core.journal import Journal
from spasmcoach.core.wording import day_range, range_text
from spasmcoach.documents.report import REPORT_TITLE, write_report

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="pdftotext and pdfinfo (poppler-utils) are needed to read the PDF",
)


def pdf_info(path: Path) -> dict[str, str]:
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in result.stdout.splitlines())}


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"[ \t]+", " ", result.stdout)


def the_week() -> dict[str, Any]:
    since, until = day_range(date(2026, 11, 15), date(2026, 11, 21))
    return {"since": since, "until": until, "now": NOW, "titles": TITLES}


@needs_poppler
def test_a_week_fits_on_one_a4_page_with_everything_a_clinician_needs(
    qapp: QApplication, journal: Journal, week: Week, tmp_path: Path
) -> None:
    target = tmp_path / "report.pdf"
    result = write_report(journal, target, **the_week())
    assert (result.pages, result.sessions, result.stops, result.timers) == (1, 10, 2, 7)
    info = pdf_info(target)
    assert info["Pages"] == "1" and info["Page size"].startswith("595") and "(A4)" in info["Page size"]
    assert info["Title"] == REPORT_TITLE
    text = pdf_text(target)
    for expected in [
        REPORT_TITLE,
        "15 to 21 November 2026",
        "not medical advice",
        "10 sessions of 5 routines: 8 completed, 2 stopped because pain increased.",
        "This spasm started on Sunday 15 November 2026.",
        # routines done, with the average change after each
        "Routines done",
        "Lower-back spasm release 6 5 1 went down by 1.4 points (5 rated)",
        # the chart: its key and its day labels
        "Pain before and after each session",
        "after the routine",
        "pain stop",
        "Sun 15",
        "Sat 21",
        # every session and every pain stop with step, symptoms and note
        "Mon 16 Nov 09:30",
        "Stopped for pain at Knee to chest",
        "Fri 20 Nov 10:00",
        "Knee to chest (hold,",
        "sharper",
        "Sharp twinge when I pulled the",
        "tingling",
        "Tingling down the left leg",
        # timer use
        "Ice and heat",
        "Ice pack, 20 minutes",
        "Heat, 20 minutes Heat 4 times",
        "Page 1 of 1",
    ]:
        assert expected in text, expected
    assert "7→?" in text.replace(" ", "") and "5→3" in text.replace(" ", "")  # pain before → after


@needs_poppler
def test_page_one_renders_to_a_picture(qapp: QApplication, journal: Journal, week: Week, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is needed to render the page")
    target = tmp_path / "report.pdf"
    write_report(journal, target, **the_week())
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(target), str(tmp_path / "page")],
        check=True,
    )
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "page-1.png"))
    assert (image.width(), image.height()) == (496, 702)  # A4 at 60 dpi
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}
    assert len(colours) > 20  # text, table shading and the chart's colours, not a blank page


@needs_poppler
def test_a_long_period_flows_onto_more_pages(qapp: QApplication, journal: Journal, tmp_path: Path) -> None:
    start = local(1, 9)
    for day in range(40):
        for hour in (0, 6):
            add_session(journal, LBR, start + timedelta(days=day, hours=hour), 12, 6, 4)
    add_session(journal, LBR, local(12, 20), 3, 5, None, stop=("Pelvic tilt", 7, ["numbness"], "Numb toes", 3))
    target = tmp_path / "long.pdf"
    since, until = day_range(date(2026, 11, 1), date(2026, 12, 10))
    result = write_report(journal, target, since=since, until=until, now=local(10, 12) + timedelta(days=30), titles={})
    assert result.pages >= 3 and pdf_info(target)["Pages"] == str(result.pages)
    last = pdf_text(target, result.pages)
    assert f"Page {result.pages} of {result.pages}" in last
    second = pdf_text(target, 2)
    assert "When" in second and "Routine" in second  # the table heading is repeated on the new page
    text = pdf_text(target)
    assert "Pelvic tilt" in text and "numbness" in text and "Numb toes" in text
    assert text.count("Lower-back spasm release") >= 81


@needs_poppler
def test_an_empty_period_still_makes_a_clear_report(qapp: QApplication, journal: Journal, tmp_path: Path) -> None:
    target = tmp_path / "empty.pdf"
    since, until = day_range(date(2026, 11, 1), date(2026, 11, 7))
    result = write_report(journal, target, since=since, until=until, now=NOW, titles={})
    assert result.pages == 1
    text = pdf_text(target)
    assert "No routines were done in this period." in text
    assert "No stops because of pain in this period." in text
    assert "No ice or heat timers in this period." in text
    assert "1 to 7 November 2026" in text


def test_range_text() -> None:
    assert range_text(date(2026, 11, 15), date(2026, 11, 21)) == "15 to 21 November 2026"
    assert range_text(date(2026, 11, 28), date(2026, 12, 4)) == "28 November to 4 December 2026"
    assert range_text(date(2026, 12, 28), date(2027, 1, 3)) == "28 December 2026 to 3 January 2027"
    assert range_text(date(2026, 11, 21), date(2026, 11, 21)) == "21 November 2026"


# -- spasmcoach report ---------------------------------------------------------------------------------------


@needs_poppler
def test_report_command_writes_the_pdf(qapp: QApplication, journal: Journal, week: Week, tmp_path: Path) -> None:
    target = tmp_path / "for-the-clinic.pdf"
    out = io.StringIO()
    assert cmd_report(argparse.Namespace(since="2026-11-15", output=str(target)), out) == 0
    message = out.getvalue()
    assert message.startswith(f"Wrote {target} (1 page): 15 ")
    assert message.endswith("10 sessions, 2 pain stops, 7 ice or heat timers.\n")
    text = pdf_text(target)
    assert REPORT_TITLE in text and "Tingling down the left leg" in text


def test_report_command_refuses_clearly(qapp: QApplication, spasmcoach_home: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="nothing has been logged yet"):
        cmd_report(argparse.Namespace(since=None, output=str(tmp_path / "r.pdf")), io.StringIO())
    with pytest.raises(UsageError, match="no such folder"):
        cmd_report(argparse.Namespace(since=None, output=str(tmp_path / "missing" / "r.pdf")), io.StringIO())
    with pytest.raises(UsageError, match="is a folder"):
        cmd_report(argparse.Namespace(since=None, output=str(tmp_path)), io.StringIO())
    with pytest.raises(UsageError, match="--since takes a date"):
        cmd_report(argparse.Namespace(since="last week", output=str(tmp_path / "r.pdf")), io.StringIO())
    assert not (tmp_path / "r.pdf").exists()


def test_default_start_is_the_spasm_start_or_the_last_seven_days(journal: Journal) -> None:
    assert default_since(journal, NOW) == day_range(date(2026, 11, 15), None)[0]
    make_week(journal)  # records the spasm start: Sunday 15 November, 08:00
    assert default_since(journal, NOW + timedelta(days=3)) == day_range(date(2026, 11, 15), None)[0]


def test_long_notes_are_shortened_at_a_word_and_say_where_the_rest_is() -> None:
    from spasmcoach.core.history.report_content import MAX_NOTE_CHARS, shorten_note

    assert shorten_note("Sharp when I pulled.") == "Sharp when I pulled."
    long = "word " * 2000
    short = shorten_note(long)
    assert len(short) < MAX_NOTE_CHARS + 60 and short.endswith("… (note shortened; full text in the CSV)")
    assert short.startswith("word word") and " wor …" not in short  # cut between words
    assert shorten_note("x" * 5000).startswith("x" * MAX_NOTE_CHARS)  # no space at all: cut at the limit


@needs_poppler
def test_pages_stay_bounded_whatever_the_notes_and_the_number_of_sessions(
    qapp: QApplication, journal: Journal, tmp_path: Path
) -> None:
    from spasmcoach.core.history.report_content import MAX_TABLE_ROWS

    start = local(1, 9)
    sessions = MAX_TABLE_ROWS + 30
    for index in range(sessions):
        add_session(journal, LBR, start + timedelta(hours=5 * index), 12, 6, 4)
    essay = "It hurt when I bent down to pick up the cat. " * 500  # 22,000 characters
    for day in (3, 4, 5):
        add_session(journal, LBR, local(day, 20), 3, 5, None, stop=("Pelvic tilt", 7, ["numbness"], essay, 3))
    target = tmp_path / "bounded.pdf"
    since, until = day_range(date(2026, 11, 1), date(2026, 12, 10))
    result = write_report(journal, target, since=since, until=until, now=local(10, 12) + timedelta(days=30), titles={})
    assert result.pages <= 8  # about 100 session rows, three shortened notes, the rest: a handful of pages
    text = pdf_text(target)
    assert text.count("shortened; full text in the CSV") == 3  # (the cell wraps after "note")
    assert "33 earlier ones are in the CSV export" in text  # 133 sessions, the newest 100 listed
