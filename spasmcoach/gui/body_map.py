"""Where it hurts: a body outline seen from behind, each area a button you can click, Tab to or move to with
the arrow keys, and toggle with Space (several at once).

Every area is a real checkable button (:class:`AreaButton`), so screen readers hear "Lower back, left,
toggle button, checked" and the keyboard works without anything special. The outline is painted with
QPainter in a 200 × 400 box scaled to the widget. Seen from behind, the person's left is on the left.
Signals: changed() whenever an area is chosen or cleared.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QEnterEvent,
    QFont,
    QFontInfo,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from spasmcoach.core.diary import AREAS, label_of
from spasmcoach.core.i18n import N_, _

from . import theme

# Each area's box in the 200 × 400 outline, and a short word painted inside it (translated where painted;
# the lower back's three boxes hold one letter each: left, centre, right).
REGIONS: dict[str, tuple[tuple[float, float, float, float], str]] = {
    "neck": ((84, 50, 32, 22), N_("Neck")),
    "upper-back": ((56, 72, 88, 50), N_("Upper")),
    "mid-back": ((60, 122, 80, 44), N_("Mid")),
    "lower-back-left": ((60, 166, 26, 42), N_("L")),
    "lower-back-centre": ((86, 166, 28, 42), N_("C")),
    "lower-back-right": ((114, 166, 26, 42), N_("R")),
    "buttock": ((58, 208, 84, 40), N_("Buttock")),
    "leg-left": ((58, 248, 40, 142), N_("Left\nleg")),
    "leg-right": ((102, 248, 40, 142), N_("Right\nleg")),
}
BOX = QSize(200, 400)
_NEXT = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}


class AreaButton(QAbstractButton):
    """One area of the outline: a checkable button painted as its shape (fill when chosen, ring when focused)."""

    def __init__(self, area: str, parent: BodyMap) -> None:
        super().__init__(parent)
        self.area = area
        self.map = parent
        name = label_of(AREAS, area)
        self.setText(name)
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(name)
        self.setToolTip(_("{area}: click or press Space to mark where it hurts").format(area=name))
        self.toggled.connect(self._toggled)

    def _toggled(self, on: bool) -> None:
        self.setAccessibleDescription(_("chosen") if on else _("not chosen"))
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows move to the next or previous area; Space toggles (QAbstractButton's own handling)."""
        step = _NEXT.get(Qt.Key(event.key()))
        if step is not None and not event.modifiers():
            self.map.move_focus(self, step)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()  # Enter belongs to the page (it presses the default button), not to the area
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        inner = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        radius = min(inner.width(), inner.height()) * 0.25
        path = QPainterPath()
        path.addRoundedRect(inner, radius, radius)
        chosen = self.isChecked()
        p = theme.palette()
        fill = QColor(p.accent if chosen else p.surface)
        if not chosen and self.underMouse():
            fill = QColor(p.focus_bg)
        painter.fillPath(path, fill)
        focused = self.hasFocus()
        pen = QPen(QColor(p.focus_strong if focused else p.muted), 4 if focused else 1.5)
        if focused:
            pen.setStyle(Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        painter.drawPath(path)
        word = _(REGIONS[self.area][1])
        font = QFont(self.font())
        lines = word.split("\n")
        longest = max(len(line) for line in lines)
        by_height = inner.height() * 0.32 / len(lines)
        largest = round(QFontInfo(self.font()).pixelSize() * 4 / 3)  # the body text's size and a third
        font.setPixelSize(max(11, min(largest, round(by_height), round(inner.width() * 1.6 / max(longest, 1)))))
        font.setBold(chosen or focused)
        painter.setFont(font)
        painter.setPen(QColor(p.on_accent if chosen else p.text))
        painter.drawText(inner, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, word)
        painter.end()

    def enterEvent(self, event: QEnterEvent) -> None:
        self.update()

    def leaveEvent(self, event: QEvent) -> None:
        self.update()


class BodyMap(QWidget):
    """The outline with its nine area buttons. ``areas()`` gives the chosen ones in the diary's order."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Where it hurts: body seen from behind"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(170, 340)
        self.buttons: dict[str, AreaButton] = {}
        for term in AREAS:
            button = AreaButton(term.id, self)
            button.toggled.connect(self.changed)
            self.buttons[term.id] = button
        self._place()

    def sizeHint(self) -> QSize:
        return QSize(230, 460)

    def areas(self) -> list[str]:
        """The chosen areas' identifiers."""
        return [area for area, button in self.buttons.items() if button.isChecked()]

    def set_areas(self, areas: Iterable[str]) -> None:
        """Choose exactly ``areas`` (unknown ones ignored)."""
        wanted = set(areas)
        for area, button in self.buttons.items():
            button.setChecked(area in wanted)

    def clear(self) -> None:
        self.set_areas(())

    def first(self) -> AreaButton:
        return self.buttons[AREAS[0].id]

    def move_focus(self, current: AreaButton, step: int) -> None:
        """Focus the area ``step`` places on from ``current`` (wrapping round)."""
        order = list(self.buttons.values())
        target = order[(order.index(current) + step) % len(order)]
        target.setFocus(Qt.FocusReason.TabFocusReason)

    # -- geometry and painting -------------------------------------------------------------------------
    def _scale(self) -> tuple[float, float, float]:
        """(scale, x offset, y offset) that fit the 200 × 400 box centred in the widget."""
        scale = min(self.width() / BOX.width(), self.height() / BOX.height())
        return scale, (self.width() - BOX.width() * scale) / 2, (self.height() - BOX.height() * scale) / 2

    def _place(self) -> None:
        scale, dx, dy = self._scale()
        for area, button in self.buttons.items():
            x, y, w, h = REGIONS[area][0]
            button.setGeometry(round(dx + x * scale), round(dy + y * scale), round(w * scale), round(h * scale))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The silhouette behind the buttons: head, arms and a soft body shape."""
        scale, dx, dy = self._scale()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(dx, dy)
        painter.scale(scale, scale)
        painter.setPen(QPen(QColor(theme.BORDER), 2))
        painter.setBrush(QColor(theme.palette().track))
        painter.drawEllipse(QRectF(78, 4, 44, 48))  # head
        for arm in (QRectF(30, 78, 24, 128), QRectF(146, 78, 24, 128)):
            painter.drawRoundedRect(arm, 11, 11)
        body = QPainterPath()
        body.addRoundedRect(QRectF(54, 68, 92, 184), 18, 18)
        painter.drawPath(body)
        painter.setPen(QColor(theme.MUTED))
        font = QFont(self.font())
        # the body text's size on screen, drawn in the outline's units; never taller than the space beside the head
        font.setPixelSize(max(1, round(min(QFontInfo(self.font()).pixelSize() / max(scale, 0.01), 18))))
        painter.setFont(font)
        painter.drawText(QRectF(0, 4, 74, 24), Qt.AlignmentFlag.AlignLeft, _("Left"))
        painter.drawText(QRectF(126, 4, 74, 24), Qt.AlignmentFlag.AlignRight, _("Right"))
        painter.end()
