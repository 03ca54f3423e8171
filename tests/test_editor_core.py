"""The routine editor's Qt-free core: drafts to YAML and back, the loader's checks by field, files, drafts."""

from __future__ import annotations

import argparse
import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from spasmcoach.commands.routines import cmd_show
from spasmcoach.core import loader, paths
from spasmcoach.core.editing import files
from spasmcoach.core.editing.check import Checker, field_of, timeline_lines
from spasmcoach.core.editing.draft import (
    SCHEMA_LINE,
    TIMING,
    RoutineDraft,
    StepDraft,
    Timing,
    duration_text,
    from_routine,
    new_routine,
    to_yaml,
)
from spasmcoach.core.model import Origin, Routine
from spasmcoach.core.yamlsource import Problem


@pytest.fixture
def checker() -> Iterator[Checker]:
    checker = Checker()
    yield checker
    checker.close()


def _same_steps(a: Routine, b: Routine) -> bool:
    return [dataclasses.replace(s, line=0) for s in a.steps] == [dataclasses.replace(s, line=0) for s in b.steps]


def test_every_bundled_routine_survives_the_round_trip(checker: Checker) -> None:
    library = loader.load_library()
    assert library.routines
    for routine in library.sorted():
        checked = checker.check(from_routine(routine))
        assert checked.ok, (routine.id, checked.errors)
        assert checked.routine is not None
        assert _same_steps(checked.routine, routine), routine.id
        assert checked.routine.timeline().total == routine.timeline().total
        for key in ("title", "kind", "area", "summary", "cautions", "get_ready"):
            assert getattr(checked.routine, key) == getattr(routine, key), (routine.id, key)


def test_the_text_starts_with_the_schema_line_and_keeps_the_field_order() -> None:
    draft = RoutineDraft(
        {"title": "Morning", "kind": "stretch", "get_ready": "10s"}, [StepDraft({"name": "A", "duration": "1:30"})]
    )
    text = to_yaml(draft)
    assert text.splitlines()[0] == SCHEMA_LINE
    lines = text.splitlines()
    assert lines.index("title: Morning") < lines.index("kind: stretch") < lines.index("steps:")
    assert "    duration: '1:30'" in lines or "    duration: 1:30" in lines


@pytest.mark.parametrize(("typed", "seconds"), [("45s", 45), ("1m30s", 90), ("1:30", 90), ("90", 90), ("2 min", 120)])
def test_durations_as_the_file_format_accepts_them(checker: Checker, typed: str, seconds: float) -> None:
    draft = RoutineDraft({"title": "T", "kind": "rest"}, [StepDraft({"name": "A", "duration": typed})])
    checked = checker.check(draft)
    assert checked.routine is not None, checked.errors
    assert checked.routine.steps[0].duration == seconds


def test_mistakes_are_filed_under_their_field(checker: Checker) -> None:
    draft = RoutineDraft(
        {"kind": "stretch"},
        [
            StepDraft({"name": "Same", "duration": "soon"}),
            StepDraft({"name": "Same", "hold": "20s", "reps": "many"}, Timing.HOLD, ["no-such-picture.svg"]),
            StepDraft({"name": "Untimed"}),
        ],
    )
    errors = checker.check(draft).errors
    assert errors[(None, "title")] == ["is required"]
    assert "45s" in errors[(0, "duration")][0]  # the loader's own words, with its examples
    assert "whole number" in errors[(1, "reps")][0]
    assert "no-such-picture.svg" in errors[(1, "image")][0]
    assert "already named 'Same'" in errors[(1, "")][0]
    assert "needs 'duration'" in errors[(2, TIMING)][0]


def test_field_paths_map_to_form_fields() -> None:
    def problem(field: str, message: str = "x") -> Problem:
        return Problem("f.yaml", 3, 1, field, message)

    assert field_of(problem("title")) == (None, "title")
    assert field_of(problem("steps")) == (None, "steps")
    assert field_of(problem("")) == (None, "")
    assert field_of(problem("steps[4].hold")) == (4, "hold")
    assert field_of(problem("steps[2].images[1]")) == (2, "image")
    assert field_of(problem("cautions[1]")) == (None, "cautions")


def test_hold_fields_are_left_out_of_a_timed_block_and_kept_in_the_draft(checker: Checker) -> None:
    step = StepDraft({"name": "A", "duration": "30s", "hold": "10s", "reps": "3", "sides": "both"}, Timing.DURATION)
    draft = RoutineDraft({"title": "T", "kind": "rest"}, [step])
    assert "reps" not in to_yaml(draft)
    assert checker.check(draft).ok
    step.timing = Timing.HOLD
    checked = checker.check(draft)
    assert checked.routine is not None
    assert checked.routine.steps[0].holds == 6
    assert "duration" not in to_yaml(draft)


def test_timeline_lines_match_the_show_command(checker: Checker) -> None:
    draft = RoutineDraft(
        {"title": "T", "kind": "stretch", "get_ready": "5s"},
        [StepDraft({"name": "Knee", "hold": "20s", "reps": "2", "rest": "10s", "sides": "both"}, Timing.HOLD)],
    )
    routine = checker.check(draft).routine
    assert routine is not None
    lines = timeline_lines(routine)
    assert lines[1].split() == ["0:00", "0:05", "Get", "ready", "Knee"]
    assert "Knee · left · rep 1 of 2" in lines[2]
    assert lines[-1] == "Total 1:55 (1 min 55 s)"  # 5 s + 4 holds of 20 s + 3 rests of 10 s
    draft.routine_id = "knee"
    files.save(draft)
    out = io.StringIO()
    cmd_show(argparse.Namespace(routine="knee", json=False), out)
    assert out.getvalue().splitlines()[2:] == lines  # after the title and a blank line: the same rows


def test_duration_text() -> None:
    assert [duration_text(s) for s in (45, 90, 120, 3900, 2.5, 0)] == ["45s", "1m30s", "2m", "1h5m", "2.5s", "0s"]


def test_prescription_fields_round_trip_when_the_format_has_them(checker: Checker) -> None:
    if "prescribed_on" not in loader.ROUTINE_KEYS:
        pytest.skip("the routine format has no prescription fields yet")
    draft = RoutineDraft(
        {"title": "From my physio", "kind": "stretch", "prescribed_by": "Sam", "prescribed_on": "2026-11-30"},
        [StepDraft({"name": "A", "duration": "30s"})],
    )
    assert "prescribed_on: 2026-11-30" in to_yaml(draft)
    routine = checker.check(draft).routine
    assert routine is not None
    assert from_routine(routine).get("prescribed_on") == "2026-11-30"
    draft.values["review_on"] = "next week"
    assert (None, "review_on") in checker.check(draft).errors


# -- files -----------------------------------------------------------------------------------------------


def _saved(title: str = "Morning stretch") -> RoutineDraft:
    draft = new_routine()
    draft.values["title"] = title
    draft.routine_id = files.free_id(title, set())
    return draft


def test_saving_writes_a_valid_file_keeps_the_previous_version_and_the_schema() -> None:
    draft = _saved()
    result = files.save(draft)
    assert result.path == paths.user_routines_dir() / "morning-stretch.yaml"
    assert result.previous is None
    assert result.path.read_text().startswith(SCHEMA_LINE + "\n")
    assert (paths.user_routines_dir() / "routine.schema.json").exists()
    routine = loader.load_library().get("morning-stretch")
    assert routine is not None and routine.origin == Origin.USER
    first = result.path.read_text()

    draft.source = str(result.path)
    draft.steps[0].values["duration"] = "1m"
    again = files.save(draft)
    assert again.previous == result.path.with_name("morning-stretch.yaml~")
    assert again.previous.read_text() == first
    assert loader.load_library().get("morning-stretch").steps[0].duration == 60  # type: ignore[union-attr]
    reopened = files.open_user_routine(loader.load_library().get("morning-stretch"))  # type: ignore[arg-type]
    assert not reopened.rewrites  # the app wrote it: saving again loses nothing
    assert reopened.draft == draft


def test_a_file_the_app_wrote_opens_as_typed_and_is_not_called_hand_written() -> None:
    draft = _saved("Typed")
    draft.steps = [
        StepDraft({"name": "A", "hold": "0:20", "reps": "3", "rest": "90"}, Timing.HOLD, ["walk-1.svg", "walk-2.svg"])
    ]
    files.save(draft)
    routine = loader.load_routine(paths.user_routines_dir() / "typed.yaml", origin=Origin.USER)
    opened = files.open_user_routine(routine)
    assert opened.draft.steps[0].get("hold") == "0:20"  # as typed, not rewritten as 20s
    assert opened.draft.steps[0].images == ["walk-1.svg", "walk-2.svg"]
    assert not opened.rewrites


def test_a_hand_written_file_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("# my own notes\ntitle: Mine\nkind: rest\nsteps:\n  - {name: A, duration: 1:30}\n")
    routine = loader.load_routine(path, origin=Origin.USER, images=[])
    opened = files.open_user_routine(routine)
    assert opened.rewrites
    assert opened.draft.steps[0].get("duration") == "90"  # YAML 1.1 reads an unquoted 1:30 as 90 (seconds)
    assert opened.draft.source == str(path)


def test_free_ids_never_reuse_a_name() -> None:
    assert files.slug("Rücken & Hüfte!") == "rucken-hufte"
    assert files.slug("???") == "my-routine"
    files.save(_saved("Evening"))
    assert files.free_id("Evening", set()) == "evening-2"
    assert files.free_id("Desk break", {"desk-break"}) == "desk-break-2"


def test_delete_moves_the_file_aside_and_undo_puts_it_back() -> None:
    path = files.save(_saved()).path
    aside = files.delete(path)
    assert not path.exists() and aside.exists()
    assert loader.load_library().get("morning-stretch") is None  # the loader skips the file set aside
    files.undo_delete(aside, path)
    assert loader.load_library().get("morning-stretch") is not None
    with pytest.raises(files.EditorFileError):
        files.undo_delete(aside, path)  # nothing there any more: a calm error, not a traceback


def test_drafts_are_kept_read_back_and_removed() -> None:
    draft = _saved("Half done")
    draft.steps.append(StepDraft({"name": "Two", "hold": "10s"}, Timing.HOLD, ["childs-pose.svg"]))
    files.write_draft("abc", draft)
    kept = files.read_drafts()
    assert [k.key for k in kept] == ["abc"]
    assert kept[0].draft == draft
    files.remove_draft("abc")
    assert files.read_drafts() == []


def test_a_damaged_draft_is_set_aside_not_lost() -> None:
    folder = paths.drafts_dir()
    folder.mkdir(parents=True)
    (folder / "bad.json").write_text("{not json")
    assert files.read_drafts() == []
    assert [p.name.startswith("bad.json.unreadable-") for p in folder.iterdir()] == [True]
