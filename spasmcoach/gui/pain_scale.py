"""The 0–10 pain scale: eleven big buttons that work by mouse, by arrows and Enter, and by typing the number.

Keyboard: the scale is one Tab stop (the chosen number, or 0); Left/Right, Up/Down, Home and End move along it
without choosing; Enter or Space chooses the focused number. Typing a digit chooses it from anywhere on the
page (the page passes its keys on through :meth:`PainScale.type_key`). Ten is "1" then "0" within a second;
a "1" alone counts once that second has passed, or at once on Enter.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from spasmcoach.core.i18n import N_, _

TEN_WINDOW_MS = 1000  # after a typed "1", how long a "0" still makes it 10
KEYS_HELP = N_("Type a number, or use the arrow keys and Enter. For 10, type 1 then 0.")
_MOVES = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1}


class PainScale(QWidget):
    """Eleven buttons, 0 = no pain to 10 = worst. Signals: rated(int), once per choice."""

    rated = Signal(int)

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.question = QLabel(question)
        self.question.setObjectName("heading")
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.group = QButtonGroup(self)
        self.buttons: list[QPushButton] = []
        for value in range(11):
            button = QPushButton(str(value))
            button.setObjectName("painButton")
            button.setCheckable(True)
            button.setAutoDefault(True)  # Enter chooses the focused number, as Space does
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            meaning = {0: _("no pain"), 10: _("worst pain")}.get(value, "")
            name = _("Pain {value}").format(value=value)
            button.setAccessibleName(f"{name}, {meaning}" if meaning else name)
            tip = _("Pain {value} of 10").format(value=value) + (f" ({meaning})" if meaning else "")
            button.setToolTip(f"{tip}. {_(KEYS_HELP)}")
            button.installEventFilter(self)
            self.group.addButton(button, value)
            self.buttons.append(button)
            row.addWidget(button)
        layout.addLayout(row)
        ends = QHBoxLayout()
        low, high = QLabel(_("0 = no pain")), QLabel(_("10 = worst"))
        self.keys_help = QLabel(_("Keys: type the number (10: type 1 then 0)"))
        for widget in (low, high, self.keys_help):
            widget.setObjectName("muted")
        ends.addWidget(low)
        ends.addStretch(1)
        ends.addWidget(self.keys_help)
        ends.addStretch(1)
        ends.addWidget(high)
        layout.addLayout(ends)
        self._one = QTimer(self)  # a typed "1" waits this long for a "0"
        self._one.setObjectName("painScaleTenTimer")
        self._one.setSingleShot(True)
        self._one.setInterval(TEN_WINDOW_MS)
        self._one.timeout.connect(lambda: self.buttons[1].click())
        self.group.idClicked.connect(self._chosen)
        self._set_tab_stop(0)

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return None if checked < 0 else checked

    def clear(self) -> None:
        self._one.stop()
        self.group.setExclusive(False)
        for button in self.buttons:
            button.setChecked(False)
        self.group.setExclusive(True)
        self._set_tab_stop(0)

    def hideEvent(self, event: QHideEvent) -> None:
        self._one.stop()

    # -- keyboard -----------------------------------------------------------------------------------
    def type_key(self, event: QKeyEvent) -> bool:
        """A key typed somewhere on the page: a digit chooses that number. True if it was used."""
        if not self.isVisible() or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        text = event.text()
        if len(text) != 1 or not text.isdigit():
            return False
        digit = int(text)
        if digit == 0 and self._one.isActive():
            self._one.stop()
            digit = 10
        elif digit == 1:
            self.buttons[1].setChecked(True)
            self.buttons[1].setFocus(Qt.FocusReason.ShortcutFocusReason)
            self._one.start()
            return True
        self.buttons[digit].setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.buttons[digit].click()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrows move along the scale without choosing; the focused number becomes the Tab stop."""
        if isinstance(watched, QPushButton) and watched in self.buttons:
            if event.type() == QEvent.Type.FocusIn:
                self._set_tab_stop(self.buttons.index(watched))
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                index = self.buttons.index(watched)
                key = Qt.Key(event.key())
                target = {Qt.Key.Key_Home: 0, Qt.Key.Key_End: 10}.get(key, index + _MOVES.get(key, 0))
                if target != index or key in _MOVES:
                    self.buttons[min(max(target, 0), 10)].setFocus(Qt.FocusReason.TabFocusReason)
                    return True
        return super().eventFilter(watched, event)

    def _set_tab_stop(self, index: int) -> None:
        for i, button in enumerate(self.buttons):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if i == index else Qt.FocusPolicy.ClickFocus)

    def _chosen(self, value: int) -> None:
        self._one.stop()
        self._set_tab_stop(value)
        self.rated.emit(value)
