"""The diary's closed word lists: where it hurts, what it is like, what helped, what set it off.

Each term has a stable identifier (stored in the journal and the exports, never translated) and a label
for people. Identifiers are lowercase with hyphens so they can be typed on the command line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..i18n import N_, _


@dataclass(frozen=True)
class Term:
    """One entry of a word list: the stored identifier and the label shown (in the chosen language)."""

    id: str
    text: str  # the English label, marked with N_

    @property
    def label(self) -> str:
        return _(self.text)


AREAS: tuple[Term, ...] = (
    Term("neck", N_("Neck")),
    Term("upper-back", N_("Upper back")),
    Term("mid-back", N_("Mid back")),
    Term("lower-back-left", N_("Lower back, left")),
    Term("lower-back-centre", N_("Lower back, centre")),
    Term("lower-back-right", N_("Lower back, right")),
    Term("buttock", N_("Buttock")),
    Term("leg-left", N_("Left leg")),
    Term("leg-right", N_("Right leg")),
)

QUALITIES: tuple[Term, ...] = (
    Term("aching", N_("Aching")),
    Term("sharp", N_("Sharp")),
    Term("stabbing", N_("Stabbing")),
    Term("burning", N_("Burning")),
    Term("throbbing", N_("Throbbing")),
    Term("cramping", N_("Cramping (spasm)")),
    Term("shooting", N_("Shooting")),
)

HELPED: tuple[Term, ...] = (
    Term("rest", N_("Rest")),
    Term("ice", N_("Ice")),
    Term("heat", N_("Heat")),
    Term("stretching", N_("Stretching")),
    Term("walking", N_("Walking")),
    Term("pain-reliever", N_("A pain reliever")),
    Term("other", N_("Something else")),
)

TRIGGERS: tuple[Term, ...] = (
    Term("lifting", N_("Lifting")),
    Term("twist", N_("A sudden twist")),
    Term("sitting", N_("Long sitting")),
    Term("posture", N_("Posture")),
    Term("sneeze-cough", N_("A sneeze or cough")),
    Term("little-water", N_("Little water")),
    Term("hard-exercise", N_("Hard exercise")),
    Term("other", N_("Something else")),
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
            message = _("{what} '{value}' is not one of: {choices}")
            raise ValueError(message.format(what=what, value=raw, choices=choices))
        chosen.add(key)
    return tuple(t.id for t in terms if t.id in chosen)
