"""Start-up: seconds from spawning ``spasmcoach`` until its window is mapped on a real X server (Xvfb),
against a minimal PySide6 window titled the same way, launched and timed the same way, runs alternating.

"Visible" is the X server's MapNotify for the top-level window named SpasmCoach, seen by a separate X
client listening on the root window: no polling, so no polling interval in the figure. The app attaches
its sound and timers just after the window is shown; the time until it logs "timers restored" is
reported too, as the moment it is fully set up.
"""

from __future__ import annotations

import sys
from typing import Any

from common import BENCH, TITLE, Proc, X, app_env, median, prepared_home, scratch, venv_script, xvfb


def measure(runs: int) -> dict[str, Any]:
    """Median start-up of the app and of the reference, and their ratio, from ``runs`` alternating pairs."""
    app_times: list[float] = []
    ref_times: list[float] = []
    ready_times: list[float] = []
    commands = {"app": [venv_script("spasmcoach")], "reference": [sys.executable, str(BENCH / "minimal_window.py")]}
    with xvfb() as display, scratch("startup") as root:
        x = X(display)
        home = prepared_home(root)  # a returning user: journal and settings already exist after the warm-up
        try:
            for index in range(runs + 1):  # the first pair warms the disk cache and creates the journal
                for name, command in commands.items():
                    proc = Proc.launch(command, app_env(display, home))
                    try:
                        mapped = x.wait_for_map(TITLE, timeout=60)
                        if name == "app":  # sound and timers are attached just after the window shows
                            ready = proc.wait_for(r"timers restored", timeout=60)
                    finally:
                        proc.stop()
                    x.wait_for_unmap(mapped.window)
                    if index > 0:
                        (app_times if name == "app" else ref_times).append(mapped.at - proc.started)
                        if name == "app":
                            ready_times.append(ready - proc.started)
        finally:
            x.close()
    app, ref = median(app_times), median(ref_times)
    return {
        "app_s": app_times, "reference_s": ref_times, "app_median_s": app, "reference_median_s": ref,
        "app_ready_s": ready_times, "app_ready_median_s": median(ready_times),
        "ratio": app / ref, "target_ratio": 1.3, "met": app / ref <= 1.3,
    }  # fmt: skip


if __name__ == "__main__":
    import json

    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 7), indent=2))
