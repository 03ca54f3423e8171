"""Pictures standing or sitting: shoulders, neck, back extension, walking, the wall and the chair."""

from __future__ import annotations

import math
from dataclasses import replace

from .figure import (
    FOREARM,
    SHIN,
    THIGH,
    UPPER_ARM,
    Limb,
    Side,
    arm_to,
    arm_toward,
    front_figure,
    leg_to,
    shoulder_of,
    side_figure,
)
from .geometry import add, along, dist, heading, lerp
from .poses import LOWER_BACK, UPPER_BACK, front_standing, standing
from .scene import STAND, Accent, Scene, ball, block, chair, curved_arrow, floor_scene, round_arrow, straight_arrow
from .shapes import ACCENT, LIMB_W, circle, polyline


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
