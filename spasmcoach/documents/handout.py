"""A routine as the sheet a physio hands a patient: an A4 PDF with each step's picture and instructions.

It holds the title and summary, the total time, the cautions, then every step with its first picture,
what to do, and the dose in plain words (hold and repetitions, sides, rest, or how long to keep moving),
and closes with the rules that always apply: stop if pain increases, never bounce. Pictures are drawn as
vectors from the routine's own (already validated) files; a missing picture leaves a quiet blank frame.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPdfWriter, QPen
from PySide6.QtSvg import QSvgRenderer

from spasmcoach.core import loader, storage
from spasmcoach.core.durations import format_human
from spasmcoach.core.i18n import N_, _, ngettext
from spasmcoach.core.model import Routine, Sides, Step
from spasmcoach.core.red_flags import emergency_sentence

from .ink import PRINT
from .page_flow import PageFlow, pdf_font, render_pdf

WHAT = N_("handout")
PICTURE_MM = 42.0
MAX_PICTURE_BYTES = 4 * 1024 * 1024
ALWAYS = (
    N_("Stop at once if pain increases, and rest in a comfortable position."),
    N_("Move slowly and never bounce. Breathe out as you stretch."),
    N_("This sheet is not medical advice; follow what your physiotherapist or doctor told you."),
)


def dose_text(step: Step) -> str:
    """How much of a step, in plain words: 'Hold 20 s, 3 times on each side, resting 10 s between'."""
    if step.duration is not None:
        return _("Keep going for {length}.").format(length=format_human(step.duration))
    assert step.hold is not None
    parts = [_("Hold {length}").format(length=format_human(step.hold))]
    if step.reps > 1:
        parts.append(ngettext("{count} time", "{count} times", step.reps).format(count=step.reps))
    if step.sides is Sides.BOTH:
        parts.append(_("on each side"))
    elif step.sides is Sides.LEFT:
        parts.append(_("on the left side"))
    elif step.sides is Sides.RIGHT:
        parts.append(_("on the right side"))
    text = parts[0] + (", " + " ".join(parts[1:]) if len(parts) > 1 else "")
    if step.rest > 0 and (step.reps > 1 or step.sides is Sides.BOTH):
        text += _(", resting {length} between").format(length=format_human(step.rest))
    return text + "."


def _paint_picture(painter: QPainter, rect: QRectF, picture: Path | None, unit: float) -> None:
    """The step's picture fitted into ``rect`` (aspect kept), inside a thin frame."""
    painter.setPen(QPen(QColor(PRINT.border), 0.25 * unit))
    painter.setBrush(QColor(PRINT.surface))
    painter.drawRoundedRect(rect, 1.5 * unit, 1.5 * unit)
    if picture is None:
        return
    inner = rect.adjusted(1.5 * unit, 1.5 * unit, -1.5 * unit, -1.5 * unit)
    try:
        data = storage.read_bytes(picture, MAX_PICTURE_BYTES, "picture")
    except storage.StorageError:
        return
    if picture.suffix.lower() == ".svg":
        renderer = QSvgRenderer(data)
        if not renderer.isValid():
            return
        size = renderer.defaultSize()
        width, height = max(size.width(), 1), max(size.height(), 1)
    else:
        image = QImage.fromData(data)
        if image.isNull():
            return
        width, height = image.width(), image.height()
    scale = min(inner.width() / width, inner.height() / height)
    target = QRectF(0, 0, width * scale, height * scale)
    target.moveCenter(inner.center())
    if picture.suffix.lower() == ".svg":
        renderer.render(painter, target)
    else:
        painter.drawImage(target, image)


def _render(writer: QPdfWriter, routine: Routine, total: int | None) -> int:
    """Draw the handout; returns its page count."""
    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    flow = PageFlow(painter, writer, total, f"{routine.title} · SpasmCoach")
    body, small = pdf_font(10.5), pdf_font(9)
    finder = loader.ImageFinder(loader.image_dirs())

    flow.paragraph(routine.title, pdf_font(18, bold=True))
    flow.y += 1.0 * flow.mm
    flow.paragraph(
        _("About {length} in all · {count} steps").format(length=format_human(routine.total), count=len(routine.steps)),
        pdf_font(11),
        PRINT.muted,
    )
    if routine.summary:
        flow.gap(2)
        flow.paragraph(routine.summary, body)
    if routine.cautions:
        flow.heading(_("Before you start"), flow.measure(routine.cautions[0], body, flow.width))
        for caution in routine.cautions:
            flow.bullet(caution, body)

    picture_side = PICTURE_MM * flow.mm
    text_left = picture_side + 5 * flow.mm
    text_width = flow.width - text_left
    for number, step in enumerate(routine.steps, start=1):
        title = f"{number}. {step.name}"
        dose = dose_text(step)
        text_height = (
            flow.measure(title, pdf_font(12, bold=True), text_width)
            + flow.measure(step.instructions or " ", body, text_width)
            + flow.measure(dose, pdf_font(10.5, bold=True), text_width)
            + 3 * flow.mm
        )
        height = max(picture_side, text_height) + 4 * flow.mm
        picture = None
        if step.images:
            try:
                picture = finder.find(step.images[0])
            except ValueError:  # an unsafe name was refused when the routine loaded; draw nothing
                picture = None

        def paint(
            rect: QRectF, step: Step = step, title: str = title, dose: str = dose, picture: Path | None = picture
        ) -> None:
            _paint_picture(
                painter, QRectF(rect.left(), rect.top() + 2 * flow.mm, picture_side, picture_side), picture, flow.mm
            )
            y = rect.top() + 2 * flow.mm
            for text, font, colour in (
                (title, pdf_font(12, bold=True), PRINT.text),
                (step.instructions, body, PRINT.text),
                (dose, pdf_font(10.5, bold=True), PRINT.after),
            ):
                if not text:
                    continue
                h = flow.measure(text, font, text_width)
                painter.setFont(font)
                painter.setPen(QColor(colour))
                painter.drawText(QRectF(rect.left() + text_left, y, text_width, h), int(Qt.TextFlag.TextWordWrap), text)
                y += h + 1.5 * flow.mm
            painter.setPen(QPen(QColor(PRINT.border), 0.2 * flow.mm))
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())

        flow.block(height, paint)

    flow.heading(_("Always"), flow.measure(_(ALWAYS[0]), body, flow.width))
    for line in map(_, ALWAYS):
        flow.bullet(line, body)
    flow.gap(2)
    flow.paragraph(emergency_sentence(), small, PRINT.warning_text)
    flow.footer()
    painter.end()
    return flow.page


def write_handout(routine: Routine, path: Path) -> int:
    """Write the handout of ``routine`` to ``path`` atomically (needs a QGuiApplication); its page count."""
    storage.check_regular_or_missing(path, WHAT)
    pages, _draft = render_pdf(routine.title, lambda w: _render(w, routine, None))
    _pages, pdf = render_pdf(routine.title, lambda w: _render(w, routine, pages))
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:]:
        message = _("Could not write the {what} {path}: the PDF came out incomplete.")
        raise storage.StorageError(None, message.format(what=_(WHAT), path=path))
    storage.write_bytes_atomic(path, pdf, WHAT)
    return pages
