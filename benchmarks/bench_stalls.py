"""The longest stall of the GUI thread: during a routine, opening every page, and starting up with 1,000 routines.

Each scenario runs the real program (``spasmcoach.cli.main``, as the ``spasmcoach`` script does) in a child
process on a private Xvfb, with the event-loop watchdog of ``watchdog.py`` started just before it:

- *start-up with 1,000 user routines*: a data folder whose routines folder holds 1,000 files (made as in
  ``bench_library``), started once unmeasured first, so the routine cache is as a returning user has it.
  Reported: when the event loop first turned (everything before it is start-up, measured by
  ``bench_startup``), and the longest stall in the 5 seconds after (attaching sound, timers and the bus,
  and any work left for after the first paint).
- *opening every page*: every page of ``gui.navigation.PAGES``, one every 0.8 s, in a returning user's data
  folder (each page built on first use); the worst stall from the click to 0.8 s later, per page.
- *a routine*: ``spasmcoach run lower-back-release --no-prompt`` at ``SPASMCOACH_TIME_SCALE=20`` (the same
  phases and redraws as at normal speed, 20 times as often), from 2 s after start-up to the finish.

    python benchmarks/bench_stalls.py [RUNS]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

STALL_GOAL_MS = 50.0
PAGE_GAP_MS = 800
ROUTINE = "lower-back-release"


def _window() -> Any:
    """The running app's main window."""
    from PySide6.QtWidgets import QApplication

    from spasmcoach.gui.main_window import MainWindow

    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def child(mode: str) -> dict[str, Any]:
    """In the child: start the watchdog, run the app, act, and return the stalls."""
    sys.path.insert(0, str(BENCH.parent))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from watchdog import StallSampler, Watchdog

    app = QApplication(sys.argv[:1])
    dog = Watchdog()
    result: dict[str, Any] = {}
    started = time.perf_counter()
    QTimer.singleShot(0, dog.restart)  # the first thing the event loop does: stalls count from here
    dog.start()
    sampler = StallSampler(dog) if os.environ.get("BENCH_STALL_STACKS") else None
    if sampler is not None:
        sampler.start()

    def after_startup() -> None:
        first = dog.loop_started or started
        result["loop_first_s"] = first - started
        result["worst_ms"] = dog.worst(first, time.perf_counter())
        result["major_faults"] = dog.faults_in(first, time.perf_counter())
        app.quit()

    def open_pages() -> None:
        from spasmcoach.gui.navigation import PAGES, SPECS

        window = _window()
        keys = [spec.key for spec in PAGES]
        pages: dict[str, float] = {}
        faults: dict[str, int] = {}

        def step(index: int) -> None:
            if index > 0:
                pages[str(keys[index - 1])] = dog.worst(opened[0], time.perf_counter())
                faults[str(keys[index - 1])] = dog.faults_in(opened[0], time.perf_counter())
            if index == len(keys):
                result["pages_ms"] = pages
                result["pages_major_faults"] = faults  # pages read back from disk while each page opened
                result["worst_ms"] = max(pages.values())
                window.open_page(SPECS[keys[0]].key)
                QTimer.singleShot(200, app.quit)
                return
            opened[0] = time.perf_counter()
            window.open_page(keys[index])
            QTimer.singleShot(PAGE_GAP_MS, lambda: step(index + 1))

        opened = [0.0]
        step(0)

    def watch_routine() -> None:
        window = _window()
        begin = time.perf_counter()

        def finished() -> None:
            result["routine_s"] = time.perf_counter() - begin
            result["worst_ms"] = dog.worst(begin, time.perf_counter())
            long = [[round(at - begin, 3), round(late)] for at, late in dog.ticks if late > 30 and at > begin]
            result["long_stalls"] = long
            # the same stalls with the GUI thread's own CPU ms in them (little CPU: it was waiting, e.g. for the GIL)
            # and the other threads' CPU ms and the GUI thread's ms waiting for a core (a busy machine) meanwhile,
            # and the process's major page faults (pages read back from disk) during the stall
            result["long_stalls_cpu_ms"] = [
                [round(at - begin, 3), round(late), round(cpu), round(others), round(queued), faults]
                for (at, late), cpu, (others, queued), faults in zip(
                    dog.ticks, dog.cpu_ms, dog.others_ms, dog.faults, strict=True
                )
                if late > 30 and at > begin
            ]
            QTimer.singleShot(300, app.quit)

        if window.session is None:  # already over (should not happen at this scale)
            finished()
        else:
            window.session_finished.connect(finished)

    argv: list[str] = []
    if mode == "startup":
        QTimer.singleShot(5000, after_startup)
    elif mode == "pages":
        QTimer.singleShot(2500, open_pages)
    else:
        argv = ["run", ROUTINE, "--no-prompt"]
        QTimer.singleShot(2000, watch_routine)
    QTimer.singleShot(120_000, app.quit)  # a bound, whatever happens
    from spasmcoach.cli import main

    main(argv)
    dog.stop()
    if sampler is not None:
        result["stall_stacks"] = sampler.stop()
    if "worst_ms" not in result:  # the scenario did not finish (bounded at 120 s): say so, with what was seen
        result["incomplete"] = True
        result["worst_ms"] = dog.worst(started, time.perf_counter())
    return result


def _run(mode: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode], env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} child failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure(runs: int = 3) -> dict[str, Any]:
    """Each scenario ``runs`` times in fresh processes; the worst stall of all runs per scenario."""
    from bench_library import make_files
    from common import app_env, prepared_home, scratch, sound_home, xvfb

    samples: dict[str, list[dict[str, Any]]] = {"startup": [], "pages": [], "routine": []}
    with scratch("stalls") as root, xvfb() as display:
        plain = prepared_home(root / "plain")
        many = prepared_home(root / "many")
        make_files(many / "routines", 1000)
        user_home = sound_home(root)
        _run("startup", app_env(display, many, user_home=user_home))  # a returning user: the routine cache is warm
        for _ in range(runs):
            samples["startup"].append(_run("startup", app_env(display, many, user_home=user_home)))
            samples["pages"].append(_run("pages", app_env(display, plain, user_home=user_home)))
            samples["routine"].append(_run("routine", app_env(display, plain, scale=20, user_home=user_home)))
    result: dict[str, Any] = {"runs": samples}
    for name, found in samples.items():
        result[f"{name}_worst_ms"] = max(s["worst_ms"] for s in found)
    result["startup_loop_first_s"] = min(s["loop_first_s"] for s in samples["startup"])
    pages: dict[str, float] = {}
    for sample in samples["pages"]:
        for key, value in sample["pages_ms"].items():
            pages[key] = max(pages.get(key, 0.0), value)
    result["pages_ms"] = pages
    result["met"] = all(result[f"{n}_worst_ms"] < STALL_GOAL_MS for n in samples)
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2])))
    else:
        print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
