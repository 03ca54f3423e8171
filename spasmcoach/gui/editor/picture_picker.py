"""Choosing a step's picture: thumbnails of the bundled illustrations and the user's own pictures.

The user's pictures are untrusted: every thumbnail is read, checked (``core.svg_check``, ``core.pictures``)
and drawn in a worker thread by the player's own :func:`load_frame`, then kept small in a cache, so the GUI
thread only ever paints finished images. The user's folder comes first, as in the loader's lookup.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core import loader, pictures
from spasmcoach.core.i18n import _

from ..illustration import load_frame
from ..widgets import label

THUMB = QSize(120, 90)
PICTURE_SUFFIXES = pictures.SUFFIXES  # SVG, PNG and JPEG, as the loader takes them
ROLE_NAME = Qt.ItemDataRole.UserRole

_cache: dict[tuple[str, int, int], QImage | None] = {}  # (path, size, mtime) -> small image
_pools: dict[int, QThreadPool] = {}


def _pool() -> QThreadPool:
    app = QCoreApplication.instance()
    pool = _pools.get(id(app))
    if pool is None:
        pool = QThreadPool(app)
        pool.setMaxThreadCount(1)  # one picture at a time; the other core stays free
        _pools.clear()
        _pools[id(app)] = pool
    return pool


def wait_thumbnails(ms: int = 5000) -> None:
    """For tests and screenshots: let the thumbnails finish, then deliver them."""
    _pool().waitForDone(ms)
    QCoreApplication.processEvents()


def _key(path: Path) -> tuple[str, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return str(path), info.st_size, info.st_mtime_ns


class _Relay(QObject):
    done = Signal(str, object)  # path, QImage | None


class ThumbnailLoader(QObject):
    """Draws thumbnails off the GUI thread; ``ready(path, image)`` for each (None: not usable)."""

    ready = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay()
        self._relay.done.connect(self._done)

    def request(self, path: Path, size: QSize = THUMB) -> None:
        key = _key(path)
        if key is not None and key in _cache:
            self.ready.emit(str(path), _cache[key])
            return
        relay = self._relay

        def job() -> None:
            image = load_frame(path, size, 1.0)
            if key is not None:
                _cache[key] = image
            relay.done.emit(str(path), image)

        _pool().start(job)

    def _done(self, path: str, image: object) -> None:
        self.ready.emit(path, image)


class Thumbnail(QLabel):
    """A small picture (or a calm 'no picture' box) drawn off the GUI thread."""

    def __init__(self, size: QSize = THUMB, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(size)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setObjectName("card")
        self._size = size
        self._wanted = ""
        self.loader = ThumbnailLoader(self)
        self.loader.ready.connect(self._ready)
        self.show_picture(None)

    def show_picture(self, path: Path | None) -> None:
        self._wanted = str(path) if path is not None else ""
        self.setPixmap(QPixmap())
        self.setText("" if path is not None else _("No picture"))
        if path is not None:
            self.loader.request(path, self._size)

    def _ready(self, path: str, image: object) -> None:
        if path != self._wanted:
            return
        if isinstance(image, QImage):
            self.setPixmap(QPixmap.fromImage(image))
        else:
            self.setText(_("Cannot be shown"))


def available_pictures() -> list[tuple[str, Path, bool]]:
    """(name, path, the user's own) for each picture, the user's first; a bundled name the user's shadows is
    left out, as the loader would never show it."""
    seen: set[str] = set()
    found = []
    dirs = loader.image_dirs()
    for index, folder in enumerate(dirs):
        try:
            names = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in PICTURE_SUFFIXES)
        except OSError:
            continue
        for name in names:
            if name not in seen:
                seen.add(name)
                found.append((name, folder / name, index == 0))
    return found


class PicturePicker(QDialog):
    """A grid of thumbnails; arrow keys and Enter choose, Esc leaves the picture as it was."""

    def __init__(self, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Choose a picture"))
        self.resize(900, 560)
        self.grid = QListWidget()
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(THUMB)
        self.grid.setGridSize(QSize(THUMB.width() + 90, THUMB.height() + 50))
        self.grid.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setAccessibleName(_("Pictures"))
        self.loader = ThumbnailLoader(self)
        self.loader.ready.connect(self._ready)
        self._items: dict[str, QListWidgetItem] = {}
        pictures = available_pictures()
        for name, path, own in pictures:
            item = QListWidgetItem(name if not own else _("{name} (yours)").format(name=name))
            item.setData(ROLE_NAME, name)
            item.setToolTip(str(path))
            self.grid.addItem(item)
            self._items[str(path)] = item
            if name == current:
                self.grid.setCurrentItem(item)
        if self.grid.currentItem() is None and self.grid.count():
            self.grid.setCurrentRow(0)
        for _name, path, _own in pictures:
            self.loader.request(path)
        own_folder = loader.image_dirs()[0]
        hint = label(
            _("Your own pictures (SVG, PNG or JPEG) go in {folder}; they come first.").format(folder=own_folder),
            "muted",
        )
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Use this picture"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.grid.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        current = self.grid.currentItem()
        if current is not None:  # the picture the step has now, in view and ready for the arrow keys
            self.grid.scrollToItem(current, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.grid.setFocus()

    def _ready(self, path: str, image: object) -> None:
        item = self._items.get(path)
        if item is not None and isinstance(image, QImage):
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def chosen(self) -> str | None:
        item = self.grid.currentItem()
        return str(item.data(ROLE_NAME)) if item is not None else None

    @classmethod
    def ask(cls, parent: QWidget | None, current: str | None) -> str | None:
        """The name chosen, or None if the user left it as it was (tests replace this)."""
        dialog = cls(current, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
