"""The red-flag wording: complete against the NHS items, the right level per symptom, the same everywhere."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from spasmcoach.core import red_flags
from spasmcoach.core.red_flags import Level, advise

README = Path(__file__).resolve().parents[1] / "README.md"


def folded(text: str) -> str:
    return " ".join(text.split())


def readme_safety_paragraph() -> str:
    """The README's safety block quote near the top, without the quote and list markers."""
    text = README.read_text(encoding="utf-8")
    start = text.index("> **SpasmCoach is not medical advice.**")
    block = text[start : text.index("\n\n", start)]
    lines = [re.sub(r"^>\s?(-\s)?", "", line) for line in block.splitlines()]
    return folded(" ".join(lines))


@pytest.mark.parametrize(
    ("words", "where"),
    [
        ("chest pain", red_flags.EMERGENCY_ITEMS),
        ("pain, tingling, numbness or weakness in both legs", red_flags.EMERGENCY_ITEMS),
        ("genitals or buttocks", red_flags.EMERGENCY_ITEMS),
        ("tingling there", red_flags.EMERGENCY_ITEMS),
        ("difficulty peeing", red_flags.EMERGENCY_ITEMS),
        ("loss of bladder or bowel control", red_flags.EMERGENCY_ITEMS),
        ("serious accident", red_flags.EMERGENCY_ITEMS),
        ("between your shoulder blades", red_flags.SEE_DOCTOR_ITEMS),
        ("sneeze, cough or poo", red_flags.SEE_DOCTOR_ITEMS),
        ("change in the shape of your back", red_flags.SEE_DOCTOR_ITEMS),
        ("high temperature", red_flags.SEE_DOCTOR_ITEMS),
        ("weight loss", red_flags.SEE_DOCTOR_ITEMS),
        ("worse at night", red_flags.SEE_DOCTOR_ITEMS),
        ("numbness, tingling or weakness in one leg", red_flags.SEE_DOCTOR_ITEMS),
    ],
)
def test_every_nhs_item_is_listed_at_its_level(words: str, where: tuple[str, ...]) -> None:
    assert any(words in item for item in where), words


def test_headings_name_where_to_go() -> None:
    assert "999" in red_flags.EMERGENCY_HEADING and "A&E" in red_flags.EMERGENCY_HEADING
    assert "GP" in red_flags.SEE_DOCTOR_HEADING and "111" in red_flags.SEE_DOCTOR_HEADING


@pytest.mark.parametrize("symptoms", [[], ["sharper"], ["spreading"], ["sharper", "spreading"]])
def test_pain_alone_needs_no_warning(symptoms: list[str]) -> None:
    assert advise(symptoms) == red_flags.Advice(Level.NONE, "")
    assert not red_flags.needs_warning(symptoms)


@pytest.mark.parametrize("symptoms", [["weakness"], ["numbness"], ["tingling"], ["numbness", "sharper"]])
def test_nerve_symptoms_in_one_leg_need_an_urgent_gp(symptoms: list[str]) -> None:
    advice = advise(symptoms)
    assert advice.level is Level.SEE_DOCTOR
    assert "nerve" in advice.text and "urgent GP appointment" in advice.text and "111" in advice.text
    for item in red_flags.EMERGENCY_ITEMS:  # and what would make it an emergency
        assert item in advice.text, item


@pytest.mark.parametrize(
    "symptoms", [["both-legs"], ["saddle"], ["bladder-bowel"], ["weakness", "both-legs"], ["tingling", "saddle"]]
)
def test_emergency_signs_get_the_emergency_wording(symptoms: list[str]) -> None:
    advice = advise(symptoms)
    assert advice.level is Level.EMERGENCY
    assert "call 999 or go to A&E" in advice.text and "urgent GP" not in advice.text


def test_every_symptom_the_stop_screen_can_offer_has_a_label() -> None:
    assert red_flags.SYMPTOM_LABELS.keys() == red_flags.NERVE_SYMPTOMS | red_flags.EMERGENCY_SYMPTOMS
    assert "saddle area" in red_flags.SYMPTOM_LABELS["saddle"]


def test_translation_hook_is_the_identity_for_now() -> None:
    assert red_flags._("chest pain") == "chest pain"


def test_readme_safety_paragraph_says_the_same() -> None:
    paragraph = readme_safety_paragraph()
    assert "not medical advice" in paragraph and "Stop at once if pain increases" in paragraph
    for text in (red_flags.EMERGENCY_HEADING, *red_flags.EMERGENCY_ITEMS):
        assert folded(text) in paragraph, text
    for text in (red_flags.SEE_DOCTOR_HEADING, *red_flags.SEE_DOCTOR_ITEMS):
        assert folded(text) in paragraph, text


def test_welcome_page_html_lists_every_item() -> None:
    text = unescape(re.sub(r"<[^>]+>", " ", red_flags.safety_html()))
    for item in (*red_flags.EMERGENCY_ITEMS, *red_flags.SEE_DOCTOR_ITEMS, red_flags.EMERGENCY_HEADING):
        assert item in text, item


def test_stop_page_shows_the_advice_for_what_is_ticked(qtbot: QtBot) -> None:
    from spasmcoach.gui.session_pages import StopPage

    page = StopPage()
    qtbot.addWidget(page)
    assert not page.warning.isVisibleTo(page)
    page.symptom_boxes["weakness"].setChecked(True)
    assert page.warning.isVisibleTo(page) and page.warning.text() == advise(["weakness"]).text
    page.symptom_boxes["weakness"].setChecked(False)
    assert not page.warning.isVisibleTo(page)
