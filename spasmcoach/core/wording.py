"""Plain-words text shared by every page, the report and the terminal: counts, pain changes, days and lengths.

One implementation each, so the History page, the clinician's PDF and ``spasmcoach`` commands say things
the same way. Local dates and times use the computer's time zone unless a ``tz`` is given.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from .durations import format_human
from .i18n import ENGLISH, _, current_language, ngettext
from .locale_format import format_date, format_decimal, format_time

__all__ = [
    "SAME_THRESHOLD",
    "ago",
    "date_text",
    "in_sentence",
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
    """'1 session', '3 sessions' (English words: pass ``ngettext`` text where the words are translated)."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def times_text(count: int) -> str:
    """'once', 'twice', '3 times'."""
    if count == 1:
        return _("once")
    if count == 2:
        return _("twice")
    return ngettext("{count} time", "{count} times", count).format(count=count)


def _number(value: float) -> str:
    """One decimal, without a trailing '.0': 1.5, 2, 0.3 (a decimal comma in German)."""
    return format_decimal(abs(value), 1)


def points_text(value: float) -> str:
    """'1 point', '1.5 points' (the size of a change, without its sign)."""
    text = _number(value)
    return _("{number} point").format(number=text) if text == "1" else _("{number} points").format(number=text)


def pain_change_text(average: float | None) -> str:
    """'went down by 1.5 points', 'went up by 1 point', 'stayed about the same' ('' when unknown)."""
    if average is None:
        return ""
    if abs(average) < SAME_THRESHOLD:
        return _("stayed about the same")
    if average < 0:
        return _("went down by {points}").format(points=points_text(average))
    return _("went up by {points}").format(points=points_text(average))


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: 'Lower back, left' -> 'lower back, left'. German keeps its
    capitals (its nouns are always capitalised)."""
    return label.lower() if current_language() == ENGLISH else label


def title_from_id(identifier: str) -> str:
    """'lower-back-release' -> 'Lower back release' (for a routine or preset with no title at hand)."""
    text = identifier.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else identifier


# -- days and times ---------------------------------------------------------------------------------------


def ago(moment: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """'today', 'yesterday', '3 days ago', by calendar day in the local time zone."""
    days = (now.astimezone(tz).date() - moment.astimezone(tz).date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("{count} day ago", "{count} days ago", days).format(count=days)


def short_day_text(day: date) -> str:
    """'Mon 16' ('Mo 16.')."""
    return format_date(day, "short_day")


def day_text(day: date) -> str:
    """'Mon 17 Nov' ('Mo 17. Nov.')."""
    return format_date(day, "day")


def date_text(day: date) -> str:
    """'16 November 2026' ('16. November 2026')."""
    return format_date(day, "date")


def long_day_text(day: date, *, year: bool = True) -> str:
    """'Monday 17 November 2026' (or 'Monday 17 November' without the year); 'Montag, 17. November 2026'."""
    return format_date(day, "long" if year else "long_no_year")


def range_text(first: date, last: date) -> str:
    """'15 to 21 November 2026', '28 November to 4 December 2026', or one day."""
    if first == last:
        return date_text(first)
    if (first.year, first.month) == (last.year, last.month):
        start = format_date(first, "day_only")
    elif first.year == last.year:
        start = format_date(first, "day_month")
    else:
        start = date_text(first)
    return _("{first} to {last}").format(first=start, last=date_text(last))


def when_text(moment: datetime, tz: tzinfo | None = None, *, gap: str = " ") -> str:
    """'Mon 16 Nov 09:30' in local time; ``gap`` goes between the day and the time."""
    local = moment.astimezone(tz)
    return f"{day_text(local.date())}{gap}{format_time(local)}"


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
