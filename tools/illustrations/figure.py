"""The jointed stick figure: proportions, limbs, side-view and front-view poses, and reaching a point."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .geometry import Point, add, along, dist, heading, lerp, quad, rotate, two_link

# The figure, in viewBox units (legs longer than arms, about 7 heads tall).
HEAD_R, NECK, TRUNK = 16.0, 7.0, 74.0
UPPER_ARM, FOREARM, THIGH, SHIN, FOOT = 42.0, 40.0, 58.0, 56.0, 16.0
SHOULDER_AT = 0.86  # side view: the shoulder joint sits this far up the trunk
HALF_SHOULDERS, HALF_HIPS = 26.0, 11.0  # front view

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
