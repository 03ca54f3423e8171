"""Run the SpasmCoach benchmarks and print a summary table; raw figures go to benchmarks/results/.

    python benchmarks/run.py              # everything, about 15 minutes (the timing runs take 3 x 3 min)
    python benchmarks/run.py --quick      # fewer runs and a 37-second timing routine, about 3 minutes
    python benchmarks/run.py --only startup,library
    python benchmarks/run.py --table benchmarks/results/results-….json   # reprint an earlier table

Needs Xvfb and libX11 (xdotool brings it); sound is simulated with ALSA's null device when aplay exists.
Not part of the test suite: nothing here passes or fails a build. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_history  # noqa: E402
import bench_idle  # noqa: E402
import bench_library  # noqa: E402
import bench_memory  # noqa: E402
import bench_report  # noqa: E402
import bench_stalls  # noqa: E402
import bench_startup  # noqa: E402
import bench_timing  # noqa: E402
from common import BENCH, REPO  # noqa: E402

BENCHMARKS: dict[str, tuple[Callable[[argparse.Namespace], dict[str, Any]], str]] = {
    "startup": (lambda a: bench_startup.measure(3 if a.quick else 7), "start-up vs a minimal PySide6 window"),
    "memory": (lambda a: bench_memory.measure(1 if a.quick else 3), "resident memory"),
    "idle": (lambda a: bench_idle.measure(1 if a.quick else 3), "idle CPU"),
    "timing": (lambda a: bench_timing.measure(1 if a.quick else 3, quick=a.quick), "timing accuracy"),
    "library": (lambda a: bench_library.measure(3 if a.quick else 5), "library scale"),
    "history": (lambda a: bench_history.measure(1 if a.quick else 3), "History on a five-year journal"),
    "stalls": (lambda a: bench_stalls.measure(1 if a.quick else 3), "GUI-thread stalls"),
    "report": (lambda a: bench_report.measure(1 if a.quick else 3), "clinician report on a five-year journal"),
}


def environment() -> dict[str, Any]:
    """What the figures were measured on."""
    import PySide6

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "commit": commit, "cpu": cpu,
        "cores": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
        "pyside6": PySide6.__version__,
    }  # fmt: skip


def yes(met: bool) -> str:
    """A table cell for a met (or missed) target."""
    return "yes" if met else "no"


def screen_worst(timing: dict[str, Any]) -> float:
    """The latest screen update over all timing runs."""
    return max((run["shown_worst_ms"] for run in timing["runs"]), key=abs)


def summary(results: dict[str, Any]) -> list[str]:
    """The table for benchmarks/README.md."""
    rows = ["| benchmark | result | target | met |", "|---|---|---|---|"]
    if s := results.get("startup"):
        result = f"app {s['app_median_s']:.3f} s, minimal window {s['reference_median_s']:.3f} s: **{s['ratio']:.2f}×**"
        if "app_ready_median_s" in s:
            result += f" (sound and timers attached at {s['app_ready_median_s']:.3f} s)"
        rows.append(f"| start-up (window mapped) | {result} | ≤ 1.3× | {yes(s['met'])} |")
    if m := results.get("memory"):
        start_rss, end_rss = m["startup_rss_mib"], m["after_routine_rss_mib"]
        result = f"RSS **{start_rss:.1f} MiB** (PSS {m['startup_pss_mib']:.1f}; minimal window "
        result += f"{m['reference_rss_mib']:.1f})"
        rows.append(f"| memory after start-up | {result} | ≤ 75 MiB | {yes(start_rss <= 75)} |")
        result = (
            f"RSS **{end_rss:.1f} MiB** (peak {m['after_routine_peak_rss_mib']:.1f}, "
            f"PSS {m['after_routine_pss_mib']:.1f}; "
            f"after a second run of it {m['after_second_routine_rss_mib']:.1f})"
        )
        rows.append(f"| memory after a routine | {result} | < 100 MiB | {yes(end_rss < 100)} |")
    if i := results.get("idle"):
        routine, hidden = i["routine_app_pct"], i["timer_hidden_app_pct"]
        result = f"**{routine:.2f} %** of a core (+{i['routine_children_pct']:.2f} % in sound processes)"
        rows.append(f"| CPU during a routine | {result} | ≤ 0.5 % | {yes(routine <= 0.5)} |")
        result = f"**{hidden:.3f} %** (timers page on screen: {i['timer_visible_app_pct']:.2f} %)"
        rows.append(f"| CPU, timer only, window hidden | {result} | < 0.2 % | {yes(hidden < 0.2)} |")
    if t := results.get("timing"):
        result = (
            f"cue median **{t['median_ms']:.1f} ms**, worst **{t['worst_of_all_runs_ms']:.1f} ms**; "
            f"drift {t['drift_ms_per_min']:+.2f} ms/min, finish {t['finish_error_ms']:.1f} ms late; "
            f"screen median {t['shown_median_ms']:.1f} ms, worst {screen_worst(t):.1f} ms"
        )
        met = f"cues {yes(t['met'])}, screen {yes(abs(screen_worst(t)) < 16)}"
        target = "cues worst < 20 ms, no drift; screen worst < 16 ms"
        rows.append(f"| timing, {t['routine_s']:.0f} s routine | {result} | {target} | {met} |")
    if lib := results.get("library"):
        result = f"load_library **{lib['load_library_median_s']:.2f} s**"
        if "cached_median_s" in lib:
            result += f" (with the routine cache, as the window loads them: **{lib['cached_median_s']:.2f} s**)"
        result += f"; `spasmcoach validate` {lib['validate_median_s']:.2f} s"
        rows.append(f"| 1,000 routine files | {result} | < 1 s | {yes(lib['load_library_median_s'] < 1.0)} |")
    if h := results.get("history"):
        parts = [
            f"{name} **{h[f'{key}_median_s']:.2f} s** (stall {h[f'{key}_stall_worst_ms']:.0f} ms)"
            for name, key in (("open", "open"), ("Everything", "everything"), ("filter", "filter"))
        ]
        result = f"{h['entries']:,} entries: " + ", ".join(parts)
        rows.append(f"| History, 5-year journal | {result} | < 0.3 s each, stall < 50 ms | {yes(h['met'])} |")
    if st := results.get("stalls"):
        rows.extend(stall_rows(st))
    if r := results.get("report"):
        result = f"**{r['median_s']:.2f} s**, {r['pages']} pages ({r['entries']:,} entries, a 5,000-character note "
        result += "on every pain stop)"
        rows.append(f"| clinician report, 5-year journal | {result} | < 3 s, bounded pages | {yes(r['met'])} |")
    for name, error in results.get("failed", {}).items():
        rows.append(f"| {name} | not measured: {error[:100]} | | |")
    return rows


def stall_rows(st: dict[str, Any]) -> list[str]:
    """The GUI-thread stall rows: a routine, every page, start-up with 1,000 routines."""
    goal = f"< {bench_stalls.STALL_GOAL_MS:.0f} ms"
    pages = st.get("pages_ms", {})
    slowest = sorted(pages.items(), key=lambda item: -item[1])[:3]
    which = ", ".join(f"{name} {ms:.0f} ms" for name, ms in slowest)
    rows = []
    for name, what, extra in (
        ("routine", "longest GUI stall, routine running", "lower-back-release at 20× speed"),
        ("pages", "longest GUI stall, opening every page", f"slowest: {which}"),
        ("startup", "longest GUI stall, start-up with 1,000 routines",
         f"after the event loop first ran at {st.get('startup_loop_first_s', 0):.2f} s"),
    ):  # fmt: skip
        worst = st[f"{name}_worst_ms"]
        rows.append(f"| {what} | **{worst:.0f} ms** ({extra}) | {goal} | {yes(worst < bench_stalls.STALL_GOAL_MS)} |")
    return rows


def main() -> int:
    """Run the chosen benchmarks, save the raw figures and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs and a short timing routine")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: " + ", ".join(BENCHMARKS))
    parser.add_argument("--out", type=Path, default=BENCH / "results", help="folder for the JSON results")
    parser.add_argument("--table", type=Path, metavar="JSON", help="only print the table for an earlier results file")
    args = parser.parse_args()
    if args.table is not None:
        print("\n".join(summary(json.loads(args.table.read_text()))))
        return 0
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    failed: dict[str, str] = {}
    results: dict[str, Any] = {"environment": environment(), "quick": args.quick, "failed": failed}
    for name in chosen:
        run, what = BENCHMARKS[name]
        print(f"· {what} …", file=sys.stderr, flush=True)
        started = time.monotonic()
        try:
            results[name] = run(args)
        except Exception as exc:  # one broken benchmark must not lose the others' figures
            print(f"  FAILED: {exc!r}", file=sys.stderr, flush=True)
            failed[name] = repr(exc)
            continue
        print(f"  done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = args.out / f"results-{stamp}{'-quick' if args.quick else ''}.json"
    path.write_text(json.dumps(results, indent=2))
    env = results["environment"]
    print(f"Measured {env['when']} on commit {env['commit']}: {env['cpu']}, {env['cores']} cores, "
          f"Linux {env['kernel']}, Python {env['python']}, PySide6 {env['pyside6']}.\n")  # fmt: skip
    print("\n".join(summary(results)))
    print(f"\nRaw figures: {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
