"""The journal's pain ratings as a FHIR R4 Bundle, the standard a clinic's systems can read.

Each rating becomes an Observation coded LOINC 72514-3 (pain severity, 0–10 verbal numeric rating,
reported), with its time, where it hurt as ``bodySite`` text (from a check-in), and how it came about
(a check-in, before or after a routine, or a stop because pain increased) in the note. Built as plain
dictionaries, so the core needs no FHIR library; the tests validate the output against the FHIR model.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from spasmcoach.core.storage import utc_now

from .entries import CHECKIN_EVENT
from .vocabulary import AREAS, label_of

LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
UCUM = "http://unitsofmeasure.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
# The events that carry a person's own 0–10 rating (pain_increase repeats the after-rating: left out).
RATED_EVENTS: Mapping[str, str] = {
    CHECKIN_EVENT: "Check-in",
    "session_start": "Before a routine",
    "session_end": "After a routine",
    "pain_stop": "Stopped a routine because pain increased",
}
_NAMESPACE = uuid.UUID("6f1b7c1e-3c1d-4b4e-9b8e-5f0a8c2d7e11")  # stable ids: the same entry, the same id


class RatedEvent(Protocol):
    """The fields of a journal event the export reads (the journal's ``Event`` has them all)."""

    @property
    def id(self) -> int: ...
    @property
    def time(self) -> datetime: ...
    @property
    def type(self) -> str: ...
    @property
    def routine(self) -> str | None: ...
    @property
    def step(self) -> str | None: ...
    @property
    def pain(self) -> int | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def data(self) -> Mapping[str, Any]: ...


def _fhir_time(moment: datetime) -> str:
    """An instant in FHIR's dateTime form, with its offset, to the second."""
    return moment.isoformat(timespec="seconds")


def observation(event: RatedEvent) -> dict[str, Any]:
    """One pain rating as a FHIR Observation resource."""
    kind = RATED_EVENTS.get(event.type, event.type)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(uuid.uuid5(_NAMESPACE, f"event-{event.id}")),
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}], "text": "Pain 0-10"},
        "effectiveDateTime": _fhir_time(event.time),
        "valueQuantity": {"value": event.pain, "unit": "{score}", "system": UCUM, "code": "{score}"},
    }
    areas = [label_of(AREAS, str(a)) for a in event.data.get("areas", []) if isinstance(a, str)]
    if areas:
        resource["bodySite"] = {"text": "; ".join(areas)}
    notes = [kind + (f": {event.routine}" if event.routine else "") + (f", at {event.step}" if event.step else "")]
    if event.note:
        notes.append(event.note)
    resource["note"] = [{"text": text} for text in notes]
    return resource


def pain_bundle(events: Iterable[RatedEvent], *, now: datetime | None = None) -> dict[str, Any]:
    """A FHIR R4 ``collection`` Bundle of every rated event given (oldest first as given)."""
    made = now or utc_now()
    entries = [
        {"fullUrl": f"urn:uuid:{obs['id']}", "resource": obs}
        for obs in (observation(e) for e in events if e.type in RATED_EVENTS and e.pain is not None)
    ]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": _fhir_time(made)},
        "type": "collection",
        "timestamp": _fhir_time(made),
        "entry": entries,
    }
