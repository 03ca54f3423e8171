"""The palette, line widths and SVG shapes (paths, circles, rounded rectangles) every picture is made of."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .geometry import Point, add, fmt

SLATE, ACCENT, ARROW, PROP = "#708090", "#E8833A", "#3A9DD8", "#A7B1BD"
WIDTH, HEIGHT = 400.0, 300.0
LIMB_W, ARROW_W, PROP_W = 14.0, 6.0, 5.0
FAR_W = 10.0  # limbs on the far side of the body are drawn thinner

# -- SVG shapes --------------------------------------------------------------------------------------------

Cmd = tuple[str, tuple[Point, ...]]  # ("M" | "L" | "Q", points)


@dataclass
class Shape:
    """One SVG element: a path, a circle or a rounded rectangle, with its own attributes."""

    kind: str  # "path" | "circle" | "rect"
    cmds: list[Cmd]  # a circle is ("C", (centre, (r, r))); a rect ("R", (corner, (w, h)))
    attrs: dict[str, str] = field(default_factory=dict)
    pad: float = 0.0  # half the stroke width, for the bounding box
    rx: float = 0.0

    def moved(self, dx: float, dy: float) -> Shape:
        """A copy shifted by (dx, dy)."""
        if self.kind == "path":
            cmds = [(op, tuple(add(p, dx, dy) for p in pts)) for op, pts in self.cmds]
        else:
            op, (p, size) = self.cmds[0]
            cmds = [(op, (add(p, dx, dy), size))]
        return replace(self, cmds=cmds)

    def scaled(self, k: float, about: Point) -> Shape:
        """A copy enlarged ``k`` times about ``about``; line widths stay as they are."""

        def at(p: Point) -> Point:
            return (about[0] + (p[0] - about[0]) * k, about[1] + (p[1] - about[1]) * k)

        if self.kind == "path":
            cmds = [(op, tuple(at(p) for p in pts)) for op, pts in self.cmds]
        elif self.kind == "circle":
            op, (p, (r, _)) = self.cmds[0]
            cmds = [(op, (at(p), (r * k, r * k)))]
        else:
            op, (p, (w, h)) = self.cmds[0]
            cmds = [(op, (at(p), (w * k, h * k)))]
        return replace(self, cmds=cmds)

    def extent(self) -> tuple[float, float, float, float]:
        """Bounding box (x0, y0, x1, y1), stroke included."""
        if self.kind == "path":
            pts = [p for _, ps in self.cmds for p in ps]
        else:
            (x, y), (w, h) = self.cmds[0][1]
            pts = [(x - w, y - h), (x + w, y + h)] if self.kind == "circle" else [(x, y), (x + w, y + h)]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return (min(xs) - self.pad, min(ys) - self.pad, max(xs) + self.pad, max(ys) + self.pad)

    def svg(self) -> str:
        """The element as SVG text."""
        attrs = "".join(f' {k}="{v}"' for k, v in self.attrs.items())
        if self.kind == "circle":
            (x, y), (r, _) = self.cmds[0][1]
            return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}"{attrs}/>'
        if self.kind == "rect":
            (x, y), (w, h) = self.cmds[0][1]
            box = f'x="{fmt(x)}" y="{fmt(y)}" width="{fmt(w)}" height="{fmt(h)}" rx="{fmt(self.rx)}"'
            return f"<rect {box}{attrs}/>"
        d = " ".join(op + " " + " ".join(f"{fmt(x)} {fmt(y)}" for x, y in pts) for op, pts in self.cmds)
        return f'<path d="{d}"{attrs}/>'


def polyline(points: list[Point], **attrs: str) -> Shape:
    """An open path through ``points``."""
    cmds: list[Cmd] = [("M", (points[0],)), *(("L", (p,)) for p in points[1:])]
    return Shape("path", cmds, attrs)


def curve(p0: Point, c: Point, p1: Point, **attrs: str) -> Shape:
    """A quadratic Bezier path."""
    return Shape("path", [("M", (p0,)), ("Q", (c, p1))], attrs)


def circle(centre: Point, r: float, **attrs: str) -> Shape:
    """A circle."""
    return Shape("circle", [("C", (centre, (r, r)))], attrs)


def rect(x: float, y: float, w: float, h: float, rx: float, **attrs: str) -> Shape:
    """A rounded rectangle."""
    return Shape("rect", [("R", ((x, y), (w, h)))], attrs, rx=rx)


def ellipse_cmds(c: Point, rx: float, ry: float, start: float, end: float) -> list[Cmd]:
    """Path commands tracing an ellipse from angle ``start`` to ``end`` in quadratic pieces."""
    n = max(1, math.ceil(abs(end - start) / 40))
    step = (end - start) / n
    cmds: list[Cmd] = [("M", (along_e(c, rx, ry, start),))]
    for i in range(n):
        mid, half = start + step * (i + 0.5), math.radians(step / 2)
        ctrl = along_e(c, rx / math.cos(half), ry / math.cos(half), mid)
        cmds.append(("Q", (ctrl, along_e(c, rx, ry, start + step * (i + 1)))))
    return cmds


def along_e(c: Point, rx: float, ry: float, deg: float) -> Point:
    """The point at angle ``deg`` on an ellipse."""
    r = math.radians(deg)
    return (c[0] + rx * math.cos(r), c[1] + ry * math.sin(r))
