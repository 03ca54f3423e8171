"""Safe YAML reading that keeps every value's line and column, for messages that point at the mistake.

Files are read only through :func:`compose_file`: size-capped before parsing, decoded as strict UTF-8,
composed with PyYAML's safe (C when available) loader into nodes that carry their position. Validators
walk the nodes with :class:`Problems` collecting every mistake in the file, not just the first.
"""

from __future__ import annotations

import difflib
import errno
import functools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from . import storage
from .i18n import N_, _

if TYPE_CHECKING:  # PyYAML (18 ms, 2 MiB) is imported on the first parse: a cached start-up needs none
    import yaml

MAX_FILE_BYTES = 1024 * 1024
MAX_NESTING = 64  # deeper than any sane routine; refused before the parser can recurse on it


@dataclass(frozen=True)
class Problem:
    """One mistake in one file, in the ``file:line:col: field: message`` form editors understand."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class RoutineFileError(Exception):
    """A routine or preset file that cannot be used; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    @property
    def file(self) -> str:
        return self.problems[0].file


class Problems:
    """Collects the mistakes of one file while a validator walks it."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(self, node: yaml.Node | None, field: str, message: str) -> None:
        line, column = position(node)
        self.items.append(Problem(self.file, line, column, field, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise RoutineFileError(sorted(self.items, key=lambda p: (p.line, p.column)))


def position(node: yaml.Node | None) -> tuple[int, int]:
    """1-based line and column of ``node`` (1:1 when there is none)."""
    if node is None or node.start_mark is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def display_name(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when it is below it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def compose_file(path: Path) -> yaml.Node:
    """Parse ``path`` into a node tree; RoutineFileError (with position) for anything unreadable."""
    import yaml

    name = display_name(path)

    def fail(message: str, line: int = 1, column: int = 1) -> RoutineFileError:
        return RoutineFileError([Problem(name, line, column, "", message)])

    try:
        data = storage.read_bytes(path, MAX_FILE_BYTES, N_("file"))
    except storage.StorageError as exc:
        if exc.errno == errno.EFBIG:
            raise fail(
                _("file is larger than {limit} KiB; a routine file is much smaller").format(
                    limit=MAX_FILE_BYTES // 1024
                )
            ) from None
        raise fail(_("cannot read the file: {reason}").format(reason=exc.reason)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(_("is not valid UTF-8 text"), line, column) from None
    try:
        node = _compose(text, fail)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or _("syntax error")
        raise fail(_("is not valid YAML: {reason}").format(reason=reason), line, column) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = _("is not valid YAML: control character U+{code} is not allowed").format(code=f"{code:04X}")
        raise fail(message, line, column) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise fail(_("is not valid YAML: {reason}").format(reason=exc)) from None
    if node is None:
        raise fail(_("file is empty"))
    return node


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of character ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "binary", "merge", "value")
}
MAX_NODES = 100_000


@functools.cache
def _parts() -> tuple[Any, yaml.resolver.Resolver, yaml.constructor.SafeConstructor]:
    """PyYAML's safe loader class (libyaml's when available), tag resolver and safe constructor, made once."""
    import yaml

    try:
        loader: Any = yaml.CSafeLoader
    except AttributeError:  # libyaml missing: the pure-Python safe loader behaves the same, only slower
        loader = yaml.SafeLoader
    return loader, yaml.resolver.Resolver(), yaml.constructor.SafeConstructor()


@functools.lru_cache(maxsize=4096)
def _implicit_tag(kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool] | bool) -> str:
    """PyYAML's tag resolution, memoised: routine files repeat the same keys and values a lot."""
    return _parts()[1].resolve(kind, value, implicit)


def _compose(text: str, fail: Callable[..., RoutineFileError]) -> yaml.Node | None:
    """Build the node tree from libyaml's event stream with an explicit stack, in one pass.

    PyYAML's composer recurses once per nesting level and its C version overflows the C stack on
    ``- - - -…`` or ``[[[[…``; this one cannot, and it refuses nesting deeper than MAX_NESTING outright.
    It also refuses language-specific tags (``!!python/…``) and absurd numbers of values. Aliases reuse
    their anchor's node, so nothing is ever expanded.
    """
    import yaml

    anchors: dict[str, yaml.Node] = {}
    open_nodes: list[yaml.Node] = []
    pending_keys: list[yaml.Node | None] = []
    root: yaml.Node | None = None
    documents = created = 0

    def refuse(message: str, mark: Any) -> RoutineFileError:  # a pure-Python or libyaml Mark, or None
        return fail(message, mark.line + 1, mark.column + 1) if mark is not None else fail(message)

    def attach(node: yaml.Node) -> None:
        nonlocal root
        if not open_nodes:
            root = node
        elif isinstance(open_nodes[-1], yaml.SequenceNode):
            open_nodes[-1].value.append(node)
        elif pending_keys[-1] is None:
            pending_keys[-1] = node
        else:
            open_nodes[-1].value.append((pending_keys[-1], node))
            pending_keys[-1] = None

    for event in yaml.parse(text, Loader=_parts()[0]):
        mark: Any = event.start_mark  # libyaml's and PyYAML's Mark types differ; both have line and column
        node: yaml.Node
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise refuse(_("holds more than one YAML document; a routine file holds one"), mark)
            continue
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise refuse(_("uses the alias *{anchor} before its anchor").format(anchor=event.anchor), mark)
            attach(anchors[event.anchor])
            continue
        if isinstance(event, yaml.ScalarEvent):
            implicit = event.tag in (None, "!")
            tag: str = _implicit_tag(yaml.ScalarNode, event.value, event.implicit) if implicit else str(event.tag)
            node = yaml.ScalarNode(tag, event.value or "", mark, cast(Any, event.end_mark), style=event.style)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if len(open_nodes) >= MAX_NESTING:
                raise refuse(_("nests lists or mappings more than {limit} levels deep").format(limit=MAX_NESTING), mark)
            kind = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingNode
            tag = event.tag if event.tag not in (None, "!") else _implicit_tag(kind, None, event.implicit)
            node = kind(tag, [], mark, None, flow_style=event.flow_style)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            open_nodes.pop().end_mark = cast(Any, event.end_mark)
            pending_keys.pop()
            continue
        else:  # stream start/end, document end
            continue
        if node.tag not in _PLAIN_TAGS:  # language tags such as !!python/object are never let through
            raise refuse(_("uses the YAML tag '{tag}', which routine files do not allow").format(tag=node.tag), mark)
        created += 1
        if created > MAX_NODES:
            raise refuse(
                _("has more than {limit} values; a routine file is much smaller").format(limit=MAX_NODES), mark
            )
        if event.anchor is not None:
            anchors[event.anchor] = node
        attach(node)
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
            open_nodes.append(node)
            pending_keys.append(None)
    return root


def scalar(node: yaml.Node) -> object:
    """The Python value of a scalar node (int, float, bool, None, str, date...)."""
    try:
        return _parts()[2].construct_object(node, deep=True)
    except Exception:  # PyYAML's constructors raise many kinds on an explicit tag that does not fit
        return node.value


def describe(node: yaml.Node) -> str:
    """How a value is quoted back to the user in a message: ``"-3"``, ``a list``, ``a mapping``."""
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    text = str(node.value)
    if len(text) > 60:
        text = text[:57] + "..."
    return json.dumps(text, ensure_ascii=False)


def mapping_items(node: yaml.MappingNode, field: str, problems: Problems) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """(key, key node, value node) for each entry; reports non-text and repeated keys."""
    import yaml

    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or not key:
            problems.add(key_node, field, _("keys must be plain names, got {found}").format(found=describe(key_node)))
            continue
        if key in seen:
            problems.add(key_node, join(field, key), _("appears twice (first on line {line})").format(line=seen[key]))
            continue
        seen[key] = position(key_node)[0]
        yield key, key_node, value_node


def unknown_key_message(key: str, allowed: Iterable[str]) -> str:
    """'unknown key' with a "did you mean" suggestion when one is close enough."""
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    if close:
        return _("unknown key; did you mean '{key}'?").format(key=close[0])
    return _("unknown key; allowed keys are {keys}").format(keys=", ".join(sorted(allowed)))


def join(field: str, key: str | int) -> str:
    """Field paths as written in messages: ``steps[2].hold``."""
    if isinstance(key, int):
        return f"{field}[{key}]"
    return f"{field}.{key}" if field else key
