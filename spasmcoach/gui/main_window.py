"""The main window: the pages of :mod:`.navigation` in one stack, the header, the menus and a routine's run.

Signals: pain_stop_shown(PainStop) after the stop page is on screen, session_finished().
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spasmcoach.core import resources
from spasmcoach.core.i18n import _
from spasmcoach.core.model import Routine
from spasmcoach.core.notify import Notice

from .context import AppContext
from .editor.wiring import EditorWiring
from .geometry_dump import watch_geometry
from .library import LibraryView
from .menus import add_menus, fill_menus
from .navigation import Header, Page, PageStack
from .screen_fit import SMALLEST, fit_to_screen
from .tray import CloseChoice, Tray
from .window_pages import LATER_PAGES, LazyPage, build_page

if TYPE_CHECKING:  # these modules load after the window is on screen: timers attach, pages are built ahead
    from spasmcoach.core.session import GuidedSession, PainStop
    from spasmcoach.core.timers import TimerManager, TimerPreset

    from .player import PlayerView, SessionDriver
    from .reminder_wiring import ReminderWiring
    from .safety import InfoPage
    from .session_pages import BeforePage, FinishPage, StopPage
    from .timer_wiring import TimerWiring
    from .timers_panel import TimerDriver, TimersPage

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    return QIcon(str(resources.app_icon_path()))


class MainWindow(QMainWindow):
    pain_stop_shown = Signal(object)  # the PainStop record the stop page shows
    session_finished = Signal()
    driver_started = Signal(object)  # the SessionDriver of a routine that just started (for MPRIS)
    safety_read = Signal()  # "I understand" on the safety notes
    # made by .menus.add_menus and fill_menus
    file_menu: QMenu
    settings_menu: QMenu
    help_menu: QMenu
    voice_action: QAction
    tray_action: QAction
    login_action: QAction

    def __init__(self, ctx: AppContext, *, menus_later: bool = False) -> None:
        """``menus_later``: the caller fills the menus (``menus.fill_menus``) after the first paint."""
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("SpasmCoach")
        self.session: GuidedSession | None = None
        self.driver: SessionDriver | None = None
        self.prompt = True
        self._pending: tuple[Routine, list[str]] | None = None

        journal = ctx.journal
        self.library = LibraryView(
            ctx.load_library(),
            last_stop=(lambda rid: journal.last_pain_stop(rid)) if journal is not None else (lambda _rid: None),
            stats=self._routine_stats,
        )
        self.stack = PageStack()
        self.stack.add(Page.ROUTINES, self.library)
        for key in LATER_PAGES:  # built when first used, a routine's pages just after the first paint (app.py)
            self.stack.add_lazy(key, partial(build_page, self, key))

        self.timer_wiring: TimerWiring | None = None  # the ice and heat timers, once they attach
        self.reminder_wiring: ReminderWiring | None = None  # reminders, once they attach (.reminder_wiring)
        self.header = Header()
        self.nav_buttons = self.header.buttons
        self.timer_summary = self.header.timer_summary
        self.header.open_requested.connect(self.open_page)
        self.header.summary_clicked.connect(self._summary_clicked)
        self.tray = Tray(app_icon(), self)
        self.tray.show_requested.connect(self.show_from_tray)
        self.tray.quit_requested.connect(self.quit_app)
        self.tray.checkin_requested.connect(self.show_checkin)
        self._quitting = False
        self._told_about_tray = False

        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.notice.setAccessibleName(_("Notice"))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.editor = EditorWiring(self)  # New / Edit / Duplicate / Delete and the editor page
        add_menus(self)
        if not menus_later:
            fill_menus(self)

        self.library.start_requested.connect(self.prepare_routine)
        self.library.checkin_requested.connect(self.show_checkin)
        ctx.notifier.subscribe(self._show_notice)
        self.stack.currentChanged.connect(self._page_changed)
        if ctx.timers is not None:
            self.attach_timers(ctx.timers, ctx.presets)
        self.setWindowIcon(app_icon())
        self.enter_presses_buttons(self)
        self._page_changed()

        self.setMinimumSize(SMALLEST)  # before restoring: changing it on a restored window warns on some platforms
        geometry = ctx.settings.value("window/geometry")
        restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        fit_to_screen(self, restored=restored)  # inside the screen's free area, whatever its size
        watch_geometry(self)  # SPASMCOACH_DEBUG_GEOMETRY only: where everything is, for the real-window tests
        self.attach_audio(ctx.audio)
        if not self.setting_bool("safety/seen"):
            self.show_safety()

    @staticmethod
    def enter_presses_buttons(root: QWidget) -> None:
        """Enter (not only Space) presses the focused button, as keyboard users expect; Qt does this by
        default only inside dialogs."""
        for button in root.findChildren(QPushButton):
            button.setAutoDefault(True)

    before: LazyPage[BeforePage] = LazyPage(Page.BEFORE)  # each built on first use (.window_pages)
    player: LazyPage[PlayerView] = LazyPage(Page.PLAYER)
    stop_page: LazyPage[StopPage] = LazyPage(Page.STOP)
    finish_page: LazyPage[FinishPage] = LazyPage(Page.FINISH)
    safety: LazyPage[InfoPage] = LazyPage(Page.SAFETY)
    self_care: LazyPage[InfoPage] = LazyPage(Page.SELF_CARE)

    def show_checkin(self) -> None:
        """ "How is your back?" (library, tray, Ctrl+4); never over a running routine, which stays on screen."""
        if not self.isVisible() or self.isMinimized():
            self.show_from_tray()
        spec = self.stack.current_spec()
        if spec is None or not spec.in_routine:
            page = self.stack.show_page(Page.CHECKIN)
            self._page_changed()
            page.scale.buttons[0].setFocus() if page is not None else None  # type: ignore[attr-defined]

    @property
    def timers_page(self) -> TimersPage | None:
        return self.timer_wiring.page if self.timer_wiring is not None else None

    @property
    def timer_driver(self) -> TimerDriver | None:
        return self.timer_wiring.driver if self.timer_wiring is not None else None

    def open_page(self, key: Page) -> None:
        if key is Page.ROUTINES:
            self.show_library()
        elif key is Page.CHECKIN:
            self.show_checkin()
        else:
            self.stack.show_page(key)

    def _page_changed(self, *_args: object) -> None:
        self.header.follow(self.stack)
        if self.timer_driver is not None:
            self.timer_driver.set_visible(self.isVisible())

    def attach_audio(self, audio: object) -> None:
        """Sound arrives just after the window is shown (it is not needed to draw it)."""
        self.ctx.audio = audio
        self.set_muted(self.setting_bool("sound/muted"), save=False)
        speech = getattr(getattr(audio, "speech", None), "available", False)
        voice = getattr(self, "voice_action", None)  # not there before the menus are filled
        if voice is not None:
            voice.setEnabled(bool(speech))
            voice.setChecked(bool(speech) and self.setting_bool("sound/voice", True))

    def attach_timers(self, manager: TimerManager, presets: dict[str, TimerPreset]) -> None:
        """The ice and heat timers: their page, the header line, the tray and the driver that wakes them."""
        from .timer_wiring import TimerWiring

        self.ctx.timers, self.ctx.presets = manager, presets
        self.timer_wiring = TimerWiring(manager, self.ctx, self.tray, self.timer_summary, self)
        self.enter_presses_buttons(self.timer_wiring.page)
        self.stack.add(Page.TIMERS, self.timer_wiring.page)
        self.timer_wiring.driver.tick()
        self._page_changed()

    def _summary_clicked(self) -> None:
        """The header's timer line opens the Timers page, except during a routine (no accidental exits)."""
        spec = self.stack.current_spec()
        if spec is None or not spec.in_routine:
            self.stack.show_page(Page.TIMERS)

    def start_timer(self, preset_id: str) -> None:
        """Start a preset from outside the window (``spasmcoach timer PRESET``), safety notes as a notice."""
        preset = self.ctx.presets.get(preset_id)
        if preset is None or self.timer_wiring is None:
            self.ctx.notifier.warn(_("There is no timer preset called “{id}”.").format(id=preset_id))
            return
        self.timer_wiring.start(preset)
        if not self.player.isVisible():
            self.stack.show_page(Page.TIMERS)
        log.info("timer started: %s", preset_id)

    def handle_request(self, request: dict[str, object]) -> None:
        """A request from a second launch: bring the window forward and do what it asked."""
        self.show_from_tray()
        command, preset, routine = request.get("cmd"), request.get("preset"), request.get("routine")
        if command == "timer" and isinstance(preset, str):
            self.start_timer(preset)
        elif (
            command == "run"
            and isinstance(routine, str)
            and (self.session is None or not self.session.runner.state.active)
        ):
            self.start_routine(routine, prompt=bool(request.get("prompt", True)))

    def show_from_tray(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self._page_changed()

    def quit_app(self) -> None:
        self._quitting = True
        self.close()

    # -- notices ------------------------------------------------------------------------------------
    def _show_notice(self, notice: Notice) -> None:
        self.notice.setText(notice.message)
        self.notice.show()

    def setting_bool(self, key: str, default: bool = False) -> bool:
        value = self.ctx.settings.value(key, default)
        return value in (True, "true", "1", 1)

    # -- library --------------------------------------------------------------------------------------
    def reload_library(self) -> None:
        self.library.set_library(self.ctx.load_library())

    def show_library(self) -> None:
        self.library.refresh_details()
        self.stack.show_page(Page.ROUTINES)
        self.library.list.setFocus()

    def _routine_stats(self, routine_id: str) -> str:
        """Times done, average pain change and last stop, for the library's details pane."""
        journal = self.ctx.journal
        if journal is None:
            return ""
        from spasmcoach.core.history import routine_stats, routine_stats_text

        try:
            return routine_stats_text(routine_stats(journal, routine_id), datetime.now(UTC))
        except Exception:  # the details pane must never fail because of the journal
            log.exception("reading statistics for %s", routine_id)
            return ""

    # -- safety and settings ---------------------------------------------------------------------
    def show_safety(self) -> None:
        self.stack.show_page(Page.SAFETY)
        self.safety.button.setFocus()

    def show_self_care(self) -> None:
        self.stack.show_page(Page.SELF_CARE)

    def _safety_read(self) -> None:
        self.ctx.settings.setValue("safety/seen", True)
        self.show_library()
        self.safety_read.emit()

    def set_voice(self, on: bool) -> None:
        audio = self.ctx.audio
        if audio is not None and hasattr(audio, "voice_enabled"):
            audio.voice_enabled = on
        self.ctx.settings.setValue("sound/voice", on)

    # -- running a routine -------------------------------------------------------------------------
    def prepare_routine(self, routine_id: str, left_out: list[str]) -> None:
        routine = self.library.library.get(routine_id)
        if routine is None:
            self.ctx.notifier.warn(_("There is no routine called “{id}”.").format(id=routine_id))
            return
        self.prepare(routine, left_out)

    def prepare(self, routine: Routine, left_out: list[str]) -> None:
        """Before-start page (cautions, pain rating), or straight in when prompts are off; ``routine`` may be
        the editor's unsaved one (Try it)."""
        self._pending = (routine, left_out)
        if not self.prompt:
            self._begin(None)
            return
        self.before.show_routine(routine, left_out)
        self.stack.show_page(Page.BEFORE)

    def start_routine(self, routine_id: str, *, prompt: bool = True) -> None:
        """Open straight into a routine (``spasmcoach run``); ``--no-prompt`` also skips the welcome page."""
        self.prompt = prompt
        if not prompt:
            self.ctx.settings.setValue("safety/seen", True)
        self.library.select(routine_id)
        self.prepare_routine(routine_id, [])

    def _begin(self, pain: object) -> None:
        if self._pending is None:
            return
        routine, left_out = self._pending
        self._pending = None
        from spasmcoach.core.session import GuidedSession

        from .instructions_menu import read_instructions_for

        self.session = GuidedSession(
            routine, self.ctx.clock, journal=self.ctx.journal, sink=self.ctx.sink,
            notifier=self.ctx.notifier, left_out=left_out,
            read_instructions=self.voice_action.isChecked()  # no voice: nothing to wait for in a get-ready
            and read_instructions_for(self.ctx.settings, self.ctx.journal, routine.id),
        )  # fmt: skip
        if self.driver is not None:  # the last run's driver, runner and timer go with it
            self.driver.halt()
            self.driver.deleteLater()
        from .player import SessionDriver

        self.driver = SessionDriver(self.session, self)
        self.driver.finished.connect(self._finished)
        self.player.attach(self.driver, muted=self.setting_bool("sound/muted"))
        self.stack.show_page(Page.PLAYER)
        self.player.setFocus()
        self.driver.start(pain if isinstance(pain, int) else None)
        self.driver_started.emit(self.driver)
        log.info("session started: %s (session %s)", routine.id, self.session.session_id)

    def pain_stop(self, source: str = "window") -> None:
        """Halt, silence and commit the pain_stop event (the driver and the session), then show the stop page.

        ``source``: how the stop was given ("window", or "media-key" from :mod:`.mpris`)."""
        record: PainStop | None = self.driver.pain_stop(source) if self.driver is not None else None
        if record is None:  # nothing was running
            return
        self.stop_page.show_stop(record)
        self.stack.show_page(Page.STOP)
        log.info("pain stop recorded: event %s (%s at %s)", record.event_id, record.routine_id, record.step)
        self.pain_stop_shown.emit(record)

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
        self.stack.show_page(Page.FINISH)
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
        if event.type() == QEvent.Type.ActivationChange:
            log.info("window active" if self.isActiveWindow() else "window inactive")
        super().changeEvent(event)

    # -- closing ---------------------------------------------------------------------------------------
    def end_running_session(self) -> None:
        """Closing mid-routine ends it as stopped (not as a pain stop) so the journal stays complete."""
        if self.driver is not None:
            self.driver.halt()
        if self.session is not None:
            self.session.end_early()

    def keeps_running_in_tray(self) -> bool:
        """Closing hides to the tray while timers run or reminders are set, if there is a tray and the setting
        allows it (a reminder cannot come from an app that has quit)."""
        timers = self.ctx.timers
        wanted = self.setting_bool("timers/close_to_tray", True)
        busy = bool(timers and timers.active) or self._reminders_set()
        return busy and self.tray.available and wanted and not self._quitting

    def _reminders_set(self) -> bool:
        return self.reminder_wiring is not None and self.reminder_wiring.active

    def _close_answered(self, choice: CloseChoice) -> None:
        timers = self.ctx.timers
        if choice is CloseChoice.KEEP:
            self.end_running_session()
            self.showMinimized()
        elif choice is CloseChoice.STOP and timers is not None:
            for timer in timers.active:
                timers.cancel(timer.id)
            QTimer.singleShot(0, self, self.quit_app)  # not from inside the close event that asked

    def closeEvent(self, event: QCloseEvent) -> None:
        timers = self.ctx.timers
        if timers and timers.active and not self._quitting and not self.keeps_running_in_tray():
            event.ignore()  # closing would silence their alarms: ask first
            self.tray.ask_close(self, len(timers.active), self._close_answered)
            return
        self.ctx.settings.setValue("window/geometry", self.saveGeometry())
        self.end_running_session()
        if self.keeps_running_in_tray():
            event.ignore()
            self.hide()
            if self.timer_driver is not None:
                self.timer_driver.set_visible(False)
            if not self._told_about_tray:
                self._told_about_tray = True
                timers_run = bool(self.ctx.timers and self.ctx.timers.active)
                self.tray.notify("SpasmCoach", _("Your timers keep running here in the tray.") if timers_run
                                 else _("Your reminders keep coming from here in the tray."))  # fmt: skip
            self.ctx.settings.sync()
            return
        if self.timer_driver is not None:
            self.timer_driver.timer.stop()
        self.tray.hide()
        self.ctx.settings.sync()
        super().closeEvent(event)
        QApplication.quit()
