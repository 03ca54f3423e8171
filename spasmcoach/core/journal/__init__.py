"""The journal: a local SQLite record of sessions, pain ratings, pain stops and timer uses, never losing a row."""

from spasmcoach.core.storage import format_time, parse_time

from .errors import JournalError
from .records import Change, Event, Session, event_to_json, session_to_json
from .schema import APPLICATION_ID, schema_version
from .store import Journal
from .values import OUTCOMES, UNSET

__all__ = [
    "APPLICATION_ID",
    "Change",
    "Event",
    "Journal",
    "JournalError",
    "OUTCOMES",
    "Session",
    "UNSET",
    "event_to_json",
    "format_time",
    "parse_time",
    "schema_version",
    "session_to_json",
]
