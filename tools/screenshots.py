"""Render SpasmCoach's main screens to docs/screenshots/*.png, offscreen, for the README.

Run after any change to the UI:  python tools/screenshots.py [OUTPUT_FOLDER]
Uses a throwaway data folder with a week of sample journal entries and a fake clock, so every run shows
the same moments (the player mid-hold, a running ice cycle, and so on). The main pages are also taken in
the dark theme (``NAME-dark.png``), switched live as a user would, to show every page reads in it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HOME = Path(tempfile.mkdtemp(prefix="spasmcoach-shots-"))
os.environ["SPASMCOACH_HOME"] = str(HOME)

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTabWidget  # noqa: E402

from spasmcoach.core import diary, paths  # noqa: E402
from spasmcoach.core.clock import FakeClock  # noqa: E402
from spasmcoach.core.journal import Journal  # noqa: E402
from spasmcoach.core.timers import TimerManager, load_all_presets, start_episode  # noqa: E402
from spasmcoach.gui import theme  # noqa: E402
from spasmcoach.gui.checkin import CheckInPage  # noqa: E402
from spasmcoach.gui.context import AppContext  # noqa: E402
from spasmcoach.gui.history import HistoryView  # noqa: E402
from spasmcoach.gui.main_window import MainWindow  # noqa: E402
from spasmcoach.gui.navigation import Page  # noqa: E402
from spasmcoach.gui.palette import DARK, LIGHT  # noqa: E402

SIZE = (1280, 800)
SMALL = (1008, 552)  # the window on a 1024×600 screen (see spasmcoach.gui.screen_fit)
DARK_TOO = {"safety", "library", "player", "player-small", "stop", "timers", "history", "calendar", "checkin"}


class Silent:
    """No sound while taking pictures."""

    muted = False

    def play(self, *args: object) -> None: ...

    def say(self, *args: object, **kwargs: object) -> None: ...

    def prepare(self, *args: object) -> None: ...

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
    sample_diary(journal, start)


def sample_diary(journal: Journal, start: datetime) -> None:
    """Check-ins two or three times a day, easing over the week, and two pain relievers."""
    areas = [["lower-back-centre", "buttock"], ["lower-back-left"], ["lower-back-centre"]]
    for day in range(7):
        for slot, hours in enumerate((1, 7, 12)[: 2 + day % 2]):
            pain = max(0, 7 - day + (slot == 1) - slot)
            entry = diary.CheckIn.build(pain, areas=areas[(day + slot) % 3], qualities=["aching"])
            diary.record_checkin(journal, entry, now=start + timedelta(days=day, hours=hours))
    for day in (0, 1):
        diary.record_reliever(journal, diary.Reliever.build("My usual tablets", "2"), now=start + timedelta(days=day))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))
    theme.apply(app, LIGHT)
    paths.ensure_data_dir()
    journal = Journal.open()
    sample_week(journal)
    clock = FakeClock()
    presets, _ = load_all_presets()
    timers = TimerManager(clock, journal=journal, boot_id=lambda: "screenshots")
    ctx = AppContext(clock=clock, journal=journal, audio=Silent(), timers=timers, presets=presets)
    window = MainWindow(ctx)
    window.setWindowState(Qt.WindowState.WindowNoState)  # a fixed size, whatever the offscreen "screen" is
    window.resize(*SIZE)
    window.show()

    def grab(name: str) -> None:
        for _ in range(4):  # layout requests travel one parent per round
            app.processEvents()
        window.player.illustration.wait_rendered()  # pictures are drawn in a worker thread
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    def shot(name: str) -> None:
        grab(name)
        if name in DARK_TOO:
            theme.apply(app, DARK)
            grab(f"{name}-dark")
            theme.apply(app, LIGHT)

    shot("safety")
    window.safety.button.click()
    window.library.select("lower-back-release")
    shot("library")
    window.library.start_button.click()
    shot("before")
    window.before.scale.buttons[5].click()
    clock.advance(5 + 45 + 5 + 7.4)  # into the first hold of Knee to chest
    assert window.driver is not None
    window.driver.tick()
    shot("player")
    window.resize(*SMALL)  # a 1024×600 netbook screen, less its panel
    shot("player-small")
    window.resize(*SIZE)
    window.pain_stop()
    window.stop_page.scale.buttons[6].click()
    window.stop_page.symptom_boxes["tingling"].setChecked(True)
    shot("stop")
    window.stop_page.finish.click()
    timers.start(presets["ice-cycle"])
    timers.start(presets["heat-20"])
    clock.advance(7 * 60 + 12)
    assert window.timer_driver is not None
    window.timer_driver.tick()
    window.nav_buttons["Timers"].click()
    shot("timers")
    if "History" in window.nav_buttons:
        window.nav_buttons["History"].click()
        shot("history")
        history = window.stack.built(Page.HISTORY)
        assert isinstance(history, HistoryView)
        pages = history.diary.parentWidget()  # the tab widget's page stack
        assert pages is not None
        tabs = pages.parentWidget()
        assert isinstance(tabs, QTabWidget)
        tabs.setCurrentWidget(history.diary)  # the Calendar tab
        history.diary.calendar.setFocus()
        shot("calendar")
    window.show_checkin()
    page = window.stack.built(Page.CHECKIN)
    assert isinstance(page, CheckInPage)
    page.scale.buttons[5].click()
    page.body_map.set_areas(["lower-back-centre", "lower-back-left"])
    page.qualities.set_chosen(["aching", "cramping"])
    page.helped.set_chosen(["heat", "walking"])
    page.symptom_boxes["tingling"].setChecked(True)
    app.processEvents()  # the advice is scrolled into view; the picture starts at the top
    page.scroller.verticalScrollBar().setValue(0)
    shot("checkin")
    window.quit_app()
    journal.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "screenshots")
