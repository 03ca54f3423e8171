"""Timer presets kept as checked JSON (``json_cache``), so a start-up with unchanged preset files does no YAML
work and never imports PyYAML.

Each preset file that loaded cleanly is kept under its path with its stamp; a file with mistakes is parsed
every time, so its messages are always fresh. Presets are kept as written: the bundled ones are translated
after reading, as when parsed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .. import paths
from ..json_cache import JsonCache, decode, encode, model_shape, settled, stamp
from ..yamlsource import RoutineFileError
from .presets import TimerPreset, load_all_presets, load_presets, preset_files, preset_folders

log = logging.getLogger(__name__)

__all__ = ["CACHE_NAME", "PresetCache", "load_all_presets_cached"]

CACHE_NAME = "presets.json"
MAX_CACHE_BYTES = 4 * 1024 * 1024  # a few presets per file: kilobytes


class PresetCache(JsonCache):
    """Presets by file path, each file checked against its stamp before its presets are used."""

    def __init__(self, path: Path | None = None) -> None:
        target = paths.cache_dir() / CACHE_NAME if path is None else path
        super().__init__(target, "timer preset cache", {"model": model_shape(TimerPreset)}, MAX_CACHE_BYTES)
        self.hits = 0

    def load(self, path: Path) -> list[TimerPreset]:
        """The presets in ``path``: from the cache when the file is as it was, else parsed (and kept)."""
        key = str(path)
        entry = self.entries.get(key)
        if entry is not None:
            try:
                if entry["file"] == stamp(path):
                    presets = [decode(TimerPreset, item) for item in entry["presets"]]
                    if all(p.path == path for p in presets):
                        self.hits += 1
                        return presets
            except Exception as exc:  # only a shortcut: whatever is wrong with it, parse the file instead
                log.info("preset cache entry for %s not usable: %s", path, exc)
        self.forget(key)
        presets = load_presets(path)  # RoutineFileError passes through, and nothing is kept
        file_stamp = stamp(path)
        if settled(file_stamp):
            try:
                self.keep(key, {"file": file_stamp, "presets": [encode(p) for p in presets]})
            except TypeError as exc:
                log.info("presets of %s not cached: %s", path, exc)
        return presets


def load_all_presets_cached(
    cache_path: Path | None = None,
) -> tuple[dict[str, TimerPreset], list[RoutineFileError]]:
    """``load_all_presets`` through the cache: the same presets and broken files, less YAML."""
    cache = PresetCache(cache_path)
    cache.read()
    found = load_all_presets(read=cache.load)
    cache.write(str(path) for folder in preset_folders() for path in preset_files(folder))
    return found
