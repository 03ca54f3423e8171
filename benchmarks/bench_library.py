"""Library scale: loading and validating 1,000 routine files.

The files are the seven bundled routines, copied round-robin with their titles and step names changed
(so none is a byte-for-byte duplicate), all referring to the bundled illustrations, each checked the way
the app checks them: parsed, every field validated, every illustration looked up on disk safely.

Three figures, each the median of several runs in a fresh interpreter (disk cache warm):
- ``load_library``: every file parsed and checked, timed inside the process;
- ``load_library_cached``: what the window does at start-up, with the routine cache written by an earlier run
  (``core.routine_cache``: each file's stamp and pictures checked, the routine read back from JSON);
- ``validate``: ``spasmcoach validate FOLDER`` end to end, interpreter start-up included.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import REPO, median, prepared_home, scratch, venv_script

FILES = 1000
TARGET_S = 1.0
PROBE = r"""
import json, sys, time
from pathlib import Path
from spasmcoach.core import loader
from spasmcoach.core.model import Origin
folder = Path(sys.argv[1])
start = time.perf_counter()
library = loader.load_library([(folder, Origin.USER)])
elapsed = time.perf_counter() - start
from spasmcoach.core import routine_cache
routine_cache.load_library_cached([(folder, Origin.USER)], cache_path=Path(sys.argv[2]))  # written once
start = time.perf_counter()
cached = routine_cache.load_library_cached([(folder, Origin.USER)], cache_path=Path(sys.argv[2]))
cached_s = time.perf_counter() - start
assert cached.routines == library.routines
print(json.dumps({"seconds": elapsed, "cached_seconds": cached_s, "routines": len(library.routines),
                  "errors": len(library.errors)}))
"""


def make_files(folder: Path, count: int = FILES) -> None:
    """``count`` valid routine files derived from the bundled ones."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(p for p in (REPO / "routines").glob("*.yaml") if not p.name.endswith("timers.yaml"))
    texts = [p.read_text() for p in sources]
    for index in range(count):
        text = texts[index % len(texts)]
        text = text.replace("title: ", f"title: No. {index} ", 1).replace("  - name: ", f"  - name: {index} ")
        (folder / f"routine-{index:04}.yaml").write_text(text)


def measure(runs: int) -> dict[str, Any]:
    """Median seconds for load_library and for ``spasmcoach validate`` over ``FILES`` files."""
    loads: list[float] = []
    cached: list[float] = []
    validates: list[float] = []
    with scratch("library") as root:
        folder = root / "routines-1000"
        make_files(folder)
        env = {**__import__("os").environ, "SPASMCOACH_HOME": str(prepared_home(root))}
        for index in range(runs + 1):  # the first run warms the disk cache
            result = subprocess.run(
                [sys.executable, "-c", PROBE, str(folder), str(root / "routines.json")], env=env, capture_output=True,
                text=True, timeout=300,
            )
            if result.returncode != 0:
                raise RuntimeError(result.stderr)
            probe = json.loads(result.stdout)
            if probe["routines"] != FILES or probe["errors"]:
                raise RuntimeError(f"expected {FILES} valid routines, got {probe}")
            start = time.perf_counter()
            check = subprocess.run(
                [venv_script("spasmcoach"), "validate", str(folder)],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            took = time.perf_counter() - start
            if check.returncode != 0 or f"{FILES} of {FILES} files valid" not in check.stdout:
                raise RuntimeError(check.stdout[-2000:] + check.stderr[-2000:])
            if index > 0:
                loads.append(probe["seconds"])
                cached.append(probe["cached_seconds"])
                validates.append(took)
    load = median(loads)
    return {
        "files": FILES, "load_library_s": loads, "validate_s": validates, "load_library_median_s": load,
        "validate_median_s": median(validates), "files_per_s": FILES / load, "target_s": TARGET_S,
        "cached_s": cached, "cached_median_s": median(cached),
        "met": load < TARGET_S,  # the CLI figure also pays for starting Python and importing the app
    }  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5), indent=2))
