"""The whole journey in a real window under Xvfb, with real keys and clicks, and a screenshot per step.

First launch (welcome page) → pick a routine with the keyboard → start → pause and resume → stop for
pain with Esc → back to the library → start an ice timer → quit → relaunch: the journal has the story
and the timer is restored with time left.
"""

from __future__ import annotations

import json
from pathlib import Path

from e2e import App, cli, xvfb  # noqa: F401  (xvfb is a fixture)


def test_full_journey(xvfb: str, spasmcoach_home: Path) -> None:  # noqa: F811
    app = App(xvfb, spasmcoach_home, scale=3)
    try:
        app.wait_for_log(r"window shown")
        app.window_id()
        app.screenshot("journey-1-welcome")
        app.key("Return")  # "I understand — continue" has the focus on first launch
        app.key("ctrl+1", "Home")  # the routine list; the first routine is selected
        app.screenshot("journey-2-library")
        app.key("Return")  # Enter on a routine starts it: the before-start page
        app.screenshot("journey-3-before")
        app.key("Return")  # start without rating
        started = app.wait_for_log(r"session started: ([\w-]+)")
        routine = started.group(1)
        app.screenshot("journey-4-player")
        app.key("space")
        app.wait_for_log(r"routine paused")
        app.screenshot("journey-5-paused")
        app.key("space")
        app.wait_for_log(r"routine resumed")
        app.key("Escape")
        app.wait_for_log(r"pain stop recorded: event \d+")
        app.screenshot("journey-6-stopped")
        app.key("Return")  # "Save and go back to the library"
        handed = cli(spasmcoach_home, "timer", "ice-20")  # a second launch hands the timer to this window
        assert handed.returncode == 0, handed.stderr
        app.wait_for_log(r"timer started: ice-20")
        app.screenshot("journey-7-timer")
        app.key("ctrl+q")
        assert app.proc.wait(timeout=30) == 0
    finally:
        app.kill()

    relaunched = App(xvfb, spasmcoach_home, scale=3)
    try:
        relaunched.wait_for_log(r"timers restored: 1 running")
        relaunched.window_id()
        relaunched.screenshot("journey-8-relaunched")
    finally:
        relaunched.quit()

    events = [json.loads(line) for line in cli(spasmcoach_home, "log", "--json").stdout.splitlines()]
    types = [e["type"] for e in events]
    assert types[:3] == ["session_start", "pain_stop", "session_end"] and "timer_start" in types
    assert all(e["routine"] == routine for e in events[:3])
    timers = json.loads(cli(spasmcoach_home, "timers", "--json").stdout)
    assert [t["preset"] for t in timers] == ["ice-20"] and 0 < timers[0]["remaining"] < 20 * 60
