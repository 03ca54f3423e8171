"""Real window under Xvfb: start a timer from the command line, kill the app, relaunch, timer restored."""

from __future__ import annotations

import json
from pathlib import Path

from e2e import App, cli, xvfb  # noqa: F401  (xvfb is a fixture)

SCALE = 20.0  # one real second is 20 s of timer time: the 5-minute ice massage takes 15 s


def running(home: Path) -> list[dict]:
    result = cli(home, "timers", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_timer_survives_a_kill_and_a_second_launch_hands_over(xvfb: str, spasmcoach_home: Path) -> None:  # noqa: F811
    app = App(xvfb, spasmcoach_home, scale=SCALE)
    try:
        app.wait_for_log(r"window shown")
        # 'spasmcoach timer' hands the request to the open window (no second window) and says what it did.
        for preset in ("ice-cycle", "ice-massage"):
            handed = cli(spasmcoach_home, "timer", preset)
            assert handed.returncode == 0 and "in the open window" in handed.stdout, handed.stdout + handed.stderr
            app.wait_for_log(rf"timer started: {preset}")
        app.window_id()
        app.screenshot("e2e-timer-running")
        timers = running(spasmcoach_home)
        assert sorted(t["preset"] for t in timers) == ["ice-cycle", "ice-massage"]
        cycle = next(t for t in timers if t["preset"] == "ice-cycle")
        assert cycle["therapy"] == "cold" and cycle["phase"] == "on" and cycle["cycle"] == 1
        assert 0 < cycle["remaining"] <= 20 * 60 and cycle["ends_at"].endswith("+00:00")
        app.wait_for_log(r"timer finished: Ice massage", timeout=40)
    finally:
        app.kill()
    before_restart = {t["preset"]: t for t in running(spasmcoach_home)}
    assert list(before_restart) == ["ice-cycle"]

    relaunched = App(xvfb, spasmcoach_home, scale=SCALE)
    try:
        relaunched.wait_for_log(r"window shown")
        relaunched.window_id()
        relaunched.screenshot("e2e-timer-restored")
        after = {t["preset"]: t for t in running(spasmcoach_home)}
        assert list(after) == ["ice-cycle"]
        # Time kept running while the app was dead: less is left now, and the end time did not move.
        assert after["ice-cycle"]["remaining"] < before_restart["ice-cycle"]["remaining"]
        assert after["ice-cycle"]["ends_at"][:19] == before_restart["ice-cycle"]["ends_at"][:19]
    finally:
        relaunched.quit()
    log = [json.loads(line) for line in cli(spasmcoach_home, "log", "--json").stdout.splitlines()]
    kinds = [(e["type"], e["data"].get("preset")) for e in log if e["type"].startswith("timer_")]
    assert ("timer_start", "ice-cycle") in kinds and ("timer_end", "ice-massage") in kinds
