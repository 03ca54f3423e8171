"""German where people read it: routine-file mistakes, the library's lines and buttons, the body map, and the
terminal's reminder and import messages. English stays exactly as it was (the other tests read it)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from spasmcoach.commands import main as commands
from spasmcoach.core import language, loader
from spasmcoach.core.history import RoutineStats, StopRow, routine_stats_text
from spasmcoach.core.yamlsource import RoutineFileError
from spasmcoach.gui.body_map import BodyMap
from spasmcoach.gui.history import HistoryView
from spasmcoach.gui.library import LibraryView

BROKEN = "title: Broken\nkind: stretch\nsteps:\n  - name: Reach\n    duration: -3\n"


@pytest.fixture
def german() -> None:
    """German for this test (conftest puts English back afterwards)."""
    language.setup("de")


@pytest.fixture
def german_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal whose environment asks for German (the commands choose the language themselves)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")


def broken_file(folder: Path) -> Path:
    path = folder / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_a_routine_files_mistake_is_said_in_german(tmp_path: Path, german: None) -> None:
    with pytest.raises(RoutineFileError) as caught:
        loader.load_routine(broken_file(tmp_path))
    assert 'steps[0].duration: muss eine positive Dauer sein, gefunden: "-3"' in str(caught.value)


def test_the_same_mistake_stays_english_by_default(tmp_path: Path) -> None:
    with pytest.raises(RoutineFileError) as caught:
        loader.load_routine(broken_file(tmp_path))
    assert 'steps[0].duration: must be a positive duration, got "-3"' in str(caught.value)


def test_the_library_speaks_german(qtbot: QtBot, german: None) -> None:
    view = LibraryView(loader.load_library())
    qtbot.addWidget(view)
    view.select("lower-back-release")
    assert view.start_button.text() == "Starten"
    assert view.meta.text().startswith("Lösen · Unterer Rücken · ")
    assert view.kind_filter.itemText(0) == "Alle Arten" and view.search.placeholderText() == "Programme suchen"
    assert "halten" in view.steps.text()  # "Knee to chest: 3 × 20 s halten, jede Seite"


def test_the_body_map_speaks_german(qtbot: QtBot, german: None) -> None:
    body = BodyMap()
    qtbot.addWidget(body)
    assert body.accessibleName() == "Wo es wehtut: Körper von hinten gesehen"
    button = body.buttons["lower-back-left"]
    button.setChecked(True)
    assert button.accessibleDescription() == "gewählt"


def test_reminder_commands_answer_in_german(german_terminal: None) -> None:
    out = io.StringIO()
    assert commands.main(["reminders", "quiet", "22:00-07:00"], out) == 0
    assert "Erinnerungen warten von 22:00 bis 07:00" in out.getvalue()
    out = io.StringIO()
    assert commands.main(["reminders"], out) == 0
    assert "PROGRAMM" in out.getvalue() and "Ruhezeiten: 22:00–07:00" in out.getvalue()


def test_import_of_a_missing_file_is_said_in_german(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], german_terminal: None
) -> None:
    assert commands.main(["import", str(tmp_path / "nothing.spasmcoach")], io.StringIO()) != 0
    assert "Datei nicht gefunden" in capsys.readouterr().err


# -- History and the library's statistics line ------------------------------------------------------------

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def stop_at(step: str, symptoms: tuple[str, ...], days_ago: int) -> StopRow:
    return StopRow(
        id=1, time=NOW - timedelta(days=days_ago), session_id=None, routine="r", title="R", step=step, phase="hold",
        side="left", rep=2, seconds=None, pain=6, symptoms=symptoms, note=None,
    )  # fmt: skip


def test_the_librarys_statistics_line_is_whole_german_sentences(german: None) -> None:
    stats = RoutineStats("r", 4, 3, -1.7, 3, NOW - timedelta(days=2), stop_at("Knie zur Brust", ("sharper",), 1))
    assert routine_stats_text(stats, NOW, UTC) == (
        "Gemacht: 4-mal, zuletzt vor 2 Tagen. Der Schmerz ist danach im Durchschnitt um 1,7 Punkte gesunken. "
        "Letzter Stopp bei Knie zur Brust (Schärferer Schmerz), gestern."
    )
    same = RoutineStats("r", 1, 1, 0.0, 1, NOW, None)
    assert routine_stats_text(same, NOW, UTC) == "Gemacht: einmal, zuletzt heute. Der Schmerz blieb danach etwa gleich."
    assert routine_stats_text(RoutineStats("r", 0, 0, None, 0, None, None), NOW) == "Noch nicht gemacht."


def test_a_pain_stop_says_where_in_german(german: None) -> None:
    assert stop_at("Knie zur Brust", (), 0).where == "Knie zur Brust (Halten, linke Seite, Wiederholung 2)"


def test_the_history_page_speaks_german(qtbot: QtBot, german: None) -> None:
    view = HistoryView(None, now=lambda: NOW, titles={})
    qtbot.addWidget(view)
    view.refresh()
    assert view.title.text() == "Verlauf"
    assert view.insight_texts() == ["Ihr Tagebuch ist nicht verfügbar, daher gibt es keinen Verlauf zu zeigen."]
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == "Wann"
    assert view.period.itemText(0) == "Letzte 7 Tage" and view.undo_button.text() == "Rückgängig"
    view.set_period("Everything")  # the English label still chooses it
    assert view.period.currentText() == "Alles"
    assert view.diary.calendar.day_text(NOW.date()) == "Mi 2. Dez.: keine Bewertung"


def test_a_new_step_in_the_editor_is_named_in_the_users_language(german: None) -> None:
    from spasmcoach.core.editing.draft import new_routine, new_step

    assert new_step(2).get("name") == "Schritt 2"
    assert new_routine().steps[0].get("name") == "Schritt 1"
