"""Typed readers for YAML values that report mistakes with their position instead of raising.

Shared by the routine loader and the timer-preset loader so both speak the same error language.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from .durations import DurationError, parse_duration
from .i18n import _
from .model import MAX_PHASE_SECONDS
from .yamlsource import Problems, describe, join, mapping_items, scalar, unknown_key_message

if TYPE_CHECKING:  # imported where a node is checked, so loading from the routine cache never imports PyYAML
    import yaml

E = TypeVar("E", bound=StrEnum)

MAX_TEXT = 4000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _scalar_or_none(node: yaml.Node) -> object:
    """The value of a scalar node; None for a list or mapping."""
    import yaml  # already loaded by whoever parsed the node; a cached start-up never gets here

    return scalar(node) if isinstance(node, yaml.ScalarNode) else None


class FieldReader:
    """Reads one file's fields into Python values, adding a Problem (and returning None) on a mistake."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def fields(
        self, node: yaml.Node, field: str, allowed: set[str], required: frozenset[str] = frozenset()
    ) -> dict[str, yaml.Node] | None:
        """The entries of a mapping node, with unknown and missing keys reported."""
        import yaml  # already loaded by whoever parsed the node; a cached start-up never gets here

        if not isinstance(node, yaml.MappingNode):
            what = field or _("the file")
            self.problems.add(
                node,
                field,
                _("{what} must be a mapping of keys to values, got {found}").format(what=what, found=describe(node)),
            )
            return None
        found: dict[str, yaml.Node] = {}
        for key, key_node, value_node in mapping_items(node, field, self.problems):
            if key not in allowed:
                self.problems.add(key_node, join(field, key), unknown_key_message(key, allowed))
                continue
            found[key] = value_node
        for key in sorted(required - found.keys()):
            self.problems.add(node, join(field, key), _("is required"))
        return found

    def items(self, node: yaml.Node, field: str, *, allow_empty: bool = False) -> Iterator[tuple[int, yaml.Node]]:
        """(index, node) for each entry of a list node."""
        import yaml  # already loaded by whoever parsed the node; a cached start-up never gets here

        if not isinstance(node, yaml.SequenceNode):
            self.problems.add(node, field, _("must be a list, got {found}").format(found=describe(node)))
            return
        if not node.value and not allow_empty:
            self.problems.add(node, field, _("must not be empty"))
        yield from enumerate(node.value)

    def text(self, node: yaml.Node, field: str, *, allow_empty: bool = False) -> str | None:
        value = _scalar_or_none(node)
        if not isinstance(value, str):
            self.problems.add(node, field, _("must be text, got {found}").format(found=describe(node)))
            return None
        value = " ".join(value.split()) if "\n" not in value.strip() else value.strip()
        if not value and not allow_empty:
            self.problems.add(node, field, _("must not be empty"))
            return None
        if len(value) > MAX_TEXT:
            self.problems.add(node, field, _("is longer than {limit} characters").format(limit=MAX_TEXT))
            return None
        return value

    def text_list(self, node: yaml.Node, field: str) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        import yaml  # already loaded by whoever parsed the node; a cached start-up never gets here

        if isinstance(node, yaml.ScalarNode):
            one = self.text(node, field)
            return (one,) if one else ()
        texts = [self.text(item, join(field, i)) for i, item in self.items(node, field, allow_empty=True)]
        return tuple(t for t in texts if t)

    def choice(self, node: yaml.Node, field: str, enum: type[E]) -> E | None:
        value = _scalar_or_none(node)
        options = [member.value for member in enum]
        if isinstance(value, str) and value in options:
            return enum(value)
        hint = difflib.get_close_matches(value, options, n=1) if isinstance(value, str) else []
        if hint:
            message = _("must be one of {options}, got {found}; did you mean '{hint}'?")
        else:
            message = _("must be one of {options}, got {found}")
        self.problems.add(
            node, field, message.format(options=", ".join(options), found=describe(node), hint=hint[0] if hint else "")
        )
        return None

    def duration(
        self, node: yaml.Node, field: str, *, allow_zero: bool = False, limit: float = MAX_PHASE_SECONDS
    ) -> float | None:
        """Seconds; positive (or zero when allowed) and at most ``limit``."""
        value = _scalar_or_none(node)
        try:
            seconds = parse_duration(value)
        except DurationError:
            if allow_zero:
                message = _("must be a duration of zero or more such as 30, 45s, 1m30s or 1:30, got {found}")
            else:
                message = _("must be a positive duration such as 30, 45s, 1m30s or 1:30, got {found}")
            self.problems.add(node, field, message.format(found=describe(node)))
            return None
        if seconds < 0 or (seconds == 0 and not allow_zero):
            if allow_zero:
                message = _("must be a duration of zero or more, got {found}")
            else:
                message = _("must be a positive duration, got {found}")
            self.problems.add(node, field, message.format(found=describe(node)))
            return None
        if seconds > limit:
            self.problems.add(
                node,
                field,
                _("is {seconds} s; at most {limit} s ({hours} h) is allowed").format(
                    seconds=f"{seconds:g}", limit=f"{limit:g}", hours=f"{limit / 3600:g}"
                ),
            )
            return None
        return seconds

    def integer(self, node: yaml.Node, field: str, low: int, high: int) -> int | None:
        value = _scalar_or_none(node)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problems.add(
                node,
                field,
                _("must be a whole number from {low} to {high}, got {found}").format(
                    low=low, high=high, found=describe(node)
                ),
            )
            return None
        return value

    def date(self, node: yaml.Node, field: str) -> date | None:
        """A calendar day written as YYYY-MM-DD (YAML reads it as a date; quoted text is accepted too)."""
        value = _scalar_or_none(node)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problems.add(
            node,
            field,
            _("must be a date written as YYYY-MM-DD, such as 2026-03-14, got {found}").format(found=describe(node)),
        )
        return None
