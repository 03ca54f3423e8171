"""Text that scales: every page walked at 1024×600 with larger text, and nothing cut off or overlapping.

The sizes in the style sheet are points worked out from the desktop's font (gui/theme.py), so a larger
system font, a display scale (``QT_SCALE_FACTOR``) and the "Larger text" setting all make the words larger.
Each case walks the pages of tests/test_layout.py and checks every one with tests/layout_checks.py. A
display scale is fixed when Qt starts, so those cases run in a child pytest with the variable set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e import App, xvfb_sized  # noqa: F401 - xvfb_sized is a fixture
from PySide6.QtGui import QColor, QFont, QFontInfo, QImage
from PySide6.QtWidgets import QApplication
from test_layout import settle, styled, walk_pages, window  # noqa: F401 - the fixtures are used by name

from spasmcoach.gui import theme
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.palette import DARK, LIGHT

pytestmark = pytest.mark.slow

SIZE = (1024, 600)
CHILD = "SPASMCOACH_TEST_SCALE_CHILD"


@pytest.fixture
def bigger_system_font(qapp: QApplication) -> Iterator[None]:
    """The desktop's font at 11 pt (GNOME's and many distributions' default; Qt's own is 9 pt)."""
    before = QFont(qapp.font())
    font = QFont(before)
    font.setPointSizeF(11.0)
    qapp.setFont(font)
    yield
    qapp.setFont(before)


@pytest.fixture
def larger_text(qapp: QApplication) -> Iterator[None]:
    """The "Larger text" setting on (in the dark theme, which must not change any size)."""
    theme.use(DARK, theme.LARGER_TEXT)  # the window fixture's style sheet is built from this
    yield
    theme.use(LIGHT, 1.0)


def _walk(window: MainWindow) -> None:  # noqa: F811 - the fixture's value
    window.resize(*SIZE)
    walk_pages(window, SIZE)
    assert (window.width(), window.height()) == SIZE, "a page made the window grow"


def _body_pixels(window: MainWindow) -> int:  # noqa: F811
    settle(window)
    return QFontInfo(window.library.list.font()).pixelSize()


def test_the_pages_fit_with_a_larger_system_font(bigger_system_font: None, window: MainWindow) -> None:  # noqa: F811
    assert _body_pixels(window) >= 18, "the body text did not follow the system font"  # 11 pt × 1.25 = 18 px
    _walk(window)


def test_the_pages_fit_with_larger_text_on(larger_text: None, window: MainWindow) -> None:  # noqa: F811
    assert _body_pixels(window) >= 19, "Larger text did not make the text larger"  # 15 px × 1.3
    _walk(window)


@pytest.mark.skipif(CHILD not in os.environ, reason="run by test_the_pages_fit_at_a_display_scale")
def test_child_walk(window: MainWindow) -> None:  # noqa: F811
    """The walk inside the child process (``QT_SCALE_FACTOR`` set by the parent)."""
    assert QApplication.primaryScreen().devicePixelRatio() == float(os.environ["QT_SCALE_FACTOR"])
    if os.environ[CHILD] == "larger":
        theme.use(LIGHT, theme.LARGER_TEXT)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.setStyleSheet(theme.STYLE_SHEET)  # as the menu's "Larger text" does, with the window open
    try:
        _walk(window)
    finally:
        theme.use(LIGHT, 1.0)


@pytest.mark.parametrize(("factor", "case"), [("1.5", "plain"), ("2", "plain"), ("1.5", "larger")])
def test_the_pages_fit_at_a_display_scale(factor: str, case: str, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=factor, **{CHILD: case})
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    here = Path(__file__).resolve()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", f"{here}::test_child_walk"],
        cwd=here.parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout


@pytest.mark.xvfb
@pytest.mark.parametrize("xvfb_sized", ["1024x600"], indirect=True)
def test_the_theme_option_opens_a_dark_window(
    xvfb_sized: str,  # noqa: F811
    spasmcoach_home: Path,
    tmp_path: Path,
) -> None:
    """``--theme dark`` on a real display: the app says so, and the window it shows is dark."""
    dump = tmp_path / "geometry.json"  # written once the window has settled: then it is on screen
    app = App(xvfb_sized, spasmcoach_home, "--theme", "dark", env={"SPASMCOACH_DEBUG_GEOMETRY": str(dump)})
    try:
        app.wait_for_log(r"appearance: dark")
        app.wait_for_log(r"geometry written: Safety")
        shot = QImage(str(app.screenshot("theme-dark-1024x600")))
        edge = QColor(shot.pixel(shot.width() - 40, shot.height() // 2)).name().upper()  # the page, right side
        assert edge == DARK.background, f"the page is {edge}, not the dark theme's {DARK.background}"
    finally:
        app.quit()
