"""Building the History page in parts, one turn of the event loop apart, so opening it never freezes the window.

The first part, in the constructor, is what a glance at the page takes in first: the title, the export buttons,
the filters, and Edit, Delete and Undo (with Ctrl+Z). The insights beside the chart, then the table, then the
reader of the journal follow on later turns, each importing its modules first on a turn of its own; the window
paints and answers keys in between. The journal is read once every part is there (then ``loaded``, as before).

Each part is built inside the widget it stays in, so the style sheet polishes it once. Anything that asks for
a part not built yet (a test, another page, an export) has the rest built at once (``gui/built_in_parts.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from spasmcoach.core.i18n import N_, _

from ..built_in_parts import BuiltInParts
from ..widgets import label
from .exports import HistoryExports
from .filters import FilterBar
from .glance import GlanceView

if TYPE_CHECKING:
    from spasmcoach.core.history import RowKind

    from ..chart import PainChart
    from .calendar import DiaryPanel
    from .loader import HistoryLoader
    from .model import HistoryModel
    from .table import HistoryTable

__all__ = ["LATER", "HistoryParts"]

# What the later parts make: asking for one of these before its part has run builds the rest at once.
LATER = frozenset(
    {"chart", "diary", "kind_boxes", "loading_label", "table", "model", "delete_action", "loader", "history"}
)

# (kind, the check box's label, its accessible name): English msgids, shown through _().
KIND_BOXES = (
    ("session", N_("Routines"), N_("Show routines")),
    ("pain_stop", N_("Pain stops"), N_("Show pain stops")),
    ("timer", N_("Ice and heat"), N_("Show ice and heat")),
)


class HistoryParts(BuiltInParts, HistoryExports):
    """The History page's widgets, built in parts (:class:`HistoryView` adds what they do)."""

    LATER = LATER
    _building: bool
    chart: PainChart
    diary: DiaryPanel
    kind_boxes: dict[RowKind, QCheckBox]
    loading_label: QLabel
    table: HistoryTable
    model: HistoryModel
    delete_action: QAction
    loader: HistoryLoader

    def _build_first(self) -> None:
        """The top and the bottom of the page now; the rest on the next turns of the event loop."""
        self.filters = FilterBar(self.today, self._first_entry_day, self._episode_start, self)
        self.period, self.from_date, self.to_date = self.filters.period, self.filters.from_date, self.filters.to_date
        self.routine_filter = self.filters.routine
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(self._build_top())
        layout.addWidget(self.filters)
        self.body = QSplitter(Qt.Orientation.Vertical, self)  # insights and chart above, the table below
        self.body.setChildrenCollapsible(False)
        self.glance_row = QSplitter(Qt.Orientation.Horizontal, self.body)  # the insights, then the chart beside them
        self.glance_row.setChildrenCollapsible(False)
        self.insights_view = GlanceView(self.glance_row)  # here at once: other features keep a line in it
        self.glance_row.addWidget(self.insights_view)
        self.body.addWidget(self.glance_row)
        layout.addWidget(self.body, 1)
        layout.addLayout(self._build_actions())
        self.undo_action = self._shortcut(_("Undo"), QKeySequence.StandardKey.Undo, self.undo)
        self.addAction(self.undo_action)
        self.filters.apply_period()  # the period's dates show at once; the journal is read after the last part
        self.build_in_parts(self._build_rest())

    def _build_rest(self) -> Iterator[None]:
        """The later parts, one per turn; each module import of some milliseconds on a turn of its own."""
        from spasmcoach.core.history import records  # noqa: F401  (imported on this turn, used on later ones)

        yield
        # The first widget Qt made (not Python) handed to Python makes PySide set up its type, some 20 ms once per
        # process (the window has done it by now): on a turn of its own, not with the table's (that asks for one).
        self.insights_view.viewport()
        yield
        from .. import chart  # noqa: F401

        yield
        from . import calendar  # noqa: F401

        yield
        self._build_glance()
        yield
        from PySide6.QtWidgets import QStyle  # noqa: F401  (PySide makes a class's enums when first imported)

        from . import model  # noqa: F401

        yield
        self._build_table_area()
        yield
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 2)
        self.body.setSizes([330, 300])
        from .loader import HistoryLoader

        yield
        self.history = records.History([], [], [])
        self.loader = HistoryLoader(self)
        self._finish()

    def _finish(self) -> None:
        """The last part: the signals, the keyboard's order and Enter on buttons as on the first part; then read."""
        self._connect()
        QWidget.setTabOrder(self.table, self.edit_button)  # the actions follow the table, as they are laid out
        QWidget.setTabOrder(self.edit_button, self.delete_button)
        QWidget.setTabOrder(self.delete_button, self.undo_button)
        auto_default = self.csv_button.autoDefault()  # the window makes Enter press its pages' buttons
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(auto_default)
        self._building = False
        self.refresh()

    # -- the parts --------------------------------------------------------------------------------------
    def _build_top(self) -> QHBoxLayout:
        """The title and the two export buttons."""
        self.title = label(_("History"), "title")
        self.csv_button = QPushButton(_("Export CSV…"), self)
        self.csv_button.setAccessibleName(_("Export the shown entries as CSV"))
        self.csv_button.setToolTip(_("Save the entries shown below as a spreadsheet file (CSV)"))
        self.report_button = QPushButton(_("Report for your clinician (PDF)…"), self)
        self.report_button.setObjectName("primary")
        self.report_button.setToolTip(_("A printable one-page summary of the chosen dates, all routines"))
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.csv_button)
        top.addWidget(self.report_button)
        return top

    def _build_glance(self) -> None:
        """'At a glance' (the insights) beside the pain chart and the diary's calendar."""
        from ..chart import PainChart
        from .calendar import DiaryPanel, chart_tabs

        row = self.glance_row
        self.chart = PainChart()
        self.diary = DiaryPanel(self.journal, now=self.now)  # the calendar of pain per day, and the episodes
        row.addWidget(chart_tabs(self.chart, self.diary, row))
        row.setStretchFactor(0, 2)
        row.setStretchFactor(1, 3)
        row.setSizes([460, 700])

    def _build_table_area(self) -> None:
        """The kind check boxes (they filter the table only: the chart always shows all three) and the table."""
        from spasmcoach.core.history import RowKind

        from .table import HistoryTable

        area = QWidget(self.body)
        kinds = QHBoxLayout()
        kinds.addWidget(label(_("Show in the table:"), "muted", wrap=False))
        self.kind_boxes = {}
        for kind, text, name in KIND_BOXES:
            box = QCheckBox(_(text), area)
            box.setChecked(True)
            box.setAccessibleName(_(name))
            self.kind_boxes[RowKind(kind)] = box
            kinds.addSpacing(8)
            kinds.addWidget(box)
        kinds.addStretch(1)
        self.loading_label = label("", "muted", wrap=False)
        self.loading_label.setAccessibleName(_("Loading state"))
        kinds.addWidget(self.loading_label)
        area_layout = QVBoxLayout(area)
        area_layout.setContentsMargins(0, 4, 0, 0)
        area_layout.setSpacing(6)
        area_layout.addLayout(kinds)
        # The sortable table of entries, newest first. Made outside the page, as it always was: it sizes its
        # minimum height (four rows) by the header's height then, before the page's rules of the style sheet.
        self.table = HistoryTable()
        self.model = self.table.rows_model
        area_layout.addWidget(self.table, 1)
        self.delete_action = self._shortcut(_("Delete"), QKeySequence.StandardKey.Delete, self.delete_selected)
        self.table.addAction(self.delete_action)  # the Delete key in the table
        self.body.addWidget(area)

    def _build_actions(self) -> QHBoxLayout:
        """The status line, then Edit, Delete and Undo."""
        self.status = label("", "status")
        self.edit_button = QPushButton(_("Edit…"), self)
        self.edit_button.setAccessibleName(_("Edit the selected entry"))
        self.delete_button = QPushButton(_("Delete"), self)
        self.delete_button.setAccessibleName(_("Delete the selected entry"))
        self.delete_button.setToolTip(_("Hide the selected entry from your journal (Delete key); Undo brings it back"))
        self.undo_button = QPushButton(_("Undo"), self)
        self.undo_button.setAccessibleName(_("Undo the last change"))
        self.undo_button.setToolTip(_("Undo the last edit or delete (Ctrl+Z)"))
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.undo_button)
        return actions

    def _shortcut(self, text: str, key: QKeySequence.StandardKey, slot: Any) -> QAction:
        """An action for ``key`` anywhere in the widget it is added to (and its children)."""
        action = QAction(text, self)
        action.setShortcut(key)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        return action

    # -- provided by HistoryView ------------------------------------------------------------------------
    def _connect(self) -> None:
        raise NotImplementedError

    def refresh(self, *_args: object) -> None:
        raise NotImplementedError

    def undo(self) -> bool:
        raise NotImplementedError

    def delete_selected(self) -> bool:
        raise NotImplementedError

    def _first_entry_day(self) -> Any:
        raise NotImplementedError

    def _episode_start(self) -> Any:
        raise NotImplementedError
