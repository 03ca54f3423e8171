"""Memory: resident set size of the app after start-up, and after running a routine to its end.

The app runs in a real window under Xvfb with working (silent) sound: ALSA's default device is the null
plugin, so cues start real ``aplay`` processes and speech is rendered with espeak-ng when it is installed.
Sizes are read from /proc/PID/status (VmRSS, and VmHWM for the peak) and smaps_rollup (PSS, which shares
the Qt libraries fairly with other processes) two seconds after the milestone, so start-up transients
have settled. The routine is played at SPASMCOACH_TIME_SCALE=30 to keep the run short; it makes the same
calls and draws the same pages as at normal speed, only with shorter waits between them. For the trend,
the same routine is then started a second time in the same window (a second ``spasmcoach run``, handed
over to the running app) and measured again.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

from common import BENCH, TITLE, Proc, X, app_env, median, memory, prepared_home, scratch, sound_home, venv_script, xvfb

ROUTINE = "lower-back-release"
SCALE = 30.0
SETTLE_S = 2.0
LIMIT = 100 * 1024 * 1024


def settle(proc: Proc, seconds: float = SETTLE_S) -> None:
    """Let the app idle for ``seconds`` while still draining its log pipe."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        proc.read(left)


def one_run(display: str, x: X, root_index: int) -> dict[str, dict[str, int]]:
    """Memory of the reference window, of the app at start-up, and of the app after a whole routine."""
    found: dict[str, dict[str, int]] = {}
    with scratch(f"memory-{root_index}") as root:
        home, user = prepared_home(root), sound_home(root)
        reference = Proc.launch(
            [sys.executable, str(BENCH / "minimal_window.py")], app_env(display, home, user_home=user)
        )
        try:
            x.wait_for_map(TITLE)
            settle(reference)
            found["reference"] = memory(reference.pid)
        finally:
            reference.stop()
        app = Proc.launch([venv_script("spasmcoach")], app_env(display, home, user_home=user))
        try:
            x.wait_for_map(TITLE)
            settle(app)
            found["startup"] = memory(app.pid)
        finally:
            app.stop()
        env = app_env(display, home, scale=SCALE, user_home=user)
        run = Proc.launch([venv_script("spasmcoach"), "run", ROUTINE, "--no-prompt"], env)
        try:
            run.wait_for(r"session finished", timeout=120)
            settle(run)
            found["after_routine"] = memory(run.pid)
            # A second launch hands "run" to the open window, as when the user starts it again.
            again = subprocess.run(
                [venv_script("spasmcoach"), "run", ROUTINE, "--no-prompt"], env=env, capture_output=True, timeout=60
            )
            if again.returncode != 0:
                raise RuntimeError(f"second launch failed: {again.stderr[-1000:]!r}")
            run.wait_for(r"session finished", timeout=120, count=2)
            settle(run)
            found["after_second_routine"] = memory(run.pid)
        finally:
            run.stop()
    return found


def measure(runs: int) -> dict[str, Any]:
    """Median sizes over ``runs`` runs, in MiB."""
    samples: list[dict[str, dict[str, int]]] = []
    with xvfb() as display:
        x = X(display)
        try:
            for index in range(runs):
                samples.append(one_run(display, x, index))
        finally:
            x.close()
    mib = 1024 * 1024
    result: dict[str, Any] = {"samples": samples, "routine": ROUTINE, "time_scale": SCALE, "target_mib": LIMIT / mib}
    for moment in ("reference", "startup", "after_routine", "after_second_routine"):
        for kind in ("rss", "peak_rss", "pss"):
            result[f"{moment}_{kind}_mib"] = median([s[moment][kind] for s in samples]) / mib
    result["met"] = result["startup_rss_mib"] * mib < LIMIT and result["after_routine_rss_mib"] * mib < LIMIT
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
