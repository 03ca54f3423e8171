"""'At a glance': the plain-word insights of the History page, large, one paragraph each."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from spasmcoach.core.i18n import _

__all__ = ["INSIGHTS_CSS", "GlanceView"]

# No colour and no pixel sizes: the text takes the theme's text colour and grows with the system font and
# Settings → Appearance → Larger text.
INSIGHTS_CSS = """
body { font-size: large; }
h3 { font-size: x-large; font-weight: 600; margin: 0 0 6px 0; }
p { margin: 0 0 10px 0; }
"""


class GlanceView(QTextBrowser):
    """The insight lines under the heading 'At a glance'; ``lines()`` says what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insights")
        self.setAccessibleName(_("At a glance"))
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(340)
        self.document().setDocumentMargin(14)
        self._lines: list[str] = []
        self._kept = ""  # a line kept under the insights by another feature (reminders: breaks per day)

    def keep_line(self, line: str) -> None:
        """Keep ``line`` under whatever insights are shown ("" removes it)."""
        old, self._kept = self._kept, line
        self.show_lines([x for x in self._lines if not old or x != old])

    def show_lines(self, lines: Sequence[str]) -> None:
        """Show these lines, one paragraph each."""
        self._lines = [*lines, self._kept] if self._kept and self._kept not in lines else list(lines)
        paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in self._lines)
        heading = html.escape(_("At a glance"))
        self.setHtml(
            f"<html><head><style>{INSIGHTS_CSS}</style></head><body><h3>{heading}</h3>{paragraphs}</body></html>"
        )

    def lines(self) -> list[str]:
        """The lines now shown."""
        return list(self._lines)
