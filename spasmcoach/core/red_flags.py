"""The red-flag wording, in one place: when back pain needs emergency care or a doctor soon.

The welcome page, the stop screen and the README all say the same thing because they all come from here
(tests/test_red_flags.py holds the README to it). The items follow the NHS back-pain page; see
docs/safety.md for the side-by-side check. The constants are marked with ``N_`` and translated where they
are shown (:func:`emergency_items`, :func:`symptom_label` and the functions below).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from html import escape

from .i18n import N_, Labels, _


class Level(IntEnum):
    """How urgently to seek help; higher is more urgent, so ``max`` picks the strongest advice."""

    NONE = 0
    SEE_DOCTOR = 1  # an urgent GP appointment or NHS 111
    EMERGENCY = 2  # call 999 or go to A&E


EMERGENCY_HEADING = N_("Get emergency care now (call 999 or go to A&E) if you have back pain and")
EMERGENCY_ITEMS: tuple[str, ...] = (
    N_("chest pain"),
    N_("pain, tingling, numbness or weakness in both legs"),
    N_("numbness around your genitals or buttocks, or tingling there"),
    N_("difficulty peeing, or loss of bladder or bowel control"),
    N_("you hurt your back in a serious accident, such as a car crash or a bad fall"),
)

SEE_DOCTOR_HEADING = N_("See a doctor soon (ask for an urgent GP appointment or call 111) if you have back pain and")
SEE_DOCTOR_ITEMS: tuple[str, ...] = (
    N_("numbness, tingling or weakness in one leg or arm"),
    N_("the pain is high in your back, between your shoulder blades"),
    N_("the pain is worse when you sneeze, cough or poo"),
    N_("a lump, a swelling or a change in the shape of your back"),
    N_("a high temperature, or you feel generally unwell"),
    N_("weight loss you cannot explain"),
    N_("it started after a fall or a knock"),
    N_("the pain is worse at night, or keeps getting worse"),
    N_("the pain has not started to ease after a few weeks"),
)

OUTSIDE_UK = N_("Outside the UK, use your local emergency number and doctor.")

# What the stop screen can ask about; the keys are what the journal stores.
NERVE_SYMPTOMS = frozenset({"numbness", "tingling", "weakness"})
EMERGENCY_SYMPTOMS = frozenset({"both-legs", "saddle", "bladder-bowel"})
SYMPTOM_LABELS = Labels({
    "numbness": N_("Numbness"),
    "tingling": N_("Tingling"),
    "weakness": N_("Weakness"),
    "both-legs": N_("In both legs"),
    "saddle": N_("Around genitals or buttocks (saddle area)"),
    "bladder-bowel": N_("Bladder or bowel changes"),
})


@dataclass(frozen=True)
class Advice:
    """What to tell someone who ticked these symptoms: how urgent, and the words (empty for none)."""

    level: Level
    text: str


def emergency_items() -> list[str]:
    return [_(text) for text in EMERGENCY_ITEMS]


def see_doctor_items() -> list[str]:
    return [_(text) for text in SEE_DOCTOR_ITEMS]


def symptom_label(key: str) -> str:
    """The stop screen's label for a symptom key, in the chosen language (the key itself if unknown)."""
    return SYMPTOM_LABELS.get(key, key)


def emergency_sentence() -> str:
    """One sentence listing every emergency item, for places with room for a line, not a list."""
    return _("{heading}: {items}.").format(heading=_(EMERGENCY_HEADING), items=_join(emergency_items()))


def _join(items: Iterable[str]) -> str:
    parts = list(items)
    return "; ".join(parts[:-1]) + _("; or ") + parts[-1] if len(parts) > 1 else "".join(parts)


def advise(symptoms: Iterable[str]) -> Advice:
    """The advice for the symptoms ticked on the stop screen.

    Both legs, the saddle area or bladder and bowel changes are emergency signs; numbness, tingling or
    weakness without those (so in one leg or arm), even weakness alone, needs an urgent GP appointment;
    other symptoms (sharper or spreading pain) need no warning here.
    """
    ticked = set(symptoms)
    if ticked & EMERGENCY_SYMPTOMS:
        text = _(
            "These symptoms can mean the nerves at the bottom of your spine are being squeezed, which needs "
            "treatment straight away. Get emergency care now: call 999 or go to A&E. Do not wait to see if "
            "it passes."
        )
        return Advice(Level.EMERGENCY, text)
    if ticked & NERVE_SYMPTOMS:
        first = _("Numbness, tingling or weakness can be a sign that a nerve is involved.")
        then = _("Ask for an urgent GP appointment or call 111 today.")
        return Advice(Level.SEE_DOCTOR, f"{first} {then} {emergency_sentence()}")
    return Advice(Level.NONE, "")


def needs_warning(symptoms: Iterable[str]) -> bool:
    """True when the ticked symptoms call for a doctor or emergency care."""
    return advise(symptoms).level is not Level.NONE


def safety_html() -> str:
    """The two red-flag lists as HTML for the welcome page, written for a light page and with no sizes of
    its own (the page's text size decides; the window turns the colours into its theme's)."""

    def items(texts: Iterable[str]) -> str:
        return "".join(f"<li>{escape(text)}</li>\n" for text in texts)

    return (
        f'<h3 style="color:#9B2C2C">{escape(_(EMERGENCY_HEADING))}</h3>\n<ul>\n'
        f"{items(emergency_items())}</ul>\n"
        f'<h3 style="color:#7B341E">{escape(_(SEE_DOCTOR_HEADING))}</h3>\n<ul>\n'
        f"{items(see_doctor_items())}</ul>\n"
        f"<p>{escape(_(OUTSIDE_UK))}</p>\n"
    )


def markdown() -> str:
    """The two lists as Markdown, the form the README's safety paragraph uses."""
    lines = [f"**{_(EMERGENCY_HEADING)}:**", *(f"- {t}" for t in emergency_items()), ""]
    lines += [f"**{_(SEE_DOCTOR_HEADING)}:**", *(f"- {t}" for t in see_doctor_items()), "", _(OUTSIDE_UK)]
    return "\n".join(lines)
