"""The journal as history: records, table rows, plain-word insights, CSV export and the report's content."""

# Each name is imported from its module when first used (``core/lazy_exports.py``): the library's statistics at
# start-up need only ``stats`` (with ``stops``), not the history's records, the diary, the CSV export or the table.

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy_exports import lazy_exports

if TYPE_CHECKING:
    from .export import EVENT_CSV_COLUMNS, HISTORY_CSV_COLUMNS, write_events_csv, write_history_csv
    from .records import TIMER_TYPES, History, SessionRow, StopRow, TimerUse, load_history, preset_titles
    from .rules import Insight, RoutineChange, insights, insights_from, most_stopped_steps, routine_changes
    from .stats import RoutineStats, routine_stats, routine_stats_text
    from .table import HistoryRow, RowKind, history_rows

__all__ = [
    "EVENT_CSV_COLUMNS",
    "HISTORY_CSV_COLUMNS",
    "TIMER_TYPES",
    "History",
    "HistoryRow",
    "Insight",
    "RoutineChange",
    "RoutineStats",
    "RowKind",
    "SessionRow",
    "StopRow",
    "TimerUse",
    "history_rows",
    "insights",
    "insights_from",
    "load_history",
    "most_stopped_steps",
    "preset_titles",
    "routine_changes",
    "routine_stats",
    "routine_stats_text",
    "write_events_csv",
    "write_history_csv",
]

__getattr__ = lazy_exports(__name__, ("stats", "rules", "records", "table", "export"), __all__)
