"""Bundled files (illustrations, sounds, routines) found one way.

In an installed wheel, ``assets/`` and ``routines/`` are package data inside ``spasmcoach``; in a source
checkout they sit at the top of the repository. Every lookup of a file by name goes through
:func:`safe_child`, which refuses absolute names, ``..`` and symlinks that lead out of the folder.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path, PurePosixPath, PureWindowsPath

from .app_id import APP_ID

_PACKAGE = "spasmcoach"
_SOURCE_ROOT = Path(__file__).resolve().parents[2]


class UnsafePathError(ValueError):
    """A file reference tries to leave its folder."""


def bundled_dir(name: str) -> Path:
    """The bundled folder ``name`` ("assets" or "routines"): package data first, then the checkout."""
    packaged = resources.files(_PACKAGE) / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return _SOURCE_ROOT / name


def assets_dir() -> Path:
    return bundled_dir("assets")


def illustrations_dir() -> Path:
    return assets_dir() / "illustrations"


def sounds_dir() -> Path:
    return assets_dir() / "sounds"


def desktop_dir() -> Path:
    """The desktop entry, AppStream metainfo and MIME type definition, each named after the app id."""
    return assets_dir() / "desktop"


def icons_dir() -> Path:
    """A hicolor icon theme tree: ``hicolor/scalable/apps/<app id>.svg`` and PNGs at fixed sizes."""
    return assets_dir() / "icons"


def app_icon_path() -> Path:
    """The scalable application icon."""
    return icons_dir() / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def routines_dir() -> Path:
    return bundled_dir("routines")


def locale_dir() -> Path:
    """The compiled translations, ``<lang>/LC_MESSAGES/spasmcoach.mo``; they live inside the package itself."""
    packaged = resources.files(_PACKAGE) / "locale"
    return packaged if isinstance(packaged, Path) else Path(__file__).resolve().parents[1] / "locale"


def schema_path(name: str) -> Path:
    """A shipped JSON Schema. It sits beside the bundled routines, so the same relative ``$schema`` line
    in a routine file works in a source checkout and in the installed wheel."""
    return routines_dir() / name


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._ -]*")


def check_relative(ref: str) -> None:
    """Raise UnsafePathError unless ``ref`` is a plain relative name with no ``..`` part."""
    if _PLAIN_NAME.fullmatch(ref) and ref.strip() == ref:
        return  # the common case, a bare file name: nothing in it can leave the folder
    if not ref or ref.strip() != ref:
        raise UnsafePathError("must be a file name inside the asset folder")
    for flavour in (PurePosixPath(ref), PureWindowsPath(ref)):
        if flavour.is_absolute() or flavour.anchor or ".." in flavour.parts:
            raise UnsafePathError("must stay inside the asset folder (no absolute path, no '..')")


def safe_child(folder: Path, ref: str) -> Path:
    """``folder / ref``, guaranteed to stay inside ``folder`` even through symlinks."""
    check_relative(ref)
    candidate = folder / ref
    try:
        resolved = candidate.resolve()
        resolved.relative_to(folder.resolve())
    except (OSError, ValueError, RuntimeError):
        raise UnsafePathError("must stay inside the asset folder (the link leads outside it)") from None
    return candidate
