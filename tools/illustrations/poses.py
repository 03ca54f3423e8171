"""Start positions many pictures share: lying on the back, knees bent, standing."""

from __future__ import annotations

import math
from dataclasses import replace

from .figure import SHIN, THIGH, Front, Limb, Side, leg_to
from .geometry import Point
from .scene import GROUND, STAND, Accent
from .shapes import LIMB_W

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
