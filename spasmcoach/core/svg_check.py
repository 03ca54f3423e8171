"""Illustrations are untrusted: an SVG is checked before any renderer sees it.

A user's routine can name any SVG, and an SVG can ask the renderer to open other files
(``<image href="/etc/passwd">``, ``xlink:href="../x"``, ``file:`` URLs, ``/dev/stdin``, CSS ``@import`` and
``url()``), declare entities that expand a billion times, or multiply its drawing through ``<use>``.
This module refuses all of that, with the SVG's line number, and caps the size:

- at most ``MAX_SVG_BYTES`` bytes, read with ``storage.read_bytes`` (regular files only, never blocking);
- no DOCTYPE, no entity, no ``xml-stylesheet`` instruction (expat is told never to read external ones);
- every reference (``href``, ``src``, ``url(...)``) must point inside the picture (``#id``);
- at most ``MAX_ELEMENTS`` elements, ``MAX_DEPTH`` deep, and at most ``MAX_DRAWN`` once every
  internal reference is expanded (a ``<use>`` of a ``<use>`` of ... cannot multiply without bound).

Standard library only (no Qt), so ``spasmcoach validate`` checks pictures the same way the player does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from .i18n import N_, _
from .storage import StorageError, read_bytes

MAX_SVG_BYTES = 2 * 1024 * 1024  # the bundled pictures are under 2 KB; a drawing app's export rarely tops 500 KB
MAX_ELEMENTS = 5_000  # the bundled pictures have about 20; a detailed drawing a few hundred
MAX_DEPTH = 100
MAX_DRAWN = 20_000  # elements drawn once every internal reference is expanded
MAX_NUMBERS = 50_000  # coordinates in all path data and point lists together
MAX_TEXT = 2_000  # characters of text: each glyph is an outline to fill
# Features whose drawing time grows without bound on a tiny, harmless-looking file (measured: a dashed
# outline or a blurred shape can take minutes); an exercise illustration does not need them.
SLOW_ELEMENTS = {"filter", "pattern", "mask", "marker", "foreignObject", "script"}
SLOW_ATTRIBUTES = {"stroke-dasharray", "filter", "mask", "marker-start", "marker-mid", "marker-end", "marker"}
MAX_PROBLEMS = 5  # a hostile file can have thousands; the first few say enough
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_IMPORT = re.compile(r"@import", re.IGNORECASE)
_REFERENCE_ATTRIBUTES = {"href", "src"}
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_SLOW_CSS = re.compile(r"(stroke-dasharray|filter|mask|marker(?:-start|-mid|-end)?)\s*:\s*([^;}]*)", re.IGNORECASE)


@dataclass(frozen=True)
class SvgProblem:
    """One reason an SVG is refused: the line in the SVG (0 when it concerns the whole file) and why."""

    line: int
    message: str

    def where(self, name: str) -> str:
        return f"{name}:{self.line}" if self.line else name


class UnsafeSvgError(ValueError):
    """An SVG that must not be rendered; ``str()`` is '<name>:<line>: <why>' for the first problem."""

    def __init__(self, name: str, problems: list[SvgProblem]) -> None:
        self.name = name
        self.problems = problems
        first = problems[0]
        super().__init__(f"{first.where(name)}: {first.message}")


class _Stop(Exception):
    """Raised inside an expat handler to abandon a file that is already refused."""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _is_internal(reference: str) -> bool:
    return reference.strip().startswith("#")


def _is_slow(value: str) -> bool:
    return value.strip().lower() not in ("", "none", "inherit", "initial", "unset")


def _outside(what: str, reference: str) -> str:
    """Why a reference that does not point inside the picture is refused."""
    if reference.strip().lower().startswith("data:"):
        return _("embeds another file ({what}); draw it with SVG shapes instead").format(what=what)
    return _("refers to another file ({what}); an illustration must be self-contained").format(what=what)


class _Checker:
    """Collects problems, elements and internal references while expat parses one SVG."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.problems: list[SvgProblem] = []
        self.count = 0
        self.stack: list[int] = []  # open elements, by index
        self.children: list[list[int]] = []
        self.refs: list[list[str]] = []  # per element: ids it references
        self.ids: dict[str, int] = {}
        self.numbers = 0
        self.text_chars = 0
        self.style_depth = 0
        self.style_text: list[str] = []
        self.style_line = 0
        parser = self.parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.entity
        parser.ExternalEntityRefHandler = self.external_entity
        parser.ProcessingInstructionHandler = self.instruction

    # -- problems ----------------------------------------------------------------------------------------
    def problem(self, message: str, line: int | None = None) -> None:
        self.problems.append(SvgProblem(self.parser.CurrentLineNumber if line is None else line, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop

    def refuse(self, message: str) -> None:
        self.problem(message)
        raise _Stop

    # -- expat handlers ----------------------------------------------------------------------------------
    def doctype(self, *_args: object) -> None:
        self.refuse(_("has a DOCTYPE declaration; an illustration may not declare entities or load a DTD"))

    def entity(self, name: str, *_args: object) -> None:
        self.refuse(_("declares the entity {name}; an illustration may not declare entities").format(name=_short(name)))

    def external_entity(self, *_args: object) -> int:
        self.refuse(_("refers to an external entity; an illustration may not load other files"))
        return 0

    def instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.problem(
                _("loads a style sheet ({what}); an illustration may not load other files").format(what=_short(data))
            )

    def start(self, name: str, attributes: dict[str, str]) -> None:
        index = self.count
        self.count += 1
        if self.count > MAX_ELEMENTS:
            self.refuse(_("has more than {limit} elements; simplify the drawing").format(limit=f"{MAX_ELEMENTS:,}"))
        if len(self.stack) >= MAX_DEPTH:
            self.refuse(_("nests elements more than {limit} deep").format(limit=MAX_DEPTH))
        namespace, _sep, local = name.rpartition(" ")
        if index == 0 and (local != "svg" or namespace not in ("", SVG_NAMESPACE)):
            self.refuse(_("is not an SVG picture (its first element is {name}, not 'svg')").format(name=_short(local)))
        self.children.append([])
        self.refs.append([])
        if self.stack:
            self.children[self.stack[-1]].append(index)
        self.stack.append(index)
        for key, value in attributes.items():
            self.attribute(index, key.rpartition(" ")[2], value)
        if local in SLOW_ELEMENTS:
            self.problem(
                _("uses <{element}>, which can take minutes to draw; keep to plain shapes").format(element=local)
            )
        if local == "style":
            self.style_depth += 1
            self.style_line = self.parser.CurrentLineNumber

    def end(self, name: str) -> None:
        self.stack.pop()
        if name.rpartition(" ")[2] == "style" and self.style_depth:
            self.style_depth -= 1
            if not self.style_depth:
                self.css("".join(self.style_text), None, self.style_line)
                self.style_text = []

    def text(self, data: str) -> None:
        if self.style_depth:
            self.style_text.append(data)
            return
        self.text_chars += len(data.strip())
        if self.text_chars > MAX_TEXT:
            self.refuse(_("has more than {limit} characters of text").format(limit=f"{MAX_TEXT:,}"))

    # -- what may be referenced ----------------------------------------------------------------------------
    def attribute(self, index: int, key: str, value: str) -> None:
        if key in ("d", "points"):
            self.numbers += len(_NUMBER.findall(value))
            if self.numbers > MAX_NUMBERS:
                self.refuse(
                    _("has more than {limit} coordinates; simplify the drawing").format(limit=f"{MAX_NUMBERS:,}")
                )
        elif key in SLOW_ATTRIBUTES and _is_slow(value):
            self.problem(_("uses {what}, which can take minutes to draw; keep to plain strokes").format(what=key))
        elif key == "style":
            self.slow_css(value, None)
        if key == "id":
            self.ids.setdefault(value.strip(), index)
        if key in _REFERENCE_ATTRIBUTES:
            if _is_internal(value):
                self.refs[index].append(value.strip()[1:])
            else:
                self.problem(_outside(f"{key}={_short(value)}", value))
        if "url(" in value.lower() or "@import" in value.lower():
            self.css(value, index, None)

    def slow_css(self, text: str, line: int | None) -> None:
        for match in _SLOW_CSS.finditer(text):
            if _is_slow(match.group(2)):
                self.problem(
                    _("uses {what}, which can take minutes to draw; keep to plain strokes").format(what=match.group(1)),
                    line,
                )

    def css(self, text: str, index: int | None, line: int | None) -> None:
        if index is None:
            self.slow_css(text, line)
        if _IMPORT.search(text):
            self.problem(_("imports a style sheet (@import); an illustration may not load other files"), line)
        for match in _URL.finditer(text):
            target = match.group(2)
            if _is_internal(target):
                if index is not None:
                    self.refs[index].append(target.strip()[1:])
            else:
                self.problem(_outside(f"url({_short(target)})", target), line)

    # -- after parsing -----------------------------------------------------------------------------------
    def drawn(self) -> int | None:
        """Elements drawn with every internal reference expanded; None if a reference loops back."""
        total: dict[int, int] = {}
        state: dict[int, int] = {}  # 1 = in progress, 2 = done
        for root in range(self.count):
            if root in total:
                continue
            stack: list[tuple[int, bool]] = [(root, False)]
            while stack:
                node, expanded = stack.pop()
                if expanded:
                    cost = 1 + sum(total[c] for c in self._edges(node))
                    total[node] = min(cost, MAX_DRAWN + 1)
                    state[node] = 2
                    continue
                if state.get(node) == 2:
                    continue
                if state.get(node) == 1:
                    return None
                state[node] = 1
                stack.append((node, True))
                for child in self._edges(node):
                    if state.get(child) == 1:
                        return None
                    if state.get(child) != 2:
                        stack.append((child, False))
        return total.get(0, 0)

    def _edges(self, node: int) -> list[int]:
        return self.children[node] + [self.ids[r] for r in self.refs[node] if r in self.ids]


def check_svg_bytes(data: bytes) -> list[SvgProblem]:
    """Every reason (up to MAX_PROBLEMS) not to render the SVG ``data``; an empty list if it is safe."""
    if len(data) > MAX_SVG_BYTES:
        return [
            SvgProblem(
                0,
                _("is too large ({size} bytes; at most {limit})").format(
                    size=f"{len(data):,}", limit=f"{MAX_SVG_BYTES:,}"
                ),
            )
        ]
    checker = _Checker()
    try:
        checker.parser.Parse(data, True)
    except _Stop:
        return checker.problems
    except expat.ExpatError as exc:
        checker.problems.append(
            SvgProblem(exc.lineno, _("is not a well-formed SVG ({reason})").format(reason=expat.ErrorString(exc.code)))
        )
        return checker.problems
    if checker.count == 0:
        return [SvgProblem(0, _("is empty"))]
    if checker.problems:
        return checker.problems
    drawn = checker.drawn() if any(checker.refs) else checker.count
    if drawn is None:
        return [SvgProblem(0, _("has a reference that leads back to itself (a <use> loop)"))]
    if drawn > MAX_DRAWN:
        return [
            SvgProblem(
                0,
                _("draws more than {limit} elements once its <use> references are expanded").format(
                    limit=f"{MAX_DRAWN:,}"
                ),
            )
        ]
    return []


def read_svg(path: Path, name: str | None = None) -> bytes:
    """The bytes of the SVG at ``path`` if it is safe to render; UnsafeSvgError (named ``name``) if not.

    A FIFO, a device, a folder or an oversized file is refused by ``storage.read_bytes`` without blocking.
    """
    label = name or path.name
    try:
        data = read_bytes(path, MAX_SVG_BYTES, N_("illustration"))
    except StorageError as exc:
        raise UnsafeSvgError(label, [SvgProblem(0, _("cannot be used: {reason}").format(reason=exc.reason))]) from None
    problems = check_svg_bytes(data)
    if problems:
        raise UnsafeSvgError(label, problems)
    return data
