"""The shipped JSON Schemas agree with the loaders, and every bundled file points editors at them.

The schemas are what an editor checks as you type; `spasmcoach validate` is the final word. Wherever JSON
Schema can say what the validator says, the schema must reject it too: the loader's own list of mistakes
(tests/test_loader.py) is replayed here through a real JSON Schema validator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from test_loader import MISTAKES

from spasmcoach.core import loader, resources
from spasmcoach.core.durations import DurationError, parse_duration
from spasmcoach.core.timers import load_presets
from spasmcoach.core.yamlsource import RoutineFileError

SCHEMA_LINE = "# yaml-language-server: $schema=routine.schema.json"
BUNDLED = ("acute-rest-positions", "desk-break", "hamstring-hip-stretches", "knot-release", "lower-back-release",
           "upper-back-release", "warm-up")  # fmt: skip

# Mistakes JSON Schema cannot see: files on disk, unique names across list items, YAML's own duplicate
# keys (gone once parsed), and 3.0 versus 3 (the same number to JSON Schema and to editors).
NOT_EXPRESSIBLE = ("was not found", "must stay inside the asset folder", "appears twice", "already named", "3.0")


def schema(name: str = "routine.schema.json") -> dict[str, Any]:
    document: dict[str, Any] = json.loads(resources.schema_path(name).read_text(encoding="utf-8"))
    return document


def routine_errors(document: object) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema()).iter_errors(document)]


def bundled_routines() -> list[Path]:
    return [p for p in loader.yaml_files(resources.routines_dir()) if not loader.is_preset_file(p)]


def test_schemas_are_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator.check_schema(schema("timers.schema.json"))


def test_every_bundled_routine_has_the_schema_line_and_matches_the_schema() -> None:
    files = bundled_routines()
    assert {p.stem for p in files} >= set(BUNDLED), "a bundled routine is missing"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0] == SCHEMA_LINE, path
        assert routine_errors(yaml.safe_load(text)) == [], path


@pytest.mark.parametrize(("snippet", "expected"), MISTAKES, ids=[m[1].split(": ", 1)[1][:60] for m in MISTAKES])
def test_schema_rejects_every_loader_mistake_it_can_express(snippet: str, expected: str) -> None:
    if any(words in expected for words in NOT_EXPRESSIBLE):
        pytest.skip("JSON Schema cannot express this check")
    assert routine_errors(yaml.safe_load(snippet)), expected


def step_doc(**step: object) -> dict[str, Any]:
    return {"title": "T", "kind": "rest", "steps": [{"name": "A", **step}]}


@pytest.mark.parametrize(
    "doc",
    [
        step_doc(duration=5, reps=2),
        step_doc(duration=5, hold=5),
        step_doc(hold="-3"),
        step_doc(hold=5, image="../x.svg"),
        step_doc(hold=5, image="a.svg", images=["b.svg"]),
        step_doc(hold=5, images=[f"{i}.svg" for i in range(25)]),
        step_doc(hold=5, reps=51),
        step_doc(hold=5, get_ready="10m 1s"),
        step_doc(hold=5, get_ready=600.5),
        step_doc(hold="0:00"),
        step_doc(hold="2:00:01"),
        step_doc(hold="121 min"),
        step_doc(hold="3 hours"),
        step_doc(hold=5, say="   "),
        {"title": "T", "kind": "nap", "steps": [{"name": "A", "hold": 5}]},
        {"title": "T", "kind": "rest", "steps": [], "colour": "red"},
        {"title": "T", "kind": "rest", "cautions": [""], "steps": [{"name": "A", "hold": 5}]},
    ],
)
def test_schema_rejects_what_the_loader_rejects(doc: dict[str, Any], tmp_path: Path) -> None:
    assert routine_errors(doc)
    path = tmp_path / "r.yaml"
    path.write_text(json.dumps(doc), encoding="utf-8")  # JSON is YAML
    with pytest.raises(RoutineFileError):
        loader.load_routine(path, images=[tmp_path])


# Durations as people write them; the fields' limits are (field, schema part, low, high) below.
DURATIONS = ["1", "45", "45s", "45 s", "0.5", "90 sec", "1m30s", "1m 30s", "2 min", "2 mins", "1:30", "0:45",
             "1h", "1 hour", "1h 5m", "1:00:00", "2:00:00", "2:00:01", "120 min", "120:00", "120:01", "121 min",
             "7200", "7200.0", "7200.5", "7201", "2h", "2.5h", "3h", "0", "0s", "0:00", "0 min", "600", "601",
             "10 min", "10:00", "10:01", "11 min", "60", "61", "1 min", "1:00", "1:01", "59", "59 s", "0.5 min",
             "30 min", "12 h", "12:00:00", "13 h", "720 min", "43200", "43201", "-5", "soon", "5 parsecs",
             ""]  # fmt: skip
FIELDS = [
    ("hold", "#/$defs/duration", 1, 7200),
    ("rest", "#/$defs/rest", 0, 7200),
    ("get_ready", "#/$defs/getReady", 0, 600),
    ("frame_seconds", "#/$defs/frameSeconds", 1, 60),
]


def loader_accepts(text: str, low: int, high: int) -> bool:
    """What the validator says; ``low`` is 0 (zero allowed), 1 (more than zero) or a least number of seconds."""
    try:
        seconds = parse_duration(text)
    except DurationError:
        return False
    above = seconds > 0 if low == 1 else seconds >= low
    return above and seconds <= high


@pytest.mark.parametrize(("field", "ref", "low", "high"), FIELDS)
def test_duration_text_limits_match_the_validator(field: str, ref: str, low: int, high: int) -> None:
    """For the usual shapes (one unit, 1h 5m 30s, m:ss, h:mm:ss) the schema agrees with the validator exactly."""
    check = jsonschema.Draft202012Validator({"$defs": schema()["$defs"], "$ref": ref})
    wrong = [text for text in DURATIONS if check.is_valid(text) != loader_accepts(text, low, high)]
    assert wrong == [], field


TIMER_DURATIONS = [("onTime", 60, 7200), ("offTime", 60, 43200)]


@pytest.mark.parametrize(("ref", "low", "high"), TIMER_DURATIONS)
def test_timer_duration_text_limits_match_the_validator(ref: str, low: int, high: int) -> None:
    check = jsonschema.Draft202012Validator({"$defs": schema("timers.schema.json")["$defs"], "$ref": f"#/$defs/{ref}"})
    wrong = [text for text in DURATIONS if check.is_valid(text) != loader_accepts(text, low, high)]
    assert wrong == [], ref


@pytest.mark.parametrize(
    "preset",
    [{"on": "30s"}, {"on": "0:45"}, {"on": "2h 1m"}, {"on": "0 min"}, {"on": "20 min", "off": "13 h", "cycles": 2},
     {"on": "20 min", "off": "30 min", "cycles": 2, "title": " "}],
)  # fmt: skip
def test_timer_schema_rejects_what_the_preset_loader_rejects(preset: dict[str, Any], tmp_path: Path) -> None:
    entry = {"id": "a", "title": "A", "therapy": "cold", **preset}
    document = {"presets": [entry]}
    assert list(jsonschema.Draft202012Validator(schema("timers.schema.json")).iter_errors(document))
    path = tmp_path / "timers.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(RoutineFileError):
        load_presets(path)


def test_descriptions_state_the_real_limits() -> None:
    defs = schema()["$defs"]
    assert "600 s" in defs["getReady"]["description"] and "2 hours" not in defs["getReady"]["description"]
    assert "60 s" in defs["frameSeconds"]["description"]
    assert "2 hours" in defs["duration"]["description"]
    step = defs["step"]["properties"]
    assert step["get_ready"] == {"$ref": "#/$defs/getReady"}
    assert step["frame_seconds"] == {"$ref": "#/$defs/frameSeconds"}


def test_schema_keys_are_the_loaders_keys() -> None:
    """A field added to the loader (position, the prescription) is in the schema, and the other way round."""
    assert set(schema()["properties"]) == loader.ROUTINE_KEYS
    assert set(schema()["$defs"]["step"]["properties"]) == loader.STEP_KEYS


@pytest.mark.parametrize(
    ("extra", "step", "good"),
    [
        ({"position": "floor"}, {"position": "chair"}, True),
        ({"position": "sofa"}, {}, False),
        ({}, {"position": "lying"}, False),
        ({"prescribed_by": "Jo", "prescribed_on": "2026-11-02", "review_on": "2026-12-14", "note": "Go gently."},
         {}, True),
        ({"review_on": "2026-13-01"}, {}, False),
        ({"prescribed_on": "next week"}, {}, False),
        ({"prescribed_by": " "}, {}, False),
        ({"note": ["a"]}, {}, False),
    ],
)  # fmt: skip
def test_schema_and_loader_agree_on_position_and_prescription(
    extra: dict[str, Any], step: dict[str, Any], good: bool, tmp_path: Path
) -> None:
    doc = {"title": "T", "kind": "rest", **extra, "steps": [{"name": "A", "hold": 5, **step}]}
    assert (routine_errors(doc) == []) is good
    path = tmp_path / "r.yaml"
    path.write_text(json.dumps(doc), encoding="utf-8")  # JSON is YAML; dates stay quoted text, which is accepted
    if good:
        loader.load_routine(path, images=[tmp_path])
    else:
        with pytest.raises(RoutineFileError):
            loader.load_routine(path, images=[tmp_path])
