"""The library in the dark theme: a broken routine file's row is drawn in the theme's "cannot be used"
colour, also when the theme changes while the library is open."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import write_routine
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from spasmcoach.core import loader
from spasmcoach.gui import theme
from spasmcoach.gui.library import ROLE_ERROR, LibraryView
from spasmcoach.gui.palette import DARK, LIGHT


@pytest.fixture(autouse=True)
def light_again(qapp: QApplication) -> Iterator[None]:
    yield
    theme.use(LIGHT, 1.0)
    qapp.setStyleSheet("")
    qapp.setPalette(qapp.style().standardPalette())


def broken_colour(view: LibraryView) -> str:
    rows = [view.list.item(i) for i in range(view.list.count())]
    broken = [item for item in rows if item.data(ROLE_ERROR) is not None]
    assert len(broken) == 1
    return broken[0].foreground().color().name().upper()


def test_a_broken_files_row_follows_the_theme(qapp: QApplication, qtbot: QtBot, spasmcoach_home: Path) -> None:
    write_routine(spasmcoach_home, "broken", "title: Broken\nkind: stretch\nsteps: []\n")
    view = LibraryView(loader.load_library())
    qtbot.addWidget(view)
    assert broken_colour(view) == LIGHT.broken.upper()
    theme.apply(qapp, DARK)
    qtbot.waitUntil(lambda: broken_colour(view) == DARK.broken.upper())
    assert DARK.broken.upper() != LIGHT.broken.upper()
