"""The History page: what was done and how pain went, at a glance, with edit, delete and undo.

From top to bottom: the filters (period, dates, routine, kinds of entry), the plain-word insights next to
the pain chart, the sortable table of sessions, pain stops and ice or heat timers, and the actions: edit,
delete, undo (Ctrl+Z), CSV export and the PDF report for a clinician.

Deleting only hides an entry (the journal's soft delete) and can be undone; what a change does and how it
is undone lives in ``spasmcoach.core.history.edits``. Signals: changed() after an edit, delete or undo, so
other pages can re-read the journal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core.history import (
    History,
    HistoryRow,
    RowKind,
    SessionRow,
    TimerUse,
)
from spasmcoach.core.history.edits import Edit, UndoStep, delete_edit, session_pain_edit, stop_edit
from spasmcoach.core.history.query import HistoryPage, HistoryRequest, first_entry_time
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.journal import Journal, JournalError
from spasmcoach.core.storage import utc_now
from spasmcoach.core.wording import day_range
from spasmcoach.documents.pain_chart import summary_text

from ..chart import PainChart
from ..widgets import label
from .calendar import DiaryPanel, chart_tabs
from .exports import HistoryExports
from .filters import FilterBar
from .glance import GlanceView
from .loader import HistoryLoader
from .style import LOCAL_STYLE
from .table import HistoryTable

log = logging.getLogger(__name__)

__all__ = ["HistoryView"]

# (kind, the check box's label, its accessible name): English msgids, shown through _().
KIND_BOXES = (
    (RowKind.SESSION, N_("Routines"), N_("Show routines")),
    (RowKind.PAIN_STOP, N_("Pain stops"), N_("Show pain stops")),
    (RowKind.TIMER, N_("Ice and heat"), N_("Show ice and heat")),
)


class HistoryView(HistoryExports):
    """The History page; self-contained: give it the journal (or None) and show it."""

    changed = Signal()
    loaded = Signal()  # the newest filters' rows, chart and insights are on screen

    def __init__(
        self,
        journal: Journal | None,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = utc_now,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._building = True  # no journal reads while the widgets are being built
        self.setObjectName("page")
        self.setStyleSheet(LOCAL_STYLE)
        self.journal = journal
        self.now = now
        # The timer presets' titles; without them, the loader reads the preset files once, off the GUI thread.
        self.titles: Mapping[str, str] | None = dict(titles) if titles is not None else None
        self.history = History([], [], [])
        self.undo_stack: list[UndoStep] = []
        self.loading = False  # a read is under way on the worker thread
        self._journal_changed = True  # the next read may reuse nothing kept from an earlier one
        self._select_after_load: tuple[str, int] | None = None
        self.loader = HistoryLoader(self)
        self.loader.loaded.connect(self._show_page)

        self.filters = FilterBar(self.today, self._first_entry_day, self._episode_start, self)
        self.period, self.from_date, self.to_date = self.filters.period, self.filters.from_date, self.filters.to_date
        self.routine_filter = self.filters.routine
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(self._build_top())
        layout.addWidget(self.filters)
        lower = QSplitter(Qt.Orientation.Vertical)
        lower.addWidget(self._build_glance())
        lower.addWidget(self._build_table_area())
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        lower.setSizes([330, 300])
        lower.setChildrenCollapsible(False)
        layout.addWidget(lower, 1)
        layout.addLayout(self._build_actions())
        self._add_shortcuts()
        self._connect()
        self._building = False
        self.filters.apply_period()

    # -- construction -----------------------------------------------------------------------------------
    def _build_top(self) -> QHBoxLayout:
        """The title and the two export buttons."""
        self.title = label(_("History"), "title")
        self.csv_button = QPushButton(_("Export CSV…"))
        self.csv_button.setAccessibleName(_("Export the shown entries as CSV"))
        self.csv_button.setToolTip(_("Save the entries shown below as a spreadsheet file (CSV)"))
        self.report_button = QPushButton(_("Report for your clinician (PDF)…"))
        self.report_button.setObjectName("primary")
        self.report_button.setToolTip(_("A printable one-page summary of the chosen dates, all routines"))
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.csv_button)
        top.addWidget(self.report_button)
        return top

    def _build_glance(self) -> QSplitter:
        """'At a glance' (the insights) beside the pain chart."""
        self.insights_view = GlanceView()
        self.chart = PainChart()
        self.diary = DiaryPanel(self.journal, now=self.now)  # the calendar of pain per day, and the episodes
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.insights_view)
        upper.addWidget(chart_tabs(self.chart, self.diary))
        upper.setStretchFactor(0, 2)
        upper.setStretchFactor(1, 3)
        upper.setSizes([460, 700])
        upper.setChildrenCollapsible(False)
        return upper

    def _build_table_area(self) -> QWidget:
        """The kind check boxes (they filter the table only: the chart always shows all three) and the table."""
        kinds = QHBoxLayout()
        kinds.addWidget(label(_("Show in the table:"), "muted", wrap=False))
        self.kind_boxes: dict[RowKind, QCheckBox] = {}
        for kind, text, name in KIND_BOXES:
            box = QCheckBox(_(text))
            box.setChecked(True)
            box.setAccessibleName(_(name))
            self.kind_boxes[kind] = box
            kinds.addSpacing(8)
            kinds.addWidget(box)
        kinds.addStretch(1)
        self.loading_label = label("", "muted", wrap=False)
        self.loading_label.setAccessibleName(_("Loading state"))
        kinds.addWidget(self.loading_label)
        area = QWidget()
        area_layout = QVBoxLayout(area)
        area_layout.setContentsMargins(0, 4, 0, 0)
        area_layout.setSpacing(6)
        area_layout.addLayout(kinds)
        area_layout.addWidget(self._build_table(), 1)
        return area

    def _build_table(self) -> HistoryTable:
        """The sortable table of entries, newest first (its model is kept at hand)."""
        self.table = HistoryTable()
        self.model = self.table.rows_model
        return self.table

    def _build_actions(self) -> QHBoxLayout:
        """The status line, then Edit, Delete and Undo."""
        self.status = label("", "status")
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setAccessibleName(_("Edit the selected entry"))
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.setAccessibleName(_("Delete the selected entry"))
        self.delete_button.setToolTip(_("Hide the selected entry from your journal (Delete key); Undo brings it back"))
        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.setAccessibleName(_("Undo the last change"))
        self.undo_button.setToolTip(_("Undo the last edit or delete (Ctrl+Z)"))
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.undo_button)
        return actions

    def _add_shortcuts(self) -> None:
        """Ctrl+Z anywhere on the page; the Delete key in the table."""
        self.undo_action = QAction(_("Undo"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo)
        self.addAction(self.undo_action)
        self.delete_action = QAction(_("Delete"), self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)

    def _connect(self) -> None:
        """Filters refresh; selection updates the buttons; buttons act."""
        self.filters.changed.connect(self.refresh)
        self.diary.recorded.connect(self._done)
        for box in self.kind_boxes.values():
            box.toggled.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo)
        self.csv_button.clicked.connect(self._export_csv_clicked)
        self.report_button.clicked.connect(self._export_report_clicked)

    # -- filters ----------------------------------------------------------------------------------------
    def today(self) -> date:
        """Today's local date (from the injectable clock)."""
        return self.now().astimezone().date()

    def _first_entry_day(self) -> date | None:
        """The local day of the journal's first entry, if any."""
        if self.journal is None:
            return None
        try:
            first = first_entry_time(self.journal)  # one indexed query, quick on any journal
        except JournalError:
            return None
        return first.astimezone().date() if first else None

    def _episode_start(self) -> date | None:
        """The local day the current spasm started, if recorded."""
        if self.journal is None:
            return None
        from spasmcoach.core.timers import current_episode

        episode = current_episode(self.journal)
        return None if episode is None else episode.started.astimezone().date()

    def set_period(self, text: str) -> None:
        """Choose a period by its label ('Last 7 days', 'Everything', …)."""
        self.filters.set_period(text)

    def set_dates(self, first: date, last: date) -> None:
        """Choose a date range (local days, inclusive)."""
        self.filters.set_dates(first, last)

    def set_routine(self, routine_id: str | None) -> None:
        """Filter by one routine (None: all)."""
        self.filters.set_routine(routine_id)

    def first_day(self) -> date | None:
        """The first day shown (None: from the beginning)."""
        return self.filters.first_day()

    def last_day(self) -> date | None:
        """The last day shown (None: up to now)."""
        return self.filters.last_day()

    def kinds(self) -> list[RowKind]:
        """The kinds of entry ticked."""
        return [kind for kind, box in self.kind_boxes.items() if box.isChecked()]

    # -- contents ---------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        """Re-read the journal whenever the page comes into view (sessions may have been added)."""
        super().showEvent(event)
        self._journal_changed = True
        self.refresh()

    def refresh(self, *_args: object) -> None:
        """Re-read the journal with the current filters on the worker thread; keeps the selected entry selected.

        The page keeps showing what it had (with "Loading…" beside the table) until the rows arrive."""
        if self._building:
            return
        if self.journal is None:
            self.model.set_rows([])
            self._show_insights([_("Your journal is not available, so there is no history to show.")])
            self._update_buttons()
            return
        if self._select_after_load is None:
            self._select_after_load = self.selected_key()
        since, until = day_range(self.first_day(), self.last_day())
        request = HistoryRequest(
            now=self.now(),
            since=since,
            until=until,
            routine=self.filters.routine_id(),
            kinds=tuple(self.kinds()),
            first_day=self.first_day(),
            last_day=self.last_day(),
            timer_titles=self.titles,
        )
        self.loading = True
        self.loading_label.setText(_("Loading…"))
        draw = self.chart.drawer(self.first_day(), self.last_day(), self.today())
        self.loader.load(self.journal, request, fresh=self._journal_changed, draw=draw)
        self._journal_changed = False

    def _show_page(self, _number: int, result: object) -> None:
        """The newest read has arrived (on the GUI thread): show it."""
        self.loading = False
        self.loading_label.setText("")
        selected, self._select_after_load = self._select_after_load, None
        if not isinstance(result, HistoryPage):
            self.status.setText(_("The journal could not be read: {problem}").format(problem=result))
            self.loaded.emit()
            return
        self.filters.fill_routines(result.routine_titles)
        self.history = result.history
        self.model.set_rows(result.rows)
        drawn = self.loader.drawn
        self.chart.set_history(result.chart, self.first_day(), self.last_day(), today=self.today(), drawn=drawn)
        full = summary_text(result.history)  # the chart may draw averages; its description counts every entry
        self.chart.setAccessibleDescription(full)
        self.chart.setToolTip(full)
        self._show_insights(result.insights)
        self.diary.show_data(result.rated, result.episodes, self.first_day(), self.last_day(), result.days)
        if selected is not None:
            self.select_key(selected)
        self._update_buttons()
        self.loaded.emit()

    def _show_insights(self, lines: Sequence[str]) -> None:
        """Show the insight lines under 'At a glance'."""
        self.insights_view.show_lines(lines)

    def insight_texts(self) -> list[str]:
        """The insight lines now shown."""
        return self.insights_view.lines()

    # -- selection --------------------------------------------------------------------------------------
    def shown_rows(self) -> list[HistoryRow]:
        """The rows in the order the table shows them."""
        return self.table.shown_rows()

    def selected_row(self) -> HistoryRow | None:
        """The selected entry, if any."""
        return self.table.selected_row()

    def selected_key(self) -> tuple[str, int] | None:
        """The selected entry's (kind, id)."""
        row = self.selected_row()
        return None if row is None else row.key

    def select_key(self, key: tuple[str, int]) -> bool:
        """Select the entry with this (kind, id); False if it is not shown."""
        return self.table.select_key(key)

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected_row()
        timer = row is not None and row.kind is RowKind.TIMER
        self.edit_button.setEnabled(row is not None and not timer)
        self.edit_button.setToolTip(
            _("Ice and heat timers have nothing to change")
            if timer
            else _("Change the pain ratings, symptoms or note (double-click a row)")
        )
        self.delete_button.setEnabled(row is not None)
        self.undo_button.setEnabled(bool(self.undo_stack))
        self.undo_button.setText(self.undo_stack[-1].text if self.undo_stack else _("Undo"))

    # -- edit, delete, undo ------------------------------------------------------------------------------
    def _write(self, what: str, action: Callable[[], None]) -> bool:
        """Run a journal write; a failure becomes a calm status line instead of an exception."""
        try:
            action()
        except (JournalError, LookupError, ValueError) as exc:
            log.warning("history %s failed: %s", what, exc)
            self.status.setText(_("That could not be saved ({what}): {problem}").format(what=what, problem=exc))
            return False
        return True

    def _apply(self, edit: Edit | None) -> bool:
        """Make a change; then remember how to undo it, tell the user, refresh and signal."""
        if edit is None or not self._write(edit.what, edit.apply):
            return False
        self.undo_stack.append(edit.step)
        self._done(edit.message)
        return True

    def _done(self, message: str) -> None:
        """After a change or an undo: say so, refresh and signal."""
        self.status.setText(message)
        self._journal_changed = True
        self.refresh()
        self.changed.emit()

    def edit_selected(self) -> bool:
        """Open the editor for the selected session or pain stop; True if something was saved."""
        row = self.selected_row()
        if row is None or isinstance(row.entry, TimerUse):
            return False
        from .entry_dialog import EntryDialog  # imported on the first edit, not when the page opens

        values = EntryDialog.ask(row.entry, self)
        if values is None:
            return False
        if isinstance(row.entry, SessionRow):
            return self.edit_session(row.entry.id, before=values["before"], after=values["after"])
        return self.edit_stop(row.entry.id, pain=values["pain"], symptoms=values["symptoms"], note=values["note"])

    def edit_session(self, session_id: int, *, before: int | None, after: int | None) -> bool:
        """Set a session's pain ratings, with undo."""
        if self.journal is None:
            return False
        return self._apply(session_pain_edit(self.journal, session_id, before=before, after=after))

    def edit_stop(self, event_id: int, *, pain: int | None, symptoms: Sequence[str], note: str | None) -> bool:
        """Set a pain stop's pain, symptoms and note, with undo."""
        if self.journal is None:
            return False
        return self._apply(stop_edit(self.journal, event_id, pain=pain, symptoms=symptoms, note=note))

    def delete_selected(self) -> bool:
        """Hide the selected entry (it can be undone)."""
        row = self.selected_row()
        return False if row is None else self.delete_row(row)

    def delete_row(self, row: HistoryRow) -> bool:
        """Hide one entry: a session (with its own pain stop), a pain stop, or all events of one timer use."""
        if self.journal is None:
            return False
        return self._apply(delete_edit(self.journal, row.entry, row.key))

    def undo(self) -> bool:
        """Take back the last edit or delete; True if there was one."""
        if not self.undo_stack:
            self.status.setText(_("Nothing to undo."))
            return False
        step = self.undo_stack.pop()
        if not self._write(_("undo"), step.undo):
            self.undo_stack.append(step)
            return False
        self._select_after_load = step.key
        self._done(step.undone)
        return True
