"""Safety first: the first-launch page (red flags, not medical advice) and the Self-care basics page.

Both are plain pages in the window, not modal dialogs, so nothing blocks a person who is in pain, and
both stay reachable from the Help menu. Signals of each page: done().
"""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from spasmcoach.core import red_flags
from spasmcoach.core.i18n import N_, _

from . import theme
from .widgets import label


def _paragraph(text: str) -> str:
    return f"<p>{text}</p>\n"  # no size of its own: the page's text size (and Larger text) decides


def safety_html() -> str:
    """The welcome page's text in the chosen language, then the red-flag lists."""
    return (
        _paragraph(_("SpasmCoach guides you through gentle stretches and rest positions, times your ice and "
                     "heat, and keeps a private journal of what helps. Everything stays on this computer."))
        + _paragraph(_("<b>It is not medical advice</b> and does not replace a doctor or physiotherapist. "
                       "<b>Stop at once if pain increases</b> — press Esc or the red button."))
        + red_flags.safety_html()
    )  # fmt: skip


# (heading, paragraph) pairs of the Self-care basics page, translated where shown
SELF_CARE: tuple[tuple[str, str], ...] = (
    (N_("Rest, but not too much"),
     N_("In the first hours, lie in a position that eases the pain: on your back on a firm surface with two or "
        "three pillows under your knees, or with your lower legs resting on a chair seat. Short rests help; long "
        "bed rest usually makes a back stiffer. Get up gently every hour or so.")),
    (N_("Cold first, then heat"),
     N_("In the first 48 to 72 hours, cold often helps: 20 minutes at a time, wrapped in a thin towel, never "
        "directly on the skin, with breaks of at least half an hour between. After that, gentle heat — a hot "
        "water bottle or a heat pad, warm not hot — can help tight muscles relax. Check your skin, and never "
        "fall asleep on a heat pad.")),
    (N_("Keep moving gently"),
     N_("Short, easy walks and slow stretches within comfort help a spasm settle. Move slowly, never bounce, "
        "and stop if pain increases.")),
    (N_("Small things that help"),
     N_("Drink enough water. Take hourly breaks from sitting: stand up, stretch, walk for a couple of minutes. "
        "Sit with your back supported and your screen at eye height. If pain keeps you from sleeping or "
        "working, talk to a pharmacist, doctor or physiotherapist.")),
)  # fmt: skip


def self_care_html() -> str:
    return "".join(f"<h3>{escape(_(heading))}</h3>\n" + _paragraph(escape(_(text))) for heading, text in SELF_CARE)


class InfoPage(QWidget):
    """A readable page of text with one button back. Signals: done().

    The text is written for a light page; its colours follow the theme in use, and again when it changes.
    """

    done = Signal()

    def __init__(self, title: str, html: str, button: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        heading = label(title, "title")
        body = label("", "instructions")
        body.setTextFormat(Qt.TextFormat.RichText)
        self._html = html
        body.setText(theme.screen_html(html))
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
        self.button.ensurePolished()  # the style sheet's font and padding, so a long translation is not cut
        text_width = self.button.fontMetrics().horizontalAdvance(button)
        self.button.setMinimumWidth(max(self.button.sizeHint().width(), text_width) + 64)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 28, 48, 24)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)
        self.button.clicked.connect(self.done)

    def changeEvent(self, event: QEvent) -> None:
        """A new theme (the style sheet or palette changed): the text's colours follow it."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            self.body.setText(theme.screen_html(self._html))

    def text(self) -> str:
        """The page as a reader sees it: tags removed, white space folded."""
        return " ".join(re.sub(r"<[^>]+>", " ", self.body.text()).split())


def safety_page() -> InfoPage:
    return InfoPage(_("Welcome to SpasmCoach"), safety_html(), _("I understand — continue"))


def self_care_page() -> InfoPage:
    return InfoPage(_("Self-care basics"), self_care_html(), _("Back"))
