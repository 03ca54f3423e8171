"""The clinician's report as a printable A4 PDF, drawn with QPdfWriter and QPainter over the core's content.

It holds the date range, a not-medical-advice line, a short summary in plain words, the routines done, the
pain chart (the same drawing as on screen, as vectors), every session, every pain stop with its step,
symptoms and note, and the ice and heat use. A typical week fits on one page; longer ranges flow onto
more pages, with table headings repeated and "Page N of M" in the footer. What it says is gathered in
``spasmcoach.core.history.report_content``; this module only lays it out.

Only QtGui is needed (no widgets), so ``spasmcoach report`` works without a display.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from spasmcoach.core.history.report_content import (
    DISCLAIMER,
    REPORT_TITLE,
    ReportContent,
    ReportResult,
    Rows,
    gather,
    routine_rows,
    session_rows,
    stop_rows,
    timer_rows,
)
from spasmcoach.core.journal import Journal
from spasmcoach.core.wording import date_text, range_text

from .ink import PRINT
from .pain_chart import paint_pain_chart

__all__ = ["REPORT_TITLE", "ReportResult", "write_report"]

RESOLUTION = 300  # dots per inch of the page coordinates; text and the chart stay vectors
MARGIN_MM = 12.0
HEADER_FILL = PRINT.header_fill
TABLE_POINTS = 8.0
TABLE_PADDING_MM = 0.7
CHART_HEIGHT_MM = 54.0


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
    return content.result(target, pages)


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
        self, text: str, font: QFont, colour: str = PRINT.text, *, indent: float = 0.0, keep: float = 0.0
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
        self.painter.setPen(QColor(PRINT.text))
        self.painter.drawText(QRectF(0, self.y, indent, height), int(Qt.AlignmentFlag.AlignLeft), "•")
        self.painter.drawText(QRectF(indent, self.y, self.width - indent, height), int(Qt.TextFlag.TextWordWrap), text)
        self.y += height

    def heading(self, text: str, first_block: float) -> None:
        """A section heading, kept on the same page as ``first_block`` of what follows."""
        self.gap(2.6)
        font = _font(11, bold=True)
        self.paragraph(text, font, PRINT.text, keep=first_block)
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
            self.painter.setPen(QPen(QColor(PRINT.border), 0.25 * self.mm))
            self.painter.drawLine(0, round(self.y + height), round(self.width), round(self.y + height))
            self.y += height

        header = [title for title, _share in columns]
        header_height = row_height(header, bold)
        self.need(header_height + (row_height(rows[0], font) if rows else 0))
        draw_row(header, bold, HEADER_FILL, PRINT.text)
        for index, cells in enumerate(rows):
            height = row_height(cells, font)
            if not self.fits(height):
                self.new_page()
                draw_row(header, bold, HEADER_FILL, PRINT.text)
            draw_row(cells, font, None, emphasis(index) or PRINT.text)

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
        self.painter.setPen(QColor(PRINT.muted))
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.footer_text)
        page = f"Page {self.page}" + (f" of {self.total}" if self.total else "")
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), page)


Columns = list[tuple[str, float]]

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


def _render(writer: QPdfWriter, content: ReportContent, total: int | None) -> int:
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
    flow.paragraph(f"{period}  ·  made on {date_text(made.date())} at {made:%H:%M}", _font(10.5), PRINT.text)
    flow.y += 1.2 * flow.mm
    flow.paragraph(DISCLAIMER, _font(8.5), PRINT.warning_text)

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
        painter.setPen(QPen(QColor(PRINT.border), 0.25 * flow.mm))
        painter.drawRoundedRect(rect, 2 * flow.mm, 2 * flow.mm)
        inner = rect.adjusted(2.5 * flow.mm, 2 * flow.mm, -2.5 * flow.mm, -1.5 * flow.mm)
        paint_pain_chart(painter, inner, history, first=content.first, last=content.last, font=_font(7.5), tz=tz)

    flow.block(chart_height, paint_chart)
    section(
        "Sessions",
        SESSION_COLUMNS,
        session_rows(history, tz),
        "No routines were done in this period.",
        emphasis=lambda i: PRINT.stop_strong if history.sessions[i].stopped_for_pain else None,
    )
    section("Pain stops", STOP_COLUMNS, stop_rows(history, tz), "No stops because of pain in this period.")
    section("Ice and heat", TIMER_COLUMNS, timer_rows(history, tz), "No ice or heat timers in this period.")
    flow.footer()
    painter.end()
    return flow.page
