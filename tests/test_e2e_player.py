"""Real window under Xvfb: run a routine, press Esc with a real key, SIGKILL, find the pain stop."""

from __future__ import annotations

import json
from pathlib import Path

from e2e import App, cli, xvfb  # noqa: F401  (xvfb is a fixture)
from gui_helpers import KNEE_ROUTINE, write_routine


def test_escape_stop_survives_sigkill(xvfb: str, spasmcoach_home: Path) -> None:  # noqa: F811
    write_routine(spasmcoach_home, "knee-test", KNEE_ROUTINE)
    app = App(xvfb, spasmcoach_home, "run", "knee-test", "--no-prompt", scale=4)
    try:
        app.wait_for_log(r"session started: knee-test")
        app.window_id()
        app.screenshot("e2e-player-running")
        app.key("Escape")
        app.wait_for_log(r"pain stop recorded: event \d+")
        app.screenshot("e2e-stop-screen")
    finally:
        app.kill()  # no chance to flush anything after the stop was recorded
    result = cli(spasmcoach_home, "log", "--json")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    stops = [e for e in events if e["type"] == "pain_stop"]
    assert len(stops) == 1
    assert stops[0]["routine"] == "knee-test" and stops[0]["step"] in ("Rest on your back", "Knee to chest")
    assert stops[0]["time"].endswith("+00:00")
    assert [e["type"] for e in events] == ["session_start", "pain_stop", "session_end"]
