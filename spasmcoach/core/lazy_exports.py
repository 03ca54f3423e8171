"""A package's public names imported from their modules on first use (a module ``__getattr__``, PEP 562).

A package that re-exports its modules' names would otherwise import every module as soon as any one of them is
imported (Python runs the package's ``__init__`` first), which start-up pays for modules it does not need yet.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Collection


def lazy_exports(package: str, modules: tuple[str, ...], names: Collection[str]) -> Callable[[str], object]:
    """The ``__getattr__`` for ``package``: each of ``names`` is looked up in ``modules`` when first asked for,
    then kept in the package so the lookup happens once. ``modules`` are imported in order until the name is
    found, so the ones start-up needs come first."""

    def __getattr__(name: str) -> object:
        if name in names:
            for module_name in modules:
                found = vars(importlib.import_module(f"{package}.{module_name}"))
                if name in found:
                    vars(sys.modules[package])[name] = found[name]
                    return found[name]
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
