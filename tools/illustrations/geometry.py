"""Plane geometry for the drawings: points, directions, curves, and the small depth projection."""

from __future__ import annotations

import math

Point = tuple[float, float]

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


# -- depth: figure four points a knee toward the viewer -----------------------------------------------------

Point3 = tuple[float, float, float]  # along the body (x, right), up (y), toward the viewer (z)
YAW = 15.0  # the camera is turned this far from side-on, so depth shows as a small sideways shift


def project(origin: Point, q: Point3) -> Point:
    """Where the body point ``q`` (relative to ``origin``, y up) lands in the picture."""
    x, y, z = q
    r = math.radians(YAW)
    return (origin[0] + x * math.cos(r) + z * math.sin(r), origin[1] - y)
