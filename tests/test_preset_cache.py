"""The timer preset cache: the same presets as parsing, no YAML work when nothing changed, never trusted blindly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from file_times import settle

from spasmcoach.core import i18n, paths
from spasmcoach.core.timers import load_all_presets, preset_cache
from spasmcoach.core.timers.preset_cache import PresetCache, load_all_presets_cached

MINE = """\
presets:
  - id: mine
    title: My heat, 15 minutes
    therapy: heat
    on: 15 min
"""


def write_presets(text: str = MINE, name: str = "timers.yaml") -> Path:
    folder = paths.user_routines_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    settle(path)
    return path


def no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path) -> None:
        raise AssertionError(f"{path} was parsed although the cache had it")

    monkeypatch.setattr(preset_cache, "load_presets", refuse)


def test_the_second_load_gives_the_parsed_presets_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    write_presets()
    parsed, errors = load_all_presets()
    assert load_all_presets_cached() == (parsed, errors)
    assert (paths.cache_dir() / preset_cache.CACHE_NAME).is_file()
    no_parse(monkeypatch)
    cached, cached_errors = load_all_presets_cached()
    assert cached == parsed and cached_errors == []
    assert cached["mine"].path == parsed["mine"].path and "ice-20" in cached  # the user's and the bundled ones


def test_a_changed_file_is_parsed_again_and_a_broken_one_every_time() -> None:
    path = write_presets()
    load_all_presets_cached()
    write_presets(MINE.replace("15 minutes", "25 minutes").replace("15 min", "25 min"))
    presets, _errors = load_all_presets_cached()
    assert presets["mine"].title == "My heat, 25 minutes" and presets["mine"].on == 25 * 60
    path.write_text(MINE.replace("therapy: heat", "therapy: lava"), encoding="utf-8")
    settle(path)
    for _ in range(2):  # its mistakes are reported on every start, never hidden by the cache
        presets, errors = load_all_presets_cached()
        assert "mine" not in presets and [Path(e.file).name for e in errors] == ["timers.yaml"]


@pytest.mark.parametrize("damage", [b"{not json", b'{"header": {}, "entries": []}', b"\xff" * 10, "fifo"])
def test_a_damaged_cache_is_ignored_and_rebuilt(damage: bytes | str) -> None:
    write_presets()
    expected = load_all_presets()
    cache_file = paths.cache_dir() / preset_cache.CACHE_NAME
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    if damage == "fifo":
        os.mkfifo(cache_file)  # never waited on
    else:
        cache_file.write_bytes(damage)  # type: ignore[arg-type]
    assert load_all_presets_cached() == expected


def test_an_entry_that_does_not_fit_the_model_is_parsed_instead() -> None:
    path = write_presets()
    cache = PresetCache()
    cache.read()
    cache.load(path)
    cache.entries[str(path)]["presets"][0]["therapy"] = "lava"
    cache.write([str(path)])
    fresh = PresetCache()
    fresh.read()
    assert fresh.load(path)[0].title == "My heat, 15 minutes" and fresh.hits == 0


def test_bundled_presets_from_the_cache_speak_the_chosen_language(monkeypatch: pytest.MonkeyPatch) -> None:
    load_all_presets_cached()  # kept as written (English)
    i18n.use(i18n.load_translation("de"), "de")
    no_parse(monkeypatch)
    cached, _errors = load_all_presets_cached()
    monkeypatch.undo()
    parsed, _errors = load_all_presets()
    assert cached["ice-20"].title == parsed["ice-20"].title != "Ice pack, 20 minutes"
