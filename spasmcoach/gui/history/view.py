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
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Journal, JournalError
from spasmcoach.core.storage import utc_now
from spasmcoach.core.wording import day_range

from .building import HistoryParts
from .style import LOCAL_STYLE

if TYPE_CHECKING:
    from spasmcoach.core.history import HistoryRow, RowKind
    from spasmcoach.core.history.edits import Edit, UndoStep

log = logging.getLogger(__name__)

__all__ = ["HistoryView"]


class HistoryView(HistoryParts):
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
        self.undo_stack: list[UndoStep] = []
        self.loading = True  # a read is under way on the worker thread (or, first, the page is being built)
        self._journal_changed = True  # the next read may reuse nothing kept from an earlier one
        self._select_after_load: tuple[str, int] | None = None
        self._build_first()

    def _connect(self) -> None:
        """Filters refresh; selection updates the buttons; buttons act (once every part is built)."""
        self.loader.loaded.connect(self._show_page)
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
        from spasmcoach.core.history.query import first_entry_time

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
        if not self._building:  # while it is, the last part reads the journal
            self.refresh()

    def refresh(self, *_args: object) -> None:
        """Re-read the journal with the current filters on the worker thread; keeps the selected entry selected.

        The page keeps showing what it had (with "Loading…" beside the table) until the rows arrive."""
        if self._building:
            self.finish_building()  # asked before the page is complete: build the rest now; it reads at the end
            return
        if self.journal is None:
            self.loading = False
            self.model.set_rows([])
            self._show_insights([_("Your journal is not available, so there is no history to show.")])
            self._update_buttons()
            return
        if self._select_after_load is None:
            self._select_after_load = self.selected_key()
        from spasmcoach.core.history.query import HistoryRequest

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
        from spasmcoach.core.history.query import HistoryPage
        from spasmcoach.documents.pain_chart import summary_text

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
        first = self.first_day() or result.calendar_first
        self.diary.show_data(result.rated, result.episodes, first, self.last_day(), result.days)
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
        from spasmcoach.core.history import RowKind

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
        from spasmcoach.core.history import SessionRow, TimerUse

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
        from spasmcoach.core.history.edits import session_pain_edit

        return self._apply(session_pain_edit(self.journal, session_id, before=before, after=after))

    def edit_stop(self, event_id: int, *, pain: int | None, symptoms: Sequence[str], note: str | None) -> bool:
        """Set a pain stop's pain, symptoms and note, with undo."""
        if self.journal is None:
            return False
        from spasmcoach.core.history.edits import stop_edit

        return self._apply(stop_edit(self.journal, event_id, pain=pain, symptoms=symptoms, note=note))

    def delete_selected(self) -> bool:
        """Hide the selected entry (it can be undone)."""
        row = self.selected_row()
        return False if row is None else self.delete_row(row)

    def delete_row(self, row: HistoryRow) -> bool:
        """Hide one entry: a session (with its own pain stop), a pain stop, or all events of one timer use."""
        if self.journal is None:
            return False
        from spasmcoach.core.history.edits import delete_edit

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
