"""A user's PNG or JPEG step picture: checked by ``core.pictures``, then decoded and scaled in the worker thread.

The core has already refused a file that is not what its name says or claims too many pixels; Qt's reader
is told the same limits again (its allocation limit), so a file changed after loading still cannot make it
allocate more. The picture is decoded straight to the size it is shown at, never larger than it is.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage, QImageReader

from spasmcoach.core import pictures
from spasmcoach.core.svg_check import UnsafeSvgError

log = logging.getLogger(__name__)

ALLOCATION_LIMIT_MB = 64  # 12 million pixels at four bytes each is 48 MB
FORMATS = {"png": b"png", "jpeg": b"jpeg"}


def is_raster(path: Path | None) -> bool:
    """Whether ``path`` names a PNG or JPEG (by its ending, as the loader decides too)."""
    return path is not None and pictures.kind_of(path.name) in FORMATS


def render_raster(data: bytes, kind: str, size: QSize, ratio: float = 1.0) -> QImage | None:
    """``data`` (already checked) decoded to fit ``size`` keeping its proportions; None if it cannot be read."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, FORMATS[kind])
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    reader.setAutoTransform(True)  # a phone photo's orientation tag is honoured
    natural = reader.size()
    if not natural.isValid() or natural.isEmpty():
        return None
    width, height = max(size.width(), 1) * ratio, max(size.height(), 1) * ratio
    scale = min(width / natural.width(), height / natural.height(), 1.0)  # never blown up beyond its pixels
    reader.setScaledSize(QSize(max(1, round(natural.width() * scale)), max(1, round(natural.height() * scale))))
    image = reader.read()
    buffer.close()
    if image.isNull():
        return None
    image.setDevicePixelRatio(ratio)
    return image


def load_raster(path: Path, size: QSize, ratio: float) -> QImage | None:
    """One PNG or JPEG frame read, checked and decoded (in the worker thread); None, logged, if unusable."""
    try:
        data = pictures.read_picture(path)
    except UnsafeSvgError as exc:
        log.warning("illustration not usable, showing a placeholder: %s (%s)", path, exc)
        return None
    kind = pictures.kind_of(path.name)
    image = render_raster(data, kind or "png", size, ratio)
    if image is None:
        log.warning("illustration not usable, showing a placeholder: %s (not a picture Qt can draw)", path)
    return image
