"""Plain-words text shared by every page, the report and the terminal: counts, pain changes, days and lengths.

One implementation each, so the History page, the clinician's PDF and ``spasmcoach`` commands say things
the same way. Local dates and times use the computer's time zone unless a ``tz`` is given.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from .durations import format_human

__all__ = [
    "SAME_THRESHOLD",
    "ago",
    "date_text",
    "day_range",
    "day_text",
    "length_text",
    "long_day_text",
    "pain_change_text",
    "plural",
    "points_text",
    "range_text",
    "short_day_text",
    "times_text",
    "title_from_id",
    "when_text",
]

SAME_THRESHOLD = 0.05  # an average change smaller than this reads as "stayed the same"


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 session', '3 sessions'."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def times_text(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _number(value: float) -> str:
    """One decimal, without a trailing '.0': 1.5, 2, 0.3."""
    text = f"{abs(value):.1f}"
    return text[:-2] if text.endswith(".0") else text


def points_text(value: float) -> str:
    """'1 point', '1.5 points' (the size of a change, without its sign)."""
    text = _number(value)
    return f"{text} point" if text == "1" else f"{text} points"


def pain_change_text(average: float | None) -> str:
    """'went down by 1.5 points', 'went up by 1 point', 'stayed about the same' ('' when unknown)."""
    if average is None:
        return ""
    if abs(average) < SAME_THRESHOLD:
        return "stayed about the same"
    direction = "down" if average < 0 else "up"
    return f"went {direction} by {points_text(average)}"


def title_from_id(identifier: str) -> str:
    """'lower-back-release' -> 'Lower back release' (for a routine or preset with no title at hand)."""
    text = identifier.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else identifier


# -- days and times ---------------------------------------------------------------------------------------


def ago(moment: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """'today', 'yesterday', '3 days ago', by calendar day in the local time zone."""
    days = (now.astimezone(tz).date() - moment.astimezone(tz).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def short_day_text(day: date) -> str:
    """'Mon 16'."""
    return f"{day:%a} {day.day}"


def day_text(day: date) -> str:
    """'Mon 17 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def date_text(day: date) -> str:
    """'16 November 2026'."""
    return f"{day.day} {day:%B %Y}"


def long_day_text(day: date, *, year: bool = True) -> str:
    """'Monday 17 November 2026' (or 'Monday 17 November' without the year)."""
    return f"{day:%A} {day.day} {day:%B %Y}" if year else f"{day:%A} {day.day} {day:%B}"


def range_text(first: date, last: date) -> str:
    """'15 to 21 November 2026', '28 November to 4 December 2026', or one day."""
    if first == last:
        return date_text(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {date_text(last)}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {date_text(last)}"
    return f"{date_text(first)} to {date_text(last)}"


def when_text(moment: datetime, tz: tzinfo | None = None, *, gap: str = " ") -> str:
    """'Mon 16 Nov 09:30' in local time; ``gap`` goes between the day and the time."""
    local = moment.astimezone(tz)
    return f"{day_text(local.date())}{gap}{local:%H:%M}"


NBSP = "\u00a0"


def length_text(seconds: float | None) -> str:
    """'12 min', '45 s', '' when unknown (whole minutes from 90 seconds on). Each number is tied to its unit
    by a no-break space, so a narrow table or PDF cell never leaves the 's' of '11 s' alone on a line."""
    if seconds is None:
        return ""
    text = format_human(60 * round(seconds / 60)) if seconds >= 90 else format_human(seconds)
    return re.sub(r"(\d) (h|min|s)\b", rf"\1{NBSP}\2", text)


def day_range(
    first: date | None, last: date | None, tz: tzinfo | None = None
) -> tuple[datetime | None, datetime | None]:
    """Aware [since, until) for the local days ``first`` to ``last`` inclusive (None: open-ended)."""
    return (
        _midnight(first, tz) if first else None,
        _midnight(last + timedelta(days=1), tz) if last else None,
    )


def _midnight(day: date, tz: tzinfo | None) -> datetime:
    """The start of a local day, timezone-aware."""
    if tz is None:
        return datetime.combine(day, time()).astimezone()
    return datetime.combine(day, time(), tzinfo=tz)
