"""The window's pages in one table (key, header title and shortcut, when the header shows) and the stack and
header that read it.

A page is added to :class:`PageStack` under its key when it is built, or registered with a factory and built
the first time it is asked for (History). The header's buttons are made from :data:`PAGES`, so a new page is
one row here and one ``add`` in the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QPushButton, QScrollArea, QStackedWidget, QWidget

from spasmcoach.core.i18n import N_, _


class Page(StrEnum):
    """Every page of the window; the value is its title (the header button's text for header pages)."""

    ROUTINES = N_("Routines")
    TIMERS = N_("Timers")
    HISTORY = N_("History")
    CHECKIN = N_("How is your back?")
    REMINDERS = N_("Reminders")
    BEFORE = N_("Before you start")
    PLAYER = N_("Player")
    STOP = N_("Stopped")
    FINISH = N_("Finished")
    SAFETY = N_("Safety")
    SELF_CARE = N_("Self-care")
    EDITOR = N_("Routine editor")


@dataclass(frozen=True)
class PageSpec:
    """How the window treats one page."""

    key: Page
    shortcut: str | None = None  # a header page: its button and key (Ctrl+1, …); None: not in the header
    browsing: bool = True  # the header's page buttons show while this page is on screen
    in_routine: bool = False  # part of a run: the header's timer line must not lead away from it
    scrolls: bool = False  # a dense page: it scrolls inside the window rather than set the window's smallest size

    @property
    def title(self) -> str:
        """The page's title in the chosen language (the key's value is its English msgid)."""
        return _(str(self.key))


PAGES: tuple[PageSpec, ...] = (
    PageSpec(Page.ROUTINES, shortcut="Ctrl+1"),
    PageSpec(Page.TIMERS, shortcut="Ctrl+2", scrolls=True),
    PageSpec(Page.HISTORY, shortcut="Ctrl+3", scrolls=True),
    PageSpec(Page.CHECKIN, shortcut="Ctrl+4"),
    PageSpec(Page.REMINDERS, shortcut="Ctrl+5", scrolls=True),
    PageSpec(Page.BEFORE, browsing=False, in_routine=True),
    PageSpec(Page.PLAYER, browsing=False, in_routine=True),
    PageSpec(Page.STOP, browsing=False),
    PageSpec(Page.FINISH, browsing=False),
    PageSpec(Page.SAFETY, browsing=False),
    PageSpec(Page.SELF_CARE),
    PageSpec(Page.EDITOR, browsing=False, scrolls=True),  # .editor: built on first use
)
SPECS = {spec.key: spec for spec in PAGES}
HEADER_PAGES = tuple(spec for spec in PAGES if spec.shortcut)


class PageStack(QStackedWidget):
    """The pages, one on screen at a time, each under its :class:`Page` key."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: dict[Page, QWidget] = {}
        self._holders: dict[Page, QWidget] = {}  # what the stack shows: the page, or a scroll area around it
        self._factories: dict[Page, Callable[[], QWidget]] = {}

    def add(self, key: Page, widget: QWidget) -> None:
        self._pages[key] = widget
        holder = widget
        if SPECS[key].scrolls:
            holder = _ScrollHolder(widget)
        self._holders[key] = holder
        self.addWidget(holder)

    def add_lazy(self, key: Page, factory: Callable[[], QWidget]) -> None:
        """Register a page built on first use (it is not needed to start the window)."""
        self._factories[key] = factory

    def available(self, key: Page) -> bool:
        return key in self._pages or key in self._factories

    def built(self, key: Page) -> QWidget | None:
        """The page if it exists already; never builds it."""
        return self._pages.get(key)

    def page(self, key: Page) -> QWidget | None:
        """The page, built now if it has a factory and was not built yet; None if it is not available."""
        if key not in self._pages and key in self._factories:
            self.add(key, self._factories.pop(key)())
        return self._pages.get(key)

    def show_page(self, key: Page) -> QWidget | None:
        widget = self.page(key)
        if widget is not None:
            self.setCurrentWidget(self._holders[key])
        return widget

    def current_page(self) -> QWidget | None:
        """The page on screen (inside its scroll area, for a page that scrolls)."""
        spec = self.current_spec()
        return self._pages[spec.key] if spec is not None else None

    def current_spec(self) -> PageSpec | None:
        current = self.currentWidget()
        return next((SPECS[key] for key, holder in self._holders.items() if holder is current), None)


class _ScrollHolder(QScrollArea):
    """Shows a dense page at the window's size, and scrolls only when the window is smaller than the page's
    minimum. (A resizable QScrollArea would give a page with wrapped text its full preferred height, and the
    bottom of the page, History's table, would start below the window.)"""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.page = page
        self.setWidget(page)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        page.installEventFilter(self)

    def _fit(self) -> None:
        smallest = self.page.minimumSizeHint().expandedTo(self.page.minimumSize())
        self.page.resize(self.viewport().size().expandedTo(smallest))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.page and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().eventFilter(watched, event)


class Header(QWidget):
    """The header row: a button per header page and the running-timers line.

    Signals: open_requested(Page), summary_clicked().
    """

    open_requested = Signal(object)
    summary_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 10, 24, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}  # by title, which is also the Page (a str enum)
        for spec in HEADER_PAGES:
            button = QPushButton(spec.title)
            button.setCheckable(True)
            button.setAccessibleName(_("Show {page}").format(page=spec.title))
            key = QKeySequence(spec.shortcut or "")
            button.setShortcut(key)
            button.setToolTip(f"{spec.title} ({key.toString(QKeySequence.SequenceFormat.NativeText)})")
            button.clicked.connect(lambda _checked=False, page=spec.key: self.open_requested.emit(page))
            self.group.addButton(button)
            self.buttons[spec.key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.timer_summary = QPushButton()
        self.timer_summary.setFlat(True)
        self.timer_summary.setObjectName("timerSummary")  # its look is in the one style sheet (style_rules)
        self.timer_summary.setAccessibleName(_("Running timers"))
        self.timer_summary.setToolTip(_("Show the timers"))
        self.timer_summary.setCursor(Qt.CursorShape.PointingHandCursor)
        self.timer_summary.hide()
        self.timer_summary.clicked.connect(self.summary_clicked)
        row.addWidget(self.timer_summary)

    def follow(self, stack: PageStack) -> None:
        """Show the page buttons only while browsing, those of available pages, the current one checked."""
        spec = stack.current_spec()
        browsing = spec is None or spec.browsing
        for key, button in self.buttons.items():
            button.setVisible(browsing and stack.available(Page(key)))
            button.setChecked(spec is not None and spec.key == key)
