"""The colours a document or chart is drawn in; printed documents always use the light ``PRINT`` ink."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ink:
    """Named colours (hex strings) for painting text, rules and the chart's marks."""

    text: str = "#1F2933"
    muted: str = "#52606D"
    border: str = "#CBD2D9"
    surface: str = "#FFFFFF"
    grid: str = "#E4E7EB"
    day_shade: str = "#F5F7FA"
    before: str = "#7B8794"
    after: str = "#2B6CB0"
    better: str = "#2F855A"
    worse: str = "#C53030"
    stop: str = "#C53030"
    stop_strong: str = "#9B2C2C"
    warning_text: str = "#7B341E"
    header_fill: str = "#EDF2F7"
    checkin: str = "#6B46C1"  # a check-in's dot: violet, apart from the routines' blue and grey
    reliever: str = "#2C7A7B"  # a pain reliever's pill: teal


PRINT = Ink()  # light paper: the clinician's PDF stays printable whatever the screen's theme
