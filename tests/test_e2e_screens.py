"""Real windows under Xvfb at 1024×600, 1280×800 and 1920×1080, driven by real keys, with the GEOMETRY checked.

The app runs with ``SPASMCOACH_DEBUG_GEOMETRY`` set, so after every page change it writes where each control
and text is on the real X screen; tests/layout_checks.py then checks that the Stop button is whole inside the
window and the screen, no text is cut and nothing overlaps, page by page: welcome, library, before, player
running and paused, the stop page with Numbness ticked, finish, history. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e import App, cli, xvfb_sized  # noqa: F401  (xvfb_sized is a fixture)
from layout_checks import inside, problems, stop_button

SIZES = ["1024x600", "1280x800", "1920x1080"]


class Screens:
    """The app with its geometry dump, and a way to wait for the dump of the page just reached."""

    def __init__(self, app: App, dump: Path, size: str) -> None:
        self.app, self.dump, self.size = app, dump, size
        self.mark = 0  # log lines before this were already looked at

    def reached(
        self,
        page: str,
        shot: str,
        until: Callable[[dict[str, Any]], bool] = lambda _snap: True,
        *,
        tables: bool = True,
    ) -> dict[str, Any]:
        """Wait until the window has settled on ``page`` (and ``until`` holds) and written its geometry;
        check it and return it."""
        while True:
            self.app.wait_for_log(rf"geometry written: {page} \d+x\d+", after=self.mark)
            self.app.drain()
            self.mark = len(self.app.lines)
            snap: dict[str, Any] = json.loads(self.dump.read_text())
            if snap["page"] == page and until(snap):
                break
        self.app.screenshot(f"screens-{self.size}-{shot}")
        found = problems(snap, tables=tables)
        assert not found, f"{page} at {self.size}:\n  " + "\n  ".join(found)
        frame = tuple(snap["frame"])
        assert inside(frame, tuple(snap["screen"])), f"the window {frame} is not inside the screen {snap['screen']}"
        return snap


@pytest.mark.xvfb
@pytest.mark.parametrize("xvfb_sized", SIZES, indirect=True)
def test_every_page_fits_the_real_screen(
    xvfb_sized: str,  # noqa: F811
    spasmcoach_home: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    size = request.node.callspec.params["xvfb_sized"]
    dump = tmp_path / "geometry.json"
    app = App(xvfb_sized, spasmcoach_home, scale=20, env={"SPASMCOACH_DEBUG_GEOMETRY": str(dump)})
    screens = Screens(app, dump, size)
    try:
        app.wait_for_log(r"window shown")
        app.window_id()
        welcome = screens.reached("Safety", "1-welcome")
        assert any(w["text"] == "I understand — continue" for w in welcome["widgets"])
        app.key("Return")
        screens.reached("Routines", "2-library")
        app.key("ctrl+1", "Home", "Return")
        screens.reached("Before you start", "3-before")
        app.key("Return")
        app.wait_for_log(r"session started")
        running = screens.reached("Player", "4-player")
        app.key("space")
        app.wait_for_log(r"routine paused")
        paused = screens.reached("Player", "5-paused")
        assert paused["paused"] and stop_button(paused)["rect"] == stop_button(running)["rect"]
        app.key("space", "Escape")
        app.wait_for_log(r"pain stop recorded")
        screens.reached("Stopped", "6-stopped")
        app.key("shift+Tab", "shift+Tab", "shift+Tab", "shift+Tab", "space", "Tab")  # Numbness, ticked
        stopped = screens.reached(
            "Stopped", "7-numbness", until=lambda snap: any(w["name"] == "alert" for w in snap["widgets"])
        )
        warning = next((w for w in stopped["widgets"] if w["name"] == "alert"), None)
        assert warning is not None, [w["name"] for w in stopped["widgets"]]
        assert "999" in warning["text"] and warning["visible"] == warning["rect"], "the emergency advice is cut"
        app.key("Tab", "Tab", "Tab", "Return")  # past Weakness and the note to "Save and go back to the library"
        screens.reached("Routines", "8-library-again")
        mark = len(app.lines)
        app.key("Return", "Return")  # the same routine again, without a rating
        app.wait_for_log(r"session started", after=mark)
        app.key(*["Right"] * 60)
        app.wait_for_log(r"session finished")
        screens.reached("Finished", "9-finished")
        app.key("5", "Return")  # the closing rating, typed; Enter then goes back to the library
        screens.reached("Routines", "10-library-after")
        app.key("ctrl+3")
        history = screens.reached(  # History fills itself over a few turns: wait until its rows are read
            "History", "11-history", lambda snap: any(t["rows"] for t in snap["tables"]), tables=size != "1024x600"
        )
        if size != "1024x600":  # on a netbook, History scrolls down to its table
            assert any(t["rows_on_screen"] for t in history["tables"]), "History shows no rows"
    finally:
        app.quit()


@pytest.mark.xvfb
@pytest.mark.parametrize("xvfb_sized", ["1024x600"], indirect=True)
def test_keyboard_only_journey(xvfb_sized: str, spasmcoach_home: Path) -> None:  # noqa: F811
    """Pick a routine, rate 4 before with Tab, arrows and Enter, pause, resume, stop with Esc, rate 6 after
    by typing it, save with Enter; the journal has both ratings and the pain stop."""
    dump = spasmcoach_home.parent / "geometry.json"
    app = App(xvfb_sized, spasmcoach_home, scale=3, env={"SPASMCOACH_DEBUG_GEOMETRY": str(dump)})
    try:
        app.wait_for_log(r"window shown")
        app.window_id()
        app.key("Return")  # "I understand — continue"
        app.key("ctrl+1", "Home", "Down", "Return")  # the second routine in the list: its before page
        app.key("Tab", "Right", "Right", "Right", "Right", "Return")  # to the scale, along to 4, choose it
        started = app.wait_for_log(r"session started: ([\w-]+)")
        routine = started.group(1)
        app.screenshot("keyboard-1-player")
        app.key("space")
        app.wait_for_log(r"routine paused")
        app.key("space")
        app.wait_for_log(r"routine resumed")
        app.key("Escape")
        app.wait_for_log(r"pain stop recorded")
        app.key("6")  # the rating after, typed
        app.screenshot("keyboard-2-stopped")
        mark = len(app.lines)
        app.key("Return")  # the rating moved the focus to "Save and go back to the library"
        app.wait_for_log(r"geometry written: Routines", after=mark)  # saved: the library is back
        app.key("ctrl+q")
        assert app.proc.wait(timeout=30) == 0
    finally:
        app.kill()
    events = [json.loads(line) for line in cli(spasmcoach_home, "log", "--json").stdout.splitlines()]
    start = next(e for e in events if e["type"] == "session_start")
    stop = next(e for e in events if e["type"] == "pain_stop")
    assert start["routine"] == routine == stop["routine"]
    assert start["pain"] == 4, start  # the rating before, given with Tab, arrows and Enter
    assert stop["pain"] == 6, stop  # the rating after the stop, typed
