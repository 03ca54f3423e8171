"""The red-flag wording, in one place: when back pain needs emergency care or a doctor soon.

The welcome page, the stop screen and the README all say the same thing because they all come from here
(tests/test_red_flags.py holds the README to it). The items follow the NHS back-pain page; see
docs/safety.md for the side-by-side check. Every text goes through :func:`_` so a translation layer can
hook in later without touching the callers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from html import escape


def _(text: str) -> str:
    """Mark ``text`` for translation; the identity until a translation layer hooks in here."""
    return text


class Level(IntEnum):
    """How urgently to seek help; higher is more urgent, so ``max`` picks the strongest advice."""

    NONE = 0
    SEE_DOCTOR = 1  # an urgent GP appointment or NHS 111
    EMERGENCY = 2  # call 999 or go to A&E


EMERGENCY_HEADING = _("Get emergency care now (call 999 or go to A&E) if you have back pain and")
EMERGENCY_ITEMS: tuple[str, ...] = (
    _("chest pain"),
    _("pain, tingling, numbness or weakness in both legs"),
    _("numbness around your genitals or buttocks, or tingling there"),
    _("difficulty peeing, or loss of bladder or bowel control"),
    _("you hurt your back in a serious accident, such as a car crash or a bad fall"),
)

SEE_DOCTOR_HEADING = _("See a doctor soon (ask for an urgent GP appointment or call 111) if you have back pain and")
SEE_DOCTOR_ITEMS: tuple[str, ...] = (
    _("numbness, tingling or weakness in one leg or arm"),
    _("the pain is high in your back, between your shoulder blades"),
    _("the pain is worse when you sneeze, cough or poo"),
    _("a lump, a swelling or a change in the shape of your back"),
    _("a high temperature, or you feel generally unwell"),
    _("weight loss you cannot explain"),
    _("it started after a fall or a knock"),
    _("the pain is worse at night, or keeps getting worse"),
    _("the pain has not started to ease after a few weeks"),
)

OUTSIDE_UK = _("Outside the UK, use your local emergency number and doctor.")

# What the stop screen can ask about; the keys are what the journal stores.
NERVE_SYMPTOMS = frozenset({"numbness", "tingling", "weakness"})
EMERGENCY_SYMPTOMS = frozenset({"both-legs", "saddle", "bladder-bowel"})
SYMPTOM_LABELS: dict[str, str] = {
    "numbness": _("Numbness"),
    "tingling": _("Tingling"),
    "weakness": _("Weakness"),
    "both-legs": _("In both legs"),
    "saddle": _("Around genitals or buttocks (saddle area)"),
    "bladder-bowel": _("Bladder or bowel changes"),
}


@dataclass(frozen=True)
class Advice:
    """What to tell someone who ticked these symptoms: how urgent, and the words (empty for none)."""

    level: Level
    text: str


def emergency_sentence() -> str:
    """One sentence listing every emergency item, for places with room for a line, not a list."""
    return f"{EMERGENCY_HEADING}: {_join(EMERGENCY_ITEMS)}."


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
    """The two red-flag lists as HTML for the welcome page."""

    def items(texts: Iterable[str]) -> str:
        return "".join(f"<li>{escape(text)}</li>\n" for text in texts)

    return (
        f'<h3 style="color:#9B2C2C">{escape(EMERGENCY_HEADING)}</h3>\n<ul style="font-size:18px">\n'
        f"{items(EMERGENCY_ITEMS)}</ul>\n"
        f'<h3 style="color:#7B341E">{escape(SEE_DOCTOR_HEADING)}</h3>\n<ul style="font-size:18px">\n'
        f"{items(SEE_DOCTOR_ITEMS)}</ul>\n"
        f'<p style="font-size:16px">{escape(OUTSIDE_UK)}</p>\n'
    )


def markdown() -> str:
    """The two lists as Markdown, the form the README's safety paragraph uses."""
    lines = [f"**{EMERGENCY_HEADING}:**", *(f"- {t}" for t in EMERGENCY_ITEMS), ""]
    lines += [f"**{SEE_DOCTOR_HEADING}:**", *(f"- {t}" for t in SEE_DOCTOR_ITEMS), "", OUTSIDE_UK]
    return "\n".join(lines)
