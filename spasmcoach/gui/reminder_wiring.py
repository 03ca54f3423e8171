"""Reminders inside the running app: wake-ups, holds, the question (desktop notification, tray, in-window bar),
the answers and their journal events, the tray's "Next:" line, and the one-time offer after the safety page.

The decisions are the core's (:class:`spasmcoach.core.reminders.planner.Planner`); this module only wakes it
at the right moments and shows what it says. One single-shot timer sleeps until the nearest thing worth
looking at (at most a minute of time at the computer apart while the break reminder is on, so idle spells
are noticed), computed from deadlines: nothing counts ticks and an idle app costs next to nothing.
Attached after the first paint (:func:`attach_reminders`).
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal, SignalInstance
from PySide6.QtDBus import QDBusConnection
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from spasmcoach.core.clock import Clock
from spasmcoach.core.i18n import N_, _, ngettext
from spasmcoach.core.notify import Notifier
from spasmcoach.core.reminders import events, store
from spasmcoach.core.reminders.model import ReminderSettings
from spasmcoach.core.reminders.planner import Planner, Prompt, Upcoming
from spasmcoach.core.reminders.policy import Hold, hold_reason
from spasmcoach.core.storage import StorageError, utc_now

from .do_not_disturb import DoNotDisturb
from .idle import IdleMonitor, IdleStatus
from .navigation import Page, PageStack
from .notifications import Alerts
from .reminder_bar import ReminderBar
from .tray import Tray

log = logging.getLogger(__name__)

MAX_SLEEP_SECONDS = 300.0  # after a suspend the wall clock has jumped: look again within five minutes
KEY_PREFIX = "reminder:"
OFFER_KEY = "offer"
LAST_SEEN_SETTING = "reminders/last_seen"
ANSWERS = {"start": events.Outcome.TAKEN, "snooze": events.Outcome.SNOOZED, "skip": events.Outcome.SKIPPED}
BREAK_TITLE = N_("Time to stand up and stretch")
START_BREAK = N_("Start the desk break")
SNOOZE = N_("Snooze 10 min")
SKIP = N_("Skip")


class ReminderWindow(Protocol):
    """What the wiring needs of the main window (which imports this module only for its type)."""

    ctx: Any  # the AppContext: settings, journal, notifier
    tray: Tray
    stack: PageStack
    notice: QLabel
    session: Any
    library: Any
    session_finished: SignalInstance
    pain_stop_shown: SignalInstance
    driver_started: SignalInstance

    def show_from_tray(self) -> None: ...
    def start_routine(self, routine_id: str, *, prompt: bool = True) -> None: ...
    def setting_bool(self, key: str, default: bool = False) -> bool: ...
    def centralWidget(self) -> QWidget: ...  # noqa: N802 - Qt's name


class ReminderWiring(QObject):
    """The reminders' driver in the window. Signal: changed() after settings, idle status or the next time change."""

    changed = Signal()

    def __init__(
        self,
        window: ReminderWindow,
        clock: Clock,
        alerts: Alerts,
        idle: IdleMonitor,
        dnd: DoNotDisturb,
        *,
        now: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
        path: Path | None = None,
    ) -> None:
        super().__init__(window)  # type: ignore[arg-type]  # the window is a QObject
        self.window, self.clock, self.alerts, self.idle, self.dnd = window, clock, alerts, idle, dnd
        self.now, self.path = now, path
        self.settings_store: QSettings = window.ctx.settings
        self.notifier: Notifier = window.ctx.notifier
        loaded = store.load(path)
        if loaded.problem:
            self.notifier.warn(loaded.problem, key="reminders")
        wall = now()
        self.planner = Planner(loaded.settings, self._last_seen(wall), tz)
        self.planner.step(clock.now(), wall, None, Hold.ROUTINE)  # start the count; a missed one shows below
        self.timer = QTimer(self)
        self.timer.setObjectName("reminders")
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.CoarseTimer)
        self.timer.timeout.connect(self.wake)
        self.bar = ReminderBar()
        self._asking = False
        alerts.action.connect(self._alert_action)
        self.bar.answered.connect(self.answer)
        idle.status_changed.connect(self.changed)
        for signal in (window.session_finished, window.pain_stop_shown, window.driver_started):
            signal.connect(self._soon)
        window.stack.currentChanged.connect(self._page_changed)

    # -- settings ------------------------------------------------------------------------------------
    @property
    def settings(self) -> ReminderSettings:
        return self.planner.settings

    @property
    def active(self) -> bool:
        """Whether any reminder is switched on (then closing the window keeps the app in the tray)."""
        settings = self.settings
        return settings.break_reminder.enabled or any(r.enabled for r in settings.routines)

    def apply(self, settings: ReminderSettings) -> bool:
        """Save new settings and plan with them; False (with a calm notice naming the file) if saving failed."""
        try:
            store.save(settings, self.path)
        except StorageError as exc:
            self.notifier.warn(_("Your reminder settings could not be saved: {reason}").format(reason=exc))
            return False
        wall = self.now()
        step = self.planner.apply(settings, wall)
        for key in step.withdraw:
            self.bar.clear(key)
        self._save_last_seen(wall)
        self.wake()
        return True

    def reload(self) -> None:
        """Read the settings file again (``spasmcoach reminders`` may have changed it) and plan with it."""
        loaded = store.load(self.path)
        if loaded.problem:
            self.notifier.warn(loaded.problem, key="reminders")
        if loaded.settings != self.settings:
            wall = self.now()
            for key in self.planner.apply(loaded.settings, wall).withdraw:
                self.bar.clear(key)
            self._save_last_seen(wall)
            self.wake()

    def _last_seen(self, wall: datetime) -> datetime:
        text = self.settings_store.value(LAST_SEEN_SETTING, "")
        try:
            seen = datetime.fromisoformat(str(text))
        except ValueError:
            return wall
        return seen if seen.tzinfo is not None and seen <= wall else wall

    def _save_last_seen(self, wall: datetime) -> None:
        self.settings_store.setValue(LAST_SEEN_SETTING, wall.isoformat(timespec="seconds"))

    # -- waking ----------------------------------------------------------------------------------------
    def in_routine(self) -> bool:
        """A routine (its before page, the player or its stop page) is on screen or running."""
        spec = self.window.stack.current_spec()
        session = self.window.session
        running = session is not None and session.runner.state.active
        return running or (spec is not None and (spec.in_routine or spec.key is Page.STOP))

    def hold(self) -> Hold | None:
        quiet = self.planner.settings.quiet
        return hold_reason(
            self.now(), quiet, in_routine=self.in_routine(), do_not_disturb=self.dnd.on, tz=self.planner.tz
        )

    def _soon(self, *_args: object) -> None:
        QTimer.singleShot(0, self, self.wake)

    def wake(self) -> None:
        """Look now: ask the idle time (never waiting for it), then let the planner decide."""
        self.timer.stop()
        if self._asking:
            return  # an idle question is out; its answer carries on
        self.dnd.refresh()  # its answer counts from the next wake-up
        if self.planner.counter is None:
            self._carry_on(None)
            return
        self._asking = True
        self.idle.request(self._carry_on)

    def _carry_on(self, idle_real: float | None) -> None:
        self._asking = False
        idle = None if idle_real is None else idle_real * self.clock.scale  # real seconds -> clock seconds
        wall = self.now()
        step = self.planner.step(self.clock.now(), wall, idle, self.hold())
        for key in step.withdraw:
            self.bar.clear(key)
        for prompt in step.show:
            self._show(prompt)
        if step.show:
            self._save_last_seen(wall)
        self._page_changed()
        self._update_tray(wall)
        self.changed.emit()
        self._sleep(wall)

    def _sleep(self, wall: datetime) -> None:
        clock_wait, wall_wait = self.planner.waits(wall)
        waits = [MAX_SLEEP_SECONDS] if clock_wait is not None or wall_wait is not None else []
        if clock_wait is not None:
            waits.append(self.clock.to_real_seconds(clock_wait))
        if wall_wait is not None:
            waits.append(wall_wait)
        if not waits:
            self.timer.stop()  # nothing to remind of: no wake-ups at all
            return
        self.timer.start(max(1, math.ceil(min(waits) * 1000) + 1))

    # -- showing and answering ----------------------------------------------------------------------
    def routine_title(self, routine_id: str) -> str:
        routine = self.window.library.library.get(routine_id)
        return str(routine.title) if routine is not None else routine_id

    def _show(self, prompt: Prompt) -> None:
        if prompt.is_break:
            title = _(BREAK_TITLE)
            body = _("You have been at the computer for a while. A few easy minutes of movement can ease a stiff back.")
            start = _(START_BREAK)
        else:
            name = self.routine_title(prompt.routine)
            title = _("Time for {routine}").format(routine=name)
            body = _("You planned {routine} for now. Start it when you are ready.").format(routine=name)
            start = _("Start {routine}").format(routine=name)
        choices = [("start", start), ("snooze", _(SNOOZE)), ("skip", _(SKIP))]
        channel = self.alerts.notify(title, body, actions=choices, key=KEY_PREFIX + prompt.key)
        self.bar.ask(prompt.key, f"<b>{html.escape(title)}.</b> {html.escape(body)}", choices)
        self._record(events.Outcome.SHOWN, prompt)
        log.info("reminder shown: %s via %s", prompt.key, channel)

    def _record(self, outcome: events.Outcome, prompt: Prompt) -> None:
        journal = self.window.ctx.journal
        if journal is not None:
            events.record(journal, outcome, prompt.key, prompt.routine, now=self.now())

    def _alert_action(self, key: str, action: str) -> None:
        if key.startswith(KEY_PREFIX):
            self.answer(key.removeprefix(KEY_PREFIX), action)

    def answer(self, key: str, action: str) -> None:
        """The person answered reminder ``key`` ("start", "snooze", "skip"; "open" only shows the window)."""
        if key == OFFER_KEY:
            self._offer_answered(action == "yes")
            return
        if action == "open":
            self.window.show_from_tray()
            return
        outcome = ANSWERS.get(action)
        if outcome is None:
            return
        self.bar.clear(key)
        prompt = self.planner.answer(key, outcome, self.now())
        if prompt is None:
            return  # already answered elsewhere, or no longer current
        self._record(outcome, prompt)
        log.info("reminder %s: %s", outcome.value, key)
        if outcome is events.Outcome.TAKEN and not self.in_routine():
            self.window.show_from_tray()
            self.window.start_routine(prompt.routine, prompt=True)  # the normal Before-you-start path
        self.wake()

    def _page_changed(self, *_args: object) -> None:
        spec = self.window.stack.current_spec()
        was = self.bar.isVisible()
        allowed = spec is None or (spec.browsing and not self.in_routine())
        if self.bar.key == OFFER_KEY:  # the offer waits where the safety page leads: the routine list
            allowed = allowed and spec is not None and spec.key is Page.ROUTINES
        self.bar.allow(allowed)
        if self.bar.isVisible() and not was:
            log.info("reminder on screen: %s", self.bar.key)
        if spec is not None and spec.key is Page.HISTORY:
            self._history_line()

    def _history_line(self) -> None:
        """Breaks taken per day, kept under History's "At a glance" (a small read: a week of one event type)."""
        glance = getattr(self.window.stack.built(Page.HISTORY), "insights_view", None)
        journal = self.window.ctx.journal
        if glance is None or journal is None:
            return
        wall = self.now()
        taken = journal.events(since=wall - timedelta(days=7), types=[events.Outcome.TAKEN.event_type])
        per_day = events.breaks_taken_per_day(taken, self.planner.tz)
        wanted = self.settings.break_reminder.enabled or bool(per_day)
        glance.keep_line(events.breaks_text(per_day, wall.astimezone(self.planner.tz).date()) if wanted else "")

    # -- the first-launch offer ------------------------------------------------------------------------
    def offer(self) -> None:
        """Once, after the safety page was read: would the person like the stand-and-stretch reminder?"""
        if self.settings.offered or self.settings.break_reminder.enabled or self.bar.wanted:
            return
        if not self.window.setting_bool("safety/seen") or self.in_routine():
            return
        minutes = self.settings.break_reminder.minutes
        text = _(
            "Would you like a gentle reminder to stand up and stretch after {time} at the computer? Time away "
            "does not count; you can snooze or skip it, or change it on the Reminders page (Ctrl+5)."
        ).format(time=ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes))
        self.bar.ask(OFFER_KEY, html.escape(text), [("yes", _("Yes, remind me")), ("no", _("No, thank you"))])
        self._page_changed()

    def _offer_answered(self, yes: bool) -> None:
        self.bar.clear(OFFER_KEY)
        brk = replace(self.settings.break_reminder, enabled=yes or self.settings.break_reminder.enabled)
        self.apply(replace(self.settings, break_reminder=brk, offered=True))
        log.info("stand-and-stretch reminder offered: %s", "taken" if yes else "declined")

    # -- the tray and the page's lines ------------------------------------------------------------------
    def next_text(self, wall: datetime | None = None) -> str:
        """ "Next: stand and stretch in 25 min", "Next: Morning mobility at 08:00", or "" when none is set."""
        upcoming = self.planner.upcoming(wall or self.now())
        return "" if upcoming is None else upcoming_text(upcoming, self.routine_title(upcoming.routine))

    def idle_text(self) -> str:
        if self.idle.status is IdleStatus.UNKNOWN:
            return _("This desktop does not tell SpasmCoach when you are away, so reminders count plain time.")
        if self.idle.status is IdleStatus.KNOWN:
            return _("Only time at the computer counts: the count pauses while you are away, and five minutes "
                     "away is a break of its own.")  # fmt: skip
        return ""

    def _update_tray(self, wall: datetime) -> None:
        self.window.tray.update_reminder(self.next_text(wall))


def upcoming_text(upcoming: Upcoming, title: str) -> str:
    if upcoming.is_break:
        minutes = max(1, math.ceil(upcoming.seconds / 60))
        return ngettext("Next: stand and stretch in {n} min", "Next: stand and stretch in {n} min", minutes).format(
            n=minutes
        )
    at = upcoming.at.astimezone() if upcoming.at is not None else None
    when = "" if at is None else at.strftime("%H:%M")
    if upcoming.seconds >= 20 * 3600 and at is not None:
        when = at.strftime("%a %H:%M")
    return _("Next: {routine} at {time}").format(routine=title, time=when)


def place_bar(window: ReminderWindow, bar: ReminderBar) -> None:
    """Put the bar under the window's notice line (the central layout: header, notice, pages)."""
    layout = window.centralWidget().layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(layout.indexOf(window.notice) + 1, bar)


def attach_reminders(
    window: Any, clock: Clock, bus: QDBusConnection | None = None, *, idle: IdleMonitor | None = None, **options: Any
) -> ReminderWiring | None:
    """Start reminders in ``window`` on ``clock`` (the timers' boot clock, which counts through suspend):
    the Reminders page (Ctrl+5), the bar, the tray line, the first-launch offer. ``bus``: the session bus
    (None: no desktop services; alerts go to the tray and the bar, plain time counts). ``idle`` and
    ``options`` (``now``, ``tz``, ``path``) are for tests. None (logged) if they could not start: reminders
    are never a reason for the rest of the start-up not to happen."""
    try:
        return _attach(window, clock, bus, idle, options)
    except Exception:
        log.exception("starting reminders")
        return None


def _attach(
    window: Any, clock: Clock, bus: QDBusConnection | None, idle: IdleMonitor | None, options: dict[str, Any]
) -> ReminderWiring:
    from .reminders_page import ReminderPage

    alerts = Alerts(window.tray, window)
    if bus is not None and bus.isConnected():
        alerts.attach_bus(bus)
    idle = idle if idle is not None else IdleMonitor(bus, parent=window)
    wiring = ReminderWiring(window, clock, alerts, idle, DoNotDisturb(bus, window), **options)
    window.reminder_wiring = wiring
    place_bar(window, wiring.bar)

    def build() -> QWidget:
        page = ReminderPage(wiring, lambda: window.library.library)
        window.enter_presses_buttons(page)
        return page

    to_bar = QShortcut(QKeySequence(Qt.Key.Key_F6), window, context=Qt.ShortcutContext.WindowShortcut)
    to_bar.activated.connect(wiring.bar.focus_first)
    window.stack.add_lazy(Page.REMINDERS, build)
    window.header.follow(window.stack)
    window.safety_read.connect(lambda: QTimer.singleShot(0, wiring, wiring.offer))
    wiring.offer()
    wiring.wake()
    return wiring
