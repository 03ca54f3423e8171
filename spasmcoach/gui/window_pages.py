"""The window's pages that are not needed for its first paint: built when first used, or just after the first
paint (:func:`build_ahead`), each with its signals connected to the window.

The window reaches them as attributes (``window.player``), each a :class:`LazyPage` that builds its page on
first use, so no caller needs to know whether the page exists yet. Their modules are imported here, when a
page is built, so starting the window does not import them either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast, overload

from PySide6.QtWidgets import QWidget

from .navigation import Page, PageStack

if TYPE_CHECKING:
    from .context import AppContext
    from .library import LibraryView

__all__ = ["AHEAD", "LATER_PAGES", "LazyPage", "build_ahead", "build_page"]

LATER_PAGES = (Page.BEFORE, Page.PLAYER, Page.STOP, Page.FINISH, Page.SAFETY, Page.SELF_CARE, Page.HISTORY,
               Page.CHECKIN)  # fmt: skip
AHEAD = (Page.STOP, Page.PLAYER, Page.BEFORE, Page.FINISH)
"""Built after the first paint, the stop page first: a routine's pages are ready before any routine can start."""

P = TypeVar("P", bound=QWidget)


class PagesWindow(Protocol):
    """What the pages need of the main window."""

    ctx: AppContext
    stack: PageStack
    library: LibraryView

    def show_library(self) -> None: ...
    def pain_stop(self, source: str = "window") -> None: ...
    def set_muted(self, muted: bool, *, save: bool = True) -> None: ...
    def enter_presses_buttons(self, root: QWidget) -> None: ...
    def _begin(self, pain: object) -> None: ...
    def _stop_details(self, pain: object, symptoms: list[str], note: str) -> None: ...
    def _rated_after(self, pain: object) -> None: ...
    def _safety_read(self) -> None: ...


class LazyPage(Generic[P]):
    """A window attribute that is the page under ``key`` in the window's stack, built on first use."""

    def __init__(self, key: Page) -> None:
        self.key = key

    @overload
    def __get__(self, window: None, owner: type) -> LazyPage[P]: ...
    @overload
    def __get__(self, window: object, owner: type) -> P: ...
    def __get__(self, window: object, owner: type) -> LazyPage[P] | P:
        if window is None:
            return self
        return cast(P, cast(Any, window).stack.page(self.key))


def build_page(window: PagesWindow, key: Page) -> QWidget:
    """The page under ``key``, newly built, its signals connected to ``window``."""
    page = _BUILDERS[key](window)
    window.enter_presses_buttons(page)
    return page


def build_ahead(window: PagesWindow) -> Iterator[None]:
    """Build the pages of a routine's run one turn of the event loop apart (for ``app.in_turns``)."""
    for key in AHEAD:
        window.stack.page(key)
        yield


Links = dict[str, Callable[[PagesWindow], Callable[..., object]]]

_SIMPLE: dict[Page, tuple[str, str, Links]] = {  # module, class or function, {signal: the window's slot}
    Page.BEFORE: ("session_pages", "BeforePage", {"begin": lambda w: w._begin, "cancelled": lambda w: w.show_library}),
    Page.PLAYER: ("player", "PlayerView", {"stop_requested": lambda w: lambda *_args: w.pain_stop(),
                                           "mute_toggled": lambda w: w.set_muted}),
    Page.STOP: ("session_pages", "StopPage", {"done": lambda w: w._stop_details}),
    Page.FINISH: ("session_pages", "FinishPage", {"rated": lambda w: w._rated_after,
                                                  "closed": lambda w: w.show_library}),
    Page.SAFETY: ("safety", "safety_page", {"done": lambda w: w._safety_read}),
    Page.SELF_CARE: ("safety", "self_care_page", {"done": lambda w: w.show_library}),
}  # fmt: skip


def _simple(key: Page) -> Callable[[PagesWindow], QWidget]:
    """A builder for a page made with no arguments whose signals go straight to the window."""
    module, name, links = _SIMPLE[key]

    def build(window: PagesWindow) -> QWidget:
        page: QWidget = getattr(import_module(f"{__package__}.{module}"), name)()
        for signal, slot in links.items():
            getattr(page, signal).connect(slot(window))
        return page

    return build


def _history(window: PagesWindow) -> QWidget:
    from .history import HistoryView

    presets = window.ctx.presets
    page = HistoryView(window.ctx.journal, titles={pid: p.title for pid, p in presets.items()})
    page.changed.connect(window.library.refresh_details)
    return page


def _checkin(window: PagesWindow) -> QWidget:
    from .checkin import CheckInPage

    page = CheckInPage(window.ctx.journal)
    page.closed.connect(window.show_library)
    return page


_BUILDERS: dict[Page, Callable[[PagesWindow], QWidget]] = {
    **{key: _simple(key) for key in _SIMPLE},
    Page.HISTORY: _history,
    Page.CHECKIN: _checkin,
}
