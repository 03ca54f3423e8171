"""The journal: a local SQLite record of sessions, pain ratings, pain stops and timer uses, never losing a row."""

from spasmcoach.core.storage import format_time, parse_time

from . import ops
from .connection import MAX_PATH_BYTES, check_path_length
from .errors import JournalError
from .ops import Op, new_key
from .receipts import Receipt, SaveState, Waiting
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
    "MAX_PATH_BYTES",
    "OUTCOMES",
    "Op",
    "Receipt",
    "SaveState",
    "Session",
    "UNSET",
    "Waiting",
    "check_path_length",
    "event_to_json",
    "format_time",
    "new_key",
    "ops",
    "parse_time",
    "schema_version",
    "session_to_json",
]
