"""The History page: its view, table and model, filter bar, insights pane and the entry dialog."""

from __future__ import annotations

from .entry_dialog import EntryDialog
from .filters import FilterBar
from .model import HistoryModel
from .view import HistoryView

__all__ = ["EntryDialog", "FilterBar", "HistoryModel", "HistoryView"]
