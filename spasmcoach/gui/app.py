"""Starting the window: one QApplication, the application context, and ``spasmcoach run ROUTINE``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spasmcoach.core import loader, paths
from spasmcoach.core.clock import Clock, session_clock, timer_clock
from spasmcoach.core.journal import Journal, JournalError
from spasmcoach.core.notify import Notifier

if TYPE_CHECKING:
    from spasmcoach.core.timers import TimerManager, TimerPreset

log = logging.getLogger(__name__)


def open_journal(notifier: Notifier) -> Journal | None:
    """The journal, or None with a calm notice when the data folder cannot be used."""
    try:
        paths.ensure_data_dir()
        journal = Journal.open()
    except (JournalError, paths.DataDirError) as exc:
        notifier.warn(f"Your journal cannot be saved: {exc} Routines and timers still work.", key="journal-open")
        return None
    if journal.recovered_from is not None:
        notifier.warn(
            f"Your journal file could not be read, so a new one was started. The old file was kept at "
            f"{journal.recovered_from}.",
            key="journal-recovered",
        )
    return journal


def launch_request(args: argparse.Namespace) -> dict[str, object]:
    """What this launch asks of an instance that may already be running."""
    if args.preset is not None:
        return {"cmd": "timer", "preset": args.preset}
    if args.routine is not None:
        return {"cmd": "run", "routine": args.routine, "prompt": not args.no_prompt}
    return {"cmd": "show"}


def load_presets(notifier: Notifier) -> dict[str, TimerPreset]:
    """Bundled and user timer presets; a broken preset file is reported and skipped."""
    from spasmcoach.core.timers import load_all_presets

    presets, errors = load_all_presets()
    for error in errors:
        message = f"A timer preset file has mistakes and was skipped: {error.problems[0]}"
        notifier.warn(message, key=f"preset:{error.file}")
    return presets


def open_timers(clock: Clock, journal: Journal | None, notifier: Notifier) -> TimerManager:
    """The therapy timers on ``clock`` (:func:`timer_clock`: counts through suspend), restored from the last run."""
    from spasmcoach.core.timers import TimerEventKind, TimerManager

    manager = TimerManager(clock, journal=journal, notifier=notifier)
    if manager.recovered_from is not None:
        notifier.warn(f"Saved timers could not be read; the file was kept at {manager.recovered_from}.", key="timers")
    for event in manager.missed:
        if event.kind is TimerEventKind.END:
            title = manager.get(event.timer_id).preset.title
            notifier.notify(f"{title} finished at {event.at.astimezone():%H:%M} while SpasmCoach was closed.")
    log.info("timers restored: %d running", len(manager.active))
    return manager


def make_audio(clock: Clock, notifier: Notifier, backend: Callable[[Path], Any] | None = None) -> Any:
    """The cue player. Its "no sound here" callback comes from a worker thread, so it is handed to the
    GUI thread through a queued signal before it reaches any widget."""
    from PySide6.QtCore import QObject, Qt, Signal

    from spasmcoach.audio import AudioPlayer

    class _ToGuiThread(QObject):
        message = Signal(str)

    bridge = _ToGuiThread()
    bridge.message.connect(lambda text: notifier.notify(text, key="audio"), Qt.ConnectionType.QueuedConnection)
    player = AudioPlayer(clock=clock, backend=backend, on_unavailable=bridge.message.emit)
    player._gui_bridge = bridge  # type: ignore[attr-defined]  # lives as long as the player
    return player


def configure_logging() -> None:
    """Warnings to stderr; ``SPASMCOACH_LOG_LEVEL=INFO`` adds the milestones end-to-end tests wait for."""
    level = os.environ.get("SPASMCOACH_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(
        level=level if level in logging.getLevelNamesMapping() else "WARNING",
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def run_gui(args: argparse.Namespace) -> int:
    configure_logging()
    clock = session_clock()  # a bad SPASMCOACH_TIME_SCALE: ValueError (a clear message, exit 2) before any window
    timers_clock = timer_clock()
    if args.routine is not None and loader.load_library().get(args.routine) is None:
        from spasmcoach.commands.common import UsageError, library_routine

        library_routine(args.routine)  # raises UsageError naming the known routines
        raise UsageError(f"no routine called '{args.routine}'")

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from . import theme
    from .context import AppContext, open_settings
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from .single_instance import InstanceServer, send_to_running

    if send_to_running(launch_request(args)):
        log.info("handed the request to the SpasmCoach that is already running")
        return 0
    server = InstanceServer()
    server.listen()
    app.setQuitOnLastWindowClosed(False)  # the window may hide to the tray while timers run
    app.setApplicationName("SpasmCoach")
    app.setDesktopFileName("spasmcoach")
    app.setStyleSheet(theme.STYLE_SHEET)
    notifier = Notifier()
    journal = open_journal(notifier)
    ctx = AppContext(clock=clock, journal=journal, audio=None, notifier=notifier, settings=open_settings())
    window = MainWindow(ctx)
    server.received.connect(window.handle_request)
    window.show()
    window.raise_()
    window.activateWindow()
    log.info("window shown")

    def finish_setup() -> None:
        """Sound and timers, right after the window is on screen: it need not wait for them."""
        window.attach_audio(make_audio(clock, notifier))
        window.attach_timers(open_timers(timers_clock, journal, notifier), load_presets(notifier))
        if args.routine is not None:
            window.start_routine(args.routine, prompt=not args.no_prompt)
        if args.preset is not None:
            window.start_timer(args.preset)

    QTimer.singleShot(0, finish_setup)
    try:
        return app.exec()
    finally:
        close = getattr(ctx.audio, "close", None)
        if callable(close):
            close()
        server.close()
        if journal is not None:
            journal.close()
