"""Pictures on the floor: resting, breathing, knee hugs, pelvic tilt, trunk rotation, hip stretches."""

from __future__ import annotations

from dataclasses import replace

from .figure import Figure, Limb, Side, arm_to, arm_toward, leg_to, shoulder_of, side_figure
from .geometry import Point3, add, along, heading, lerp, project, tip_sideways
from .poses import LOWER_BACK, hook, hooked, supine
from .scene import GROUND, LIE, Scene, ball, block, chair, curved_arrow, floor_scene, mat, round_arrow, straight_arrow
from .shapes import ACCENT, LIMB_W, curve, polyline

KNEE_GAP = 11.0  # half the distance between the knees when they are held together


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


def knees_tipped(p: Side, tilt: float) -> Figure:
    """``p`` with its legs (knees held together) turned ``tilt`` degrees about the hips, away from the viewer.

    The near leg comes to lie on top of the far one and both knees come down; the feet roll onto their
    edges and stay on the floor. The upper body stays as it is, flat on the floor.
    """
    fig = side_figure(p)
    hip = p.hip
    for side, z in (("near", KNEE_GAP), ("far", -KNEE_GAP)):
        part = fig.parts[f"{side}_leg"]
        points = [hip]
        for i, (x, y) in enumerate(part.points[1:], start=1):
            q = tip_sideways((x - hip[0], hip[1] - y, z), tilt)
            if i >= 2:  # the foot rolls onto its outer edge; it never sinks into the floor
                q = (q[0], max(q[1], 0.0), q[2])
            points.append(project(hip, q))
        part.points = points
        for joint, point in zip(("knee", "ankle", "toe"), points[1:], strict=True):
            fig.joints[f"{side}_{joint}"] = point
    return fig


TRUNK_ROTATION_TILT = 58.0  # "only a little and only as far as is comfortable"


def trunk_rotation(frame: int) -> Scene:
    """Lying on the back, knees bent and together: in the middle (1), then lowered to the far side (2).

    Seen nearly side-on: the knees tip away from the viewer, so the near leg lies on top of the far one
    and the far knee shows below it, while the shoulders and arms stay flat on the floor.
    """
    s = floor_scene()
    s.prop(mat(60, 340))
    fig = knees_tipped(hooked(supine(230)), 0.0 if frame == 1 else TRUNK_ROTATION_TILT)
    fig = s.figure(fig, [LOWER_BACK], on_top=True)
    k = fig.joints["near_knee"]
    if frame == 1:
        curved_arrow(s, add(k, -6, -34), add(k, 58, -42), add(k, 40, 14))
    else:
        curved_arrow(s, add(k, 40, 0), add(k, 56, -60), add(k, -6, -56))
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


CROSSED_KNEE: Point3 = (24.0, 28.0, 46.0)
"""Figure four: the crossed knee from the hip, out toward the viewer, so the thigh is seen end-on and short."""


def figure_four() -> Scene:
    """Lying on the back, one ankle crossed over the other knee, hands drawing the lower thigh toward the chest.

    The supporting leg is the far one: its thigh drawn in toward the chest, the shin level. The crossed leg
    is the near one: its knee points out toward the viewer, so its thigh looks short, and its ankle rests on
    the supporting thigh just below the knee.
    """
    s = floor_scene()
    p = supine(236, far_leg=Limb(-106, 94, -84.0))
    fig = side_figure(p)
    hip, fk = p.hip, fig.joints["far_knee"]
    rest = lerp(hip, fk, 0.85)  # where the crossed ankle lies, on the front of the supporting thigh
    ankle3: Point3 = (rest[0] - hip[0] - 4, hip[1] - rest[1], -2 * KNEE_GAP)  # just past the thigh: crossed
    knee, ankle = project(hip, CROSSED_KNEE), project(hip, ankle3)
    toe = project(hip, (ankle3[0] - 4, ankle3[1] + 10, ankle3[2] - 6))  # the foot relaxed, toes up
    sh = shoulder_of(p)
    grip = add(lerp(hip, fk, 0.45), -LIMB_W, 0)  # hands behind the supporting thigh
    p = replace(p, near_arm=arm_toward(sh, grip), far_arm=arm_toward(sh, add(grip, 2, 3)))
    fig = side_figure(p)
    fig.parts["near_leg"].points = [hip, knee, ankle, toe]
    fig.joints |= {"near_knee": knee, "near_ankle": ankle, "near_toe": toe}
    s.prop(mat(60, 340))
    fig = s.figure(fig, [("near_leg", 0, 1)], head_last=True)
    hands = fig.joints["near_hand"]
    s.body.append(polyline([add(hands, -3, -2), add(hands, 4, 3)], **{"stroke-width": "20"}))  # the clasped hands
    k = fig.joints["far_knee"]
    curved_arrow(s, add(k, 46, -22), add(k, 22, -58), add(k, -20, -40))
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
