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


def test_signal_emits_do_not_leak_true(qtbot: QtBot) -> None:
    """The same release also over-released True on every Signal.emit(); a routine emits several a second."""
    from PySide6.QtCore import QObject, Signal

    class Source(QObject):
        ping = Signal(bool)

    source = Source()
    seen: list[bool] = []
    source.ping.connect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(2000):
        source.ping.emit(True)
    assert len(seen) == 2000
    assert sys.getrefcount(True) - before > -100
