"""Draw SpasmCoach's pose illustrations from one small stick-figure model and write them as SVG files.

Every picture is posed from the same figure (a head circle and limb segments between named joints), so
proportions, line weights and colours stay the same across the set. Standard library only; the output is
byte-for-byte reproducible. The drawing lives in the ``illustrations`` package beside this script: geometry,
shapes, the figure, the scene, shared poses, the lying and the upright pictures, and the catalogue.

Usage: python tools/make_illustrations.py [OUTPUT_FOLDER]      (default: assets/illustrations)
"""

from __future__ import annotations

import sys
from pathlib import Path

from illustrations.catalogue import catalogue


def main(argv: list[str]) -> int:
    """Write every illustration into the output folder (default: the repository's assets/illustrations)."""
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "assets" / "illustrations"
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in catalogue().items():
        (folder / f"{name}.svg").write_text(make().svg(), encoding="utf-8", newline="\n")
    print(f"wrote {len(catalogue())} illustrations to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
