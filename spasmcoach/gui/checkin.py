"""The check-in page, "How is your back?": pain now, where, what it is like, what helped, nerve symptoms, a note.

Only the number is needed; everything else is a tap (or Tab and Space) away. Typing a digit anywhere on the
page rates the pain. Ticking numbness, tingling or weakness, or one of the three emergency signs, shows the
same advice as the stop screen at once, in a clear banner. Save (Ctrl+S, or Enter on Save) writes through
the journal's never-lose path and the page says truthfully whether it is saved or kept to be saved later.

The page also holds the episode: when the spasm started, what set it off, and "My back has settled".
Signals: saved(Receipt) after each write, so History and the library can re-read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core import diary
from spasmcoach.core.diary import episodes
from spasmcoach.core.diary.vocabulary import Term
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.journal import Journal, JournalError, Receipt
from spasmcoach.core.red_flags import SYMPTOM_LABELS, advise
from spasmcoach.core.storage import utc_now
from spasmcoach.core.wording import when_text

from .body_map import BodyMap
from .library import ago
from .pain_scale import PainScale
from .reliever_dialog import RelieverDialog
from .widgets import label, scrolling

log = logging.getLogger(__name__)

__all__ = ["CheckInPage"]

TITLE = N_("How is your back?")
NOTE_LIMIT = 500


class ToggleRow(QWidget):
    """One checkable button per term, in rows of ``columns``; ``chosen()`` gives the ticked identifiers."""

    def __init__(self, terms: Sequence[Term], what: str, columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        self.buttons: dict[str, QPushButton] = {}
        for index, term in enumerate(terms):
            button = QPushButton(term.label)
            button.setCheckable(True)
            button.setObjectName("toggle")
            button.setAccessibleName(f"{what}: {term.label}")
            button.setMinimumHeight(48)
            button.toggled.connect(lambda on, b=button, text=term.label: b.setText(f"✓ {text}" if on else text))
            grid.addWidget(button, index // columns, index % columns)
            self.buttons[term.id] = button

    def chosen(self) -> list[str]:
        return [key for key, button in self.buttons.items() if button.isChecked()]

    def set_chosen(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        for key, button in self.buttons.items():
            button.setChecked(key in wanted)


def _card(*parts: QWidget | QHBoxLayout | QGridLayout) -> QFrame:
    frame = QFrame()
    frame.setObjectName("card")
    inner = QVBoxLayout(frame)
    inner.setContentsMargins(16, 12, 16, 14)
    inner.setSpacing(8)
    for part in parts:
        if isinstance(part, QWidget):
            inner.addWidget(part)
        else:
            inner.addLayout(part)
    return frame


class CheckInPage(QWidget):
    """The "How is your back?" page; give it the journal (or None)."""

    saved = Signal(object)  # the Receipt of the write
    closed = Signal()

    def __init__(
        self, journal: Journal | None, *, now: Callable[[], datetime] = utc_now, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.journal = journal
        self.now = now
        self.episode: episodes.Episode | None = None
        self.last_receipt: Receipt | None = None

        self.title = label(_(TITLE), "title")
        self.intro = label(_("Only the number is needed. Type it, or tap it; the rest is optional."), "subtitle")
        self.scale = PainScale(_("How strong is the pain now?"))
        self.body_map = BodyMap()
        self.where = label(_("Tap where it hurts (several are fine). Keys: Tab or arrows, then Space."), "muted")
        self.qualities = ToggleRow(diary.QUALITIES, _("What it is like"))
        self.helped = ToggleRow(diary.HELPED, _("What helped"))
        self.symptom_boxes: dict[str, QCheckBox] = {}
        symptoms = QGridLayout()
        symptoms.setHorizontalSpacing(18)
        for index, (key, text) in enumerate(SYMPTOM_LABELS.items()):
            box = QCheckBox(text)
            box.setAccessibleName(text)
            box.toggled.connect(self._update_banner)
            if index < 3:  # numbness, tingling, weakness side by side; each emergency sign on its own line
                symptoms.addWidget(box, 0, index)
            else:
                symptoms.addWidget(box, index - 2, 0, 1, 3)
            self.symptom_boxes[key] = box
        self.banner = label("", "alert")
        self.banner.setAccessibleName(_("Advice"))
        self.banner.hide()
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_LIMIT)
        self.note.setPlaceholderText(_("A note for yourself or your clinician (optional)"))
        self.note.setAccessibleName(_("Note"))

        self.episode_text = label("", "")
        self.triggers = ToggleRow(diary.TRIGGERS, _("What set it off"), columns=4)
        self.started_button = QPushButton(_("A spasm started now"))
        self.started_button.setAccessibleName(_("Record that a spasm started now"))
        self.settled_button = QPushButton(_("My back has settled"))
        self.settled_button.setAccessibleName(_("Record that your back has settled"))

        self.status = label("", "status")
        self.status.setAccessibleName(_("Save status"))
        self.reliever_button = QPushButton(_("I took a pain reliever…"))
        self.back_button = QPushButton(_("Back"))
        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("primary")
        self.save_button.setAccessibleName(_("Save this check-in"))
        self.save_button.setToolTip(_("Save this check-in (Ctrl+S)"))
        self.save_button.setMinimumHeight(60)
        self._build(symptoms)
        self._connect()
        self.clear()

    # -- construction -----------------------------------------------------------------------------------
    def _build(self, symptoms: QGridLayout) -> None:
        """The answers scroll (a small screen); the status line and Save stay in view below them."""
        content = QWidget()
        content.setObjectName("page")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(28, 16, 28, 8)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(_card(self.scale))
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(_card(label(_("Where does it hurt?"), "heading"), self.body_map, self.where), 2)
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(_card(label(_("What is it like?"), "heading"), self.qualities))
        right.addWidget(_card(label(_("What helped since last time?"), "heading"), self.helped))
        right.addWidget(_card(label(_("Do you have any of these?"), "heading"), symptoms, self.banner))
        right.addStretch(1)
        middle.addLayout(right, 3)
        layout.addLayout(middle)
        layout.addWidget(self.note)
        episode_buttons = QHBoxLayout()
        episode_buttons.addWidget(self.started_button)
        episode_buttons.addWidget(self.settled_button)
        episode_buttons.addStretch(1)
        layout.addWidget(
            _card(label(_("This spasm"), "heading"), self.episode_text,
                  label(_("What set it off? (optional)"), "muted"),
                  self.triggers, episode_buttons)
        )  # fmt: skip
        self.scroller = scrolling(content)
        footer = QHBoxLayout()
        footer.setContentsMargins(28, 6, 28, 14)
        footer.addWidget(self.status, 1)
        footer.addWidget(self.back_button)
        footer.addWidget(self.reliever_button)
        footer.addWidget(self.save_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.scroller, 1)
        outer.addLayout(footer)
        self.setTabOrder(self.scale.buttons[-1], self.body_map.first())

    def _connect(self) -> None:
        self.save_action = QAction(_("Save check-in"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        self.save_button.clicked.connect(self.save)
        self.reliever_button.clicked.connect(self.ask_reliever)
        self.back_button.clicked.connect(self.closed)
        self.started_button.clicked.connect(self.start_episode)
        self.settled_button.clicked.connect(self.settle_episode)
        self.body_map.changed.connect(self._show_where)

    # -- answers --------------------------------------------------------------------------------------
    def symptoms(self) -> list[str]:
        return [key for key, box in self.symptom_boxes.items() if box.isChecked()]

    def areas(self) -> list[str]:
        return self.body_map.areas()

    def clear(self) -> None:
        """Empty answers for a new check-in (the status line and the advice banner stay)."""
        self.scale.clear()
        self.body_map.clear()
        self.qualities.set_chosen(())
        self.helped.set_chosen(())
        for box in self.symptom_boxes.values():
            box.blockSignals(True)  # the advice just given stays on screen until something changes
            box.setChecked(False)
            box.blockSignals(False)
        self.note.clear()

    def _show_where(self) -> None:
        chosen = [diary.label_of(diary.AREAS, a) for a in self.areas()]
        hint = _("Tap where it hurts (several are fine).")
        self.where.setText(_("Where: {areas}").format(areas="; ".join(chosen)) if chosen else hint)

    def _update_banner(self) -> None:
        advice = advise(self.symptoms())
        self.banner.setText(advice.text)
        self.banner.setVisible(bool(advice.text))
        if advice.text:  # the whole advice on screen once the layout has made room for it
            QTimer.singleShot(0, self, self._reveal_banner)

    def _reveal_banner(self) -> None:
        self.scroller.ensureWidgetVisible(self.banner, 0, 12)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A digit typed anywhere on the page (outside the note) rates the pain."""
        if self.scale.type_key(event):
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_episode()

    # -- saving ---------------------------------------------------------------------------------------
    def _tell(self, text: str) -> None:
        self.status.setText(text)

    def save(self) -> Receipt | None:
        """Write the check-in (and changed triggers); the receipt, or None if nothing was written."""
        pain = self.scale.value()
        if pain is None:
            self._tell(_("Choose a number for the pain first (0 = no pain, 10 = worst), then save."))
            self.scale.buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        if self.journal is None:
            self._tell(_("Your journal is not available, so this check-in could not be kept."))
            return None
        try:
            entry = diary.CheckIn.build(
                pain, areas=self.areas(), qualities=self.qualities.chosen(), helped=self.helped.chosen(),
                symptoms=self.symptoms(), note=self.note.text(),
            )  # fmt: skip
            receipt = diary.record_checkin(self.journal, entry, now=self.now())
        except ValueError as exc:  # a bug, not the person's doing: say so calmly, keep the answers
            log.warning("check-in not saved: %s", exc)
            self._tell(_("This check-in could not be saved: {error}").format(error=exc))
            return None
        words = receipt.sentence(_("Your check-in"))
        words += self._save_triggers()
        self.last_receipt = receipt
        self._tell(words)
        self.clear()
        self.saved.emit(receipt)
        return receipt

    def _save_triggers(self) -> str:
        """Write changed trigger tags onto the open episode's start; a sentence to add to the status."""
        episode, chosen = self.episode, self.triggers.chosen()
        if episode is None or not episode.ongoing or tuple(chosen) == episode.triggers or self.journal is None:
            return ""
        try:
            stored = self.journal.event(episode.start_id)
            data = episodes.trigger_data(stored.data if stored is not None else {}, chosen)
            self.journal.update_event(episode.start_id, data=data, now=self.now())
        except (JournalError, LookupError, ValueError) as exc:
            problem = _("What set the spasm off could not be saved now ({error}); please try again later.")
            return " " + problem.format(error=exc)
        self.refresh_episode()
        return " " + _("What set it off is saved too.")

    def ask_reliever(self) -> Receipt | None:
        """Ask for a pain reliever taken and write it."""
        entry = RelieverDialog.ask(self.now(), self)
        if entry is None:
            return None
        if self.journal is None:
            self._tell(_("Your journal is not available, so this could not be kept."))
            return None
        try:
            receipt = diary.record_reliever(self.journal, entry, now=self.now())
        except ValueError as exc:
            self._tell(_("That could not be saved: {error}").format(error=exc))
            return None
        self._tell(receipt.sentence(f"“{entry.name}”"))
        self.saved.emit(receipt)
        return receipt

    # -- the episode ----------------------------------------------------------------------------------
    def refresh_episode(self) -> None:
        """Read the episode going on (if any) and show it with its triggers and the right button."""
        self.episode = None
        if self.journal is not None:
            try:
                self.episode = episodes.open_episode(self.journal, now=self.now())
            except JournalError as exc:
                log.warning("reading the episode failed: %s", exc)
        episode = self.episode
        if episode is None:
            self.episode_text.setText(
                _(
                    "No spasm is recorded as going on. If one has started, say so: the timers use it to suggest ice "
                    "or heat."
                )
            )
        else:
            when = when_text(episode.start, gap=", ")
            self.episode_text.setText(
                _("This spasm started {day} ({when}), {length} ago. Tell the app when it has settled.").format(
                    day=ago(episode.start, self.now()), when=when, length=episodes.length_text(episode.length)
                )
            )
            self.triggers.set_chosen(episode.triggers)
        self.started_button.setVisible(episode is None)
        self.settled_button.setVisible(episode is not None)

    def start_episode(self) -> Receipt | None:
        """Record that a spasm started now, with the triggers ticked."""
        if self.journal is None:
            return None
        receipt = episodes.start(self.journal, triggers=self.triggers.chosen(), now=self.now())
        self._tell(receipt.sentence(_("The start of this spasm")))
        self.refresh_episode()
        self.saved.emit(receipt)
        return receipt

    def settle_episode(self) -> Receipt | None:
        """Record that the back has settled now, ending the episode."""
        if self.journal is None:
            return None
        try:
            receipt = episodes.end(self.journal, self.episode, now=self.now())
        except ValueError as exc:
            self._tell(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return None
        self._tell(receipt.sentence(_("The end of this spasm")))
        self.refresh_episode()
        self.triggers.set_chosen(())
        self.saved.emit(receipt)
        return receipt
