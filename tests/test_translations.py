"""The German translation: a complete, consistent catalogue, the language chosen from settings and environment,
German text in the terminal, the window and the spoken cues, and dates and numbers written the German way."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spasmcoach.commands import main as commands
from spasmcoach.core import i18n, language, wording
from spasmcoach.core.cues import CATALOGUE, Moment
from spasmcoach.core.locale_format import format_decimal, format_integer
from spasmcoach.core.model import Origin
from spasmcoach.core.routine_text import localized_routine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import i18n_catalog as catalogue  # noqa: E402


@pytest.fixture(scope="module")
def extracted() -> list[catalogue.Message]:
    return catalogue.extract()


@pytest.fixture
def german() -> None:
    """German for this test (conftest puts English back afterwards)."""
    language.setup("de")


# -- the catalogue ----------------------------------------------------------------------------------------


def test_every_string_is_translated_into_german(extracted: list[catalogue.Message]) -> None:
    """Fails for a msgid missing from de.po, left empty or fuzzy, or whose {placeholders} differ.
    Fix: python tools/i18n_catalog.py extract, translate the new entries, then ... compile."""
    assert catalogue.problems("de", extracted) == []


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """The committed .mo is what the .po compiles to (run tools/i18n_catalog.py compile after editing)."""
    assert catalogue.mo_path("de").read_bytes() == catalogue.compile_po(catalogue.po_path("de"))


def test_the_extractor_finds_every_kind_of_marker(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        'a = _("Hello {name}")\nb = N_("Marked")\nc = ngettext("{count} day", "{count} days", n)\n'
        'd = pgettext("menu", "File")\ne = _(variable)\nf = i18n._("Via the module")\n',
        encoding="utf-8",
    )
    found = {(m.context, m.msgid, m.plural) for m in catalogue.extract_source(source, "sample.py")}
    assert found == {
        (None, "Hello {name}", None), (None, "Marked", None), (None, "{count} day", "{count} days"),
        ("menu", "File", None), (None, "Via the module", None),
    }  # fmt: skip


def test_bundled_routine_and_preset_texts_are_in_the_catalogue(extracted: list[catalogue.Message]) -> None:
    msgids = {m.msgid for m in extracted}
    assert "Lower-back spasm release" in msgids  # a routine title
    assert "Hug the knee gently, breathe out" in msgids  # a spoken cue
    assert "Ice cycle, 20 min on / 30 min off × 3" in msgids  # a timer preset title


def test_the_check_catches_fuzzy_empty_and_wrong_placeholders(tmp_path: Path) -> None:
    wanted = [
        catalogue.Message("Hello {name}"), catalogue.Message("Fine"), catalogue.Message("Empty"),
        catalogue.Message("Fuzzy"), catalogue.Message("{count} day", "{count} days"), catalogue.Message("Missing"),
    ]  # fmt: skip
    po = tmp_path / "xx.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: xx\\n"\n\n'
        'msgid "Hello {name}"\nmsgstr "Hallo {nom}"\n\n'
        'msgid "Fine"\nmsgstr "Gut"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Fuzzy"\nmsgstr "Unscharf"\n\n'
        'msgid "{count} day"\nmsgid_plural "{count} days"\nmsgstr[0] "ein Tag"\nmsgstr[1] "{count} Tage {x}"\n\n'
        'msgid "Gone"\nmsgstr "Weg"\n',
        encoding="utf-8",
    )
    found = "\n".join(catalogue.problems("xx", wanted, po))
    assert "placeholders differ in xx.po: ?: 'Hello {name}'" in found
    assert "untranslated in xx.po: ?: 'Empty'" in found
    assert "fuzzy in xx.po: ?: 'Fuzzy'" in found
    assert "missing from xx.po: ?: 'Missing'" in found
    assert "placeholders differ in xx.po: ?: '{count} day'" in found  # {x} is extra; "ein Tag" alone is fine
    assert found.count("{count} day") == 1
    assert "no longer in the source, in xx.po: 'Gone'" in found
    assert "Fine" not in found


def test_german_plural_forms_follow_the_count() -> None:
    translation = i18n.load_translation("de")
    assert translation.ngettext("{count} day ago", "{count} days ago", 1) == "vor {count} Tag"
    assert translation.ngettext("{count} day ago", "{count} days ago", 3) == "vor {count} Tagen"


# -- choosing the language ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "de_AT.ISO-8859-1"}, "de"),
        ({"LANGUAGE": "de:en", "LANG": "en_GB.UTF-8"}, "de"),
        ({"LANGUAGE": "fr:de", "LANG": "fr_FR.UTF-8"}, "de"),  # the first shipped language in the list
        ({"LANGUAGE": "en", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en"),  # LC_ALL overrides LANG
        ({"LC_MESSAGES": "de_CH.UTF-8", "LANG": "en_US.UTF-8"}, "de"),
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "de_DE@euro"}, "de"),  # empty variables do not count
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # a language we do not ship: English
        ({}, "en"),
    ],
)
def test_language_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert i18n.language_from_env(environ) == expected


def test_the_setting_beats_the_environment(spasmcoach_home: Path) -> None:
    settings = spasmcoach_home / "settings.ini"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("[ui]\nlanguage=en\n", encoding="utf-8")
    assert i18n.choose_language(language.language_setting(settings), {"LANG": "de_DE.UTF-8"}) == "en"
    settings.write_text("[General]\nfirst_run=false\n\n[ui]\nlanguage=de\n", encoding="utf-8")
    assert i18n.choose_language(language.language_setting(settings), {"LANG": "C"}) == "de"
    settings.write_text("[ui]\nlanguage=system\n", encoding="utf-8")
    assert i18n.choose_language(language.language_setting(settings), {"LANG": "de_DE.UTF-8"}) == "de"


def test_a_broken_settings_file_means_the_system_language(spasmcoach_home: Path) -> None:
    settings = spasmcoach_home / "settings.ini"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_bytes(b"\xff\xfe[ui\nlanguage = = de\n[[[")
    assert language.language_setting(settings) == i18n.SYSTEM
    assert language.language_setting(spasmcoach_home / "missing.ini") == i18n.SYSTEM


def test_german_terminal_output_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANGUAGE")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    out = io.StringIO()
    assert commands.main(["list"], out) == 0
    text = out.getvalue()
    assert "Krampflösung für den unteren Rücken" in text
    assert "TITEL" in text and "mitgeliefert" in text


@pytest.mark.slow
def test_lang_de_chooses_german_even_where_the_locale_is_not_generated(spasmcoach_home: Path) -> None:
    """``LANG=de_DE.UTF-8 spasmcoach list`` in a fresh process; setlocale would fail for an ungenerated
    locale, so the choice must not depend on it."""
    env = {"PATH": "/usr/bin:/bin", "SPASMCOACH_HOME": str(spasmcoach_home), "LANG": "de_DE.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "spasmcoach", "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Krampflösung für den unteren Rücken" in result.stdout
    help_text = subprocess.run(
        [sys.executable, "-m", "spasmcoach", "--help"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    ).stdout
    assert "Aufruf:" in help_text and "Befehle" in help_text


# -- what people see and hear -----------------------------------------------------------------------------


def test_bundled_routines_are_translated_and_a_users_stay_as_written(german: None) -> None:
    from spasmcoach.core import loader

    library = loader.load_library()
    bundled = library.get("lower-back-release")
    assert bundled is not None
    german_routine = localized_routine(bundled)
    assert german_routine.title == "Krampflösung für den unteren Rücken"
    assert german_routine.steps[1].say == "Das Knie sanft umarmen, ausatmen"
    assert german_routine.steps[0].get_ready == bundled.steps[0].get_ready  # only words change
    users = localized_routine(_user_copy(bundled))
    assert users.title == "Lower-back spasm release"


def _user_copy(routine):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(routine, origin=Origin.USER)


def test_spoken_cues_are_german_and_use_the_german_voice(german: None) -> None:
    from spasmcoach.audio.speech import Speech

    assert CATALOGUE[Moment.SWITCH_SIDES].spoken(side="left") == "Wechseln Sie zur linken Seite."
    assert CATALOGUE[Moment.REST_BEFORE_SIDE].spoken(side="right") == "Ausruhen. Als Nächstes: rechte Seite."
    assert CATALOGUE[Moment.DONE].spoken() == "Geschafft. Gut gemacht."
    assert Speech().voice == "de"


def test_the_english_cue_words_are_unchanged() -> None:
    assert CATALOGUE[Moment.SWITCH_SIDES].spoken(side="left") == "Switch to the left side."
    assert CATALOGUE[Moment.REST_BEFORE_SIDE].spoken(side="right") == "Rest. Next: right side."


def test_german_dates_numbers_and_durations(german: None) -> None:
    day = date(2026, 12, 2)
    assert wording.date_text(day) == "2. Dezember 2026"
    assert wording.long_day_text(day) == "Mittwoch, 2. Dezember 2026"
    assert wording.day_text(day) == "Mi 2. Dez."
    assert wording.range_text(date(2026, 11, 28), day) == "28. November bis 2. Dezember 2026"
    assert wording.range_text(date(2026, 12, 1), day) == "1. bis 2. Dezember 2026"
    assert wording.when_text(datetime(2026, 12, 2, 21, 5, tzinfo=UTC), UTC) == "Mi 2. Dez. 21:05"
    assert wording.points_text(1.5) == "1,5 Punkte"
    assert wording.pain_change_text(-1.5) == "ist um 1,5 Punkte gesunken"
    assert wording.times_text(3) == "3-mal"
    assert format_decimal(2.0) == "2"
    assert format_integer(12345) == "12.345"


def test_english_dates_stay_as_they_were() -> None:
    day = date(2026, 12, 2)
    assert wording.date_text(day) == "2 December 2026"
    assert wording.long_day_text(day) == "Wednesday 2 December 2026"
    assert wording.range_text(date(2026, 11, 28), day) == "28 November to 2 December 2026"
    assert wording.points_text(1.5) == "1.5 points"


# -- the window -------------------------------------------------------------------------------------------


def test_qt_dialog_buttons_come_from_qts_german_catalogue(qapp: object) -> None:
    from PySide6.QtCore import QCoreApplication

    from spasmcoach.gui.language import install_qt_translators

    app = QCoreApplication.instance()
    assert app is not None
    installed = install_qt_translators(app, "de")
    try:
        assert installed, "qtbase_de.qm ships with PySide6"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    finally:
        for translator in installed:
            app.removeTranslator(translator)
    assert install_qt_translators(app, "en") == []


def test_the_language_menu_saves_the_choice_for_the_next_start(qtbot: QtBot, spasmcoach_home: Path) -> None:
    from PySide6.QtWidgets import QWidget

    from spasmcoach.core.notify import Notifier
    from spasmcoach.gui.context import open_settings
    from spasmcoach.gui.language import language_menu

    settings = open_settings()
    parent = QWidget()
    qtbot.addWidget(parent)
    notifier = Notifier()
    menu = language_menu(parent, settings, notifier)
    actions = {action.data(): action for action in menu.actions()}
    assert actions[i18n.SYSTEM].isChecked()
    actions["de"].trigger()
    assert language.language_setting() == "de"  # the core reads what the menu wrote, without Qt
    assert i18n.choose_language(language.language_setting(), {"LANG": "C"}) == "de"


def test_the_window_is_german(qtbot: QtBot, spasmcoach_home: Path, german: None) -> None:
    from gui_helpers import make_context
    from PySide6.QtWidgets import QPushButton

    from spasmcoach.core.clock import FakeClock
    from spasmcoach.gui.main_window import MainWindow

    window = MainWindow(make_context(spasmcoach_home, FakeClock()))
    qtbot.addWidget(window)
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles[:3] == ["&Datei", "&Einstellungen", "&Hilfe"]
    buttons = {button.text() for button in window.findChildren(QPushButton)}
    assert {"Programme", "Timer", "Verlauf"} <= buttons
