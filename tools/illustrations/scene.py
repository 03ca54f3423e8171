"""A picture: props, the figure with its accents, the movement arrow, centring and the SVG text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .figure import HEAD_R, Figure, Part
from .geometry import Point, along, blossom, fmt, heading, lerp, quad
from .shapes import (
    ACCENT,
    ARROW,
    ARROW_W,
    FAR_W,
    HEIGHT,
    LIMB_W,
    PROP,
    PROP_W,
    SLATE,
    WIDTH,
    Cmd,
    Shape,
    along_e,
    circle,
    curve,
    ellipse_cmds,
    polyline,
    rect,
)

STAND, LIE = 282.0, 250.0  # floor heights for standing and for floor scenes
GROUND = LIE - LIMB_W / 2  # height of a body line resting on the floor
LYING_ZOOM = 1.3  # floor-level scenes are drawn this much larger, so a lying figure fills the picture
FOLDED_ZOOM = 1.55  # a lying figure folded up (figure four) is short: drawn larger still, so its limbs stand apart

# -- props (lighter and simpler than the figure) -----------------------------------------------------------


def floor_line(y: float) -> Shape:
    """The floor: a thin line across the picture."""
    return polyline([(18, y), (382, y)], **{"stroke-width": "4"})


def block(x: float, y: float, w: float, h: float, rx: float = 6) -> Shape:
    """A solid prop (pillow, towel, mat, wall)."""
    return rect(x, y, w, h, rx, fill=PROP, stroke="none")


def mat(x0: float, x1: float, zoom: float = LYING_ZOOM) -> Shape:
    """A thin exercise mat lying on the floor (narrowed so it still fits once the scene is zoomed by ``zoom``)."""
    mid, half = (x0 + x1) / 2, (x1 - x0) / 2 / zoom
    return block(mid - half, LIE - 5, 2 * half, 5 / zoom, 2.5 / zoom)


def ball(c: Point, r: float = 10) -> Shape:
    """A tennis ball."""
    return circle(c, r, fill=PROP, stroke="none")


def chair(seat_left: float, seat_y: float, seat_w: float, back: str, floor: float = STAND) -> Shape:
    """A plain chair seen from the side, backrest on the ``back`` ("left" or "right") end."""
    x0, x1 = seat_left, seat_left + seat_w
    bx = x0 if back == "left" else x1
    return Shape(
        "path",
        [
            ("M", ((x0, seat_y),)),
            ("L", ((x1, seat_y),)),
            ("M", ((x0 + 4, seat_y),)),
            ("L", ((x0 + 4, floor),)),
            ("M", ((x1 - 4, seat_y),)),
            ("L", ((x1 - 4, floor),)),
            ("M", ((bx, seat_y),)),
            ("L", ((bx, seat_y - 62),)),
        ],
        {"stroke-width": "6"},
    )


# -- scenes ------------------------------------------------------------------------------------------------

Accent = tuple[str, float, float]  # part name, from, to (segment units for polylines, 0..1 along the trunk)


@dataclass
class Scene:
    """Everything in one picture, in layers: props behind, figure with accents, props in front, arrow."""

    back: list[Shape] = field(default_factory=list)
    body: list[Shape] = field(default_factory=list)
    front: list[Shape] = field(default_factory=list)
    arrow: list[Shape] = field(default_factory=list)
    fixed: list[Shape] = field(default_factory=list)  # not moved when the scene is centred (the floor)
    center_x: bool = True  # False: the picture is placed as drawn (frames that must not shift sideways)
    center_y: bool = False
    floor: float | None = None  # nothing of the figure may sink below this line
    zoom: float = 1.0  # lying figures are long and flat: drawn larger about the floor, line widths unchanged

    def figure(
        self,
        fig: Figure,
        accents: Sequence[Accent] = (),
        extra: Sequence[Shape] = (),
        head_last: bool = False,
        on_top: bool = False,
    ) -> Figure:
        """Add a figure; accents go over their part, or over the whole figure when ``on_top``."""
        names = list(fig.parts)
        if head_last:
            names.append(names.pop(names.index("neck")))
        later = list(extra)
        for shape in later:
            shape.pad = LIMB_W / 2
        for name in names:
            part = fig.parts[name]
            far = {"stroke-width": fmt(FAR_W)} if part.far else {}
            self.body.append(self._piece(part, 0, 1 if part.curved else len(part.points) - 1, far))
            marks = [self._piece(part, a, b, {"stroke": ACCENT} | far) for n, a, b in accents if n == name]
            (later if on_top else self.body).extend(marks)
            if name == "neck":
                self.body.append(circle(fig.joints["head"], HEAD_R, fill=SLATE, stroke="none"))
                if "nose" in fig.joints:
                    tip = fig.joints["nose"]
                    self.body.append(polyline([lerp(fig.joints["head"], tip, 0.6), tip], **{"stroke-width": "8"}))
        self.body.extend(later)
        return fig

    @staticmethod
    def _piece(part: Part, a: float, b: float, attrs: dict[str, str]) -> Shape:
        """The stretch of ``part`` from ``a`` to ``b`` as a path."""
        if part.curved:
            p0, c, p1 = part.points
            shape = curve(quad(p0, c, p1, a), blossom(p0, c, p1, a, b), quad(p0, c, p1, b), **attrs)
        else:
            pts = part.points

            def at(u: float) -> Point:
                i = min(int(u), len(pts) - 2)
                return lerp(pts[i], pts[i + 1], u - i)

            inner = [pts[i] for i in range(len(pts)) if a < i < b]
            shape = polyline([at(a), *inner, at(b)], **attrs)
        shape.pad = float(attrs.get("stroke-width", LIMB_W)) / 2
        return shape

    def prop(self, shape: Shape, front: bool = False) -> None:
        """Add a prop behind (or in front of) the figure."""
        shape.pad = max(shape.pad, PROP_W / 2)
        (self.front if front else self.back).append(shape)

    def add_arrow(self, shaft: list[Cmd], tip: Point, direction: float) -> None:
        """Add the movement arrow: a shaft and a round-capped arrowhead at ``tip`` pointing ``direction``."""
        wings = [along(tip, direction + 180 - 38, 13), tip, along(tip, direction + 180 + 38, 13)]
        cmds = shaft + [("M", (wings[0],)), ("L", (wings[1],)), ("L", (wings[2],))]
        attrs = {"fill": "none", "stroke": ARROW, "stroke-width": fmt(ARROW_W)}
        attrs |= {"stroke-linecap": "round", "stroke-linejoin": "round"}
        self.arrow.append(Shape("path", cmds, attrs, pad=ARROW_W / 2))

    def svg(self) -> str:
        """The picture as SVG text, centred and checked to fit."""
        for shape in self.body:
            if self.floor is not None and shape.extent()[3] > self.floor + 1:
                raise ValueError(f"below the floor by {shape.extent()[3] - self.floor:.1f}: {shape.svg()[:90]}")
        if self.zoom != 1.0:
            about = (WIDTH / 2, self.floor if self.floor is not None else HEIGHT / 2)
            for layer in (self.back, self.body, self.front, self.arrow):
                layer[:] = [s.scaled(self.zoom, about) for s in layer]
        movable = self.back + self.body + self.front + self.arrow
        boxes = [s.extent() for s in movable]
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        dx = round(WIDTH / 2 - (x0 + x1) / 2, 1) if self.center_x else 0.0
        dy = round(HEIGHT / 2 - (y0 + y1) / 2, 1) if self.center_y else 0.0
        layers = [[s.moved(dx, dy) for s in layer] for layer in (self.back, self.body, self.front, self.arrow)]
        for s in [s for layer in layers for s in layer] + self.fixed:
            bx0, by0, bx1, by1 = s.extent()
            if bx0 < 2 or by0 < 2 or bx1 > WIDTH - 2 or by1 > HEIGHT - 2:
                raise ValueError(f"shape outside the picture: {s.svg()[:80]}")
        prop_g = '<g fill="none" stroke="{}" stroke-width="{}" stroke-linecap="round" stroke-linejoin="round">'
        body_g = prop_g.format(SLATE, fmt(LIMB_W))
        out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300">']
        back = self.fixed + layers[0]
        for shapes, group in (
            (back, prop_g.format(PROP, fmt(PROP_W))),
            (layers[1], body_g),
            (layers[2], prop_g.format(PROP, fmt(PROP_W))),
        ):
            if shapes:
                out += [group, *("  " + s.svg() for s in shapes), "</g>"]
        out += [s.svg() for s in layers[3]]
        return "\n".join(out + ["</svg>"]) + "\n"


def straight_arrow(scene: Scene, a: Point, b: Point) -> None:
    """A straight arrow from ``a`` to ``b``."""
    scene.add_arrow([("M", (a,)), ("L", (b,))], b, heading(a, b))


def curved_arrow(scene: Scene, a: Point, c: Point, b: Point) -> None:
    """A curved arrow from ``a`` to ``b`` bending toward ``c``."""
    scene.add_arrow([("M", (a,)), ("Q", (c, b))], b, heading(c, b))


def round_arrow(scene: Scene, c: Point, rx: float, ry: float, start: float, end: float) -> None:
    """An arrow along an ellipse from angle ``start`` to ``end`` (end < start: counter-clockwise)."""
    tip = along_e(c, rx, ry, end)
    r = math.radians(end)
    sign = 1 if end > start else -1
    direction = math.degrees(math.atan2(sign * ry * math.cos(r), -sign * rx * math.sin(r)))
    scene.add_arrow(ellipse_cmds(c, rx, ry, start, end), tip, direction)


def floor_scene(y: float = LIE, zoom: float | None = None) -> Scene:
    """A scene with a floor line; floor-level (lying, kneeling) scenes are drawn larger (``zoom`` overrides)."""
    scene = Scene(floor=y, zoom=zoom if zoom is not None else LYING_ZOOM if y == LIE else 1.0)
    line = floor_line(y)
    line.pad = 2
    scene.fixed.append(line)
    return scene
