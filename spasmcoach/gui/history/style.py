"""The History page's own style sheet: the table, its header, the date edits, the insights pane, the status line."""

from __future__ import annotations

from .. import theme

__all__ = ["LOCAL_STYLE"]

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
