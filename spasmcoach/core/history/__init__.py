"""The journal as history: records, table rows, plain-word insights, CSV export and the report's content."""

from __future__ import annotations

from .export import EVENT_CSV_COLUMNS, HISTORY_CSV_COLUMNS, write_events_csv, write_history_csv
from .records import TIMER_TYPES, History, SessionRow, StopRow, TimerUse, load_history, preset_titles
from .rules import (
    Insight,
    RoutineChange,
    RoutineStats,
    insights,
    insights_from,
    most_stopped_steps,
    routine_changes,
    routine_stats,
    routine_stats_text,
)
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
