"""History on a five-year journal (about 15,000 entries): open the page, switch to "Everything", filter by
a routine; each timed from the action until the page shows the new rows, chart and insights (its
``loaded`` signal), while a 5 ms QTimer measures how late the GUI thread's event loop gets (the longest
stall). Runs the page in a child process on a private Xvfb.

    python benchmarks/bench_history.py [RUNS]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

GOAL_S, STALL_GOAL_MS = 0.3, 50.0


def child(journal_path: str) -> dict[str, Any]:
    """In the child: build the page, act, time each action and the longest event-loop stall."""
    sys.path.insert(0, str(BENCH.parent))
    from datetime import datetime

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from spasmcoach.core.history import preset_titles
    from spasmcoach.core.journal import Journal
    from spasmcoach.gui import theme
    from spasmcoach.gui.history import HistoryView

    app.setStyleSheet(theme.STYLE_SHEET)
    journal = Journal.open(journal_path)
    now = datetime(2026, 11, 21, 18).astimezone()
    worst = {"ms": 0.0}
    last = {"t": time.perf_counter()}

    def tick() -> None:
        moment = time.perf_counter()
        worst["ms"] = max(worst["ms"], (moment - last["t"]) * 1000 - 5)
        last["t"] = moment

    watchdog = QTimer()
    watchdog.setInterval(5)
    watchdog.timeout.connect(tick)

    def act(action: Any, view: Any) -> tuple[float, float]:
        """Seconds until the page has loaded, and the longest stall meanwhile (ms)."""
        loop = QEventLoop()
        worst["ms"], last["t"] = 0.0, time.perf_counter()
        started = time.perf_counter()
        view_ref = action()
        view = view_ref or view
        if view.loading:
            view.loaded.connect(loop.quit)
            QTimer.singleShot(30_000, loop.quit)
            loop.exec()
            view.loaded.disconnect(loop.quit)
        elapsed = time.perf_counter() - started
        settle = QEventLoop()  # let the paint of the new rows and chart happen, still watched
        QTimer.singleShot(150, settle.quit)
        settle.exec()
        return elapsed, worst["ms"]

    watchdog.start()
    holder: dict[str, Any] = {}

    titles = preset_titles()  # as the window does: its presets are loaded at start-up, before any page opens

    def open_page() -> Any:
        view = HistoryView(journal, now=lambda: now, titles=titles)
        view.resize(1280, 760)
        view.show()
        holder["view"] = view
        return view

    results: dict[str, Any] = {"open": act(open_page, None)}
    view = holder["view"]
    results["everything"] = act(lambda: view.set_period("Everything"), view)
    results["filter"] = act(lambda: view.set_routine("desk-break"), view)
    results["rows"] = len(view.shown_rows())
    watchdog.stop()
    journal.close()
    return results


def measure(runs: int = 3) -> dict[str, Any]:
    """Build the journal once, run the page ``runs`` times in fresh processes, report medians and worsts."""
    from big_journal import build
    from common import xvfb

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.sqlite"
        counts = build(path)
        samples = []
        with xvfb() as display:
            env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "SPASMCOACH_HOME": folder}
            for _ in range(runs):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(path)], env=env, capture_output=True, text=True,
                    timeout=300, check=True,
                ).stdout  # fmt: skip
                samples.append(json.loads(out.strip().splitlines()[-1]))
    result: dict[str, Any] = {"entries": counts["entries"], "runs": samples}
    for name in ("open", "everything", "filter"):
        result[f"{name}_median_s"] = statistics.median(s[name][0] for s in samples)
        result[f"{name}_stall_worst_ms"] = max(s[name][1] for s in samples)
    result["met"] = all(result[f"{n}_median_s"] < GOAL_S for n in ("open", "everything", "filter")) and all(
        result[f"{n}_stall_worst_ms"] < STALL_GOAL_MS for n in ("open", "everything", "filter")
    )
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2])))
    else:
        print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
