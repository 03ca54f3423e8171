"""The diary's closed word lists: where it hurts, what it is like, what helped, what set it off.

Each term has a stable identifier (stored in the journal and the exports, never translated) and a label
for people. Identifiers are lowercase with hyphens so they can be typed on the command line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def _(text: str) -> str:
    """Marks a label for translation (the translation layer hooks in here)."""
    return text


@dataclass(frozen=True)
class Term:
    """One entry of a word list: the stored identifier and the label shown."""

    id: str
    label: str


AREAS: tuple[Term, ...] = (
    Term("neck", _("Neck")),
    Term("upper-back", _("Upper back")),
    Term("mid-back", _("Mid back")),
    Term("lower-back-left", _("Lower back, left")),
    Term("lower-back-centre", _("Lower back, centre")),
    Term("lower-back-right", _("Lower back, right")),
    Term("buttock", _("Buttock")),
    Term("leg-left", _("Left leg")),
    Term("leg-right", _("Right leg")),
)

QUALITIES: tuple[Term, ...] = (
    Term("aching", _("Aching")),
    Term("sharp", _("Sharp")),
    Term("stabbing", _("Stabbing")),
    Term("burning", _("Burning")),
    Term("throbbing", _("Throbbing")),
    Term("cramping", _("Cramping (spasm)")),
    Term("shooting", _("Shooting")),
)

HELPED: tuple[Term, ...] = (
    Term("rest", _("Rest")),
    Term("ice", _("Ice")),
    Term("heat", _("Heat")),
    Term("stretching", _("Stretching")),
    Term("walking", _("Walking")),
    Term("pain-reliever", _("A pain reliever")),
    Term("other", _("Something else")),
)

TRIGGERS: tuple[Term, ...] = (
    Term("lifting", _("Lifting")),
    Term("twist", _("A sudden twist")),
    Term("sitting", _("Long sitting")),
    Term("posture", _("Posture")),
    Term("sneeze-cough", _("A sneeze or cough")),
    Term("little-water", _("Little water")),
    Term("hard-exercise", _("Hard exercise")),
    Term("other", _("Something else")),
)


def label_of(terms: Sequence[Term], identifier: str) -> str:
    """The label of ``identifier`` in ``terms``; an unknown identifier is shown as it was stored."""
    return next((t.label for t in terms if t.id == identifier), identifier)


def parse_terms(values: Iterable[str], terms: Sequence[Term], what: str) -> tuple[str, ...]:
    """``values`` as known identifiers, in the list's order without repeats; ValueError naming the unknown one.

    Matching ignores case and accepts spaces or underscores for hyphens, so ``"Lower back left"`` works.
    """
    known = {t.id: t for t in terms}
    chosen: set[str] = set()
    for raw in values:
        key = "-".join(raw.strip().lower().replace("_", " ").replace(",", " ").split())
        if key not in known:
            choices = ", ".join(known)
            raise ValueError(f"{what} '{raw}' is not one of: {choices}")
        chosen.add(key)
    return tuple(t.id for t in terms if t.id in chosen)
