"""Settings → Read instructions aloud: on first runs (the default), always or never."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from spasmcoach.core.i18n import N_, _
from spasmcoach.core.instructions import InstructionsAloud, reads_instructions
from spasmcoach.core.journal import Journal

SETTING = "sound/instructions"
CHOICES = (
    (InstructionsAloud.FIRST_RUNS, N_("Until I have &finished the routine once")),
    (InstructionsAloud.ALWAYS, N_("&Always")),
    (InstructionsAloud.NEVER, N_("&Never")),
)


def instructions_mode(settings: QSettings) -> InstructionsAloud:
    """The chosen mode; anything unreadable counts as the default (first runs)."""
    value = settings.value(SETTING, InstructionsAloud.FIRST_RUNS.value)
    try:
        return InstructionsAloud(str(value))
    except ValueError:
        return InstructionsAloud.FIRST_RUNS


def instructions_menu(parent: QWidget, settings: QSettings) -> QMenu:
    """The submenu of three choices, saved to the settings as soon as one is picked."""
    menu = QMenu(_("Read &instructions aloud"), parent)
    menu.setToolTip(_("Read each step's instructions during its get-ready, so you can follow by ear alone"))
    group = QActionGroup(menu)
    group.setExclusive(True)
    current = instructions_mode(settings)
    for mode, text in CHOICES:
        action = QAction(_(text), menu, checkable=True)
        action.setChecked(mode is current)
        action.setData(mode.value)
        action.triggered.connect(lambda _on=False, value=mode.value: settings.setValue(SETTING, value))
        group.addAction(action)
        menu.addAction(action)
    return menu


def read_instructions_for(settings: QSettings, journal: Journal | None, routine_id: str) -> bool:
    """Whether this run of ``routine_id`` reads the instructions aloud (one small journal query)."""
    return reads_instructions(instructions_mode(settings), journal, routine_id)
