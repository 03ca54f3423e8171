"""Bundled illustrations: valid self-contained SVG in one style, all used, reproducible from the script."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from spasmcoach.core.durations import parse_duration

ROOT = Path(__file__).resolve().parents[1]
ILLUSTRATIONS = ROOT / "assets" / "illustrations"
ROUTINES = ROOT / "routines"
SVG_NS = "{http://www.w3.org/2000/svg}"
SLATE, ACCENT, ARROW, PROP = "#708090", "#E8833A", "#3A9DD8", "#A7B1BD"
SVGS = sorted(ILLUSTRATIONS.glob("*.svg"))


def svg_ids() -> list[str]:
    """Test ids: the file names."""
    return [p.name for p in SVGS]


def routine_docs() -> dict[str, dict]:
    """Every bundled routine file, parsed."""
    docs = {}
    for path in sorted(ROUTINES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "steps" in doc:
            docs[path.name] = doc
    return docs


def images_of(step: dict) -> list[str]:
    """The illustration names a step refers to."""
    return [step["image"]] if "image" in step else list(step.get("images", []))


def test_there_are_illustrations_and_routines() -> None:
    assert len(SVGS) >= 30
    assert len(routine_docs()) == 7


@pytest.mark.parametrize("path", SVGS, ids=svg_ids())
def test_svg_loads_in_qt(qapp: object, path: Path) -> None:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    assert renderer.viewBoxF() == QRectF(0, 0, 400, 300)


@pytest.mark.parametrize("path", SVGS, ids=svg_ids())
def test_svg_is_self_contained_and_textless(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.tag == SVG_NS + "svg"
    assert root.get("viewBox") == "0 0 400 300"
    assert root.get("width") is None and root.get("height") is None
    tags = {el.tag.removeprefix(SVG_NS) for el in root.iter()}
    assert tags <= {"svg", "g", "path", "circle", "rect"}, tags
    assert "href" not in text and "url(" not in text and "<text" not in text and "<script" not in text
    assert not any(name.startswith("on") for el in root.iter() for name in el.attrib)


@pytest.mark.parametrize("path", SVGS, ids=svg_ids())
def test_svg_uses_the_house_style(path: Path) -> None:
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    colours = {el.get(a) for el in root.iter() for a in ("fill", "stroke") if el.get(a) not in (None, "none")}
    assert colours <= {SLATE, ACCENT, ARROW, PROP}, colours
    groups = [g for g in root.iter(SVG_NS + "g") if g.get("stroke") == SLATE]
    assert len(groups) == 1, "one figure group"
    figure = groups[0]
    assert figure.get("stroke-width") == "14"
    assert figure.get("stroke-linecap") == "round" and figure.get("stroke-linejoin") == "round"
    heads = [c for c in figure.iter(SVG_NS + "circle") if c.get("fill") == SLATE]
    assert len(heads) == 1, "one filled head"
    arrows = [el for el in root.iter() if el.get("stroke") == ARROW]
    assert len(arrows) <= 1, "at most one movement arrow"
    for arrow in arrows:
        assert arrow.tag == SVG_NS + "path" and arrow.get("stroke-linecap") == "round"
        assert arrow.get("d", "").count("M") >= 2, "a shaft and an arrowhead"


@pytest.mark.parametrize("path", SVGS, ids=svg_ids())
def test_svg_draws_on_a_transparent_background(qapp: object, path: Path) -> None:
    image = QImage(200, 150, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(path)).render(painter)
    painter.end()
    assert image.pixelColor(0, 0).alpha() == 0
    assert image.pixelColor(199, 0).alpha() == 0
    opaque = sum(image.pixelColor(x, y).alpha() > 128 for x in range(0, 200, 2) for y in range(0, 150, 2))
    assert opaque > 150, "the picture is not blank"


def test_every_routine_image_exists_and_every_svg_is_used() -> None:
    used: set[str] = set()
    for name, doc in routine_docs().items():
        for step in doc["steps"]:
            images = images_of(step)
            assert images, f"{name}: step {step['name']!r} has no illustration"
            for image in images:
                assert "/" not in image and "\\" not in image and image.endswith(".svg")
                assert (ILLUSTRATIONS / image).is_file(), f"{name}: missing {image}"
            used.update(images)
    assert used == {p.name for p in SVGS}


def test_animated_steps_use_complete_numbered_frames() -> None:
    for name, doc in routine_docs().items():
        for step in doc["steps"]:
            if "images" not in step:
                assert not re.search(r"-\d+\.svg$", step["image"]), f"{name}: a lone frame"
                continue
            frames = step["images"]
            stem = frames[0].removesuffix("-1.svg")
            assert len(frames) >= 2 and frames == [f"{stem}-{i}.svg" for i in range(1, len(frames) + 1)], name
            assert 1.5 <= float(step.get("frame_seconds", 2)) <= 2.5


def test_bundled_routines_follow_the_content_rules() -> None:
    """Holds are still stretches (15 to 30 s) or repeated movements; every routine has the nerve caution."""
    for name, doc in routine_docs().items():
        text = (ROUTINES / name).read_text(encoding="utf-8")
        assert text.splitlines()[0].startswith("# yaml-language-server: $schema=")
        cautions = " ".join(doc["cautions"]).lower()
        assert "pain increases" in cautions and "bounc" in cautions, name
        # the nerve-symptom caution, with the emergency signs (docs/safety.md)
        assert "numbness, tingling or weakness" in cautions and "emergency care" in cautions, name
        assert "both legs" in cautions and "genitals or buttocks" in cautions and "bladder or bowel" in cautions
        for step in doc["steps"]:
            assert ("duration" in step) != ("hold" in step)
            if "hold" in step:
                hold, rest = parse_duration(step["hold"]), parse_duration(step.get("rest", 0))
                reps = int(step.get("reps", 1))
                if hold >= 15:  # a stretch held still
                    assert hold <= 30 and 5 <= rest <= 15, step["name"]
                else:  # a slow repeated movement: a breath or two per rep, several reps
                    assert 4 <= hold <= 10 and rest <= 5 and reps >= 4, step["name"]
                assert step.get("say"), f"{name}: hold step {step['name']!r} has no cue"
            assert not re.search(r"weight sink|until it softens", step.get("say", "") + step["instructions"]), name
            sentences = len(re.findall(r"[.!?](?:\s|$)", step["instructions"]))
            assert 1 <= sentences <= 3, step["name"]


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    out = tmp_path / "svg"
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_illustrations.py"), str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    made = sorted(p.name for p in out.glob("*.svg"))
    assert made == [p.name for p in SVGS]
    for name in made:
        assert (out / name).read_bytes() == (ILLUSTRATIONS / name).read_bytes(), name


def test_contact_sheet_renders(tmp_path: Path) -> None:
    png = tmp_path / "sheet.png"
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "contact_sheet.py"), "--tile", "96", "--out", str(png),
         "--only", "knee-to-chest", "walk-1"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 96 * 2


def tools_package() -> SimpleNamespace:
    """The drawing package behind tools/make_illustrations.py, imported from the checkout."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from illustrations import endon, figure, geometry, lying
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return SimpleNamespace(endon=endon, figure=figure, geometry=geometry, lying=lying)


def test_figure_model_refuses_joints_bending_backwards() -> None:
    model = tools_package().figure
    dist = tools_package().geometry.dist
    assert model.THIGH + model.SHIN > model.UPPER_ARM + model.FOREARM
    with pytest.raises(ValueError, match="knee"):
        model.side_figure(model.Side(hip=(200, 150), near_leg=model.Limb(90, -20)))
    hip, ankle = (200.0, 100.0), (230.0, 190.0)
    leg = model.leg_to(hip, ankle)
    reached = model.side_figure(model.Side(hip=hip, near_leg=leg)).joints["near_ankle"]
    assert dist(reached, ankle) < 0.5


Pt = tuple[float, float]


def angle_between(a: Pt, b: Pt, c: Pt, d: Pt) -> float:
    """The angle in degrees (0..90) between the lines a-b and c-d."""
    turn = abs(math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]) - math.atan2(d[1] - c[1], d[0] - c[0]))) % 180
    return min(turn, 180 - turn)


def test_trunk_rotation_seen_from_the_feet_tips_both_knees_to_one_side() -> None:
    """Seen from the feet: knees together upright in the middle, then both tipped to one side, shoulders flat."""
    endon = tools_package().endon
    up, tipped = endon.picture_points(1), endon.picture_points(2)
    width = endon.LIMB_W
    floor_top = endon.FLOOR_Y - width / 2  # a line resting on the floor has its middle here
    # upright: the knees touch at the top of the legs, one each side of the middle, high above the floor
    assert math.dist(up["left_knee"], up["right_knee"]) < width + 4
    assert up["left_knee"][0] < 200 < up["right_knee"][0]
    assert (up["left_knee"][0] + up["right_knee"][0]) / 2 == pytest.approx(200, abs=0.5)
    assert up["left_ankle"][0] < up["left_knee"][0] and up["right_ankle"][0] > up["right_knee"][0], "an upright V"
    assert floor_top - up["left_knee"][1] > 100, "the knees stand well up"
    # tipped: both knees well to one side and lower; the right knee rests on the left one; the legs lean ~45 degrees
    for side in ("left", "right"):
        assert tipped[f"{side}_knee"][0] < 200 - 50
        assert tipped[f"{side}_knee"][1] > up[f"{side}_knee"][1] + 20
    assert tipped["right_knee"][1] < tipped["left_knee"][1], "the right knee lies on top"
    assert math.dist(tipped["left_knee"], tipped["right_knee"]) == pytest.approx(width + 3, abs=0.5), "touching"
    foot, top = tipped["left_ankle"], tipped["left_knee"]
    lean = math.degrees(math.atan2(foot[0] - top[0], foot[1] - top[1]))
    assert 35 < lean < 60, lean
    assert angle_between(tipped["left_ankle"], tipped["left_knee"], tipped["right_ankle"], tipped["right_knee"]) < 1
    # the shoulders, arms and head stay where they were, lying on the floor; nothing sinks below it
    for name in ("left_hand", "left_shoulder", "right_shoulder", "right_hand", "head"):
        assert tipped[name] == up[name], name
    for name in ("left_hand", "left_shoulder", "right_shoulder", "right_hand"):
        assert floor_top - width < up[name][1] <= floor_top, name
    for points in (up, tipped):
        assert all(y <= floor_top + 0.5 for _, y in points.values())
    # the legs turn about the body's long axis: a turn keeps every distance from it
    axis = (0.0, endon.BODY)
    knee = (3.5, 50.0, 30.0)
    turned = endon.turned(knee, axis, 60.0)
    assert math.dist(axis, turned[:2]) == pytest.approx(math.dist(axis, knee[:2]))
    assert turned[0] < 0, "+ tips toward picture-left"


def test_figure_four_keeps_every_limb_apart() -> None:
    """Figure four: the crossed ankle in front of the supporting thigh, the hands behind it, no shallow crossings."""
    tools = tools_package()
    lying, geometry = tools.lying, tools.geometry
    j = lying.figure_four_pose().joints
    hip, knee = j["hip"], j["far_knee"]
    # the supporting thigh is drawn in past upright toward the chest, its shin roughly level
    assert knee[0] < hip[0] and knee[1] < hip[1] - 40
    assert abs(geometry.heading(knee, j["far_ankle"])) < 15

    dx, dy = knee[0] - hip[0], knee[1] - hip[1]

    def side_of(q: Pt) -> float:  # + in front of the thigh (toward the feet), - behind it
        return dx * (q[1] - hip[1]) - dy * (q[0] - hip[0])

    def along_thigh(q: Pt) -> float:  # 0 at the hip, 1 at the knee
        return (dx * (q[0] - hip[0]) + dy * (q[1] - hip[1])) / (dx * dx + dy * dy)

    ankle, hands = j["near_ankle"], j["near_hand"]
    assert side_of(hands) < 0 < side_of(ankle), "the hands and the crossed ankle sit on opposite sides of the thigh"
    assert 0.5 <= along_thigh(ankle) <= 0.85, "the ankle rests below the supporting knee"
    assert along_thigh(hands) < along_thigh(ankle) - 0.1, "the hands hold the thigh nearer the hip"
    assert j["near_hand"] == j["far_hand"], "both arms reach to the same place: one line"
    # lines that meet cross clearly, never at a shallow angle
    assert angle_between(hip, knee, j["near_knee"], ankle) > 40, "crossed shin over the supporting thigh"
    assert angle_between(hip, knee, j["shoulder"], hands) > 40, "arms to the back of the thigh"
    # the crossed thigh keeps its length in 3D but, pointing at the viewer, looks clearly shorter
    knee3 = lying.CROSSED_KNEE
    assert math.dist((0, 0, 0), knee3) == pytest.approx(tools.figure.THIGH, rel=0.03)
    assert knee3[2] > max(abs(knee3[0]), abs(knee3[1])), "it points mostly toward the viewer"
    assert geometry.dist(hip, j["near_knee"]) < 0.85 * tools.figure.THIGH
