"""Parsed files kept as checked JSON, so start-up reads JSON instead of parsing YAML again.

Each entry is kept under its file's path with the file's stamp (size, modification time in nanoseconds,
inode); the whole cache names the app's version and the shape of the model it holds, and a mismatch anywhere
means the file is parsed again. JSON only (never pickle: nothing from disk is executed), read bounded through
``storage.read_bytes``, written atomically; a damaged or foreign cache is ignored and rebuilt, and one that
cannot be saved costs time, never data. The routine cache (``routine_cache``) and the timer preset cache
(``timers/preset_cache``) are made of this.
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

from .storage import StorageError, read_bytes, write_bytes_atomic

log = logging.getLogger(__name__)

__all__ = ["JsonCache", "decode", "encode", "model_shape", "settled", "stamp"]

RACY_NS = 2_000_000_000  # a file changed less than 2 s ago is not cached yet


def model_shape(*classes: type) -> str:
    """The models' field names and types: a change to a model makes every old entry unusable."""
    return ";".join(
        f"{cls.__name__}:" + ",".join(f"{f.name}={f.type}" for f in dataclasses.fields(cls)) for cls in classes
    )


def encode(value: Any) -> Any:
    """A model value as JSON-ready data (enums by value, dates in ISO form, tuples as lists)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in a cache")


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
        raise TypeError(f"a cache cannot read {hint}")
    _CONVERTERS[hint] = convert
    return convert


def decode(cls: type, data: Any) -> Any:
    """A model dataclass from its cached fields (every field must be there); TypeError/ValueError if they do not fit."""
    return _converter(cls)(data)


def stamp(path: Path) -> list[int] | None:
    """[size, mtime_ns, inode] of a file or folder, or None if it cannot be seen (an atomic save changes the inode)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def settled(stamp: list[int] | None) -> bool:
    """Changed long enough ago that a later change must show in its stamp (file times tick coarsely, so a file
    saved twice within a few milliseconds may keep its time: such a fresh file is parsed again next time)."""
    return stamp is not None and time.time_ns() - stamp[1] > RACY_NS


class JsonCache:
    """Entries by file path in one JSON file, used only if written by this version for the same ``header``."""

    def __init__(self, path: Path, what: str, header: dict[str, Any], limit: int) -> None:
        self.path = path
        self.what = what  # names the cache in messages ("routine cache")
        self.header = {"version": __version__, **header}
        self.limit = limit
        self.entries: dict[str, Any] = {}
        self.changed = False

    def read(self) -> None:
        """Take the cache file's entries if its header matches; else start empty."""
        try:
            document = json.loads(read_bytes(self.path, self.limit, self.what))
        except (StorageError, ValueError) as exc:
            if getattr(exc, "errno", None) is not None or isinstance(exc, ValueError):
                log.info("%s not used (%s); it will be rebuilt", self.what, exc)
            self.changed = True
            return
        if (
            not isinstance(document, dict)
            or document.get("header") != self.header
            or not isinstance(document.get("entries"), dict)
        ):
            self.changed = True
            return
        self.entries = document["entries"]

    def keep(self, key: str, entry: dict[str, Any]) -> None:
        self.entries[key] = entry
        self.changed = True

    def forget(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self.changed = True

    def write(self, keep: Iterable[str]) -> None:
        """Save the entries of the files in ``keep`` (atomically), if anything changed."""
        wanted = set(keep)
        if set(self.entries) - wanted:
            self.entries = {k: v for k, v in self.entries.items() if k in wanted}
            self.changed = True
        if not self.changed:
            return
        document = {"header": self.header, "entries": self.entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(self.path, json.dumps(document, separators=(",", ":")).encode("utf-8"), self.what)
        except (StorageError, OSError) as exc:  # a cache that cannot be saved costs time, never the data
            log.info("%s not saved: %s", self.what, exc)
        self.changed = False
