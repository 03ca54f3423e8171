"""A broken routine file in the library (issue 12 §8): the same lines as ``spasmcoach validate``, under a clear
heading, and a Start button that is disabled and looks it (also when no routine matches a search)."""

from __future__ import annotations

import io
from pathlib import Path

from gui_helpers import KNEE_ROUTINE, make_context, write_routine
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from spasmcoach.commands.main import main as cli
from spasmcoach.core.clock import FakeClock
from spasmcoach.gui import theme
from spasmcoach.gui.main_window import MainWindow

BROKEN = """title: Broken sides
kind: release
steps:
  - name: Knee to chest
    instructions: Bring one knee in.
    hold: 20
    sides: boht
"""


def open_window(qtbot: QtBot, home: Path) -> MainWindow:
    write_routine(home, "knee-test", KNEE_ROUTINE)
    write_routine(home, "broken-sides", BROKEN)
    win = MainWindow(make_context(home, FakeClock()))
    qtbot.addWidget(win)
    win.setStyleSheet(theme.STYLE_SHEET)
    win.show()
    win.show_library()
    return win


def button_colour(win: MainWindow) -> QColor:
    button = win.library.start_button
    image = button.grab().toImage()
    return QColor(image.pixel(image.width() // 2, 4))


def test_the_library_shows_the_cli_lines_under_a_clear_heading(qtbot: QtBot, spasmcoach_home: Path) -> None:
    win = open_window(qtbot, spasmcoach_home)
    out = io.StringIO()
    assert cli(["validate", str(spasmcoach_home / "routines" / "broken-sides.yaml")], out=out) == 1
    cli_line = out.getvalue().splitlines()[0]
    assert "steps[0].sides" in cli_line and "did you mean 'both'" in cli_line
    library = win.library
    texts = [library.list.item(i).text() for i in range(library.list.count())]
    row = next(i for i, t in enumerate(texts) if "broken-sides.yaml" in t)
    assert cli_line.split(":", 1)[1] in texts[row]  # line:column: field: message … suggestion, not only the message
    library.list.setCurrentRow(row)
    assert library.steps_heading.text() == "This file has errors" and not library.steps_heading.isHidden()
    assert library.cautions_heading.isHidden()  # no empty "Before you start"
    assert cli_line in library.steps.text()
    assert not library.start_button.isEnabled()


def test_start_is_disabled_and_looks_it(qtbot: QtBot, spasmcoach_home: Path) -> None:
    win = open_window(qtbot, spasmcoach_home)
    library = win.library
    library.select("knee-test")
    enabled = button_colour(win)
    assert library.start_button.isEnabled()
    library.search.setText("no routine is called this")
    assert library.title.text() == "No routines match"
    assert not library.start_button.isEnabled()
    disabled = button_colour(win)
    assert disabled != enabled and disabled.saturation() < 40  # grey, not the accent colour
    assert library.steps_heading.isHidden() and library.cautions_heading.isHidden()
