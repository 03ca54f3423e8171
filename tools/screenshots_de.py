"""Render the main screens in German to docs/screenshots/*-de.png, offscreen (the same moments as screenshots.py).

Run after changing the UI or the German catalogue:  python tools/screenshots_de.py [OUTPUT_FOLDER]
It runs tools/screenshots.py with the German translation chosen first, in a folder of its own, and copies the
light pictures across with a ``-de`` suffix (the dark ones would only repeat the English dark set).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots  # noqa: E402  (sets up its own throwaway data folder on import)
from PySide6.QtWidgets import QApplication  # noqa: E402

from spasmcoach.core import language  # noqa: E402
from spasmcoach.gui.language import install_qt_translators  # noqa: E402


def main(out: Path) -> None:
    language.setup("de")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    translators = install_qt_translators(app, "de")  # noqa: F841 - kept alive while the pictures are taken
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="spasmcoach-shots-de-") as folder:
        screenshots.main(Path(folder))
        for picture in sorted(Path(folder).glob("*.png")):
            if picture.stem.endswith("-dark"):
                continue
            target = out / f"{picture.stem}-de.png"
            shutil.copyfile(picture, target)
            print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "screenshots")
