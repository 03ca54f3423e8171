"""The pages around a run: before (cautions, pain rating), the stop screen, and the finish summary."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core.durations import format_human
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.model import Routine
from spasmcoach.core.red_flags import advise
from spasmcoach.core.session import SYMPTOM_LABELS, SYMPTOMS, GuidedSession, PainStop

from .widgets import PainScale, label, scrolling

REST_ADVICE = N_(
    "Lie on your back on a firm surface with two or three pillows under your knees, "
    "or with your lower legs resting on a chair seat. Breathe slowly and let your back settle."
)


class _Page(QWidget):
    """A full-window page with the house margins.

    ``self.column`` is the layout of its content, which scrolls when the screen is too small for it;
    ``self.footer`` is the row of buttons under it, always on screen. ``self.scale`` (if the page has a pain
    scale) takes the digits typed anywhere on the page that no control used.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        content = QWidget()
        content.setObjectName("page")
        self.column = QVBoxLayout(content)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(16)
        self.scroller = scrolling(content)
        self.footer = QHBoxLayout()
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(48, 28, 48, 20)
        self.outer.setSpacing(12)
        self.outer.addWidget(self.scroller, 1)
        self.outer.addLayout(self.footer)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        scale = getattr(self, "scale", None)
        if isinstance(scale, PainScale) and scale.type_key(event):
            event.accept()
            return
        super().keyPressEvent(event)


def _button(text: str, *, primary: bool = False, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    if primary:
        button.setObjectName("primary")
    button.setMinimumHeight(56)
    button.setAccessibleName(text)
    if tip:
        button.setToolTip(tip)
    return button


class BeforePage(_Page):
    """Cautions and an optional one-click pain rating. Signals: begin(object pain or None), cancelled()."""

    begin = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = self.column
        self.title = label("", "title")
        self.left_out = label("", "lastStop")
        self.cautions = label("", "instructions")
        self.scale = PainScale(_("How strong is your pain right now? Choose a number to start."))
        self.skip = _button(
            _("Start without rating"), primary=True, tip=_("Start the routine without rating your pain (Enter)")
        )
        self.back = _button(_("Back to the library"), tip=_("Go back (Esc)"))
        layout.addWidget(self.title)
        layout.addWidget(self.left_out)
        layout.addWidget(label(_("Before you start"), "heading"))
        layout.addWidget(self.cautions)
        layout.addStretch(1)
        self.outer.insertWidget(1, self.scale)  # under the cautions, never scrolled away: it starts the routine
        self.footer.addWidget(self.back)
        self.footer.addStretch(1)
        self.footer.addWidget(self.skip)
        # Enter acts on the focused control (no page-wide Enter): "Start without rating" has the focus
        # when the page opens, and a number chosen on the scale starts with that rating.
        QWidget.setTabOrder(self.scale.buttons[-1], self.back)
        QWidget.setTabOrder(self.back, self.skip)
        self.scale.rated.connect(self.begin.emit)
        self.skip.clicked.connect(lambda: self.begin.emit(None))
        self.back.clicked.connect(self.cancelled)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        ).activated.connect(self.cancelled)

    def show_routine(self, routine: Routine, left_out: list[str]) -> None:
        self.title.setText(routine.title)
        cautions = list(routine.cautions) or [_("Move slowly and never bounce."), _("Stop at once if pain increases.")]
        self.cautions.setText("\n".join(f"•  {c}" for c in cautions))
        names = ", ".join(left_out)
        self.left_out.setText(_("Leaving out “{steps}” this time.").format(steps=names) if left_out else "")
        self.left_out.setVisible(bool(left_out))
        self.scale.clear()
        self.skip.setFocus()


class StopPage(_Page):
    """Shown after a pain stop. Signals: done(object pain, list symptoms, str note)."""

    done = Signal(object, list, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = self.column
        layout.setSpacing(14)
        self.heading = label(_("Stopped. Rest in a comfortable position."), "title")
        self.saved = label("", "heading")  # where the stop is: the reassurance is read first, not small and grey
        self.advice = label(_(REST_ADVICE), "instructions")
        self.scale = PainScale(_("How strong is the pain now? (optional)"))
        self.symptom_boxes: dict[str, QCheckBox] = {}
        symptoms = QGridLayout()
        symptoms.setHorizontalSpacing(24)
        for key in SYMPTOMS:
            box = QCheckBox(SYMPTOM_LABELS[key])
            box.setAccessibleName(SYMPTOM_LABELS[key])
            box.toggled.connect(self._update_warning)
            symptoms.addWidget(box, len(self.symptom_boxes) // 2, len(self.symptom_boxes) % 2)
            self.symptom_boxes[key] = box
        symptoms.setColumnStretch(2, 1)
        self.warning = label("", "alert")
        self.warning.hide()
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(_("A note for yourself or your clinician (optional)"))
        self.note.setAccessibleName(_("Note"))
        self.note.setMaximumHeight(90)
        self.note.setTabChangesFocus(True)  # Tab leaves the note: the keyboard is never trapped in it
        self.finish = _button(_("Save and go back to the library"), primary=True)
        layout.addWidget(self.heading)
        layout.addWidget(self.saved)
        layout.addWidget(self.advice)
        frame = QFrame()
        frame.setObjectName("card")
        inner = QVBoxLayout(frame)
        inner.addWidget(self.scale)
        inner.addWidget(label(_("Anything else you notice? (optional)"), "heading"))
        inner.addLayout(symptoms)
        inner.addWidget(self.warning)
        inner.addWidget(self.note)
        layout.addWidget(frame)
        layout.addStretch(1)
        self.footer.addStretch(1)
        self.footer.addWidget(self.finish)
        self.finish.clicked.connect(self._done)
        self.scale.rated.connect(lambda _value: self.finish.setFocus(Qt.FocusReason.OtherFocusReason))

    def show_stop(self, record: PainStop) -> None:
        """Start afresh for the stop in ``record``: empty answers, and whether the stop is in the journal."""
        self.scale.clear()
        for box in self.symptom_boxes.values():
            box.setChecked(False)
        self.note.setPlainText("")
        self.saved.setText(record.sentence())  # saved, or kept safe to be saved later: never a false "saved"
        self.finish.setFocus()

    def symptoms(self) -> list[str]:
        return [key for key, box in self.symptom_boxes.items() if box.isChecked()]

    def _update_warning(self) -> None:
        advice = advise(self.symptoms())
        self.warning.setText(advice.text)
        self.warning.setVisible(bool(advice.text))
        if advice.text:  # the whole warning on screen, once the layout has made room for it
            QTimer.singleShot(0, self, self._reveal_warning)

    def _reveal_warning(self) -> None:
        self.scroller.ensureWidgetVisible(self.warning, 0, 8)

    def _done(self) -> None:
        self.done.emit(self.scale.value(), self.symptoms(), self.note.toPlainText())


class FinishPage(_Page):
    """After the last step: pain rating and summary. Signals: rated(object pain), closed()."""

    rated = Signal(object)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = self.column
        self.heading = label(_("Well done. Routine complete."), "title")
        self.summary = label("", "instructions")
        self.scale = PainScale(_("How strong is your pain now? (optional)"))
        self.result = label("", "instructions")
        self.warning = label("", "alert")
        self.warning.hide()
        self.close_button = _button(_("Back to the library"), primary=True)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.scale)
        layout.addWidget(self.result)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        self.footer.addStretch(1)
        self.footer.addWidget(self.close_button)
        self.scale.rated.connect(self.rated.emit)
        # After the rating, Enter goes on (back to the library) instead of choosing the number again.
        self.scale.rated.connect(lambda _value: self.close_button.setFocus(Qt.FocusReason.OtherFocusReason))
        self.close_button.clicked.connect(self.closed)

    def show_session(self, session: GuidedSession, *, prompt: bool) -> None:
        self.scale.clear()
        self.scale.setVisible(prompt)
        self.warning.hide()
        self.result.setText("")
        self.show_summary(session)
        self.close_button.setFocus()

    def show_summary(self, session: GuidedSession) -> None:
        steps = len(session.routine.steps)
        lines = [
            _("Time: {length}").format(length=format_human(session.elapsed)),
            _("Steps done: {done} of {steps}").format(done=session.runner.steps_done, steps=steps),
        ]
        if session.pain_before is not None or session.pain_after is not None:
            before = _("not rated") if session.pain_before is None else session.pain_before
            after = _("not rated") if session.pain_after is None else session.pain_after
            lines.append(_("Pain {before} before, {after} after").format(before=before, after=after))
        self.summary.setText("\n".join(lines))

    def show_rise(self, session: GuidedSession, rose: bool) -> None:
        self.show_summary(session)
        if rose:
            self.warning.setText(
                _(
                    "Your pain went up by {points} points. This routine may not suit your back right now. "
                    "Rest in a comfortable position, and if pain keeps rising, talk to a doctor or physiotherapist."
                ).format(points=session.pain_rise)
            )
            self.warning.show()
        else:
            self.warning.hide()
        receipt = session.rating_receipt  # never a false "saved" when the rating waits in the outbox
        self.result.setText(receipt.sentence(_("Your rating")) if receipt is not None else "")
