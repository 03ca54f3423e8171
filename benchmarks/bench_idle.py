"""Idle cost: CPU used while a routine counts down (window visible) and while only a timer runs with the
window closed to the tray, both at normal speed (time scale 1), under Xvfb with working (silent) sound.

CPU is user+system time from /proc/PID/stat over a WINDOW_S-second window that starts a few seconds after
the milestone, as a percentage of one core. The app's own figure is the target; the sound and speech
processes it starts (aplay, espeak-ng) are reported separately from the children's reaped CPU time.

Closing to the tray needs a system tray. Xvfb has none, so this benchmark plays one: it owns the
_NET_SYSTEM_TRAY_S0 selection (Qt then offers its icon and is content), and closes the window the way a
window manager does, with WM_DELETE_WINDOW. The app then hides and its timer driver wakes only for phase
changes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

from common import (
    TITLE,
    Proc,
    X,
    app_env,
    cpu_ns,
    cpu_seconds,
    median,
    prepared_home,
    scratch,
    sound_home,
    venv_script,
    xvfb,
)

WINDOW_S = 20.0
LEAD_IN_S = 4.0
ROUTINE = "lower-back-release"
PRESET = "ice-20"


def sample(proc: Proc, seconds: float) -> dict[str, float]:
    """CPU % of one core used by the process (and by its finished children) over ``seconds``.

    The app's own time comes from its threads' schedstat (nanoseconds) where available, else from
    /proc/PID/stat (10 ms ticks); the children's from the reaped-children ticks in /proc/PID/stat.
    """
    own0, kids0 = cpu_seconds(proc.pid)
    ns0 = cpu_ns(proc.pid)
    start = time.monotonic()
    while (left := start + seconds - time.monotonic()) > 0:
        proc.read(left)  # keep the log pipe drained; this wait is the measuring window
    own1, kids1 = cpu_seconds(proc.pid)
    ns1 = cpu_ns(proc.pid)
    elapsed = time.monotonic() - start
    own = (ns1 - ns0) / 1e9 if ns0 is not None and ns1 is not None else own1 - own0
    return {"app_pct": 100 * own / elapsed, "app_ticks_pct": 100 * (own1 - own0) / elapsed,
            "children_pct": 100 * (kids1 - kids0) / elapsed}  # fmt: skip


def lead_in(proc: Proc, seconds: float = LEAD_IN_S) -> None:
    """Let start-up work settle before measuring, draining the log meanwhile."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        proc.read(left)


def routine_run(display: str, x: X, index: int) -> dict[str, float]:
    """CPU while ``ROUTINE`` counts down at normal speed, window visible."""
    with scratch(f"idle-routine-{index}") as root:
        home, user = prepared_home(root), sound_home(root)
        proc = Proc.launch(
            [venv_script("spasmcoach"), "run", ROUTINE, "--no-prompt"], app_env(display, home, user_home=user)
        )
        try:
            x.wait_for_map(TITLE)
            proc.wait_for(r"session started")
            lead_in(proc)
            result = sample(proc, WINDOW_S)
            result["sound_available"] = float(not any("sound is unavailable" in line for line in proc.lines))
            return result
        finally:
            proc.stop()


def timer_run(display: str, x: X, index: int, *, hidden: bool) -> dict[str, float]:
    """CPU while only ``PRESET`` runs, with the window closed to the tray or on screen."""
    with scratch(f"idle-timer-{index}") as root:
        home, user = prepared_home(root), sound_home(root)
        env = app_env(display, home, user_home=user)
        proc = Proc.launch([venv_script("spasmcoach")], env)
        try:
            window = x.wait_for_map(TITLE)
            proc.wait_for(r"timers restored")
            # ``spasmcoach timer`` starts a timer in the open window (alone, it only records one)
            subprocess.run([venv_script("spasmcoach"), "timer", PRESET], env=env, capture_output=True, timeout=60)
            proc.wait_for(rf"timer started: {PRESET}")
            if hidden:
                x.close_window(window.window)
                x.wait_for_unmap(window.window)
            lead_in(proc)
            if proc.popen.poll() is not None:
                raise RuntimeError("the app quit instead of closing to the tray:\n" + "\n".join(proc.lines[-20:]))
            return sample(proc, WINDOW_S)
        finally:
            proc.stop()


def measure(runs: int) -> dict[str, Any]:
    """Median CPU % over ``runs`` windows for: a routine, a timer with the window hidden, and (for
    reference) a timer on the visible Timers page."""
    found: dict[str, list[dict[str, float]]] = {"routine": [], "timer_hidden": [], "timer_visible": []}
    with xvfb() as display:
        x = X(display)
        x.become_tray()
        try:
            for index in range(runs):
                found["routine"].append(routine_run(display, x, index))
                found["timer_hidden"].append(timer_run(display, x, index, hidden=True))
                found["timer_visible"].append(timer_run(display, x, index, hidden=False))
        finally:
            x.close()
    result: dict[str, Any] = {"samples": found, "window_s": WINDOW_S, "routine": ROUTINE, "preset": PRESET}
    for name, samples in found.items():
        result[f"{name}_app_pct"] = median([s["app_pct"] for s in samples])
        result[f"{name}_children_pct"] = median([s["children_pct"] for s in samples])
    result["targets_pct"] = {"routine": 1.0, "timer_hidden": 0.2}
    result["met"] = result["routine_app_pct"] < 1.0 and result["timer_hidden_app_pct"] < 0.2
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
