"""The History page is built in parts, one turn of the event loop apart, and works at every moment meanwhile."""

from __future__ import annotations

import subprocess
import sys

from history_data import NOW, TITLES, Week, journal_fixture, week_fixture  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from spasmcoach.core.journal import Journal
from spasmcoach.gui.history import HistoryView
from spasmcoach.gui.history.building import LATER


def new_view(qtbot: QtBot, journal: Journal | None) -> HistoryView:
    view = HistoryView(journal, now=lambda: NOW, titles=TITLES)
    qtbot.addWidget(view)
    view.setMinimumSize(1200, 760)  # a fixed top-level size: offscreen warns when size hints change while shown
    view.resize(1200, 760)
    return view


def test_the_top_comes_first_and_the_rest_on_later_turns(qtbot: QtBot, journal: Journal, week: Week) -> None:
    view = new_view(qtbot, journal)
    built = set(vars(view))
    assert {"title", "csv_button", "report_button", "filters", "insights_view", "undo_action"} <= built
    assert not LATER & built, "the table, chart and reader wait for later turns"
    assert view.loading  # the page does not show its entries yet
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()
    assert set(vars(view)) >= LATER
    assert len(view.shown_rows()) == 10 + 2 + 7  # the week's sessions, pain stops and timer uses
    assert view.insight_texts()


def test_asking_for_a_later_part_builds_it_at_once(qtbot: QtBot, journal: Journal, week: Week) -> None:
    view = new_view(qtbot, journal)
    assert "table" not in vars(view)
    assert view.table.model() is view.model  # built now, not on a later turn
    assert not view._building
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()
    assert len(view.shown_rows()) == 19


def test_undo_and_the_filters_answer_while_it_is_being_built(qtbot: QtBot, journal: Journal, week: Week) -> None:
    view = new_view(qtbot, journal)
    view.show()
    qtbot.waitExposed(view)
    assert view._building
    view.undo_action.trigger()  # Ctrl+Z before the table is there
    assert view.status.text() == "Nothing to undo."
    view.set_period("Everything")  # a filter chosen meanwhile is the one read once the page is complete
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        pass
    assert view.period.currentText() == "Everything"
    assert len(view.shown_rows()) == 19


def test_keyboard_order_and_enter_as_if_built_at_once(qtbot: QtBot, journal: Journal, week: Week) -> None:
    view = new_view(qtbot, journal)
    view.csv_button.setAutoDefault(True)  # what the window does to its pages' buttons when it adds a page
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()
    order: list[QWidget] = []
    widget = view.nextInFocusChain()
    while widget is not None and widget is not view and len(order) < 200:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(view):
            order.append(widget)
        widget = widget.nextInFocusChain()
    wanted = [view.period, view.csv_button, view.report_button, view.insights_view, view.table, view.edit_button]
    positions = [next(i for i, w in enumerate(order) if w is want or want.isAncestorOf(w)) for want in wanted]
    assert positions == sorted(positions), "Tab goes filters, exports, insights, table, then Edit"
    assert order[-3:] == [view.edit_button, view.delete_button, view.undo_button]
    assert all(button.autoDefault() for button in view.findChildren(QPushButton))  # the diary's button too


def test_a_page_closed_while_being_built_leaves_nothing_running(qtbot: QtBot, journal: Journal) -> None:
    view = HistoryView(journal, now=lambda: NOW, titles=TITLES)  # not qtbot's to close: it is deleted here
    view.deleteLater()
    with qtbot.waitSignal(view.destroyed, timeout=5_000):
        pass
    qtbot.wait(50)  # the later parts' turns come and go without the page (an error would fail the test)


def test_the_librarys_statistics_need_neither_the_records_nor_the_diary() -> None:
    code = (
        "import sys\n"
        "from spasmcoach.core.history import routine_stats, routine_stats_text\n"
        "names = sorted(m for m in sys.modules if m.startswith(('spasmcoach.core.history', 'spasmcoach.core.diary')))\n"
        "print(' '.join(names))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.split() == [
        "spasmcoach.core.history",
        "spasmcoach.core.history.stats",
        "spasmcoach.core.history.stops",
    ]
