#!/usr/bin/env python3
"""Render the hicolor PNG icons from the scalable SVG, so every size is the same drawing.

Usage: ``python tools/make_icons.py [ICONS_DIR]`` (default: ``assets/icons`` of this checkout). Writes
``hicolor/<n>x<n>/apps/<app id>.png`` for each size in :data:`SIZES` with Qt's SVG renderer (offscreen,
no display needed). A test renders them again and compares the pixels with the committed files.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spasmcoach.core.app_id import APP_ID  # noqa: E402

SIZES = (48, 128, 256)
"""The PNG sizes desktops look for first; anything else is scaled from the SVG."""


def render(svg: Path, size: int) -> QImage:
    """``svg`` drawn into a transparent ``size`` × ``size`` image."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_path(icons: Path, size: int) -> Path:
    return icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("icons", nargs="?", type=Path, default=ROOT / "assets" / "icons")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = args.icons / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    for size in SIZES:
        target = png_path(args.icons, size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(svg, size).save(str(target), b"PNG"):
            raise SystemExit(f"{target}: could not be written")
        print(target.relative_to(args.icons))
    return 0


if __name__ == "__main__":
    sys.exit(main())
