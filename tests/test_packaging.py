"""`pip install .` gives a working program: the wheel carries the routines, pictures, sounds and schemas."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from spasmcoach.core.app_id import APP_ID

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / "pyproject.toml").exists():
        pytest.skip("not running from a source checkout")
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("src") / "spasmcoach"
    ignore = shutil.ignore_patterns(".git", ".venv", "test-artifacts", "__pycache__", "*.egg-info", ".pytest_cache")
    shutil.copytree(ROOT, source, ignore=ignore)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode != 0 and "No matching distribution" in result.stderr:
        pytest.skip("cannot fetch the build backend here")
    assert result.returncode == 0, result.stderr
    return next(out.glob("spasmcoach-*.whl"))


def test_wheel_carries_every_bundled_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, pattern in (("routines", "*.yaml"), ("routines", "*.json"), ("assets/illustrations", "*.svg"),
                            ("assets/sounds", "*.wav"), ("assets/icons", "**/*.svg"), ("assets/icons", "**/*.png"),
                            ("assets/desktop", "*")):  # fmt: skip
        expected = {f"spasmcoach/{p.relative_to(ROOT).as_posix()}" for p in (ROOT / folder).glob(pattern)}
        assert expected and expected <= names, sorted(expected - names)[:5]
    for suffix in (".desktop", ".metainfo.xml", ".mime.xml"):
        assert f"spasmcoach/assets/desktop/{APP_ID}{suffix}" in names
    for size in (48, 128, 256):
        assert f"spasmcoach/assets/icons/hicolor/{size}x{size}/apps/{APP_ID}.png" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[gui_scripts]" in text and "spasmcoach = spasmcoach.__main__:main" in text


def test_installed_wheel_finds_its_routines_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    env = {"PYTHONPATH": str(target), "SPASMCOACH_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    code = (
        "import spasmcoach.cli, spasmcoach.core.resources as r, sys; "
        "print(r.routines_dir()); sys.exit(spasmcoach.cli.main(['validate']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].startswith(str(target))
    counts = re.search(r"(\d+) of (\d+) files valid", result.stdout)
    assert counts and counts.group(1) == counts.group(2) and int(counts.group(1)) >= 8
