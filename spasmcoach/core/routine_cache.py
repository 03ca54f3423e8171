"""A cache of parsed routines, so start-up reads JSON instead of parsing and checking YAML again.

Each routine file that loaded cleanly is kept as plain JSON under its path, with what it depended on: the
file's size and modification time (in nanoseconds), and every illustration it refers to (where it was found,
its size and modification time) together with the illustration folders' own modification times (a picture
added to the user's folder may hide a bundled one of the same name). The whole cache also names the app's
version and the shape of the routine model; a mismatch anywhere means the file is parsed again.

The cache is only ever a shortcut (``json_cache``: checked JSON, written atomically, a damaged or foreign
cache rebuilt). Files with mistakes are not cached, so their messages are always fresh.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import loader, paths
from .json_cache import JsonCache, decode, encode, model_shape, settled, stamp
from .model import Origin, Routine, Step

log = logging.getLogger(__name__)

__all__ = ["CACHE_NAME", "RoutineCache", "load_library_cached"]

CACHE_NAME = "routines.json"
MAX_CACHE_BYTES = 64 * 1024 * 1024  # 1,000 routines take about 2 MB
CACHE_WHAT = "routine cache"


class RoutineCache(JsonCache):
    """Routines by file path, checked against the file and its pictures before use."""

    def __init__(self, path: Path | None = None, image_dirs: Iterable[Path] | None = None) -> None:
        self.finder = loader.ImageFinder(loader.image_dirs() if image_dirs is None else list(image_dirs))
        header = {
            "model": model_shape(Routine, Step),
            "dirs": [stamp(d) for d in self.finder.dirs],
            "image_dirs": [str(d) for d in self.finder.dirs],
        }
        super().__init__(paths.cache_dir() / CACHE_NAME if path is None else path, CACHE_WHAT, header, MAX_CACHE_BYTES)
        self.hits = 0
        self._seen: dict[str, list[Any]] = {}

    def load(self, path: Path, origin: Origin, finder: loader.ImageFinder) -> Routine:
        """The routine in ``path``: from the cache when nothing it depends on changed, else parsed and kept."""
        key = str(path)
        entry = self.entries.get(key)
        if entry is not None:
            routine = self._valid(entry, path, origin)
            if routine is not None:
                self.hits += 1
                return routine
        self.forget(key)
        self.changed = True
        routine = loader.load_routine(path, origin=origin, images=finder)  # RoutineFileError passes through
        file_stamp = stamp(path)
        try:
            pictures = self._pictures(routine)
            if settled(file_stamp) and all(settled(known[1]) for known in pictures.values() if known[1] is not None):
                self.keep(key, {"file": file_stamp, "images": pictures, "routine": encode(routine)})
        except Exception as exc:  # a value the cache cannot hold (or a model it cannot read): the routine is not kept
            log.info("routine %s not cached: %s", path, exc)
        return routine

    def _picture(self, name: str) -> list[Any]:
        """[where the illustration ``name`` is found, its [size, mtime_ns]]; looked up once per load."""
        known = self._seen.get(name)
        if known is None:
            picture = self.finder.find(name)
            known = self._seen[name] = [str(picture) if picture else None, stamp(picture) if picture else None]
        return known

    def _pictures(self, routine: Routine) -> dict[str, list[Any]]:
        """Each illustration name of the routine: where it was found and that file's size and mtime."""
        return {name: self._picture(name) for step in routine.steps for name in step.images}

    def _valid(self, entry: Any, path: Path, origin: Origin) -> Routine | None:
        """The cached routine if its file and every picture are as they were; else None."""
        try:
            if entry["file"] != stamp(path):
                return None
            for name, known in entry["images"].items():
                if self._picture(name) != known:
                    return None
            routine: Routine = decode(Routine, entry["routine"])
        except Exception as exc:  # the cache is only a shortcut: whatever is wrong with it, parse the file instead
            log.info("routine cache entry for %s not usable: %s", path, exc)
            return None
        if routine.path != path or routine.origin != origin:
            return None
        return routine

def load_library_cached(
    folders: Iterable[tuple[Path, Origin]] | None = None, cache_path: Path | None = None
) -> loader.Library:
    """``loader.load_library`` through the cache: the same routines, errors and shadowed files, less YAML."""
    cache = RoutineCache(cache_path)
    cache.read()
    library = loader.load_library(folders, read=cache.load)
    seen = [str(r.path) for r in library.routines.values() if r.path is not None]
    cache.write(seen + [str(p) for p in library.shadowed])
    return library
