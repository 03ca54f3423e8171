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
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPdfWriter, QPen

from spasmcoach.core.history import History
from spasmcoach.core.history.query import chart_history
from spasmcoach.core.history.report_content import (
    DISCLAIMER,
    MAX_TABLE_ROWS,
    REPORT_TITLE,
    ReportContent,
    ReportResult,
    Rows,
    gather,
    newest_rows,
    routine_rows,
    session_rows,
    stop_rows,
    timer_rows,
)
from spasmcoach.core.i18n import N_, _, ngettext
from spasmcoach.core.journal import Journal
from spasmcoach.core.locale_format import format_integer, format_time
from spasmcoach.core.storage import StorageError, check_regular_or_missing, write_bytes_atomic
from spasmcoach.core.wording import date_text, range_text

from .ink import PRINT
from .page_flow import PageFlow, pdf_font, render_pdf
from .pain_chart import paint_pain_chart

__all__ = ["REPORT_TITLE", "ReportResult", "write_report"]

CHART_HEIGHT_MM = 54.0
REPORT_WHAT = N_("report file")


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
    chart = chart_history(content.history, content.first, content.last, tz=content.tz)  # years: averaged marks
    pages, _draft = render_pdf(_(REPORT_TITLE), lambda w: _render(w, content, None, chart))  # count for "Page N of M"
    _pages, pdf = render_pdf(_(REPORT_TITLE), lambda w: _render(w, content, pages, chart))
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:]:
        message = _("Could not write the {what} {path}: the PDF came out incomplete.")
        raise StorageError(None, message.format(what=_(REPORT_WHAT), path=target))
    write_bytes_atomic(target, pdf, REPORT_WHAT)  # temp file beside it, fsync, rename: all or nothing
    return content.result(target, pages)


Columns = list[tuple[str, float]]


def _left_out_text(count: int) -> str:
    """The line under a table that lists only its newest rows."""
    return ngettext(
        "Only the newest entries are listed; {count} earlier one is in the CSV export (History, Export CSV).",
        "Only the newest entries are listed; {count} earlier ones are in the CSV export (History, Export CSV).",
        count,
    ).format(count=format_integer(count))


def _prescribed_section(content: ReportContent, section: Any) -> None:
    """The prescribed routines and how often each was done, stops included (only when there are any)."""
    if content.prescribed:
        columns = [(_(title), width) for title, width in PRESCRIBED_COLUMNS]
        section(_("Prescribed routines"), columns, content.prescribed, "")


def _scheduled_section(content: ReportContent, section: Any) -> None:
    """How often routines set on a reminder came up and were done from it (only when there are any)."""
    if content.scheduled:
        columns = [(_(title), width) for title, width in SCHEDULED_COLUMNS]
        section(_("Routines on a schedule"), columns, content.scheduled, "")


SESSION_COLUMNS: Columns = [
    (N_("When"), 0.16),
    (N_("Routine"), 0.31),
    (N_("Result"), 0.35),
    (N_("Length"), 0.08),
    (N_("Pain"), 0.10),
]
ROUTINE_COLUMNS: Columns = [
    (N_("Routine"), 0.35),
    (N_("Times"), 0.07),
    (N_("Completed"), 0.11),
    (N_("Stopped for pain"), 0.16),
    (N_("Pain afterwards, on average"), 0.31),
]
STOP_COLUMNS: Columns = [
    (N_("When"), 0.16),
    (N_("Routine and step"), 0.38),
    (N_("Pain"), 0.06),
    (N_("Symptoms"), 0.12),
    (N_("Note"), 0.28),
]
COURSE_COLUMNS: Columns = [
    (N_("Day"), 0.16), (N_("Highest"), 0.10), (N_("Average"), 0.10), (N_("Ratings"), 0.10), (N_("Where"), 0.54),
]  # fmt: skip
AREA_COLUMNS: Columns = [(N_("Where"), 0.40), (N_("Check-ins"), 0.20), (N_("Highest"), 0.20), (N_("Average"), 0.20)]
RELIEVER_COLUMNS: Columns = [
    (N_("When"), 0.20), (N_("Pain reliever (as written)"), 0.50), (N_("Amount (as written)"), 0.30),
]  # fmt: skip
EPISODE_COLUMNS: Columns = [
    (N_("Started"), 0.20), (N_("Settled"), 0.20), (N_("How long"), 0.20), (N_("What set it off"), 0.40),
]  # fmt: skip
PRESCRIBED_COLUMNS: Columns = [
    (N_("Prescribed routine"), 0.28),
    (N_("Prescribed by"), 0.24),
    (N_("Review"), 0.10),
    (N_("Times"), 0.08),
    (N_("Completed"), 0.13),
    (N_("Stopped for pain"), 0.17),
]
SCHEDULED_COLUMNS: Columns = [
    (N_("Routine on a reminder"), 0.44),
    (N_("Reminders shown"), 0.26),
    (N_("Started from the reminder"), 0.30),
]
TIMER_COLUMNS: Columns = [
    (N_("Timer"), 0.33),
    (N_("Kind"), 0.07),
    (N_("Used"), 0.09),
    (N_("Cancelled"), 0.10),
    (N_("Time in all"), 0.12),
    (N_("Days"), 0.29),
]


def _render(writer: QPdfWriter, content: ReportContent, total: int | None, chart: History) -> int:
    """Draw the whole report; returns the number of pages."""
    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    period = range_text(content.first, content.last)
    flow = PageFlow(painter, writer, total, f"{_(REPORT_TITLE)} · {period}")
    history, tz = content.history, content.tz
    body = pdf_font(9.5)

    flow.paragraph(_(REPORT_TITLE), pdf_font(16, bold=True))
    flow.y += 1.0 * flow.mm
    made = content.made.astimezone(tz)
    made_text = _("{period}  ·  made on {day} at {time}").format(
        period=period, day=date_text(made.date()), time=format_time(made)
    )
    flow.paragraph(made_text, pdf_font(10.5), PRINT.text)
    flow.y += 1.2 * flow.mm
    flow.paragraph(_(DISCLAIMER), pdf_font(8.5), PRINT.warning_text)

    flow.heading(_("Summary"), flow.measure("x", body, flow.width))
    for line in content.summary:
        flow.bullet(line, body)

    def section(title: str, columns: Columns, rows: Rows, empty: str, *, left_out: int = 0, **options: Any) -> None:
        """A heading kept together with its table's first row, or with the 'nothing here' line.

        ``left_out``: earlier rows not listed (a long table shows its newest), said under the table."""
        title, empty = _(title), _(empty) if empty else empty  # marked with N_ where they are written
        columns = [(_(heading), width) for heading, width in columns]
        if rows:
            flow.heading(title, flow.table_start(columns, rows))
            flow.table(columns, rows, **options)
            if left_out:
                flow.paragraph(_left_out_text(left_out), body, PRINT.text)
        else:
            flow.heading(title, flow.measure(empty, body, flow.width))
            flow.paragraph(empty, body)

    if history.sessions:
        section(N_("Routines done"), ROUTINE_COLUMNS, routine_rows(history), "")
    _prescribed_section(content, section)
    _scheduled_section(content, section)

    chart_height = CHART_HEIGHT_MM * flow.mm
    flow.heading(_("Pain before and after each session"), chart_height)

    def paint_chart(rect: QRectF) -> None:
        """The on-screen chart, drawn as vectors with a thin frame."""
        painter.setPen(QPen(QColor(PRINT.border), 0.25 * flow.mm))
        painter.drawRoundedRect(rect, 2 * flow.mm, 2 * flow.mm)
        inner = rect.adjusted(2.5 * flow.mm, 2 * flow.mm, -2.5 * flow.mm, -1.5 * flow.mm)
        paint_pain_chart(painter, inner, chart, first=content.first, last=content.last, font=pdf_font(7.5), tz=tz)

    flow.block(chart_height, paint_chart)
    earlier = max(0, len(history.sessions) - MAX_TABLE_ROWS)  # only the newest rows are made, and listed
    sessions = session_rows(replace(history, sessions=history.sessions[earlier:]), tz)
    section(
        N_("Sessions"),
        SESSION_COLUMNS,
        sessions,
        N_("No routines were done in this period."),
        left_out=earlier,
        emphasis=lambda i: PRINT.stop_strong if history.sessions[earlier + i].stopped_for_pain else None,
    )
    earlier_stops = max(0, len(history.stops) - MAX_TABLE_ROWS)
    stops = stop_rows(replace(history, stops=history.stops[earlier_stops:]), tz)
    no_stops = N_("No stops because of pain in this period.")
    section(N_("Pain stops"), STOP_COLUMNS, stops, no_stops, left_out=earlier_stops)
    rows = content.diary  # the diary's tables only when there is something in them: a week still fits one page
    for title, columns, found in (
        (N_("The latest spasm, day by day (every rating)"), COURSE_COLUMNS, rows.course),
        (N_("Episodes and what set them off"), EPISODE_COLUMNS, rows.episodes),
        (N_("Pain by area (check-ins)"), AREA_COLUMNS, rows.areas),
        (N_("Pain relievers taken"), RELIEVER_COLUMNS, rows.relievers),
    ):
        if found:
            shown, earlier = newest_rows(found)
            section(title, columns, shown, "", left_out=earlier)
    no_timers = N_("No ice or heat timers in this period.")
    section(N_("Ice and heat"), TIMER_COLUMNS, timer_rows(history, tz), no_timers)
    flow.footer()
    painter.end()
    return flow.page
