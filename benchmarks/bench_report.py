"""The clinician's report on the five-year journal: seconds to write the whole PDF, and its pages.

The journal is ``big_journal``'s (about 15,000 History entries) with a 5,000-character note on every pain
stop, the worst case for the stops table. Each run is a fresh interpreter that imports the app, opens the
journal and calls ``documents.report.write_report`` for "everything" (no start date), as the History page's
button does for that period; the time covers reading, laying out twice (for "Page N of M") and the atomic write.

    python benchmarks/bench_report.py [RUNS]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

GOAL_S = 3.0
PROBE = r"""
import json, sys, time
from datetime import datetime
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
from spasmcoach.core.journal import Journal
from spasmcoach.documents.report import write_report
journal = Journal.open(sys.argv[1])
now = datetime(2026, 11, 21, 18).astimezone()
start = time.perf_counter()
result = write_report(journal, sys.argv[2], now=now)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "pages": result.pages, "bytes": __import__("os").path.getsize(sys.argv[2])}))
"""


def measure(runs: int = 3) -> dict[str, Any]:
    """Median seconds and the pages of the report over ``runs`` fresh processes."""
    from big_journal import build
    from common import REPO, prepared_home, scratch

    with scratch("report") as root:
        path = root / "journal.sqlite"
        counts = build(path, long_notes=100_000)  # every pain stop with a long note
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SPASMCOACH_HOME": str(prepared_home(root))}
        samples = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", PROBE, str(path), str(root / "report.pdf")], env=env, cwd=REPO,
                capture_output=True, text=True, timeout=300, check=True,
            ).stdout  # fmt: skip
            samples.append(json.loads(out.strip().splitlines()[-1]))
    median = statistics.median(s["seconds"] for s in samples)
    pages = max(s["pages"] for s in samples)
    return {"entries": counts["entries"], "stops": counts["stops"], "runs": samples, "median_s": median,
            "pages": pages, "met": median < GOAL_S}  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
