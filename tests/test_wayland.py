"""SpasmCoach as a native Wayland client, under a headless Weston compositor.

The journey: the window opens on Wayland (``QT_QPA_PLATFORM=wayland``, no X server anywhere), a second
launch hands ``run desk-break --no-prompt`` over to it, Space pauses and resumes, Esc stops for pain, and
the journal has the stop. Keys go through Qt's input path from a small in-process driver
(``tests/wayland_driver.py``): xdotool is X11-only, and a headless compositor has no keyboard.
What needs X11 must degrade quietly: raising the window on a hand-over, and the tray (Weston has none).
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e import ARTIFACTS, App

pytestmark = pytest.mark.slow
DRIVER = Path(__file__).with_name("wayland_driver.py")
SOCKET = "spasmcoach-wayland-0"


def weston_backend(weston: str) -> str:
    """``--backend=headless-backend.so`` (Weston up to 11) or ``--backend=headless`` (12 and later)."""
    help_text = subprocess.run([weston, "--help"], capture_output=True, text=True, timeout=30)
    return "headless-backend.so" if "headless-backend.so" in help_text.stdout + help_text.stderr else "headless"


def wait_for_socket(path: Path, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """Until the compositor accepts connections on ``path`` (it has no "ready" signal of its own)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"weston exited with {proc.returncode} before it accepted clients")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(path))
                return
            except OSError:
                pass
        selectors.DefaultSelector().select(timeout=0.05)  # a short wait between connection attempts
    pytest.fail(f"weston did not accept clients on {path} within {timeout:.0f} s")


@pytest.fixture
def wayland() -> Iterator[dict[str, str]]:
    """A headless Weston on a private runtime folder (mode 0700, as the Wayland spec requires)."""
    weston = shutil.which("weston")
    if weston is None:
        pytest.skip("the Wayland tests need weston (apt-get install weston)")
    runtime = Path(tempfile.mkdtemp(prefix="spasmcoach-xdg-"))  # mkdtemp makes it 0700
    assert runtime.stat().st_mode & 0o777 == 0o700
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["XDG_RUNTIME_DIR"] = str(runtime)
    log = runtime / "weston.log"
    command = [weston, f"--backend={weston_backend(weston)}", f"--socket={SOCKET}", "--idle-time=0",
               "--width=1280", "--height=800", "--no-config", f"--log={log}"]  # fmt: skip
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_socket(runtime / SOCKET, proc)
        yield {**env, "WAYLAND_DISPLAY": SOCKET, "QT_QPA_PLATFORM": "wayland"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(runtime, ignore_errors=True)


class WaylandApp(App):
    """The app under the in-process driver on the compositor; same log reading as the X11 tests."""

    def __init__(self, env: dict[str, str], home: Path, *args: str, scale: float = 1.0) -> None:
        self.display = env["WAYLAND_DISPLAY"]
        self.home = home
        self.env = {**env, "SPASMCOACH_HOME": str(home), "SPASMCOACH_LOG_LEVEL": "INFO",
                    "SPASMCOACH_TIME_SCALE": str(scale), "PYTHONUNBUFFERED": "1"}  # fmt: skip
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), *args], env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self._partial = b""
        self._selector = selectors.DefaultSelector()
        assert self.proc.stderr is not None
        self._selector.register(self.proc.stderr, selectors.EVENT_READ)

    def send(self, command: str, answer: str, timeout: float = 20) -> re.Match[str]:
        """Give the driver ``command`` and wait for its ``driver: ...`` answer matching ``answer``."""
        mark = len(self.lines)
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.wait_for_log(rf"driver: {answer}", timeout=timeout, after=mark)

    def wait_until_exposed(self, timeout: float = 20) -> str:
        """Ask for the window's state until the compositor shows it; the last state line."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.send("state", r"state .*").group(0)
            if "exposed=True" in line or time.monotonic() > deadline:
                return line
            selectors.DefaultSelector().select(timeout=0.1)

    def _close_pipes(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
        super()._close_pipes()


def run_cli(env: dict[str, str], home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmcoach", *args], env={**env, "SPASMCOACH_HOME": str(home)},
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_the_journey_runs_as_a_native_wayland_client(wayland: dict[str, str], spasmcoach_home: Path) -> None:
    app = WaylandApp(wayland, spasmcoach_home, scale=3)
    try:
        app.wait_for_log(r"driver: platform wayland")
        app.wait_for_log(r"window shown")
        app.wait_for_log(r"timers restored")
        state = app.wait_until_exposed()
        assert "platform=wayland" in state and "exposed=True" in state, state
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        app.send(f"grab {ARTIFACTS / 'wayland-1-welcome.png'}", r"grab .* saved")

        handed = run_cli(wayland, spasmcoach_home, "run", "desk-break", "--no-prompt")  # a second launch
        assert handed.returncode == 0, handed.stderr
        app.wait_for_log(r"session started: desk-break")
        app.send("key Space", r"key Space sent")
        app.wait_for_log(r"routine paused")
        app.send("key Space", r"key Space sent")
        app.wait_for_log(r"routine resumed")
        app.send("key Escape", r"key Escape sent")
        app.wait_for_log(r"pain stop recorded: event \d+ \(desk-break")
        app.send(f"grab {ARTIFACTS / 'wayland-2-stop.png'}", r"grab .* saved")
        app.send("key ctrl+Q", r"key ctrl\+Q sent")
        assert app.proc.wait(timeout=30) == 0
    finally:
        app.kill()

    output = "\n".join(app.lines)
    assert "Traceback" not in output, output[-3000:]
    # nothing X11-only was tried and failed loudly: no xcb, no "could not connect to display"
    assert not re.search(r"xcb|could not connect to display|QSystemTrayIcon::setVisible", output), output[-3000:]
    events = [json.loads(line) for line in run_cli(wayland, spasmcoach_home, "log", "--json").stdout.splitlines()]
    stops = [e for e in events if e["type"] == "pain_stop"]
    assert len(stops) == 1 and stops[0]["routine"] == "desk-break", events


def test_a_hand_over_without_a_window_manager_to_raise_it_still_delivers(
    wayland: dict[str, str], spasmcoach_home: Path
) -> None:
    """On Wayland a client may not raise itself; a second launch still reaches the running window."""
    app = WaylandApp(wayland, spasmcoach_home, "--hidden")
    try:
        app.wait_for_log(r"started hidden")
        app.wait_for_log(r"timers restored")
        shown = run_cli(wayland, spasmcoach_home)  # the menu entry again: show the hidden window
        assert shown.returncode == 0, shown.stderr
        assert "exposed=True" in app.wait_until_exposed()
        handed = run_cli(wayland, spasmcoach_home, "timer", "ice-20")
        assert handed.returncode == 0, handed.stderr
        app.wait_for_log(r"timer started: ice-20")
        app.send("key ctrl+Q", r"key ctrl\+Q sent")
        assert app.proc.wait(timeout=30) == 0
    finally:
        app.kill()
    assert "Traceback" not in "\n".join(app.lines)
