"""The frozen one-folder build (PyInstaller, ``packaging/spasmcoach.spec``) works on its own.

Builds the bundle (about 20 s on two cores, plus a few seconds to fetch PyInstaller when it is not
installed), moves it away from the checkout, and runs ``--version``, ``validate`` and a routine in an
offscreen window from it. Set ``SPASMCOACH_SKIP_FROZEN=1`` to leave it out; the same build by hand:
``pip install '.[freeze]' && pyinstaller --noconfirm packaging/spasmcoach.spec``.
"""

from __future__ import annotations

import importlib.util
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spasmcoach import __version__
from spasmcoach.core.app_id import APP_ID

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "spasmcoach.spec"


def pyinstaller_env(tmp: Path) -> dict[str, str]:
    """An environment whose Python can run PyInstaller: this one, or with PyInstaller installed beside it."""
    env = dict(os.environ)
    if importlib.util.find_spec("PyInstaller") is not None:
        return env
    target = tmp / "pyinstaller"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--target", str(target),
         "pyinstaller>=6.0"], capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.skip(f"PyInstaller cannot be installed here: {result.stderr.strip().splitlines()[-1:]}")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), env.get("PYTHONPATH", "")]))
    return env


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("SPASMCOACH_SKIP_FROZEN"):
        pytest.skip("SPASMCOACH_SKIP_FROZEN is set")
    if not SPEC.is_file():
        pytest.skip("not running from a source checkout")
    tmp = tmp_path_factory.mktemp("frozen")
    env = pyinstaller_env(tmp)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", str(tmp / "dist"),
         "--workpath", str(tmp / "build"), str(SPEC)], capture_output=True, text=True, timeout=900, env=env, cwd=tmp,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    print(f"frozen build took {time.monotonic() - started:.1f} s")
    moved = tmp_path_factory.mktemp("elsewhere") / "SpasmCoach"
    shutil.move(tmp / "dist" / "spasmcoach", moved)  # nothing may point back at the build folder or the checkout
    return moved


def run(bundle: Path, home: Path, *args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "SPASMCOACH_HOME": str(home), "HOME": str(home), "LANG": lang}
    return subprocess.run(
        [str(bundle / "spasmcoach"), *args], capture_output=True, text=True, timeout=120, env=env, cwd=home.parent,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_the_bundle_says_its_version(bundle: Path, spasmcoach_home: Path) -> None:
    result = run(bundle, spasmcoach_home, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"spasmcoach {__version__}"


def test_the_bundle_validates_its_own_routines(bundle: Path, spasmcoach_home: Path) -> None:
    result = run(bundle, spasmcoach_home, "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    shipped = len(list((ROOT / "routines").glob("*.yaml")))
    assert f"{shipped} of {shipped} files valid" in result.stdout, result.stdout


def test_the_bundle_runs_every_terminal_command_and_speaks_german(bundle: Path, spasmcoach_home: Path) -> None:
    """Terminal commands are imported when they run, so the build must carry each of them, and the
    translations travel inside it."""
    for command in (["list"], ["show", "desk-break"], ["timer", "--list"], ["log"], ["reminders"], ["schema"]):
        result = run(bundle, spasmcoach_home, *command)
        assert result.returncode == 0, (command, result.stdout + result.stderr)
    german = run(bundle, spasmcoach_home, "list", lang="de_DE.UTF-8")
    assert german.returncode == 0 and "Schreibtischpause" in german.stdout, german.stdout + german.stderr


def test_the_bundle_carries_the_desktop_files(bundle: Path) -> None:
    assets = next(bundle.rglob("spasmcoach/assets"))
    assert (assets / "desktop" / f"{APP_ID}.desktop").is_file()
    assert (assets / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert len(list((assets / "illustrations").glob("*.svg"))) == len(
        list((ROOT / "assets/illustrations").glob("*.svg"))
    )


def test_the_bundle_opens_a_window_and_runs_a_routine(bundle: Path, spasmcoach_home: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "SPASMCOACH_HOME": str(spasmcoach_home), "HOME": str(spasmcoach_home),
           "QT_QPA_PLATFORM": "offscreen", "SPASMCOACH_LOG_LEVEL": "INFO", "LANG": "C.UTF-8"}  # fmt: skip
    proc = subprocess.Popen(
        [str(bundle / "spasmcoach"), "run", "desk-break", "--no-prompt"], env=env, stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True, start_new_session=True,
    )  # fmt: skip
    seen: list[str] = []
    try:
        assert proc.stderr is not None
        ready = selectors.DefaultSelector()
        ready.register(proc.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + 60
        while not any("session started: desk-break" in line for line in seen):
            if time.monotonic() > deadline or not ready.select(timeout=deadline - time.monotonic()):
                pytest.fail("the bundled app never started the routine:\n" + "\n".join(seen[-30:]))
            line = proc.stderr.readline()
            if not line:
                pytest.fail(f"the bundled app exited with {proc.wait()}:\n" + "\n".join(seen[-30:]))
            seen.append(line.rstrip())
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stderr is not None:
            proc.stderr.close()
    assert not any("Traceback" in line for line in seen), seen
