"""What a write hands back: whether it is in the journal, kept safe on disk to be saved later, or only in memory.

The sentence is what the user is told; it never says "saved" for something that is not in the journal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..i18n import N_, _


class SaveState(StrEnum):
    """Where a write is now."""

    SAVED = "saved"  # committed to the journal
    KEPT = "kept"  # not in the journal yet, but fsync'd in the outbox beside it; replayed later
    IN_MEMORY = "in_memory"  # not even the outbox could be written: held by this process, retried


class Waiting(StrEnum):
    """Why a write is waiting: what has to change before it can be saved."""

    NOTHING = ""
    BUSY = "busy"  # another program holds the journal
    NO_ROOM = "no_room"  # the disk is full
    READ_ONLY = "read_only"  # the journal or its folder cannot be written
    OTHER = "other"  # any other error of the disk or the file


_WHEN = {
    Waiting.BUSY: N_("when the journal is free again"),
    Waiting.NO_ROOM: N_("when there is room on the disk"),
    Waiting.READ_ONLY: N_("when the journal can be written again"),
    Waiting.OTHER: N_("when the journal can be written again"),
    Waiting.NOTHING: N_("when the journal can be written again"),
}


def when_text(waiting: Waiting) -> str:
    """'when the journal is free again' and the like."""
    return _(_WHEN[waiting])


@dataclass(frozen=True)
class Receipt:
    """The outcome of one write: its key, where it is, why it waits, and its row id once saved at once."""

    key: str
    state: SaveState
    waiting: Waiting = Waiting.NOTHING
    row_id: int | None = None  # the new row's id when saved at once (session id or event id)
    detail: str = ""  # the journal's own words for what went wrong, for a notice

    @property
    def saved(self) -> bool:
        """In the journal now."""
        return self.state is SaveState.SAVED

    def sentence(self, what: str = "This") -> str:
        """A plain, true sentence about where ``what`` is, e.g. 'Your stop is saved in your journal.'"""
        if self.state is SaveState.SAVED:
            return _("{what} is saved in your journal.").format(what=what)
        if self.state is SaveState.KEPT:
            return _("{what} is kept safe and will be saved in your journal {when}.").format(
                what=what, when=when_text(self.waiting)
            )
        return _(
            "{what} is kept while SpasmCoach stays open and will be saved in your journal "
            "{when}. Please keep SpasmCoach open until then."
        ).format(what=what, when=when_text(self.waiting))
