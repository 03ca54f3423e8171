"""The check-in page, "How is your back?", through its real widgets: keyboard only, advice, relievers, episodes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from gui_helpers import make_context
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.diary import Reliever, episodes
from spasmcoach.core.journal import Journal, SaveState
from spasmcoach.core.red_flags import advise
from spasmcoach.gui.body_map import AreaButton
from spasmcoach.gui.checkin import CheckInPage
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.navigation import Page
from spasmcoach.gui.reliever_dialog import RelieverDialog


@pytest.fixture
def window(qtbot: QtBot, spasmcoach_home: Path) -> Iterator[MainWindow]:
    ctx = make_context(spasmcoach_home, FakeClock())
    ctx.settings.setValue("safety/seen", True)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    assert ctx.journal is not None
    ctx.journal.close()


def journal_of(window: MainWindow) -> Journal:
    assert window.ctx.journal is not None
    return window.ctx.journal


def conn_of(journal: Journal) -> sqlite3.Connection:
    """The open journal's database connection, for tests that play another program holding it."""
    assert journal._conn is not None
    return journal._conn


def page_of(window: MainWindow) -> CheckInPage:
    page = window.stack.built(Page.CHECKIN)
    assert isinstance(page, CheckInPage)
    return page


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def open_by_shortcut(window: MainWindow, qtbot: QtBot) -> CheckInPage:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.stack.current_page(), CheckInPage))
    return page_of(window)


def test_a_check_in_by_keyboard_alone_lands_in_the_journal(window: MainWindow, qtbot: QtBot) -> None:
    page = open_by_shortcut(window, qtbot)
    qtbot.waitUntil(lambda: focused() in page.scale.buttons)
    press(Qt.Key.Key_6)  # a digit anywhere on the page rates the pain
    assert page.scale.value() == 6
    press(Qt.Key.Key_Tab)  # from the scale straight into the body outline
    assert isinstance(focused(), AreaButton) and focused().accessibleName() == "Neck"
    for _ in range(4):  # neck → upper back → mid back → lower back left → lower back centre
        press(Qt.Key.Key_Down)
    assert focused().accessibleName() == "Lower back, centre"
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Right)
    press(Qt.Key.Key_Right)  # → buttock
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Space)  # toggled off again
    press(Qt.Key.Key_Right)  # → left leg
    press(Qt.Key.Key_Space)
    assert page.areas() == ["lower-back-centre", "leg-left"]
    assert "Lower back, centre; Left leg" in page.where.text()
    page.save_button.setFocus()
    press(Qt.Key.Key_Return)  # Enter on Save
    events = journal_of(window).events(types=["checkin"])
    assert len(events) == 1
    assert events[0].pain == 6
    assert events[0].data["areas"] == ["lower-back-centre", "leg-left"]
    assert page.status.text() == "Your check-in is saved in your journal."
    assert page.scale.value() is None and page.areas() == []  # ready for the next one


def test_ctrl_s_saves_qualities_helped_and_note(window: MainWindow, qtbot: QtBot) -> None:
    page = open_by_shortcut(window, qtbot)
    press(Qt.Key.Key_3)
    page.qualities.buttons["cramping"].click()
    page.helped.buttons["heat"].click()
    assert page.qualities.buttons["cramping"].text().startswith("✓")  # chosen reads as chosen, not by colour alone
    page.note.setFocus()
    QTest.keyClicks(page.note, "after 5 min walk")  # digits in the note stay in the note
    assert page.scale.value() == 3
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    (event,) = journal_of(window).events(types=["checkin"])
    assert (event.pain, event.note) == (3, "after 5 min walk")
    assert event.data["qualities"] == ["cramping"] and event.data["helped"] == ["heat"]


def test_saving_without_a_number_asks_for_one_and_writes_nothing(window: MainWindow, qtbot: QtBot) -> None:
    page = open_by_shortcut(window, qtbot)
    page.body_map.buttons["neck"].click()
    assert page.save() is None
    assert "Choose a number" in page.status.text()
    assert journal_of(window).events(types=["checkin"]) == []
    assert page.areas() == ["neck"]  # nothing the person chose is thrown away


@pytest.mark.parametrize("symptom", ["saddle", "both-legs", "bladder-bowel"])
def test_emergency_symptoms_show_the_emergency_banner_at_once(window: MainWindow, qtbot: QtBot, symptom: str) -> None:
    page = open_by_shortcut(window, qtbot)
    assert page.banner.isHidden()
    page.symptom_boxes[symptom].setFocus()
    press(Qt.Key.Key_Space)
    assert page.banner.isVisible()
    assert page.banner.text() == advise([symptom]).text
    assert "999" in page.banner.text()
    press(Qt.Key.Key_Space)
    assert page.banner.isHidden()


def test_numbness_shows_see_a_doctor_advice_and_is_stored(window: MainWindow, qtbot: QtBot) -> None:
    page = open_by_shortcut(window, qtbot)
    page.scale.buttons[5].click()
    page.symptom_boxes["numbness"].setChecked(True)
    assert "urgent GP appointment" in page.banner.text()
    page.save()
    (event,) = journal_of(window).events(types=["checkin"])
    assert event.symptoms == ("numbness",)
    assert page.banner.isVisible()  # the advice stays on screen after saving


def test_a_busy_journal_keeps_the_check_in_and_says_so(window: MainWindow, qtbot: QtBot) -> None:
    page = open_by_shortcut(window, qtbot)
    journal = journal_of(window)
    other = Journal.open(journal.path)
    conn_of(other).execute("BEGIN IMMEDIATE")  # another program holds the journal
    try:
        page.scale.buttons[7].click()
        receipt = page.save()
        assert receipt is not None and receipt.state is SaveState.KEPT
        assert "kept safe" in page.status.text() and "saved in your journal." not in page.status.text()
    finally:
        conn_of(other).execute("ROLLBACK")
        other.close()
    assert journal.flush_pending()
    assert [e.pain for e in journal.events(types=["checkin"])] == [7]


def test_reliever_dialog_records_name_amount_and_time(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_by_shortcut(window, qtbot)
    taken = datetime.now(UTC) - timedelta(hours=2)
    monkeypatch.setattr(RelieverDialog, "ask", classmethod(lambda cls, now, parent=None: Reliever.build(
        "Own-brand tablets", "2 tablets", taken)))  # fmt: skip
    page.reliever_button.click()
    (event,) = journal_of(window).events(types=["reliever_taken"])
    assert event.data == {"name": "Own-brand tablets", "amount": "2 tablets"}
    assert abs((event.time - taken).total_seconds()) < 1
    assert "saved in your journal" in page.status.text()


def test_reliever_dialog_needs_a_name_and_suggests_nothing(qtbot: QtBot) -> None:
    dialog = RelieverDialog(datetime.now(UTC))
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "" and dialog.amount.text() == ""  # no medicine, no dose
    assert dialog.name.completer() is None
    dialog.save()
    assert dialog.entry is None and dialog.problem.isVisibleTo(dialog)
    dialog.name.setText("  Something  from the pack ")
    dialog.save()
    assert dialog.entry is not None and dialog.entry.name == "Something from the pack"


def test_episode_start_triggers_and_settled_from_the_page(window: MainWindow, qtbot: QtBot) -> None:
    page = open_by_shortcut(window, qtbot)
    journal = journal_of(window)
    assert page.started_button.isVisible() and not page.settled_button.isVisible()
    page.triggers.buttons["lifting"].click()
    page.start_episode()
    assert page.settled_button.isVisible()
    current = episodes.open_episode(journal)
    assert current is not None and current.triggers == ("lifting",)
    page.triggers.buttons["twist"].click()  # added later, saved with the next check-in
    page.scale.buttons[4].click()
    page.save()
    current = episodes.open_episode(journal)
    assert current is not None and current.triggers == ("lifting", "twist")
    page.settle_episode()
    assert episodes.open_episode(journal) is None
    (done,) = episodes.episodes(journal)
    assert done.end is not None and done.triggers == ("lifting", "twist")
    assert "The end of this spasm is saved" in page.status.text()


def test_reachable_from_the_library_and_the_tray(window: MainWindow, qtbot: QtBot) -> None:
    window.library.checkin_button.click()
    assert isinstance(window.stack.current_page(), CheckInPage)
    page_of(window).back_button.click()
    assert window.stack.current_page() is window.library
    window.tray.checkin_action.trigger()
    assert isinstance(window.stack.current_page(), CheckInPage)
    assert window.nav_buttons[Page.CHECKIN].isVisible()


def test_fits_small_and_large_screens(window: MainWindow, qtbot: QtBot) -> None:
    page = open_by_shortcut(window, qtbot)
    for size in ((1024, 600), (1920, 1080)):
        window.resize(*size)
        qtbot.wait(10)
        save = page.save_button
        corner = save.mapTo(window, save.rect().bottomRight())
        assert save.isVisible() and corner.y() <= window.height() and corner.x() <= window.width()
