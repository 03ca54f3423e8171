"""What "laid out well" means, checked on a geometry snapshot (``spasmcoach.gui.geometry_dump.snapshot``).

Used offscreen (tests/test_layout.py) and on the JSON a real window writes (tests/test_e2e_screens.py):
- the Stop button is whole, inside the window and inside the screen's free area;
- every control and text outside a scroll area is whole on screen (not cut by the window or a parent);
- no text is cut: a wrapped label is as tall as its text needs, a one-line label as wide;
- no two controls or texts overlap (the countdown ring never draws over the instructions);
- a table with rows shows some of them.
"""

from __future__ import annotations

from typing import Any

Rect = tuple[int, int, int, int]
SLACK = 1  # pixels of rounding


def _r(values: list[int]) -> Rect:
    x, y, w, h = values
    return x, y, w, h


def inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner[0] >= outer[0] - SLACK
        and inner[1] >= outer[1] - SLACK
        and inner[0] + inner[2] <= outer[0] + outer[2] + SLACK
        and inner[1] + inner[3] <= outer[1] + outer[3] + SLACK
    )


def overlap(a: Rect, b: Rect) -> int:
    """Area of the intersection (0 when they only touch)."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def name(entry: dict[str, Any]) -> str:
    words = (entry.get("text") or "").replace("\n", " ")
    return f"{entry['kind']} {entry['name']!r}" + (f" “{words[:40]}”" if words else "")


def stop_button(snap: dict[str, Any]) -> dict[str, Any] | None:
    return next((w for w in snap["widgets"] if w["name"] == "stop"), None)


def problems(snap: dict[str, Any], *, screen_checks: bool = True, tables: bool = True) -> list[str]:
    """Everything wrong with the layout in ``snap``; empty when it is good. ``tables``: check that tables
    show rows (not on the smallest windows, where a dense page scrolls to its table)."""
    found: list[str] = []
    content = _r(snap["content"])
    screen = _r(snap["screen"]) if snap["screen"] else None
    widgets = snap["widgets"]
    if snap["page"] == "Player":
        stop = stop_button(snap)
        if stop is None:
            found.append("the Stop button is not on the player page")
        else:
            rect = _r(stop["rect"])
            if not inside(rect, content) or _r(stop["visible"]) != rect:
                found.append(f"the Stop button {rect} is not whole inside the window {content}")
            if screen_checks and screen is not None and not inside(rect, screen):
                found.append(f"the Stop button {rect} is not inside the screen's free area {screen}")
    for entry in widgets:
        rect, shown = _r(entry["rect"]), _r(entry["visible"])
        if rect[2] <= 0 or rect[3] <= 0:
            continue
        if not entry["in_scroll"] and shown != rect:
            found.append(f"{name(entry)} is cut: {rect} shows only {shown}")
        if "needed_height" in entry and entry["needed_height"] > rect[3] + SLACK:
            found.append(f"{name(entry)} needs {entry['needed_height']} px of height, has {rect[3]}")
        if entry.get("needed_width", 0) > rect[2] + SLACK:
            found.append(f"{name(entry)} needs {entry['needed_width']} px of width, has {rect[2]}")
        if entry["kind"] in ("QPushButton", "QCheckBox", "QComboBox") and entry["min_width"] > rect[2] + SLACK:
            found.append(f"{name(entry)} is squeezed to {rect[2]} px, needs {entry['min_width']}")
    for i, a in enumerate(widgets):
        for b in widgets[i + 1 :]:
            area = overlap(_r(a["visible"]), _r(b["visible"]))
            if area > 4:
                found.append(f"{name(a)} and {name(b)} overlap ({area} px²)")
    for table in snap.get("tables", []) if tables else []:
        if table["rows"] and not table["rows_on_screen"]:
            found.append(f"the table {table['name']!r} has {table['rows']} rows but shows none")
    return found
