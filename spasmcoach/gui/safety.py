"""Safety first: the first-launch page (red flags, not medical advice) and the Self-care basics page.

Both are plain pages in the window, not modal dialogs, so nothing blocks a person who is in pain, and
both stay reachable from the Help menu. Signals of each page: done().
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from spasmcoach.core import red_flags

from .widgets import label

SAFETY_HTML = """
<p style="font-size:19px">SpasmCoach guides you through gentle stretches and rest positions, times your ice and
heat, and keeps a private journal of what helps. Everything stays on this computer.</p>
<p style="font-size:19px"><b>It is not medical advice</b> and does not replace a doctor or physiotherapist.
<b>Stop at once if pain increases</b> — press Esc or the red button.</p>
""" + red_flags.safety_html()

SELF_CARE_HTML = """
<h3>Rest, but not too much</h3>
<p>In the first hours, lie in a position that eases the pain: on your back on a firm surface with two or three
pillows under your knees, or with your lower legs resting on a chair seat. Short rests help; long bed rest
usually makes a back stiffer. Get up gently every hour or so.</p>
<h3>Cold first, then heat</h3>
<p>In the first 48 to 72 hours, cold often helps: 20 minutes at a time, wrapped in a thin towel, never
directly on the skin, with breaks of at least half an hour between. After that, gentle heat — a hot water
bottle or a heat pad, warm not hot — can help tight muscles relax. Check your skin, and never fall asleep on
a heat pad.</p>
<h3>Keep moving gently</h3>
<p>Short, easy walks and slow stretches within comfort help a spasm settle. Move slowly, never bounce, and
stop if pain increases.</p>
<h3>Small things that help</h3>
<p>Drink enough water. Take hourly breaks from sitting: stand up, stretch, walk for a couple of minutes.
Sit with your back supported and your screen at eye height. If pain keeps you from sleeping or working,
talk to a pharmacist, doctor or physiotherapist.</p>
"""


class InfoPage(QWidget):
    """A readable page of text with one button back. Signals: done()."""

    done = Signal()

    def __init__(self, title: str, html: str, button: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        heading = label(title, "title")
        body = label("", "instructions")
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setText(html)
        body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body = body
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.button = QPushButton(button)
        self.button.setObjectName("primary")
        self.button.setAccessibleName(button)
        self.button.setMinimumHeight(56)
        self.button.setMinimumWidth(self.button.fontMetrics().horizontalAdvance(button) * 3 // 2 + 64)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 28, 48, 24)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)
        self.button.clicked.connect(self.done)

    def text(self) -> str:
        """The page as a reader sees it: tags removed, white space folded."""
        return " ".join(re.sub(r"<[^>]+>", " ", self.body.text()).split())


def safety_page() -> InfoPage:
    return InfoPage("Welcome to SpasmCoach", SAFETY_HTML, "I understand — continue")


def self_care_page() -> InfoPage:
    return InfoPage("Self-care basics", SELF_CARE_HTML, "Back")
