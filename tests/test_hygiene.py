"""Resource hygiene: 200 routines back to back at high speed leave nothing behind.

One child process (this file run as a script) builds the real window with the real audio player, whose
"sounds" are real short-lived processes, runs 200 routines in a row at 300x time (every fifth ends in a
pain stop), then closes everything. It reports what it saw as JSON; the tests below each check one
promise: memory stays flat, no timer keeps running, no thread or sound process is left, and a finished
routine's objects are released. A child process keeps the test runner's own memory figures and children
out of the measurement.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROUTINES = 200
WARM_UP = 50  # routines run before the memory baseline is taken (caches, first-use allocations)
SCALE = 300.0
SOUND_SECONDS = "0.3"  # each cue "plays" as a real process for this long
HEAP_GROWTH_LIMIT = 256 * 1024  # Python heap growth allowed over the last 150 routines
RSS_GROWTH_LIMIT = 4 * 1024 * 1024
TINY = """title: Tiny
kind: rest
get_ready: 1
steps:
  - name: Hold on both sides
    hold: 1
    reps: 2
    rest: 1
    sides: both
    images: [walk-1.svg, walk-2.svg]
    frame_seconds: 0.5
  - name: Lie still
    duration: 4
    image: knee-to-chest.svg
"""


# -- the child ----------------------------------------------------------------------------------------------


def child_pids() -> list[tuple[int, str]]:
    """(pid, state) of this process's direct children, zombies included, from /proc."""
    me = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[1] == me:
            found.append((int(entry), fields[0]))
    return found


def rss_bytes() -> int:
    """This process's resident size from /proc/self/statm."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_child(out: Path) -> None:
    """Run the 200 routines and write the report to ``out`` (called in the child process)."""
    import gc
    import shutil
    import threading
    import tracemalloc
    from types import SimpleNamespace

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication

    from spasmcoach.audio import AudioPlayer, PlaysoundHandle
    from spasmcoach.core import paths
    from spasmcoach.core.clock import MonotonicClock, ScaledClock
    from spasmcoach.core.journal import Journal
    from spasmcoach.core.timers import TimerManager
    from spasmcoach.gui.context import AppContext, open_settings
    from spasmcoach.gui.main_window import MainWindow
    from spasmcoach.gui.player import SessionDriver

    app = QApplication([])
    home = paths.ensure_data_dir()
    (home / "routines").mkdir(exist_ok=True)
    (home / "routines" / "tiny.yaml").write_text(TINY)
    sleep = shutil.which("sleep")
    assert sleep is not None
    spawned = 0

    def backend(path: Path) -> PlaysoundHandle:
        """Every cue becomes a real child process, so stop_all and close have real work to do."""
        nonlocal spawned
        spawned += 1
        return PlaysoundHandle(SimpleNamespace(subprocess=subprocess.Popen([sleep, SOUND_SECONDS])))

    class NoSpeech:
        """No speech engine, so only cue sounds are started."""

        available = False

        def render(self, text: str) -> None:
            """Nothing to render."""

        def close(self) -> None:
            """Nothing to close."""

    clock = ScaledClock(MonotonicClock(), SCALE)
    player = AudioPlayer(clock=clock, backend=backend, max_lateness=30.0, speech=NoSpeech())  # type: ignore[arg-type]
    journal = Journal.open()
    timers = TimerManager(clock, state_path=home / "timers.json", journal=journal)
    ctx = AppContext(clock=clock, journal=journal, audio=player, settings=open_settings(), timers=timers)
    window = MainWindow(ctx)
    window.show()
    loop = QEventLoop()
    window.session_finished.connect(loop.quit)
    window.pain_stop_shown.connect(loop.quit)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)

    def all_timers() -> list[QTimer]:
        """Every QTimer under any top-level window."""
        return [t for widget in QApplication.topLevelWidgets() for t in widget.findChildren(QTimer)]

    threads_before = sorted(t.name for t in threading.enumerate())
    report: dict[str, Any] = {"threads_before": threads_before, "active_timers": [], "outcomes": []}

    def stop_midway() -> None:
        """Press stop once the routine is 3 s in: mid-hold, with cue processes playing."""
        session = window.session
        if session is not None and session.runner.state.active and session.runner.offset >= 3:
            window.pain_stop()

    stops = 0
    for index in range(ROUTINES):
        window.start_routine("tiny", prompt=False)
        if stops < (index + 1) // 5:  # every fifth routine; a stop that a stall made miss is retried next
            assert window.driver is not None
            window.driver.updated.connect(stop_midway)
        guard.start(20_000)
        loop.exec()
        guard.stop()
        session = window.session
        assert session is not None
        report["outcomes"].append(str(session.runner.state))
        stops += session.runner.state == "stopped"
        if window.stack.currentWidget() is window.stop_page:
            window.stop_page.finish.click()
        app.processEvents()
        running = sorted(t.objectName() or "unnamed" for t in all_timers() if t.isActive())
        if running:
            report["active_timers"].append([index, running])
        if index + 1 == WARM_UP:
            gc.collect()
            tracemalloc.start()
            report["rss_at_warm_up"] = rss_bytes()
        if index + 1 == ROUTINES:
            gc.collect()
            app.processEvents()
            report["heap_growth"] = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            report["rss_at_end"] = rss_bytes()
            report["drivers"] = len(window.findChildren(SessionDriver))
            report["svg_renderers"] = len(window.findChildren(QSvgRenderer))
            report["threads_during"] = sorted(t.name for t in threading.enumerate())
    report["sounds_spawned"] = spawned
    window.quit_app()
    player.close()
    journal.close()
    app.processEvents()
    report["children_after_close"] = child_pids()
    report["threads_after_close"] = sorted(t.name for t in threading.enumerate())
    report["sessions"] = [s.outcome for s in Journal.open().sessions()]
    out.write_text(json.dumps(report))


# -- the tests ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the child once for the whole module and read what it saw."""
    folder = tmp_path_factory.mktemp("hygiene")
    out = folder / "report.json"
    env = dict(os.environ, SPASMCOACH_HOME=str(folder / "home"), QT_QPA_PLATFORM="offscreen")
    env.pop("SPASMCOACH_TIME_SCALE", None)
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(out)], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"the child failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return json.loads(out.read_text())


def test_two_hundred_routines_ran_and_were_journaled(report: dict[str, Any]) -> None:
    """The run really happened: about 160 finished, 40 stopped for pain, each closed as such in the journal."""
    finished, stopped = report["outcomes"].count("finished"), report["outcomes"].count("stopped")
    assert finished + stopped == ROUTINES and stopped >= ROUTINES // 5 - 3
    assert sorted(report["sessions"]) == sorted(["completed"] * finished + ["stopped"] * stopped)


def test_no_timer_keeps_running_after_a_routine(report: dict[str, Any]) -> None:
    """After each routine (finished or stopped) nothing in the window is left waking up."""
    assert report["active_timers"] == []


def test_no_sound_process_is_left_behind(report: dict[str, Any]) -> None:
    """Hundreds of cue processes were started; after closing, none is running and none is a zombie."""
    assert report["sounds_spawned"] >= ROUTINES
    assert report["children_after_close"] == []


def test_no_thread_is_left_behind(report: dict[str, Any]) -> None:
    """The audio worker is the only thread added while running, and closing ends it."""
    assert set(report["threads_during"]) - set(report["threads_before"]) <= {"spasmcoach-audio"}
    assert report["threads_after_close"] == ["MainThread"]


def test_a_finished_routine_is_released(report: dict[str, Any]) -> None:
    """After 200 routines only the last routine's driver is still alive."""
    assert report["drivers"] <= 1


def test_illustrations_of_past_steps_are_released(report: dict[str, Any]) -> None:
    """Only the current step's frames (at most two here) are still loaded."""
    assert report["svg_renderers"] <= 2


def test_memory_stays_flat(report: dict[str, Any]) -> None:
    """From routine 50 to routine 200 the Python heap and the resident size hardly grow."""
    assert report["heap_growth"] < HEAP_GROWTH_LIMIT, f"heap grew {report['heap_growth'] / 1024:.0f} KiB"
    rss_growth = report["rss_at_end"] - report["rss_at_warm_up"]
    assert rss_growth < RSS_GROWTH_LIMIT, f"RSS grew {rss_growth / 2**20:.1f} MiB"


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    run_child(Path(sys.argv[2]))
