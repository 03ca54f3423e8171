"""Timer presets: the model, loader mistakes with file:line:col, the lookup, the bundled file, the schema."""

from __future__ import annotations

import io
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from spasmcoach import cli
from spasmcoach.core import resources
from spasmcoach.core.timers import (
    COLD_ADVICE,
    HEAT_ADVICE,
    PresetPhase,
    Therapy,
    TimerPhase,
    TimerPreset,
    load_all_presets,
    load_presets,
    preset_files,
)
from spasmcoach.core.yamlsource import RoutineFileError

SCHEMA_LINE = "# yaml-language-server: $schema=timers.schema.json"
ICE_SENTENCE = "Never put ice directly on the skin — wrap it in a thin towel."
ON, OFF = TimerPhase.ON, TimerPhase.OFF


def write(folder: Path, text: str, name: str = "timers.yaml") -> Path:
    """Write a dedented preset file and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    """Every message load_presets gives for ``path``."""
    with pytest.raises(RoutineFileError) as info:
        load_presets(path)
    return [str(p) for p in info.value.problems]


class Yaml12SafeLoader(yaml.SafeLoader):
    """Reads YAML the way editors do (YAML 1.2): ``on`` and ``off`` are words, not booleans."""


Yaml12SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def schema() -> dict[str, Any]:
    """The shipped timer-preset schema."""
    document: dict[str, Any] = json.loads(resources.schema_path("timers.schema.json").read_text(encoding="utf-8"))
    return document


GOOD = """
presets:
  - id: ice-cycle
    title: Ice cycle
    therapy: cold
    on: 20 min
    off: 30 min
    cycles: 3
    advice: Wrap it in a towel.
  - id: warm
    title: Warmth
    therapy: heat
    on: 15m
"""


# -- the model -------------------------------------------------------------------------------------------


def test_a_valid_file_loads_every_field(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    cycle, warm = load_presets(path)
    assert (cycle.id, cycle.title, cycle.therapy) == ("ice-cycle", "Ice cycle", Therapy.COLD)
    assert (cycle.on, cycle.off, cycle.cycles, cycle.advice) == (1200, 1800, 3, "Wrap it in a towel.")
    assert cycle.path == path
    assert (warm.on, warm.off, warm.cycles) == (900, None, 1)
    assert warm.advice == HEAT_ADVICE  # a preset without advice gets the therapy's standard advice


def test_cycles_alternate_on_and_off_with_no_break_after_the_last() -> None:
    preset = TimerPreset("c", "C", Therapy.COLD, on=1200, off=1800, cycles=3)
    assert preset.phases() == [(ON, 1, 1200), (OFF, 1, 1800), (ON, 2, 1200), (OFF, 2, 1800), (ON, 3, 1200)]
    assert all(isinstance(p, PresetPhase) for p in preset.phases())
    assert preset.total == 3 * 1200 + 2 * 1800
    single = TimerPreset("s", "S", Therapy.HEAT, on=1200)
    assert single.phases() == [(ON, 1, 1200)] and single.total == 1200


def test_custom_timer_from_minutes() -> None:
    one = TimerPreset.custom(Therapy.COLD, 15)
    assert (one.id, one.on, one.off, one.cycles, one.therapy) == ("custom", 900, None, 1, Therapy.COLD)
    assert one.title == "Ice, 15 min" and one.advice == COLD_ADVICE
    assert TimerPreset.custom(Therapy.COLD, 15, off_minutes=30).off is None  # a break needs a second cycle
    repeated = TimerPreset.custom(Therapy.HEAT, 20, 40, 2)
    assert (repeated.on, repeated.off, repeated.cycles) == (1200, 2400, 2)
    assert repeated.title == "Heat, 20 min on / 40 min off × 2"
    with pytest.raises(ValueError):
        TimerPreset.custom(Therapy.COLD, 20, None, 2)
    with pytest.raises(ValueError):
        TimerPreset.custom(Therapy.COLD, 0)
    with pytest.raises(ValueError):
        TimerPreset.custom(Therapy.COLD, 121)  # over 2 hours


@pytest.mark.parametrize(
    "kwargs",
    [
        {"on": 0}, {"on": 7201}, {"on": float("nan")}, {"on": 60, "cycles": 0}, {"on": 60, "cycles": 25},
        {"on": 60, "off": 60}, {"on": 60, "cycles": 2}, {"on": 60, "off": 43201, "cycles": 2},
        {"on": 60, "cycles": True},
    ],
)  # fmt: skip
def test_the_model_refuses_what_the_engine_cannot_run(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        TimerPreset("x", "X", Therapy.COLD, **kwargs)


def test_saved_definition_round_trips() -> None:
    preset = TimerPreset("c", "C", Therapy.COLD, on=1200, off=1800, cycles=3, advice="A")
    data = json.loads(json.dumps(preset.to_dict()))
    assert data == {
        "id": "c",
        "title": "C",
        "therapy": "cold",
        "on": 1200,
        "off": 1800,
        "cycles": 3,
        "advice": "A",
    }
    assert TimerPreset.from_dict(data) == preset
    with pytest.raises(ValueError):
        TimerPreset.from_dict({**data, "on": "20 min"})
    with pytest.raises(ValueError):
        TimerPreset.from_dict({k: v for k, v in data.items() if k != "therapy"})


# -- loader mistakes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: 20 min\n    of: 5 min\n",
         ["timers.yaml:6:5: presets[0].of: unknown key; did you mean 'off'?"]),
        ("presets:\n  - id: a\n    title: A\n    therapy: warm\n    on: 20 min\n",
         ["timers.yaml:4:14: presets[0].therapy: must be one of cold, heat, got \"warm\""]),
        ("presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: 3 h\n",
         ["timers.yaml:5:9: presets[0].on: is 10800 s; at most 7200 s (2 h) is allowed"]),
        ("presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: -5 min\n",
         ["timers.yaml:5:9: presets[0].on: must be a positive duration such as 30, 45s, 1m30s or 1:30, "
          "got \"-5 min\""]),
        ("presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: 0\n",
         ["timers.yaml:5:9: presets[0].on: must be a positive duration, got \"0\""]),
        ("presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: 20\n",
         ["timers.yaml:5:9: presets[0].on: is 20 s; on- and off-times are at least 1 minute "
          "(a plain number means seconds: did you mean '20 min'?)"]),
        ("presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: 20 min\n    off: 13 h\n    cycles: 2\n",
         ["timers.yaml:6:10: presets[0].off: is 46800 s; at most 43200 s (12 h) is allowed"]),
        ("presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: 20 min\n    off: 5 min\n    cycles: 25\n",
         ["timers.yaml:7:13: presets[0].cycles: must be a whole number from 1 to 24, got \"25\""]),
        ("presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: 20 min\n    off: 30 min\n",
         ["timers.yaml:6:10: presets[0].off: is the break between cycles, so it needs cycles of 2 or more; "
          "add 'cycles' or remove 'off'"]),
        ("presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: 20 min\n    cycles: 3\n",
         ["timers.yaml:6:13: presets[0].cycles: 2 or more cycles need an 'off' time for the break between them"]),
        ("presets:\n  - id: Ice Pack\n    title: A\n    therapy: cold\n    on: 20 min\n",
         ["timers.yaml:2:9: presets[0].id: must be lowercase letters, digits and dashes such as ice-20, "
          "at most 64 characters, got \"Ice Pack\""]),
        ("presets:\n  - id: custom\n    title: A\n    therapy: cold\n    on: 20 min\n",
         ["timers.yaml:2:9: presets[0].id: 'custom' is kept for timers set up in the app; choose another id"]),
        ("presets:\n  - id: a\n    therapy: cold\n",
         ["timers.yaml:2:5: presets[0].on: is required", "timers.yaml:2:5: presets[0].title: is required"]),
        ("presets: []\n", ["timers.yaml:1:10: presets: must not be empty"]),
        ("preset:\n  - id: a\n",
         ["timers.yaml:1:1: preset: unknown key; did you mean 'presets'?", "timers.yaml:1:1: presets: is required"]),
        ("- id: a\n", ["timers.yaml:1:1: the file must be a mapping of keys to values, got a list"]),
        ("presets:\n  - id: a\n    title: [x]\n    therapy: cold\n    on: 20 min\n",
         ["timers.yaml:3:12: presets[0].title: must be text, got a list"]),
    ],
)  # fmt: skip
def test_each_mistake_is_reported_with_file_line_column_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert problems(write(tmp_path, text)) == expected


def test_every_mistake_in_a_file_is_reported_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, """
        presets:
          - id: ice
            title: Ice
            therapy: cold
            on: 20 min
          - id: ice
            title: Ice again
            therapy: cold
            on: 10 min
          - id: heat
            title: Heat
            therapy: heet
            on: 20 mins
            cycle: 2
    """, "back.timers.yaml")  # fmt: skip
    assert problems(path) == [
        "back.timers.yaml:6:9: presets[1].id: another preset (presets[0]) already has the id 'ice'",
        "back.timers.yaml:12:14: presets[2].therapy: must be one of cold, heat, got \"heet\"; did you mean 'heat'?",
        "back.timers.yaml:14:5: presets[2].cycle: unknown key; did you mean 'cycles'?",
    ]


def test_duplicate_ids_are_reported_even_when_those_presets_have_other_mistakes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeated id is one of the mistakes too: it is listed whether or not the entries have others."""
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, """
        presets:
          - id: ice
            title: Ice
            therapy: cold
            on: 20
          - id: ice
            title: Ice again
            therapy: colt
            on: 10 min
          - id: heat
            title: Heat
            therapy: heat
            on: 20 min
          - id: heat
            therapy: heat
            on: 20 min
    """)  # fmt: skip
    assert problems(path) == [
        "timers.yaml:5:9: presets[0].on: is 20 s; on- and off-times are at least 1 minute "
        "(a plain number means seconds: did you mean '20 min'?)",
        "timers.yaml:6:9: presets[1].id: another preset (presets[0]) already has the id 'ice'",
        "timers.yaml:8:14: presets[1].therapy: must be one of cold, heat, got \"colt\"; did you mean 'cold'?",
        "timers.yaml:14:5: presets[3].title: is required",
        "timers.yaml:14:9: presets[3].id: another preset (presets[2]) already has the id 'heat'",
    ]


def test_unreadable_yaml_is_reported_with_its_position(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "presets:\n  - id: a\n   title: [\n")
    [message] = problems(path)
    assert message.startswith("timers.yaml:3:") and "is not valid YAML" in message


def test_cli_validate_checks_preset_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "presets:\n  - id: a\n    title: A\n    therapy: cold\n    on: 20\n", "bad.timers.yaml")
    out = io.StringIO()
    assert cli.main(["validate", "bad.timers.yaml"], out) == 1
    assert "bad.timers.yaml:5:9: presets[0].on: is 20 s" in out.getvalue()
    assert cli.main(["validate", str(resources.routines_dir() / "timers.yaml")], io.StringIO()) == 0


# -- finding presets -------------------------------------------------------------------------------------


def test_user_presets_replace_bundled_ones_and_broken_files_are_skipped(spasmcoach_home: Path) -> None:
    user = spasmcoach_home / "routines"
    write(user, "presets:\n  - id: ice-20\n    title: My ice\n    therapy: cold\n    on: 15 min\n")
    write(
        user,
        "presets:\n  - id: sauna\n    title: Warm bath\n    therapy: heat\n    on: 15 min\n",
        "bath.timers.yaml",
    )
    write(user, "presets:\n  - id: broken\n    therapy: cold\n", "broken.timers.yaml")
    write(user, "title: Not a preset\nkind: rest\nsteps: [{name: A, duration: 5}]\n", "routine.yaml")
    found, errors = load_all_presets()
    assert found["ice-20"].title == "My ice" and found["ice-20"].on == 900
    assert found["sauna"].therapy is Therapy.HEAT
    assert "ice-cycle" in found and "broken" not in found
    assert [Path(e.file).name for e in errors] == ["broken.timers.yaml"]


def test_explicit_folders_and_a_missing_folder(tmp_path: Path) -> None:
    first = write(tmp_path / "a", "presets:\n  - {id: x, title: X, therapy: cold, 'on': 10 min}\n").parent
    found, errors = load_all_presets([first, tmp_path / "missing"])
    assert list(found) == ["x"] and errors == []


# -- the bundled file and the schema ---------------------------------------------------------------------


def bundled() -> dict[str, TimerPreset]:
    path = resources.routines_dir() / "timers.yaml"
    return {p.id: p for p in load_presets(path)}


def test_bundled_presets_load_and_cover_the_basics() -> None:
    found = bundled()
    assert (found["ice-20"].therapy, found["ice-20"].on, found["ice-20"].cycles) == (Therapy.COLD, 1200, 1)
    cycle = found["ice-cycle"]
    assert (cycle.on, cycle.off, cycle.cycles) == (1200, 1800, 3)
    assert found["ice-massage"].on == 300
    assert (found["heat-20"].therapy, found["heat-20"].on) == (Therapy.HEAT, 1200)
    every = found["ice-every-4-hours"]
    assert (every.on, every.off, every.cycles) == (1200, 3 * 3600 + 40 * 60, 4)
    assert every.on + (every.off or 0) == 4 * 3600


def test_bundled_advice_is_safe() -> None:
    for preset in bundled().values():
        if preset.therapy is Therapy.COLD:
            assert ICE_SENTENCE in preset.advice, preset.id
            assert "skin" in preset.advice.replace(ICE_SENTENCE, ""), preset.id  # plus a skin check
        else:
            assert "warm" in preset.advice and "never hot" in preset.advice, preset.id
            assert "Never fall asleep" in preset.advice, preset.id
    assert COLD_ADVICE.startswith(ICE_SENTENCE)
    assert "Never fall asleep on a heat pad or a hot water bottle" in HEAT_ADVICE


def test_bundled_file_has_the_schema_line_and_matches_the_schema() -> None:
    path = resources.routines_dir() / "timers.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    document = yaml.load(text, Loader=Yaml12SafeLoader)  # noqa: S506 - a SafeLoader subclass
    assert [e.message for e in jsonschema.Draft202012Validator(schema()).iter_errors(document)] == []


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


def test_the_yaml_12_reader_keeps_on_and_off_as_keys() -> None:
    assert yaml.load("on: 1\noff: 2\nx: true\n", Loader=Yaml12SafeLoader) == {"on": 1, "off": 2, "x": True}  # noqa: S506


BASE = {"id": "a", "title": "A", "therapy": "cold", "on": "20 min"}


@pytest.mark.parametrize(
    "preset",
    [
        {**BASE, "of": "5 min"},
        {**BASE, "therapy": "warm"},
        {**BASE, "on": 7201},
        {**BASE, "on": 20},
        {**BASE, "on": "-5 min"},
        {**BASE, "on": "soon"},
        {**BASE, "off": "30 min"},
        {**BASE, "off": "30 min", "cycles": 1},
        {**BASE, "cycles": 3},
        {**BASE, "off": 43201, "cycles": 2},
        {**BASE, "off": "30 min", "cycles": 25},
        {**BASE, "id": "Ice Pack"},
        {**BASE, "id": "custom"},
        {k: v for k, v in BASE.items() if k != "title"},
        {**BASE, "advice": ""},
    ],
)
def test_schema_rejects_what_the_loader_rejects(tmp_path: Path, preset: dict[str, Any]) -> None:
    document = {"presets": [preset]}
    assert list(jsonschema.Draft202012Validator(schema()).iter_errors(document))
    path = tmp_path / "timers.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")  # JSON is YAML
    with pytest.raises(RoutineFileError):
        load_presets(path)


@pytest.mark.parametrize(
    "preset",
    [BASE, {**BASE, "on": 1200, "off": "3 h 40 min", "cycles": 4}, {**BASE, "on": "1:30", "advice": "Gently."},
     {**BASE, "on": "1:20:00"}],
)  # fmt: skip
def test_schema_accepts_what_the_loader_accepts(tmp_path: Path, preset: dict[str, Any]) -> None:
    document = {"presets": [preset]}
    assert [e.message for e in jsonschema.Draft202012Validator(schema()).iter_errors(document)] == []
    path = tmp_path / "timers.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert len(load_presets(path)) == 1


def test_preset_files_are_not_routines() -> None:
    assert preset_files(resources.routines_dir()) == [resources.routines_dir() / "timers.yaml"]
