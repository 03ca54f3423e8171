"""Top-to-bottom layout of printable A4 documents: paragraphs, bullets, tables and drawings, breaking pages
where a block does not fit, with a footer on every page. The clinician's report and the routine handout
are both laid out with it, so both print the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from spasmcoach.core.i18n import _

from .ink import PRINT

RESOLUTION = 300  # dots per inch of the page coordinates; text and drawings stay vectors
MARGIN_MM = 12.0
HEADER_FILL = PRINT.header_fill
TABLE_POINTS = 8.0
TABLE_PADDING_MM = 0.7


def render_pdf(title: str, draw: Callable[[QPdfWriter], int]) -> tuple[int, bytes]:
    """A document drawn into memory by ``draw`` (which returns its page count): pages and the PDF's bytes.

    The bytes are complete once the writer is gone; callers check them and write them atomically."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, title)
    pages = draw(writer)
    del writer
    buffer.close()
    return pages, bytes(buffer.data().data())


def pdf_writer(target: str | QIODevice, title: str) -> QPdfWriter:
    """An A4 portrait PDF writer with the documents' margins, resolution and ``title``."""
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
    writer.setTitle(title)
    writer.setCreator("SpasmCoach")
    return writer


def pdf_font(points: float, *, bold: bool = False) -> QFont:
    """The documents' font at a point size (QPdfWriter maps points to its resolution)."""
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class PageFlow:
    """Top-to-bottom layout on pages: paragraphs and tables, breaking pages where a block does not fit."""

    def __init__(self, painter: QPainter, writer: QPdfWriter, total: int | None, footer: str) -> None:
        self.painter = painter
        self.writer = writer
        rect = writer.pageLayout().paintRectPixels(writer.resolution())
        self.width = float(rect.width())
        self.height = float(rect.height())
        self.total = total
        self.footer_text = footer
        self.footer_font = pdf_font(7.5)
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
        font = pdf_font(11, bold=True)
        self.paragraph(text, font, PRINT.text, keep=first_block)
        self.y += 0.6 * self.mm

    def row_height(self, cells: Sequence[str], font: QFont, widths: Sequence[float]) -> float:
        """The tallest of a table row's wrapped cells, plus padding."""
        pad = TABLE_PADDING_MM * self.mm
        return max(self.measure(c or " ", font, w - 2 * pad) for c, w in zip(cells, widths, strict=True)) + 2 * pad

    def table_start(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]]) -> float:
        """Height of a table's heading row and first row (what a section heading must stay with)."""
        widths = [share * self.width for _title, share in columns]
        header = self.row_height([title for title, _share in columns], pdf_font(TABLE_POINTS, bold=True), widths)
        return header + (self.row_height(rows[0], pdf_font(TABLE_POINTS), widths) if rows else 0.0)

    def table(
        self,
        columns: Sequence[tuple[str, float]],
        rows: Sequence[Sequence[str]],
        *,
        emphasis: Callable[[int], str | None] = lambda _row: None,
    ) -> None:
        """A table of wrapped cells; ``columns`` are (heading, share of width); headings repeat per page."""
        font, bold = pdf_font(TABLE_POINTS), pdf_font(TABLE_POINTS, bold=True)
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
        number = _("Page {page} of {total}") if self.total else _("Page {page}")
        page = number.format(page=self.page, total=self.total)
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), page)
