"""What the library says about a routine someone prescribed, and where a routine is done, in plain words.

The fields themselves (``prescribed_by``, ``prescribed_on``, ``review_on``, ``note``, ``position``) are read
by the loader into :class:`~spasmcoach.core.model.Routine`; this module only words them, once, for the
library (the clinician report has its own table in ``core.history.report_content``).
"""

from __future__ import annotations

from datetime import date

from .i18n import N_, _
from .model import Routine
from .positions import POSITION_LABELS
from .wording import date_text

REVIEW_MARK = N_("Review with your physio")


def review_mark(routine: Routine, today: date) -> str:
    """"Review with your physio" once the routine's review date has come; "" before it or without one."""
    return _(REVIEW_MARK) if routine.review_due(today) else ""


def prescription_lines(routine: Routine, today: date) -> list[str]:
    """Who prescribed it and when, the review date (marked once it has come), and the note, one a line."""
    if not routine.prescribed:
        return []
    lines = []
    who = routine.prescribed_by
    if who and routine.prescribed_on:
        lines.append(_("Prescribed by {who} on {day}").format(who=who, day=date_text(routine.prescribed_on)))
    elif who:
        lines.append(_("Prescribed by {who}").format(who=who))
    elif routine.prescribed_on:
        lines.append(_("Prescribed on {day}").format(day=date_text(routine.prescribed_on)))
    if routine.review_on is not None:
        if routine.review_due(today):
            lines.append(_("{mark} (review date {day})").format(mark=_(REVIEW_MARK), day=date_text(routine.review_on)))
        else:
            lines.append(_("Review on {day}").format(day=date_text(routine.review_on)))
    if routine.note:
        lines.append(_("Note: {note}").format(note=routine.note))
    return lines


def where_text(routine: Routine) -> str:
    """Where the routine is done: "on the floor", "standing, then on the floor"; "" when the file does not say."""
    order: list[str] = []
    for step in routine.steps:
        position = routine.step_position(step)
        if position is not None and _(POSITION_LABELS[position]) not in order:
            order.append(_(POSITION_LABELS[position]))
    return _(", then ").join(order)
