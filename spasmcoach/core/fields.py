"""Typed readers for YAML values that report mistakes with their position instead of raising.

Shared by the routine loader and the timer-preset loader so both speak the same error language.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from enum import StrEnum
from typing import TypeVar

import yaml

from .durations import DurationError, parse_duration
from .model import MAX_PHASE_SECONDS
from .yamlsource import Problems, describe, join, mapping_items, scalar, unknown_key_message

E = TypeVar("E", bound=StrEnum)

MAX_TEXT = 4000


class FieldReader:
    """Reads one file's fields into Python values, adding a Problem (and returning None) on a mistake."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def fields(
        self, node: yaml.Node, field: str, allowed: set[str], required: frozenset[str] = frozenset()
    ) -> dict[str, yaml.Node] | None:
        """The entries of a mapping node, with unknown and missing keys reported."""
        if not isinstance(node, yaml.MappingNode):
            what = field or "the file"
            self.problems.add(node, field, f"{what} must be a mapping of keys to values, got {describe(node)}")
            return None
        found: dict[str, yaml.Node] = {}
        for key, key_node, value_node in mapping_items(node, field, self.problems):
            if key not in allowed:
                self.problems.add(key_node, join(field, key), unknown_key_message(key, allowed))
                continue
            found[key] = value_node
        for key in sorted(required - found.keys()):
            self.problems.add(node, join(field, key), "is required")
        return found

    def items(self, node: yaml.Node, field: str, *, allow_empty: bool = False) -> Iterator[tuple[int, yaml.Node]]:
        """(index, node) for each entry of a list node."""
        if not isinstance(node, yaml.SequenceNode):
            self.problems.add(node, field, f"must be a list, got {describe(node)}")
            return
        if not node.value and not allow_empty:
            self.problems.add(node, field, "must not be empty")
        yield from enumerate(node.value)

    def text(self, node: yaml.Node, field: str, *, allow_empty: bool = False) -> str | None:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str):
            self.problems.add(node, field, f"must be text, got {describe(node)}")
            return None
        value = " ".join(value.split()) if "\n" not in value.strip() else value.strip()
        if not value and not allow_empty:
            self.problems.add(node, field, "must not be empty")
            return None
        if len(value) > MAX_TEXT:
            self.problems.add(node, field, f"is longer than {MAX_TEXT} characters")
            return None
        return value

    def text_list(self, node: yaml.Node, field: str) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        if isinstance(node, yaml.ScalarNode):
            one = self.text(node, field)
            return (one,) if one else ()
        texts = [self.text(item, join(field, i)) for i, item in self.items(node, field, allow_empty=True)]
        return tuple(t for t in texts if t)

    def choice(self, node: yaml.Node, field: str, enum: type[E]) -> E | None:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        options = [member.value for member in enum]
        if isinstance(value, str) and value in options:
            return enum(value)
        hint = difflib.get_close_matches(value, options, n=1) if isinstance(value, str) else []
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        self.problems.add(node, field, f"must be one of {', '.join(options)}, got {describe(node)}{suggestion}")
        return None

    def duration(
        self, node: yaml.Node, field: str, *, allow_zero: bool = False, limit: float = MAX_PHASE_SECONDS
    ) -> float | None:
        """Seconds; positive (or zero when allowed) and at most ``limit``."""
        kind = "a duration of zero or more" if allow_zero else "a positive duration"
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        try:
            seconds = parse_duration(value)
        except DurationError:
            self.problems.add(node, field, f"must be {kind} such as 30, 45s, 1m30s or 1:30, got {describe(node)}")
            return None
        if seconds < 0 or (seconds == 0 and not allow_zero):
            self.problems.add(node, field, f"must be {kind}, got {describe(node)}")
            return None
        if seconds > limit:
            self.problems.add(node, field, f"is {seconds:g} s; at most {limit:g} s ({limit / 3600:g} h) is allowed")
            return None
        return seconds

    def integer(self, node: yaml.Node, field: str, low: int, high: int) -> int | None:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problems.add(node, field, f"must be a whole number from {low} to {high}, got {describe(node)}")
            return None
        return value
