"""Render SpasmCoach's main screens to docs/screenshots/*.png, offscreen, for the README.

Run after any change to the UI:  python tools/screenshots.py [OUTPUT_FOLDER]
Uses a throwaway data folder with a week of sample journal entries and a fake clock, so every run shows
the same moments (the player mid-hold, a running ice cycle, and so on).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HOME = Path(tempfile.mkdtemp(prefix="spasmcoach-shots-"))
os.environ["SPASMCOACH_HOME"] = str(HOME)

from PySide6.QtWidgets import QApplication  # noqa: E402

from spasmcoach.core import paths  # noqa: E402
from spasmcoach.core.clock import FakeClock  # noqa: E402
from spasmcoach.core.journal import Journal  # noqa: E402
from spasmcoach.core.timers import TimerManager, load_all_presets, start_episode  # noqa: E402
from spasmcoach.gui import theme  # noqa: E402
from spasmcoach.gui.context import AppContext  # noqa: E402
from spasmcoach.gui.main_window import MainWindow  # noqa: E402

SIZE = (1280, 800)


class Silent:
    """No sound while taking pictures."""

    muted = False

    def play(self, *args: object) -> None: ...

    def say(self, *args: object) -> None: ...

    def stop_all(self) -> None: ...


def sample_week(journal: Journal) -> None:
    """A plausible week: routines with pain before and after, one pain stop, some ice."""
    start = datetime.now(UTC) - timedelta(days=6, hours=3)
    start_episode(journal, start - timedelta(hours=20))
    plan = [
        ("lower-back-release", "Lower-back spasm release", 6, 4),
        ("acute-rest-positions", "Rest positions for a fresh spasm", 7, 5),
        ("lower-back-release", "Lower-back spasm release", 5, 4),
        ("desk-break", "Desk break", 4, 3),
        ("lower-back-release", "Lower-back spasm release", 4, 2),
    ]
    for day, (rid, title, before, after) in enumerate(plan):
        when = start + timedelta(days=day)
        sid = journal.start_session(rid, title, pain_before=before, steps_total=6, now=when)
        journal.end_session(sid, outcome="completed", steps_done=6, now=when + timedelta(minutes=10))
        journal.set_session_pain(sid, after=after, now=when + timedelta(minutes=11))
    when = start + timedelta(days=2, hours=5)
    sid = journal.start_session(
        "lower-back-release", "Lower-back spasm release", pain_before=5, steps_total=6, now=when
    )
    journal.record_pain_stop(
        sid, routine="lower-back-release", step="Lower-trunk rotation", phase="hold", side="left", rep=1,
        seconds=34, pain=7, symptoms=["sharper"], note="Twinge on the left", now=when + timedelta(minutes=6),
    )  # fmt: skip
    journal.end_session(sid, outcome="stopped", steps_done=3, now=when + timedelta(minutes=6))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyleSheet(theme.STYLE_SHEET)
    paths.ensure_data_dir()
    journal = Journal.open()
    sample_week(journal)
    clock = FakeClock()
    presets, _ = load_all_presets()
    timers = TimerManager(clock, journal=journal, boot_id=lambda: "screenshots")
    ctx = AppContext(clock=clock, journal=journal, audio=Silent(), timers=timers, presets=presets)
    window = MainWindow(ctx)
    window.resize(*SIZE)
    window.show()

    def shot(name: str) -> None:
        app.processEvents()
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    shot("safety")
    window.safety.button.click()
    window.library.select("lower-back-release")
    shot("library")
    window.library.start_button.click()
    shot("before")
    window.before.scale.buttons[5].click()
    clock.advance(5 + 45 + 5 + 7.4)  # into the first hold of Knee to chest
    window.driver.tick()
    shot("player")
    window.pain_stop()
    window.stop_page.scale.buttons[6].click()
    window.stop_page.symptom_boxes["tingling"].setChecked(True)
    shot("stop")
    window.stop_page.finish.click()
    timers.start(presets["ice-cycle"])
    timers.start(presets["heat-20"])
    clock.advance(7 * 60 + 12)
    window.timer_driver.tick()
    window.nav_buttons["Timers"].click()
    shot("timers")
    if "History" in window.nav_buttons:
        window.nav_buttons["History"].click()
        shot("history")
    window.quit_app()
    journal.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "screenshots")
