"""Asking a desktop service a question over D-Bus without ever waiting for the answer on the GUI thread.

:func:`ask` sends one method call with a short timeout and hands the reply's arguments (or None on any
error: no such service, no such method, a timeout) to a callback when it arrives. Reminders use it for the
idle time and the do-not-disturb state, which are niceties: a missing or hung service only means "unknown".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher

log = logging.getLogger(__name__)

ASK_TIMEOUT_MS = 400  # a working desktop answers in milliseconds; a hung one is given up on quickly
Answer = Callable[[list[object] | None], None]


def ask(
    bus: QDBusConnection,
    target: tuple[str, str, str, str],
    answer: Answer,
    args: Sequence[object] = (),
    *,
    parent: QObject | None = None,
    timeout_ms: int = ASK_TIMEOUT_MS,
) -> None:
    """Call ``target`` = (service, path, interface, method) asynchronously; ``answer`` gets the reply's
    arguments, or None if the call failed. ``answer`` is always called once, later, from the event loop."""
    service, path, interface, method = target
    message = QDBusMessage.createMethodCall(service, path, interface, method)
    if args:
        message.setArguments(list(args))
    call = bus.asyncCall(message, timeout_ms)
    watcher = QDBusPendingCallWatcher(call, parent)

    def finished(done: QDBusPendingCallWatcher) -> None:
        reply = done.reply()
        done.deleteLater()
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            log.debug("%s.%s: %s", interface, method, reply.errorName() or "no answer")
            answer(None)
            return
        answer(list(reply.arguments()))

    watcher.finished.connect(finished)
