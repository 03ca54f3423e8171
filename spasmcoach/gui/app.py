"""Starting the window: one QApplication, the application context, and ``spasmcoach run ROUTINE``."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spasmcoach.core import instance, paths, routine_cache
from spasmcoach.core.app_id import APP_ID
from spasmcoach.core.clock import Clock, session_clock, timer_clock
from spasmcoach.core.i18n import _
from spasmcoach.core.journal import Journal, JournalError
from spasmcoach.core.notify import Notifier

if TYPE_CHECKING:
    from spasmcoach.core.timers import TimerManager, TimerPreset
    from spasmcoach.core.yamlsource import RoutineFileError

    from .single_instance import InstanceServer

log = logging.getLogger(__name__)


def open_journal(notifier: Notifier) -> Journal | None:
    """The journal, or None with a calm notice when the data folder cannot be used."""
    try:
        paths.ensure_data_dir()
        journal = Journal.open()
    except (JournalError, paths.DataDirError) as exc:
        try:  # a read-only folder or file: the history can still be read
            journal = Journal.open_readonly()
        except (JournalError, OSError):
            message = _("Your journal cannot be saved: {problem} Routines and timers still work.").format(problem=exc)
            notifier.warn(message, key="journal-open")
            return None
        notifier.warn(
            _(
                "Your journal can be read but not saved: {problem} Your history is shown; routines and timers still"
                " work."
            ).format(problem=exc),
            key="journal-open",
        )
        return journal
    if journal.recovered_from is not None:
        notifier.warn(
            _("Your journal file could not be read, so a new one was started. The old file was kept at {path}.").format(
                path=journal.recovered_from
            ),
            key="journal-recovered",
        )
    return journal


def launch_request(args: argparse.Namespace) -> dict[str, object]:
    """What this launch asks of an instance that may already be running."""
    if args.preset is not None:
        return {"cmd": "timer", "preset": args.preset}
    if args.routine is not None:
        return {"cmd": "run", "routine": args.routine, "prompt": not args.no_prompt}
    if getattr(args, "open_file", None):  # spasmcoach open FILE: the window imports it (gui/sharing_actions)
        return {"cmd": "import", "file": os.path.abspath(os.path.expanduser(args.open_file))}
    return {"cmd": "show"}


def hand_over(request: dict[str, object], lock: instance.InstanceLock) -> bool:
    """True if a running SpasmCoach took ``request`` (this launch then ends); False if this process now owns
    the data folder (``lock`` held) or the lock file cannot be used (then it runs unprotected).
    A running window that does not answer: UsageError (one line, exit 1), never a second window."""
    from spasmcoach.commands.common import UsageError

    try:
        reply = instance.hand_over_or_own(request, lock)
    except instance.InstanceError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        log.warning("cannot use the single-instance lock %s (%s); starting anyway", lock.path, exc.strerror or exc)
        return False
    if reply is None:
        return False
    log.info("handed the request to the SpasmCoach that is already running")
    return True


def answer_request(window: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Do what a later launch asked, and say what happened (for ``spasmcoach timer PRESET``'s message)."""
    wiring = window.timer_wiring
    if wiring is not None:
        wiring.last_started = None
    window.handle_request(request)
    if request.get("cmd") == "import":
        from .sharing_actions import open_handed_file

        open_handed_file(window, str(request.get("file")))
    started = wiring.last_started if wiring is not None else None
    if request.get("cmd") != "timer":
        return {}
    if started is None:
        error = _("the open window has no timer preset called '{preset}'").format(preset=request.get("preset"))
        return {"ok": False, "error": error}
    ends = started.status().ends_at
    return {"title": started.preset.title, "ends_at": ends.isoformat() if ends else None}


def load_all_presets() -> tuple[dict[str, TimerPreset], list[RoutineFileError]]:
    """Bundled and user timer presets, and the files that could not be read (no Qt: runs on a worker); through
    the preset cache, so unchanged files need no YAML."""
    from spasmcoach.core.timers.preset_cache import load_all_presets_cached

    return load_all_presets_cached()


def checked_presets(
    found: Future[tuple[dict[str, TimerPreset], list[RoutineFileError]]], notifier: Notifier
) -> dict[str, TimerPreset]:
    """The presets :func:`load_all_presets` found; a broken preset file is reported and skipped."""
    presets, errors = found.result()
    for error in errors:
        message = _("A timer preset file has mistakes and was skipped: {problem}").format(problem=error.problems[0])
        notifier.warn(message, key=f"preset:{error.file}")
    return presets


def open_timers(clock: Clock, journal: Journal | None, notifier: Notifier) -> TimerManager:
    """The therapy timers on ``clock`` (:func:`timer_clock`: counts through suspend), restored from the last run."""
    from spasmcoach.core.locale_format import format_time
    from spasmcoach.core.timers import TimerEventKind, TimerManager

    manager = TimerManager(clock, journal=journal, notifier=notifier)
    if manager.recovered_from is not None:
        message = _("Saved timers could not be read; the file was kept at {path}.").format(path=manager.recovered_from)
        notifier.warn(message, key="timers")
    for event in manager.missed:
        if event.kind is TimerEventKind.END:
            title = manager.get(event.timer_id).preset.title
            when = format_time(event.at.astimezone())
            notifier.notify(_("{title} finished at {time} while SpasmCoach was closed.").format(title=title, time=when))
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


AUDIO_MODULES = ("spasmcoach.core.session", "spasmcoach.audio")  # a routine's pages, and sound
TIMER_MODULES = ("spasmcoach.core.timers.manager", "spasmcoach.core.timers.advice")
REMINDER_MODULES = tuple(f"spasmcoach.core.reminders.{name}" for name in ("planner", "store", "events", "policy"))
"""What the set-up's parts import, none of it using Qt: imported on the worker thread ahead of each part."""


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
    if args.routine is not None and routine_cache.load_library_cached().get(args.routine) is None:
        from spasmcoach.commands.common import UsageError, library_routine

        library_routine(args.routine)  # raises UsageError naming the known routines
        raise UsageError(_("no routine called '{id}'").format(id=args.routine))

    lock = instance.InstanceLock()
    if hand_over(launch_request(args), lock):
        return 0  # before any Qt: handing over needs no display

    from PySide6.QtWidgets import QApplication

    from .appearance import install as install_appearance
    from .context import AppContext, open_settings
    from .language import install_qt_translators
    from .main_window import MainWindow
    from .menus import fill_menus
    from .set_up_turns import Preparer, after_first_paint, in_turns
    from .window_pages import build_ahead

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # the window may hide to the tray while timers run
    app.setApplicationName("SpasmCoach")
    app.setDesktopFileName(APP_ID)  # the Wayland app id: how the desktop finds our menu entry and icon
    install_appearance(app, open_settings(), getattr(args, "theme", None))  # light/dark/contrast, text size
    install_qt_translators(app)  # Qt's own buttons and dialogs in the chosen language
    notifier = Notifier()
    journal = open_journal(notifier)
    from .journal_retry import JournalRetry

    retry = JournalRetry(journal, notifier) if journal is not None else None  # saves what waits in the outbox
    ctx = AppContext(clock=clock, journal=journal, audio=None, notifier=notifier, settings=open_settings())
    window = MainWindow(ctx, menus_later=True)  # filled in the first part after the first paint
    if getattr(args, "hidden", False):  # started at login: timers run, the window waits for a launch or the tray
        log.info("started hidden")
    else:
        window.show()
        window.raise_()
        window.activateWindow()
        log.info("window shown")

    def attach_bus() -> None:
        """Desktop notifications and media keys (MPRIS) where there is a session bus."""
        from .desktop_bus import attach_desktop_bus, session_bus

        try:
            attach_desktop_bus(window, session_bus())
        except Exception:  # the desktop's services are a nicety: never a reason not to start
            log.exception("attaching to the session bus")

    def finish_setup() -> Iterator[Future[Any] | None]:
        """Sound, a routine's pages, timers, the desktop bus and reminders, after the first paint: the window
        need not wait for them. One short part per turn of the event loop (each ``yield``), so the window paints
        and answers keys between them; the modules they need (those without Qt) are imported, and the timer
        presets read, on a worker thread meanwhile (a ``yield`` of its future waits for it without blocking)."""
        prepare = Preparer()
        try:
            fill_menus(window)  # (Ctrl+Q, Ctrl+N and the other menu keys work from here on)
            yield prepare.imported(AUDIO_MODULES)  # each part waits for the worker: never both at once
            yield from build_ahead(window)  # a routine's pages, the stop page first
            window.attach_audio(make_audio(clock, notifier))
            yield prepare.imported(TIMER_MODULES)
            manager = open_timers(timers_clock, journal, notifier)
            presets = prepare.run(load_all_presets)
            yield presets
            import_module("spasmcoach.gui.timer_wiring")
            yield None
            window.attach_timers(manager, checked_presets(presets, notifier))
            yield None
            attach_bus()
            yield prepare.imported(REMINDER_MODULES)
            from .reminder_wiring import attach_reminders

            yield None
            from .desktop_bus import session_bus

            attach_reminders(window, timers_clock, session_bus())  # on the boot clock, which counts through suspend
            yield None
            # Start-up's young garbage is collected, then what stays is set aside, so the collector's full passes
            # during a routine no longer walk every module, class and widget (a 24-36 ms stall). Only the young
            # generations: a full pass here found nothing to free and held the window for 24-86 ms itself.
            gc.collect(1)
            yield None
            gc.freeze()
        finally:
            prepare.close()
        if args.routine is not None:
            window.start_routine(args.routine, prompt=not args.no_prompt)
        if args.preset is not None:
            window.start_timer(args.preset)
        if getattr(args, "open_file", None):
            from .sharing_actions import open_handed_file

            open_handed_file(window, os.path.abspath(os.path.expanduser(args.open_file)))
        if lock.held:  # later launches wait for this; by now the timers are there to take requests
            from .single_instance import InstanceServer

            server.append(InstanceServer(app, responder=lambda request: answer_request(window, request)))
            server[0].listen(lock)

    server: list[InstanceServer] = []  # answers later launches, once set up
    after_first_paint(window, lambda: in_turns(finish_setup()))
    try:
        return app.exec()
    finally:
        close = getattr(ctx.audio, "close", None)
        if callable(close):
            close()
        for listening in server:
            listening.close()
        if retry is not None:
            retry.stop()
        if journal is not None:
            journal.close()
        lock.release()
