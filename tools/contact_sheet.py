"""Render every illustration on a light and a dark tile into one PNG grid, to check the set by eye.

Usage: python tools/contact_sheet.py [--tile WIDTH] [--columns N] [--out PNG] [--only NAME ...]
(defaults: 240 px tiles, 3 columns, docs/contact-sheet.png, every SVG in assets/illustrations)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LIGHT, DARK, PAPER, INK = QColor("#FFFFFF"), QColor("#202124"), QColor("#E9ECEF"), QColor("#333333")
GAP, LABEL = 8, 20


def render_sheet(svgs: list[Path], tile: int, columns: int) -> QImage:
    """One image with each SVG drawn on a light and a dark tile, its file name underneath."""
    tile_h = tile * 3 // 4
    cell_w, cell_h = 2 * tile + 3 * GAP, tile_h + LABEL + 2 * GAP
    rows = max(1, -(-len(svgs) // columns))
    sheet = QImage(columns * cell_w, rows * cell_h, QImage.Format.Format_ARGB32)
    sheet.fill(PAPER)
    painter = QPainter(sheet)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(13)
    painter.setFont(font)
    for i, path in enumerate(svgs):
        x, y = (i % columns) * cell_w + GAP, (i // columns) * cell_h + GAP
        renderer = QSvgRenderer(str(path))
        for j, colour in enumerate((LIGHT, DARK)):
            box = QRectF(x + j * (tile + GAP), y, tile, tile_h)
            painter.fillRect(box, colour)
            renderer.render(painter, box)
        painter.setPen(INK)
        label = QRectF(x, y + tile_h + 2, 2 * tile + GAP, LABEL)
        painter.drawText(label, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), path.name)
    painter.end()
    return sheet


def main(argv: list[str]) -> int:
    """Build the contact sheet and save it as PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tile", type=int, default=240, help="width of one tile in pixels")
    parser.add_argument("--columns", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "contact-sheet.png")
    parser.add_argument("--folder", type=Path, default=ROOT / "assets" / "illustrations")
    parser.add_argument("--only", nargs="*", help="file names (without .svg) to include")
    args = parser.parse_args(argv[1:])
    svgs = sorted(args.folder.glob("*.svg"))
    if args.only:
        svgs = [p for p in svgs if p.stem in set(args.only)]
    if not svgs:
        print(f"no SVG files in {args.folder}", file=sys.stderr)
        return 1
    app = QGuiApplication.instance() or QGuiApplication(argv[:1])  # needed for fonts; kept alive until exit
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if app is None or not render_sheet(svgs, args.tile, args.columns).save(str(args.out)):
        print(f"could not write {args.out}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({len(svgs)} illustrations)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
