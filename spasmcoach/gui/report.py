"""The clinician's report: a printable A4 PDF of a date range, written with QPdfWriter and QPainter.

It holds the date range, a not-medical-advice line, a short summary in plain words, the routines done, the
pain chart (the same drawing as on screen, as vectors), every session, every pain stop with its step,
symptoms and note, and the ice and heat use. A typical week fits on one page; longer ranges flow onto
more pages, with table headings repeated and "Page N of M" in the footer.

Only QtGui is needed (no widgets), so ``spasmcoach report`` works without a display.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from spasmcoach.core import insights
from spasmcoach.core.durations import format_human
from spasmcoach.core.insights import (
    History,
    Insight,
    SessionRow,
    load_history,
    plural,
    routine_changes,
    times_text,
)
from spasmcoach.core.journal import Journal
from spasmcoach.core.therapy import current_episode

from . import theme
from .chart import paint_pain_chart

REPORT_TITLE = "SpasmCoach report for your clinician"
DISCLAIMER = (
    "Kept by the patient with SpasmCoach, a self-help app for back muscle spasm. It is not medical advice "
    "and not a diagnosis. Pain is rated by the patient from 0 (no pain) to 10 (worst pain), "
    "shown as before → after each session."
)
RESOLUTION = 300  # dots per inch of the page coordinates; text and the chart stay vectors
MARGIN_MM = 12.0
HEADER_FILL = "#EDF2F7"
TABLE_POINTS = 8.0
TABLE_PADDING_MM = 0.7
CHART_HEIGHT_MM = 54.0


@dataclass(frozen=True)
class ReportResult:
    """What was written: the file, its page count and how many entries it lists."""

    path: Path
    pages: int
    sessions: int
    stops: int
    timers: int
    first: date
    last: date


@dataclass(frozen=True)
class _Content:
    """Everything the report shows, gathered before drawing."""

    history: History
    first: date
    last: date
    made: datetime
    summary: list[str]
    tz: tzinfo | None


def _day_long(day: date) -> str:
    """'16 November 2026'."""
    return f"{day.day} {day:%B %Y}"


def range_text(first: date, last: date) -> str:
    """'15 to 21 November 2026', '28 November to 4 December 2026', or one day."""
    if first == last:
        return _day_long(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {_day_long(last)}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {_day_long(last)}"
    return f"{_day_long(first)} to {_day_long(last)}"


def _when(moment: datetime, tz: tzinfo | None) -> str:
    """'Mon 16 Nov 09:30' in local time."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def _day_short(moment: datetime, tz: tzinfo | None) -> str:
    """'Mon 16' in local time."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day}"


def _length(seconds: float | None) -> str:
    """'12 min', '45 s', '' when unknown."""
    if seconds is None:
        return ""
    return format_human(60 * round(seconds / 60)) if seconds >= 90 else format_human(seconds)


def _summary(history: History, found: Sequence[Insight], episode: datetime | None, tz: tzinfo | None) -> list[str]:
    """The few plain sentences at the top of the report."""
    lines: list[str] = []
    sessions = history.sessions
    if sessions:
        completed = sum(1 for s in sessions if s.outcome == "completed")
        stopped = sum(1 for s in sessions if s.stopped_for_pain)
        line = f"{plural(len(sessions), 'session')} of {plural(len({s.routine for s in sessions}), 'routine')}: "
        line += f"{completed} completed"
        line += f", {stopped} stopped because pain increased." if stopped else "."
        lines.append(line)
    else:
        lines.append("No routines were done in this period.")
    by_key = {i.key: i.text for i in found}
    if "overall" in by_key:
        lines.append(by_key["overall"])
    if episode is not None:
        day = episode.astimezone(tz).date()
        lines.append(f"This spasm started on {day:%A} {_day_long(day)}.")
    return [line for line in lines if line]


def gather(
    journal: Journal,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
    titles: Mapping[str, str] | None = None,
    tz: tzinfo | None = None,
) -> _Content:
    """Read the journal for [since, until) and prepare the report's words."""
    made = now or datetime.now(UTC)
    history = load_history(
        journal, since=since, until=until, titles=insights.preset_titles() if titles is None else titles
    )
    today = made.astimezone(tz).date()
    start = history.first_time()
    first = since.astimezone(tz).date() if since else (start.astimezone(tz).date() if start else today)
    last = (until - timedelta(microseconds=1)).astimezone(tz).date() if until else today
    last = max(first, last)
    episode = current_episode(journal)
    found = insights.insights_from(
        history, week=[], episode_started=None if episode is None else episode.started, now=made, tz=tz
    )
    return _Content(
        history,
        first,
        last,
        made,
        _summary(history, found, None if episode is None else episode.started, tz),
        tz,
    )


def write_report(
    journal: Journal,
    path: Path | str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
    titles: Mapping[str, str] | None = None,
    tz: tzinfo | None = None,
) -> ReportResult:
    """Write the A4 PDF report of [since, until) to ``path`` (needs a QGuiApplication); returns a summary."""
    content = gather(journal, since=since, until=until, now=now, titles=titles, tz=tz)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pages = _render(_writer(buffer), content, total=None)  # first pass: count the pages for "Page N of M"
    buffer.close()
    target = Path(path)
    with target.open("wb"):  # a clear OSError (no permission, no such folder) before Qt fails quietly
        pass
    writer = _writer(str(target))
    _render(writer, content, total=pages)
    del writer  # the file is complete once the writer is gone
    return ReportResult(
        target,
        pages,
        len(content.history.sessions),
        len(content.history.stops),
        len(content.history.timers),
        content.first,
        content.last,
    )


def _writer(target: str | QIODevice) -> QPdfWriter:
    """An A4 portrait PDF writer with the report's margins, resolution and title."""
    writer = QPdfWriter(target)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(REPORT_TITLE)
    writer.setCreator("SpasmCoach")
    return writer


def _font(points: float, *, bold: bool = False) -> QFont:
    """The report's font at a point size (QPdfWriter maps points to its resolution)."""
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class _Flow:
    """Top-to-bottom layout on pages: paragraphs and tables, breaking pages where a block does not fit."""

    def __init__(self, painter: QPainter, writer: QPdfWriter, total: int | None, footer: str) -> None:
        self.painter = painter
        self.writer = writer
        rect = writer.pageLayout().paintRectPixels(writer.resolution())
        self.width = float(rect.width())
        self.height = float(rect.height())
        self.total = total
        self.footer_text = footer
        self.footer_font = _font(7.5)
        self.bottom = self.height - QFontMetricsF(self.footer_font, writer).height() * 2.2
        self.page = 1
        self.y = 0.0
        self.mm = RESOLUTION / 25.4

    def metrics(self, font: QFont) -> QFontMetricsF:
        """Font metrics on the PDF device."""
        return QFontMetricsF(font, self.writer)

    def measure(self, text: str, font: QFont, width: float) -> float:
        """Height of ``text`` wrapped to ``width``."""
        self.painter.setFont(font)
        flags = int(Qt.TextFlag.TextWordWrap)
        return self.painter.boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()

    def fits(self, height: float) -> bool:
        """Whether ``height`` more fits on this page."""
        return self.y + height <= self.bottom

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` fits on this one."""
        if not self.fits(height) and self.y > 0:
            self.new_page()

    def new_page(self) -> None:
        """Footer, then a fresh page."""
        self.footer()
        self.writer.newPage()
        self.page += 1
        self.y = 0.0

    def gap(self, millimetres: float) -> None:
        """Vertical space (dropped at the top of a page)."""
        if self.y > 0:
            self.y += millimetres * self.mm

    def paragraph(
        self, text: str, font: QFont, colour: str = theme.TEXT, *, indent: float = 0.0, keep: float = 0.0
    ) -> None:
        """Wrapped text; ``keep`` is extra height that must fit with it (a heading and its first line)."""
        width = self.width - indent
        height = self.measure(text, font, width)
        self.need(height + keep)
        self.painter.setFont(font)
        self.painter.setPen(QColor(colour))
        self.painter.drawText(QRectF(indent, self.y, width, height), int(Qt.TextFlag.TextWordWrap), text)
        self.y += height

    def bullet(self, text: str, font: QFont) -> None:
        """A '•' line, wrapped under itself."""
        indent = self.metrics(font).horizontalAdvance("•  ")
        height = self.measure(text, font, self.width - indent)
        self.need(height)
        self.painter.setFont(font)
        self.painter.setPen(QColor(theme.TEXT))
        self.painter.drawText(QRectF(0, self.y, indent, height), int(Qt.AlignmentFlag.AlignLeft), "•")
        self.painter.drawText(QRectF(indent, self.y, self.width - indent, height), int(Qt.TextFlag.TextWordWrap), text)
        self.y += height

    def heading(self, text: str, first_block: float) -> None:
        """A section heading, kept on the same page as ``first_block`` of what follows."""
        self.gap(2.6)
        font = _font(11, bold=True)
        self.paragraph(text, font, theme.TEXT, keep=first_block)
        self.y += 0.6 * self.mm

    def row_height(self, cells: Sequence[str], font: QFont, widths: Sequence[float]) -> float:
        """The tallest of a table row's wrapped cells, plus padding."""
        pad = TABLE_PADDING_MM * self.mm
        return max(self.measure(c or " ", font, w - 2 * pad) for c, w in zip(cells, widths, strict=True)) + 2 * pad

    def table_start(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]]) -> float:
        """Height of a table's heading row and first row (what a section heading must stay with)."""
        widths = [share * self.width for _title, share in columns]
        header = self.row_height([title for title, _share in columns], _font(TABLE_POINTS, bold=True), widths)
        return header + (self.row_height(rows[0], _font(TABLE_POINTS), widths) if rows else 0.0)

    def table(
        self,
        columns: Sequence[tuple[str, float]],
        rows: Sequence[Sequence[str]],
        *,
        emphasis: Callable[[int], str | None] = lambda _row: None,
    ) -> None:
        """A table of wrapped cells; ``columns`` are (heading, share of width); headings repeat per page."""
        font, bold = _font(TABLE_POINTS), _font(TABLE_POINTS, bold=True)
        pad = TABLE_PADDING_MM * self.mm
        widths = [share * self.width for _title, share in columns]

        def row_height(cells: Sequence[str], cell_font: QFont) -> float:
            """The tallest wrapped cell plus padding."""
            return self.row_height(cells, cell_font, widths)

        def draw_row(cells: Sequence[str], cell_font: QFont, fill: str | None, colour: str) -> None:
            """One row at the cursor."""
            height = row_height(cells, cell_font)
            if fill:
                self.painter.fillRect(QRectF(0, self.y, self.width, height), QColor(fill))
            self.painter.setFont(cell_font)
            self.painter.setPen(QColor(colour))
            x = 0.0
            for cell, width in zip(cells, widths, strict=True):
                self.painter.drawText(
                    QRectF(x + pad, self.y + pad, width - 2 * pad, height - 2 * pad),
                    int(Qt.TextFlag.TextWordWrap),
                    cell,
                )
                x += width
            self.painter.setPen(QPen(QColor(theme.BORDER), 0.25 * self.mm))
            self.painter.drawLine(0, round(self.y + height), round(self.width), round(self.y + height))
            self.y += height

        header = [title for title, _share in columns]
        header_height = row_height(header, bold)
        self.need(header_height + (row_height(rows[0], font) if rows else 0))
        draw_row(header, bold, HEADER_FILL, theme.TEXT)
        for index, cells in enumerate(rows):
            height = row_height(cells, font)
            if not self.fits(height):
                self.new_page()
                draw_row(header, bold, HEADER_FILL, theme.TEXT)
            draw_row(cells, font, None, emphasis(index) or theme.TEXT)

    def block(self, height: float, paint: Callable[[QRectF], None]) -> None:
        """A fixed-height drawing (the chart) across the full width."""
        self.need(height)
        paint(QRectF(0, self.y, self.width, height))
        self.y += height

    def footer(self) -> None:
        """'SpasmCoach · range' on the left and 'Page N of M' on the right of the current page."""
        font = self.footer_font
        height = self.metrics(font).height()
        rect = QRectF(0, self.height - height, self.width, height)
        self.painter.setFont(font)
        self.painter.setPen(QColor(theme.MUTED))
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.footer_text)
        page = f"Page {self.page}" + (f" of {self.total}" if self.total else "")
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), page)


Columns = list[tuple[str, float]]
Rows = list[list[str]]

SESSION_COLUMNS: Columns = [
    ("When", 0.16),
    ("Routine", 0.31),
    ("Result", 0.35),
    ("Length", 0.08),
    ("Pain", 0.10),
]
ROUTINE_COLUMNS: Columns = [
    ("Routine", 0.35),
    ("Times", 0.07),
    ("Completed", 0.11),
    ("Stopped for pain", 0.16),
    ("Pain afterwards, on average", 0.31),
]
STOP_COLUMNS: Columns = [
    ("When", 0.16),
    ("Routine and step", 0.38),
    ("Pain", 0.06),
    ("Symptoms", 0.12),
    ("Note", 0.28),
]
TIMER_COLUMNS: Columns = [
    ("Timer", 0.33),
    ("Kind", 0.07),
    ("Used", 0.09),
    ("Cancelled", 0.10),
    ("Time in all", 0.12),
    ("Days", 0.29),
]


def routine_rows(history: History) -> Rows:
    """One row per routine done: times, completed, stopped for pain, average pain change; most done first."""
    changes = {c.routine: c for c in routine_changes(history.sessions)}
    by_routine: dict[str, list[SessionRow]] = {}
    for session in history.sessions:
        by_routine.setdefault(session.routine, []).append(session)
    rows: Rows = []
    for rid, sessions in sorted(by_routine.items(), key=lambda item: (-len(item[1]), item[1][-1].title)):
        change = changes.get(rid)
        rows.append(
            [
                sessions[-1].title,
                str(len(sessions)),
                str(sum(1 for s in sessions if s.outcome == "completed")),
                str(sum(1 for s in sessions if s.stopped_for_pain)),
                "not rated"
                if change is None
                else f"{insights.pain_change_text(change.average)} ({change.rated} rated)",
            ]
        )
    return rows


def session_rows(history: History, tz: tzinfo | None) -> Rows:
    """Every session: when, routine, result, length, pain before → after."""
    return [
        [_when(s.started, tz), s.title, s.result, _length(s.duration), s.pain_text or "not rated"]
        for s in history.sessions
    ]


def stop_rows(history: History, tz: tzinfo | None) -> Rows:
    """Every pain stop: when, routine and step, pain, symptoms, note."""
    return [
        [
            _when(p.time, tz),
            f"{p.title}: {p.where}",
            "" if p.pain is None else str(p.pain),
            p.symptoms_text or "none noted",
            p.note or "",
        ]
        for p in history.stops
    ]


def timer_rows(history: History, tz: tzinfo | None) -> Rows:
    """Ice and heat use per timer: kind, how often, cancelled, time in all, on which days."""
    grouped: dict[str, list[insights.TimerUse]] = {}
    for use in history.timers:
        grouped.setdefault(use.title, []).append(use)
    rows: Rows = []
    for title, uses in sorted(grouped.items(), key=lambda item: item[1][0].started):
        total = sum(u.duration or 0 for u in uses)
        cancelled = sum(1 for u in uses if u.outcome == "cancelled")
        rows.append(
            [
                title,
                "Ice" if uses[0].cold else "Heat",
                times_text(len(uses)),
                str(cancelled) if cancelled else "",
                _length(total) if total else "",
                ", ".join(_day_short(u.started, tz) for u in uses),
            ]
        )
    return rows


def _render(writer: QPdfWriter, content: _Content, total: int | None) -> int:
    """Draw the whole report; returns the number of pages."""
    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    period = range_text(content.first, content.last)
    flow = _Flow(painter, writer, total, f"{REPORT_TITLE} · {period}")
    history, tz = content.history, content.tz
    body = _font(9.5)

    flow.paragraph(REPORT_TITLE, _font(16, bold=True))
    flow.y += 1.0 * flow.mm
    made = content.made.astimezone(tz)
    flow.paragraph(f"{period}  ·  made on {_day_long(made.date())} at {made:%H:%M}", _font(10.5), theme.TEXT)
    flow.y += 1.2 * flow.mm
    flow.paragraph(DISCLAIMER, _font(8.5), theme.WARNING_TEXT)

    flow.heading("Summary", flow.measure("x", body, flow.width))
    for line in content.summary:
        flow.bullet(line, body)

    def section(title: str, columns: Columns, rows: Rows, empty: str, **options: Any) -> None:
        """A heading kept together with its table's first row, or with the 'nothing here' line."""
        if rows:
            flow.heading(title, flow.table_start(columns, rows))
            flow.table(columns, rows, **options)
        else:
            flow.heading(title, flow.measure(empty, body, flow.width))
            flow.paragraph(empty, body)

    if history.sessions:
        section("Routines done", ROUTINE_COLUMNS, routine_rows(history), "")

    chart_height = CHART_HEIGHT_MM * flow.mm
    flow.heading("Pain before and after each session", chart_height)

    def paint_chart(rect: QRectF) -> None:
        """The on-screen chart, drawn as vectors with a thin frame."""
        painter.setPen(QPen(QColor(theme.BORDER), 0.25 * flow.mm))
        painter.drawRoundedRect(rect, 2 * flow.mm, 2 * flow.mm)
        inner = rect.adjusted(2.5 * flow.mm, 2 * flow.mm, -2.5 * flow.mm, -1.5 * flow.mm)
        paint_pain_chart(painter, inner, history, first=content.first, last=content.last, font=_font(7.5), tz=tz)

    flow.block(chart_height, paint_chart)
    section(
        "Sessions",
        SESSION_COLUMNS,
        session_rows(history, tz),
        "No routines were done in this period.",
        emphasis=lambda i: theme.STOP_HOVER if history.sessions[i].stopped_for_pain else None,
    )
    section("Pain stops", STOP_COLUMNS, stop_rows(history, tz), "No stops because of pain in this period.")
    section("Ice and heat", TIMER_COLUMNS, timer_rows(history, tz), "No ice or heat timers in this period.")
    flow.footer()
    painter.end()
    return flow.page
