"""The History page through its widgets: filters, sorting, insights, edit, delete, undo, export."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from history_data import (
    HAM,
    LBR,
    NOW,
    TITLES,
    Week,
    journal_fixture,  # noqa: F401  (a fixture)
    week_fixture,  # noqa: F401  (a fixture)
)
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from spasmcoach.core.history import RowKind, SessionRow, StopRow
from spasmcoach.core.journal import Event, Journal, Session
from spasmcoach.gui.history import EntryDialog, HistoryView


@pytest.fixture
def view(qtbot: QtBot, journal: Journal, week: Week) -> HistoryView:
    widget = HistoryView(journal, now=lambda: NOW, titles=TITLES)
    qtbot.addWidget(widget)
    widget.setMinimumSize(1200, 760)  # a fixed top-level size: offscreen warns when size hints change while shown
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot, widget)
    return widget


def settle(qtbot: QtBot, view: HistoryView) -> None:
    """Wait until the page shows what its filters ask for (the journal is read on a worker thread)."""
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)


def stored_event(journal: Journal, event_id: int) -> Event:
    """The journal's event (deleted or not); the test fails if there is none."""
    event = journal.event(event_id)
    assert event is not None
    return event


def stored_session(journal: Journal, session_id: int) -> Session:
    """The journal's session (deleted or not); the test fails if there is none."""
    session = journal.session(session_id)
    assert session is not None
    return session


def keys(view: HistoryView) -> list[tuple[str, int]]:
    return [row.key for row in view.shown_rows()]


def test_shows_the_week_newest_first_with_insights_and_chart(view: HistoryView, week: Week) -> None:
    rows = view.shown_rows()
    assert len(rows) == 10 + 2 + 7
    assert [r.time for r in rows] == sorted((r.time for r in rows), reverse=True)
    assert view.period.currentText() == "Last 7 days"
    assert (view.first_day(), view.last_day()) == (date(2026, 11, 15), date(2026, 11, 21))
    texts = view.insight_texts()
    assert texts[0] == "The spasm started 6 days ago, on Sunday 15 November."
    assert "Pain went down by 1.4 points on average after Lower-back spasm release (5 sessions)." in texts
    assert len(view.chart.history.sessions) == 10 and len(view.chart.history.stops) == 2
    friday = next(r for r in rows if r.key == ("session", week.sessions["fri"]))
    cells = [view.model.text(friday, column) for column in range(7)]
    assert cells[1:6] == ["Routine", "Lower-back spasm release", "Completed", "12\u00a0min", "5 → 3"]
    thursday_stop = next(r for r in rows if r.key == ("pain_stop", week.stops["thu"]))
    assert view.model.text(thursday_stop, 6) == "tingling · “Tingling down the left leg”"


def test_filters_by_kind_routine_and_dates(view: HistoryView, qtbot: QtBot, week: Week) -> None:
    view.kind_boxes[RowKind.SESSION].setChecked(False)
    view.kind_boxes[RowKind.TIMER].setChecked(False)
    settle(qtbot, view)
    assert keys(view) == [("pain_stop", week.stops["thu"]), ("pain_stop", week.stops["mon"])]
    view.kind_boxes[RowKind.SESSION].setChecked(True)
    view.set_routine(HAM[0])
    settle(qtbot, view)
    assert view.routine_filter.currentText() == HAM[1]
    assert keys(view) == [("pain_stop", week.stops["thu"]), ("session", week.sessions["thu"])]
    assert any("Hamstring" in text and "went up by 1 point" in text for text in view.insight_texts())
    view.set_routine(None)
    view.kind_boxes[RowKind.TIMER].setChecked(True)
    view.set_dates(date(2026, 11, 16), date(2026, 11, 17))
    settle(qtbot, view)
    assert view.period.currentText() == "Chosen dates"
    shown = {r.key for r in view.shown_rows()}
    expected = {("session", week.sessions[k]) for k in ("mon", "mon-rest", "tue")}
    expected |= {
        ("pain_stop", week.stops["mon"]),
        ("timer", week.timers["ice-mon"][0]),
        ("timer", week.timers["ice-tue"][0]),
    }
    assert shown == expected
    view.set_period("Everything")
    settle(qtbot, view)
    assert len(view.shown_rows()) == 19 and view.first_day() is None


def test_columns_sort_by_their_values(view: HistoryView, qtbot: QtBot, week: Week) -> None:
    view.kind_boxes[RowKind.TIMER].setChecked(False)
    view.kind_boxes[RowKind.PAIN_STOP].setChecked(False)
    settle(qtbot, view)
    view.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # pain change, most relief first
    changes = [r.change for r in view.shown_rows()]
    assert changes[0] == -2 and changes[-1] is None
    rated = [c for c in changes if c is not None]
    assert rated == sorted(rated)
    header = view.table.horizontalHeader()
    centre = QPoint(header.sectionViewportPosition(0) + header.sectionSize(0) // 2, header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # click "When"
    assert header.sortIndicatorSection() == 0
    times = [r.time for r in view.shown_rows()]
    expected = sorted(times, reverse=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
    assert times == expected
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # and again: the other way
    assert [r.time for r in view.shown_rows()] == expected[::-1]


def test_delete_hides_one_entry_and_undo_brings_it_back(
    view: HistoryView, qtbot: QtBot, journal: Journal, week: Week
) -> None:
    before = {row.key: row for row in view.shown_rows()}
    target = ("session", week.sessions["wed"])
    assert view.select_key(target)
    view.delete_button.click()
    settle(qtbot, view)
    after = {row.key: row for row in view.shown_rows()}
    assert set(before) - set(after) == {target}
    assert all(after[key] == before[key] for key in after)  # every other entry exactly as it was
    assert stored_session(journal, week.sessions["wed"]).deleted
    assert not any(s.deleted for s in journal.sessions(include_deleted=True) if s.id != week.sessions["wed"])
    assert view.status.text().startswith("Deleted Lower-back spasm release, Wed 18 Nov")
    assert view.undo_button.isEnabled() and view.undo_button.text() == "Undo delete"
    view.undo_button.click()
    settle(qtbot, view)
    assert {row.key: row for row in view.shown_rows()} == before
    assert not stored_session(journal, week.sessions["wed"]).deleted
    assert view.selected_key() == target
    assert not view.undo_button.isEnabled()


def test_deleting_a_timer_hides_all_its_events_only(
    view: HistoryView, qtbot: QtBot, journal: Journal, week: Week
) -> None:
    ids = week.timers["ice-mon"]
    assert view.select_key(("timer", ids[0]))
    assert not view.edit_button.isEnabled()
    assert view.delete_selected()
    settle(qtbot, view)
    assert all(stored_event(journal, i).deleted for i in ids)
    others = [e for e in journal.events(include_deleted=True) if e.id not in ids]
    assert others and not any(e.deleted for e in others)
    assert ("timer", ids[0]) not in keys(view)
    assert view.undo()
    assert not any(stored_event(journal, i).deleted for i in ids)


def test_keyboard_delete_and_ctrl_z(view: HistoryView, qtbot: QtBot, journal: Journal, week: Week) -> None:
    view.activateWindow()
    qtbot.waitActive(view)
    target = ("pain_stop", week.stops["mon"])
    before = {row.key: row for row in view.shown_rows()}
    assert view.select_key(target)
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_Delete)
    settle(qtbot, view)
    assert stored_event(journal, week.stops["mon"]).deleted and target not in keys(view)
    after = {row.key: row for row in view.shown_rows()}
    assert set(before) - set(after) == {target} and all(after[key] == before[key] for key in after)
    monday = after[("session", week.sessions["mon"])]
    assert monday.result == "Stopped for pain at Knee to chest"  # the session's own entry is unchanged
    QTest.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, view)
    assert not stored_event(journal, week.stops["mon"]).deleted and target in keys(view)


def answer_with(monkeypatch: pytest.MonkeyPatch, fill: Callable[[EntryDialog], bool]) -> None:
    """EntryDialog.ask builds the real dialog, lets ``fill`` use it, and answers as Save (True) or Cancel."""

    def ask(
        cls: type[EntryDialog], entry: SessionRow | StopRow, parent: QWidget | None = None
    ) -> dict[str, Any] | None:
        dialog = cls(entry, parent)
        try:
            return dialog.values() if fill(dialog) else None
        finally:
            dialog.deleteLater()

    monkeypatch.setattr(EntryDialog, "ask", classmethod(ask))


def answer_save_path(monkeypatch: pytest.MonkeyPatch, answer: Callable[[str, str, str], str | None]) -> None:
    """HistoryView.ask_save_path answers without a file dialog: (caption, suggested name, filter) -> path."""
    monkeypatch.setattr(
        HistoryView, "ask_save_path", classmethod(lambda cls, parent, caption, name, kind: answer(caption, name, kind))
    )


def test_edit_a_pain_stop_then_undo(
    view: HistoryView, qtbot: QtBot, journal: Journal, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_id = week.stops["mon"]
    assert view.select_key(("pain_stop", stop_id))
    seen: list[EntryDialog] = []

    def fill(dialog: EntryDialog) -> bool:
        assert isinstance(dialog.entry, StopRow)
        assert dialog.pain.currentText() == "8" and dialog.symptom_boxes["sharper"].isChecked()
        dialog.pain.setCurrentIndex(dialog.pain.findData(6))
        dialog.symptom_boxes["tingling"].setChecked(True)
        assert dialog.note is not None
        dialog.note.setPlainText("  Sharp, then tingling in the left foot  ")
        seen.append(dialog)
        return True

    answer_with(monkeypatch, fill)
    assert view.edit_selected()
    settle(qtbot, view)
    event = stored_event(journal, stop_id)
    assert (event.pain, event.symptoms, event.note) == (
        6,
        ("sharper", "tingling"),
        "Sharp, then tingling in the left foot",
    )
    assert "worth mentioning to a doctor" in view.status.text()
    row = next(r for r in view.shown_rows() if r.key == ("pain_stop", stop_id))
    assert row.pain == 6 and view.selected_key() == ("pain_stop", stop_id)
    other = stored_event(journal, week.stops["thu"])
    assert (other.pain, other.note) == (6, "Tingling down the left leg")
    view.undo()
    event = stored_event(journal, stop_id)
    assert (event.pain, event.symptoms, event.note) == (
        8,
        ("sharper",),
        "Sharp twinge when I pulled the knee in",
    )
    assert seen


def test_edit_session_ratings_then_undo(
    view: HistoryView, qtbot: QtBot, journal: Journal, week: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = week.sessions["mon"]
    assert view.select_key(("session", session_id))

    def fill(dialog: EntryDialog) -> bool:
        assert isinstance(dialog.entry, SessionRow)
        assert (dialog.before.currentData(), dialog.after.currentData()) == (7, None)
        dialog.after.setCurrentIndex(dialog.after.findData(5))
        return True

    answer_with(monkeypatch, fill)
    assert view.edit_selected()
    settle(qtbot, view)
    assert (stored_session(journal, session_id).pain_before, stored_session(journal, session_id).pain_after) == (7, 5)
    assert "Pain was lower after 7 of 10 rated sessions, higher after 1." in view.insight_texts()
    answer_with(monkeypatch, lambda _dialog: False)  # Cancel changes nothing
    assert not view.edit_selected()
    assert view.undo()
    assert stored_session(journal, session_id).pain_after is None
    assert stored_session(journal, week.sessions["fri"]).pain_after == 3


def test_export_csv_of_the_shown_rows(
    view: HistoryView, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.kind_boxes[RowKind.TIMER].setChecked(False)
    settle(qtbot, view)
    target = tmp_path / "history.csv"
    asked: list[str] = []

    def ask(_caption: str, name: str, _filter: str) -> str:
        asked.append(name)
        return str(target)

    answer_save_path(monkeypatch, ask)
    view.csv_button.click()
    assert asked == ["spasmcoach-2026-11-15-to-2026-11-21.csv"]
    records = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    assert len(records) == 12 and {r["kind"] for r in records} == {"session", "pain_stop"}
    assert view.status.text() == f"Saved 12 entries to {target}."


def test_report_button_writes_the_pdf(view: HistoryView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.pdf"
    answer_save_path(monkeypatch, lambda *_args: str(target))
    view.report_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    assert view.status.text() == f"Saved the report (1 page) to {target}."


def test_cancelled_save_writes_nothing(view: HistoryView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answer_save_path(monkeypatch, lambda *_args: None)
    view.csv_button.click()
    view.report_button.click()
    assert list(tmp_path.iterdir()) == [] or all(p.name == "home" for p in tmp_path.iterdir())


def test_without_a_journal(qtbot: QtBot) -> None:
    widget = HistoryView(None, now=lambda: NOW, titles={})
    qtbot.addWidget(widget)
    widget.setMinimumSize(1200, 760)
    widget.show()
    assert widget.shown_rows() == []
    assert widget.insight_texts() == ["Your journal is not available, so there is no history to show."]
    assert not widget.delete_button.isEnabled() and not widget.undo()


def test_screenshot_of_a_week(view: HistoryView, spasmcoach_home: Path) -> None:
    """A picture to look at (saved next to the test's data); and nothing is cut off at this size."""
    image = view.grab()
    assert not image.isNull() and image.width() >= 1200
    image.save(str(spasmcoach_home / "history-week.png"))
    assert view.chart.height() >= 240 and view.table.height() >= 200
    assert (spasmcoach_home / "history-week.png").stat().st_size > 10_000
    assert LBR[1] in {r.what for r in view.shown_rows()}
