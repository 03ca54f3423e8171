"""The view from the feet: a body lying on its back seen end-on, looking up it toward the head (trunk rotation).

A rotation of the legs about the body's long axis is a sideways movement that no side view shows, so this
one picture is drawn from the feet. The joints are placed in 3D and seen through a simple camera just above
the floor: near parts (knees, feet) look larger, far parts (shoulders, head) smaller and a little higher, so
the arms lie along the floor line in a low T, the trunk hides behind the pelvis, and the small head shows
between the legs, above the shoulders.
"""

from __future__ import annotations

import math

from .figure import FOREARM, HALF_HIPS, HALF_SHOULDERS, HEAD_R, NECK, SHIN, SHOULDER_AT, THIGH, TRUNK, UPPER_ARM
from .geometry import Point, Point3, along, heading, lerp
from .scene import Scene, floor_line, round_arrow
from .shapes import ACCENT, LIMB_W, SLATE, circle, polyline

# Body coordinates: x to the picture's right, y up from the floor, z away from the viewer (from the feet
# toward the head). The camera stands beyond the feet, a little above the floor, looking along the body.
CAMERA_UP, CAMERA_BACK, FOCAL = 21.0, 90.0, 300.0
FLOOR_Y, FLOOR_Z = 250.0, 90.0  # the floor line: the floor between the hips and the hands
BODY = LIMB_W / 2  # height of a body line resting on the floor
FEET_TO_HIPS = 64.0  # how far the feet stand from the hips, knees bent
FEET_HALF = 14.0  # the feet stand a little wider than the hips
KNEE_HALF = 3.5  # half the distance between the knees held together: the two knee lines just touch
ARM_OUT = 68.0  # the arms lie on the floor this far out from the body's side: a low T
TRUNK_ROTATION_TILT = 60.0  # how far the knees turn about the long axis: seen from the feet, the legs lean ~45°


def seen(q: Point3) -> Point:
    """Where the body point ``q`` lands in the picture."""
    x, y, z = q
    k = FOCAL / (z + CAMERA_BACK)
    horizon = FLOOR_Y - FOCAL * CAMERA_UP / (FLOOR_Z + CAMERA_BACK)
    return (200 + k * x, horizon + k * (CAMERA_UP - y))


def size_at(z: float) -> float:
    """How much larger than life (in viewBox units) something at depth ``z`` looks."""
    return FOCAL / (z + CAMERA_BACK)


def turned(q: Point3, about: Point, deg: float) -> Point3:
    """``q`` turned ``deg`` about the line along the body through ``about`` (x, y); + tips toward picture-left."""
    x, y, z = q
    r = math.radians(deg)
    dx, dy = x - about[0], y - about[1]
    return (about[0] + dx * math.cos(r) - dy * math.sin(r), about[1] + dx * math.sin(r) + dy * math.cos(r), z)


def knee_rise() -> tuple[float, float]:
    """Depth and height of the bent knees: the thigh and shin meet above the line from hip to ankle."""
    d = FEET_TO_HIPS
    along_thigh = (THIGH * THIGH + d * d - SHIN * SHIN) / (2 * d)
    return FEET_TO_HIPS - along_thigh, BODY + math.sqrt(THIGH * THIGH - along_thigh * along_thigh)


def body_joints(tilt: float) -> dict[str, Point3]:
    """The joints of the body lying on its back, knees bent together and tipped ``tilt`` degrees to one side.

    The knees turn as one about the long axis through the middle of the pelvis; the pelvis follows them a
    quarter of the way (the lower back turns: that is where the stretch is felt); the feet stay on the floor;
    the shoulders and arms stay flat.
    """
    hips_z = FEET_TO_HIPS
    neck_z = hips_z + TRUNK
    shoulders_z = hips_z + SHOULDER_AT * TRUNK
    out = math.radians(ARM_OUT)
    arm = UPPER_ARM + FOREARM
    knee_z, knee_y = knee_rise()
    j: dict[str, Point3] = {
        "pelvis": (0.0, BODY, hips_z),
        "neck": (0.0, BODY, neck_z),
        "head": (0.0, HEAD_R, neck_z + NECK + HEAD_R),
    }
    for side, sign in (("left", -1.0), ("right", 1.0)):
        shoulder = (sign * HALF_SHOULDERS, BODY, shoulders_z)
        j[f"{side}_shoulder"] = shoulder
        j[f"{side}_hand"] = (shoulder[0] + sign * arm * math.sin(out), BODY, shoulders_z - arm * math.cos(out))
        j[f"{side}_hip"] = turned((sign * HALF_HIPS, BODY, hips_z), (0, BODY), tilt / 4)
        j[f"{side}_knee"] = turned((sign * KNEE_HALF, knee_y, knee_z), (0, BODY), tilt)
        j[f"{side}_ankle"] = (sign * FEET_HALF, BODY, 0.0)
    low = min(j["left_hip"][1], j["right_hip"][1])
    for side in ("left", "right"):  # the lower hip rests on the floor, the other lifts
        x, y, z = j[f"{side}_hip"]
        j[f"{side}_hip"] = (x, y + BODY - low, z)
    (lx, ly, _), (rx, ry, _) = j["left_hip"], j["right_hip"]
    j["waist"] = ((lx + rx) / 2, (ly + ry) / 2, hips_z)  # the low back, between the hips
    return j


def on_floor(foot: Point, knee: Point) -> Point:
    """``foot`` moved up along the leg toward ``knee`` until the line rests on the floor line, not below it."""
    lowest = FLOOR_Y - LIMB_W / 2
    if foot[1] <= lowest:
        return foot
    return lerp(foot, knee, (foot[1] - lowest) / (foot[1] - knee[1]))


def picture_points(frame: int) -> dict[str, Point]:
    """Every joint of trunk-rotation frame ``frame`` in the picture: upright (1) or tipped to picture-left (2).

    Seen from the feet each thigh hides behind its shin, so a leg is one line from the foot to the knee.
    Tipped, the right leg lies along the left one, its knee resting on the left knee and its foot on the
    left foot, so the two legs read as one pair turned to the side.
    """
    j = body_joints(0.0 if frame == 1 else TRUNK_ROTATION_TILT)
    p = {name: seen(q) for name, q in j.items()}
    for side in ("left", "right"):  # the feet, nearest the viewer, stand on the floor line
        p[f"{side}_ankle"] = on_floor(p[f"{side}_ankle"], p[f"{side}_knee"])
    if frame != 1:
        foot, knee = p["left_ankle"], p["left_knee"]
        up = heading(foot, knee) + 90
        p["right_ankle"], p["right_knee"] = along(foot, up, LIMB_W + 3), along(knee, up, LIMB_W + 3)
    return p


def trunk_rotation(frame: int) -> Scene:
    """Lying on the back seen from the feet: knees bent together upright (1), then tipped to one side (2).

    The figure is not centred on its outline, so the shoulders and head stay put from frame to frame.
    """
    s = Scene(center_x=False)
    line = floor_line(FLOOR_Y)
    line.pad = 2
    s.fixed.append(line)
    p = picture_points(frame)

    def limb(*names: str, colour: str = SLATE) -> None:
        attrs = {} if colour == SLATE else {"stroke": colour}
        shape = polyline([p[n] for n in names], **attrs)
        shape.pad = LIMB_W / 2
        s.body.append(shape)

    # back to front: head, arms and shoulders, trunk, pelvis (where the stretch is felt), the legs
    head_r = HEAD_R * size_at(body_joints(0.0)["head"][2])
    s.body.append(circle(p["head"], head_r, fill=SLATE, stroke="none"))
    limb("left_hand", "left_shoulder", "right_shoulder", "right_hand")
    limb("waist", "neck")
    limb("left_hip", "right_hip", colour=ACCENT)
    limb("left_ankle", "left_knee")
    limb("right_ankle", "right_knee")
    pivot = p["pelvis"]
    reach = pivot[1] - min(p["left_knee"][1], p["right_knee"][1]) + 34
    if frame == 1:  # from upright down to the side
        round_arrow(s, pivot, reach, reach, -80, -140)
    else:  # and back to the middle
        round_arrow(s, pivot, reach, reach, -140, -80)
    return s
