"""Prescribed routines: who prescribed them, when, the review date and a note; and the report's section."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from datetime import date
from pathlib import Path

import pytest
from history_data import (
    NOW,
    TITLES,
    Week,
    journal_fixture,  # noqa: F401  (a fixture)
    week_fixture,  # noqa: F401  (a fixture)
)
from PySide6.QtWidgets import QApplication

from spasmcoach.core import loader, resources
from spasmcoach.core.history.report_content import gather, prescribed_rows
from spasmcoach.core.journal import Journal
from spasmcoach.core.wording import day_range
from spasmcoach.core.yamlsource import RoutineFileError
from spasmcoach.documents.report import write_report

PRESCRIPTION = """\
prescribed_by: Jo Physio
prescribed_on: 2026-11-02
review_on: 2026-11-16
note: Twice a day, gently. Skip the knee hug if it pinches.
"""


def prescribed_copy(spasmcoach_home: Path, routine_id: str = "lower-back-release") -> Path:
    """The bundled routine, as the user's own with a prescription added after its title line."""
    text = (resources.routines_dir() / f"{routine_id}.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("\nkind:")
    folder = spasmcoach_home / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{routine_id}.yaml"
    path.write_text(f"{head}\n{PRESCRIPTION}kind:{rest}", encoding="utf-8")
    return path


def test_the_prescription_fields_are_read(spasmcoach_home: Path) -> None:
    routine = loader.load_routine(prescribed_copy(spasmcoach_home))
    assert routine.prescribed and routine.prescribed_by == "Jo Physio"
    assert (routine.prescribed_on, routine.review_on) == (date(2026, 11, 2), date(2026, 11, 16))
    assert routine.note == "Twice a day, gently. Skip the knee hug if it pinches."
    assert not routine.review_due(date(2026, 11, 15)) and routine.review_due(date(2026, 11, 16))
    assert not loader.load_library().routines["warm-up"].prescribed


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("review_on: 2026-02-30", 'review_on: must be a date written as YYYY-MM-DD, such as 2026-03-14, got "2026-02'),
        ("review_on: next week", 'review_on: must be a date written as YYYY-MM-DD, such as 2026-03-14, got "next'),
        ("prescribed_on: 2026-11-02 10:00", "prescribed_on: must be a date written as YYYY-MM-DD"),
        ("prescribed_by: ''", "prescribed_by: must not be empty"),
        ("note: [a, b]", "note: must be text, got a list"),
    ],
)
def test_a_wrong_prescription_field_is_named_with_its_line(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(f"title: T\nkind: rest\n{line}\nsteps: [{{name: A, duration: 5}}]\n", encoding="utf-8")
    with pytest.raises(RoutineFileError) as info:
        loader.load_routine(path, images=[tmp_path])
    [problem] = info.value.problems
    assert problem.line == 3 and expected in str(problem), str(problem)


def test_quoted_dates_are_accepted_too(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("title: T\nkind: rest\nreview_on: '2027-01-05'\nsteps: [{name: A, duration: 5}]\n")
    assert loader.load_routine(path, images=[tmp_path]).review_on == date(2027, 1, 5)


def test_the_report_rows_count_every_prescribed_routine_done_or_not(
    spasmcoach_home: Path, journal: Journal, week: Week
) -> None:
    prescribed_copy(spasmcoach_home)
    prescribed_copy(spasmcoach_home, "warm-up")
    since, until = day_range(date(2026, 11, 15), date(2026, 11, 21))
    content = gather(journal, since=since, until=until, now=NOW, titles=TITLES)
    rows = {row[0]: row for row in content.prescribed}
    assert rows["Lower-back spasm release"] == [
        "Lower-back spasm release", "Jo Physio, on 2 November 2026", "16 November 2026", "6", "5", "1",
    ]  # fmt: skip
    assert rows["Gentle warm-up"][3:] == ["0", "0", "0"], "never done is worth telling the clinician too"
    unprescribed = loader.load_library().routines["desk-break"]
    assert prescribed_rows(content.history, [unprescribed]) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) reads the PDF")
def test_the_clinician_report_has_a_prescribed_routines_section(
    qapp: QApplication, spasmcoach_home: Path, journal: Journal, week: Week, tmp_path: Path
) -> None:
    prescribed_copy(spasmcoach_home)
    since, until = day_range(date(2026, 11, 15), date(2026, 11, 21))
    target = tmp_path / "report.pdf"
    result = write_report(journal, target, since=since, until=until, now=NOW, titles=TITLES)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True)
    flat = re.sub(r"[ \t]+", " ", text.stdout)
    assert "Prescribed routines" in flat
    section = flat.split("Prescribed routines", 1)[1]
    assert re.search(r"Lower-back spasm release Jo Physio, on 2 November .*6 5 1", section), section
    assert result.pages >= 1


def test_a_routine_without_a_prescription_adds_no_section(journal: Journal, week: Week) -> None:
    since, until = day_range(date(2026, 11, 15), date(2026, 11, 21))
    assert gather(journal, since=since, until=until, now=NOW, titles=TITLES).prescribed == []


def test_prescription_lines_fit_the_documented_example() -> None:
    """docs/routine-format.md shows the fields; its example loads."""
    docs = (Path(__file__).parent.parent / "docs" / "routine-format.md").read_text(encoding="utf-8")
    assert all(key in docs for key in ("prescribed_by", "prescribed_on", "review_on", "note:", "position"))
    assert textwrap.dedent(PRESCRIPTION)
