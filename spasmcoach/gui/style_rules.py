"""The app's one Qt style sheet, built from a palette and a body text size in points.

Every font size is a factor of the body size (see :data:`SIZES`), so the whole app follows the desktop's
font, the display scale and the "Larger text" setting; paddings stay in pixels. The History page's table,
header, date edits and insights are here too (scoped to ``HistoryView``), so they change with the theme.
The player's sizes for a small or large screen select on a ``fit`` property the player gives each of its
widgets (``QLabel#stepName[fit="small"]``), not on an ancestor: Qt checks a descendant rule such as
``QWidget[fit="large"] QPushButton`` by walking the ancestors of every button it styles, on every page.
"""

from __future__ import annotations

from spasmcoach.core.timers.kinds import Therapy

from .palette import Palette
from .style_arrows import arrow_rules

__all__ = ["SIZES", "style_sheet"]

# Each role's size as a factor of the body text (the old 15 px design: title 30 px → 2.0, and so on).
SIZES: dict[str, float] = {
    "body": 1.0,
    "title": 2.0,
    "subtitle": 17 / 15,
    "heading": 19 / 15,
    "stepName": 40 / 15,
    "sideRep": 26 / 15,
    "instructions": 21 / 15,
    "nextStep": 19 / 15,
    "lastStop": 16 / 15,
    "alert": 18 / 15,
    "button": 17 / 15,
    "primary": 20 / 15,
    "stop": 26 / 15,
    "painButton": 22 / 15,
    "list": 17 / 15,
    "input": 16 / 15,
    "check": 17 / 15,
    "phaseWord": 2.0,
    "table": 16 / 15,
    "tableHeader": 1.0,
    "timerClock": 44 / 15,
    "timerSummary": 20 / 15,
    "reminderText": 18 / 15,
    "checkinStatus": 17 / 15,
    "small.phaseWord": 22 / 15,
    "small.stepName": 28 / 15,
    "small.sideRep": 20 / 15,
    "small.instructions": 18 / 15,
    "small.nextStep": 16 / 15,
    "small.stop": 22 / 15,
    "large.phaseWord": 40 / 15,
    "large.stepName": 56 / 15,
    "large.sideRep": 34 / 15,
    "large.instructions": 28 / 15,
    "large.nextStep": 24 / 15,
    "large.subtitle": 22 / 15,
    "large.button": 22 / 15,
    "large.stop": 34 / 15,
}


def style_sheet(p: Palette, body_pt: float) -> str:
    """The style sheet for palette ``p`` with body text ``body_pt`` points high."""
    z = {role: f"{body_pt * factor:.2f}pt" for role, factor in SIZES.items()}
    clocks = "\n".join(
        f'QLabel#timerClock[therapy="{t.value}"] {{ color: {p.readable.get(t.info.colour.upper(), t.info.colour)}; }}'
        for t in Therapy
    )
    ring = p.focus_width
    strong = ring + 1
    spin_buttons = arrow_rules(p.text, p.disabled_text, p.border, p.surface, p.focus_bg)
    return f"""
QMainWindow, QWidget#page {{ background: {p.background}; }}
QWidget {{ color: {p.text}; font-size: {z["body"]}; }}
QLabel#title {{ font-size: {z["title"]}; font-weight: 600; }}
QLabel#subtitle {{ font-size: {z["subtitle"]}; color: {p.muted}; }}
QLabel#muted {{ color: {p.muted}; }}
QLabel#heading {{ font-size: {z["heading"]}; font-weight: 600; }}
QLabel#stepName {{ font-size: {z["stepName"]}; font-weight: 700; }}
QLabel#sideRep {{ font-size: {z["sideRep"]}; color: {p.muted}; }}
QLabel#instructions {{ font-size: {z["instructions"]}; }}
QLabel#nextStep {{ font-size: {z["nextStep"]}; color: {p.muted}; }}
QLabel#notice {{ background: {p.warning_bg}; color: {p.warning_text}; border: 1px solid {p.warning_border};
                 border-radius: 8px; padding: 10px 14px; }}
QLabel#lastStop {{ background: {p.warning_bg}; color: {p.warning_text}; border-radius: 8px; padding: 10px 14px;
                   font-size: {z["lastStop"]}; }}
QLabel#alert {{ background: {p.alert_bg}; color: {p.alert_text}; border: 2px solid {p.stop}; border-radius: 8px;
                padding: 12px 16px; font-size: {z["alert"]}; font-weight: 600; }}
QLabel#broken {{ color: {p.broken}; }}
QFrame#card {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 12px; }}
QPushButton {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 10px; padding: 10px 18px;
               font-size: {z["button"]}; }}
QPushButton:hover {{ border-color: {p.focus}; }}
QPushButton:focus {{ border: {ring}px solid {p.focus}; padding: {10 - (ring - 1)}px {18 - (ring - 1)}px; }}
QPushButton:checked {{ background: {p.checked_bg}; }}
QPushButton#primary {{ background: {p.accent}; color: {p.on_accent}; border: {strong}px solid {p.accent};
                       font-weight: 600; font-size: {z["primary"]}; padding: {14 - strong}px {28 - strong}px; }}
QPushButton#primary:focus {{ border-color: {p.focus_strong}; }}
QPushButton:disabled {{ background: {p.disabled_bg}; color: {p.disabled_text}; border-color: {p.disabled_bg}; }}
QPushButton#stop {{ background: {p.stop}; color: {p.on_stop}; border: {strong}px solid {p.stop}; font-size: {z["stop"]};
                    font-weight: 700; padding: {18 - strong}px {24 - strong}px; border-radius: 14px; }}
QPushButton#stop:hover {{ background: {p.stop_hover}; border-color: {p.stop_hover}; }}
QPushButton#stop:focus {{ border-color: {p.stop_ring}; }}
QPushButton#painButton {{ font-size: {z["painButton"]}; font-weight: 600; min-width: 34px; min-height: 52px;
                          padding: 4px; }}
QPushButton#painButton:checked {{ background: {p.accent}; color: {p.on_accent}; }}
QPushButton#painButton:checked:focus {{ border: {strong}px solid {p.focus_strong}; }}
QPushButton#primary:disabled {{ background: {p.disabled_bg}; color: {p.disabled_text};
                                border: 1px dashed {p.disabled_text}; }}
QPushButton#toggle:checked {{ background: {p.accent}; color: {p.on_accent}; border: 2px solid {p.accent}; }}
QPushButton#toggle:checked:focus {{ border: {strong}px solid {p.focus_strong}; }}
QListWidget {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 10px;
               font-size: {z["list"]}; }}
QListWidget::item {{ padding: 8px; }}
QListWidget::item:selected {{ background: {p.selection}; color: {p.text}; }}
QLineEdit, QComboBox, QPlainTextEdit, QAbstractSpinBox {{ background: {p.surface}; border: 1px solid {p.border};
    border-radius: 8px; padding: 6px 8px; font-size: {z["input"]}; }}
{spin_buttons}
QProgressBar {{ border: none; background: {p.track}; border-radius: 6px; height: 12px; text-align: center; }}
QProgressBar::chunk {{ background: {p.accent}; border-radius: 6px; }}
QCheckBox {{ font-size: {z["check"]}; spacing: 10px; }}
QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; }}
QCheckBox::indicator {{ width: 22px; height: 22px; }}
QCheckBox {{ border: {ring}px solid transparent; border-radius: 6px; padding: 4px 6px; }}
QCheckBox:focus {{ border-color: {p.focus}; background: {p.focus_bg}; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QAbstractSpinBox:focus {{ border: {ring}px solid {p.focus};
    padding: {7 - ring}px {9 - ring}px; }}
QComboBox:focus {{ background: {p.focus_bg}; }}
QAbstractSpinBox:focus {{ padding-right: {35 - ring}px; }}
QListWidget:focus, QTableView:focus, QTreeView:focus, QScrollArea:focus {{ border: {ring}px solid {p.focus}; }}
QLabel#phaseWord {{ font-size: {z["phaseWord"]}; font-weight: 700; letter-spacing: 2px; }}
QLabel#phaseWord[fit="small"] {{ font-size: {z["small.phaseWord"]}; }}
QLabel#stepName[fit="small"] {{ font-size: {z["small.stepName"]}; }}
QLabel#sideRep[fit="small"] {{ font-size: {z["small.sideRep"]}; }}
QLabel#instructions[fit="small"] {{ font-size: {z["small.instructions"]}; }}
QLabel#nextStep[fit="small"] {{ font-size: {z["small.nextStep"]}; }}
QPushButton#stop[fit="small"] {{ font-size: {z["small.stop"]}; padding: {10 - strong}px {18 - strong}px; }}
QLabel#phaseWord[fit="large"] {{ font-size: {z["large.phaseWord"]}; }}
QLabel#stepName[fit="large"] {{ font-size: {z["large.stepName"]}; }}
QLabel#sideRep[fit="large"] {{ font-size: {z["large.sideRep"]}; }}
QLabel#instructions[fit="large"] {{ font-size: {z["large.instructions"]}; }}
QLabel#nextStep[fit="large"] {{ font-size: {z["large.nextStep"]}; }}
QLabel#subtitle[fit="large"] {{ font-size: {z["large.subtitle"]}; }}
QPushButton[fit="large"] {{ font-size: {z["large.button"]}; }}
QPushButton#stop[fit="large"] {{ font-size: {z["large.stop"]}; }}
QLabel#timerClock {{ font-size: {z["timerClock"]}; font-weight: 700; }}
QPushButton#timerSummary {{ border: none; font-size: {z["timerSummary"]}; font-weight: 600; }}
QLabel#reminderText {{ font-size: {z["reminderText"]}; }}
CheckInPage QLabel#status {{ font-size: {z["checkinStatus"]}; }}
{clocks}
HistoryView QTableView {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 10px;
    font-size: {z["table"]}; gridline-color: {p.gridline}; selection-background-color: {p.selection};
    selection-color: {p.text}; }}
HistoryView QTableView::item {{ padding-top: 8px; padding-bottom: 8px; }}
HistoryView QHeaderView::section {{ background: {p.header_fill}; color: {p.text}; border: none;
    border-bottom: 1px solid {p.border}; padding: 8px 10px; font-size: {z["tableHeader"]}; font-weight: 600; }}
HistoryView QDateEdit {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px;
    padding: 6px 8px; font-size: {z["input"]}; }}
HistoryView QTextBrowser#insights {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 12px; }}
HistoryView QLabel#status {{ font-size: {z["input"]}; color: {p.muted}; }}
"""
