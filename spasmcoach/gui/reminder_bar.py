"""The reminder inside the window: one calm line under the header with Start, Snooze 10 min and Skip.

The desktop notification may be missed or absent; the bar asks the same question where the person is
already looking. It also carries the one-time offer of the stand-and-stretch reminder. It never covers the
page, never takes the focus, and is hidden while a routine, its stop page or the safety page is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from spasmcoach.core.i18n import _


class ReminderBar(QFrame):
    """Shows one question at a time. Signal: answered(key, action), e.g. ("break", "snooze")."""

    answered = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBar")
        self.setStyleSheet(
            "#reminderBar { background: palette(alternate-base); border-bottom: 1px solid palette(mid); }"
        )
        self.key = ""
        self.wanted = False  # a question is waiting (the bar may still be hidden while a routine runs)
        self.choice_actions: list[str] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 8, 24, 8)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)  # the caller escapes what it did not write
        self.text.setObjectName("reminderText")  # its size is in the app style sheet, relative to the system font
        self.text.setAccessibleName(_("Reminder"))
        self.setToolTip(_("F6 moves the keyboard here"))
        row.addWidget(self.text, 1)
        self.buttons = [QPushButton() for _index in range(3)]
        for index, button in enumerate(self.buttons):
            button.setAutoDefault(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click never pulls the focus off the page
            button.clicked.connect(lambda _checked=False, i=index: self.answered.emit(self.key, self.choice_actions[i]))
            row.addWidget(button)
        self.hide()

    def ask(self, key: str, text: str, choices: list[tuple[str, str]]) -> None:
        """Ask ``text`` (rich text, escaped by the caller) with up to three (action, label) ``choices``; the bar
        shows once :meth:`allow` says it may."""
        self.key, self.wanted = key, True
        self.choice_actions = [action for action, _label in choices]
        self.text.setText(text)
        for index, button in enumerate(self.buttons):
            label = choices[index][1] if index < len(choices) else ""
            button.setText(label)
            button.setAccessibleName(label)
            button.setVisible(bool(label))

    def focus_first(self) -> None:
        """F6 from anywhere in the window: the keyboard's way to the question (its first button)."""
        if self.isVisible():
            self.buttons[0].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def button(self, action: str) -> QPushButton:
        """The button of ``action`` in the question shown."""
        return self.buttons[self.choice_actions.index(action)]

    def allow(self, allowed: bool) -> None:
        """Show a waiting question only where it may be seen (not over a routine)."""
        self.setVisible(allowed and self.wanted)

    def clear(self, key: str | None = None) -> None:
        """Take the question down (only if it is ``key``, when given)."""
        if key is None or key == self.key:
            self.key, self.wanted = "", False
            self.hide()
