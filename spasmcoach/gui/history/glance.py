"""'At a glance': the plain-word insights of the History page, large, one paragraph each."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from .. import theme

__all__ = ["INSIGHTS_CSS", "GlanceView"]

INSIGHTS_CSS = f"""
body {{ color: {theme.TEXT}; font-size: 18px; }}
h3 {{ font-size: 20px; font-weight: 600; margin: 0 0 6px 0; }}
p {{ margin: 0 0 10px 0; }}
"""


class GlanceView(QTextBrowser):
    """The insight lines under the heading 'At a glance'; ``lines()`` says what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insights")
        self.setAccessibleName("At a glance")
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(340)
        self.document().setDocumentMargin(14)
        self._lines: list[str] = []

    def show_lines(self, lines: Sequence[str]) -> None:
        """Show these lines, one paragraph each."""
        self._lines = list(lines)
        paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        self.setHtml(
            f"<html><head><style>{INSIGHTS_CSS}</style></head><body><h3>At a glance</h3>{paragraphs}</body></html>"
        )

    def lines(self) -> list[str]:
        """The lines now shown."""
        return list(self._lines)
