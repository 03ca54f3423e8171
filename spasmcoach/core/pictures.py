"""Users' own PNG and JPEG pictures as untrusted input: checked by their bytes before any decoder sees them.

A picture is used only when its first bytes say it is what its name says (``.png`` a PNG, ``.jpg`` or
``.jpeg`` a JPEG), it is at most :data:`MAX_RASTER_BYTES`, and its header gives a size within
:data:`MAX_SIDE` and :data:`MAX_PIXELS` (a tiny file can claim a 60,000 × 60,000 picture and make the
decoder allocate gigabytes). The width and height come from the PNG ``IHDR`` chunk or the JPEG ``SOF``
marker, read here in a few lines so the core and ``spasmcoach validate`` need no image library.
SVGs are checked by ``core.svg_check``; :func:`check_picture` picks the right check by the name.
"""

from __future__ import annotations

import struct
from pathlib import Path

from .i18n import N_, _
from .storage import StorageError, read_bytes
from .svg_check import SvgProblem, UnsafeSvgError, read_svg

MAX_RASTER_BYTES = 4 * 1024 * 1024  # a phone photo scaled for a screen is well under this
MAX_SIDE = 4096
MAX_PIXELS = 12_000_000  # 4000 × 3000; decoding takes four bytes a pixel
RASTER_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
SUFFIXES = (".svg", *RASTER_SUFFIXES)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8\xff"
# Start-of-frame markers (baseline, progressive, lossless...), which carry the size; not DHT, JPG or DAC.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # markers without a length: TEM and RST0-7


class PictureFormatError(ValueError):
    """The bytes are not a usable picture of the named kind; ``str()`` says why in plain words."""


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; PictureFormatError if it is not a PNG."""
    if not data.startswith(PNG_SIGNATURE):
        raise PictureFormatError(_("is not a PNG picture (its first bytes are not a PNG signature)"))
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise PictureFormatError(_("is a damaged PNG picture (no IHDR header)"))
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's start-of-frame marker; PictureFormatError if it is not a JPEG."""
    if not data.startswith(JPEG_START):
        raise PictureFormatError(_("is not a JPEG picture (its first bytes are not a JPEG start marker)"))
    index = 2
    while index + 4 <= len(data):
        if data[index] != 0xFF:
            raise PictureFormatError(_("is a damaged JPEG picture (a marker is missing)"))
        marker = data[index + 1]
        if marker == 0xFF:  # fill bytes before a marker
            index += 1
            continue
        if marker in _STANDALONE:
            index += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or the picture data begins before any size was given
            break
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        if length < 2:
            raise PictureFormatError(_("is a damaged JPEG picture (a marker has a wrong length)"))
        if marker in _SOF:
            if index + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        index += 2 + length
    raise PictureFormatError(_("is a damaged JPEG picture (it does not say its size)"))


def check_raster_bytes(data: bytes, kind: str) -> list[SvgProblem]:
    """Why the ``kind`` ('png' or 'jpeg') picture ``data`` must not be drawn; empty if it is safe."""
    if len(data) > MAX_RASTER_BYTES:
        return [
            SvgProblem(
                0,
                _("is too large ({size} bytes; at most {limit})").format(
                    size=f"{len(data):,}", limit=f"{MAX_RASTER_BYTES:,}"
                ),
            )
        ]
    try:
        width, height = png_size(data) if kind == "png" else jpeg_size(data)
    except (PictureFormatError, struct.error) as exc:
        message = str(exc) if isinstance(exc, PictureFormatError) else _("is a damaged picture")
        return [SvgProblem(0, message)]
    if width == 0 or height == 0:
        return [SvgProblem(0, _("says it is 0 pixels wide or high"))]
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        return [
            SvgProblem(
                0,
                _(
                    "is {width} × {height} pixels; at most {side} on a side and {million} million pixels "
                    "(scale it down first)"
                ).format(
                    width=f"{width:,}", height=f"{height:,}", side=f"{MAX_SIDE:,}", million=MAX_PIXELS // 1_000_000
                ),
            )
        ]
    return []


def kind_of(name: str) -> str | None:
    """'svg', 'png' or 'jpeg' by the file name's ending (any case); None for anything else."""
    suffix = Path(name).suffix.lower()
    if suffix == ".svg":
        return "svg"
    return RASTER_SUFFIXES.get(suffix)


def read_picture(path: Path, name: str | None = None) -> bytes:
    """The bytes of the picture at ``path`` if it is safe to draw; UnsafeSvgError (named ``name``) if not.

    The error type is shared with SVGs so every caller handles one kind of refusal.
    """
    label = name or path.name
    kind = kind_of(path.name)
    if kind == "svg":
        return read_svg(path, label)
    if kind is None:
        raise UnsafeSvgError(label, [SvgProblem(0, _("is not a picture SpasmCoach draws (use .svg, .png or .jpg)"))])
    try:
        data = read_bytes(path, MAX_RASTER_BYTES, N_("picture"))
    except StorageError as exc:
        raise UnsafeSvgError(label, [SvgProblem(0, _("cannot be used: {reason}").format(reason=exc.reason))]) from None
    problems = check_raster_bytes(data, kind)
    if problems:
        raise UnsafeSvgError(label, problems)
    return data


def check_picture(path: Path) -> list[SvgProblem]:
    """Every reason not to draw the picture at ``path`` (SVG, PNG or JPEG); empty if it is safe."""
    try:
        read_picture(path)
    except UnsafeSvgError as exc:
        return exc.problems
    return []
