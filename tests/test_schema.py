"""The shipped JSON Schema agrees with the loader, and every bundled file points editors at it."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from spasmcoach.core import loader, resources

SCHEMA_LINE = "# yaml-language-server: $schema=routine.schema.json"


def schema() -> dict:
    import json

    return json.loads(resources.schema_path("routine.schema.json").read_text())


def bundled_routines() -> list[Path]:
    return [p for p in loader.yaml_files(resources.routines_dir()) if not loader.is_preset_file(p)]


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


def test_every_bundled_routine_has_the_schema_line_and_matches_the_schema() -> None:
    files = bundled_routines()
    if not files:
        pytest.skip("no bundled routines yet")
    validator = jsonschema.Draft202012Validator(schema())
    for path in files:
        text = path.read_text()
        assert text.splitlines()[0] == SCHEMA_LINE, path
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(text))]
        assert errors == [], path


@pytest.mark.parametrize(
    "doc",
    [
        {"title": "T", "kind": "rest", "steps": [{"name": "A", "duration": 5, "reps": 2}]},
        {"title": "T", "kind": "rest", "steps": [{"name": "A", "duration": 5, "hold": 5}]},
        {"title": "T", "kind": "rest", "steps": [{"name": "A", "hold": "-3"}]},
        {"title": "T", "kind": "rest", "steps": [{"name": "A", "hold": 5, "image": "../x.svg"}]},
        {"title": "T", "kind": "nap", "steps": [{"name": "A", "hold": 5}]},
        {"title": "T", "kind": "rest", "steps": [], "colour": "red"},
    ],
)
def test_schema_rejects_what_the_loader_rejects(doc: dict) -> None:
    assert list(jsonschema.Draft202012Validator(schema()).iter_errors(doc))
