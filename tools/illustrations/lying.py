"""Pictures on the floor seen from the side: resting, breathing, knee hugs, pelvic tilt, hip stretches."""

from __future__ import annotations

from dataclasses import replace

from .figure import FOOT, Figure, Limb, Side, arm_to, arm_toward, leg_to, shoulder_of, side_figure
from .geometry import Point3, add, along, heading, lerp, project
from .poses import LOWER_BACK, hook, hooked, supine
from .scene import (
    FOLDED_ZOOM,
    GROUND,
    LIE,
    Scene,
    ball,
    block,
    chair,
    curved_arrow,
    floor_scene,
    mat,
    round_arrow,
    straight_arrow,
)
from .shapes import ACCENT, FAR_W, LIMB_W, curve, polyline


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


SUPPORT_THIGH = -106.0  # figure four: the supporting thigh drawn in toward the chest, just past upright
CROSSED_KNEE: Point3 = (28.8, 23.0, 45.0)
"""Figure four: the crossed knee from the hip, out toward the viewer, so the thigh is seen end-on and short."""


def figure_four_pose() -> Figure:
    """Lying on the back, one ankle crossed over the other knee, hands drawing the lower thigh toward the chest.

    The supporting leg is the far one: its thigh drawn in toward the chest, the shin level. The crossed leg
    is the near one: its knee points out toward the viewer, so its thigh looks short, and its ankle rests on
    the front of the supporting thigh below the knee. Both arms reach from the shoulders to the back of the
    supporting thigh, on the other side of it from the crossed shin, so no two lines meet at a shallow angle.
    """
    p = supine(240, far_leg=Limb(SUPPORT_THIGH, 106.0))
    fig = side_figure(p)
    hip, fk = p.hip, fig.joints["far_knee"]
    thigh = heading(hip, fk)
    rest = along(lerp(hip, fk, 0.6), thigh + 90, (LIMB_W + FAR_W) / 2)  # on the front of the supporting thigh
    knee = project(hip, CROSSED_KNEE)
    toe = along(rest, heading(knee, rest) - 15, FOOT + 4)  # the foot reaches past the thigh, relaxed
    grip = along(lerp(hip, fk, 0.42), thigh - 90, (LIMB_W + FAR_W) / 2)  # the hands behind the thigh
    sh = shoulder_of(p)
    fig = side_figure(replace(p, near_arm=arm_toward(sh, grip), far_arm=arm_toward(sh, grip)))
    fig.parts["near_leg"].points = [hip, knee, rest, toe]
    fig.joints |= {"near_knee": knee, "near_ankle": rest, "near_toe": toe}
    return fig


def figure_four() -> Scene:
    """The figure-four hip stretch, drawn larger than the other floor pictures so its folded limbs stand apart."""
    s = floor_scene(zoom=FOLDED_ZOOM)
    s.prop(mat(60, 340, FOLDED_ZOOM))
    fig = s.figure(figure_four_pose(), [("near_leg", 0, 1)], head_last=True)
    hands = fig.joints["near_hand"]
    s.body.append(polyline([add(hands, -3, 2), add(hands, 3, -2)], **{"stroke-width": "20"}))  # the clasped hands
    k = fig.joints["far_knee"]
    curved_arrow(s, add(k, 44, -30), add(k, 12, -64), add(k, -26, -42))  # the thigh drawn toward the chest
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
