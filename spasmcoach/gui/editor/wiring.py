"""The editor in the window: the library's New / Duplicate / Edit / Delete, File ▸ New routine (Ctrl+N),
the editor page built on first use, Try it through the window's own start path, and kept drafts offered
back after a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from spasmcoach.core.i18n import _
from spasmcoach.core.model import Origin, Routine
from spasmcoach.core.paths import drafts_dir

from ..context import AppContext
from ..library import LibraryView
from ..navigation import Page, PageStack

if TYPE_CHECKING:  # the editor's files and drafts (PyYAML and the loader) load when first used, not at start-up
    from spasmcoach.core.editing.draft import RoutineDraft

    from .page import EditorPage

    Opening = tuple[RoutineDraft, dict[str, Any]]  # a draft and open_draft's options for it

log = logging.getLogger(__name__)


class EditorWindow(Protocol):
    """What the editor needs of the main window."""

    ctx: AppContext
    stack: PageStack
    library: LibraryView

    def reload_library(self) -> None: ...
    def show_library(self) -> None: ...
    def prepare(self, routine: Routine, left_out: list[str]) -> None: ...
    def installEventFilter(self, watcher: QObject) -> None: ...  # noqa: N802 - Qt's name
    def isVisible(self) -> bool: ...  # noqa: N802 - Qt's name


def new_routine_action(menu: QObject, trigger: Callable[[], None]) -> QAction:
    """File ▸ New routine… (Ctrl+N)."""
    action = QAction(_("&New routine…"), menu)
    action.setShortcut(QKeySequence.StandardKey.New)
    action.triggered.connect(trigger)
    return action


class EditorWiring(QObject):
    """Connects the library and the menu to the editor page, which is built the first time it is needed."""

    def __init__(self, window: EditorWindow) -> None:
        super().__init__(window.library)
        self.window = window
        self.trying = False  # a Try it run is on: coming back to the library returns to the editor
        window.stack.add_lazy(Page.EDITOR, self._build)
        library = window.library
        library.new_requested.connect(self.new_routine)
        library.duplicate_requested.connect(self.duplicate)
        library.edit_requested.connect(self.edit)
        library.delete_requested.connect(self.delete)
        window.stack.currentChanged.connect(self._page_changed)
        window.installEventFilter(self)  # closing the window asks about unsaved work, as leaving does
        QTimer.singleShot(0, self, self.offer_drafts)

    @property
    def page(self) -> EditorPage | None:
        return self.window.stack.built(Page.EDITOR)  # type: ignore[return-value]

    def _build(self) -> QWidget:
        from .page import EditorPage

        page = EditorPage()
        page.left.connect(self._left)
        page.saved.connect(self._saved)
        page.try_requested.connect(self._try)
        return page

    def _taken(self) -> set[str]:
        return set(self.window.library.library.routines)

    def _open(self, opening: Callable[[], Opening]) -> None:
        """Show the editor, and the draft ``opening()`` makes once the page is built (it builds over a few
        turns the first time, so the click never freezes the window)."""
        spec = self.window.stack.current_spec()
        if spec is not None and spec.in_routine:
            return  # Ctrl+N during a routine: the routine stays on screen
        busy = self.page
        if busy is not None and busy.is_dirty():  # never replace unsaved work silently
            self.window.stack.show_page(Page.EDITOR)
            busy.status.setText(_("First save or leave this routine; then open the next one."))
            return
        page = cast("EditorPage", self.window.stack.show_page(Page.EDITOR))

        def show() -> None:
            draft, options = opening()
            page.open_draft(draft, taken=self._taken(), **options)

        page.open_later(show)

    # -- the library's buttons ----------------------------------------------------------------------
    def new_routine(self) -> None:
        def opening() -> Opening:
            from spasmcoach.core.editing.draft import new_routine

            return new_routine(), {}

        self._open(opening)

    def duplicate(self, routine_id: str) -> None:
        routine = self.window.library.library.get(routine_id)
        if routine is None:
            return

        def opening() -> Opening:
            from spasmcoach.core.editing.draft import from_routine

            draft = from_routine(routine)
            draft.source, draft.routine_id = None, ""
            draft.values["title"] = _("{title} (my copy)").format(title=routine.title)
            return draft, {}

        self._open(opening)

    def edit(self, routine_id: str) -> None:
        routine = self.window.library.library.get(routine_id)
        if routine is None:
            return
        if routine.origin != Origin.USER or routine.path is None:
            self.duplicate(routine_id)  # a bundled routine is edited as the user's own copy
            return

        def opening() -> Opening:
            from spasmcoach.core.editing import files
            from spasmcoach.core.editing.draft import to_yaml

            opened = files.open_user_routine(routine)
            return opened.draft, {"rewrites": opened.rewrites, "saved_text": to_yaml(opened.draft)}

        self._open(opening)

    def delete(self, routine_id: str) -> None:
        routine = self.window.library.library.get(routine_id)
        if routine is None or routine.origin != Origin.USER or routine.path is None:
            return
        from spasmcoach.core.editing import files

        original = routine.path
        try:
            aside = files.delete(original)
        except files.EditorFileError as exc:
            self.window.ctx.notifier.warn(str(exc))
            return
        self.window.reload_library()

        def undo() -> None:
            try:
                files.undo_delete(aside, original)
            except files.EditorFileError as exc:
                self.window.ctx.notifier.warn(str(exc))
                return
            self.window.reload_library()
            self.window.library.select(routine_id)

        self.window.library.offer(
            _("“{title}” was deleted. The file is kept as {aside}.").format(title=routine.title, aside=aside.name),
            (_("Undo"), undo), None,
        )  # fmt: skip

    # -- drafts kept from a crash -------------------------------------------------------------------
    def offer_drafts(self) -> None:
        try:  # looked at before importing the editor's files (and PyYAML) for nothing
            if not any(drafts_dir().glob("*.json")):
                return
        except OSError:
            return
        from spasmcoach.core.editing import files
        from spasmcoach.core.editing.draft import from_routine, to_yaml

        kept = files.read_drafts()
        if not kept:
            return
        newest = kept[0]
        title = newest.draft.get("title") or _("a new routine")

        def reopen() -> None:
            draft = newest.draft
            saved = None
            if draft.source and Path(draft.source).exists():
                current = self.window.library.library.get(draft.routine_id)
                saved = to_yaml(from_routine(current)) if current is not None else None
            self._open(lambda: (draft, {"draft_key": newest.key, "saved_text": saved}))

        self.window.library.offer(
            _("Changes to “{title}” were not saved last time. They are kept.").format(title=title),
            (_("Open them"), reopen), (_("Throw them away"), lambda: files.remove_draft(newest.key)),
        )  # fmt: skip

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Closing the window with unsaved work asks Save / Discard / Keep editing; Keep stops the close."""
        if event.type() != QEvent.Type.Close:  # checked first: this sees every event of the window
            return False
        try:
            return self._closing(event)
        except Exception:  # a mistake here must never keep the window from closing, nor crash it
            log.exception("asking about unsaved work on close")
            return False

    def _closing(self, event: QEvent) -> bool:
        page = self.page
        if page is None or not page.is_dirty():
            return False
        if not self.window.isVisible():  # quitting from the tray: nothing to ask on, so the draft is kept now
            page.keeper.write_now()
            page.keeper.wait()
            return False
        from .page import Unsaved

        self.window.stack.show_page(Page.EDITOR)
        answer = page.ask_unsaved(page)
        if answer is Unsaved.KEEP or (answer is Unsaved.SAVE and not page.save()):
            event.ignore()
            return True
        if answer is Unsaved.DISCARD:
            page.keeper.discard()
        return False

    # -- leaving, saving, trying ----------------------------------------------------------------------
    def _left(self) -> None:
        self.trying = False
        self.window.show_library()

    def _saved(self, routine_id: str) -> None:
        self.window.reload_library()
        self.window.library.select(routine_id)

    def _try(self, routine: Routine) -> None:
        self.trying = True
        self.window.prepare(routine, [])

    def _page_changed(self, *_args: object) -> None:
        spec = self.window.stack.current_spec()
        if self.trying and spec is not None and spec.key is Page.ROUTINES:
            self.trying = False  # the run is over: back to the routine being edited
            QTimer.singleShot(0, self, lambda: self.window.stack.show_page(Page.EDITOR))
