"""The translation catalogue: extract every msgid, update the .po files, compile them to .mo, check them.

    python tools/i18n_catalog.py extract      # spasmcoach/locale/spasmcoach.pot and every <lang>.po updated
    python tools/i18n_catalog.py compile      # every .po -> its .mo (committed; tests check they match)
    python tools/i18n_catalog.py check        # what is missing, untranslated, fuzzy or has wrong {placeholders}
    python tools/i18n_catalog.py unwrapped [FILE ...]  # literals that look user-visible but are not marked

The extractor reads the source with ``ast`` (no import, no regular expressions): every call of ``_``,
``N_``, ``ngettext`` and ``pgettext`` with literal strings. The bundled routines' and timer presets' texts
are read through the app's own loaders, so the msgids are exactly the strings the app later looks up.
The compiler writes the GNU .mo format itself, sorted, so the same .po always gives the same bytes.
"""

from __future__ import annotations

import ast
import re
import struct
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "spasmcoach"
LOCALE = PACKAGE / "locale"
DOMAIN = "spasmcoach"
MARKERS = {"_": ("msgid",), "N_": ("msgid",), "ngettext": ("msgid", "plural"), "pgettext": ("context", "msgid")}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HEADERS = {
    "de": "Language: de\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=2; plural=(n != 1);\n",
}


@dataclass
class Message:
    """One catalogue entry: what is looked up (context, msgid, plural) and, in a .po, its translation."""

    msgid: str
    plural: str | None = None
    context: str | None = None
    where: list[str] = field(default_factory=list)
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


# -- extraction -------------------------------------------------------------------------------------------


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _marker(call: ast.Call) -> str | None:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return name if name in MARKERS else None


def extract_source(path: Path, relative: str) -> Iterator[Message]:
    """Every marked string in one Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or (marker := _marker(node)) is None:
            continue
        roles = MARKERS[marker]
        values = [_literal(arg) for arg in node.args[: len(roles)]]
        if len(values) < len(roles) or any(value is None for value in values):
            continue  # _(variable): the text was marked where it was defined
        parts = dict(zip(roles, values, strict=True))
        yield Message(
            msgid=str(parts["msgid"]), plural=parts.get("plural"), context=parts.get("context"),
            where=[f"{relative}:{node.lineno}"],
        )  # fmt: skip


def bundled_texts() -> Iterator[Message]:
    """The bundled routines' and timer presets' texts, as the app's loaders read them."""
    sys.path.insert(0, str(ROOT))
    from spasmcoach.core import loader, resources
    from spasmcoach.core.model import Origin
    from spasmcoach.core.routine_text import preset_texts, routine_texts
    from spasmcoach.core.timers import presets

    folder = resources.routines_dir()
    library = loader.load_library([(folder, Origin.BUNDLED)])
    for routine in sorted(library.routines.values(), key=lambda r: str(r.path)):
        where = f"routines/{routine.path.name if routine.path else routine.id}"
        for text in routine_texts(routine):
            yield Message(msgid=text, where=[where])
    for path in sorted(folder.glob("*.yaml")):
        if not loader.is_preset_file(path):
            continue
        for preset in presets.load_presets(path):
            for text in preset_texts(preset):
                yield Message(msgid=text, where=[f"routines/{path.name}"])


def extract() -> list[Message]:
    """Every msgid of the app, in order of first appearance, with where each appears."""
    found: dict[tuple[str | None, str], Message] = {}

    def add(messages: Iterable[Message]) -> None:
        for message in messages:
            if not message.msgid:
                continue
            known = found.get(message.key)
            if known is None:
                found[message.key] = message
            else:
                known.where.extend(w for w in message.where if w not in known.where)
                known.plural = known.plural or message.plural

    for path in sorted(PACKAGE.rglob("*.py")):
        add(extract_source(path, path.relative_to(ROOT).as_posix()))
    add(bundled_texts())
    return list(found.values())


# -- .po reading and writing ------------------------------------------------------------------------------


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def read_po(path: Path) -> tuple[str, list[Message]]:
    """The header text and the entries of a .po file (obsolete ``#~`` entries are skipped)."""
    entries: list[Message] = []
    header = ""
    current: Message | None = None
    field_name = ""
    flags: list[str] = []
    where: list[str] = []

    def finish() -> None:
        nonlocal current, header
        if current is not None:
            if current.msgid == "" and current.context is None:
                header = current.msgstr[0] if current.msgstr else ""
            else:
                entries.append(current)
        current = None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and field_name:
                finish()
                field_name = ""
            if line.startswith("#,"):
                flags.extend(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                where.extend(line[2:].split())
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            text = _unquote(line)
        else:
            text = _unquote(rest)
            if keyword in ("msgctxt", "msgid") and (current is None or field_name.startswith("msgstr")):
                finish()
            if current is None:
                current = Message(msgid="", fuzzy="fuzzy" in flags, where=where)
                flags, where = [], []
            field_name = keyword
            if keyword.startswith("msgstr"):
                current.msgstr.append("")
        if current is None:
            continue
        if field_name == "msgctxt":
            current.context = (current.context or "") + text
        elif field_name == "msgid":
            current.msgid += text
        elif field_name == "msgid_plural":
            current.plural = (current.plural or "") + text
        elif field_name.startswith("msgstr"):
            current.msgstr[-1] += text
    finish()
    return header, entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def write_po(path: Path, header: str, messages: Iterable[Message]) -> None:
    """Write a .po (or .pot) file: the header, then each entry with where it comes from."""
    out = ["# SpasmCoach translations. Edit msgstr only; run tools/i18n_catalog.py extract and compile.", ""]
    out += ['msgid ""', f"msgstr {_quote(header)}", ""]
    for message in messages:
        out += [f"#: {where}" for where in message.where]
        if message.fuzzy:
            out.append("#, fuzzy")
        if message.context is not None:
            out.append(f"msgctxt {_quote(message.context)}")
        out.append(f"msgid {_quote(message.msgid)}")
        if message.plural is not None:
            out.append(f"msgid_plural {_quote(message.plural)}")
            forms = message.msgstr or ["", ""]
            out += [f"msgstr[{i}] {_quote(form)}" for i, form in enumerate(forms)]
        else:
            out.append(f"msgstr {_quote(message.msgstr[0] if message.msgstr else '')}")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def update(language: str, extracted: list[Message]) -> None:
    """Bring ``language``'s .po in step with the source: new msgids empty, gone ones dropped, others kept."""
    path = po_path(language)
    header, old = read_po(path) if path.exists() else (HEADERS.get(language, ""), [])
    known = {message.key: message for message in old}
    merged = []
    for message in extracted:
        previous = known.get(message.key)
        merged.append(
            Message(
                msgid=message.msgid, plural=message.plural, context=message.context, where=message.where,
                msgstr=previous.msgstr if previous else [], fuzzy=previous.fuzzy if previous else False,
            )
        )  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    write_po(path, header, merged)


# -- compiling ---------------------------------------------------------------------------------------------


def compile_po(path: Path) -> bytes:
    """The GNU .mo bytes of a .po file: fuzzy and untranslated entries left out, keys sorted."""
    header, entries = read_po(path)
    table: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for entry in entries:
        if entry.fuzzy or not entry.msgstr or not all(entry.msgstr):
            continue
        key = entry.msgid if entry.plural is None else f"{entry.msgid}\0{entry.plural}"
        if entry.context is not None:
            key = f"{entry.context}\x04{key}"
        table[key.encode("utf-8")] = "\0".join(entry.msgstr).encode("utf-8")
    names = sorted(table)
    count = len(names)
    key_start = 7 * 4 + 16 * count  # header, then the two offset tables
    ids = b"".join(name + b"\0" for name in names)
    strs = b"".join(table[name] + b"\0" for name in names)
    key_offsets: list[int] = []
    value_offsets: list[int] = []
    position = key_start
    for name in names:
        key_offsets += [len(name), position]
        position += len(name) + 1
    for name in names:
        value_offsets += [len(table[name]), position]
        position += len(table[name]) + 1
    head = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, key_start)
    return head + struct.pack(f"<{4 * count}I", *key_offsets, *value_offsets) + ids + strs


# -- checking ----------------------------------------------------------------------------------------------


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(language: str, extracted: list[Message] | None = None, path: Path | None = None) -> list[str]:
    """Everything wrong with ``language``'s catalogue (or the .po at ``path``), one line each; empty: complete."""
    wanted = extract() if extracted is None else extracted
    _header, entries = read_po(po_path(language) if path is None else path)
    have = {entry.key: entry for entry in entries}
    found: list[str] = []
    for message in wanted:
        entry = have.get(message.key)
        label = f"{message.where[0] if message.where else '?'}: {message.msgid[:70]!r}"
        if entry is None:
            found.append(f"missing from {language}.po: {label}")
            continue
        if entry.fuzzy:
            found.append(f"fuzzy in {language}.po: {label}")
        if not entry.msgstr or not all(entry.msgstr):
            found.append(f"untranslated in {language}.po: {label}")
            continue
        if (entry.plural is None) != (message.plural is None):
            found.append(f"plural form differs in {language}.po: {label}")
        if message.plural is None:
            if placeholders(entry.msgstr[0]) != placeholders(message.msgid):
                found.append(f"placeholders differ in {language}.po: {label}")
        else:
            allowed = set(placeholders(message.plural))
            for form in entry.msgstr:  # a form may leave out {count} ("einmal"), nothing else
                used = set(placeholders(form))
                if used - {"{count}"} != allowed - {"{count}"} or not used <= allowed:
                    found.append(f"placeholders differ in {language}.po: {label}")
    extra = set(have) - {message.key for message in wanted}
    found += [f"no longer in the source, in {language}.po: {key[1][:70]!r}" for key in sorted(extra, key=str)]
    return found


_NOT_SHOWN = {"debug", "info", "warning", "exception", "error", "getLogger", "setObjectName", "setProperty",
              "value", "setValue", "setStyleSheet", "startswith", "endswith", "split", "replace", "join", "strftime",
              "get", "execute", "environ", "getenv"}  # fmt: skip
_SENTENCE = re.compile(r"[A-Za-z]{3,} [a-z]{2,}|^[A-Z][a-z]+[.!?…]?$")


def unwrapped(path: Path) -> Iterator[str]:
    """String literals and f-strings in ``path`` that read like words for people but are not marked.

    A heuristic for finding work, not a check: docstrings, log calls and style sheets are skipped."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if isinstance(parents.get(node), (ast.JoinedStr, ast.FormattedValue)):
                continue
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]
        else:
            continue
        if not _SENTENCE.search(text) or isinstance(parents.get(node), ast.Expr):
            continue
        up: ast.AST = node
        skip = False
        while up in parents and not isinstance(up, ast.FunctionDef | ast.ClassDef):
            up = parents[up]
            if isinstance(up, ast.Call):
                func = up.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                logger = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "log"
                if name in MARKERS or name in _NOT_SHOWN or logger:
                    skip = True
                    break
        if not skip:
            yield f"{path}:{node.lineno}: {text[:90]!r}"


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        extracted = extract()
        LOCALE.mkdir(parents=True, exist_ok=True)
        write_po(LOCALE / f"{DOMAIN}.pot", HEADERS["de"].replace("Language: de\n", ""), extracted)
        for language in languages():
            update(language, extracted)
        print(f"{len(extracted)} messages; updated: {', '.join(languages()) or 'no .po files yet'}")
        return 0
    if command == "compile":
        for language in languages():
            mo_path(language).write_bytes(compile_po(po_path(language)))
            print(f"compiled {mo_path(language).relative_to(ROOT)}")
        return 0
    if command == "check":
        extracted = extract()
        found = [line for language in languages() for line in problems(language, extracted)]
        print("\n".join(found) or "every catalogue is complete")
        return 1 if found else 0
    if command == "unwrapped":
        files = [Path(a) for a in argv[2:]] or sorted(PACKAGE.rglob("*.py"))
        for path in files:
            for line in unwrapped(path):
                print(line)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
