"""The ice and heat timers inside the main window: their page and driver, the header's timer line, the tray
lines, and the sound, pop-up and highlight when a phase ends.

Loaded when the timers attach, after the window is on screen: it pulls in the timer modules.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from spasmcoach.core.cues import Moment, sound_of
from spasmcoach.core.i18n import _
from spasmcoach.core.storage import utc_now
from spasmcoach.core.timers import (
    TherapyTimer,
    TimerEvent,
    TimerEventKind,
    TimerManager,
    TimerPhase,
    TimerPreset,
    start_warnings,
)

from .context import AppContext
from .notifications import OPEN_ONLY, TIMER_ACTIONS, Alerts
from .timers_panel import TimerDriver, TimersPage, event_message, summary_text, tray_lines
from .tray import Tray

log = logging.getLogger(__name__)


class TimerWiring(QObject):
    """Connects one TimerManager to the window; the window adds :attr:`page` to its stack."""

    def __init__(
        self,
        manager: TimerManager,
        ctx: AppContext,
        tray: Tray,
        summary: QPushButton,
        window: QWidget,
        alerts: Alerts | None = None,
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
        self.last_started: TherapyTimer | None = None  # the latest timer started from outside the window
        self.alerts = alerts if alerts is not None else Alerts(tray, self)
        self.alerts.action.connect(self._alert_action)

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
            take_off = done or event.phase is TimerPhase.OFF  # "take the ice off now": critical
            info = event.therapy.info
            summary = (
                _("Take the {noun} off now").format(noun=info.noun)
                if take_off
                else _("{therapy} on again").format(therapy=info.label)
            )
            self.alert(summary, message, critical=take_off, key=event.timer_id, extendable=not done)
            log.info("timer %s: %s", "finished" if done else "phase change", message)
            self.page.highlight(event.timer_id)
        QApplication.alert(self.window)

    def alert(self, title: str, body: str, critical: bool = False, key: str = "", extendable: bool = False) -> None:
        """Tell the user a timer changed phase or ended, wherever they can see it: always as the window's
        banner, and outside the window as a desktop notification (one per timer ``key``, with "Open" and,
        while the timer runs, "+5 min"), else as a tray message where a tray exists
        (:class:`.notifications.Alerts`).

        The one place timer alerts go through."""
        self.ctx.notifier.notify(body)
        actions = TIMER_ACTIONS if extendable and key else OPEN_ONLY
        channel = self.alerts.notify(title, body, critical=critical, actions=actions, key=key)
        log.info("timer alert%s via %s: %s", " (critical)" if critical else "", channel, body)

    def _alert_action(self, key: str, action: str) -> None:
        """A button pressed on a notification: "+5 min" lengthens that timer's phase, "Open" shows it."""
        if action == "add5" and key in {t.id for t in self.manager.active}:
            self.driver.act(lambda: self.manager.add_time(key))
            log.info("timer %s: 5 minutes added from a notification", key)
        elif action == "open":
            show = getattr(self.window, "show_from_tray", self.window.show)
            show()
            self.summary.click()  # as the header's timer line: the Timers page, unless a routine is running

    def start(self, preset: TimerPreset) -> TherapyTimer | None:
        """Start ``preset`` without asking (a request from outside the window); its safety notes as a notice."""
        timer = self.page.start(preset, confirm=False)
        notes = start_warnings(preset.therapy, preset.on, self.page.episode_started(), utc_now())
        if notes:
            self.ctx.notifier.warn(" ".join(notes))
        self.last_started = timer
        return timer
