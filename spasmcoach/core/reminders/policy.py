"""When a reminder may interrupt: never during a routine, never in quiet hours or do-not-disturb.

Ice and heat alerts do not pass through here: they are never held back (skin safety).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from enum import StrEnum

from spasmcoach.core.storage import require_aware

from .model import QuietHours


class Hold(StrEnum):
    """Why a due reminder waits."""

    ROUTINE = "a routine is running"
    QUIET = "quiet hours"
    DO_NOT_DISTURB = "do not disturb is on"


def hold_reason(
    now: datetime, quiet: QuietHours, *, in_routine: bool, do_not_disturb: bool, tz: tzinfo | None = None
) -> Hold | None:
    """Why a reminder must wait now, or None when it may be shown."""
    if in_routine:
        return Hold.ROUTINE
    if do_not_disturb:
        return Hold.DO_NOT_DISTURB
    local = require_aware(now).astimezone(tz)
    if quiet.contains(local.time().replace(second=0, microsecond=0)):
        return Hold.QUIET
    return None
