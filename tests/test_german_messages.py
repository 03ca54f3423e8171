"""German where people read it: routine-file mistakes, the library's lines and buttons, the body map, and the
terminal's reminder and import messages. English stays exactly as it was (the other tests read it)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spasmcoach.commands import main as commands
from spasmcoach.core import language, loader
from spasmcoach.core.yamlsource import RoutineFileError
from spasmcoach.gui.body_map import BodyMap
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
