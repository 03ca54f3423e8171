"""Timing accuracy: a 3-minute routine played in real time in the real window under Xvfb; every phase
boundary's actual time against its schedule, the median and worst error, and the drift by the end.

See timing_child.py for what is recorded. Errors are actual minus planned, in milliseconds (positive is
late). Drift is the least-squares slope of the error against the planned offset (ms per minute) and the
difference between the finish's error and the first boundary's: a tick-counting timer would show both
growing; a deadline-based one shows neither.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from common import BENCH, app_env, median, prepared_home, scratch, sound_home, xvfb

ROUTINE_ID = "bench-3min"
ROUTINE = """title: Benchmark, three minutes
kind: release
area: lower-back
get_ready: 5
steps:
  - name: Breathe
    duration: 30
    image: breathing-1.svg
  - name: Knee to chest
    hold: 15
    reps: 2
    rest: 5
    sides: both
    image: knee-to-chest.svg
  - name: Pelvic tilt
    hold: 10
    reps: 3
    rest: 5
    images: [pelvic-tilt-1.svg, pelvic-tilt-2.svg]
    frame_seconds: 2
  - name: Rest
    duration: 15
    image: rest-supine-pillows.svg
"""  # 5+30 + 5+4*15+3*5 + 5+3*10+2*5 + 5+15 = 180 s
QUICK_ROUTINE = """title: Benchmark, thirty seconds
kind: release
get_ready: 3
steps:
  - name: Knee to chest
    hold: 5
    reps: 2
    rest: 2
    sides: both
    image: knee-to-chest.svg
  - name: Rest
    duration: 5
    image: rest-supine-pillows.svg
"""  # 3+4*5+3*2 + 3+5 = 37 s, for --quick
BOUNDARY_CUES = {"get-ready", "hold", "rest", "switch-sides", "done"}
TARGET_WORST_MS = 20.0


def slope_ms_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of error (ms) against planned offset (s), as ms per minute."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return 60 * cov / var if var else 0.0


def analyse(run: dict[str, Any]) -> dict[str, Any]:
    """Per-boundary errors of one run and their summary."""
    origin, total = run["origin"], run["total"]
    planned = {p["index"]: p["start"] for p in run["phases"]}
    boundaries = sorted({p["start"] for p in run["phases"] if p["start"] > 0} | {total})
    cue_errors: list[tuple[float, float]] = []
    silent: list[float] = []
    for offset in boundaries:
        due = origin + offset
        matches = [
            c for c in run["cues"] if c["cue"] in BOUNDARY_CUES and c["due"] is not None and abs(c["due"] - due) < 1e-6
        ]
        if not matches:  # a boundary the cue catalogue leaves silent (or with a cue not listed above)
            silent.append(offset)
            continue
        cue_errors.append((offset, 1000 * (min(c["at"] for c in matches) - due)))
    shown_errors = [
        (planned[s["index"]], 1000 * (s["at"] - origin - planned[s["index"]]))
        for s in run["shown"]
        if planned[s["index"]] > 0
    ]
    other = [1000 * (c["at"] - c["due"]) for c in run["cues"] if c["cue"] not in BOUNDARY_CUES and c["due"] is not None]
    values = [e for _, e in cue_errors]
    return {
        "boundaries": len(cue_errors),
        "silent_boundaries": silent,
        "cue_errors_ms": cue_errors,
        "shown_errors_ms": shown_errors,
        "median_ms": median(values),
        "worst_ms": max(values, key=abs),
        "shown_median_ms": median([e for _, e in shown_errors]),
        "shown_worst_ms": max((e for _, e in shown_errors), key=abs),
        "other_cues_median_ms": median(other) if other else None,
        "other_cues_worst_ms": max(other, key=abs) if other else None,
        "drift_ms_per_min": slope_ms_per_minute(cue_errors),
        "end_minus_start_ms": cue_errors[-1][1] - cue_errors[0][1],
        "finish_error_ms": cue_errors[-1][1],
        "wakeups": run["wakeups"],
        "sound_available": run["sound_available"],
    }


def one_run(display: str, index: int, routine: str) -> dict[str, Any]:
    """Play ``routine`` once in a child process and return its recording."""
    with scratch(f"timing-{index}") as root:
        home, user = prepared_home(root, {ROUTINE_ID: routine}), sound_home(root)
        env = app_env(display, home, scale=1.0, user_home=user)
        result = subprocess.run(
            [sys.executable, str(BENCH / "timing_child.py"), ROUTINE_ID],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"timing run failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return json.loads(result.stdout)


def measure(runs: int, *, quick: bool = False) -> dict[str, Any]:
    """``runs`` real-time plays of the 3-minute routine (3 minutes each, one after the other)."""
    analyses = []
    with xvfb() as display:
        for index in range(runs):
            analyses.append(analyse(one_run(display, index, QUICK_ROUTINE if quick else ROUTINE)))
    summary = {
        key: median([a[key] for a in analyses])
        for key in (
            "median_ms",
            "worst_ms",
            "shown_median_ms",
            "shown_worst_ms",
            "drift_ms_per_min",
            "end_minus_start_ms",
            "finish_error_ms",
        )
    }
    summary["worst_of_all_runs_ms"] = max((a["worst_ms"] for a in analyses), key=abs)
    summary["target_worst_ms"] = TARGET_WORST_MS
    summary["met"] = abs(summary["worst_of_all_runs_ms"]) < TARGET_WORST_MS and abs(summary["drift_ms_per_min"]) < 1.0
    return {"routine_s": analyses[0]["cue_errors_ms"][-1][0], "runs": analyses, **summary}


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3, quick="--quick" in sys.argv), indent=2))
