"""The shape of the house: a Qt-free core, layers that import one way, no cycles, small modules, clean lint."""

from __future__ import annotations

import ast
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import spasmcoach

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(spasmcoach.__file__).resolve().parent
MAX_MODULE_LINES = 500
IN_CHECKOUT = (ROOT / "pyproject.toml").exists() and (ROOT / "spasmcoach").is_dir()  # lint reads the source tree


def all_modules(package: str = "spasmcoach") -> list[str]:
    """Every module and package below ``package``, found on disk."""
    root = __import__(package, fromlist=["__path__"])
    found = [package]
    found += [m.name for m in pkgutil.walk_packages(root.__path__, prefix=f"{package}.")]
    return found


def _tool(name: str) -> str:
    """The path of a test tool installed beside this Python; skip where it is missing."""
    path = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(path).exists():
        pytest.skip(f"{name} is not installed (pip install '.[test]')")
    return path


def test_importing_the_whole_core_loads_no_qt() -> None:
    modules = [m for m in all_modules() if m.startswith("spasmcoach.core")]
    assert {"spasmcoach.core.journal", "spasmcoach.core.runner", "spasmcoach.core.storage"} <= set(modules)
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        + "bad += sorted(m for m in sys.modules if m.startswith(('spasmcoach.gui', 'spasmcoach.audio')))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"the core pulled in: {result.stdout.strip()}"


def test_the_core_check_would_see_qt(tmp_path: Path) -> None:
    """The check above is not blind: a module that imports Qt is reported by the same code."""
    (tmp_path / "leaky.py").write_text("import PySide6.QtCore\n")
    code = "import sys, leaky\nprint(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6')))"
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert "PySide6" in result.stdout


@pytest.mark.skipif(not IN_CHECKOUT, reason="import-linter reads pyproject.toml from the checkout")
def test_import_linter_contracts_hold() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The core stays free of Qt KEPT" in result.stdout
    assert "Layers import one way KEPT" in result.stdout
    assert " BROKEN" not in result.stdout


def _imports_of(path: Path, module: str) -> set[str]:
    """The spasmcoach modules that ``module`` (the file ``path``) imports, at any depth of its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("spasmcoach")}


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (names that are not modules, e.g. classes, dropped)."""
    modules = set(all_modules())
    graph: dict[str, set[str]] = {}
    for module in modules:
        spec_path = PACKAGE.parent / Path(*module.split("."))
        path = spec_path / "__init__.py" if spec_path.is_dir() else spec_path.with_suffix(".py")
        graph[module] = {name for name in _imports_of(path, module) if name in modules and name != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules() -> None:
    """A package's face re-exporting its parts is fine; a part importing back through the face is not."""
    graph = import_graph()
    assert len(graph) > 30
    graph = {m: {d for d in deps if not (m.startswith(f"{d}.") and d in graph)} for m, deps in graph.items()}
    assert cycles(graph) == []


def test_modules_stay_small_and_folders_say_what_they_hold() -> None:
    too_big = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            too_big.append(f"{path.relative_to(PACKAGE)} ({lines} lines)")
    assert too_big == []
    undocumented = []
    for init in sorted(PACKAGE.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        if not doc or len(doc.strip().splitlines()) != 1:
            undocumented.append(str(init.relative_to(PACKAGE)))
    assert undocumented == []


@pytest.mark.parametrize(
    "argv",
    [["list"], ["show", "desk-break"], ["validate"], ["log"], ["timers"], ["timer", "--list"]],
)
def test_terminal_commands_do_not_load_qt(argv: list[str], tmp_path: Path) -> None:
    code = (
        "import sys\nfrom spasmcoach import cli\n"
        f"code = cli.main({argv!r})\n"
        "print('QT' if 'PySide6' in sys.modules else 'NOQT', code, file=sys.stderr)"
    )
    env = {**os.environ, "SPASMCOACH_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stderr.strip().endswith("NOQT 0"), result.stderr


@pytest.mark.skipif(not IN_CHECKOUT, reason="lint runs on the checkout")
def test_code_passes_ruff() -> None:
    """The rule set in pyproject.toml holds for the app, the tools, the benchmarks and the tests."""
    ruff = _tool("ruff")
    result = subprocess.run(
        [ruff, "check", "spasmcoach", "tools", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not IN_CHECKOUT, reason="type checks run on the checkout")
def test_code_passes_mypy() -> None:
    """Every function typed (disallow_untyped_defs) and no stale ``type: ignore`` (warn_unused_ignores)."""
    mypy = _tool("mypy")
    result = subprocess.run(
        [mypy, "spasmcoach", "tools", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr
