"""Corrections to the history: change a session's pain ratings or a pain stop's details, hide an entry, undo.

Each function reads the entry as it is now and returns an :class:`Edit`: the journal write to make, the
words to say once it is made, and the :class:`UndoStep` that takes it back. Nothing is written until the
caller runs ``Edit.apply`` (the History page does, behind its "a failed write is a calm status line" guard).
Deleting only hides an entry (the journal's soft delete) and never touches another entry: a session's own
pain stop is hidden with it, since it is part of that session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..i18n import N_, _
from ..journal import Journal
from ..session import nerve_warning
from ..wording import when_text
from .records import SessionRow, StopRow, TimerUse

__all__ = ["Edit", "UndoStep", "delete_edit", "session_pain_edit", "stop_edit"]

NERVE_ADVICE = N_("Tingling, numbness or weakness are worth mentioning to a doctor soon.")


@dataclass(frozen=True)
class UndoStep:
    """One change that Undo can take back: its name, how to reverse it, and what to say when it is undone."""

    text: str  # the Undo button's whole text: "Undo delete" or "Undo edit"
    undo: Callable[[], None]
    key: tuple[str, int]
    undone: str  # e.g. "Brought back Desk break, Sat 21 Nov  14:00."


@dataclass(frozen=True)
class Edit:
    """A journal change ready to be made: what it is (for an error line), the write, the words, its undo."""

    what: str
    apply: Callable[[], None]
    message: str
    step: UndoStep


def _when(moment: datetime) -> str:
    """'Sat 21 Nov  14:00', as the History table shows it."""
    return when_text(moment, gap="  ")


def _entry_name(title: str, moment: datetime) -> str:
    """'Desk break, Sat 21 Nov  14:00'."""
    return _("{title}, {when}").format(title=title, when=_when(moment))


def _stop_name(step: str | None, moment: datetime) -> str:
    """'the pain stop at Knee to chest, Sat 21 Nov  14:00'."""
    return _("the pain stop at {step}, {when}").format(step=step or _("a step"), when=_when(moment))


def session_pain_edit(journal: Journal, session_id: int, *, before: int | None, after: int | None) -> Edit | None:
    """Set a session's pain ratings; None if there is no such session or nothing changes."""
    old = journal.session(session_id)
    if old is None or (old.pain_before, old.pain_after) == (before, after):
        return None
    what = _entry_name(old.title, old.started)
    return Edit(
        _("pain ratings"),
        lambda: journal.set_session_pain(session_id, before=before, after=after),
        _("Saved the pain ratings of {entry}.").format(entry=what),
        UndoStep(
            _("Undo edit"),
            lambda: journal.set_session_pain(session_id, before=old.pain_before, after=old.pain_after),
            ("session", session_id),
            _("Put back the earlier pain ratings of {entry}.").format(entry=what),
        ),
    )


def stop_edit(
    journal: Journal, event_id: int, *, pain: int | None, symptoms: Sequence[str], note: str | None
) -> Edit | None:
    """Set a pain stop's pain, symptoms and note; None if there is no such event or nothing changes."""
    old = journal.event(event_id)
    if old is None or (old.pain, list(old.symptoms), old.note) == (pain, list(symptoms), note):
        return None
    what = _stop_name(old.step, old.time)
    message = _("Saved {entry}.").format(entry=what)
    if nerve_warning(symptoms) and not nerve_warning(old.symptoms):
        message += " " + _(NERVE_ADVICE)
    return Edit(
        _("pain stop"),
        lambda: journal.update_event(event_id, pain=pain, symptoms=list(symptoms), note=note),
        message,
        UndoStep(
            _("Undo edit"),
            lambda: journal.update_event(event_id, pain=old.pain, symptoms=list(old.symptoms), note=old.note),
            ("pain_stop", event_id),
            _("Put back the earlier details of {entry}.").format(entry=what),
        ),
    )


def delete_edit(journal: Journal, entry: SessionRow | StopRow | TimerUse, key: tuple[str, int]) -> Edit:
    """Hide one entry: a session (with its own pain stop), a pain stop, or all events of one timer use."""
    if isinstance(entry, SessionRow):
        session_id = entry.id

        def delete() -> None:
            """Hide the session (its own pain stop is hidden with it)."""
            journal.delete_session(session_id)

        def undo() -> None:
            """Show the session again."""
            journal.restore_session(session_id)

        what = _entry_name(entry.title, entry.started)
    else:
        ids = (entry.id,) if isinstance(entry, StopRow) else entry.event_ids

        def delete() -> None:
            """Hide the pain stop, or every event of the timer use."""
            for event_id in ids:
                journal.delete_event(event_id)

        def undo() -> None:
            """Show them again."""
            for event_id in ids:
                journal.restore_event(event_id)

        if isinstance(entry, StopRow):
            what = _stop_name(entry.step, entry.time)
        else:
            what = _entry_name(entry.title, entry.started)
    return Edit(
        _("delete"),
        delete,
        _("Deleted {entry}. Undo (Ctrl+Z) brings it back.").format(entry=what),
        UndoStep(_("Undo delete"), undo, key, _("Brought back {entry}.").format(entry=what)),
    )
