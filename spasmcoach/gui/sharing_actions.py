"""Routines in and out of the window: File ▸ Import…, Export…, the handout, and files dropped or handed over.

Import takes a ``.spasmcoach`` package or a routine ``.yaml`` file, from the file dialog, from a file dropped
onto the library, or from a later launch (``spasmcoach open FILE``, the desktop's "Open with"). Everything is
checked before anything is installed (``core.sharing``); a routine of the same id is never replaced without
asking: Replace, Keep both (the new one gets a new id) or Cancel. Reading, checking, installing, exporting
and drawing the handout happen in a worker thread; the window only asks and tells.

Signals of :class:`SharingActions`: ``imported(str routine_id)``, ``exported(object path)``,
``failed(str message)``: one of them ends every request, for tests and the window.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Any, Protocol, cast

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from spasmcoach.core import paths, sharing, storage
from spasmcoach.core.i18n import _
from spasmcoach.core.model import Origin, Routine
from spasmcoach.core.yamlsource import RoutineFileError

from .context import AppContext
from .library import LibraryView

log = logging.getLogger(__name__)

SUFFIXES = (sharing.SUFFIX, ".yaml", ".yml")
MAX_PROBLEMS_SHOWN = 3


class Choice(Enum):
    """What to do when an imported routine (or picture) has the name of one the user has."""

    REPLACE = "replace"
    KEEP_BOTH = "keep-both"
    CANCEL = "cancel"


class SharingWindow(Protocol):
    """What the sharing actions need of the main window."""

    ctx: AppContext
    library: LibraryView

    def reload_library(self) -> None: ...
    def show_library(self) -> None: ...


class _Relay(QObject):
    """Brings a worker's result back to the GUI thread (a queued signal: the relay lives in the GUI thread)."""

    done = Signal(object, object)  # the continuation, the result (or the exception raised)


def importable(path: Path) -> bool:
    """Whether ``path`` looks like something Import takes (by its name; the contents are checked later)."""
    return path.suffix.lower() in SUFFIXES


def read_any(path: Path) -> sharing.Package:
    """The checked package in ``path`` (a package or a routine file); PackageError/RoutineFileError if not."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return sharing.read_routine_file(path)
    return sharing.read_package(path)


def free_id(routine_id: str, taken: set[str]) -> str:
    """``routine_id`` with the first number that makes it new: ``knee-plan-2``, ``knee-plan-3``…"""
    number = 2
    while f"{routine_id}-{number}" in taken:
        number += 1
    return f"{routine_id}-{number}"


_TITLE = re.compile(rb"^title:[ \t]*([^\s'\"|>&*!#][^#\r\n]*?)[ \t]*$", re.MULTILINE)


def retitled(text: bytes, note: str) -> bytes:
    """The routine file with ``note`` added to a plain one-line title (so two copies can be told apart);
    unchanged when the title is written any other way."""
    found = list(_TITLE.finditer(text))
    if len(found) != 1:
        return text
    match = found[0]
    return text[: match.end(1)] + b" " + note.encode("utf-8") + text[match.end(1) :]


def problem_text(exc: RoutineFileError) -> str:
    """The first few mistakes of a file, one a line, then how many more."""
    lines = [str(p) for p in exc.problems[:MAX_PROBLEMS_SHOWN]]
    more = len(exc.problems) - MAX_PROBLEMS_SHOWN
    if more > 0:
        lines.append(_("…and {count} more; “spasmcoach validate FILE” lists them all.").format(count=more))
    return "\n".join(lines)


class SharingActions(QObject):
    """The File menu's sharing items and the library's drop target, for one window."""

    imported = Signal(str)
    exported = Signal(object)
    failed = Signal(str)

    def __init__(self, window: SharingWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self._relays: set[_Relay] = set()
        self.import_action = self._action(_("&Import routine…"), self.choose_import, QKeySequence.StandardKey.Open)
        self.import_action.setToolTip(_("Add a routine from a .spasmcoach file or a routine .yaml file"))
        self.export_action = self._action(_("&Export routine…"), self.choose_export, QKeySequence("Ctrl+E"))
        self.export_action.setToolTip(_("Save the selected routine and your own pictures as one .spasmcoach file"))
        self.print_action = self._action(_("&Print handout…"), self.print_handout, QKeySequence.StandardKey.Print)
        self.print_action.setToolTip(_("Open the selected routine's printable sheet to print it"))
        self.handout_action = self._action(_("Save handout as &PDF…"), self.choose_handout, None)
        library = window.library
        self._drop_targets = (library.list, library.list.viewport())
        for target in self._drop_targets:
            target.setAcceptDrops(True)
            target.installEventFilter(self)

    def _action(self, text: str, slot: Callable[[], None], key: Any) -> QAction:
        action = QAction(text, self)
        if key is not None:
            action.setShortcut(key)
        action.triggered.connect(slot)
        return action

    def add_to(self, menu: QMenu) -> None:
        """The four items, in the order they are used, then a separator."""
        for action in (self.import_action, self.export_action, self.print_action, self.handout_action):
            menu.addAction(action)
        menu.addSeparator()

    # -- dialogs (tests replace these) ---------------------------------------------------------------------
    @staticmethod
    def ask_open_path(parent: QWidget | None) -> Path | None:
        """The file to import, or None."""
        name, _filter = QFileDialog.getOpenFileName(
            parent,
            _("Import a routine"),
            str(Path.home()),
            _("SpasmCoach routines (*.spasmcoach *.yaml *.yml)"),
        )
        return Path(name) if name else None

    @staticmethod
    def ask_save_path(parent: QWidget | None, title: str, suggested: Path, pattern: str) -> Path | None:
        """Where to save, or None."""
        name, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), pattern)
        return Path(name) if name else None

    @staticmethod
    def ask_choice(parent: QWidget | None, text: str, *, keep_both: bool) -> Choice:
        """Replace, Keep both or Cancel (Cancel is the default and what Esc does)."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("You already have this routine"))
        box.setText(text)
        replace_button = box.addButton(_("Replace"), QMessageBox.ButtonRole.DestructiveRole)
        both = box.addButton(_("Keep both"), QMessageBox.ButtonRole.AcceptRole) if keep_both else None
        cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(both or cancel)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is replace_button:
            return Choice.REPLACE
        return Choice.KEEP_BOTH if both is not None and clicked is both else Choice.CANCEL

    @staticmethod
    def open_document(path: Path) -> bool:
        """Open ``path`` in the desktop's viewer (where it can be printed)."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # -- the worker ----------------------------------------------------------------------------------------
    def _off_thread(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Run ``work`` in a worker thread, then ``then(result or exception)`` in the GUI thread."""
        relay = _Relay()
        self._relays.add(relay)

        def arrived(continuation: Callable[[Any], None], result: Any) -> None:
            self._relays.discard(relay)
            continuation(result)

        relay.done.connect(arrived, Qt.ConnectionType.QueuedConnection)

        def job() -> None:
            try:
                result: Any = work()
            except Exception as exc:  # handed to the GUI thread, which says it calmly or logs a bug
                result = exc
            relay.done.emit(then, result)

        QThreadPool.globalInstance().start(job)

    def _parent(self) -> QWidget | None:
        return self.window if isinstance(self.window, QWidget) else None

    def _fail(self, message: str) -> None:
        self.window.ctx.notifier.warn(message)
        self.failed.emit(message)

    def _busy(self) -> bool:
        """A routine is running: nothing may come up over the player."""
        session = getattr(self.window, "session", None)
        return session is not None and session.runner.state.active

    # -- import --------------------------------------------------------------------------------------------
    def choose_import(self) -> None:
        if self._busy():
            self._fail(_("A routine is running. Import the file once it has ended."))
            return
        path = self.ask_open_path(self._parent())
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> None:
        """Check ``path`` in the worker, then install it, asking first if it would replace something."""
        if self._busy():
            message = _("A routine is running. Import {file} from File ▸ Import… once it has ended.")
            self._fail(message.format(file=path))
            return
        if not importable(path):
            self._fail(_("{file} is not a routine: SpasmCoach imports .spasmcoach and .yaml files.").format(file=path))
            return
        self._off_thread(lambda: read_any(path), lambda result: self._checked(path, result))

    def _checked(self, path: Path, result: Any) -> None:
        if isinstance(result, RoutineFileError):
            self._fail(_("{file} has mistakes, so nothing was imported:\n{problems}").format(
                file=path.name, problems=problem_text(result)))  # fmt: skip
            return
        if isinstance(result, sharing.PackageError | storage.StorageError | paths.DataDirError):
            self._fail(_("{file} could not be imported: {why}").format(file=path.name, why=result))
            return
        if isinstance(result, Exception):
            log.error("importing %s", path, exc_info=result)
            self._fail(_("{file} could not be imported because of an error in SpasmCoach.").format(file=path.name))
            return
        package: sharing.Package = result
        existing = self.window.library.library.get(package.routine_id)
        if existing is None:
            self._install(package, replace=False)
            return
        chosen = self._ask_about(package, existing)
        if chosen is None:
            self.failed.emit(_("Nothing was imported."))
            return
        self._install(chosen, replace=chosen.routine_id == existing.id)

    def _ask_about(self, package: sharing.Package, existing: Routine) -> sharing.Package | None:
        """The package to install after asking (its id changed for Keep both), or None for Cancel."""
        if existing.origin is Origin.USER:
            text = _("You already have a routine called “{title}”. Replace it with the one in {file}?")
        else:
            text = _("“{title}” is one of SpasmCoach's own routines. Replace it with the one in {file}? "
                     "(Deleting yours later brings SpasmCoach's back.)")  # fmt: skip
        choice = self.ask_choice(
            self._parent(), text.format(title=existing.title, file=package.source.name), keep_both=True
        )
        if choice is Choice.CANCEL:
            return None
        if choice is Choice.REPLACE:
            return package
        new_id = free_id(package.routine_id, set(self.window.library.library.routines))
        number = new_id.rsplit("-", 1)[1]
        return replace(package, routine_id=new_id, routine_bytes=retitled(package.routine_bytes, f"({number})"))

    def _install(self, package: sharing.Package, *, replace: bool) -> None:
        def work() -> sharing.Installed:
            paths.ensure_data_dir()
            return sharing.install(package, replace=replace)

        self._off_thread(work, lambda result: self._installed(package, result))

    def _installed(self, package: sharing.Package, result: Any) -> None:
        if isinstance(result, sharing.AlreadyInstalled):  # a different picture of the same name
            text = _("{why}. Replace it with the picture from {file}?").format(why=result, file=package.source.name)
            if self.ask_choice(self._parent(), text, keep_both=False) is Choice.REPLACE:
                self._install(package, replace=True)
            else:
                self.failed.emit(_("Nothing was imported."))
            return
        if isinstance(result, sharing.PackageError | storage.StorageError | paths.DataDirError):
            self._fail(_("{file} could not be imported: {why}").format(file=package.source.name, why=result))
            return
        if isinstance(result, Exception):
            log.error("installing %s", package.source, exc_info=result)
            self._fail(_("{file} could not be imported because of an error in SpasmCoach.").format(
                file=package.source.name))  # fmt: skip
            return
        self.window.reload_library()
        self.window.show_library()
        self.window.library.select(package.routine_id)
        routine = self.window.library.library.get(package.routine_id)
        title = routine.title if routine is not None else package.routine_id
        self.window.ctx.notifier.notify(_("Imported “{title}”. It is in your routines now.").format(title=title))
        self.imported.emit(package.routine_id)

    # -- export and the handout ----------------------------------------------------------------------------
    def _selected(self) -> Routine | None:
        if self._busy():  # nothing comes up over the player; the routine and its Stop stay in front
            self._fail(_("A routine is running. Export or print once it has ended."))
            return None
        routine_id = self.window.library.current_id()
        routine = self.window.library.library.get(routine_id) if routine_id else None
        if routine is None:
            self._fail(_("Choose a routine in the list first."))
        return routine

    def choose_export(self) -> None:
        routine = self._selected()
        if routine is None:
            return
        suggested = Path.home() / f"{routine.id}{sharing.SUFFIX}"
        target = self.ask_save_path(
            self._parent(), _("Export “{title}”").format(title=routine.title), suggested,
            _("SpasmCoach routine (*.spasmcoach)"),
        )  # fmt: skip
        if target is not None:
            self.export_to(routine, target)

    def export_to(self, routine: Routine, target: Path) -> None:
        def done(result: Any) -> None:
            if isinstance(result, Path):
                message = _("Saved “{title}” to {file}.").format(title=routine.title, file=result)
                self.window.ctx.notifier.notify(message)
                self.exported.emit(result)
            else:
                self._failed_write(_("The routine could not be exported"), result)

        self._off_thread(lambda: sharing.export_routine(routine, target), done)

    def _failed_write(self, what: str, result: Any) -> None:
        if isinstance(result, sharing.PackageError | storage.StorageError):
            self._fail(f"{what}: {result}")
        else:
            log.error("%s", what, exc_info=result if isinstance(result, Exception) else None)
            self._fail(_("{what} because of an error in SpasmCoach.").format(what=what))

    def choose_handout(self) -> None:
        routine = self._selected()
        if routine is None:
            return
        target = self.ask_save_path(
            self._parent(), _("Save the handout of “{title}”").format(title=routine.title),
            Path.home() / f"{routine.id}.pdf", _("PDF (*.pdf)"),
        )  # fmt: skip
        if target is not None:
            self.save_handout(routine, target if target.suffix.lower() == ".pdf" else target.with_suffix(".pdf"))

    def print_handout(self) -> None:
        """The handout in the desktop's PDF viewer, from where it prints (no printer setup inside the app)."""
        routine = self._selected()
        if routine is None:
            return
        folder = Path(tempfile.mkdtemp(prefix="spasmcoach-handout-"))
        self.save_handout(routine, folder / f"{routine.id}.pdf", open_after=True)

    def save_handout(self, routine: Routine, target: Path, *, open_after: bool = False) -> None:
        def work() -> Path:
            from spasmcoach.documents.handout import write_handout

            write_handout(routine, target)
            return target

        def done(result: Any) -> None:
            if not isinstance(result, Path):
                self._failed_write(_("The handout could not be made"), result)
                return
            if open_after and self.open_document(result):
                self.window.ctx.notifier.notify(_("The handout is open in your PDF viewer; print it from there."))
            else:
                self.window.ctx.notifier.notify(_("Saved the handout to {file}.").format(file=result))
            self.exported.emit(result)

        self._off_thread(work, done)

    # -- drag and drop onto the library --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDragEnterEvent | QDropEvent):
            if dropped_file(event) is not None:
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            path = dropped_file(event)
            if path is not None:
                event.acceptProposedAction()
                self.import_file(path)
                return True
        return super().eventFilter(watched, event)


def dropped_file(event: QDropEvent) -> Path | None:
    """The one local routine file being dragged, or None (anything else is not taken)."""
    urls = event.mimeData().urls() if event.mimeData() is not None else []
    files = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    return files[0] if len(files) == 1 and importable(files[0]) else None


def sharing_actions(window: object, menu: QMenu) -> SharingActions:
    """Make the window's sharing actions and put them in ``menu`` (File); they live as long as the menu."""
    actions = SharingActions(cast(SharingWindow, window), menu)
    actions.add_to(menu)
    return actions


def open_handed_file(window: QObject, file: str | Path) -> None:
    """Import a file handed over by a launch (``spasmcoach open FILE``), once the current event is done, so
    the launch gets its answer before any question is asked."""
    actions = window.findChild(SharingActions)
    if actions is None:
        log.warning("no sharing actions to import %s with", file)
        return
    QTimer.singleShot(0, actions, lambda: actions.import_file(Path(file)))
