"""Starting the window: one QApplication, the application context, and ``spasmcoach run ROUTINE``."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from spasmcoach.core import loader, paths
from spasmcoach.core.clock import MonotonicClock, ScaledClock, time_scale
from spasmcoach.core.journal import Journal, JournalError
from spasmcoach.core.notify import Notifier

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


def make_audio(clock: ScaledClock, notifier: Notifier) -> object:
    from spasmcoach.audio import AudioPlayer

    return AudioPlayer(clock=clock, on_unavailable=lambda message: notifier.notify(message, key="audio"))


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
    scale = time_scale()  # ValueError (a clear message, exit 2) before any window opens
    if args.routine is not None and loader.load_library().get(args.routine) is None:
        from spasmcoach.cli import UsageError, _library_routine

        _library_routine(args.routine)  # raises UsageError naming the known routines
        raise UsageError(f"no routine called '{args.routine}'")

    from PySide6.QtWidgets import QApplication

    from . import theme
    from .context import AppContext, open_settings
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("SpasmCoach")
    app.setDesktopFileName("spasmcoach")
    app.setStyleSheet(theme.STYLE_SHEET)
    notifier = Notifier()
    clock = ScaledClock(MonotonicClock(), scale)
    journal = open_journal(notifier)
    audio = make_audio(clock, notifier)
    ctx = AppContext(clock=clock, journal=journal, audio=audio, notifier=notifier, settings=open_settings())
    window = MainWindow(ctx)
    window.show()
    window.raise_()
    window.activateWindow()
    log.info("window shown")
    if args.routine is not None:
        window.start_routine(args.routine, prompt=not args.no_prompt)
    try:
        return app.exec()
    finally:
        close = getattr(audio, "close", None)
        if callable(close):
            close()
        if journal is not None:
            journal.close()
