"""The therapy kinds (ice, heat): one descriptor each, holding every word, colour and piece of advice the
app shows for that kind, so no display needs an ice-or-heat branch. A new kind is a new :class:`Therapy`
member plus its entry in :data:`THERAPY_KINDS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from ..i18n import ENGLISH, N_, _, current_language


class Therapy(StrEnum):
    """What the timer times: something cold (ice pack, ice massage) or something warm."""

    COLD = "cold"
    HEAT = "heat"

    @property
    def info(self) -> TherapyKind:
        """This kind's descriptor, its words in the chosen language."""
        return _translated(THERAPY_KINDS[self])

    @property
    def label(self) -> str:
        """The short word the app shows for this therapy ('Ice', 'Heat')."""
        return self.info.label

    @classmethod
    def named(cls, value: object) -> Therapy | None:
        """The therapy a stored name stands for ('cold', 'heat'), or None for anything else."""
        if not isinstance(value, str):
            return None
        try:
            return cls(value)
        except ValueError:
            return None


@dataclass(frozen=True)
class TherapyKind:
    """Everything shown or said about one therapy kind."""

    label: str  # the short word on cards and in titles: "Ice"
    noun: str  # in sentences: "take the ice off"
    sensation: str  # what is applied: "20 minutes of cold at a time"
    colour: str  # the timer's clock on its card (hex; dark enough for text)
    chart_colour: str  # its bar and legend in the pain chart (hex)
    icon: str  # a freedesktop icon-theme name for displays that show one
    advice: str  # the safety advice shown with every timer of this kind unless its preset gives its own
    suggestion: str  # why this kind is suggested at this point of an episode
    discouraged_early: bool  # in an episode's first 72 hours a note mentions that many prefer cold then


# The advice shown with every timer of that therapy unless a preset gives its own. Plain and calm.
COLD_ADVICE = N_(
    "Never put ice directly on the skin — wrap it in a thin towel. "
    "Check your skin every few minutes: if it looks white or blotchy, or feels numb or burning, "
    "take the ice off."
)
HEAT_ADVICE = N_(
    "Use warmth, not heat: it should feel pleasantly warm, never hot. "
    "Put a cloth between the heat and your skin and check the skin now and then; take it off if it turns "
    "very red or hurts. Never fall asleep on a heat pad or a hot water bottle."
)

THERAPY_KINDS: Mapping[Therapy, TherapyKind] = {
    Therapy.COLD: TherapyKind(
        label=N_("Ice"),
        noun=N_("ice"),
        sensation=N_("cold"),
        colour="#2B6CB0",
        chart_colour="#4299E1",
        icon="weather-snow",
        advice=COLD_ADVICE,
        suggestion=N_(
            "Many people find cold soothing in the first two to three days; heat is fine too if it helps "
            "more. Keep gently active."
        ),
        discouraged_early=False,
    ),
    Therapy.HEAT: TherapyKind(
        label=N_("Heat"),
        noun=N_("heat"),
        sensation=N_("heat"),
        colour="#C05621",
        chart_colour="#DD6B20",
        icon="weather-clear",
        advice=HEAT_ADVICE,
        suggestion=N_(
            "Gentle heat often helps the muscles relax (heat wraps have moderate evidence of easing back "
            "pain). Keep gently active."
        ),
        discouraged_early=True,
    ),
}


def _translated(kind: TherapyKind) -> TherapyKind:
    """``kind`` with its words in the chosen language (the table holds the English msgids)."""
    if current_language() == ENGLISH:
        return kind  # the table itself: its texts are the English words
    return replace(
        kind, label=_(kind.label), noun=_(kind.noun), sensation=_(kind.sensation), advice=_(kind.advice),
        suggestion=_(kind.suggestion),
    )  # fmt: skip
