"""A small test entry: SpasmCoach in this process, steered through standard input (no xdotool on Wayland).

Usage: ``python tests/wayland_driver.py [spasmcoach arguments]``. Starts the app exactly as the
``spasmcoach`` launcher does, plus a command reader on standard input, one command a line:

- ``state``: print the platform, the window's size and whether the compositor shows it;
- ``key KEY``: a key press (``Escape``, ``Space``, ``ctrl+Q``...) through Qt's own input path, as a keyboard would send
  it. A headless compositor has no keyboard, so no window ever gets the keyboard focus there: the window
  is marked active first, as a click would do on a real desktop;
- ``grab PATH``: save the window as a PNG.

Every answer is one ``driver: ...`` line on standard error, next to the app's own log.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

from PySide6.QtCore import QSocketNotifier, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spasmcoach import cli  # noqa: E402


def say(text: str) -> None:
    print(f"driver: {text}", file=sys.stderr, flush=True)


def main_window() -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if type(widget).__name__ == "MainWindow":
            return widget
    return None


def run(command: str) -> None:
    verb, _, rest = command.strip().partition(" ")
    window = main_window()
    if verb == "state":
        handle = window.windowHandle() if window is not None else None
        exposed = handle is not None and handle.isExposed()
        size = f"{window.width()}x{window.height()}" if window is not None else "none"
        say(f"state platform={QApplication.platformName()} window={size} exposed={exposed}")
    elif verb == "key" and window is not None:
        if not window.isActiveWindow():
            with warnings.catch_warnings():  # deprecated in Qt 6, and still the only way without a seat
                warnings.simplefilter("ignore", DeprecationWarning)
                QApplication.setActiveWindow(window)
        *mods, name = rest.split("+")
        modifiers = Qt.KeyboardModifier.NoModifier
        for mod in mods:
            modifiers |= {"ctrl": Qt.KeyboardModifier.ControlModifier, "shift": Qt.KeyboardModifier.ShiftModifier,
                          "alt": Qt.KeyboardModifier.AltModifier}[mod.lower()]  # fmt: skip
        target = QApplication.focusWidget() or window
        QTest.keyClick(target, getattr(Qt.Key, f"Key_{name}"), modifiers)
        say(f"key {rest} sent to {type(target).__name__}")
    elif verb == "grab" and window is not None:
        saved = window.grab().save(rest)
        say(f"grab {rest} {'saved' if saved else 'failed'}")
    else:
        say(f"unknown command {command.strip()!r}")


def main() -> int:
    app = QApplication(sys.argv[:1])
    say(f"platform {QApplication.platformName()}")
    buffer = b""

    def readable() -> None:
        nonlocal buffer
        chunk = os.read(sys.stdin.fileno(), 4096)
        if not chunk:
            reader.setEnabled(False)
            return
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            run(line.decode())

    reader = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, app)
    reader.activated.connect(readable)
    return cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
