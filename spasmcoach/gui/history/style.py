"""The History page's own style sheet: empty now, since its rules (the table, its header, the date edits,
the insights pane, the status line) are part of the app's one style sheet (``gui/style_rules.py``, scoped
to ``HistoryView``) and so follow the theme and the text size as they change."""

from __future__ import annotations

__all__ = ["LOCAL_STYLE"]

LOCAL_STYLE = ""
