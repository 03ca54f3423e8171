"""The History page: its view, table and model, filter bar, insights pane and the entry dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spasmcoach.core.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from .entry_dialog import EntryDialog
    from .filters import FilterBar
    from .model import HistoryModel
    from .view import HistoryView

__all__ = ["EntryDialog", "FilterBar", "HistoryModel", "HistoryView"]

# Each name is imported from its module on first use: opening the page needs the view, and only an edit needs
# the entry dialog (with the session's symptom words), so the page opens without importing it.
__getattr__ = lazy_exports(__name__, ("view", "filters", "model", "entry_dialog"), __all__)
