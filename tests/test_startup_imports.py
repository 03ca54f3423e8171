"""Start-up imports only what the first paint needs (issue 17): what the window shows later loads later.

A fresh interpreter runs ``spasmcoach`` with no command (the installed package, offscreen) and notes every
module imported by the moment the main window is shown, then again once the event loop has attached sound,
timers and the rest; each module below must be absent at the first moment and present at the second (so the
test fails if it is renamed or no longer used, instead of passing forever). With the routine and preset caches
warm (the second start), PyYAML is never imported at all, nor Qt's network module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LATER = (
    "spasmcoach.gui.single_instance",  # the single-instance server listens once the timers are there
    "spasmcoach.core.timers.manager",
    "spasmcoach.core.timers.presets",
    "spasmcoach.core.session",
    "spasmcoach.gui.player",
    "spasmcoach.gui.session_pages",
    "spasmcoach.audio",
)

CHILD = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
seen = {}
show = QMainWindow.show

def noted_show(window):
    seen.setdefault("shown", sorted(sys.modules))
    show(window)
    polls = []

    def later():  # the last part of the set-up starts the single-instance server
        polls.append(1)
        if "spasmcoach.gui.single_instance" in sys.modules or len(polls) > 500:
            import gc
            seen["frozen"] = gc.get_freeze_count()
            QTimer.singleShot(100, lambda: (seen.setdefault("later", sorted(sys.modules)), QApplication.quit()))
        else:
            QTimer.singleShot(20, later)

    QTimer.singleShot(20, later)

QMainWindow.show = noted_show
from spasmcoach import cli
cli.main([])
print(json.dumps(seen))
"""


@pytest.mark.slow
def test_modules_the_first_paint_does_not_need_load_after_it(tmp_path: Path) -> None:
    home = tmp_path / "data"
    home.mkdir()
    (home / "settings.ini").write_text("[safety]\nseen=true\n", encoding="utf-8")  # a returning user
    env = dict(os.environ, SPASMCOACH_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    for _run in range(2):  # the first run fills the routine cache, as a returning user has it
        done = subprocess.run(
            [sys.executable, "-P", "-c", CHILD], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    early = [name for name in LATER if name in seen["shown"]]
    assert early == [], f"imported before the window was shown: {early}"
    assert "yaml" not in seen["later"]  # routines and timer presets both come from their caches
    assert "PySide6.QtNetwork" not in seen["later"]  # the single-instance server is a plain Unix socket
    assert seen["frozen"] > 10_000  # what start-up made is set aside from the collector's full passes
    missing = [name for name in LATER if name not in seen["later"]]
    assert missing == [], f"never imported after start-up (the list above is out of date): {missing}"
