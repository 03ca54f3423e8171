"""Positions: read from routines and steps, the "where I am now" filter, and the careful words for moving."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from spasmcoach.core import loader, positions
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.cues import spoken_texts
from spasmcoach.core.model import Position, Routine, RoutineKind, Step
from spasmcoach.core.runner import RunnerState
from spasmcoach.core.session import GuidedSession
from spasmcoach.core.yamlsource import RoutineFileError

MIXED = """
title: Floor then up
kind: stretch
position: floor
get_ready: 5
steps:
  - name: Knee hug
    hold: 10
  - name: Calf stretch
    position: standing
    hold: 10
  - name: Back down
    duration: 30
"""


def load(tmp_path: Path, text: str) -> Routine:
    path = tmp_path / "mixed.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return loader.load_routine(path, images=[tmp_path])


def test_a_routines_position_is_the_default_of_its_steps(tmp_path: Path) -> None:
    routine = load(tmp_path, MIXED)
    assert routine.position is Position.FLOOR
    assert [routine.step_position(s) for s in routine.steps] == [Position.FLOOR, Position.STANDING, Position.FLOOR]
    assert routine.positions() == {Position.FLOOR, Position.STANDING}


def test_a_wrong_position_is_named_with_its_line_and_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(RoutineFileError) as info:
        load(tmp_path, MIXED.replace("position: standing", "position: stand"))
    [problem] = info.value.problems
    assert (problem.line, problem.field) == (9, "steps[1].position")
    assert "floor, bed, chair, standing" in problem.message and "did you mean 'standing'" in problem.message


def test_where_i_am_now_keeps_only_routines_done_entirely_there(tmp_path: Path) -> None:
    mixed = load(tmp_path, MIXED)
    floor = Routine("f", "Floor", RoutineKind.REST, (Step("A", duration=5),), position=Position.FLOOR)
    unsaid = Routine("u", "Unsaid", RoutineKind.REST, (Step("A", duration=5),))
    assert floor.fits(Position.FLOOR) and not floor.fits(Position.BED)
    assert not mixed.fits(Position.FLOOR) and not mixed.fits(Position.STANDING)
    assert all(r.fits(None) for r in (mixed, floor, unsaid))
    assert not unsaid.fits(Position.CHAIR), "a routine that does not say may ask for anything"


def test_a_change_of_position_says_how_to_move_carefully(tmp_path: Path) -> None:
    routine = load(tmp_path, MIXED)
    moves = positions.moves(routine)
    assert moves[0] is None, "the first step has nothing to move from"
    assert moves[1] is not None and "roll onto your side first" in moves[1]
    assert moves[2] is not None and moves[2].startswith("Lower yourself down carefully")
    assert positions.move_words(Position.FLOOR, Position.CHAIR) == (
        "Now sit up slowly: roll onto your side first, then push yourself up with your arms."
    )
    assert positions.move_words(Position.BED, Position.BED) is None


def test_every_change_between_two_positions_has_words() -> None:
    for before in Position:
        for after in Position:
            assert (positions.move_words(before, after) is None) == (before is after), (before, after)


def test_a_run_shows_says_and_gives_time_for_the_move(tmp_path: Path) -> None:
    routine = load(tmp_path, MIXED)
    run = positions.with_moves(routine)
    calf = run.steps[1]
    assert calf.instructions.startswith("Now get up slowly") and calf.move
    assert run.step_get_ready(calf) == positions.MOVE_SECONDS and run.step_get_ready(run.steps[0]) == 5
    assert routine.steps[1].instructions == "", "the routine itself is unchanged"
    said = spoken_texts(run.timeline())
    assert f"Next: Calf stretch. {calf.move}" in said
    assert any(text.startswith("Next: Back down. Lower yourself down carefully") for text in said)
    assert "Next: Knee hug." in said


def test_with_instructions_read_out_the_move_is_said_once(tmp_path: Path) -> None:
    run = positions.with_moves(load(tmp_path, MIXED))
    said = spoken_texts(run.timeline(), read_instructions=True)
    assert sum(text.count("Now get up slowly") for text in said) == 1
    assert "Next: Calf stretch." in said


def test_a_guided_session_plays_the_moves(tmp_path: Path) -> None:
    clock = FakeClock()
    session = GuidedSession(load(tmp_path, MIXED), clock, journal=None)
    session.start(pain_before=None)
    assert session.runner.state is RunnerState.GET_READY
    calf = session.routine.steps[1]
    assert calf.move and session.runner.timeline.step_start(1) == 5 + 10
    assert session.runner.timeline.step_start(2) - session.runner.timeline.step_start(1) == 15 + 10


def test_every_bundled_routine_says_where_it_is_done() -> None:
    library = loader.load_library()
    for routine in library.routines.values():
        assert all(routine.step_position(step) is not None for step in routine.steps), routine.id


def test_bundled_moves_do_not_repeat_the_older_getting_up_words() -> None:
    """The careful-moving words once written into the instructions are said by the move now, not twice."""
    library = loader.load_library()
    for routine in library.routines.values():
        run = positions.with_moves(routine)
        for step in run.steps:
            if step.move:
                rest = step.instructions.removeprefix(step.move)
                assert "To get up" not in rest and "To get down" not in rest, (routine.id, step.name)
