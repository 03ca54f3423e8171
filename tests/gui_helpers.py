"""Shared pieces for the GUI tests: a recording sound sink, a window on a fake clock, user routines."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from spasmcoach.core.clock import FakeClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.session import GuidedSession
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.player import SessionDriver

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from spasmcoach.gui.history import HistoryView

KNEE_ROUTINE = """title: Lower-back test
kind: release
area: lower-back
cautions: [Move slowly and never bounce., Stop at once if pain increases.]
get_ready: 5
steps:
  - name: Rest on your back
    instructions: Lie on a firm surface.
    duration: 30
  - name: Knee to chest
    instructions: Bring one knee slowly toward your chest.
    hold: 20
    reps: 2
    rest: 10
    sides: both
    say: Pull gently
  - name: Child's pose
    instructions: Sit back on your heels.
    duration: 20
"""


class RecordingSink:
    """Stands in for the audio player: records what would have been played."""

    def __init__(self) -> None:
        self.played: list[str] = []
        self.said: list[str] = []
        self.stops = 0
        self.muted = False

    def play(self, cue: str, due: float | None = None) -> None:
        self.played.append(cue)

    def say(self, text: str, due: float | None = None, *, droppable: bool = False, until: float | None = None) -> None:
        self.said.append(text)

    def prepare(self, texts: object) -> None:
        pass

    def stop_all(self) -> None:
        self.stops += 1


def write_routine(home: Path, name: str, text: str) -> Path:
    folder = home / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text)
    return path


def make_context(home: Path, clock: FakeClock, sink: object | None = None, journal: Journal | None = None):  # type: ignore[no-untyped-def]
    from spasmcoach.gui.context import AppContext

    home.mkdir(parents=True, exist_ok=True)
    ctx = AppContext(
        clock=clock, journal=journal or Journal.open(), audio=sink if sink is not None else RecordingSink()
    )
    # Tests run on the routines' own timings: reading instructions aloud (on for first runs by default)
    # lengthens get-readies. Tests of that setting remove this.
    ctx.settings.setValue("sound/instructions", "never")
    return ctx


# -- typed access to a window's parts (each asserts the part is there, so tests and mypy agree) -----------


def journal_of(window: MainWindow) -> Journal:
    assert window.ctx.journal is not None
    return window.ctx.journal


def session_of(window: MainWindow) -> GuidedSession:
    assert window.session is not None
    return window.session


def driver_of(window: MainWindow) -> SessionDriver:
    assert window.driver is not None
    return window.driver


def shown_history(qtbot: QtBot, journal: Journal | None, first: date, last: date) -> HistoryView:
    """A History page on screen at 1200×760 over ``first``..``last``, its rows read (off the GUI thread)."""
    from history_data import NOW

    from spasmcoach.gui.history import HistoryView

    view = HistoryView(journal, now=lambda: NOW)
    qtbot.addWidget(view)
    view.setMinimumSize(1200, 760)
    view.resize(1200, 760)
    view.show()
    view.set_dates(first, last)
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
    return view
