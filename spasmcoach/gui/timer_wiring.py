"""The ice and heat timers inside the main window: their page and driver, the header's timer line, the tray
lines, and the sound, pop-up and highlight when a phase ends.

Loaded when the timers attach, after the window is on screen: it pulls in the timer modules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from spasmcoach.core.cues import Moment, sound_of
from spasmcoach.core.storage import utc_now
from spasmcoach.core.timers import TimerEvent, TimerEventKind, TimerManager, TimerPreset, start_warnings

from .context import AppContext
from .timers_panel import TimerDriver, TimersPage, event_message, summary_text, tray_lines
from .tray import Tray

log = logging.getLogger(__name__)


class TimerWiring(QObject):
    """Connects one TimerManager to the window; the window adds :attr:`page` to its stack."""

    def __init__(
        self, manager: TimerManager, ctx: AppContext, tray: Tray, summary: QPushButton, window: QWidget
    ) -> None:
        super().__init__(window)
        self.manager = manager
        self.ctx = ctx
        self.tray = tray
        self.summary = summary
        self.window = window
        self.driver = TimerDriver(manager, window)
        self.page = TimersPage(self.driver, ctx.presets, ctx.journal)
        self.driver.changed.connect(self._changed)
        self.driver.events.connect(self._events)

    def _changed(self) -> None:
        text = summary_text(self.manager)
        self.summary.setText(text)
        self.summary.setVisible(bool(text))
        self.tray.update_timers(tray_lines(self.manager))

    def _events(self, events: list[TimerEvent]) -> None:
        for event in events:
            title = self.manager.get(event.timer_id).preset.title
            message = event_message(event, title)
            done = event.kind is TimerEventKind.END
            if self.ctx.audio is not None:
                self.ctx.audio.play(sound_of(Moment.TIMER_DONE if done else Moment.TIMER_PHASE))
            self.tray.notify("SpasmCoach", message)
            log.info("timer %s: %s", "finished" if done else "phase change", message)
            self.page.highlight(event.timer_id)
        QApplication.alert(self.window)

    def start(self, preset: TimerPreset) -> None:
        """Start ``preset`` without asking (a request from outside the window); its safety notes as a notice."""
        self.page.start(preset, confirm=False)
        notes = start_warnings(preset.therapy, preset.on, self.page.episode_started(), utc_now())
        if notes:
            self.ctx.notifier.warn(" ".join(notes))
