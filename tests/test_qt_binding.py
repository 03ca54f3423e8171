"""The installed Qt binding must not leak references to None (PySide6 6.12.0 on Python 3.11 did).

A leak of one reference per call aborts the interpreter ("none_dealloc") after a few thousand calls,
which a long routine reaches; pyproject.toml excludes that release and this test keeps it out.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_calls_do_not_leak_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(2000):
        label.setText(str(i))
    assert sys.getrefcount(None) - before > -100
