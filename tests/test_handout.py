"""The printable handout: the routine as a physio's sheet, checked by reading the PDF back."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from spasmcoach import cli
from spasmcoach.core import loader
from spasmcoach.core.model import Sides, Step
from spasmcoach.documents.handout import dose_text


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


@pytest.mark.parametrize(
    ("step", "text"),
    [
        (
            Step("A", hold=20, reps=3, rest=10, sides=Sides.BOTH),
            "Hold 20 s, 3 times on each side, resting 10 s between.",
        ),
        (Step("B", hold=5, reps=8, rest=0), "Hold 5 s, 8 times."),
        (Step("C", hold=30), "Hold 30 s."),
        (Step("D", hold=15, sides=Sides.LEFT), "Hold 15 s, on the left side."),
        (Step("E", duration=90), "Keep going for 1 min 30 s."),
    ],
)
def test_dose_in_plain_words(step: Step, text: str) -> None:
    assert dose_text(step).replace("\u00a0", " ") == text


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF back")
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(result.stdout.split())


def test_handout_holds_every_step_the_cautions_and_the_rules(tmp_path: Path) -> None:
    target = tmp_path / "sheet.pdf"
    code, text = run("handout", "lower-back-release", "-o", str(target))
    assert code == 0 and "Wrote" in text
    routine = loader.load_library().get("lower-back-release")
    assert routine is not None
    words = pdf_text(target).replace("\u00a0", " ")
    assert routine.title in words
    for step in routine.steps:
        assert step.name in words
        assert " ".join(step.instructions.split()[:6]) in words
        assert dose_text(step).replace("\u00a0", " ").rstrip(".") in words
    for caution in routine.cautions[:2]:
        assert " ".join(caution.split()[:5]) in words
    assert "Stop at once if pain increases" in words and "never bounce" in words and "999" in words


def test_handout_draws_the_pictures(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is needed to render the page")
    from PySide6.QtGui import QImage

    target = tmp_path / "sheet.pdf"
    assert run("handout", "desk-break", "-o", str(target))[0] == 0
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(target), str(tmp_path / "page")], check=True
    )
    image = QImage(str(next(tmp_path.glob("page*.png"))))
    # the picture column (left fifth, below the title block) has drawing in it, not only white paper
    inked = sum(
        1
        for y in range(image.height() // 4, image.height() * 3 // 4, 2)
        for x in range(image.width() // 12, image.width() // 5, 2)
        if image.pixelColor(x, y).lightness() < 200
    )
    assert inked > 50


@pytest.mark.parametrize("target", ["fifo", "/dev/full", "long"])
def test_a_handout_that_cannot_be_written_says_so(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    if target == "fifo":
        path = tmp_path / "pipe.pdf"
        os.mkfifo(path)
    elif target == "long":
        path = tmp_path / ("x" * 300 + ".pdf")
    else:
        path = Path(target)
    code, _ = run("handout", "desk-break", "-o", str(path))
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("spasmcoach: ") and "Traceback" not in err
    assert "Wrote" not in err
