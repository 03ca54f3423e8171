"""A pain stop as History and the library read it: the "Stop — pain increased" event, with the step, the pain,
symptoms and note. Kept apart from ``records`` so the library's statistics at start-up need no more than this."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..i18n import ENGLISH, N_, _, current_language

if TYPE_CHECKING:
    from ..journal import Event

__all__ = ["PHASE_WORDS", "SIDE_WORDS", "StopRow", "stop_row", "symptom_words"]

# How a pain stop's phase and side read in "Knee to chest (hold, left side, rep 2)".
PHASE_WORDS = {"get_ready": N_("get ready"), "hold": N_("hold"), "rest": N_("rest"), "timed": N_("timed")}
SIDE_WORDS = {"left": N_("left side"), "right": N_("right side")}


def symptom_words(symptoms: Sequence[str]) -> str:
    """'tingling, numbness': the stored words in English, their labels in another language."""
    if current_language() == ENGLISH:
        return ", ".join(symptoms)
    from ..session import SYMPTOM_LABELS  # the stop screen's labels (imported late: the session is large)

    return ", ".join(SYMPTOM_LABELS.get(s, s) for s in symptoms)


@dataclass(frozen=True)
class StopRow:
    """One 'Stop — pain increased' event."""

    id: int
    time: datetime
    session_id: int | None
    routine: str
    title: str
    step: str
    phase: str | None
    side: str | None
    rep: int | None
    seconds: float | None
    pain: int | None
    symptoms: tuple[str, ...]
    note: str | None
    edited: bool = False

    @property
    def where(self) -> str:
        """'Knee to chest (hold, left side, rep 2)': the step and where in it."""
        detail = [
            _(PHASE_WORDS.get(self.phase, self.phase.replace("_", " "))) if self.phase else "",
            _(SIDE_WORDS.get(self.side, self.side + " side")) if self.side else "",
            _("rep {rep}").format(rep=self.rep) if self.rep else "",
        ]
        detail_text = ", ".join(d for d in detail if d)
        step = self.step or _("an unknown step")
        return f"{step} ({detail_text})" if detail_text else step

    @property
    def symptoms_text(self) -> str:
        """'tingling, numbness' or ''."""
        return symptom_words(self.symptoms)


def stop_row(event: Event, title: str) -> StopRow:
    """A StopRow from a pain_stop event, under its routine's ``title``."""
    return StopRow(
        id=event.id,
        time=event.time,
        session_id=event.session_id,
        routine=event.routine or "",
        title=title,
        step=event.step or "",
        phase=event.phase,
        side=event.side,
        rep=event.rep,
        seconds=event.seconds,
        pain=event.pain,
        symptoms=event.symptoms,
        note=event.note,
        edited=event.edited is not None,
    )
