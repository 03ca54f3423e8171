"""The app's three palettes (light, dark, high contrast) as one table of named colours, and WCAG contrast.

Every colour a page, the chart, the calendar or an illustration is drawn in comes from the palette in use
(``theme.palette()``); nothing else in the GUI should hold a colour of its own. Each palette is checked by
tests/test_theme.py: every text/background pair in :data:`TEXT_PAIRS` reaches WCAG AA (4.5:1), or 7:1 in
high contrast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spasmcoach.core.model import PhaseKind

__all__ = [
    "DARK",
    "HIGH_CONTRAST",
    "LIGHT",
    "LARGE_TEXT_PAIRS",
    "PALETTES",
    "TEXT_PAIRS",
    "Palette",
    "contrast",
]


@dataclass(frozen=True)
class Palette:
    """Named colours (``#RRGGBB``) for one look of the app. ``dark`` says whether its background is dark;
    ``focus_width`` is the focus ring's thickness in pixels."""

    name: str
    dark: bool
    text: str
    muted: str
    background: str
    surface: str
    border: str
    accent: str  # filled buttons and chosen items, with ``on_accent`` text on them
    on_accent: str
    focus: str  # the focus ring on plain controls, and thin accent lines
    focus_strong: str  # the focus ring on filled (accent or stop) buttons
    stop_ring: str  # the focus ring on the Stop button
    focus_bg: str  # behind a focused check box or drop-down
    stop: str
    stop_hover: str
    on_stop: str
    warning_bg: str
    warning_text: str
    warning_border: str
    alert_bg: str
    alert_text: str
    broken: str  # a file that cannot be used
    worse: str  # pain went up (text)
    relief: str  # pain went down (text)
    selection: str
    header_fill: str
    gridline: str
    checked_bg: str
    disabled_bg: str
    disabled_text: str
    track: str  # the countdown ring's empty track, the body outline's fill, a progress bar's groove
    placeholder: str  # the figure drawn when a picture cannot be used
    chart_before: str
    chart_better: str
    checkin: str
    reliever: str
    focus_width: int = 2
    phases: dict[PhaseKind, str] = field(default_factory=dict)
    illustration: dict[str, str] = field(default_factory=dict)  # bundled pictures' colours → this palette's
    readable: dict[str, str] = field(default_factory=dict)  # the core's colours (therapy kinds) → readable here


LIGHT = Palette(
    name="light",
    dark=False,
    text="#1F2933",
    muted="#52606D",
    background="#F5F7FA",
    surface="#FFFFFF",
    border="#CBD2D9",
    accent="#2B6CB0",
    on_accent="#FFFFFF",
    focus="#2B6CB0",
    focus_strong="#1A365D",
    stop_ring="#2D0F0F",
    focus_bg="#E6F0FA",
    stop="#C53030",
    stop_hover="#9B2C2C",
    on_stop="#FFFFFF",
    warning_bg="#FFF4E5",
    warning_text="#7B341E",
    warning_border="#DD6B20",
    alert_bg="#FDECEC",
    alert_text="#742A2A",
    broken="#9B2C2C",
    worse="#9B2C2C",
    relief="#276749",
    selection="#DCEAF7",
    header_fill="#EDF2F7",
    gridline="#EDF2F7",
    checked_bg="#E2E8F0",
    disabled_bg="#E4E7EB",
    disabled_text="#7B8794",
    track="#E4E7EB",
    placeholder="#9AA5B1",
    chart_before="#7B8794",
    chart_better="#2F855A",
    checkin="#6B46C1",
    reliever="#2C7A7B",
    phases={
        PhaseKind.GET_READY: "#B7791F",
        PhaseKind.HOLD: "#2B6CB0",
        PhaseKind.TIMED: "#2B6CB0",
        PhaseKind.REST: "#2F855A",
    },
    illustration={},  # the pictures are drawn for a light background
)

DARK = Palette(
    name="dark",
    dark=True,
    text="#E8ECF1",
    muted="#AEB8C4",
    background="#171C24",
    surface="#222A35",
    border="#4A5565",
    accent="#2B6CB0",
    on_accent="#FFFFFF",
    focus="#63B3ED",
    focus_strong="#FFFFFF",
    stop_ring="#FFFFFF",
    focus_bg="#1F3A5C",
    stop="#C53030",
    stop_hover="#9B2C2C",
    on_stop="#FFFFFF",
    warning_bg="#3A2A12",
    warning_text="#FBD38D",
    warning_border="#DD6B20",
    alert_bg="#3B1D1D",
    alert_text="#FEB2B2",
    broken="#FC8181",
    worse="#FC8181",
    relief="#68D391",
    selection="#2A4365",
    header_fill="#2D3748",
    gridline="#2D3748",
    checked_bg="#2D3748",
    disabled_bg="#2D3748",
    disabled_text="#8F9BAB",
    track="#3A4452",
    placeholder="#7B8794",
    chart_before="#A0AEC0",
    chart_better="#68D391",
    checkin="#B794F4",
    reliever="#4FD1C5",
    phases={
        PhaseKind.GET_READY: "#F6C453",
        PhaseKind.HOLD: "#63B3ED",
        PhaseKind.TIMED: "#63B3ED",
        PhaseKind.REST: "#68D391",
    },
    # tools/make_illustrations.py draws in four colours; on a dark background the figure and its props
    # turn light and the accents a little brighter, so the pictures keep their meaning.
    illustration={
        "#708090": "#C3CCD6",  # the figure (slate)
        "#A7B1BD": "#6B7888",  # floor, chair, ball, pillows
        "#E8833A": "#F6AD55",  # the part that works
        "#3A9DD8": "#63B3ED",  # the movement's arrow
    },
    readable={"#2B6CB0": "#63B3ED", "#C05621": "#F6AD55"},  # core/timers/kinds.py: ice, heat
)

HIGH_CONTRAST = Palette(
    name="high-contrast",
    dark=True,
    text="#FFFFFF",
    muted="#FFFFFF",
    background="#000000",
    surface="#000000",
    border="#FFFFFF",
    accent="#0B3D91",
    on_accent="#FFFFFF",
    focus="#FFD700",
    focus_strong="#FFD700",
    stop_ring="#FFD700",
    focus_bg="#1A1A00",
    stop="#A50000",
    stop_hover="#7A0000",
    on_stop="#FFFFFF",
    warning_bg="#000000",
    warning_text="#FFD700",
    warning_border="#FFD700",
    alert_bg="#000000",
    alert_text="#FFFFFF",
    broken="#FFB3B3",
    worse="#FFB3B3",
    relief="#9AE6B4",
    selection="#0B3D91",
    header_fill="#000000",
    gridline="#FFFFFF",
    checked_bg="#0B3D91",
    disabled_bg="#000000",
    disabled_text="#BFBFBF",
    track="#5C5C5C",
    placeholder="#FFFFFF",
    chart_before="#FFFFFF",
    chart_better="#9AE6B4",
    checkin="#D6BCFA",
    reliever="#81E6D9",
    focus_width=4,
    phases={
        PhaseKind.GET_READY: "#FFD700",
        PhaseKind.HOLD: "#90CDF4",
        PhaseKind.TIMED: "#90CDF4",
        PhaseKind.REST: "#9AE6B4",
    },
    illustration={
        "#708090": "#FFFFFF",
        "#A7B1BD": "#8C8C8C",
        "#E8833A": "#FFB86B",
        "#3A9DD8": "#7FD4FF",
    },
    readable={"#2B6CB0": "#90CDF4", "#C05621": "#FBD38D"},
)

PALETTES: dict[str, Palette] = {p.name: p for p in (LIGHT, DARK, HIGH_CONTRAST)}

# (text, background) roles that carry words; each must reach 4.5:1 (7:1 in high contrast).
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "background"),
    ("text", "surface"),
    ("muted", "background"),
    ("muted", "surface"),
    ("on_accent", "accent"),
    ("on_stop", "stop"),
    ("on_stop", "stop_hover"),
    ("warning_text", "warning_bg"),
    ("alert_text", "alert_bg"),
    ("broken", "surface"),
    ("worse", "surface"),
    ("relief", "surface"),
    ("text", "selection"),
    ("text", "header_fill"),
    ("text", "checked_bg"),
    ("text", "focus_bg"),
    ("worse", "alert_bg"),
)
# Words only ever shown large and bold (the phase word, the chart's marks): 3:1 (4.5:1 in high contrast).
LARGE_TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("chart_before", "surface"),
    ("chart_better", "surface"),
    ("checkin", "surface"),
    ("reliever", "surface"),
    ("focus", "background"),
    ("focus", "surface"),
)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
