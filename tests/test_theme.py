"""Light, dark and high contrast from one palette; sizes from the system font; the Appearance menu.

Covers gui/palette.py (WCAG contrast of every text pair), gui/theme.py and gui/style_rules.py (the style
sheet in points, following the desktop's font and "Larger text"), gui/appearance.py (the setting, the
menu, ``--theme``, following the system's scheme live) and the dark handling of the step pictures in
gui/illustration.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import make_context
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from spasmcoach.commands.main import build_parser
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.resources import illustrations_dir
from spasmcoach.core.timers.kinds import Therapy
from spasmcoach.documents.ink import PRINT, Ink
from spasmcoach.gui import appearance, theme
from spasmcoach.gui.appearance import LARGER_TEXT_KEY, THEME_KEY, Appearance, Choice, appearance_menu, resolve
from spasmcoach.gui.chart import screen_ink
from spasmcoach.gui.illustration import IllustrationView, needs_card, recolour_svg, themed_colours
from spasmcoach.gui.main_window import MainWindow
from spasmcoach.gui.palette import (
    DARK,
    HIGH_CONTRAST,
    LARGE_TEXT_PAIRS,
    LIGHT,
    PALETTES,
    TEXT_PAIRS,
    Palette,
    contrast,
)
from spasmcoach.gui.style_rules import SIZES, style_sheet

SVG_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b")


@pytest.fixture(autouse=True)
def light_again(qapp: QApplication) -> Iterator[None]:
    """Each test leaves the app as it found it: light, no style sheet, Qt's own palette, no scheme asked."""
    yield
    for installed in appearance._installed:
        installed.stop_following()
    appearance._installed.clear()
    theme.use(LIGHT, 1.0)
    qapp.setStyleSheet("")
    qapp.setPalette(qapp.style().standardPalette())
    QGuiApplication.styleHints().unsetColorScheme()


def settings_in(home: Path) -> QSettings:
    home.mkdir(parents=True, exist_ok=True)
    return QSettings(str(home / "appearance.ini"), QSettings.Format.IniFormat)


# -- the palettes ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("palette", PALETTES.values(), ids=list(PALETTES))
def test_every_text_pair_reaches_wcag_aa(palette: Palette) -> None:
    need = 7.0 if palette is HIGH_CONTRAST else 4.5
    weak = [
        f"{fg} on {bg}: {contrast(getattr(palette, fg), getattr(palette, bg)):.2f}"
        for fg, bg in TEXT_PAIRS
        if contrast(getattr(palette, fg), getattr(palette, bg)) < need
    ]
    assert not weak, f"{palette.name} below {need}:1: {weak}"


@pytest.mark.parametrize("palette", PALETTES.values(), ids=list(PALETTES))
def test_large_marks_and_phase_words_reach_large_text_contrast(palette: Palette) -> None:
    need = 4.5 if palette is HIGH_CONTRAST else 3.0
    pairs = [(getattr(palette, fg), getattr(palette, bg), f"{fg} on {bg}") for fg, bg in LARGE_TEXT_PAIRS]
    pairs += [(colour, palette.background, f"{kind.name} on background") for kind, colour in palette.phases.items()]
    weak = [what for fg, bg, what in pairs if contrast(fg, bg) < need]
    assert not weak, f"{palette.name}: {weak}"


def test_high_contrast_is_black_and_white_with_thick_focus_rings() -> None:
    assert (HIGH_CONTRAST.background, HIGH_CONTRAST.text) == ("#000000", "#FFFFFF")
    assert HIGH_CONTRAST.focus_width >= 3 > LIGHT.focus_width - 0
    assert contrast(HIGH_CONTRAST.muted, HIGH_CONTRAST.background) >= 7
    assert "4px solid #FFD700" in style_sheet(HIGH_CONTRAST, 11.0)


def test_contrast_is_the_wcag_ratio() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)


def test_every_palette_names_the_same_roles_and_phases() -> None:
    for palette in PALETTES.values():
        assert set(palette.phases) == set(LIGHT.phases)
        assert all(SVG_COLOUR.fullmatch(getattr(palette, fg)) for fg, _ in TEXT_PAIRS)


# -- sizes -------------------------------------------------------------------------------------------------
def test_the_style_sheet_has_no_pixel_font_sizes() -> None:
    for palette in PALETTES.values():
        sheet = style_sheet(palette, 11.25)
        assert not re.search(r"font-size:\s*[\d.]+px", sheet)
        assert f"font-size: {11.25 * SIZES['stepName']:.2f}pt" in sheet


def test_owned_painters_set_no_fixed_font_sizes() -> None:
    root = Path(__file__).resolve().parents[1] / "spasmcoach" / "gui"
    for name in ("chart.py", "body_map.py", "widgets.py", "theme.py", "style_rules.py", "history/calendar.py"):
        text = (root / name).read_text()
        assert not re.search(r"setPixelSize\(\d+\)|setPointSize\w*\(\d+\)|font-size:\s*\d+px", text), name


def test_sizes_follow_the_system_font_and_larger_text(qapp: QApplication) -> None:
    before = QFont(qapp.font())
    try:
        small = QFont(before)
        small.setPointSizeF(9.0)
        qapp.setFont(small)
        assert theme.base_point_size() == 9.0
        assert "font-size: 11.25pt" in theme.STYLE_SHEET  # 9 pt × 1.25: the old 15 px at 96 dpi
        large = QFont(before)
        large.setPointSizeF(12.0)
        qapp.setFont(large)
        assert "font-size: 15.00pt" in theme.STYLE_SHEET
        theme.use(LIGHT, theme.LARGER_TEXT)
        assert f"font-size: {12 * 1.25 * 1.3:.2f}pt" in theme.STYLE_SHEET
    finally:
        qapp.setFont(before)


def test_the_old_names_read_the_palette_in_use() -> None:
    assert LIGHT.text == theme.TEXT
    theme.use(DARK)
    assert (DARK.text, DARK.surface, DARK.focus_strong) == (theme.TEXT, theme.SURFACE, theme.FOCUS_DARK)
    assert theme.PHASE_COLOURS is DARK.phases
    assert DARK.background in theme.STYLE_SHEET
    with pytest.raises(AttributeError):
        _ = theme.NO_SUCH_COLOUR


def test_apply_sets_qts_palette_for_its_own_dialogs(qapp: QApplication) -> None:
    theme.apply(qapp, DARK)
    assert qapp.palette().color(QPalette.ColorRole.Window).name().upper() == DARK.background
    assert qapp.palette().color(QPalette.ColorRole.Text).name().upper() == DARK.text
    assert DARK.surface in qapp.styleSheet()


# -- the chart and the report -----------------------------------------------------------------------------
def test_the_chart_follows_the_theme_and_the_report_stays_light() -> None:
    assert screen_ink().surface == LIGHT.surface
    theme.use(DARK)
    ink = screen_ink()
    assert (ink.surface, ink.text, ink.checkin) == (DARK.surface, DARK.text, DARK.checkin)
    assert contrast(ink.after, ink.surface) >= 3 and contrast(ink.before, ink.surface) >= 3
    assert Ink() == PRINT and PRINT.surface == "#FFFFFF" and PRINT.text == LIGHT.text


# -- the setting and the menu -----------------------------------------------------------------------------
def test_choices_resolve_to_palettes() -> None:
    assert resolve(Choice.SYSTEM, Qt.ColorScheme.Dark) is DARK
    assert resolve(Choice.SYSTEM, Qt.ColorScheme.Light) is LIGHT
    assert resolve(Choice.SYSTEM, Qt.ColorScheme.Unknown) is LIGHT
    assert resolve(Choice.LIGHT, Qt.ColorScheme.Dark) is LIGHT
    assert resolve(Choice.HIGH_CONTRAST, Qt.ColorScheme.Light) is HIGH_CONTRAST


def test_the_session_theme_wins_until_the_user_picks_one(qapp: QApplication, spasmcoach_home: Path) -> None:
    settings = settings_in(spasmcoach_home)
    settings.setValue(THEME_KEY, "light")
    look = appearance.install(qapp, settings, "dark")
    assert theme.palette() is DARK and look.choice() is Choice.DARK
    look.set_choice(Choice.HIGH_CONTRAST)
    assert theme.palette() is HIGH_CONTRAST and settings.value(THEME_KEY) == "high-contrast"
    look.set_larger_text(True)
    assert theme.text_scale() == theme.LARGER_TEXT and appearance.Appearance(settings).larger_text()


def test_follow_system_changes_live(qapp: QApplication, spasmcoach_home: Path, qtbot: QtBot) -> None:
    settings = settings_in(spasmcoach_home)
    look = appearance.install(qapp, settings)
    assert look.choice() is Choice.SYSTEM
    with qtbot.waitSignal(look.changed):
        look._system_changed(Qt.ColorScheme.Dark)  # as the desktop's colorSchemeChanged signal calls it
    assert theme.palette() is DARK
    look.set_choice(Choice.LIGHT)
    with qtbot.assertNotEmitted(look.changed):
        look._system_changed(Qt.ColorScheme.Dark)  # a fixed choice ignores the desktop
    assert theme.palette() is LIGHT


def test_install_listens_to_the_style_hints(qapp: QApplication, spasmcoach_home: Path) -> None:
    look = appearance.install(qapp, settings_in(spasmcoach_home))
    hints = QGuiApplication.styleHints()
    assert look.following
    assert hints.receivers("2colorSchemeChanged(Qt::ColorScheme)") >= 1


def test_a_bad_saved_value_means_follow_system(spasmcoach_home: Path) -> None:
    settings = settings_in(spasmcoach_home)
    settings.setValue(THEME_KEY, "purple")
    assert Appearance(settings).choice() is Choice.SYSTEM
    assert Appearance(settings, "nonsense").session is None


def test_the_settings_menu_has_the_appearance_submenu(qtbot: QtBot, spasmcoach_home: Path) -> None:
    ctx = make_context(spasmcoach_home, FakeClock())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    menus = [a.menu() for a in window.settings_menu.actions()]
    submenu = next(m for m in menus if isinstance(m, QMenu) and m.title() == "&Appearance")
    texts = [a.text() for a in submenu.actions() if not a.isSeparator()]
    assert texts == ["&Light", "&Dark", "Follow &system", "&High contrast", "Larger &text"]
    dark = submenu.actions()[1]
    dark.trigger()
    assert ctx.settings.value(THEME_KEY) == "dark" and theme.palette() is DARK and dark.isChecked()
    larger = submenu.actions()[-1]
    larger.trigger()
    assert str(ctx.settings.value(LARGER_TEXT_KEY)).lower() == "true" and theme.text_scale() > 1
    ctx.journal.close()


def test_the_menu_shows_the_saved_choice(qtbot: QtBot, spasmcoach_home: Path) -> None:
    settings = settings_in(spasmcoach_home)
    settings.setValue(THEME_KEY, "high-contrast")
    settings.setValue(LARGER_TEXT_KEY, True)
    menu = appearance_menu(None, settings)  # type: ignore[arg-type]
    checked = [a.text() for a in menu.actions() if a.isChecked()]
    assert checked == ["&High contrast", "Larger &text"]
    menu.deleteLater()


def test_theme_option_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    assert parser.parse_args(["--theme", "high-contrast"]).theme == "high-contrast"
    assert parser.parse_args([]).theme is None
    with pytest.raises(SystemExit):
        parser.parse_args(["--theme", "purple"])
    assert "invalid choice" in capsys.readouterr().err


# -- the pictures -----------------------------------------------------------------------------------------
def bundled_colours() -> set[str]:
    found: set[str] = set()
    for svg in illustrations_dir().glob("*.svg"):
        found |= {c.upper() for c in SVG_COLOUR.findall(svg.read_text())}
    return found


@pytest.mark.parametrize("palette", [DARK, HIGH_CONTRAST], ids=["dark", "high-contrast"])
def test_every_colour_of_the_bundled_pictures_has_a_dark_counterpart(palette: Palette) -> None:
    colours = bundled_colours()
    assert colours, "no bundled pictures found"
    missing = colours - set(palette.illustration)
    assert not missing, f"add these to the {palette.name} palette's illustration table: {sorted(missing)}"
    figure = palette.illustration["#708090"]
    assert contrast(figure, palette.background) >= 4.5, "the figure does not stand out on the page"


def test_recolouring_swaps_only_known_colours() -> None:
    svg = b'<svg><path stroke="#708090"/><path fill="#a7b1bd"/><path fill="#123456"/></svg>'
    out = recolour_svg(svg, DARK.illustration)
    assert b"#C3CCD6" in out and b"#6B7888" in out and b"#123456" in out and b"#708090" not in out


def test_only_bundled_pictures_are_recoloured_and_own_pictures_get_a_card(tmp_path: Path) -> None:
    bundled = illustrations_dir() / "childs-pose.svg"
    own = tmp_path / "mine.svg"
    assert themed_colours(bundled) is None and not needs_card(own)  # light: as drawn
    theme.use(DARK)
    assert themed_colours(bundled) == DARK.illustration
    assert themed_colours(own) is None and needs_card(own) and not needs_card(bundled)


def test_the_step_picture_is_drawn_again_when_the_theme_changes(qapp: QApplication, qtbot: QtBot) -> None:
    view = IllustrationView()
    qtbot.addWidget(view)
    view.resize(200, 150)
    view.show()
    view.set_images([illustrations_dir() / "childs-pose.svg"])
    assert view.wait_rendered()
    light = view._images[0].copy()
    with qtbot.waitSignal(view.rendered, timeout=5000):
        theme.apply(qapp, DARK)
    assert view.ready and view._images[0] != light, "the picture kept its light colours"


def test_rich_text_written_for_a_light_page_reads_in_dark() -> None:
    html = '<h3 style="color:#9B2C2C">Get emergency care now</h3><h3 style="color:#7b341e">See a GP</h3>'
    assert theme.screen_html(html) == html
    theme.use(DARK)
    dark = theme.screen_html(html)
    assert DARK.worse in dark and DARK.warning_text in dark
    assert contrast(DARK.worse, DARK.background) >= 4.5 and contrast(DARK.warning_text, DARK.background) >= 4.5


@pytest.mark.parametrize("palette", PALETTES.values(), ids=list(PALETTES))
def test_the_timers_big_clocks_read_in_every_theme(palette: Palette) -> None:
    theme.use(palette)
    for therapy in Therapy:
        colour = theme.readable(therapy.info.colour)
        assert contrast(colour, palette.surface) >= 3.0, f"{therapy.name} on a {palette.name} card"  # 44 px bold


def test_a_new_desktop_font_resizes_the_text_live(qapp: QApplication, spasmcoach_home: Path, qtbot: QtBot) -> None:
    appearance.install(qapp, settings_in(spasmcoach_home))
    before = QFont(qapp.font())
    try:
        bigger = QFont(before)
        bigger.setPointSizeF(12.0)
        qapp.setFont(bigger)  # as when the desktop's font setting changes
        assert "font-size: 15.00pt" in qapp.styleSheet()
    finally:
        qapp.setFont(before)


def test_an_own_picture_sits_on_a_light_card_in_dark(qapp: QApplication, qtbot: QtBot, tmp_path: Path) -> None:
    own = tmp_path / "mine.svg"
    own.write_bytes((illustrations_dir() / "childs-pose.svg").read_bytes())
    theme.apply(qapp, DARK)
    view = IllustrationView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    view.set_images([own])
    assert view.wait_rendered()
    shot = view.grab().toImage()
    assert QColor(shot.pixel(30, 150)).name().upper() == LIGHT.background  # the card, left of the figure


@pytest.mark.parametrize("name", ["", "primary", "stop"])
def test_a_focus_ring_takes_its_room_from_the_padding_not_the_words(
    qapp: QApplication, qtbot: QtBot, name: str
) -> None:
    """A focused button is exactly as wide as an unfocused one and its words still fit inside the ring: the
    ring used to eat into the text, cutting the last letters of a long (German) label on the focused button."""
    from PySide6.QtWidgets import QPushButton, QStyle, QStyleOptionButton

    qapp.setStyleSheet(style_sheet(PALETTES["high-contrast"], 10.0))  # the thickest ring
    button = QPushButton("Speichern und zurück zur Übersicht")
    button.setObjectName(name)
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    unfocused = button.sizeHint()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    button.ensurePolished()
    assert button.sizeHint() == unfocused
    button.resize(unfocused)
    option = QStyleOptionButton()
    button.initStyleOption(option)
    room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    assert room.width() >= button.fontMetrics().horizontalAdvance(button.text())


def test_spin_box_and_drop_down_arrows_are_drawn_in_the_text_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """A styled spin box draws no arrows of its own: the sheet names an arrow image in each palette's text
    colour, and where no image can be written the buttons are left out rather than drawn broken."""
    from PySide6.QtSvg import QSvgRenderer

    from spasmcoach.gui import style_arrows

    for palette in PALETTES.values():
        sheet = style_sheet(palette, 10.0)
        up = style_arrows.arrow("up", palette.text)
        assert up is not None and f'image: url("{up}")' in sheet
        assert palette.text.lower() in Path(up).read_text(encoding="ascii").lower()
        assert QSvgRenderer(up).isValid()
    style_arrows.arrow.cache_clear()
    monkeypatch.setattr(style_arrows, "_folder", lambda: None)
    try:
        rules = style_arrows.arrow_rules("#000000", "#777777", "#cccccc", "#ffffff", "#eeeeee")
        assert "width: 0" in rules and "image:" not in rules
    finally:
        style_arrows.arrow.cache_clear()


def test_arrow_pictures_are_kept_in_the_cache_and_not_rewritten(monkeypatch: pytest.MonkeyPatch) -> None:
    """The arrows live in the data folder's cache, so a window that is killed leaves no temporary folder; a
    later start reuses them without writing, and whatever else sits at their name (a FIFO) is replaced
    without waiting on it."""
    import os

    from spasmcoach.core import paths
    from spasmcoach.gui import style_arrows

    style_arrows.arrow.cache_clear()
    style_arrows._folder.cache_clear()
    try:
        first = Path(str(style_arrows.arrow("up", "#123456")))
        assert first.parent == paths.cache_dir() / "arrows"
        written = first.stat().st_mtime_ns
        style_arrows.arrow.cache_clear()
        assert style_arrows.arrow("up", "#123456") == first.as_posix()
        assert first.stat().st_mtime_ns == written  # the same picture: not written again
        first.unlink()
        os.mkfifo(first)
        style_arrows.arrow.cache_clear()
        assert style_arrows.arrow("up", "#123456") == first.as_posix()
        assert first.is_file() and "#123456" in first.read_text(encoding="ascii")
    finally:
        style_arrows.arrow.cache_clear()
        style_arrows._folder.cache_clear()
