"""The pain chart: pain before and after each session over the days, pain stops, ice and heat (QPainter).

One painting function draws on any QPainter in the colours of the ``Ink`` it is given, so the History page
(in the screen's theme) and the clinician's PDF (always light, for printing) show the same chart.
Sizes follow the font it is given, so it stays readable at any size. Why not
QtCharts or pyqtgraph: see docs/history.md (they would add 83 to 161 MB for about 60 points on a 0–10 scale).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from spasmcoach.core.history import History, SessionRow, TimerUse
from spasmcoach.core.i18n import _, ngettext
from spasmcoach.core.locale_format import format_date
from spasmcoach.core.timers.kinds import Therapy
from spasmcoach.core.wording import short_day_text

from .ink import PRINT, Ink

CHECKIN_COLOUR = PRINT.checkin  # a check-in's dot (on paper; the screen's ink has its own)
RELIEVER_COLOUR = PRINT.reliever  # a pain reliever's pill
XPosition = Callable[[datetime], float]  # a moment to its horizontal position
YPosition = Callable[[float], float]  # a pain rating to its vertical position


@dataclass(frozen=True)
class ChartRange:
    """The local days the chart spans, first to last inclusive."""

    first: date
    last: date

    @property
    def days(self) -> int:
        """How many days are shown."""
        return (self.last - self.first).days + 1


def chart_range(
    history: History,
    first: date | None = None,
    last: date | None = None,
    *,
    today: date | None = None,
    tz: tzinfo | None = None,
) -> ChartRange:
    """The days to show: the ones asked for, else from the first to the last entry (or today)."""
    start, end = history.first_time(), history.last_time()
    if first is None:
        first = start.astimezone(tz).date() if start is not None else (today or date.today())
    if last is None:
        last = end.astimezone(tz).date() if end is not None else (today or date.today())
    last = max(last, first)
    return ChartRange(first, last)


def _x_of(moment: datetime, span: ChartRange, left: float, width: float, tz: tzinfo | None) -> float:
    """Horizontal position of a moment: each local day is one equal column."""
    local = moment.astimezone(tz)
    day_index = (local.date() - span.first).days
    seconds = (local - datetime.combine(local.date(), time(), tzinfo=local.tzinfo)).total_seconds()
    fraction = (day_index + seconds / 86400) / span.days
    return left + width * min(max(fraction, 0.0), 1.0)


def _in_range(moment: datetime, span: ChartRange, tz: tzinfo | None) -> bool:
    """The moment's local day lies in the range."""
    return span.first <= moment.astimezone(tz).date() <= span.last


def summary_text(history: History) -> str:
    """What the chart shows, in words (its accessible description)."""
    rated = [s for s in history.sessions if s.pain_before is not None or s.pain_after is not None]
    if not rated and not history.stops and not history.timers and not history.checkins and not history.relievers:
        return _("Nothing recorded in this period yet.")

    sessions = len(rated)
    parts = [ngettext("{count} session with pain ratings", "{count} sessions with pain ratings", sessions).format(
        count=sessions
    )]  # fmt: skip
    if count := len(history.checkins):
        parts.append(ngettext("{count} check-in", "{count} check-ins", count).format(count=count))
    if count := len(history.relievers):
        parts.append(ngettext("{count} pain reliever", "{count} pain relievers", count).format(count=count))
    if count := len(history.stops):
        parts.append(ngettext("{count} pain stop", "{count} pain stops", count).format(count=count))
    if count := len(history.timers):
        parts.append(ngettext("{count} ice or heat timer", "{count} ice or heat timers", count).format(count=count))
    text = ", ".join(parts)
    return _("Pain chart: {parts}.").format(parts=text)


def paint_pain_chart(
    painter: QPainter,
    rect: QRectF,
    history: History,
    *,
    first: date | None = None,
    last: date | None = None,
    font: QFont | None = None,
    today: date | None = None,
    tz: tzinfo | None = None,
    ink: Ink = PRINT,
) -> None:
    """Draw the chart into ``rect``: legend, 0–10 pain axis, sessions, pain stops and a timer band."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    base = QFont(font) if font is not None else QFont(painter.font())
    painter.setFont(base)
    metrics = QFontMetricsF(base, painter.device())
    line = metrics.height()
    unit = line / 16  # one "pixel" at a 16-pixel line, so shapes scale with the text
    span = chart_range(history, first, last, today=today, tz=tz)

    unrated = any(stop.pain is None for stop in history.stops)
    diary = ("unrated",) * unrated + ("checkin",) * bool(history.checkins) + ("reliever",) * bool(history.relievers)
    legend = QRectF(rect.left(), rect.top(), rect.width(), line * 1.5)
    legend_height = _paint_legend(painter, legend, base, unit, ink, diary)  # a second row when it needs one

    axis_width = metrics.horizontalAdvance("10") + line * 0.6
    label_height = line * 1.3
    band_height = line * 1.0
    plot = QRectF(
        rect.left() + axis_width,
        rect.top() + legend_height + line * 0.4,
        rect.width() - axis_width - line * 0.4,
        rect.height() - legend_height - line * 0.4 - band_height - label_height - line * 0.5,
    )
    if plot.width() <= 10 or plot.height() <= 10:
        painter.restore()
        return
    band = QRectF(plot.left(), plot.bottom() + line * 0.35, plot.width(), band_height)

    def y_of(pain: float) -> float:
        """Vertical position of a pain rating (0 at the bottom, 10 at the top)."""
        return plot.bottom() - plot.height() * pain / 10

    # Day columns, shaded every other day, with their labels below.
    day_width = plot.width() / span.days
    label_width = metrics.horizontalAdvance("Wed 28") + line * 0.8
    step = max(1, math.ceil(label_width / day_width))
    painter.setPen(Qt.PenStyle.NoPen)
    for index in range(span.days):
        column = QRectF(plot.left() + index * day_width, plot.top(), day_width, band.bottom() - plot.top())
        if index % 2 == 1 and day_width > unit * 4:
            painter.fillRect(column, QColor(ink.day_shade))
    painter.setPen(QColor(ink.muted))
    for index in range(0, span.days, step):
        day = span.first + timedelta(days=index)
        text = short_day_text(day) if span.days <= 31 else format_date(day, "day_month_short")
        cell = QRectF(plot.left() + index * day_width, band.bottom() + line * 0.15, day_width * step, label_height)
        painter.drawText(cell, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)

    # Pain grid and axis labels.
    for pain in range(0, 11, 2):
        y = y_of(pain)
        painter.setPen(QPen(QColor(ink.grid if pain else ink.border), unit * (1.0 if pain else 1.5)))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor(ink.muted))
        painter.drawText(
            QRectF(rect.left(), y - line / 2, axis_width - line * 0.3, line),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            str(pain),
        )

    sessions = [s for s in history.sessions if _in_range(s.started, span, tz)]
    stops = [s for s in history.stops if _in_range(s.time, span, tz)]
    timers = [t for t in history.timers if _in_range(t.started, span, tz)]
    checkins = [e for e in history.checkins if _in_range(e.time, span, tz) and e.pain is not None]
    relievers = [e for e in history.relievers if _in_range(e.time, span, tz)]
    if not sessions and not stops and not timers and not checkins and not relievers:
        painter.setPen(QColor(ink.muted))
        painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "Nothing recorded in this period yet.")
        painter.restore()
        return

    def x_of(moment: datetime) -> float:
        """Horizontal position of a moment in the plot."""
        return _x_of(moment, span, plot.left(), plot.width(), tz)

    _paint_timers(painter, band, timers, x_of, unit, ink)
    _paint_trend_lines(painter, sessions, x_of, y_of, unit, ink)
    radius = unit * 5
    for stop in stops:
        # A little right of its moment, so a session's dot at the same pain does not hide it. A stop without
        # a rating has no height: a hollow triangle in the row under the axis, never a made-up 10.
        x = x_of(stop.time) + radius * 1.5
        if stop.pain is None:
            _paint_triangle(painter, QPointF(x, band.center().y()), radius * 1.2, unit, ink, hollow=True)
        else:
            _paint_triangle(painter, QPointF(x, y_of(stop.pain)), radius * 1.4, unit, ink)
    for session in sessions:
        _paint_session(painter, session, x_of(session.started), y_of, radius, unit, ink)
    for event in checkins:
        _paint_checkin(painter, QPointF(x_of(event.time), y_of(event.pain or 0)), radius * 0.85, unit, ink)
    for event in relievers:  # along the top of the plot: when, not how much
        _paint_pill(painter, QPointF(x_of(event.time), plot.top() + radius), radius * 1.3, unit, ink)
    painter.restore()


def _paint_checkin(painter: QPainter, centre: QPointF, radius: float, unit: float, ink: Ink) -> None:
    """A check-in: a violet dot with a light ring, at its pain."""
    painter.setPen(QPen(QColor(ink.surface), unit * 1.2))
    painter.setBrush(QColor(ink.checkin))
    painter.drawEllipse(centre, radius, radius)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _paint_pill(painter: QPainter, centre: QPointF, radius: float, unit: float, ink: Ink) -> None:
    """A pain reliever taken: a small two-tone capsule."""
    width, height = radius * 2.6, radius * 1.2
    box = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
    painter.setPen(QPen(QColor(ink.reliever), unit * 1.2))
    painter.setBrush(QColor(ink.surface))
    painter.drawRoundedRect(box, height / 2, height / 2)
    half = QPainterPath()
    half.addRoundedRect(QRectF(box.left(), box.top(), width / 2, height), height / 2, height / 2)
    half.addRect(QRectF(box.left() + height / 2, box.top(), width / 2 - height / 2, height))
    painter.fillPath(half.simplified(), QColor(ink.reliever))
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _paint_legend(
    painter: QPainter, rect: QRectF, font: QFont, unit: float, ink: Ink, diary: Sequence[str] = ()
) -> float:
    """'Pain 0–10' and the key to the symbols, in rows of ``rect``'s height; returns the height used."""
    metrics = QFontMetricsF(font, painter.device())
    x = rect.left()
    cy = rect.center().y()
    rect = QRectF(rect)
    row_height, rows = rect.height(), 1
    painter.setPen(QColor(ink.text))
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    title = _("Pain (0–10)")
    painter.drawText(
        QRectF(x, rect.top(), QFontMetricsF(bold, painter.device()).horizontalAdvance(title) + 4, rect.height()),
        Qt.AlignmentFlag.AlignVCenter,
        title,
    )
    x += QFontMetricsF(bold, painter.device()).horizontalAdvance(title) + unit * 20
    painter.setFont(font)
    radius = unit * 5.5
    items = ("before", "after", "stop", *Therapy, *diary)
    texts: dict[str, str] = {
        "before": _("before"),
        "after": _("after the routine"),
        "stop": _("pain stop"),
        "unrated": _("pain stop, not rated"),
        "checkin": _("check-in"),
        "reliever": _("pain reliever"),
        **{kind: kind.info.noun for kind in Therapy},
    }
    indent = x
    for item in items:
        if x + radius * 4 + metrics.horizontalAdvance(texts[item]) > rect.right() and x > indent:
            x, cy, rows = indent, cy + row_height, rows + 1  # next row, under the first item
            rect.translate(0, row_height)
        centre = QPointF(x + radius, cy)
        if item == "before":
            painter.setPen(QPen(QColor(ink.before), unit * 2.2))
            painter.setBrush(QColor(ink.surface))
            painter.drawEllipse(centre, radius, radius)
        elif item == "after":
            painter.setPen(QPen(QColor(ink.surface), unit * 1.2))
            painter.setBrush(QColor(ink.after))
            painter.drawEllipse(centre, radius, radius)
        elif item == "stop":
            _paint_triangle(painter, centre, radius * 1.25, unit, ink)
        elif item == "unrated":
            _paint_triangle(painter, centre, radius * 1.1, unit, ink, hollow=True)
        elif item == "checkin":
            _paint_checkin(painter, centre, radius, unit, ink)
        elif item == "reliever":
            _paint_pill(painter, centre, radius, unit, ink)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(Therapy(item).info.chart_colour))
            painter.drawRoundedRect(QRectF(x, cy - radius * 0.7, radius * 3, radius * 1.4), unit * 2, unit * 2)
            centre = QPointF(x + radius * 2, cy)
        painter.setPen(QColor(ink.text))
        text_x = centre.x() + radius * (1.8 if isinstance(item, Therapy) else 2.0)
        width = metrics.horizontalAdvance(texts[item])
        painter.drawText(
            QRectF(text_x, rect.top(), width + 4, rect.height()), Qt.AlignmentFlag.AlignVCenter, texts[item]
        )
        x = text_x + width + unit * 22
    painter.setBrush(Qt.BrushStyle.NoBrush)
    return rows * row_height


def _paint_trend_lines(
    painter: QPainter, sessions: Sequence[SessionRow], x_of: XPosition, y_of: YPosition, unit: float, ink: Ink
) -> None:
    """Thin lines joining the 'before' ratings (dashed) and the 'after' ratings (solid) over time."""
    for attribute, colour, style in (
        ("pain_before", ink.before, Qt.PenStyle.DashLine),
        ("pain_after", ink.after, Qt.PenStyle.SolidLine),
    ):
        points = [
            QPointF(x_of(s.started), y_of(getattr(s, attribute))) for s in sessions if getattr(s, attribute) is not None
        ]
        if len(points) < 2:
            continue
        pen_colour = QColor(colour)
        pen_colour.setAlpha(110)
        pen = QPen(pen_colour, unit * 1.6, style)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.drawPath(path)


def _paint_session(
    painter: QPainter, session: SessionRow, x: float, y_of: YPosition, radius: float, unit: float, ink: Ink
) -> None:
    """Hollow circle at the pain before, filled circle at the pain after, an arrow between them."""
    before, after = session.pain_before, session.pain_after
    if before is not None and after is not None and before != after:
        colour = QColor(ink.better if after < before else ink.worse)
        start, end = QPointF(x, y_of(before)), QPointF(x, y_of(after))
        direction = 1 if after < before else -1  # screen y grows downwards
        tip = QPointF(end.x(), end.y() - direction * radius)
        shaft_end = QPointF(tip.x(), tip.y() - direction * radius * 0.9)
        pen = QPen(colour, unit * 3.0)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(start.x(), start.y() + direction * radius), shaft_end)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        head = radius * 0.9
        painter.drawPolygon(
            QPolygonF(
                [
                    tip,
                    QPointF(tip.x() - head * 0.8, tip.y() - direction * head),
                    QPointF(tip.x() + head * 0.8, tip.y() - direction * head),
                ]
            )
        )
    if before is not None:
        painter.setPen(QPen(QColor(ink.before), unit * 2.2))
        painter.setBrush(QColor(ink.surface))
        painter.drawEllipse(QPointF(x, y_of(before)), radius, radius)
    if after is not None:
        painter.setPen(QPen(QColor(ink.surface), unit * 1.2))
        painter.setBrush(QColor(ink.after))
        painter.drawEllipse(QPointF(x, y_of(after)), radius, radius)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _paint_triangle(
    painter: QPainter, centre: QPointF, size: float, unit: float, ink: Ink, *, hollow: bool = False
) -> None:
    """A red warning triangle (a pain stop) centred on ``centre``; ``hollow`` (red outline) for a stop
    without a pain rating."""
    half = size
    polygon = QPolygonF(
        [
            QPointF(centre.x(), centre.y() - half),
            QPointF(centre.x() + half, centre.y() + half * 0.8),
            QPointF(centre.x() - half, centre.y() + half * 0.8),
        ]
    )
    if hollow:
        painter.setPen(QPen(QColor(ink.stop), unit * 2.2))
        painter.setBrush(QColor(ink.surface))
    else:
        painter.setPen(QPen(QColor(ink.surface), unit * 1.2))
        painter.setBrush(QColor(ink.stop))
    painter.drawPolygon(polygon)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _paint_timers(
    painter: QPainter, band: QRectF, timers: Sequence[TimerUse], x_of: XPosition, unit: float, ink: Ink
) -> None:
    """Each ice or heat use as a bar from its start to its end in the band under the plot."""
    painter.setPen(Qt.PenStyle.NoPen)
    minimum = unit * 8
    for use in timers:
        left = x_of(use.started)
        right = x_of(use.ended) if use.ended is not None else left + minimum
        width = max(right - left, minimum)
        colour = QColor((Therapy.named(use.therapy) or Therapy.HEAT).info.chart_colour)  # unknown: heat, as before
        painter.setBrush(QBrush(colour))
        painter.drawRoundedRect(
            QRectF(left, band.top() + band.height() * 0.15, width, band.height() * 0.7), unit * 2, unit * 2
        )
    painter.setBrush(Qt.BrushStyle.NoBrush)
