"""The routine cache: the same library as parsing, no YAML work when nothing changed, and never trusted blindly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from file_times import settle

from spasmcoach.core import loader, paths, routine_cache
from spasmcoach.core.routine_cache import RoutineCache, load_library_cached

ROUTINE = """\
title: My own stretch
kind: stretch
summary: A short one.
cautions: [Stop if it hurts more.]
steps:
  - name: Knee hug
    instructions: Hug one knee.
    image: {image}
    hold: 20s
    reps: 2
    rest: 5s
    sides: both
  - name: Breathe
    duration: 30s
"""


def write_routine(name: str = "mine", image: str = "knee-to-chest.svg", extra: str = "") -> Path:
    folder = paths.user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(ROUTINE.format(image=image) + extra)
    settle(path)
    return path


def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any YAML parse fail the test."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a routine file was parsed although the cache had it")

    monkeypatch.setattr(loader, "load_routine", refuse)


def test_the_cached_library_is_the_parsed_one_and_the_second_load_parses_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_routine()
    parsed = loader.load_library()
    first = load_library_cached()
    assert first.routines == parsed.routines
    assert (paths.cache_dir() / routine_cache.CACHE_NAME).is_file()
    no_yaml(monkeypatch)
    second = load_library_cached()
    assert second.routines == parsed.routines  # every field, steps, enums and paths included
    assert second.get("mine") is not None and second.get("mine").origin is loader.Origin.USER  # type: ignore[union-attr]


def test_a_changed_file_is_parsed_again() -> None:
    path = write_routine()
    load_library_cached()
    path.write_text(path.read_text().replace("My own stretch", "My changed stretch"))
    settle(path, seconds_ago=30)
    assert load_library_cached().routines["mine"].title == "My changed stretch"


def test_a_file_with_mistakes_is_reported_every_time_and_never_cached() -> None:
    write_routine("broken", extra="  - name: Breathe\n    duration: 30s\n")  # a second step of the same name
    for _ in range(2):
        library = load_library_cached()
        assert "broken" not in library.routines
        assert [str(e) for e in library.errors] == [str(e) for e in loader.load_library().errors]
        assert library.errors and "already named" in str(library.errors[0])


def test_a_damaged_or_foreign_cache_is_ignored_and_rebuilt(monkeypatch: pytest.MonkeyPatch) -> None:
    write_routine()
    cache_file = paths.cache_dir() / routine_cache.CACHE_NAME
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    expected = loader.load_library().routines
    for damage in (b"\x00not json", b"[]", b'{"header": {"version": "0"}, "routines": {}}'):
        cache_file.write_bytes(damage)
        assert load_library_cached().routines == expected
        assert cache_file.read_bytes() != damage  # rebuilt
    # a cache entry whose routine data is wrong is parsed again rather than believed
    text = cache_file.read_text().replace('"title":"My own stretch"', '"title":12')
    cache_file.write_text(text)
    assert load_library_cached().routines == expected


def test_a_fifo_in_place_of_the_cache_does_not_hang() -> None:
    write_routine()
    cache_file = paths.cache_dir() / routine_cache.CACHE_NAME
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(cache_file)
    assert "mine" in load_library_cached().routines  # read_bytes refuses FIFOs; writing replaces it atomically


def test_a_changed_picture_makes_the_routine_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    pictures = paths.data_dir() / "illustrations"
    pictures.mkdir(parents=True, exist_ok=True)
    own = pictures / "own.svg"
    own.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>')
    settle(own)
    write_routine(image="own.svg")
    load_library_cached()
    own.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><!DOCTYPE x><rect/></svg>')
    settle(own, seconds_ago=30)
    library = load_library_cached()  # the picture is now refused: the routine must not come from the cache
    assert "mine" not in library.routines
    assert library.errors and "own.svg" in str(library.errors[0])


def test_unreadable_cache_folder_still_loads(tmp_path: Path) -> None:
    write_routine()
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    cache = RoutineCache(blocked / "routines.json")
    library = loader.load_library(read=cache.load)
    cache.write([str(r.path) for r in library.routines.values()])  # cannot be saved: said in the log, no error
    assert "mine" in library.routines


def test_a_file_saved_just_now_is_not_cached_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    """File times tick coarsely: a file saved twice within one tick, at the same size, keeps its stamp."""
    path = write_routine()
    path.write_text(path.read_text())  # changed this very moment
    load_library_cached()
    cache = RoutineCache()
    cache.read()
    assert str(path) not in cache.entries
    settle(path)
    load_library_cached()
    cache.read()
    assert str(path) in cache.entries


@pytest.mark.slow
def test_a_start_up_answered_by_the_cache_never_imports_yaml() -> None:
    """PyYAML (about 18 ms and 2 MiB) is imported only when a file is really parsed."""
    write_routine()
    load_library_cached()  # warms the cache for the bundled routines and the user's own
    script = (
        "import sys\n"
        "from spasmcoach.core import routine_cache\n"
        "library = routine_cache.load_library_cached()\n"
        "print(sorted(library.routines).count('mine'), 'yaml' in sys.modules)\n"
    )
    # -P: the same installed package as this process, never a checkout found through the working folder
    # (its bundled routines would be other files, parsed afresh)
    command = [sys.executable, "-P", "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["1", "False"], done.stderr
    path = write_routine(extra="note: changed\n")  # a changed file is parsed again, importing PyYAML then
    settle(path, seconds_ago=30)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split()[1] == "True", done.stderr
