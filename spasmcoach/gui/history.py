"""The History page: what was done and how pain went, at a glance, with edit, delete and undo.

From top to bottom: the filters (period, dates, routine, kinds of entry), the plain-word insights next to
the pain chart, the sortable table of sessions, pain stops and ice or heat timers, and the actions: edit,
delete, undo (Ctrl+Z), CSV export and the PDF report for a clinician.

Deleting only hides an entry (the journal's soft delete) and can be undone; it never touches another
entry (a session's own pain stop is hidden with it, since it is part of that session).
Signals: changed() after an edit, delete or undo, so other pages can re-read the journal.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core import insights
from spasmcoach.core.durations import format_human
from spasmcoach.core.insights import (
    History,
    HistoryRow,
    RowKind,
    SessionRow,
    StopRow,
    TimerUse,
    day_range,
    history_rows,
    load_history,
)
from spasmcoach.core.journal import Journal, JournalError
from spasmcoach.core.session import SYMPTOMS, nerve_warning

from . import theme
from .chart import PainChart
from .widgets import label

log = logging.getLogger(__name__)

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
KEY_ROLE = Qt.ItemDataRole.UserRole + 11
COLUMNS = ("When", "What", "Routine or timer", "Result", "Length", "Pain", "Symptoms and notes")
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("Last 7 days", 7),
    ("Last 14 days", 14),
    ("Last 30 days", 30),
    ("Since the spasm started", -1),
    ("Everything", None),
    ("Chosen dates", 0),
)
SYMPTOM_LABELS = {
    "sharper": "Sharper pain",
    "spreading": "Pain spreading",
    "numbness": "Numbness",
    "tingling": "Tingling",
    "weakness": "Weakness",
}
LOCAL_STYLE = f"""
QTableView {{ background: {theme.SURFACE}; border: 1px solid {theme.BORDER}; border-radius: 10px;
              font-size: 16px;
              gridline-color: #EDF2F7; selection-background-color: #DCEAF7; selection-color: {theme.TEXT}; }}
QTableView::item {{ padding-top: 8px; padding-bottom: 8px; }}
QHeaderView::section {{ background: #EDF2F7; color: {theme.TEXT}; border: none;
                        border-bottom: 1px solid {theme.BORDER};
                        padding: 8px 10px; font-size: 15px; font-weight: 600; }}
QDateEdit {{ background: {theme.SURFACE}; border: 1px solid {theme.BORDER}; border-radius: 8px;
             padding: 6px 8px;
             font-size: 16px; }}
QTextBrowser#insights {{ background: {theme.SURFACE}; border: 1px solid {theme.BORDER};
                         border-radius: 12px; }}
QLabel#status {{ font-size: 16px; color: {theme.MUTED}; }}
"""


INSIGHTS_CSS = f"""
body {{ color: {theme.TEXT}; font-size: 18px; }}
h3 {{ font-size: 20px; font-weight: 600; margin: 0 0 6px 0; }}
p {{ margin: 0 0 10px 0; }}
"""


def _utc_now() -> datetime:
    """The current time, UTC-aware."""
    return datetime.now(UTC)


def when_text(moment: datetime) -> str:
    """'Sat 21 Nov  14:00' in local time."""
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b}  {local:%H:%M}"


def length_text(seconds: float | None) -> str:
    """'12 min', '45 s' or ''."""
    if seconds is None:
        return ""
    if seconds >= 90:
        return format_human(60 * round(seconds / 60))
    return format_human(seconds)


class HistoryModel(QAbstractTableModel):
    """The history rows as a table: display text, a sort value per column, and colours for pain stops."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[HistoryRow] = []

    def set_rows(self, rows: Sequence[HistoryRow]) -> None:
        """Replace all rows."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def text(self, row: HistoryRow, column: int) -> str:
        """What one cell shows."""
        if column == 0:
            return when_text(row.time)
        if column == 1:
            return row.kind.label
        if column == 2:
            return row.what
        if column == 3:
            return row.result
        if column == 4:
            return length_text(row.duration) if row.kind is not RowKind.PAIN_STOP else ""
        if column == 5:
            return row.pain_text
        return row.details

    def sort_value(self, row: HistoryRow, column: int) -> Any:
        """What a column sorts by: times as numbers, pain by its change (sessions) or value (stops)."""
        if column == 0:
            return row.time.timestamp()
        if column == 4:
            return -1.0 if row.duration is None or row.kind is RowKind.PAIN_STOP else row.duration
        if column == 5:
            value = row.change if row.kind is RowKind.SESSION else row.pain
            return 99 if value is None else value  # not rated: after every rating when sorted ascending
        return self.text(row, column).lower()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, index.column())
        if role == SORT_ROLE:
            return self.sort_value(row, index.column())
        if role == KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [self.text(row, c) for c in (0, 2, 3, 5, 6)]
            return "\n".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ForegroundRole:
            stopped = row.kind is RowKind.PAIN_STOP or (
                isinstance(row.entry, SessionRow) and row.entry.stopped_for_pain
            )
            if stopped:
                return QColor(theme.STOP_HOVER)
            if index.column() == 5 and row.change is not None:
                return QColor("#276749" if row.change < 0 else theme.STOP_HOVER if row.change > 0 else theme.TEXT)
        if role == Qt.ItemDataRole.BackgroundRole and row.kind is RowKind.PAIN_STOP:
            return QColor(theme.ALERT_BG)
        return None


class EntryDialog(QDialog):
    """Edit a session's pain ratings, or a pain stop's pain, symptoms and note."""

    def __init__(self, entry: SessionRow | StopRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setModal(True)
        self.setMinimumWidth(680)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.symptom_boxes: dict[str, QCheckBox] = {}
        self.note: QPlainTextEdit | None = None
        if isinstance(entry, SessionRow):
            self.setWindowTitle("Change the pain ratings")
            layout.addWidget(label(f"{entry.title}, {when_text(entry.started)}", "heading"))
            self.before = self._pain_box("Pain before", entry.pain_before)
            self.after = self._pain_box("Pain after", entry.pain_after)
            grid = QGridLayout()
            grid.addWidget(label("Pain before (0 = none, 10 = worst)"), 0, 0)
            grid.addWidget(self.before, 0, 1)
            grid.addWidget(label("Pain after"), 1, 0)
            grid.addWidget(self.after, 1, 1)
            layout.addLayout(grid)
        else:
            self.setWindowTitle("Change this pain stop")
            layout.addWidget(label(f"{entry.title}: stopped at {entry.where}, {when_text(entry.time)}", "heading"))
            self.pain = self._pain_box("Pain at the stop", entry.pain)
            row = QHBoxLayout()
            row.addWidget(label("Pain at the stop (0 = none, 10 = worst)"))
            row.addWidget(self.pain)
            layout.addLayout(row)
            layout.addWidget(label("What did you notice?"))
            boxes = QGridLayout()
            for index, key in enumerate(SYMPTOMS):
                box = QCheckBox(SYMPTOM_LABELS.get(key, key.capitalize()))
                box.setAccessibleName(SYMPTOM_LABELS.get(key, key))
                box.setChecked(key in entry.symptoms)
                self.symptom_boxes[key] = box
                boxes.addWidget(box, index // 3, index % 3)
            layout.addLayout(boxes)
            extra = [s for s in entry.symptoms if s not in SYMPTOMS]
            self._extra_symptoms = extra  # kept as they were: the dialog only offers the standard ones
            self.note = QPlainTextEdit(entry.note or "")
            self.note.setAccessibleName("Note")
            self.note.setPlaceholderText("A note for yourself or your clinician (optional)")
            self.note.setMaximumHeight(110)
            layout.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _pain_box(name: str, value: int | None) -> QComboBox:
        """'Not rated' or 0–10, large."""
        box = QComboBox()
        box.setAccessibleName(name)
        box.addItem("Not rated", None)
        for pain in range(11):
            box.addItem(str(pain), pain)
        box.setCurrentIndex(0 if value is None else value + 1)
        box.setMinimumWidth(140)
        return box

    def values(self) -> dict[str, Any]:
        """The chosen values: {'before', 'after'} for a session; {'pain', 'symptoms', 'note'} for a stop."""
        if isinstance(self.entry, SessionRow):
            return {"before": self.before.currentData(), "after": self.after.currentData()}
        symptoms = [key for key, box in self.symptom_boxes.items() if box.isChecked()] + self._extra_symptoms
        note = self.note.toPlainText().strip() if self.note is not None else ""
        return {"pain": self.pain.currentData(), "symptoms": symptoms, "note": note or None}


@dataclass(frozen=True)
class UndoStep:
    """One change that Undo can take back: its name, how to reverse it, and what to say when it is undone."""

    text: str  # "delete" or "edit", for the Undo button
    undo: Callable[[], None]
    key: tuple[str, int]
    undone: str  # e.g. "Brought back Desk break, Sat 21 Nov 14:00."


class HistoryView(QWidget):
    """The History page; self-contained: give it the journal (or None) and show it."""

    changed = Signal()

    def __init__(
        self,
        journal: Journal | None,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = _utc_now,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._loading = True  # no journal reads while the widgets are being built
        self.setObjectName("page")
        self.setStyleSheet(LOCAL_STYLE)
        self.journal = journal
        self.now = now
        self.titles = dict(titles) if titles is not None else insights.preset_titles()
        self.history = History([], [], [])
        self.undo_stack: list[UndoStep] = []
        # Replaceable in tests: ask for a file name to save to (None: cancelled), and run a dialog.
        self.ask_save_path: Callable[[str, str, str], str | None] = self._ask_save_path
        self.run_dialog: Callable[[QDialog], bool] = lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted

        self.title = label("History", "title")
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setAccessibleName("Export the shown entries as CSV")
        self.csv_button.setToolTip("Save the entries shown below as a spreadsheet file (CSV)")
        self.report_button = QPushButton("Report for your clinician (PDF)…")
        self.report_button.setObjectName("primary")
        self.report_button.setToolTip("A printable one-page summary of the chosen dates, all routines")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.csv_button)
        top.addWidget(self.report_button)

        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        for text, days in PERIODS:
            self.period.addItem(text, days)
        self.from_date = QDateEdit()
        self.to_date = QDateEdit()
        for edit, name in ((self.from_date, "From date"), (self.to_date, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
        self.routine_filter = QComboBox()
        self.routine_filter.setAccessibleName("Routine")
        self.routine_filter.setMinimumWidth(240)
        self.kind_boxes: dict[RowKind, QCheckBox] = {}
        filters = QHBoxLayout()
        filters.addWidget(self.period)
        filters.addWidget(label("from", "muted", wrap=False))
        filters.addWidget(self.from_date)
        filters.addWidget(label("to", "muted", wrap=False))
        filters.addWidget(self.to_date)
        filters.addSpacing(12)
        filters.addWidget(self.routine_filter)
        filters.addStretch(1)
        kinds = QHBoxLayout()  # they filter the table only: the chart always shows all three
        kinds.addWidget(label("Show in the table:", "muted", wrap=False))
        for kind, text in (
            (RowKind.SESSION, "Routines"),
            (RowKind.PAIN_STOP, "Pain stops"),
            (RowKind.TIMER, "Ice and heat"),
        ):
            box = QCheckBox(text)
            box.setChecked(True)
            box.setAccessibleName(f"Show {text.lower()}")
            self.kind_boxes[kind] = box
            kinds.addSpacing(8)
            kinds.addWidget(box)
        kinds.addStretch(1)

        self.insights_view = QTextBrowser()
        self.insights_view.setObjectName("insights")
        self.insights_view.setAccessibleName("At a glance")
        self.insights_view.setOpenLinks(False)
        self.insights_view.setFrameShape(QFrame.Shape.NoFrame)
        self.insights_view.setMinimumWidth(340)
        self.insights_view.document().setDocumentMargin(14)
        self._insight_lines: list[str] = []
        self.chart = PainChart()
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.insights_view)
        upper.addWidget(self.chart)
        upper.setStretchFactor(0, 2)
        upper.setStretchFactor(1, 3)
        upper.setSizes([460, 700])
        upper.setChildrenCollapsible(False)

        self.model = HistoryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setAccessibleName("History entries")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(True)  # long notes wrap onto a second line rather than vanish
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate((180, 110, 245, 250, 80, 72)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        lower = QSplitter(Qt.Orientation.Vertical)
        lower.addWidget(upper)
        table_area = QWidget()
        table_layout = QVBoxLayout(table_area)
        table_layout.setContentsMargins(0, 4, 0, 0)
        table_layout.setSpacing(6)
        table_layout.addLayout(kinds)
        table_layout.addWidget(self.table, 1)
        lower.addWidget(table_area)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        lower.setSizes([330, 300])
        lower.setChildrenCollapsible(False)

        self.status = label("", "status")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit the selected entry")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName("Delete the selected entry")
        self.delete_button.setToolTip("Hide the selected entry from your journal (Delete key); Undo brings it back")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo the last change")
        self.undo_button.setToolTip("Undo the last edit or delete (Ctrl+Z)")
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.undo_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(lower, 1)
        layout.addLayout(actions)

        self.undo_action = QAction("Undo", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo)
        self.addAction(self.undo_action)
        self.delete_action = QAction("Delete", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)

        self.period.currentIndexChanged.connect(self._period_changed)
        self.from_date.dateChanged.connect(self._dates_edited)
        self.to_date.dateChanged.connect(self._dates_edited)
        self.routine_filter.currentIndexChanged.connect(self.refresh)
        for box in self.kind_boxes.values():
            box.toggled.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo)
        self.csv_button.clicked.connect(self._export_csv_clicked)
        self.report_button.clicked.connect(self._export_report_clicked)

        self._loading = False
        self._period_changed()

    # -- filters ----------------------------------------------------------------------------------------
    def today(self) -> date:
        """Today's local date (from the injectable clock)."""
        return self.now().astimezone().date()

    def _set_dates(self, first: date, last: date) -> None:
        """Show a date range in the date edits without triggering 'Chosen dates'."""
        for edit, day in ((self.from_date, first), (self.to_date, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _episode_start(self) -> date | None:
        """The local day the current spasm started, if recorded."""
        if self.journal is None:
            return None
        from spasmcoach.core.therapy import current_episode

        episode = current_episode(self.journal)
        return None if episode is None else episode.started.astimezone().date()

    def _period_changed(self, *_args: object) -> None:
        days = self.period.currentData()
        today = self.today()
        if days == 0:  # chosen dates: keep what the date edits say
            self.refresh()
            return
        if days is None:
            first_entry = None
            if self.journal is not None:
                first = load_history(self.journal).first_time()
                first_entry = first.astimezone().date() if first else None
            self._set_dates(first_entry or today, today)
        elif days == -1:
            self._set_dates(self._episode_start() or today - timedelta(days=6), today)
        else:
            self._set_dates(today - timedelta(days=days - 1), today)
        self.refresh()

    def _dates_edited(self, *_args: object) -> None:
        if self.to_date.date() < self.from_date.date():  # an empty range: move the other end along
            sender = self.sender()
            edit = self.from_date if sender is self.to_date else self.to_date
            edit.blockSignals(True)
            edit.setDate(self.to_date.date() if sender is self.to_date else self.from_date.date())
            edit.blockSignals(False)
        self.period.blockSignals(True)
        self.period.setCurrentIndex(self.period.findData(0))
        self.period.blockSignals(False)
        self.refresh()

    def set_period(self, text: str) -> None:
        """Choose a period by its label ('Last 7 days', 'Everything', …)."""
        self.period.setCurrentIndex(self.period.findText(text))

    def set_dates(self, first: date, last: date) -> None:
        """Choose a date range (local days, inclusive)."""
        self._set_dates(first, last)
        self._dates_edited()

    def first_day(self) -> date | None:
        """The first day shown (None: from the beginning)."""
        if self.period.currentData() is None:
            return None
        value = self.from_date.date()
        return date(value.year(), value.month(), value.day())

    def last_day(self) -> date | None:
        """The last day shown (None: up to now)."""
        if self.period.currentData() is None:
            return None
        value = self.to_date.date()
        return date(value.year(), value.month(), value.day())

    def kinds(self) -> list[RowKind]:
        """The kinds of entry ticked."""
        return [kind for kind, box in self.kind_boxes.items() if box.isChecked()]

    def set_routine(self, routine_id: str | None) -> None:
        """Filter by one routine (None: all)."""
        index = self.routine_filter.findData(routine_id)
        self.routine_filter.setCurrentIndex(max(index, 0))

    def _fill_routines(self) -> None:
        """The routine filter lists every routine in the journal, keeping the current choice."""
        if self.journal is None:
            return
        current = self.routine_filter.currentData()
        titles: dict[str, str] = {}
        for session in self.journal.sessions():
            titles[session.routine] = session.title
        self.routine_filter.blockSignals(True)
        self.routine_filter.clear()
        self.routine_filter.addItem("All routines", None)
        for routine_id, title in sorted(titles.items(), key=lambda item: item[1].lower()):
            self.routine_filter.addItem(title, routine_id)
        index = self.routine_filter.findData(current)
        self.routine_filter.setCurrentIndex(max(index, 0))
        self.routine_filter.blockSignals(False)

    # -- contents ---------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        """Re-read the journal whenever the page comes into view (sessions may have been added)."""
        super().showEvent(event)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        """Re-read the journal with the current filters; keeps the selected entry selected."""
        if self._loading:
            return
        self._loading = True
        try:
            self._refresh()
        finally:
            self._loading = False

    def _refresh(self) -> None:
        selected = self.selected_key()
        if self.journal is None:
            self.model.set_rows([])
            self._show_insights(["Your journal is not available, so there is no history to show."])
            self._update_buttons()
            return
        try:
            self._fill_routines()
            since, until = day_range(self.first_day(), self.last_day())
            routine = self.routine_filter.currentData()
            self.history = load_history(self.journal, since=since, until=until, routine=routine, titles=self.titles)
            found = insights.insights(
                self.journal, since=since, until=until, routine=routine, now=self.now(), history=self.history
            )
        except JournalError as exc:
            self.status.setText(f"The journal could not be read: {exc}")
            return
        self.model.set_rows(history_rows(self.history, self.kinds()))
        self.chart.set_history(self.history, self.first_day(), self.last_day(), today=self.today())
        self._show_insights([i.text for i in found])
        if selected is not None:
            self.select_key(selected)
        self._update_buttons()

    def _show_insights(self, lines: Sequence[str]) -> None:
        """Show the insight lines under 'At a glance', large, one paragraph each."""
        self._insight_lines = list(lines)
        paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        self.insights_view.setHtml(
            f"<html><head><style>{INSIGHTS_CSS}</style></head><body><h3>At a glance</h3>{paragraphs}</body></html>"
        )

    def insight_texts(self) -> list[str]:
        """The insight lines now shown."""
        return list(self._insight_lines)

    # -- selection --------------------------------------------------------------------------------------
    def shown_rows(self) -> list[HistoryRow]:
        """The rows in the order the table shows them."""
        return [
            self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()] for r in range(self.proxy.rowCount())
        ]

    def selected_row(self) -> HistoryRow | None:
        """The selected entry, if any."""
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.model.rows[self.proxy.mapToSource(indexes[0]).row()]

    def selected_key(self) -> tuple[str, int] | None:
        """The selected entry's (kind, id)."""
        row = self.selected_row()
        return None if row is None else row.key

    def select_key(self, key: tuple[str, int]) -> bool:
        """Select the entry with this (kind, id); False if it is not shown."""
        for proxy_row in range(self.proxy.rowCount()):
            index = self.proxy.index(proxy_row, 0)
            if index.data(KEY_ROLE) == key:
                self.table.selectRow(proxy_row)
                self.table.scrollTo(index)
                return True
        return False

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected_row()
        self.edit_button.setEnabled(row is not None and row.kind is not RowKind.TIMER)
        self.edit_button.setToolTip(
            "Ice and heat timers have nothing to change"
            if row is not None and row.kind is RowKind.TIMER
            else "Change the pain ratings, symptoms or note (double-click a row)"
        )
        self.delete_button.setEnabled(row is not None)
        self.undo_button.setEnabled(bool(self.undo_stack))
        self.undo_button.setText(f"Undo {self.undo_stack[-1].text}" if self.undo_stack else "Undo")

    # -- edit, delete, undo ------------------------------------------------------------------------------
    def _write(self, what: str, action: Callable[[], None]) -> bool:
        """Run a journal write; a failure becomes a calm status line instead of an exception."""
        try:
            action()
        except (JournalError, LookupError, ValueError) as exc:
            log.warning("history %s failed: %s", what, exc)
            self.status.setText(f"That could not be saved ({what}): {exc}")
            return False
        return True

    def _done(self, step: UndoStep | None, message: str) -> None:
        """After a change: remember how to undo it, tell the user, refresh and signal."""
        if step is not None:
            self.undo_stack.append(step)
        self.status.setText(message)
        self.refresh()
        self.changed.emit()

    def edit_selected(self) -> bool:
        """Open the editor for the selected session or pain stop; True if something was saved."""
        row = self.selected_row()
        if row is None or isinstance(row.entry, TimerUse):
            return False
        dialog = EntryDialog(row.entry, self)
        try:
            if not self.run_dialog(dialog):
                return False
            values = dialog.values()
        finally:
            dialog.deleteLater()
        if isinstance(row.entry, SessionRow):
            return self.edit_session(row.entry.id, before=values["before"], after=values["after"])
        return self.edit_stop(row.entry.id, pain=values["pain"], symptoms=values["symptoms"], note=values["note"])

    def edit_session(self, session_id: int, *, before: int | None, after: int | None) -> bool:
        """Set a session's pain ratings, with undo."""
        journal = self.journal
        old = journal.session(session_id) if journal is not None else None
        if journal is None or old is None:
            return False
        if (old.pain_before, old.pain_after) == (before, after):
            return False
        if not self._write("pain ratings", lambda: journal.set_session_pain(session_id, before=before, after=after)):
            return False
        what = f"{old.title}, {when_text(old.started)}"
        step = UndoStep(
            "edit",
            lambda: journal.set_session_pain(session_id, before=old.pain_before, after=old.pain_after),
            ("session", session_id),
            f"Put back the earlier pain ratings of {what}.",
        )
        self._done(step, f"Saved the pain ratings of {what}.")
        return True

    def edit_stop(self, event_id: int, *, pain: int | None, symptoms: Sequence[str], note: str | None) -> bool:
        """Set a pain stop's pain, symptoms and note, with undo."""
        journal = self.journal
        old = journal.event(event_id) if journal is not None else None
        if journal is None or old is None:
            return False
        if (old.pain, list(old.symptoms), old.note) == (pain, list(symptoms), note):
            return False
        ok = self._write(
            "pain stop", lambda: journal.update_event(event_id, pain=pain, symptoms=list(symptoms), note=note)
        )
        if not ok:
            return False
        what = f"the pain stop at {old.step or 'a step'}, {when_text(old.time)}"
        step = UndoStep(
            "edit",
            lambda: journal.update_event(event_id, pain=old.pain, symptoms=list(old.symptoms), note=old.note),
            ("pain_stop", event_id),
            f"Put back the earlier details of {what}.",
        )
        message = f"Saved {what}."
        if nerve_warning(symptoms) and not nerve_warning(old.symptoms):
            message += " Tingling, numbness or weakness are worth mentioning to a doctor soon."
        self._done(step, message)
        return True

    def delete_selected(self) -> bool:
        """Hide the selected entry (it can be undone)."""
        row = self.selected_row()
        return False if row is None else self.delete_row(row)

    def delete_row(self, row: HistoryRow) -> bool:
        """Hide one entry: a session (with its own pain stop), a pain stop, or all events of one timer use."""
        journal = self.journal
        if journal is None:
            return False
        entry = row.entry
        if isinstance(entry, SessionRow):
            session_id = entry.id

            def delete() -> None:
                """Hide the session (its own pain stop is hidden with it)."""
                journal.delete_session(session_id)

            def undo() -> None:
                """Show the session again."""
                journal.restore_session(session_id)

            what = f"{entry.title}, {when_text(entry.started)}"
        else:
            ids = (entry.id,) if isinstance(entry, StopRow) else entry.event_ids

            def delete() -> None:
                """Hide the pain stop, or every event of the timer use."""
                for event_id in ids:
                    journal.delete_event(event_id)

            def undo() -> None:
                """Show them again."""
                for event_id in ids:
                    journal.restore_event(event_id)

            if isinstance(entry, StopRow):
                what = f"the pain stop at {entry.step or 'a step'}, {when_text(entry.time)}"
            else:
                what = f"{entry.title}, {when_text(entry.started)}"
        if not self._write("delete", delete):
            return False
        self._done(
            UndoStep("delete", undo, row.key, f"Brought back {what}."),
            f"Deleted {what}. Undo (Ctrl+Z) brings it back.",
        )
        return True

    def undo(self) -> bool:
        """Take back the last edit or delete; True if there was one."""
        if not self.undo_stack:
            self.status.setText("Nothing to undo.")
            return False
        step = self.undo_stack.pop()
        if not self._write("undo", step.undo):
            self.undo_stack.append(step)
            return False
        self._done(None, step.undone)
        self.select_key(step.key)
        return True

    # -- export ------------------------------------------------------------------------------------------
    def _ask_save_path(self, caption: str, suggested: str, file_filter: str) -> str | None:
        """A save-file dialog; None when cancelled."""
        start = str(Path.home() / suggested)
        path, _chosen = QFileDialog.getSaveFileName(self, caption, start, file_filter)
        return path or None

    def _file_stem(self) -> str:
        """'spasmcoach-2026-11-15-to-2026-11-21'."""
        first, last = self.first_day(), self.last_day() or self.today()
        return f"spasmcoach-{first.isoformat()}-to-{last.isoformat()}" if first else f"spasmcoach-to-{last.isoformat()}"

    def export_csv(self, path: Path | str) -> int:
        """Write the rows shown (filters and order as on screen) as CSV; returns how many."""
        with Path(path).open("w", encoding="utf-8", newline="") as out:
            count = insights.write_history_csv(self.shown_rows(), out)
        self.status.setText(f"Saved {insights.plural(count, 'entry', 'entries')} to {path}.")
        return count

    def export_report(self, path: Path | str) -> int:
        """Write the clinician's PDF for the chosen dates (all routines); returns its page count."""
        from .report import write_report

        if self.journal is None:
            return 0
        since, until = day_range(self.first_day(), self.last_day())
        result = write_report(self.journal, path, since=since, until=until, now=self.now(), titles=self.titles)
        self.status.setText(f"Saved the report ({insights.plural(result.pages, 'page')}) to {path}.")
        return result.pages

    def _export_csv_clicked(self) -> None:
        path = self.ask_save_path("Export CSV", f"{self._file_stem()}.csv", "CSV files (*.csv)")
        if path:
            try:
                self.export_csv(path)
            except OSError as exc:
                self.status.setText(f"The CSV could not be saved: {exc.strerror or exc}")

    def _export_report_clicked(self) -> None:
        path = self.ask_save_path("Save the report for your clinician", f"{self._file_stem()}.pdf", "PDF files (*.pdf)")
        if path:
            try:
                self.export_report(path)
            except (OSError, JournalError) as exc:
                self.status.setText(f"The report could not be saved: {getattr(exc, 'strerror', None) or exc}")
