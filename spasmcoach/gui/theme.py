"""The palette in use and the one style sheet built from it: calm, readable from across a room.

Text sizes follow the system font: each role (body, title, step name, …) is a factor of the body size, and
the body is a little larger than the desktop's own font (``BODY_FACTOR``), times the "Larger text" scale.
So nothing is a fixed pixel size, and a larger system font or display scale makes everything larger.

The colours are those of :mod:`palette`; ``gui/appearance.py`` decides which palette is in use and calls
:func:`apply`. The old names (``theme.TEXT``, ``theme.PHASE_COLOURS``, ``theme.STYLE_SHEET``, …) still
work and always give the colour of the palette in use *when read*, so code that reads them at paint time
follows a change of theme.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from spasmcoach.core.model import PhaseKind

from .palette import LIGHT, Palette
from .style_rules import style_sheet

__all__ = ["BODY_FACTOR", "LARGER_TEXT", "apply", "base_point_size", "palette", "qpalette", "readable", "screen_html", "style_sheet", "text_scale", "use"]

BODY_FACTOR = 1.25  # body text over the desktop's font: 9 pt → 11.25 pt (15 px at 96 dpi)
LARGER_TEXT = 1.3  # the "Larger text" setting: every size times this

_state: dict[str, object] = {"palette": LIGHT, "scale": 1.0}

# Kept for the code that reads colours by these names; looked up in the palette in use (see __getattr__).
TEXT: str
MUTED: str
BACKGROUND: str
SURFACE: str
BORDER: str
ACCENT: str
STOP: str
STOP_HOVER: str
WARNING_BG: str
WARNING_TEXT: str
ALERT_BG: str
FOCUS_DARK: str
FOCUS_BG: str
PHASE_COLOURS: dict[PhaseKind, str]
STYLE_SHEET: str

_ROLES = {
    "TEXT": "text",
    "MUTED": "muted",
    "BACKGROUND": "background",
    "SURFACE": "surface",
    "BORDER": "border",
    "ACCENT": "accent",
    "STOP": "stop",
    "STOP_HOVER": "stop_hover",
    "WARNING_BG": "warning_bg",
    "WARNING_TEXT": "warning_text",
    "ALERT_BG": "alert_bg",
    "FOCUS_DARK": "focus_strong",
    "FOCUS_BG": "focus_bg",
    "PHASE_COLOURS": "phases",
}


def __getattr__(name: str) -> object:
    """The old constant names, read from the palette in use at the moment they are read."""
    if name in _ROLES:
        return getattr(palette(), _ROLES[name])
    if name == "STYLE_SHEET":
        return style_sheet(palette(), base_point_size() * BODY_FACTOR * text_scale())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def palette() -> Palette:
    """The palette in use (light until :func:`apply` says otherwise)."""
    current = _state["palette"]
    assert isinstance(current, Palette)
    return current


def text_scale() -> float:
    """1.0, or :data:`LARGER_TEXT` while "Larger text" is on."""
    scale = _state["scale"]
    assert isinstance(scale, float)
    return scale


def base_point_size() -> float:
    """The desktop's font size in points (Qt's default font when there is no application yet)."""
    font = QGuiApplication.font() if QGuiApplication.instance() is not None else QFont()
    if font.pointSizeF() > 0:
        return font.pointSizeF()
    if font.pixelSize() > 0:
        return font.pixelSize() * 0.75  # 96 pixels to the inch, 72 points
    return 9.0


def use(p: Palette, scale: float = 1.0) -> None:
    """Make ``p`` and ``scale`` the ones :func:`palette`, ``STYLE_SHEET`` and painting read, without
    touching the application (:func:`apply` does both; tests use this alone)."""
    _state["palette"], _state["scale"] = p, float(scale)


# Colours that rich text written for a light page may carry (the safety page's headings come from the core)
# and the palette role each stands for.
_HTML_ROLES = {
    "#9B2C2C": "worse",
    "#7B341E": "warning_text",
    "#742A2A": "alert_text",
    "#1F2933": "text",
    "#52606D": "muted",
}
_HTML_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b")


def readable(colour: str) -> str:
    """A colour from the core (a therapy's, written for a light page) as the palette in use shows it."""
    return palette().readable.get(colour.upper(), colour)


def screen_html(html: str) -> str:
    """``html`` written for a light page, its known colours turned into the palette in use's (call it where
    the text is shown, and again when the theme changes)."""
    p = palette()

    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        role = _HTML_ROLES.get(found.upper())
        colour = str(getattr(p, role)) if role else found
        return found if colour.upper() == found.upper() else colour

    return _HTML_COLOUR.sub(swap, html)


def qpalette(p: Palette) -> QPalette:
    """Qt's palette for ``p``, so Qt's own dialogs, menus and scroll bars match the pages."""
    q = QPalette()
    roles = {
        QPalette.ColorRole.Window: p.background,
        QPalette.ColorRole.WindowText: p.text,
        QPalette.ColorRole.Base: p.surface,
        QPalette.ColorRole.AlternateBase: p.header_fill,
        QPalette.ColorRole.Text: p.text,
        QPalette.ColorRole.Button: p.surface,
        QPalette.ColorRole.ButtonText: p.text,
        QPalette.ColorRole.BrightText: p.on_stop,
        QPalette.ColorRole.Highlight: p.accent,
        QPalette.ColorRole.HighlightedText: p.on_accent,
        QPalette.ColorRole.ToolTipBase: p.surface,
        QPalette.ColorRole.ToolTipText: p.text,
        QPalette.ColorRole.PlaceholderText: p.muted,
        QPalette.ColorRole.Link: p.focus,
        QPalette.ColorRole.Mid: p.border,
        QPalette.ColorRole.Dark: p.border,
        QPalette.ColorRole.Light: p.surface,
        QPalette.ColorRole.Midlight: p.header_fill,
        QPalette.ColorRole.Shadow: p.track,
    }
    for role, colour in roles.items():
        q.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        q.setColor(QPalette.ColorGroup.Disabled, role, QColor(p.disabled_text))
    return q


def apply(app: QGuiApplication, p: Palette, scale: float = 1.0) -> None:
    """Make ``p`` the palette in use at text scale ``scale``: Qt's palette, then the style sheet (whose
    re-polish repaints every widget; widgets that paint themselves read :func:`palette` as they paint)."""
    use(p, scale)
    app.setPalette(qpalette(p))
    set_sheet = getattr(app, "setStyleSheet", None)  # a QApplication; a bare QGuiApplication has no widgets
    if callable(set_sheet):
        set_sheet(style_sheet(p, base_point_size() * BODY_FACTOR * float(scale)))
