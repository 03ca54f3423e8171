"""Real-window end-to-end helpers: an Xvfb display, the app as a subprocess, real keys via xdotool.

The app logs milestones to stderr (``SPASMCOACH_LOG_LEVEL=INFO``); tests wait for those lines instead of
sleeping. Screenshots of the real screen are saved under ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(os.environ.get("SPASMCOACH_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))


def need_tools() -> None:
    missing = [tool for tool in ("Xvfb", "xdotool", "import") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"real-window tests need {', '.join(missing)} (apt-get install xvfb xdotool imagemagick)")


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private 1280×800 X display."""
    yield from start_xvfb("1280x800")


@pytest.fixture
def xvfb_sized(request: pytest.FixtureRequest) -> Iterator[str]:
    """A private X display of the size given by indirect parametrisation, e.g. ``"1024x600"``."""
    yield from start_xvfb(str(request.param))


def start_xvfb(size: str) -> Iterator[str]:
    """A private X display of ``size``; Xvfb writes its number to a pipe once it accepts clients."""
    need_tools()
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            ready = selectors.DefaultSelector()
            ready.register(pipe, selectors.EVENT_READ)
            if not ready.select(timeout=20):
                pytest.fail("Xvfb did not start within 20 s")
            number = pipe.readline().strip()
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class App:
    """``spasmcoach`` running in a real window on the test's display."""

    def __init__(
        self, display: str, home: Path, *args: str, scale: float = 1.0, env: dict[str, str] | None = None
    ) -> None:
        self.display = display
        self.home = home
        extra = env or {}
        env = dict(os.environ)
        env.update(
            DISPLAY=display, QT_QPA_PLATFORM="xcb", SPASMCOACH_HOME=str(home), SPASMCOACH_LOG_LEVEL="INFO",
            SPASMCOACH_TIME_SCALE=str(scale), PYTHONUNBUFFERED="1",
        )  # fmt: skip
        env.update(extra)
        env.pop("WAYLAND_DISPLAY", None)
        self.env = env
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "spasmcoach", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self._partial = b""
        self._selector = selectors.DefaultSelector()
        assert self.proc.stderr is not None
        self._selector.register(self.proc.stderr, selectors.EVENT_READ)

    def _read_some(self, timeout: float) -> bool:
        """Read what the app has written to stderr within ``timeout``; False once nothing more can come.

        Raw ``os.read`` on the pipe, split into lines here: mixing ``select`` with Python's buffered
        ``readline`` would hide lines already sitting in Python's buffer from ``select``.
        """
        if not self._selector.get_map() or not self._selector.select(timeout=timeout):
            return self.proc.poll() is None
        assert self.proc.stderr is not None
        chunk = os.read(self.proc.stderr.fileno(), 65536)
        if not chunk:
            self._selector.unregister(self.proc.stderr)
            return False
        self._partial += chunk
        *complete, self._partial = self._partial.split(b"\n")
        self.lines.extend(line.decode(errors="replace") for line in complete)
        return True

    def wait_for_log(self, pattern: str, timeout: float = 30, *, after: int = 0) -> re.Match[str]:
        """Block until the app logs a line matching ``pattern`` (regex), looking only at lines from index
        ``after`` on; fail with the app's output if it does not come."""
        regex = re.compile(pattern)
        checked = after
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines[checked:]:
                if match := regex.search(line):
                    return match
            checked = max(checked, len(self.lines))
            left = deadline - time.monotonic()
            if left <= 0 or not self._read_some(left):
                break
        pytest.fail(f"app never logged /{pattern}/ (exit code {self.proc.poll()}):\n" + "\n".join(self.lines[-40:]))

    def window_id(self, timeout: float = 30) -> str:
        out = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "SpasmCoach"],
            env=self.env, capture_output=True, text=True, timeout=timeout, check=True,
        )  # fmt: skip
        return out.stdout.split()[0]

    def key(self, *keys: str) -> None:
        """Real key presses through the X server (XTEST), to the focused window."""
        self.focus()
        subprocess.run(["xdotool", "key", "--delay", "60", *keys], env=self.env, check=True, timeout=10)

    def focus(self) -> None:
        """Make the window active as a user would: click on a neutral spot (the top bar of each page).

        On a bare X server with no window manager, Qt sometimes misses a focus change made by another
        client, so the test waits for the app to report that it is active rather than assuming it.
        """
        self.drain()
        states = [line for line in self.lines if re.search(r"window (in)?active$", line)]
        if states and states[-1].endswith("window active"):
            return
        mark = len(self.lines)
        wid = self.window_id()
        subprocess.run(["xdotool", "windowfocus", "--sync", wid], env=self.env, check=True, timeout=10)
        self.click(640, 16)
        self.wait_for_log(r"window active$", timeout=10, after=mark)

    def drain(self) -> None:
        """Read whatever the app has logged so far, waiting at most a moment."""
        while self._selector.get_map() and self._selector.select(timeout=0.05):
            if not self._read_some(0):
                return

    def click(self, x: int, y: int) -> None:
        """A real mouse click at window-relative coordinates."""
        wid = self.window_id()
        subprocess.run(
            ["xdotool", "mousemove", "--window", wid, str(x), str(y), "click", "1"],
            env=self.env,
            check=True,
            timeout=10,
        )

    def screenshot(self, name: str) -> Path:
        """The whole X screen as a PNG under test-artifacts/.

        Taken with ImageMagick's ``import``, a plain X client: a second Qt client on the same display
        without a window manager takes the keyboard focus away from the app under test.
        """
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=True, timeout=30)
        return path

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush; only what was committed survives."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._close_pipes()

    def quit(self, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        code = self.proc.wait(timeout=timeout)
        self._close_pipes()
        return code

    def _close_pipes(self) -> None:
        self._selector.close()
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SPASMCOACH_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "spasmcoach", *args], env=env, capture_output=True, text=True, timeout=60
    )
