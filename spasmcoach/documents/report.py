"""The clinician's report as a printable A4 PDF, drawn with QPdfWriter and QPainter over the core's content.

It holds the date range, a not-medical-advice line, a short summary in plain words, the routines done, the
pain chart (the same drawing as on screen, as vectors), every session, every pain stop with its step,
symptoms and note, and the ice and heat use. A typical week fits on one page; longer ranges flow onto
more pages, with table headings repeated and "Page N of M" in the footer. What it says is gathered in
``spasmcoach.core.history.report_content``; this module only lays it out.

Only QtGui is needed (no widgets), so ``spasmcoach report`` works without a display.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPdfWriter, QPen

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
from spasmcoach.core.storage import StorageError, check_regular_or_missing, write_bytes_atomic
from spasmcoach.core.wording import date_text, range_text

from .ink import PRINT
from .page_flow import PageFlow, pdf_font, render_pdf
from .pain_chart import paint_pain_chart

__all__ = ["REPORT_TITLE", "ReportResult", "write_report"]

CHART_HEIGHT_MM = 54.0
REPORT_WHAT = "report file"


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
    """Write the A4 PDF report of [since, until) to ``path`` (needs a QGuiApplication); returns a summary.

    The PDF is drawn in memory, then written atomically (see ``storage.atomic_writer``): a full disk, a
    FIFO, a device such as /dev/full or a name too long raise StorageError and leave no partial file.
    """
    target = Path(path)
    check_regular_or_missing(target, REPORT_WHAT)  # a FIFO, a device or a folder: refused before any drawing
    content = gather(journal, since=since, until=until, now=now, titles=titles, tz=tz)
    pages, _draft = render_pdf(REPORT_TITLE, lambda w: _render(w, content, None))  # count for "Page N of M"
    _pages, pdf = render_pdf(REPORT_TITLE, lambda w: _render(w, content, pages))
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:]:
        raise StorageError(None, f"Could not write the {REPORT_WHAT} {target}: the PDF came out incomplete.")
    write_bytes_atomic(target, pdf, REPORT_WHAT)  # temp file beside it, fsync, rename: all or nothing
    return content.result(target, pages)


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
COURSE_COLUMNS: Columns = [("Day", 0.16), ("Highest", 0.10), ("Average", 0.10), ("Ratings", 0.10), ("Where", 0.54)]
AREA_COLUMNS: Columns = [("Where", 0.40), ("Check-ins", 0.20), ("Highest", 0.20), ("Average", 0.20)]
RELIEVER_COLUMNS: Columns = [("When", 0.20), ("Pain reliever (as written)", 0.50), ("Amount (as written)", 0.30)]
EPISODE_COLUMNS: Columns = [("Started", 0.20), ("Settled", 0.20), ("How long", 0.20), ("What set it off", 0.40)]
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
    flow = PageFlow(painter, writer, total, f"{REPORT_TITLE} · {period}")
    history, tz = content.history, content.tz
    body = pdf_font(9.5)

    flow.paragraph(REPORT_TITLE, pdf_font(16, bold=True))
    flow.y += 1.0 * flow.mm
    made = content.made.astimezone(tz)
    flow.paragraph(f"{period}  ·  made on {date_text(made.date())} at {made:%H:%M}", pdf_font(10.5), PRINT.text)
    flow.y += 1.2 * flow.mm
    flow.paragraph(DISCLAIMER, pdf_font(8.5), PRINT.warning_text)

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
        paint_pain_chart(painter, inner, history, first=content.first, last=content.last, font=pdf_font(7.5), tz=tz)

    flow.block(chart_height, paint_chart)
    section(
        "Sessions",
        SESSION_COLUMNS,
        session_rows(history, tz),
        "No routines were done in this period.",
        emphasis=lambda i: PRINT.stop_strong if history.sessions[i].stopped_for_pain else None,
    )
    section("Pain stops", STOP_COLUMNS, stop_rows(history, tz), "No stops because of pain in this period.")
    rows = content.diary  # the diary's tables only when there is something in them: a week still fits one page
    for title, columns, found in (
        ("The latest spasm, day by day (every rating)", COURSE_COLUMNS, rows.course),
        ("Episodes and what set them off", EPISODE_COLUMNS, rows.episodes),
        ("Pain by area (check-ins)", AREA_COLUMNS, rows.areas),
        ("Pain relievers taken", RELIEVER_COLUMNS, rows.relievers),
    ):
        if found:
            section(title, columns, found, "")
    section("Ice and heat", TIMER_COLUMNS, timer_rows(history, tz), "No ice or heat timers in this period.")
    flow.footer()
    painter.end()
    return flow.page
