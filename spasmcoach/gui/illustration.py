"""The step's illustration: SVG frames drawn crisp at any size, checked and rendered off the GUI thread.

An illustration may come from the user's folder, so it is untrusted (see ``core.svg_check``): each file is
read without blocking (a FIFO or a device is refused), checked (no references to other files, no DOCTYPE,
bounded size and element count) and rendered into an image in a worker thread. The GUI thread only ever
paints finished images, so a heavy picture can make its own frame late, never the window. Until a step's
pictures are ready the area stays blank (no flash of the placeholder); a picture that cannot be used shows
a calm placeholder figure and the routine goes on.

In a dark theme the bundled pictures (drawn for a light page in a handful of known colours) are recoloured
with the palette's ``illustration`` table before they are drawn, and a user's own picture is shown on a
light rounded card, since its colours are unknown (see "Themes" at the end of this module).
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QObject,
    QRectF,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QHideEvent, QImage, QImageReader, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from spasmcoach.core.resources import illustrations_dir
from spasmcoach.core.svg_check import UnsafeSvgError, read_svg

from . import theme
from .palette import LIGHT
from .raster_picture import is_raster, load_raster

log = logging.getLogger(__name__)

MAX_RENDER_SIDE = 4096  # pixels: a picture is drawn at most this wide or high, whatever the screen says
RERENDER_DELAY_MS = 150  # after a resize, the new size is rendered once the resizing has settled
DEFAULT_SIZE = QSize(400, 300)  # for an SVG that states no size
STEP_BUDGET_S = 3.0  # once a step's frames took this long to draw, its remaining frames are left out
KEEP_DRAWN = 2  # picture sets kept drawn for a return after a rest, or drawn ahead (the next step)

_pools: dict[int, QThreadPool] = {}


def _pool() -> QThreadPool:
    """One render thread per application (a child of it, so it finishes its job before the app goes)."""
    app = QCoreApplication.instance()
    key = id(app)
    pool = _pools.get(key)
    if pool is None:
        pool = QThreadPool(app)
        pool.setMaxThreadCount(1)  # one picture at a time: the other core stays free for everything else
        pool.setExpiryTimeout(5000)
        _pools.clear()
        _pools[key] = pool
    return pool


def render_svg(data: bytes, size: QSize, ratio: float = 1.0) -> QImage | None:
    """``data`` (already checked) drawn to fit ``size`` keeping its proportions; None if Qt cannot draw it.

    Drawn by Qt's SVG image reader, which lets go of Python's global lock while it works (QSvgRenderer's
    ``render`` does not: measured, it held the GUI thread for the whole 3 s of a heavy drawing), so the
    window keeps running while a worker thread draws.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"svg")
    natural = reader.size()
    if not natural.isValid() or natural.isEmpty():
        natural = DEFAULT_SIZE
    width, height = max(size.width(), 1) * ratio, max(size.height(), 1) * ratio
    scale = min(width / natural.width(), height / natural.height())
    w = max(1, min(MAX_RENDER_SIDE, round(natural.width() * scale)))
    h = max(1, min(MAX_RENDER_SIDE, round(natural.height() * scale)))
    reader.setScaledSize(QSize(w, h))
    image = reader.read()
    buffer.close()
    if image.isNull():
        return None
    image.setDevicePixelRatio(ratio)
    return image


def load_frame(path: Path | None, size: QSize, ratio: float, colours: Mapping[str, str] | None = None) -> QImage | None:
    """One frame read, checked and drawn (in the worker thread); None, logged, if it cannot be used.
    ``colours``: the theme's recolouring of a bundled picture (see :func:`themed_colours`)."""
    if path is None:
        return None
    if is_raster(path):  # a user's PNG or JPEG: checked and decoded the same careful way (gui/raster_picture)
        return load_raster(path, size, ratio)
    try:
        data = read_svg(path)
    except UnsafeSvgError as exc:
        log.warning("illustration not usable, showing a placeholder: %s (%s)", path, exc)
        return None
    if colours:
        data = recolour_svg(data, colours)
    image = render_svg(data, size, ratio)
    if image is None:
        log.warning("illustration not usable, showing a placeholder: %s (not a picture Qt can draw)", path)
    return image


class _Relay(QObject):
    """Carries finished images from the worker thread to the view (a queued signal, since it lives in the
    GUI thread). It has no Qt parent and is kept alive by the job, so a view closed mid-render is safe."""

    done = Signal(int, object)  # generation, (list[QImage | None], seconds it took)
    prepared = Signal(object, object)  # the pictures' key (see IllustrationView._key), as for ``done`` or None
    latest = 0  # the generation the view wants now (an int read across threads: atomic in Python)


class IllustrationView(QWidget):
    """An SVG illustration drawn crisp at any size; several frames loop; a calm placeholder if missing.

    ``ready`` turns True (and ``rendered`` is emitted) once the frames asked for last are drawn;
    ``missing`` is True when none of them could be used.
    """

    rendered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images: list[QImage] = []
        self._frame = 0
        self._generation = 0
        self._rendered_size = QSize()
        self._slow = False  # the last pictures took long to draw
        self._theme = theme.palette().name  # the palette the current images were drawn for
        self._cards: list[bool] = []  # per image: shown on a light card (a user's picture in a dark theme)
        self._timer = QTimer(self)
        self._timer.setObjectName("illustrationFrameTimer")
        self._timer.timeout.connect(self._next_frame)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RERENDER_DELAY_MS)
        self._resize_timer.timeout.connect(self._render)
        self._relay = _Relay()
        self._relay.done.connect(self._on_rendered)
        self._relay.prepared.connect(self._on_prepared)
        # Pictures already drawn, by key: the step before a rest (shown again after it) and the next step's,
        # drawn during the step before (prepare), so a step change only swaps images, with no drawing at the
        # moment the sounds start and the texts change. Emptied when the view is hidden.
        self._drawn: dict[tuple[object, ...], tuple[list[QImage | None], float]] = {}
        self._preparing: set[tuple[object, ...]] = set()
        self.setMinimumSize(160, 100)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Illustration")
        self.missing = False
        self.ready = True
        self.paths: tuple[Path | None, ...] = ()  # the files asked for, in order (for tests and checks)

    def set_images(self, paths: Sequence[Path | None], frame_seconds: float = 2.0) -> None:
        """Show ``paths`` (looping if several); unusable files fall back to the placeholder."""
        self._timer.stop()
        complete = self.ready and self.paths and len(self._images) == len(self.paths) and not self.missing
        if complete and not paths:  # a rest: the same pictures usually come back after it
            self._keep(self._key(self.paths, self._rendered_size), (list(self._images), 0.0))
        self.paths = tuple(paths)
        self._slow = False
        self._images = []
        self._frame = 0
        self.missing = False
        self._timer.setInterval(max(200, round(frame_seconds * 1000)))
        self._render()
        self.update()

    def _render(self) -> None:
        """Start drawing the current frames at the current size in the worker thread."""
        self._resize_timer.stop()
        self._generation += 1
        if not self.paths:
            self.ready = True
            self.rendered.emit()
            return
        self.ready = False
        size = self._size()
        self._rendered_size = QSize(size)
        generation, paths, ratio, relay = self._generation, self.paths, self.devicePixelRatioF(), self._relay
        self._theme = theme.palette().name
        drawn = self._drawn.pop(self._key(paths, size), None)
        if drawn is not None:  # drawn ahead or before a rest: shown at once
            relay.latest = generation
            self._on_rendered(generation, drawn)
            return
        colours = [themed_colours(path) for path in paths]  # read here: the palette belongs to the GUI thread

        relay.latest = generation

        def job() -> None:
            images: list[QImage | None] = []
            started = time.monotonic()
            for path, recolour in zip(paths, colours, strict=True):
                if relay.latest != generation:
                    return  # a newer step or size was asked for while this waited: skip the work
                if time.monotonic() - started > STEP_BUDGET_S:
                    log.warning("illustrations too slow to draw; showing %d of %d frames", len(images), len(paths))
                    break
                images.append(load_frame(path, size, ratio, recolour))
            relay.done.emit(generation, (images, time.monotonic() - started))

        _pool().start(job)

    def _size(self) -> QSize:
        return self.size() if not self.size().isEmpty() else self.sizeHint()

    def _key(self, paths: Sequence[Path | None], size: QSize) -> tuple[object, ...]:
        """What a drawn picture set depends on: the files, the size, the screen's pixel ratio, the theme."""
        return (tuple(paths), size.width(), size.height(), self.devicePixelRatioF(), theme.palette().name)

    def _keep(self, key: tuple[object, ...], result: tuple[list[QImage | None], float]) -> None:
        self._drawn.pop(key, None)
        self._drawn[key] = result
        while len(self._drawn) > KEEP_DRAWN:
            del self._drawn[next(iter(self._drawn))]  # the oldest

    def prepare(self, paths: Sequence[Path | None]) -> None:
        """Draw ``paths`` at the current size in the worker thread now, so showing them later is instant."""
        key = self._key(paths, self._size())
        if not paths or tuple(paths) == self.paths or key in self._drawn or key in self._preparing:
            return
        self._preparing.add(key)
        size, ratio, relay = self._size(), self.devicePixelRatioF(), self._relay
        colours = [themed_colours(path) for path in paths]  # read here: the palette belongs to the GUI thread

        def job() -> None:
            images: list[QImage | None] = []
            started = time.monotonic()
            for path, recolour in zip(paths, colours, strict=True):
                if time.monotonic() - started > STEP_BUDGET_S:
                    relay.prepared.emit(key, None)  # too slow to draw ahead: drawn when shown, as without this
                    return
                images.append(load_frame(path, size, ratio, recolour))
            relay.prepared.emit(key, (images, time.monotonic() - started))

        _pool().start(job)

    def forget_drawn(self) -> None:
        """Let go of the pictures kept or drawn ahead (the routine is over, or the view is hidden)."""
        self._drawn.clear()

    def _on_prepared(self, key: tuple[object, ...], result: tuple[list[QImage | None], float] | None) -> None:
        self._preparing.discard(key)
        if result is not None and self.isVisible():
            self._keep(key, result)

    def _on_rendered(self, generation: int, result: tuple[list[QImage | None], float]) -> None:
        if generation != self._generation:
            return  # a newer step or size was asked for meanwhile
        images, seconds = result
        self._slow = seconds > STEP_BUDGET_S / 3  # such pictures are not drawn again for a mere resize
        usable = [image for image in images if image is not None]
        self._cards = [needs_card(path) for path, image in zip(self.paths, images, strict=False) if image is not None]
        animating = self._timer.isActive()
        self._images = usable
        self._frame %= max(len(usable), 1)
        self.missing = bool(self.paths) and not usable
        self.ready = True
        if animating and len(usable) < 2:
            self._timer.stop()
        self.update()
        self.rendered.emit()

    def wait_rendered(self, timeout_ms: int = 5000) -> bool:
        """For tests and screenshots: process events until the current frames are drawn; True if they are."""
        timer = QTimer()
        timer.setSingleShot(True)
        timer.start(timeout_ms)
        while not self.ready and timer.isActive():
            QCoreApplication.processEvents()
            _pool().waitForDone(20)
        timer.stop()
        QCoreApplication.processEvents()
        return self.ready

    def set_animating(self, on: bool) -> None:
        """Loop frames only while the routine runs, so a paused or hidden player costs nothing."""
        if on and len(self._images) > 1 and self.isVisible():
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()

    @property
    def frame(self) -> int:
        return self._frame

    @property
    def frames(self) -> int:
        return len(self._images)

    def _next_frame(self) -> None:
        if self._images:
            self._frame = (self._frame + 1) % len(self._images)
            self.update()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()
        self._resize_timer.stop()
        self.forget_drawn()  # no memory held for pictures while nothing shows them

    def changeEvent(self, event: QEvent) -> None:
        """A new theme (its style sheet or palette arrives): the pictures are drawn again in its colours."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            if self.paths and self._theme != theme.palette().name:
                self._render()
            else:
                self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.paths and event.size() != self._rendered_size and not self._slow:
            self._resize_timer.start()  # meanwhile the last images are scaled to fit

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self._images:
            image = self._images[min(self._frame, len(self._images) - 1)]
            ratio = image.devicePixelRatio() or 1.0
            iw, ih = image.width() / ratio, image.height() / ratio
            scale = min(self.width() / iw, self.height() / ih)  # about 1, or the last size's until re-rendered
            w, h = iw * scale, ih * scale
            target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
            if self._frame < len(self._cards) and self._cards[self._frame]:
                target = image_on_card(painter, target)
            painter.drawImage(target, image)
        elif self.missing:
            self._paint_placeholder(painter)
        painter.end()

    def _paint_placeholder(self, painter: QPainter) -> None:
        side = min(self.width(), self.height()) * 0.6
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.setPen(QPen(QColor(theme.BORDER), 4, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(rect, 18, 18)
        painter.setPen(QPen(QColor(theme.palette().placeholder), 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        cx, cy = rect.center().x(), rect.center().y()
        painter.drawEllipse(QRectF(cx - side * 0.08, cy - side * 0.3, side * 0.16, side * 0.16))
        painter.drawLine(round(cx), round(cy - side * 0.12), round(cx), round(cy + side * 0.12))
        painter.drawLine(round(cx), round(cy + side * 0.12), round(cx - side * 0.12), round(cy + side * 0.3))
        painter.drawLine(round(cx), round(cy + side * 0.12), round(cx + side * 0.12), round(cy + side * 0.3))
        painter.drawLine(
            round(cx - side * 0.15), round(cy - side * 0.04), round(cx + side * 0.15), round(cy - side * 0.04)
        )


# -- Themes: the bundled pictures recoloured, a user's picture on a card -----------------------------------
_COLOUR = re.compile(rb"#[0-9A-Fa-f]{6}\b")
CARD_COLOUR = LIGHT.background  # the light card behind a user's picture in a dark theme
CARD_MARGIN = 10.0


def is_bundled(path: Path | None) -> bool:
    """True for one of the app's own pictures (whose colours are known)."""
    # by name only (no disk access on the GUI thread): the loader hands over absolute paths
    return path is not None and Path(os.path.abspath(path)).is_relative_to(_bundled_folder())


@cache
def _bundled_folder() -> Path:
    return Path(os.path.abspath(illustrations_dir()))


def themed_colours(path: Path | None) -> dict[str, str] | None:
    """The recolouring the palette in use asks for ``path``: only bundled pictures, only in a dark theme."""
    colours = theme.palette().illustration
    return dict(colours) if colours and is_bundled(path) else None


def needs_card(path: Path | None) -> bool:
    """A user's picture in a dark theme is shown on a light card (its colours were chosen for paper)."""
    return theme.palette().dark and path is not None and not is_bundled(path)


def recolour_svg(data: bytes, colours: Mapping[str, str]) -> bytes:
    """``data`` with each ``#RRGGBB`` found in ``colours`` (any case) replaced by its counterpart."""
    table = {key.upper(): value for key, value in colours.items()}

    def swap(match: re.Match[bytes]) -> bytes:
        new = table.get(match.group(0).decode("ascii").upper())
        return new.encode("ascii") if new is not None else match.group(0)

    return _COLOUR.sub(swap, data)


def image_on_card(painter: QPainter, target: QRectF) -> QRectF:
    """A light rounded card filling ``target``, so a picture drawn for paper reads on a dark page; returns
    where the picture goes on it (inset by a margin, its proportions kept)."""
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(CARD_COLOUR))
    painter.drawRoundedRect(target, 16, 16)
    painter.restore()
    margin = min(CARD_MARGIN, target.width() / 4, target.height() / 4)
    scale = min((target.width() - 2 * margin) / target.width(), (target.height() - 2 * margin) / target.height())
    inner = QRectF(0, 0, target.width() * scale, target.height() * scale)
    inner.moveCenter(target.center())
    return inner
