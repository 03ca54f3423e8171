"""The History page's two exports: the shown entries as CSV (with the diary's check-ins and relievers) and the
clinician's PDF report, each saved atomically, with a calm status line when the file cannot be written."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from spasmcoach.core.i18n import N_, _, ngettext
from spasmcoach.core.journal import Journal, JournalError
from spasmcoach.core.storage import StorageError, write_bytes_atomic
from spasmcoach.core.wording import day_range

if TYPE_CHECKING:
    from spasmcoach.core.history import History, HistoryRow

__all__ = ["HistoryExports"]


class HistoryExports(QWidget):
    """The export actions of :class:`HistoryView` (its base class): what to save and where, and saying so."""

    journal: Journal | None
    history: History
    status: QLabel
    now: Callable[[], datetime]
    titles: Mapping[str, str] | None  # None: the preset files' titles

    def first_day(self) -> date | None:
        raise NotImplementedError

    def last_day(self) -> date | None:
        raise NotImplementedError

    def today(self) -> date:
        raise NotImplementedError

    def shown_rows(self) -> list[HistoryRow]:
        raise NotImplementedError

    @classmethod
    def ask_save_path(cls, parent: QWidget, caption: str, suggested: str, file_filter: str) -> str | None:
        """A save-file dialog starting in the home folder; None when cancelled (tests monkeypatch this)."""
        path, _chosen = QFileDialog.getSaveFileName(parent, caption, str(Path.home() / suggested), file_filter)
        return path or None

    def _file_stem(self) -> str:
        """'spasmcoach-2026-11-15-to-2026-11-21'."""
        first, last = self.first_day(), self.last_day() or self.today()
        return f"spasmcoach-{first.isoformat()}-to-{last.isoformat()}" if first else f"spasmcoach-to-{last.isoformat()}"

    def export_csv(self, path: Path | str) -> int:
        """Write the rows shown (filters and order as on screen), then check-ins and relievers, as CSV; how many."""
        from spasmcoach.core.history import write_history_csv

        text = io.StringIO(newline="")
        count = write_history_csv(self.shown_rows(), text, diary=[*self.history.checkins, *self.history.relievers])
        # all or nothing: a full disk, a FIFO or a name too long is a StorageError and no half-written file
        write_bytes_atomic(Path(path), text.getvalue().encode("utf-8"), N_("CSV file"))
        self.status.setText(
            ngettext("Saved {count} entry to {path}.", "Saved {count} entries to {path}.", count).format(
                count=count, path=path
            )
        )
        return count

    def export_report(self, path: Path | str) -> int:
        """Write the clinician's PDF for the chosen dates (all routines); returns its page count."""
        from spasmcoach.documents.report import write_report

        if self.journal is None:
            return 0
        since, until = day_range(self.first_day(), self.last_day())
        result = write_report(self.journal, path, since=since, until=until, now=self.now(), titles=self.titles)
        self.status.setText(
            ngettext("Saved the report ({count} page) to {path}.", "Saved the report ({count} pages) to {path}.",
                     result.pages).format(count=result.pages, path=path)
        )  # fmt: skip
        return result.pages

    def _export_csv_clicked(self) -> None:
        path = self.ask_save_path(self, _("Export CSV"), f"{self._file_stem()}.csv", _("CSV files (*.csv)"))
        if path:
            try:
                self.export_csv(path)
            except StorageError as exc:
                self.status.setText(_("The CSV was not saved. {reason}").format(reason=exc))

    def _export_report_clicked(self) -> None:
        caption = _("Save the report for your clinician")
        path = self.ask_save_path(self, caption, f"{self._file_stem()}.pdf", _("PDF files (*.pdf)"))
        if path:
            try:
                self.export_report(path)
            except StorageError as exc:
                self.status.setText(_("The report was not saved. {reason}").format(reason=exc))
            except (OSError, JournalError) as exc:
                reason = getattr(exc, "strerror", None) or exc
                self.status.setText(_("The report could not be saved: {reason}").format(reason=reason))
