"""A stand-and-stretch reminder in a real window under Xvfb, on a sped-up clock: it comes, it is taken with
the keyboard (F6, then Enter), the desk break runs through its Before page, and the journal and
``spasmcoach log --json`` have the reminder's story next to the session's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e import App, cli, xvfb  # noqa: F401  (xvfb is a fixture)

from spasmcoach.core.reminders import model, store

SCALE = 600  # ten minutes at the computer take one real second


@pytest.mark.xvfb
def test_a_reminder_is_taken_and_the_desk_break_runs(xvfb: str, spasmcoach_home: Path, tmp_path: Path) -> None:  # noqa: F811
    spasmcoach_home.mkdir(parents=True)
    settings = model.ReminderSettings(model.BreakReminder(True, model.MIN_BREAK_MINUTES), offered=True)
    store.save(settings, spasmcoach_home / store.FILE_NAME)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        "SPASMCOACH_IDLE": "plain",  # nobody types on this screen: every second would look idle otherwise
        "DBUS_SESSION_BUS_ADDRESS": "",  # no desktop services: the question is in the window
        "XDG_RUNTIME_DIR": str(runtime),
    }
    app = App(xvfb, spasmcoach_home, scale=SCALE, env=env)
    try:
        app.wait_for_log(r"window shown")
        app.window_id()
        app.key("Return")  # "I understand — continue" on the safety page
        app.wait_for_log(r"reminder shown: break via")
        app.wait_for_log(r"reminder on screen: break")
        mark = len(app.lines)
        app.key("F6")  # to the question's first button, "Start the desk break"
        app.screenshot("e2e-reminder-shown")
        app.key("Return")
        app.wait_for_log(r"reminder taken: break", after=mark)
        app.key("Return")  # the Before page: start without rating
        app.wait_for_log(r"session started: desk-break", after=mark)
        app.screenshot("e2e-reminder-desk-break")
        app.wait_for_log(r"session finished: desk-break", after=mark, timeout=60)
        app.key("ctrl+q")
        assert app.proc.wait(timeout=30) == 0
    finally:
        app.kill()

    done = cli(spasmcoach_home, "log", "--json")
    assert done.returncode == 0, done.stderr
    log = [json.loads(line) for line in done.stdout.splitlines()]
    types = [e["type"] for e in log]
    assert "reminder_shown" in types and "reminder_taken" in types
    taken = next(e for e in log if e["type"] == "reminder_taken")
    assert taken["routine"] == "desk-break" and taken["data"] == {"reminder": "break", "kind": "break"}
    sessions = [e for e in log if e["type"] in ("session_start", "session_end")]
    assert [e["routine"] for e in sessions] == ["desk-break", "desk-break"]
    assert types.index("reminder_taken") < types.index("session_start")
