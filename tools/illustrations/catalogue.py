"""Every illustration by file name, with the numbered frames of moving exercises."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from .endon import trunk_rotation
from .lying import (
    BREATH_FRAMES,
    ball_floor,
    breathing,
    childs_pose,
    figure_four,
    hamstring_towel,
    hook_lying,
    knee_hug,
    pelvic_tilt,
    rest_chair_legs,
    rest_supine_pillows,
)
from .scene import Scene
from .upright import (
    arm_circles,
    ball_wall,
    calf_stretch_wall,
    chest_opener,
    march,
    neck_side_bend,
    reach_overhead,
    shoulder_blade_squeeze,
    shoulder_rolls,
    sit_to_stand,
    standing_back_extension,
    thumb_pressure,
    trunk_turns,
    upper_back_stretch,
    walk,
)


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
