"""The main window: library, before-start, player, stop and finish pages in one stack.

Signals: pain_stop_shown(int event_id or -1) after the stop page is on screen, session_finished().
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QEvent, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from spasmcoach.core.notify import Notice
from spasmcoach.core.session import GuidedSession

from .context import AppContext
from .library import LibraryView, ago
from .player import PlayerView, SessionDriver
from .session_pages import BeforePage, FinishPage, StopPage

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    pain_stop_shown = Signal(int)
    session_finished = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("SpasmCoach")
        self.resize(1200, 820)
        self.setMinimumSize(900, 640)
        self.session: GuidedSession | None = None
        self.driver: SessionDriver | None = None
        self.prompt = True
        self._pending: tuple[str, list[str]] | None = None

        journal = ctx.journal
        self.library = LibraryView(
            ctx.load_library(),
            last_stop=(lambda rid: journal.last_pain_stop(rid)) if journal is not None else (lambda _rid: None),
            stats=self._routine_stats,
        )
        self.before = BeforePage()
        self.player = PlayerView()
        self.stop_page = StopPage()
        self.finish_page = FinishPage()
        self.stack = QStackedWidget()
        for page in (self.library, self.before, self.player, self.stop_page, self.finish_page):
            self.stack.addWidget(page)

        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.notice.setAccessibleName("Notice")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()

        self.library.start_requested.connect(self.prepare_routine)
        self.before.begin.connect(self._begin)
        self.before.cancelled.connect(self.show_library)
        self.player.stop_requested.connect(self.pain_stop)
        self.player.mute_toggled.connect(self.set_muted)
        self.stop_page.done.connect(self._stop_details)
        self.finish_page.rated.connect(self._rated_after)
        self.finish_page.closed.connect(self.show_library)
        ctx.notifier.subscribe(self._show_notice)

        geometry = ctx.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.set_muted(self._setting_bool("sound/muted"), save=False)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        reload_action = QAction("&Reload routines", self)
        reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        reload_action.triggered.connect(self.reload_library)
        file_menu.addAction(reload_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.help_menu = self.menuBar().addMenu("&Help")

    # -- notices ------------------------------------------------------------------------------------
    def _show_notice(self, notice: Notice) -> None:
        self.notice.setText(notice.message)
        self.notice.show()

    def _setting_bool(self, key: str, default: bool = False) -> bool:
        value = self.ctx.settings.value(key, default)
        return value in (True, "true", "1", 1)

    # -- library --------------------------------------------------------------------------------------
    def reload_library(self) -> None:
        self.library.set_library(self.ctx.load_library())

    def show_library(self) -> None:
        self.library.refresh_details()
        self.stack.setCurrentWidget(self.library)
        self.library.list.setFocus()

    def _routine_stats(self, routine_id: str) -> str:
        journal = self.ctx.journal
        if journal is None:
            return ""
        try:
            sessions = journal.sessions(routine=routine_id)
        except Exception:  # the details pane must never fail because of the journal
            log.exception("reading sessions for %s", routine_id)
            return ""
        if not sessions:
            return "Not done yet."
        changes = [s.pain_after - s.pain_before for s in sessions if s.pain_before is not None and s.pain_after is not None]
        text = f"Done {len(sessions)} time{'s' if len(sessions) != 1 else ''}, last {ago(sessions[-1].started)}."
        if changes:
            average = sum(changes) / len(changes)
            text += f" Pain afterwards: {average:+.1f} points on average."
        return text

    # -- running a routine -------------------------------------------------------------------------
    def prepare_routine(self, routine_id: str, left_out: list[str]) -> None:
        """Before-start page (cautions, pain rating), or straight in when prompts are off."""
        routine = self.library.library.get(routine_id)
        if routine is None:
            self.ctx.notifier.warn(f"There is no routine called “{routine_id}”.")
            return
        self._pending = (routine_id, left_out)
        if not self.prompt:
            self._begin(None)
            return
        self.before.show_routine(routine, left_out)
        self.stack.setCurrentWidget(self.before)

    def start_routine(self, routine_id: str, *, prompt: bool = True) -> None:
        """Open straight into a routine (``spasmcoach run``)."""
        self.prompt = prompt
        self.library.select(routine_id)
        self.prepare_routine(routine_id, [])

    def _begin(self, pain: object) -> None:
        if self._pending is None:
            return
        routine_id, left_out = self._pending
        self._pending = None
        routine = self.library.library.get(routine_id)
        if routine is None:
            return
        self.session = GuidedSession(
            routine, self.ctx.clock, journal=self.ctx.journal, sink=self.ctx.sink,
            notifier=self.ctx.notifier, left_out=left_out,
        )  # fmt: skip
        self.driver = SessionDriver(self.session, self)
        self.driver.finished.connect(self._finished)
        self.player.attach(self.driver, muted=self._setting_bool("sound/muted"))
        self.stack.setCurrentWidget(self.player)
        self.player.setFocus()
        self.driver.start(pain if isinstance(pain, int) else None)
        log.info("session started: %s (session %s)", routine.id, self.session.session_id)

    def pain_stop(self) -> None:
        """Halt and silence at once, write the event, and only then show the stop page."""
        session, driver = self.session, self.driver
        if session is None or driver is None or not session.runner.state.active:
            return
        driver.halt()
        record = session.pain_stop()  # halts the runner, silences, commits the pain_stop event
        step = record.point.phase.step.name if record and record.point.phase else None
        event_id = record.event_id if record and record.event_id is not None else -1
        self.player.illustration.set_animating(False)
        self.stop_page.reset(saved=event_id >= 0, step=step)
        self.stack.setCurrentWidget(self.stop_page)
        log.info("pain stop recorded: event %s", event_id)
        self.pain_stop_shown.emit(event_id)

    def _stop_details(self, pain: object, symptoms: list[str], note: str) -> None:
        if self.session is not None:
            self.session.describe_stop(pain if isinstance(pain, int) else None, symptoms, note)
        self.show_library()

    def _finished(self) -> None:
        session = self.session
        if session is None:
            return
        log.info("session finished: %s", session.routine.id)
        self.finish_page.show_session(session, prompt=self.prompt)
        self.stack.setCurrentWidget(self.finish_page)
        self.session_finished.emit()

    def _rated_after(self, pain: object) -> None:
        if self.session is None or not isinstance(pain, int):
            return
        rose = self.session.rate_after(pain)
        self.finish_page.show_rise(self.session, rose)

    def set_muted(self, muted: bool, *, save: bool = True) -> None:
        audio = self.ctx.audio
        if audio is not None:
            audio.muted = muted
        if save:
            self.ctx.settings.setValue("sound/muted", muted)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            log.info("window active")
        super().changeEvent(event)

    # -- closing ---------------------------------------------------------------------------------------
    def end_running_session(self) -> None:
        """Closing mid-routine ends it as stopped (not as a pain stop) so the journal stays complete."""
        if self.driver is not None:
            self.driver.halt()
        if self.session is not None:
            self.session.end_early()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.end_running_session()
        self.ctx.settings.setValue("window/geometry", self.saveGeometry())
        self.ctx.settings.sync()
        super().closeEvent(event)

