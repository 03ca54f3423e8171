"""Users' own PNG and JPEG pictures: checked by their bytes and size, errors at file:line, carried by packages."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest

from spasmcoach import cli
from spasmcoach.core import loader, pictures, sharing
from spasmcoach.core.yamlsource import RoutineFileError


def png_bytes(width: int = 4, height: int = 3, *, claimed: tuple[int, int] | None = None) -> bytes:
    """A real, tiny PNG (grey pixels); ``claimed`` writes another size into its header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    w, h = claimed or (width, height)
    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return pictures.PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def jpeg_header(width: int, height: int) -> bytes:
    """The start of a JPEG: SOI, an APP0 segment, then a baseline SOF0 with the size (enough for the check)."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def routine_text(image: str) -> str:
    return f"title: Mine\nkind: rest\nsteps:\n  - name: A\n    duration: 5\n    image: {image}\n"


def load_with(tmp_path: Path, image: str) -> list[str]:
    """The problems of a routine naming ``image`` in ``tmp_path/pics`` (empty when it loads)."""
    path = tmp_path / "mine.yaml"
    path.write_text(routine_text(image), encoding="utf-8")
    try:
        loader.load_routine(path, images=[tmp_path / "pics"])
    except RoutineFileError as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.fixture
def pics(tmp_path: Path) -> Path:
    folder = tmp_path / "pics"
    folder.mkdir()
    return folder


def test_png_and_jpeg_pictures_load(tmp_path: Path, pics: Path) -> None:
    (pics / "knee.png").write_bytes(png_bytes())
    (pics / "photo.JPG").write_bytes(jpeg_header(800, 600))
    (pics / "photo2.jpeg").write_bytes(jpeg_header(800, 600))
    assert load_with(tmp_path, "knee.png") == []
    assert load_with(tmp_path, "photo.JPG") == []
    assert load_with(tmp_path, "photo2.jpeg") == []
    assert pictures.png_size(png_bytes(7, 5)) == (7, 5) and pictures.jpeg_size(jpeg_header(640, 480)) == (640, 480)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "is not a PNG picture"),
        ("fake.jpg", png_bytes(), "is not a JPEG picture"),
        ("huge.png", png_bytes(claimed=(60_000, 60_000)), "is 60,000 × 60,000 pixels; at most 4,096 on a side"),
        ("wide.png", png_bytes(claimed=(4096, 4000)), "and 12 million pixels"),
        ("big.jpg", jpeg_header(5000, 100), "is 5,000 × 100 pixels"),
        ("empty.png", png_bytes(claimed=(0, 5)), "0 pixels wide or high"),
        ("cut.png", pictures.PNG_SIGNATURE + b"\x00\x00", "damaged PNG"),
        ("cut.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "damaged JPEG"),
        ("anim.gif", b"GIF89a", "is not a picture SpasmCoach draws (use .svg, .png or .jpg)"),
        ("heavy.png", pictures.PNG_SIGNATURE + b"\x00" * pictures.MAX_RASTER_BYTES, "is too large"),
    ],
)
def test_bad_pictures_are_named_with_file_line_and_why(
    tmp_path: Path, pics: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (pics / name).write_bytes(data)
    [problem] = load_with(tmp_path, name)
    assert problem.startswith(f"mine.yaml:6:12: steps[0].image: the picture {name}: "), problem
    assert message in problem, problem


def test_picture_paths_stay_inside_the_folder(tmp_path: Path, pics: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    outside = tmp_path / "outside.png"
    outside.write_bytes(png_bytes())
    (pics / "link.png").symlink_to(outside)
    (pics / "sub").mkdir()
    (pics / "sub" / "inner.png").symlink_to(outside)
    assert "the link leads outside it" in load_with(tmp_path, "link.png")[0]
    assert "the link leads outside it" in load_with(tmp_path, "sub/inner.png")[0]
    assert "no absolute path, no '..'" in load_with(tmp_path, "../outside.png")[0]
    assert "no absolute path, no '..'" in load_with(tmp_path, str(outside))[0]


def test_a_fifo_named_like_a_picture_is_refused_without_blocking(tmp_path: Path, pics: Path) -> None:
    import os

    os.mkfifo(pics / "pipe.png")
    [problem] = load_with(tmp_path, "pipe.png")  # not a file: never opened, so never waited on
    assert "steps[0].image" in problem and "pipe.png" in problem


ROUTINE = """title: Photos from my physio
kind: stretch
position: floor
prescribed_by: Jo Physio
prescribed_on: 2026-11-02
review_on: 2026-12-14
note: Gently, twice a day.
steps:
  - name: Knee hug
    hold: 10s
    reps: 2
    rest: 5
    sides: both
    image: knee-hug.png
  - name: Sit in a chair
    position: chair
    duration: 30
    images: [chair-1.jpg, chair-2.svg]
"""
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>\n'


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


def test_packages_carry_png_and_jpeg_and_the_round_trip_is_identical(
    spasmcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = {"knee-hug.png": png_bytes(6, 4), "chair-1.jpg": jpeg_header(320, 240), "chair-2.svg": SVG}
    (spasmcoach_home / "illustrations").mkdir(parents=True)
    for name, data in own.items():
        (spasmcoach_home / "illustrations" / name).write_bytes(data)
    (spasmcoach_home / "routines").mkdir()
    (spasmcoach_home / "routines" / "photos.yaml").write_text(ROUTINE, encoding="utf-8")
    code, before = run("show", "photos", "--json")
    assert code == 0, before

    package = tmp_path / "photos.spasmcoach"
    assert run("export", "photos", "-o", str(package))[0] == 0
    checked = sharing.read_package(package)
    assert checked.pictures == own

    # A fresh home: import, export again, import again; the timeline and the pictures never change.
    for round_trip in range(2):
        home = tmp_path / f"home{round_trip}"
        monkeypatch.setenv("SPASMCOACH_HOME", str(home))
        code, text = run("import", str(package))
        assert code == 0, text
        assert {p.name: p.read_bytes() for p in (home / "illustrations").iterdir()} == own
        code, after = run("show", "photos", "--json")
        assert code == 0 and json.loads(after) == json.loads(before)
        routine = loader.load_library().routines["photos"]
        assert routine.prescribed_by == "Jo Physio" and routine.position is not None
        package = tmp_path / f"again{round_trip}.spasmcoach"
        assert run("export", "photos", "-o", str(package))[0] == 0


def test_a_package_with_a_bad_png_is_refused_before_installing(spasmcoach_home: Path, tmp_path: Path) -> None:
    import zipfile

    package = tmp_path / "bad.spasmcoach"
    manifest = {"format": 1, "id": "bad", "title": "Bad", "routine": "routine.yaml", "pictures": ["knee-hug.png"]}
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("routine.yaml", routine_text("knee-hug.png"))
        archive.writestr("pictures/knee-hug.png", png_bytes(claimed=(9000, 9000)))
    code, text = run("import", str(package))
    assert code != 0 and "knee-hug.png" in text + str(code)
    with pytest.raises(RoutineFileError) as info:
        sharing.read_package(package)
    assert "bad.spasmcoach!routine.yaml:6:12: steps[0].image: the picture knee-hug.png: is 9,000 × 9,000" in str(
        info.value
    )
    assert not (spasmcoach_home / "routines" / "bad.yaml").exists()
