"""The player's words and pictures (issue 12 §9): rest phases, movement versus holds, the last step, and a
sound button that tells the truth when no sound can play. Offscreen, on the real widgets."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from test_gui_player import advance, clock, start, window  # noqa: F401  (fixtures)

from spasmcoach.core import loader
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.model import PhaseKind
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.player import NO_SOUND_TIP, REST_INSTRUCTIONS, phase_word


def test_a_rest_shows_rest_words_not_the_movement(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:  # noqa: F811
    start(window, qtbot)
    advance(window, clock, 5 + 30 + 5 + 20 + 1)  # the rest after the first left-side hold
    player = window.player
    assert window.session is not None
    phase = window.session.runner.current_phase
    assert phase is not None and phase.kind is PhaseKind.REST
    texts = player.current_texts()
    assert texts["phase"] == "REST"
    assert texts["next"] == "Rest — next: Knee to chest, rep 2"
    assert player.instructions.text() == REST_INSTRUCTIONS
    assert player.illustration.paths == ()  # not the movement's picture
    advance(window, clock, 10)  # the hold again: its own words come back
    assert player.instructions.text() == "Bring one knee slowly toward your chest."
    assert player.current_texts()["next"] == "Next: Child's pose"


def test_the_last_step_says_so(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:  # noqa: F811
    start(window, qtbot)
    advance(window, clock, 5 + 30 + 5 + (20 + 10) * 4 - 10 + 5 + 1)  # into Child's pose
    texts = window.player.current_texts()
    assert texts["step"] == "Child's pose"
    assert texts["next"] == "Last step"


def test_movement_is_not_called_a_hold() -> None:
    warm_up = loader.load_library().get("warm-up")
    assert warm_up is not None
    words = {(p.step.name, p.kind): phase_word(p) for p in warm_up.timeline().phases}
    assert words[("Marching in place", PhaseKind.HOLD)] == "Keep moving"
    assert words[("Marching in place", PhaseKind.REST)] == "Rest"
    lower_back = loader.load_library().get("lower-back-release")
    assert lower_back is not None
    holds = {p.step.name: phase_word(p) for p in lower_back.timeline().phases if p.kind is PhaseKind.HOLD}
    assert holds["Knee to chest"] == "Hold"


def test_no_sound_is_said_plainly(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:  # noqa: F811
    start(window, qtbot)
    button = window.player.mute_button
    assert button.text() == "Sound on"
    window.ctx.audio.available = False  # what the real player reports when nothing can play
    advance(window, clock, 1)
    assert button.text() == "No sound" and button.toolTip() == NO_SOUND_TIP
    button.click()  # toggling mute does not bring back a false "Sound on"
    assert button.text() == "No sound"


def test_the_summary_says_not_rated_in_words(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:  # noqa: F811
    start(window, qtbot, pain=6)
    assert window.session is not None
    window.finish_page.show_summary(window.session)
    text = window.finish_page.summary.text()
    assert "Pain 6 before, not rated after" in text and "–" not in text and "→" not in text
