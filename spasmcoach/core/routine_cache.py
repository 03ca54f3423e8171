"""A cache of parsed routines, so start-up reads JSON instead of parsing and checking YAML again.

Each routine file that loaded cleanly is kept as plain JSON under its path, with what it depended on: the
file's size and modification time (in nanoseconds), and every illustration it refers to (where it was found,
its size and modification time) together with the illustration folders' own modification times (a picture
added to the user's folder may hide a bundled one of the same name). The whole cache also names the app's
version and the shape of the routine model; a mismatch anywhere means the file is parsed again.

The cache is only ever a shortcut: JSON (never pickle: nothing from disk is executed), read bounded through
``storage.read_bytes``, written atomically, and a damaged or foreign cache is ignored and rebuilt. Files with
mistakes are not cached, so their messages are always fresh.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
import types
import typing
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from spasmcoach import __version__

from . import loader, paths
from .model import Origin, Routine, Step
from .storage import StorageError, read_bytes, write_bytes_atomic

log = logging.getLogger(__name__)

__all__ = ["CACHE_NAME", "RoutineCache", "load_library_cached"]

CACHE_NAME = "routines.json"
MAX_CACHE_BYTES = 64 * 1024 * 1024  # 1,000 routines take about 2 MB
CACHE_WHAT = "routine cache"
RACY_NS = 2_000_000_000  # a file changed less than 2 s ago is not cached yet


def _model_shape() -> str:
    """The routine model's field names and types: a change to the model makes every old entry unusable."""
    return ";".join(
        f"{cls.__name__}:" + ",".join(f"{f.name}={f.type}" for f in dataclasses.fields(cls)) for cls in (Routine, Step)
    )


def _encode(value: Any) -> Any:
    """A model value as JSON-ready data (enums by value, dates in ISO form, tuples as lists)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in the routine cache")


Convert = Callable[[Any], Any]
_CONVERTERS: dict[Any, Convert] = {}


def _plain(kind: type) -> Convert:
    def convert(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"{value!r} is not a {kind.__name__}")
        return value

    return convert


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{value!r} is not a number")
    return float(value)


def _optional(inner: Convert) -> Convert:
    return lambda value: None if value is None else inner(value)


def _tuple_of(inner: Convert) -> Convert:
    def convert(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise TypeError("expected a list")
        return tuple(inner(item) for item in value)

    return convert


def _dataclass(cls: type) -> Convert:
    hints = typing.get_type_hints(cls)
    fields = [(f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls) if f.init]

    def convert(data: Any) -> Any:
        if not isinstance(data, dict):
            raise TypeError("expected an object")
        return cls(**{name: convert_field(data[name]) for name, convert_field in fields})

    return convert


def _converter(hint: Any) -> Convert:
    """A function reading a cached value back as the type ``hint`` names (TypeError/ValueError if it does not fit).

    Made once per type: reading 1,000 routines calls them 100,000 times."""
    found = _CONVERTERS.get(hint)
    if found is not None:
        return found
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    convert: Convert
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        convert = _optional(_converter(next(a for a in args if a is not type(None))))
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        convert = _tuple_of(_converter(args[0]))
    elif isinstance(hint, type) and issubclass(hint, Enum):
        convert = hint
    elif hint is date:
        convert = date.fromisoformat
    elif hint is Path:
        convert = Path
    elif hint is float:
        convert = _number
    elif hint in (str, int, bool):
        convert = _plain(hint)
    elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
        convert = _dataclass(hint)
    else:
        raise TypeError(f"the routine cache cannot read {hint}")
    _CONVERTERS[hint] = convert
    return convert


def _build(cls: type, data: Any) -> Any:
    """A model dataclass from its cached fields (every field must be there)."""
    return _converter(cls)(data)


def _stamp(path: Path) -> list[int] | None:
    """[size, mtime_ns, inode] of a file or folder, or None if it cannot be seen (an atomic save changes the inode)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _settled(stamp: list[int] | None) -> bool:
    """Changed long enough ago that a later change must show in its stamp (file times tick coarsely, so a file
    saved twice within a few milliseconds may keep its time: such a fresh file is parsed again next time)."""
    return stamp is not None and time.time_ns() - stamp[1] > RACY_NS


class RoutineCache:
    """Routines by file path, checked against the file and its pictures before use."""

    def __init__(self, path: Path | None = None, image_dirs: Iterable[Path] | None = None) -> None:
        self.path = paths.cache_dir() / CACHE_NAME if path is None else path
        self.finder = loader.ImageFinder(loader.image_dirs() if image_dirs is None else list(image_dirs))
        self._dirs = [str(d) for d in self.finder.dirs]
        self.header = {"version": __version__, "model": _model_shape(), "dirs": [_stamp(d) for d in self.finder.dirs]}
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        self.hits = 0
        self._seen: dict[str, list[Any]] = {}

    def read(self) -> None:
        """Take the cache file's entries if it was written by this version for these folders; else start empty."""
        try:
            document = json.loads(read_bytes(self.path, MAX_CACHE_BYTES, CACHE_WHAT))
        except (StorageError, ValueError) as exc:
            if getattr(exc, "errno", None) is not None or isinstance(exc, ValueError):
                log.info("routine cache not used (%s); it will be rebuilt", exc)
            self.changed = True
            return
        if (
            not isinstance(document, dict)
            or document.get("header") != {**self.header, "image_dirs": self._dirs}
            or not isinstance(document.get("routines"), dict)
        ):
            self.changed = True
            return
        self.entries = document["routines"]

    def load(self, path: Path, origin: Origin, finder: loader.ImageFinder) -> Routine:
        """The routine in ``path``: from the cache when nothing it depends on changed, else parsed and kept."""
        key = str(path)
        entry = self.entries.get(key)
        if entry is not None:
            routine = self._valid(entry, path, origin)
            if routine is not None:
                self.hits += 1
                return routine
        self.entries.pop(key, None)
        self.changed = True
        routine = loader.load_routine(path, origin=origin, images=finder)  # RoutineFileError passes through
        stamp = _stamp(path)
        try:
            pictures = self._pictures(routine)
            if _settled(stamp) and all(_settled(known[1]) for known in pictures.values() if known[1] is not None):
                self.entries[key] = {"file": stamp, "images": pictures, "routine": _encode(routine)}
        except Exception as exc:  # a value the cache cannot hold (or a model it cannot read): the routine is not kept
            log.info("routine %s not cached: %s", path, exc)
        return routine

    def _picture(self, name: str) -> list[Any]:
        """[where the illustration ``name`` is found, its [size, mtime_ns]]; looked up once per load."""
        known = self._seen.get(name)
        if known is None:
            picture = self.finder.find(name)
            known = self._seen[name] = [str(picture) if picture else None, _stamp(picture) if picture else None]
        return known

    def _pictures(self, routine: Routine) -> dict[str, list[Any]]:
        """Each illustration name of the routine: where it was found and that file's size and mtime."""
        return {name: self._picture(name) for step in routine.steps for name in step.images}

    def _valid(self, entry: Any, path: Path, origin: Origin) -> Routine | None:
        """The cached routine if its file and every picture are as they were; else None."""
        try:
            if entry["file"] != _stamp(path):
                return None
            for name, known in entry["images"].items():
                if self._picture(name) != known:
                    return None
            routine: Routine = _build(Routine, entry["routine"])
        except Exception as exc:  # the cache is only a shortcut: whatever is wrong with it, parse the file instead
            log.info("routine cache entry for %s not usable: %s", path, exc)
            return None
        if routine.path != path or routine.origin != origin:
            return None
        return routine

    def write(self, keep: Iterable[str]) -> None:
        """Save the entries of the files still on the routine path (atomically), if anything changed."""
        wanted = set(keep)
        if set(self.entries) - wanted:
            self.entries = {k: v for k, v in self.entries.items() if k in wanted}
            self.changed = True
        if not self.changed:
            return
        document = {"header": {**self.header, "image_dirs": self._dirs}, "routines": self.entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(self.path, json.dumps(document, separators=(",", ":")).encode("utf-8"), CACHE_WHAT)
        except (StorageError, OSError) as exc:  # a cache that cannot be saved costs time, never the routines
            log.info("routine cache not saved: %s", exc)
        self.changed = False


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
