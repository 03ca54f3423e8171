"""The pain diary: check-ins without a routine, pain relievers, episodes and their triggers, FHIR export."""

from .entries import (
    CHECKIN_EVENT,
    RELIEVER_EVENT,
    CheckIn,
    Reliever,
    record_checkin,
    record_reliever,
)
from .vocabulary import AREAS, HELPED, QUALITIES, TRIGGERS, Term, label_of, parse_terms

__all__ = [
    "AREAS",
    "CHECKIN_EVENT",
    "HELPED",
    "QUALITIES",
    "RELIEVER_EVENT",
    "TRIGGERS",
    "CheckIn",
    "Reliever",
    "Term",
    "label_of",
    "parse_terms",
    "record_checkin",
    "record_reliever",
]
