"""Colours, sizes and the one style sheet: calm, high-contrast, readable from across a room."""

from __future__ import annotations

from spasmcoach.core.model import PhaseKind

TEXT = "#1F2933"
MUTED = "#52606D"
BACKGROUND = "#F5F7FA"
SURFACE = "#FFFFFF"
BORDER = "#CBD2D9"
ACCENT = "#2B6CB0"
STOP = "#C53030"
STOP_HOVER = "#9B2C2C"
WARNING_BG = "#FFF4E5"
WARNING_TEXT = "#7B341E"
ALERT_BG = "#FDECEC"
FOCUS_DARK = "#1A365D"  # the focus ring on filled (blue or red) buttons
FOCUS_BG = "#E6F0FA"  # behind a focused check box or drop-down

PHASE_COLOURS = {
    PhaseKind.GET_READY: "#B7791F",
    PhaseKind.HOLD: "#2B6CB0",
    PhaseKind.TIMED: "#2B6CB0",
    PhaseKind.REST: "#2F855A",
}

STYLE_SHEET = f"""
QMainWindow, QWidget#page {{ background: {BACKGROUND}; }}
QWidget {{ color: {TEXT}; font-size: 15px; }}
QLabel#title {{ font-size: 30px; font-weight: 600; }}
QLabel#subtitle {{ font-size: 17px; color: {MUTED}; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#heading {{ font-size: 19px; font-weight: 600; }}
QLabel#stepName {{ font-size: 40px; font-weight: 700; }}
QLabel#sideRep {{ font-size: 26px; color: {MUTED}; }}
QLabel#instructions {{ font-size: 21px; }}
QLabel#nextStep {{ font-size: 19px; color: {MUTED}; }}
QLabel#notice {{ background: {WARNING_BG}; color: {WARNING_TEXT}; border: 1px solid #F6AD55; border-radius: 8px; padding: 10px 14px; }}
QLabel#lastStop {{ background: {WARNING_BG}; color: {WARNING_TEXT}; border-radius: 8px; padding: 10px 14px; font-size: 16px; }}
QLabel#alert {{ background: {ALERT_BG}; color: #742A2A; border: 2px solid {STOP}; border-radius: 8px; padding: 12px 16px; font-size: 18px; font-weight: 600; }}
QLabel#broken {{ color: #9B2C2C; }}
QFrame#card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 12px; }}
QPushButton {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 10px; padding: 10px 18px; font-size: 17px; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton:checked {{ background: #E2E8F0; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: none; font-weight: 600; font-size: 20px; padding: 14px 28px; }}
QPushButton#primary:focus {{ border: 3px solid {FOCUS_DARK}; }}
QPushButton:disabled {{ background: #E4E7EB; color: #9AA5B1; border-color: #E4E7EB; }}
QPushButton#stop {{ background: {STOP}; color: white; border: none; font-size: 26px; font-weight: 700; padding: 18px 24px; border-radius: 14px; }}
QPushButton#stop:hover {{ background: {STOP_HOVER}; }}
QPushButton#stop:focus {{ border: 3px solid #2D0F0F; }}
QPushButton#painButton {{ font-size: 22px; font-weight: 600; min-width: 34px; min-height: 52px; padding: 4px; }}
QPushButton#painButton:checked {{ background: {ACCENT}; color: white; }}
QPushButton#painButton:checked:focus {{ border: 3px solid {FOCUS_DARK}; }}
QPushButton#primary:disabled {{ background: #E4E7EB; color: #7B8794; border: 1px dashed #9AA5B1; }}
QListWidget {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 10px; font-size: 17px; }}
QListWidget::item {{ padding: 8px; }}
QListWidget::item:selected {{ background: #DCEAF7; color: {TEXT}; }}
QLineEdit, QComboBox, QPlainTextEdit, QSpinBox {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px; padding: 6px 8px; font-size: 16px; }}
QProgressBar {{ border: none; background: #E4E7EB; border-radius: 6px; height: 12px; text-align: center; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 6px; }}
QCheckBox {{ font-size: 17px; spacing: 10px; }}
QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; }}
QCheckBox::indicator {{ width: 22px; height: 22px; }}
QCheckBox {{ border: 2px solid transparent; border-radius: 6px; padding: 4px 6px; }}
QCheckBox:focus {{ border-color: {ACCENT}; background: {FOCUS_BG}; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QSpinBox:focus {{ border: 2px solid {ACCENT}; padding: 5px 7px; }}
QComboBox:focus {{ background: {FOCUS_BG}; }}
QListWidget:focus, QTableView:focus, QTreeView:focus, QScrollArea:focus {{ border: 2px solid {ACCENT}; }}
QLabel#phaseWord {{ font-size: 30px; font-weight: 700; letter-spacing: 2px; }}
QWidget[fit="small"] QLabel#phaseWord {{ font-size: 22px; }}
QWidget[fit="small"] QLabel#stepName {{ font-size: 28px; }}
QWidget[fit="small"] QLabel#sideRep {{ font-size: 20px; }}
QWidget[fit="small"] QLabel#instructions {{ font-size: 18px; }}
QWidget[fit="small"] QLabel#nextStep {{ font-size: 16px; }}
QWidget[fit="small"] QPushButton#stop {{ font-size: 22px; padding: 10px 18px; }}
QWidget[fit="large"] QLabel#phaseWord {{ font-size: 40px; }}
QWidget[fit="large"] QLabel#stepName {{ font-size: 56px; }}
QWidget[fit="large"] QLabel#sideRep {{ font-size: 34px; }}
QWidget[fit="large"] QLabel#instructions {{ font-size: 28px; }}
QWidget[fit="large"] QLabel#nextStep {{ font-size: 24px; }}
QWidget[fit="large"] QLabel#subtitle {{ font-size: 22px; }}
QWidget[fit="large"] QPushButton {{ font-size: 22px; }}
QWidget[fit="large"] QPushButton#stop {{ font-size: 34px; }}
"""
