"""Numbers and dates as the chosen language writes them, without Qt or Babel: small tables per language.

English: "1.5", "Mon 17 Nov", "16 November 2026". German: "1,5", "Mo 17. Nov.", "16. November 2026",
"Montag, 17. November 2026". Times are 24-hour in both. Only the languages SpasmCoach ships are here; a
new language adds one entry to each table (see docs/translating.md).
"""

from __future__ import annotations

from datetime import date, datetime

from .i18n import ENGLISH, current_language

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
}  # fmt: skip
MONTHS_SHORT = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."),
}
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
}
WEEKDAYS_SHORT = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
}
# {d} day of the month, {A}/{a} weekday, {B}/{b} month, {Y} year
PATTERNS = {
    "en": {"date": "{d} {B} {Y}", "day_month": "{d} {B}", "day_month_short": "{d} {b}", "long": "{A} {d} {B} {Y}",
           "long_no_year": "{A} {d} {B}", "day": "{a} {d} {b}", "short_day": "{a} {d}", "day_only": "{d}"},
    "de": {"date": "{d}. {B} {Y}", "day_month": "{d}. {B}", "day_month_short": "{d}. {b}",
           "long": "{A}, {d}. {B} {Y}", "long_no_year": "{A}, {d}. {B}", "day": "{a} {d}. {b}",
           "short_day": "{a} {d}.", "day_only": "{d}."},
}  # fmt: skip
DECIMAL = {"en": ".", "de": ","}
GROUPING = {"en": ",", "de": "."}


def _lang(language: str | None) -> str:
    chosen = language or current_language()
    return chosen if chosen in PATTERNS else ENGLISH


def format_date(day: date, pattern: str, language: str | None = None) -> str:
    """``day`` in one of :data:`PATTERNS`' named shapes ("date", "long", "day", ...)."""
    lang = _lang(language)
    return PATTERNS[lang][pattern].format(
        d=day.day, Y=day.year, A=WEEKDAYS[lang][day.weekday()], a=WEEKDAYS_SHORT[lang][day.weekday()],
        B=MONTHS[lang][day.month - 1], b=MONTHS_SHORT[lang][day.month - 1],
    )  # fmt: skip


def format_time(moment: datetime) -> str:
    """'09:30': 24-hour in every language SpasmCoach ships."""
    return f"{moment:%H:%M}"


def format_decimal(value: float, digits: int = 1, language: str | None = None, *, trim: bool = True) -> str:
    """'1.5' / '1,5'; with ``trim`` a whole number loses its '.0' ('2')."""
    text = f"{value:.{digits}f}"
    if trim and digits > 0 and text.endswith("." + "0" * digits):
        text = text[: -(digits + 1)]
    return text.replace(".", DECIMAL[_lang(language)])


def format_integer(value: int, language: str | None = None) -> str:
    """'12,345' / '12.345'."""
    return f"{value:,}".replace(",", GROUPING[_lang(language)])
