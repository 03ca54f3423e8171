"""The routine loader: valid files load, every kind of mistake is reported with file:line:col and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from spasmcoach.core import loader
from spasmcoach.core.model import Area, Origin, RoutineKind, Sides
from spasmcoach.core.yamlsource import MAX_FILE_BYTES, RoutineFileError


@pytest.fixture
def images(tmp_path: Path) -> Path:
    folder = tmp_path / "illustrations"
    folder.mkdir()
    for name in ("a.svg", "b.svg", "rest.svg"):
        (folder / name).write_text("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 3'/>")
    return folder


def write(tmp_path: Path, text: str, name: str = "routine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(path: Path, images: Path) -> list[str]:
    with pytest.raises(RoutineFileError) as info:
        loader.load_routine(path, images=[images])
    return [str(p) for p in info.value.problems]


GOOD = """
title: Lower-back spasm release
kind: release
area: lower-back
summary: Gentle moves.
cautions:
  - Move slowly and never bounce.
  - Stop at once if pain increases.
get_ready: 5
steps:
  - name: Rest on your back
    instructions: Lie on a firm surface.
    duration: 1m30s
    image: rest.svg
  - name: Knee to chest
    instructions: Bring one knee up.
    hold: 20
    reps: 3
    rest: 10
    sides: both
    images: [a.svg, b.svg]
    frame_seconds: 2
    say: Pull gently, breathe out
"""


def test_valid_routine_loads_every_field(tmp_path: Path, images: Path) -> None:
    routine = loader.load_routine(write(tmp_path, GOOD, "lower-back.yaml"), images=[images])
    assert routine.id == "lower-back"
    assert routine.title == "Lower-back spasm release"
    assert routine.kind is RoutineKind.RELEASE and routine.area is Area.LOWER_BACK
    assert routine.cautions == ("Move slowly and never bounce.", "Stop at once if pain increases.")
    rest, knee = routine.steps
    assert rest.duration == 90 and rest.hold is None and rest.images == ("rest.svg",)
    assert (knee.hold, knee.reps, knee.rest, knee.sides) == (20, 3, 10, Sides.BOTH)
    assert knee.images == ("a.svg", "b.svg") and knee.say == "Pull gently, breathe out"
    assert knee.line == 14
    assert routine.total == 5 + 90 + 175


MISTAKES = [
        ("title: T\nkind: relase\nsteps: [{name: A, duration: 5}]\n",
         "routine.yaml:2:7: kind: must be one of stretch, release, rest, warmup, break, got \"relase\"; "
         "did you mean 'release'?"),
        ("title: T\nkind: rest\nsteps: [{name: A, duration: 5}]\nsumary: x\n",
         "routine.yaml:4:1: sumary: unknown key; did you mean 'summary'?"),
        ("kind: rest\nsteps: [{name: A, duration: 5}]\n", "routine.yaml:1:1: title: is required"),
        ("title: T\nkind: rest\nsteps: []\n", "routine.yaml:3:8: steps: must not be empty"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: -3\n",
         'routine.yaml:5:11: steps[0].hold: must be a positive duration, got "-3"'),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: 0\n",
         'routine.yaml:5:11: steps[0].hold: must be a positive duration, got "0"'),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 3h\n",
         "routine.yaml:5:15: steps[0].duration: is 10800 s; at most 7200 s (2 h) is allowed"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    duration: soon\n",
         "routine.yaml:5:15: steps[0].duration: must be a positive duration such as 30, 45s, 1m30s or 1:30, "
         'got "soon"'),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: 10\n    reps: two\n",
         'routine.yaml:6:11: steps[0].reps: must be a whole number from 1 to 50, got "two"'),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 10\n    hold: 5\n",
         "routine.yaml:6:11: steps[0].hold: a step has either 'duration' or 'hold', not both"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n",
         "routine.yaml:4:5: steps[0]: needs 'duration' (one timed block) or 'hold' (timed repetitions)"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 10\n    reps: 2\n",
         "routine.yaml:6:11: steps[0].reps: 'reps' goes only with 'hold', not with 'duration'"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: 10\n    sides: up\n",
         'routine.yaml:6:12: steps[0].sides: must be one of none, left, right, both, got "up"'),
        ("title: [x]\nkind: rest\nsteps: [{name: A, duration: 5}]\n",
         "routine.yaml:1:8: title: must be text, got a list"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 5\n    image: missing.svg\n",
         "routine.yaml:6:12: steps[0].image: image file 'missing.svg' was not found in the illustration folders"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 5\n    image: ../a.svg\n",
         "routine.yaml:6:12: steps[0].image: '../a.svg' must stay inside the asset folder (no absolute path, no '..')"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 5\n    image: /etc/passwd\n",
         "routine.yaml:6:12: steps[0].image: '/etc/passwd' must stay inside the asset folder "
         "(no absolute path, no '..')"),
        ("title: T\ntitle: U\nkind: rest\nsteps: [{name: A, duration: 5}]\n",
         "routine.yaml:2:1: title: appears twice (first on line 1)"),
        ("- just\n- a list\n", "routine.yaml:1:1: the file must be a mapping of keys to values, got a list"),
        ("title: T\nkind: rest\nsteps: [{name: A, duration: 5}, {name: A, duration: 6}]\n",
         "routine.yaml:3:33: steps[1]: another step (steps[0]) is already named 'A'; give each step its own name"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: 5\n    get_ready: 601\n",
         "routine.yaml:6:16: steps[0].get_ready: is 601 s; at most 600 s (0.166667 h) is allowed"),
        ("title: T\nkind: rest\nget_ready: 11 min\nsteps: [{name: A, hold: 5}]\n",
         "routine.yaml:3:12: get_ready: is 660 s; at most 600 s (0.166667 h) is allowed"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 0s\n",
         'routine.yaml:5:15: steps[0].duration: must be a positive duration, got "0s"'),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: 5\n    reps: 3.0\n",
         'routine.yaml:6:11: steps[0].reps: must be a whole number from 1 to 50, got "3.0"'),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: 5\n    images: [a.svg]\n    frame_seconds: 61\n",
         "routine.yaml:7:20: steps[0].frame_seconds: is 61 s; at most 60 s (0.0166667 h) is allowed"),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: 5\n    rest: 2 hours 1 s\n",
         "routine.yaml:6:11: steps[0].rest: is 7201 s; at most 7200 s (2 h) is allowed"),
        ("title: '  '\nkind: rest\nsteps: [{name: A, hold: 5}]\n", "routine.yaml:1:8: title: must not be empty"),
        ("title: T\nkind: rest\nposition: sofa\nsteps: [{name: A, hold: 5}]\n",
         'routine.yaml:3:11: position: must be one of floor, bed, chair, standing, got "sofa"'),
        ("title: T\nkind: rest\nsteps:\n  - name: A\n    hold: 5\n    position: flor\n",
         "routine.yaml:6:15: steps[0].position: must be one of floor, bed, chair, standing, got \"flor\"; "
         "did you mean 'floor'?"),
        ("title: T\nkind: rest\nreview_on: 14/03/2026\nsteps: [{name: A, hold: 5}]\n",
         'routine.yaml:3:12: review_on: must be a date written as YYYY-MM-DD, such as 2026-03-14, got "14/03/2026"'),
        ("title: T\nkind: rest\nprescribed_by: [Jo]\nsteps: [{name: A, hold: 5}]\n",
         "routine.yaml:3:16: prescribed_by: must be text, got a list"),
]  # fmt: skip


@pytest.mark.parametrize(("snippet", "expected"), MISTAKES)
def test_each_mistake_is_named_with_position_and_field(
    tmp_path: Path, images: Path, monkeypatch: pytest.MonkeyPatch, snippet: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert problems(write(tmp_path, snippet), images) == [expected]


def test_all_mistakes_in_a_file_are_reported_at_once(
    tmp_path: Path, images: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = "title: T\nkind: nap\nsteps:\n  - name: A\n    hold: -1\n  - name: B\n    duration: 5\n    colour: red\n"
    found = problems(write(tmp_path, text), images)
    assert [line.split(": ")[1] for line in found] == ["kind", "steps[0].hold", "steps[1].colour"]
    assert [line.split(":")[1] for line in found] == ["2", "5", "8"]


def test_duplicate_step_names_are_reported_beside_other_mistakes(
    tmp_path: Path, images: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        "title: T\nkind: nap\nsteps:\n  - name: A\n    hold: -1\n  - name: A\n    hold: 5\n"
        "  - name: B\n    hold: 5\n    colour: red\n  - name: B\n    duration: soon\n"
    )
    found = problems(write(tmp_path, text), images)
    assert [line.split(": ")[1] for line in found] == [
        "kind", "steps[0].hold", "steps[1]", "steps[2].colour", "steps[3]", "steps[3].duration",
    ]  # fmt: skip
    assert "another step (steps[0]) is already named 'A'" in found[2]
    assert "another step (steps[2]) is already named 'B'" in found[4]


def test_symlink_leaving_the_asset_folder_is_refused(
    tmp_path: Path, images: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "secret.svg"
    outside.write_text("<svg/>")
    (images / "sneaky.svg").symlink_to(outside)
    monkeypatch.chdir(tmp_path)
    text = "title: T\nkind: rest\nsteps:\n  - name: A\n    duration: 5\n    image: sneaky.svg\n"
    assert problems(write(tmp_path, text), images) == [
        "routine.yaml:6:12: steps[0].image: 'sneaky.svg' must stay inside the asset folder (the link leads outside it)"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"title: [unclosed\n", "is not valid YAML"),
        (b"title: T\n\xff\xfe bad bytes\n", "2:1: is not valid UTF-8 text"),
        (b"", "file is empty"),
        (b"a: 1\n---\nb: 2\n", "holds more than one YAML document"),
        (b"[" * 5000 + b"]" * 5000, None),  # our depth limit or PyYAML's own (6.0.4+), whichever speaks first
        (b"!!python/object:os.system {}\n", "uses the YAML tag 'tag:yaml.org,2002:python/object:os.system'"),
        (
            b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
            "1:1: a: unknown key",
        ),
    ],
)
def test_unreadable_files_are_reported_not_raised(
    tmp_path: Path, images: Path, data: bytes, message: str | None
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(data)
    with pytest.raises(RoutineFileError) as info:
        loader.load_routine(path, images=[images])
    if message is not None:
        assert message in str(info.value)
    assert str(info.value).startswith(str(path))
    assert "Traceback" not in str(info.value) and 'File "' not in str(info.value)


def test_oversized_file_is_refused_before_parsing(tmp_path: Path, images: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(RoutineFileError, match="larger than 1024 KiB"):
        loader.load_routine(path, images=[images])


def test_python_tags_are_never_executed(tmp_path: Path, images: Path) -> None:
    marker = tmp_path / "pwned"
    path = write(tmp_path, f"title: !!python/object/apply:os.system ['touch {marker}']\nkind: rest\nsteps: []\n")
    with pytest.raises(RoutineFileError):
        loader.load_routine(path, images=[images])
    assert not marker.exists()


def test_library_skips_broken_files_and_user_routines_shadow_bundled(tmp_path: Path, images: Path) -> None:
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir()
    user.mkdir()
    write(bundled, "title: Bundled\nkind: rest\nsteps: [{name: A, duration: 5}]\n", "calm.yaml")
    write(bundled, "title: Other\nkind: rest\nsteps: [{name: A, duration: 5}]\n", "other.yaml")
    write(user, "title: Mine\nkind: rest\nsteps: [{name: A, duration: 7}]\n", "calm.yaml")
    write(user, "title: Broken\nkind: nope\n", "broken.yaml")
    library = loader.load_library([(bundled, Origin.BUNDLED), (user, Origin.USER)])
    assert sorted(library.routines) == ["calm", "other"]
    assert library.routines["calm"].title == "Mine" and library.routines["calm"].origin is Origin.USER
    assert library.shadowed == [bundled / "calm.yaml"]
    assert len(library.errors) == 1 and "broken.yaml" in library.errors[0].file


def test_user_routines_folder_comes_from_spasmcoach_home(spasmcoach_home: Path) -> None:
    folders = loader.routine_path()
    assert folders[-1] == (spasmcoach_home / "routines", Origin.USER)


def test_bundled_routines_all_load() -> None:
    library = loader.load_library()
    assert not library.errors, "\n".join(str(e) for e in library.errors)
