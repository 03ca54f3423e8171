"""Draw SpasmCoach's pose illustrations from one small stick-figure model and write them as SVG files.

Every picture is posed from the same figure (a head circle and limb segments between named joints), so
proportions, line weights and colours stay the same across the set. Standard library only; the output is
byte-for-byte reproducible.

Usage: python tools/make_illustrations.py [OUTPUT_FOLDER]      (default: assets/illustrations)
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

Point = tuple[float, float]

SLATE, ACCENT, ARROW, PROP = "#708090", "#E8833A", "#3A9DD8", "#A7B1BD"
WIDTH, HEIGHT = 400.0, 300.0
LIMB_W, ARROW_W, PROP_W = 14.0, 6.0, 5.0
FAR_W = 10.0  # limbs on the far side of the body are drawn thinner

# The figure, in viewBox units (legs longer than arms, about 7 heads tall).
HEAD_R, NECK, TRUNK = 16.0, 7.0, 74.0
UPPER_ARM, FOREARM, THIGH, SHIN, FOOT = 42.0, 40.0, 58.0, 56.0, 16.0
SHOULDER_AT = 0.86  # side view: the shoulder joint sits this far up the trunk
HALF_SHOULDERS, HALF_HIPS = 26.0, 11.0  # front view

STAND, LIE = 282.0, 250.0  # floor heights for standing and for floor scenes
GROUND = LIE - LIMB_W / 2  # height of a body line resting on the floor
LYING_ZOOM = 1.3  # floor-level scenes are drawn this much larger, so a lying figure fills the picture


# -- geometry ----------------------------------------------------------------------------------------------


def along(p: Point, deg: float, length: float) -> Point:
    """The point ``length`` away from ``p`` in direction ``deg`` (0 = right, 90 = down)."""
    r = math.radians(deg)
    return (p[0] + length * math.cos(r), p[1] + length * math.sin(r))


def heading(a: Point, b: Point) -> float:
    """Direction from ``a`` to ``b`` in degrees."""
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def dist(a: Point, b: Point) -> float:
    """Distance between two points."""
    return math.hypot(b[0] - a[0], b[1] - a[1])


def lerp(a: Point, b: Point, t: float) -> Point:
    """The point a fraction ``t`` of the way from ``a`` to ``b``."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def add(a: Point, dx: float, dy: float) -> Point:
    """``a`` moved by (dx, dy)."""
    return (a[0] + dx, a[1] + dy)


def quad(p0: Point, c: Point, p1: Point, t: float) -> Point:
    """Point ``t`` along the quadratic Bezier curve p0-c-p1."""
    u = 1 - t
    return (
        u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0],
        u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1],
    )


def blossom(p0: Point, c: Point, p1: Point, a: float, b: float) -> Point:
    """Control point of the part of a quadratic Bezier curve between ``a`` and ``b``."""
    w0, w1, w2 = (1 - a) * (1 - b), (1 - a) * b + a * (1 - b), a * b
    return (w0 * p0[0] + w1 * c[0] + w2 * p1[0], w0 * p0[1] + w1 * c[1] + w2 * p1[1])


def fmt(v: float) -> str:
    """A coordinate with one decimal and no trailing ``.0``."""
    s = f"{v:.1f}".removesuffix(".0")
    return "0" if s == "-0" else s


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


# -- props (lighter and simpler than the figure) -----------------------------------------------------------


def floor_line(y: float) -> Shape:
    """The floor: a thin line across the picture."""
    return polyline([(18, y), (382, y)], **{"stroke-width": "4"})


def block(x: float, y: float, w: float, h: float, rx: float = 6) -> Shape:
    """A solid prop (pillow, towel, mat, wall)."""
    return rect(x, y, w, h, rx, fill=PROP, stroke="none")


def mat(x0: float, x1: float) -> Shape:
    """A thin exercise mat lying on the floor (narrowed so it still fits once the lying scene is zoomed)."""
    mid, half = (x0 + x1) / 2, (x1 - x0) / 2 / LYING_ZOOM
    return block(mid - half, LIE - 5, 2 * half, 5 / LYING_ZOOM, 2.5 / LYING_ZOOM)


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


# -- the figure --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limb:
    """A two-segment limb: direction of the upper segment, flexion of the middle joint, and the foot."""

    angle: float
    bend: float = 0.0  # elbow or knee flexion in degrees; never negative, so joints never bend backwards
    foot: float | None = None  # direction of the foot; None: at a right angle to the shin
    scale: float = 1.0  # foreshortening of the upper segment when it points toward the viewer
    scale2: float = 1.0  # foreshortening of the lower segment


@dataclass(frozen=True)
class Side:
    """A side-view pose, facing right. Angles in degrees: 0 = right, 90 = down, 180 = left, 270 = up."""

    hip: Point
    trunk: float = 270.0  # direction from hip to neck
    bow: float = 0.0  # how far the middle of the back bows out: + rounds it, - arches it
    head: float = 0.0  # head tilt: + nods forward
    shrug: float = 0.0  # shoulders drawn up (+) or down (-) along the trunk
    reach: float = 0.0  # shoulders drawn forward (+) or back (-)
    near_arm: Limb = Limb(94, 12)
    far_arm: Limb = Limb(86, 12)
    near_leg: Limb = Limb(90)
    far_leg: Limb = Limb(90)


@dataclass(frozen=True)
class Front:
    """A front-view pose; ``turn`` rotates it about the pelvis (-90: lying, seen from above, head left)."""

    pelvis: Point
    lean: float = 0.0  # trunk tilt, + toward picture-right
    head: float = 0.0  # head tilt, + toward picture-right
    shrug: float = 0.0
    width: float = 1.0  # shoulder width; below 1 the chest has turned
    shift: float = 0.0  # sideways shift of the shoulders when turned
    left_arm: Limb = Limb(100, 6)  # on the picture's left; bend folds the forearm toward the midline
    right_arm: Limb = Limb(80, 6)
    left_leg: Limb = Limb(95)
    right_leg: Limb = Limb(85)
    turn: float = 0.0


@dataclass
class Part:
    """One drawn piece of the figure: a polyline, or a quadratic curve (the trunk in side view)."""

    points: list[Point]
    curved: bool = False
    far: bool = False


@dataclass
class Figure:
    """Joint positions plus the pieces to draw, in drawing order."""

    joints: dict[str, Point]
    parts: dict[str, Part]

    def spine(self, t: float) -> Point:
        """The point a fraction ``t`` of the way up the trunk, from hip to neck."""
        p0, c, p1 = self.parts["trunk"].points
        return quad(p0, c, p1, t)


def check_bend(limb: Limb, what: str) -> None:
    """Refuse a knee or elbow that would bend the wrong way (foreshortened limbs are exempt)."""
    if (limb.scale, limb.scale2) == (1.0, 1.0) and not 0 <= limb.bend <= 165:
        raise ValueError(f"{what} bends {limb.bend} degrees; allowed 0..165")


def shoulder_of(p: Side) -> Point:
    """Where the shoulder joint of a side-view pose sits."""
    neck = along(p.hip, p.trunk, TRUNK)
    ctrl = along(lerp(p.hip, neck, 0.5), p.trunk - 90, 2 * p.bow)
    s = quad(p.hip, ctrl, neck, SHOULDER_AT)
    return along(along(s, p.trunk, p.shrug), p.trunk + 90, p.reach)


def leg_points(hip: Point, leg: Limb, sign: float) -> list[Point]:
    """Hip, knee, ankle and toe of a leg; ``sign`` +1 bends the knee clockwise on the page."""
    knee = along(hip, leg.angle, THIGH * leg.scale)
    shin = leg.angle + sign * leg.bend
    ankle = along(knee, shin, SHIN * leg.scale2)
    foot = leg.foot if leg.foot is not None else shin - sign * 90
    if leg.scale2 == 1.0 and not -35 <= sign * (foot - (shin - sign * 90)) <= 100:
        raise ValueError(f"ankle turned {foot - shin} degrees from the shin")
    return [hip, knee, ankle, along(ankle, foot, FOOT)]


def arm_points(shoulder: Point, arm: Limb, sign: float) -> list[Point]:
    """Shoulder, elbow and hand; ``sign`` +1 bends the elbow counter-clockwise on the page."""
    elbow = along(shoulder, arm.angle, UPPER_ARM * arm.scale)
    return [shoulder, elbow, along(elbow, arm.angle - sign * arm.bend, FOREARM * arm.scale2)]


def side_figure(p: Side) -> Figure:
    """Joints and parts of a side-view pose."""
    for limb, what in ((p.near_arm, "near elbow"), (p.far_arm, "far elbow")):
        check_bend(limb, what)
    for limb, what in ((p.near_leg, "near knee"), (p.far_leg, "far knee")):
        check_bend(limb, what)
    neck = along(p.hip, p.trunk, TRUNK)
    ctrl = along(lerp(p.hip, neck, 0.5), p.trunk - 90, 2 * p.bow)
    head_dir = heading(ctrl, neck) + p.head
    head = along(neck, head_dir, NECK + HEAD_R)
    shoulder = shoulder_of(p)
    near_arm, far_arm = arm_points(shoulder, p.near_arm, 1), arm_points(shoulder, p.far_arm, 1)
    near_leg, far_leg = leg_points(p.hip, p.near_leg, 1), leg_points(p.hip, p.far_leg, 1)
    joints = {"hip": p.hip, "neck": neck, "ctrl": ctrl, "head": head, "shoulder": shoulder}
    joints["nose"] = along(head, head_dir + 90, HEAD_R + 2)
    for side, arm, leg in (("near", near_arm, near_leg), ("far", far_arm, far_leg)):
        joints |= {f"{side}_elbow": arm[1], f"{side}_hand": arm[2]}
        joints |= {f"{side}_knee": leg[1], f"{side}_ankle": leg[2], f"{side}_toe": leg[3]}
    parts = {
        "far_arm": Part(far_arm, far=True),
        "far_leg": Part(far_leg, far=True),
        "trunk": Part([p.hip, ctrl, neck], curved=True),
        "neck": Part([neck, head]),
        "near_leg": Part(near_leg),
        "near_arm": Part(near_arm),
    }
    return Figure(joints, parts)


def front_figure(p: Front) -> Figure:
    """Joints and parts of a front-view pose."""
    pelvis = p.pelvis
    neck = along(pelvis, 270 + p.lean, TRUNK)
    head = along(neck, 270 + p.lean + p.head, NECK + HEAD_R)
    lift = 5 - p.shrug
    l_sh = add(along(neck, 180 + p.lean, HALF_SHOULDERS * p.width), p.shift, lift)
    r_sh = add(along(neck, p.lean, HALF_SHOULDERS * p.width), p.shift, lift)
    l_hip, r_hip = add(pelvis, -HALF_HIPS, 0), add(pelvis, HALF_HIPS, 0)
    left_arm, right_arm = arm_points(l_sh, p.left_arm, 1), arm_points(r_sh, p.right_arm, -1)
    lf = p.left_leg if p.left_leg.foot is not None else replace(p.left_leg, foot=175.0)
    rf = p.right_leg if p.right_leg.foot is not None else replace(p.right_leg, foot=5.0)
    left_leg, right_leg = leg_points(l_hip, lf, -1), leg_points(r_hip, rf, 1)
    left_leg[3] = lerp(left_leg[2], left_leg[3], 0.6)
    right_leg[3] = lerp(right_leg[2], right_leg[3], 0.6)
    parts = {
        "left_leg": Part(left_leg),
        "right_leg": Part(right_leg),
        "pelvis": Part([l_hip, pelvis, r_hip]),
        "trunk": Part([pelvis, neck]),
        "shoulders": Part([l_sh, neck, r_sh]),
        "neck": Part([neck, head]),
        "left_arm": Part(left_arm),
        "right_arm": Part(right_arm),
    }
    joints = {"pelvis": pelvis, "neck": neck, "head": head, "left_shoulder": l_sh, "right_shoulder": r_sh}
    for side, arm, leg in (("left", left_arm, left_leg), ("right", right_arm, right_leg)):
        joints |= {f"{side}_elbow": arm[1], f"{side}_hand": arm[2], f"{side}_hip": leg[0]}
        joints |= {f"{side}_knee": leg[1], f"{side}_ankle": leg[2], f"{side}_toe": leg[3]}
    if p.turn:
        joints = {k: rotate(v, pelvis, p.turn) for k, v in joints.items()}
        for part in parts.values():
            part.points = [rotate(q, pelvis, p.turn) for q in part.points]
    return Figure(joints, parts)


def rotate(q: Point, about: Point, deg: float) -> Point:
    """``q`` turned by ``deg`` about ``about``."""
    return along(about, heading(about, q) + deg, dist(about, q)) if q != about else q


def two_link(root: Point, target: Point, l1: float, l2: float, ccw: bool) -> tuple[float, float]:
    """Upper-segment angle and middle-joint bend reaching ``target``; ``ccw`` picks the joint's side."""
    d = min(max(dist(root, target), abs(l1 - l2) + 0.01), l1 + l2 - 0.01)
    base = heading(root, target)
    a = math.degrees(math.acos((l1 * l1 + d * d - l2 * l2) / (2 * l1 * d)))
    bend = 180 - math.degrees(math.acos((l1 * l1 + l2 * l2 - d * d) / (2 * l1 * l2)))
    return (base - a if ccw else base + a), bend


def arm_toward(shoulder: Point, hand: Point) -> Limb:
    """A straight-looking arm from ``shoulder`` to ``hand``: the bent elbow points at the viewer (foreshortened)."""
    scale = dist(shoulder, hand) / (UPPER_ARM + FOREARM)
    return Limb(heading(shoulder, hand), 0, None, scale, scale)


def leg_to(hip: Point, ankle: Point, foot: float | None = 0.0) -> Limb:
    """A side-view leg from ``hip`` whose ankle lands on ``ankle`` (knee forward); foot flat by default."""
    angle, bend = two_link(hip, ankle, THIGH, SHIN, ccw=True)
    return Limb(angle, bend, foot)


def arm_to(shoulder: Point, hand: Point) -> Limb:
    """A side-view arm from ``shoulder`` whose hand lands on ``hand`` (elbow below or behind)."""
    angle, bend = two_link(shoulder, hand, UPPER_ARM, FOREARM, ccw=False)
    return Limb(angle, bend)


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
        dx = round(WIDTH / 2 - (x0 + x1) / 2, 1)
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


def floor_scene(y: float = LIE) -> Scene:
    """A scene with a floor line; floor-level (lying, kneeling) scenes are drawn larger."""
    scene = Scene(floor=y, zoom=LYING_ZOOM if y == LIE else 1.0)
    line = floor_line(y)
    line.pad = 2
    scene.fixed.append(line)
    return scene


# -- poses -------------------------------------------------------------------------------------------------

LOWER_BACK: Accent = ("trunk", 0.0, 0.45)
UPPER_BACK: Accent = ("trunk", 0.5, 0.95)


def supine(hip_x: float, **kw: object) -> Side:
    """Lying on the back, head on the left, arms resting along the body."""
    base = Side(hip=(hip_x, GROUND), trunk=180, head=23, near_arm=Limb(-4, 4), far_arm=Limb(-2, 2))
    return replace(base, **kw)  # type: ignore[arg-type]


def hook(hip: Point, reach: float = 72) -> Limb:
    """A lying leg with the knee bent and the foot flat on the floor."""
    return leg_to(hip, (hip[0] + reach, GROUND), foot=0.0)


def hooked(p: Side) -> Side:
    """``p`` with both knees bent and feet flat (the far leg hidden behind the near one)."""
    return replace(p, near_leg=hook(p.hip), far_leg=hook(p.hip))


def standing(hip_x: float = 200, **kw: object) -> Side:
    """Standing tall, arms hanging."""
    base = Side(hip=(hip_x, STAND - LIMB_W / 2 - THIGH - SHIN), near_leg=Limb(90, 0, 0.0), far_leg=Limb(90, 0, 0.0))
    return replace(base, **kw)  # type: ignore[arg-type]


def front_standing(**kw: object) -> Front:
    """Standing facing the viewer."""
    drop = (THIGH + SHIN) * math.cos(math.radians(5))
    return replace(Front(pelvis=(200, STAND - LIMB_W / 2 - drop)), **kw)  # type: ignore[arg-type]


def pillows_and_towel(s: Scene, fig: Figure) -> None:
    """Two pillows under the knees and a folded towel under the neck."""
    knee = fig.joints["near_knee"]
    s.prop(block(knee[0] - 34, LIE - 17, 64, 15, 7))
    s.prop(block(knee[0] - 28, LIE - 34, 54, 15, 7))
    neck = fig.joints["neck"]
    s.prop(block(neck[0] - 20, LIE - 12, 32, 10, 3))


def resting_with_pillows(**kw: object) -> Side:
    """Lying on the back with the knees raised on pillows and the head on a folded towel."""
    return supine(232, trunk=182.5, head=34, near_leg=Limb(-33, 66, -50.0), far_leg=Limb(-33, 66, -50.0), **kw)


def rest_supine_pillows() -> Scene:
    """Lying on the back with pillows under the knees and a folded towel under the neck."""
    s = floor_scene()
    fig = side_figure(resting_with_pillows())
    pillows_and_towel(s, fig)
    s.figure(fig, [LOWER_BACK], on_top=True)
    return s


BREATH_FRAMES = 5  # frames 1-2 breathe in, 3-5 breathe out: a slow breath with a longer out-breath


def breathing(frame: int) -> Scene:
    """Slow belly breathing on the back: the belly rises over two frames and falls over three."""
    s = floor_scene()
    fig = side_figure(resting_with_pillows())
    pillows_and_towel(s, fig)
    a, b = fig.spine(0.1), fig.spine(0.6)
    rise = {1: 4, 2: 12, 3: 20, 4: 13, 5: 6}[frame]
    belly = curve(a, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 - rise), b, stroke=ACCENT)
    s.figure(fig, [], [belly])
    mid_x = (a[0] + b[0]) / 2
    top, low = GROUND - 78, GROUND - 36
    straight_arrow(s, *(((mid_x, low), (mid_x, top)) if frame <= 2 else ((mid_x, top), (mid_x, low))))
    return s


def rest_chair_legs() -> Scene:
    """Lying on the back with the lower legs resting on a chair seat, hips and knees at right angles."""
    s = floor_scene()
    leg = Limb(-90, 90, -72.0)
    fig = side_figure(supine(170, near_leg=leg, far_leg=leg))
    knee = fig.joints["near_knee"]
    s.prop(chair(knee[0] - 14, knee[1] + LIMB_W / 2 + 3, 84, "right", LIE))
    s.figure(fig, [LOWER_BACK], on_top=True)
    return s


def hook_lying() -> Scene:
    """Lying on the back, knees bent, feet flat: a resting start position."""
    s = floor_scene()
    s.prop(mat(60, 340))
    s.figure(side_figure(hooked(supine(230))), [LOWER_BACK], on_top=True)
    return s


def knee_hug(both: bool) -> Scene:
    """Lying on the back hugging one knee (or both) toward the chest."""
    s = floor_scene()
    p = supine(250)
    up = Limb(-136, 158, -12.0)  # thigh drawn in toward the chest, shin folded over it
    p = replace(p, near_leg=up, far_leg=replace(up, angle=-128, bend=150) if both else hook(p.hip))
    fig = side_figure(p)
    knee = fig.joints["near_knee"]
    grip = along(knee, heading(knee, fig.joints["near_ankle"]), 14)  # hands just below the knee
    sh = shoulder_of(p)
    p = replace(p, near_arm=arm_toward(sh, grip), far_arm=arm_toward(sh, add(grip, 3, 3)))
    s.prop(mat(40, 360))
    fig = s.figure(side_figure(p), [("trunk", 0.0, 0.5)], head_last=True)
    hands = fig.joints["near_hand"]
    s.body.append(polyline([add(hands, -3, -2), add(hands, 4, 3)], **{"stroke-width": "20"}))  # the clasped hands
    k = fig.joints["near_knee"]
    curved_arrow(s, add(k, 40, -30), add(k, 8, -62), add(k, -26, -34))
    return s


def pelvic_tilt(frame: int) -> Scene:
    """Lying with knees bent, gently flattening the low back to the floor and letting it lift again."""
    s = floor_scene()
    s.prop(mat(60, 340))
    p = supine(230, bow=-14.0, head=68) if frame == 1 else supine(230)
    fig = s.figure(side_figure(hooked(p)), [LOWER_BACK], on_top=True)
    x = fig.spine(0.4)[0]
    ends = ((x + 6, GROUND - 58), (x, GROUND - 22))
    a, b = ends if frame == 1 else ends[::-1]
    curved_arrow(s, a, (x - 12, GROUND - 40), b)
    return s


def trunk_rotation(frame: int) -> Scene:
    """Lying on the back seen from above, arms out: the bent knees up (1), then tipped to one side (2)."""
    s = Scene(center_y=True)
    if frame == 1:
        legs = {"left_leg": Limb(80, 22, 90.0, 0.6, 0.55), "right_leg": Limb(100, 22, 90.0, 0.6, 0.55)}
    else:
        legs = {"left_leg": Limb(168, 80, 80.0, 0.95, 0.9), "right_leg": Limb(160, 76, 78.0, 0.95, 0.9)}
    arms = {"left_arm": Limb(150, 0), "right_arm": Limb(30, 0)}
    fig = front_figure(Front(pelvis=(200, 150), turn=-90, **legs, **arms))  # type: ignore[arg-type]
    s.prop(rect(34, 50, 332, 200, 12))
    s.figure(fig, [("trunk", 0.0, 0.6)])
    k = lerp(fig.joints["left_knee"], fig.joints["right_knee"], 0.5)
    if frame == 1:
        curved_arrow(s, add(k, 30, -4), add(k, 44, 30), add(k, 24, 56))
    else:
        curved_arrow(s, add(k, 34, 16), add(k, 48, -24), add(k, 28, -60))
    return s


def childs_pose() -> Scene:
    """Kneeling, sitting back toward the heels, arms long on the floor, forehead resting down."""
    s = floor_scene()
    hip = (150.0, GROUND - 21)  # sitting back on the heels
    p = Side(
        hip=hip,
        trunk=1,
        bow=7,
        head=4,
        near_leg=leg_to(hip, (hip[0] - 2, GROUND), 181.0),
        far_leg=leg_to(hip, (hip[0] - 2, GROUND), 181.0),
    )
    sh = shoulder_of(p)
    p = replace(p, near_arm=arm_to(sh, (sh[0] + 80, GROUND)), far_arm=arm_to(sh, (sh[0] + 80, GROUND)))
    s.prop(mat(40, 370))
    fig = s.figure(side_figure(p), [("trunk", 0.0, 0.6)], head_last=True)
    h = fig.joints["hip"]
    curved_arrow(s, add(h, 56, -44), add(h, 20, -56), add(h, -6, -30))  # hips sink back toward the heels
    return s


def shoulder_rolls(frame: int) -> Scene:
    """Standing, rolling the shoulders up, back and down in slow circles."""
    s = floor_scene(STAND)
    p = standing(
        shrug=15.0 if frame == 1 else -4.0,
        reach=5.0 if frame == 1 else -9.0,
        near_arm=Limb(94, 6),
        far_arm=Limb(90, 6),
    )
    fig = s.figure(side_figure(p), [("near_arm", 0, 0.45), ("trunk", 0.78, 1.0)])
    round_arrow(s, add(fig.joints["shoulder"], 40, -2), 16, 16, -150, -420)
    return s


def shoulder_blade_squeeze() -> Scene:
    """Standing tall, elbows bent and drawn back to squeeze the shoulder blades together."""
    s = floor_scene(STAND)
    p = standing(bow=-3, reach=-4, near_arm=Limb(128, 122), far_arm=Limb(124, 118))
    fig = s.figure(side_figure(p), [UPPER_BACK])
    e = fig.joints["near_elbow"]
    straight_arrow(s, add(e, -2, -30), add(e, -40, -30))
    return s


def upper_back_stretch() -> Scene:
    """Standing, arms reaching forward with hands together, upper back rounded, chin tucked."""
    s = floor_scene(STAND)
    hip = (200.0, STAND - LIMB_W / 2 - THIGH - SHIN + 3)
    feet = leg_to(hip, (hip[0] - 3, STAND - LIMB_W / 2))
    p = standing(hip=hip, trunk=278, bow=9, head=30, reach=6, near_leg=feet, far_leg=feet)
    sh = shoulder_of(p)
    p = replace(p, near_arm=arm_to(sh, (sh[0] + 78, sh[1] + 6)), far_arm=arm_to(sh, (sh[0] + 77, sh[1] + 7)))
    fig = s.figure(side_figure(p), [UPPER_BACK])
    hand = fig.joints["near_hand"]
    straight_arrow(s, add(hand, 18, 0), add(hand, 56, 0))
    return s


def chest_opener() -> Scene:
    """Standing, hands joined behind the back, arms drawn gently back and the chest lifted."""
    s = floor_scene(STAND)
    p = standing(trunk=271, bow=-4, head=-6, reach=-7)
    sh = shoulder_of(p)
    hands = add(p.hip, -34, 8)  # joined behind the back, below the buttocks
    p = replace(p, near_arm=arm_toward(sh, hands), far_arm=arm_toward(sh, add(hands, 2, -3)))
    fig = side_figure(p)
    far = fig.parts["far_arm"]
    far.points = [add(far.points[0], 9, -3), *far.points[1:]]  # the far shoulder shows just in front
    fig = s.figure(fig, [("trunk", 0.6, 0.95)], head_last=True)
    s.body.append(polyline([add(hands, -4, -1), add(hands, 4, 2)], **{"stroke-width": "20"}))  # clasped hands
    curved_arrow(s, add(hands, -14, 14), add(hands, -42, 8), add(hands, -44, -30))
    return s


def neck_side_bend() -> Scene:
    """Standing facing forward, the head tipping slowly toward one shoulder."""
    s = floor_scene(STAND)
    fig = s.figure(front_figure(front_standing(head=32, shrug=-2)), [("neck", 0, 1), ("shoulders", 0, 0.8)])
    top = fig.joints["head"]
    curved_arrow(s, add(top, -12, -30), add(top, 30, -40), add(top, 40, -6))
    return s


def sit_to_stand(frame: int) -> Scene:
    """Standing up from a chair: seated and leaning forward (1), then standing tall in front of it (2)."""
    s = floor_scene(STAND)
    seat_y = STAND - SHIN - LIMB_W
    s.prop(chair(122, seat_y, 62, "left"))
    if frame == 1:
        hip = (170.0, seat_y - LIMB_W / 2)
        p = Side(
            hip=hip,
            trunk=290,
            near_leg=leg_to(hip, (hip[0] + 62, STAND - LIMB_W / 2)),
            far_leg=leg_to(hip, (hip[0] + 60, STAND - LIMB_W / 2)),
        )
        sh = shoulder_of(p)
        p = replace(p, near_arm=arm_to(sh, add(hip, 44, -6)), far_arm=arm_to(sh, add(hip, 42, -5)))
        fig = s.figure(side_figure(p), [("near_leg", 0, 1)])
        n = fig.joints["head"]
        curved_arrow(s, add(n, 30, 6), add(n, 46, -10), add(n, 50, -44))
    else:
        fig = s.figure(side_figure(standing(222)), [("near_leg", 0, 1)])
        n = fig.joints["head"]
        curved_arrow(s, add(n, 40, -22), add(n, 52, 4), add(n, 44, 40))
    return s


def standing_back_extension() -> Scene:
    """Standing, hands on the low back, leaning gently backward."""
    s = floor_scene(STAND)
    p = standing(trunk=256, bow=-5, head=-8)
    sh = shoulder_of(p)
    p = replace(p, near_arm=arm_to(sh, add(p.hip, -12, -10)), far_arm=arm_to(sh, add(p.hip, -10, -12)))
    fig = s.figure(side_figure(p), [LOWER_BACK])
    h = fig.joints["head"]
    curved_arrow(s, add(h, 30, -16), add(h, 10, -46), add(h, -26, -36))
    return s


def reach_overhead(frame: int) -> Scene:
    """Standing facing forward, arms sweeping up overhead (1) and down again (2)."""
    s = floor_scene(STAND)
    if frame == 1:
        p = front_standing()
        acc: list[Accent] = [("trunk", 0.3, 1.0)]
    else:
        p = front_standing(left_arm=Limb(-110, 4), right_arm=Limb(-70, 4), shrug=2)
        acc = [("trunk", 0.3, 1.0), ("left_arm", 0, 1), ("right_arm", 0, 1)]
    fig = s.figure(front_figure(p), acc)
    sh = fig.joints["right_shoulder"]
    if frame == 1:
        curved_arrow(s, add(sh, 64, 60), add(sh, 96, -22), add(sh, 36, -78))
    else:
        curved_arrow(s, add(sh, 44, -70), add(sh, 98, -14), add(sh, 66, 62))
    return s


def walk(frame: int) -> Scene:
    """Walking at an easy pace: one stride (1) and the next (2)."""
    s = floor_scene(STAND)
    ahead, behind = Limb(68, 8, 0.0), Limb(112, 24, 34.0)
    arm_f, arm_b = Limb(66, 34), Limb(112, 12)
    legs = (ahead, behind) if frame == 1 else (behind, ahead)
    arms = (arm_b, arm_f) if frame == 1 else (arm_f, arm_b)
    p = Side(hip=(200, 0), trunk=274, near_leg=legs[0], far_leg=legs[1], near_arm=arms[0], far_arm=arms[1])
    low = max(side_figure(p).joints[k][1] for k in ("near_ankle", "far_ankle", "near_toe", "far_toe"))
    p = replace(p, hip=(200, STAND - LIMB_W / 2 - low))
    fig = s.figure(side_figure(p))
    h = fig.joints["hip"]
    straight_arrow(s, add(h, 64, -40), add(h, 110, -40))
    return s


def hamstring_towel() -> Scene:
    """Lying on the back, one leg raised straight with a towel around the foot, the other knee bent."""
    s = floor_scene()
    p = supine(236)
    p = replace(p, near_leg=Limb(-74, 4, -166.0), far_leg=hook(p.hip, 74))
    fig = side_figure(p)
    sh, toe, ankle = shoulder_of(p), fig.joints["near_toe"], fig.joints["near_ankle"]
    hand = along(sh, heading(sh, toe), 72)
    p = replace(p, near_arm=arm_to(sh, hand), far_arm=arm_to(sh, add(hand, 3, 2)))
    s.prop(mat(50, 350))
    fig = s.figure(side_figure(p), [("near_leg", 0, 1.6)])
    sole = heading(ankle, toe) + 90
    s.prop(polyline([hand, along(toe, sole, 9), along(ankle, sole, 9), hand]), front=True)
    curved_arrow(s, add(toe, 40, -6), add(toe, 30, -40), add(toe, -10, -44))
    return s


def figure_four() -> Scene:
    """Lying on the back, one ankle crossed over the other knee, hands drawing that thigh toward the chest."""
    s = floor_scene()
    p = supine(236, far_leg=Limb(-104, 96, -56.0))
    fig = side_figure(p)
    fk = fig.joints["far_knee"]
    rest = along(fk, heading(fk, p.hip), 10)
    knee = along(p.hip, -32, THIGH * 0.8)
    shin = heading(knee, rest)
    p = replace(p, near_leg=Limb(-32, shin + 32, shin - 70, 0.8, dist(knee, rest) / SHIN + 0.22))
    sh = shoulder_of(p)
    grip = lerp(p.hip, fk, 0.8)
    p = replace(p, near_arm=arm_to(sh, grip), far_arm=arm_to(sh, add(grip, 2, 3)))
    s.prop(mat(60, 340))
    fig = s.figure(side_figure(p), [("near_leg", 0, 1)])
    k = fig.joints["far_knee"]
    curved_arrow(s, add(k, 40, -20), add(k, 18, -52), add(k, -18, -36))
    return s


def calf_stretch_wall() -> Scene:
    """Facing a wall, hands on it, one leg forward and bent, the back leg straight with its heel down."""
    s = floor_scene(STAND)
    wall_x = 300.0
    s.prop(block(wall_x, 20, 12, STAND - 20, 3))
    hip = (wall_x - 108, STAND - LIMB_W / 2 - 107)
    back_ankle, front_ankle = (wall_x - 176, STAND - LIMB_W / 2), (wall_x - 68, STAND - LIMB_W / 2)
    p = Side(hip=hip, trunk=292, near_leg=leg_to(hip, back_ankle), far_leg=leg_to(hip, front_ankle))
    sh = shoulder_of(p)
    p = replace(p, near_arm=arm_to(sh, (wall_x - 9, sh[1] - 6)), far_arm=arm_to(sh, (wall_x - 9, sh[1] - 3)))
    fig = s.figure(side_figure(p), [("near_leg", 1.05, 2.0)])
    a = fig.joints["near_ankle"]
    straight_arrow(s, add(a, -22, -58), add(a, -22, -16))
    return s


def march(frame: int) -> Scene:
    """Marching gently on the spot: one knee lifts (1), then the other (2)."""
    s = floor_scene(STAND)
    lifted = Limb(90, 0, None, 0.22, 1.0)  # the thigh comes toward the viewer, so it looks short: the foot rises
    if frame == 1:
        legs = {"left_leg": replace(lifted, angle=97), "right_leg": Limb(85)}
    else:
        legs = {"left_leg": Limb(95), "right_leg": replace(lifted, angle=83)}
    fig = s.figure(front_figure(front_standing(**legs)), [(("left_leg", "right_leg")[frame - 1], 0, 2)])
    k = fig.joints[("left_knee", "right_knee")[frame - 1]]
    side = -1 if frame == 1 else 1
    straight_arrow(s, add(k, side * 40, 40), add(k, side * 40, 0))
    return s


def arm_circles(frame: int) -> Scene:
    """Standing facing forward, arms out to the sides drawing small slow circles."""
    s = floor_scene(STAND)
    tilt = -8 if frame == 1 else 8
    p = front_standing(left_arm=Limb(180 - tilt, 0), right_arm=Limb(tilt, 0), left_leg=Limb(97), right_leg=Limb(83))
    fig = s.figure(front_figure(p), [("left_arm", 0, 1), ("right_arm", 0, 1)])
    hand = fig.joints["right_hand"]
    start = 140 if frame == 1 else 220
    round_arrow(s, hand, 20, 20, start, start + 280)
    return s


def trunk_turns(frame: int) -> Scene:
    """Standing facing forward, arms held in front, the upper body turning to one side (2) and back (1)."""
    s = floor_scene(STAND)
    turn = 0.0 if frame == 1 else 55.0
    base = front_standing(
        width=math.cos(math.radians(turn)), shift=6 * turn / 55, left_leg=Limb(98), right_leg=Limb(82)
    )
    fig = front_figure(base)
    reach = UPPER_ARM + FOREARM - 8
    hands = add(fig.joints["neck"], base.shift + reach * math.sin(math.radians(turn)), 22)
    arms = []
    for name in ("left_shoulder", "right_shoulder"):
        sh = fig.joints[name]
        scale = dist(sh, hands) / (UPPER_ARM + FOREARM)
        arms.append(Limb(heading(sh, hands), 0, None, scale, scale))
    fig = s.figure(front_figure(replace(base, left_arm=arms[0], right_arm=arms[1])), [("trunk", 0.15, 0.9)])
    c = lerp(fig.joints["pelvis"], fig.joints["neck"], 0.35)
    start, end = (160.0, 20.0) if frame == 1 else (20.0, 160.0)
    round_arrow(s, c, 52, 12, start, end)
    return s


def thumb_pressure() -> Scene:
    """Standing, hands on the hips with the thumbs pressing into a tight spot beside the spine."""
    s = floor_scene(STAND)
    base = front_standing()
    pelvis = base.pelvis
    fig = front_figure(base)
    arms: dict[str, Limb] = {}
    for name, dx in (("left", -1), ("right", 1)):
        sh = fig.joints[f"{name}_shoulder"]
        hand = add(pelvis, dx * 16, -14)  # hands on the hips, thumbs beside the spine
        elbow = add(sh, dx * 30, 30)
        bend = abs(heading(elbow, hand) - heading(sh, elbow))
        arms[name] = Limb(heading(sh, elbow), bend, None, dist(sh, elbow) / UPPER_ARM, dist(elbow, hand) / FOREARM)
    p = replace(base, left_arm=arms["left"], right_arm=arms["right"])
    fig = s.figure(front_figure(p))
    spots = [add(pelvis, dx * 15, -22) for dx in (-1, 1)]
    for spot in spots:  # the tight spots: on the muscle either side, never on the spine itself
        s.body.append(circle(spot, 7, fill=ACCENT, stroke="none"))
    straight_arrow(s, add(spots[1], 52, -22), add(spots[1], 16, -6))
    return s


def ball_wall(frame: int) -> Scene:
    """Back to a wall on a tennis ball at a tight spot, knees bending a little to roll it in slow circles."""
    s = floor_scene(STAND)
    at = 0.3 if frame == 1 else 0.42
    drop = 0.0 if frame == 1 else 10.0
    base = standing(150, trunk=268, head=6)
    hip = add(base.hip, 0, drop)
    ankle_x = hip[0] + 30
    legs = leg_to(hip, (ankle_x, STAND - LIMB_W / 2))
    p = replace(base, hip=hip, near_leg=legs, far_leg=legs, near_arm=Limb(96, 8), far_arm=Limb(92, 8))
    fig = side_figure(p)
    spot = fig.spine(at)
    # the ball sits on the near side of the back, beside the spine (drawn over the body's edge), not on it
    centre = along(spot, p.trunk - 90, LIMB_W / 2 + 3)
    s.prop(block(centre[0] - 10 - 12, 20, 12, STAND - 20, 3))
    s.figure(fig)
    s.prop(ball(centre, 11), front=True)
    round_arrow(s, add(centre, 52, 0), 14, 14, -60, 230)
    return s


def ball_floor(frame: int) -> Scene:
    """Lying with knees bent and a tennis ball under a tight spot of the low back, rocking in slow circles."""
    s = floor_scene()
    at = 0.22 if frame == 1 else 0.32
    p = supine(232, trunk=172.0 + (frame - 1) * 2, head=20)
    spot = side_figure(p).spine(at)
    p = replace(p, hip=add(p.hip, 0, (LIE - 20) - (spot[1] + LIMB_W / 2)))
    p = replace(p, near_leg=leg_to(p.hip, (p.hip[0] + 70, GROUND)), far_leg=leg_to(p.hip, (p.hip[0] + 70, GROUND)))
    fig = side_figure(p)
    spot = fig.spine(at)
    s.figure(fig)
    s.prop(ball((spot[0], spot[1] + LIMB_W / 2 - 2), 11), front=True)  # beside the spine, on the near side
    round_arrow(s, (spot[0], spot[1] - 50), 14, 14, -60, 230)
    return s


def frames(fn: Callable[[int], Scene], count: int = 2) -> dict[str, Callable[[], Scene]]:
    """Numbered frames of a moving exercise: name-1, name-2, ..."""
    return {str(i): partial(fn, i) for i in range(1, count + 1)}


def catalogue() -> dict[str, Callable[[], Scene]]:
    """Every illustration by file name (without .svg)."""
    still = {
        "rest-supine-pillows": rest_supine_pillows,
        "rest-chair-legs": rest_chair_legs,
        "hook-lying": hook_lying,
        "knee-to-chest": lambda: knee_hug(False),
        "knees-to-chest": lambda: knee_hug(True),
        "childs-pose": childs_pose,
        "shoulder-blade-squeeze": shoulder_blade_squeeze,
        "upper-back-stretch": upper_back_stretch,
        "chest-opener": chest_opener,
        "neck-side-bend": neck_side_bend,
        "standing-back-extension": standing_back_extension,
        "hamstring-towel": hamstring_towel,
        "figure-four": figure_four,
        "calf-stretch-wall": calf_stretch_wall,
        "thumb-pressure": thumb_pressure,
    }
    moving: dict[str, Callable[[int], Scene]] = {
        "breathing": breathing,
        "pelvic-tilt": pelvic_tilt,
        "trunk-rotation": trunk_rotation,
        "shoulder-rolls": shoulder_rolls,
        "sit-to-stand": sit_to_stand,
        "reach-overhead": reach_overhead,
        "walk": walk,
        "march": march,
        "arm-circles": arm_circles,
        "trunk-turns": trunk_turns,
        "ball-wall": ball_wall,
        "ball-floor": ball_floor,
    }
    out = dict(still)
    for name, fn in moving.items():
        count = BREATH_FRAMES if name == "breathing" else 2
        out |= {f"{name}-{i}": f for i, f in frames(fn, count).items()}
    return dict(sorted(out.items()))


def main(argv: list[str]) -> int:
    """Write every illustration into the output folder (default: the repository's assets/illustrations)."""
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "assets" / "illustrations"
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in catalogue().items():
        (folder / f"{name}.svg").write_text(make().svg(), encoding="utf-8", newline="\n")
    print(f"wrote {len(catalogue())} illustrations to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
