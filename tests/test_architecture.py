"""The core stays free of Qt, so it can be driven by plain unit tests and a fake clock."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import spasmcoach.core


def core_modules() -> list[str]:
    return [f"spasmcoach.core.{m.name}" for m in pkgutil.iter_modules(spasmcoach.core.__path__)]


def test_importing_the_whole_core_loads_no_qt() -> None:
    modules = core_modules()
    assert len(modules) >= 8
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'spasmcoach.gui'))\n"
        + "bad += sorted(m for m in sys.modules if m.startswith('spasmcoach.gui'))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_import_linter_contract_holds() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The core stays free of Qt KEPT" in result.stdout


def test_terminal_commands_do_not_load_qt() -> None:
    code = "import sys\nfrom spasmcoach import cli\ncli.main(['list'])\nprint('QT' if 'PySide6' in sys.modules else 'NOQT', file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip().endswith("NOQT")


def test_code_passes_ruff() -> None:
    """The rule set in pyproject.toml (pyflakes, bugbear, simplify, imports...) holds for the app and tools."""
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists() or not (root / "pyproject.toml").exists():
        import pytest

        pytest.skip("ruff is not installed (pip install '.[test]')")
    result = subprocess.run([ruff, "check", "spasmcoach", "tools"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
