"""The small arrows of spin boxes and drop-down lists, drawn in the palette's text colour.

A Qt style sheet that styles a spin box's buttons or a drop-down's button must also give their arrows as
images, or none (or broken ones) are drawn.
The arrows are two tiny SVG files per colour (a style sheet can only name files), kept in the data folder's
cache: written the first time a colour is used and rewritten only if they differ, so a start-up writes
nothing and a window that is killed leaves no temporary folder behind. If the cache cannot be written, the
buttons are left out and the value is typed or changed with the arrow keys and the mouse wheel, as before.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from spasmcoach.core import paths
from spasmcoach.core.storage import StorageError, read_bytes, write_bytes_atomic

log = logging.getLogger(__name__)

_SHAPES = {
    "up": "M2 9 L8 3 L14 9",
    "down": "M2 4 L8 10 L14 4",
}


@functools.cache
def _folder() -> Path | None:
    folder = paths.cache_dir() / "arrows"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("no folder for the spin-box arrows (%s); they are left out", exc)
        return None
    return folder


@functools.cache
def arrow(direction: str, colour: str) -> str | None:
    """The path of a ``direction`` ("up" or "down") chevron in ``colour`` (``#RRGGBB``), or None if it
    could not be written."""
    folder = _folder()
    if folder is None:
        return None
    target = folder / f"{direction}-{colour.lstrip('#').lower()}.svg"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="13" viewBox="0 0 16 13">'
        f'<path d="{_SHAPES[direction]}" fill="none" stroke="{colour}" stroke-width="2.4" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )
    data = svg.encode("ascii")
    try:
        kept = _kept(target)
        if (kept is None and target.is_symlink()) or (target.exists() and not target.is_file()):
            target.unlink()  # not a picture of ours (a FIFO, a link): never read, replaced
        if kept != data:
            write_bytes_atomic(target, data, "arrow picture")
    except (OSError, StorageError) as exc:
        log.warning("could not write a spin-box arrow (%s); they are left out", exc)
        return None
    return target.as_posix()


def _kept(target: Path) -> bytes | None:
    """What an earlier run wrote at ``target``; None if nothing usable is there (it is then replaced)."""
    try:
        return read_bytes(target, 4096, "arrow picture")
    except StorageError:
        return None


def arrow_rules(text: str, muted: str, border: str, surface: str, hover: str) -> str:
    """Style-sheet rules for spin-box and drop-down buttons with visible arrows (spin-box buttons are left out
    when the arrows could not be written)."""
    up, down = arrow("up", text), arrow("down", text)
    up_off, down_off = arrow("up", muted), arrow("down", muted)
    if not (up and down and up_off and down_off):
        return "QAbstractSpinBox::up-button, QAbstractSpinBox::down-button { width: 0; border: none; }\n"
    return f"""
QAbstractSpinBox {{ padding-right: 34px; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: padding; width: 30px;
    background: {surface}; border-left: 1px solid {border}; }}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; border-top-right-radius: 7px; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; border-bottom-right-radius: 7px; }}
QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{ background: {hover}; }}
QAbstractSpinBox::up-arrow {{ image: url("{up}"); width: 14px; height: 11px; }}
QAbstractSpinBox::down-arrow {{ image: url("{down}"); width: 14px; height: 11px; }}
QAbstractSpinBox::up-arrow:disabled, QAbstractSpinBox::up-arrow:off {{ image: url("{up_off}"); }}
QAbstractSpinBox::down-arrow:disabled, QAbstractSpinBox::down-arrow:off {{ image: url("{down_off}"); }}
QComboBox::drop-down {{ border: none; width: 22px; }}
QComboBox::down-arrow {{ image: url("{down}"); width: 12px; height: 10px; }}
QComboBox::down-arrow:disabled {{ image: url("{down_off}"); }}
"""
