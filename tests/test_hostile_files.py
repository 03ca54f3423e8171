"""Hostile files and failed writes, with the real faults (issue 11 B, C, D, E and F).

FIFOs from ``os.mkfifo``, devices, a symlink to /dev/zero, a 16 KiB tmpfs that fills up, absurdly deep or
absurdly large JSON, and SVGs that try to read other files or to take the window down. A command that
could hang runs in a subprocess with a timeout, so a regression fails the test instead of stalling it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import write_routine
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from spasmcoach.core import loader, paths, svg_check
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.notify import Notifier
from spasmcoach.core.storage import StorageError
from spasmcoach.core.timers import TimerManager, load_all_presets
from spasmcoach.core.timers.state_file import StateFileError, parse_state_json
from spasmcoach.core.yamlsource import RoutineFileError

ROOT = Path(__file__).resolve().parents[1]
HANG = 20  # seconds: far beyond any honest answer; only a hang reaches it
SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 40 30">\n'
ROUTINE = """title: Pictured
kind: rest
get_ready: 2
steps:
  - name: Lie down
    duration: 6
    image: {image}
"""


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``spasmcoach ARGS`` in a fresh process (the test's SPASMCOACH_HOME), failing on a hang."""
    full = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "spasmcoach", *args], capture_output=True, text=True, timeout=HANG, env=full, cwd=ROOT
    )


def one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single error line of a failed command; fails on a traceback or a chatty answer."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def journal_with_entries(spasmcoach_home: Path) -> Path:
    spasmcoach_home.mkdir(parents=True, exist_ok=True)
    with Journal.open() as journal:
        session = journal.start_session("warm-up", "Gentle warm-up", pain_before=5, steps_total=1)
        journal.end_session(session, outcome="completed", steps_done=1)
    return paths.journal_path()


@contextlib.contextmanager
def tiny_tmpfs(tmp_path: Path, size: str = "16k") -> Iterator[Path]:
    """A real, tiny file system that fills up (needs root; skipped, saying why, otherwise)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> None:
    """Use up every free byte of ``folder``'s file system."""
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as out:
        while True:
            out.write(b"\0" * 4096)
            out.flush()


# -- B. special files: nothing blocks ------------------------------------------------------------------------


def special(tmp_path: Path, kind: str) -> Path:
    """A path that is ``kind``: a FIFO, a link to a FIFO, a link to /dev/zero, a device or a folder."""
    target = tmp_path / f"special-{kind.replace(' ', '-').replace('/', '')}"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link to fifo":
        os.mkfifo(tmp_path / "real-fifo")
        target.symlink_to(tmp_path / "real-fifo")
    elif kind == "link to /dev/zero":
        target.symlink_to("/dev/zero")
    elif kind == "folder":
        target.mkdir()
    return target


SPECIAL = ["fifo", "link to fifo", "link to /dev/zero", "folder"]


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_settings_file_that_is_not_a_file_is_moved_aside_with_a_notice(
    kind: str, spasmcoach_home: Path, tmp_path: Path
) -> None:
    """QSettings would block forever on a FIFO: it is never handed one; the window starts with defaults."""
    spasmcoach_home.mkdir(parents=True)
    bad = special(tmp_path, kind)
    os.rename(bad, paths.settings_path())
    code = (
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from spasmcoach.gui.context import AppContext, open_settings;"
        "from spasmcoach.core.clock import FakeClock;"
        "ctx = AppContext(clock=FakeClock(), journal=None, audio=None, settings=open_settings());"
        "ctx.settings.setValue('muted', True); ctx.settings.sync();"
        "print([n.message for n in ctx.notifier.history])"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG, env=env)
    assert result.returncode == 0, result.stderr
    assert "Your settings file could not be used" in result.stdout and "The old file was kept at" in result.stdout
    moved = list(spasmcoach_home.glob("settings.ini.damaged-*"))
    assert len(moved) == 1 and "muted=true" in paths.settings_path().read_text()


@pytest.mark.parametrize("kind", SPECIAL)
def test_report_onto_a_special_file_is_refused_at_once(kind: str, journal_with_entries: Path, tmp_path: Path) -> None:
    target = special(tmp_path, kind)
    result = cli("report", "-o", str(target))
    assert result.returncode == 1 and "Wrote" not in result.stdout
    line = one_clear_line(result)
    assert str(target) in line and ("not a regular file" in line or "is a folder" in line)


def test_report_onto_dev_full_fails_and_says_so(journal_with_entries: Path) -> None:
    """It once printed 'Wrote /dev/full (1 page)' and exited 0."""
    result = cli("report", "-o", "/dev/full")
    assert result.returncode == 1 and "Wrote" not in result.stdout
    assert "/dev/full" in one_clear_line(result)


@pytest.mark.parametrize("kind", SPECIAL)
def test_validate_on_a_special_file_answers_at_once(kind: str, tmp_path: Path) -> None:
    target = special(tmp_path, kind)
    result = cli("validate", str(target))
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_journal_that_is_not_a_file_is_refused_at_once(kind: str, spasmcoach_home: Path, tmp_path: Path) -> None:
    """SQLite's header check opened it with open(), which waited forever on a FIFO."""
    from spasmcoach.gui.app import open_journal

    spasmcoach_home.mkdir(parents=True)
    os.rename(special(tmp_path, kind), paths.journal_path())
    for args in (["log"], ["log", "--csv"], ["report", "-o", str(tmp_path / "r.pdf")]):
        result = cli(*args)
        assert result.returncode == 1
        line = one_clear_line(result)
        assert str(paths.journal_path()) in line and ("not a regular file" in line or "folder" in line)
    notifier = Notifier()
    assert open_journal(notifier) is None and "journal" in notifier.history[-1].message


@pytest.mark.parametrize("kind", ["fifo", "link to fifo", "link to /dev/zero"])
def test_a_sound_file_that_is_not_a_file_is_refused_without_blocking(kind: str, tmp_path: Path) -> None:
    """The sound thread once opened a cue with wave.open(), which waits forever on a FIFO."""
    from spasmcoach.audio.wav import is_playable_wav

    target = special(tmp_path, kind)
    code = f"import pathlib, spasmcoach.audio.wav as w; print(w.is_playable_wav(pathlib.Path({str(target)!r})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG, cwd=ROOT)
    assert result.stdout.strip() == "False"
    assert not is_playable_wav(tmp_path / "missing.wav")


@pytest.mark.parametrize("kind", SPECIAL)
def test_an_illustration_that_is_not_a_file_is_refused(kind: str, tmp_path: Path) -> None:
    target = special(tmp_path, kind)
    started = time.monotonic()
    with pytest.raises(svg_check.UnsafeSvgError, match="cannot be used"):
        svg_check.read_svg(target)
    assert time.monotonic() - started < 1


# -- C. damaged timer state: bounded, moved aside, never a traceback -------------------------------------------


def saved_state(home: Path) -> dict[str, object]:
    """A real state file with one running ice timer, as the app saves it."""
    home.mkdir(parents=True, exist_ok=True)
    manager = TimerManager(FakeClock(), restore=False)
    presets, _errors = load_all_presets()
    manager.start(presets["ice-20"])
    document: dict[str, object] = json.loads(paths.timers_state_path().read_text())
    return document


def damaged(document: dict[str, object], key: str, value: object) -> bytes:
    timers = document["timers"]
    assert isinstance(timers, list)
    timers[0][key] = value
    return json.dumps(document).encode()


def deep(levels: int) -> bytes:
    return b'{"format": 1, "timers": [' + b"[" * levels + b"]" * levels + b"]}"


DAMAGE: dict[str, object] = {
    "nested 100,000 deep": lambda doc: deep(100_000),
    "nested 900 deep": lambda doc: deep(900),
    "objects nested 5,000 deep": lambda doc: (
        b'{"format": 1, "timers": [' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"]}"
    ),
    "elapsed 1e308": lambda doc: damaged(doc, "elapsed_at_anchor", 1e308),
    "elapsed 1e20": lambda doc: damaged(doc, "elapsed_at_anchor", 1e20),
    "anchor -1e308": lambda doc: damaged(doc, "anchor_monotonic", -1e308),
    "anchor -1e20": lambda doc: damaged(doc, "anchor_monotonic", -1e20),
    "time scale 1e-9": lambda doc: damaged(doc, "time_scale", 1e-9),
    "time scale 1e-300": lambda doc: damaged(doc, "time_scale", 1e-300),
    "time scale 1e308": lambda doc: damaged(doc, "time_scale", 1e308),
    "added 1e308": lambda doc: damaged(doc, "added", [1e308]),
    "NaN": lambda doc: damaged(doc, "elapsed_at_anchor", 0.5).replace(b"0.5", b"NaN"),
    "Infinity": lambda doc: damaged(doc, "elapsed_at_anchor", 0.5).replace(b"0.5", b"-Infinity"),
    "1e999": lambda doc: damaged(doc, "elapsed_at_anchor", 0.5).replace(b"0.5", b"1e999"),
    "a 4,000-digit integer": lambda doc: damaged(doc, "fired", 0).replace(b'"fired": 0', b'"fired": ' + b"9" * 4000),
    "year 9999": lambda doc: damaged(doc, "anchor_wall", "9999-12-31T23:59:59+00:00"),
    "year 1": lambda doc: damaged(doc, "started_at", "0001-01-01T00:00:00+00:00"),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_timer_state_is_moved_aside_and_the_app_starts_clean(damage: object, spasmcoach_home: Path) -> None:
    """Once RecursionError / OverflowError tracebacks that killed the late start-up (no Timers page)."""
    state = paths.timers_state_path()
    state.write_bytes(damage(saved_state(spasmcoach_home)))  # type: ignore[operator]
    notifier = Notifier()
    manager = TimerManager(FakeClock(), notifier=notifier)
    assert manager.timers == [] and manager.recovered_from is not None
    assert manager.recovered_from.exists() and not state.exists()
    assert manager.recovery_reason and "Traceback" not in manager.recovery_reason
    presets, _errors = load_all_presets()
    manager.start(presets["ice-20"])  # and the fresh start works and saves
    assert json.loads(state.read_text())["timers"][0]["preset"]["id"] == "ice-20"


@pytest.mark.parametrize("damage", ["nested 100,000 deep", "elapsed 1e308", "time scale 1e-9"])
def test_the_timers_command_names_a_damaged_state_file(damage: str, spasmcoach_home: Path) -> None:
    paths.timers_state_path().write_bytes(DAMAGE[damage](saved_state(spasmcoach_home)))  # type: ignore[operator]
    result = cli("timers")
    assert result.returncode == 1
    assert "cannot be used" in one_clear_line(result)


def test_the_state_parser_never_recurses_on_what_it_was_given() -> None:
    with pytest.raises(StateFileError, match="nests deeper"):
        parse_state_json(b"[" * 50 + b"]" * 50)
    assert parse_state_json(b'{"format": 1, "timers": []}') == {"format": 1, "timers": []}


# -- D. illustrations are untrusted --------------------------------------------------------------------------------

HOSTILE_SVGS = {
    "absolute href": (SVG_HEAD + '<image href="/etc/passwd" width="9" height="9"/>\n</svg>', 2, "/etc/passwd"),
    "xlink href up": (SVG_HEAD + '<rect/>\n<image xlink:href="../../secret.png"/>\n</svg>', 3, "../../secret.png"),
    "stdin": (SVG_HEAD + '<image href="/dev/stdin"/>\n</svg>', 2, "/dev/stdin"),
    "file url": (SVG_HEAD + '<use href="file:///etc/shadow#x"/>\n</svg>', 2, "file:///etc/shadow"),
    "css import": (SVG_HEAD + "<style>\n@import url(/etc/x.css);\n</style>\n</svg>", 2, "@import"),
    "css url": (SVG_HEAD + '<rect style="fill: url(/tmp/other.svg#g)"/>\n</svg>', 2, "/tmp/other.svg"),
    "entities": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "xxxxxxxxxx"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
        2,
        "DOCTYPE",
    ),
    "external DTD": (
        '<!DOCTYPE svg SYSTEM "file:///etc/passwd">\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        1,
        "DOCTYPE",
    ),
    "style sheet": ('<?xml-stylesheet href="/etc/x.css"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', 1, "x.css"),
    "embedded image": (SVG_HEAD + '<image href="data:image/png;base64,iVBORw0KGgo="/>\n</svg>', 2, "data:"),
    "dashes": (SVG_HEAD + '<path d="M0 0 L40 30" stroke="#000" stroke-dasharray="0.01 0.01"/>\n</svg>', 2, "minutes"),
    "blur": (SVG_HEAD + '<filter id="f"><feGaussianBlur stdDeviation="900"/></filter>\n</svg>', 2, "minutes"),
    "use bomb": (
        SVG_HEAD
        + '<g id="g0"><rect width="1" height="1"/></g>\n'
        + "".join(f'<g id="g{i + 1}">' + f'<use href="#g{i}"/>' * 10 + "</g>\n" for i in range(7))
        + "</svg>",
        0,
        "20,000",
    ),
    "use loop": (SVG_HEAD + '<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>\n</svg>', 0, "loop"),
}


@pytest.mark.parametrize("svg", HOSTILE_SVGS.values(), ids=HOSTILE_SVGS.keys())
def test_a_hostile_illustration_is_refused_at_validation_with_the_svg_line(
    svg: tuple[str, int, str], spasmcoach_home: Path
) -> None:
    text, line, words = svg
    art = spasmcoach_home / "illustrations"
    art.mkdir(parents=True)
    (art / "evil.svg").write_text(text)
    routine = write_routine(spasmcoach_home, "pictured", ROUTINE.format(image="evil.svg"))
    with pytest.raises(RoutineFileError) as info:
        loader.load_routine(routine, images=[art])
    message = str(info.value.problems[0])
    assert message.startswith(f"{routine}:7:12: steps[0].image: the picture evil.svg{f':{line}' if line else ''}: ")
    assert words in message
    result = cli("validate", str(routine))
    assert result.returncode == 1 and "evil.svg" in result.stdout + result.stderr


def test_a_50_mb_svg_is_refused_quickly_without_reading_it(tmp_path: Path) -> None:
    """It froze the player 3 s and took 845 MiB; now it is refused from its size alone."""
    huge = tmp_path / "huge.svg"
    with huge.open("wb") as out:
        out.write(SVG_HEAD.encode())
        out.write(b'<rect width="1" height="1"/>\n' * (50 * 1024 * 1024 // 29))
        out.write(b"</svg>")
    script = tmp_path / "measure.py"
    script.write_text(
        "import resource, sys, time\n"
        "from pathlib import Path\n"
        "from spasmcoach.core.svg_check import UnsafeSvgError, read_svg\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "started = time.monotonic()\n"
        "try:\n"
        f"    read_svg(Path({str(huge)!r}))\n"
        "except UnsafeSvgError as exc:\n"
        "    print(exc)\n"
        "print(time.monotonic() - started)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=HANG, cwd=ROOT)
    message, seconds, grew_kib = result.stdout.splitlines()
    assert "is too large" in message and "at most 2,097,152" in message
    assert float(seconds) < 0.5 and int(grew_kib) < 8 * 1024  # not read: the size alone refuses it


def heavy_svg(shapes: int) -> str:
    """A picture within every limit that still takes Qt a noticeable while to draw (about 12 ms a shape
    at 1600 x 1000 on the test machine)."""
    body = "".join(
        f'<path d="M{i % 40} 0 Q40 {i % 30} 0 30 T40 {i % 17} Q3 7 39 29 T1 1 Z" fill="#{i * 40503 % 0xFFFFFF:06x}" '
        'fill-opacity="0.6" stroke="#123" stroke-width="2" stroke-linejoin="round"/>\n'
        for i in range(shapes)
    )
    return SVG_HEAD + body + "</svg>"


def watch_event_loop(qtbot: QtBot, view: QWidget, frames: list[Path]) -> tuple[float, float]:
    """Show ``frames`` in ``view`` under a 10 ms watchdog QTimer: (seconds set_images took, longest stall)."""
    ticks: list[float] = []
    watchdog = QTimer()
    watchdog.setInterval(10)
    watchdog.timeout.connect(lambda: ticks.append(time.monotonic()))
    watchdog.start()
    started = time.monotonic()
    view.set_images(frames)  # type: ignore[attr-defined]
    set_images_took = time.monotonic() - started
    qtbot.waitUntil(lambda: view.ready, timeout=120_000)  # type: ignore[attr-defined]
    view.grab()  # paints the drawn frame: the GUI thread's share of the work
    qtbot.wait(30)
    watchdog.stop()
    stall = max(b - a for a, b in zip([started, *ticks], [*ticks, time.monotonic()], strict=True))
    return set_images_took, stall


@pytest.mark.slow
def test_a_heavy_picture_never_stalls_the_window(qtbot: QtBot, spasmcoach_home: Path) -> None:
    """Four frames of a heavy drawing: the event loop keeps turning while they are checked and drawn, and
    painting the result is quick. Drawn on the GUI thread (the old way) they stalled it 0.6 s a frame."""
    from spasmcoach.gui.illustration import IllustrationView

    art = spasmcoach_home / "illustrations"
    art.mkdir(parents=True)
    frames = []
    for n in range(4):
        frames.append(art / f"heavy-{n}.svg")
        frames[-1].write_text(heavy_svg(50).replace("#123", f"#12{n}"))
    assert not svg_check.check_svg_bytes(frames[0].read_bytes())
    view = IllustrationView()
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    view.show()
    set_images_took, stall = watch_event_loop(qtbot, view, frames)
    assert view.frames >= 1 and not view.missing
    assert set_images_took < 0.05, f"set_images blocked {set_images_took:.3f} s"
    assert stall < 0.25, f"the event loop stalled {stall:.3f} s"


@pytest.mark.slow
def test_pictures_too_slow_to_draw_cost_one_frame_not_the_step(qtbot: QtBot, spasmcoach_home: Path) -> None:
    """Frames that take seconds each: after the step's budget the rest are left out, so the worker is soon
    free again for the next step (and for quitting), and the window never waited."""
    from spasmcoach.gui.illustration import STEP_BUDGET_S, IllustrationView

    art = spasmcoach_home / "illustrations"
    art.mkdir(parents=True)
    frames = [art / f"slow-{n}.svg" for n in range(6)]
    for frame in frames:
        frame.write_text(heavy_svg(400))
    view = IllustrationView()
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    view.show()
    started = time.monotonic()
    _took, stall = watch_event_loop(qtbot, view, frames)
    elapsed = time.monotonic() - started
    assert 1 <= view.frames < 6
    per_frame = elapsed / view.frames
    assert elapsed < STEP_BUDGET_S + per_frame + 1
    assert stall < 0.25, f"the event loop stalled {stall:.3f} s"


# -- E. a failed write says so -------------------------------------------------------------------------------------


def test_report_on_a_full_disk_fails_and_leaves_no_file(journal_with_entries: Path, tmp_path: Path) -> None:
    with tiny_tmpfs(tmp_path) as disk:
        result = cli("report", "-o", str(disk / "report.pdf"))
        assert result.returncode == 1 and "Wrote" not in result.stdout
        line = one_clear_line(result)
        assert "No space left on device" in line and "Nothing was saved" in line
        assert sorted(p.name for p in disk.iterdir()) == []  # no truncated report, no temp file


def test_a_full_disk_keeps_the_previous_report_whole(journal_with_entries: Path, tmp_path: Path) -> None:
    with tiny_tmpfs(tmp_path, "64k") as disk:
        old = disk / "report.pdf"
        old.write_bytes(b"%PDF-1.4 the previous report\n%%EOF\n")
        fill(disk)
        result = cli("report", "-o", str(old))
        assert result.returncode == 1
        assert old.read_bytes() == b"%PDF-1.4 the previous report\n%%EOF\n"
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "report.pdf"]


def test_a_300_character_report_name_gives_a_clear_message(journal_with_entries: Path, tmp_path: Path) -> None:
    result = cli("report", "-o", str(tmp_path / ("r" * 300 + ".pdf")))
    assert result.returncode == 1
    assert "255 bytes" in one_clear_line(result)


def test_the_timer_state_on_a_full_disk_keeps_its_last_good_copy(tmp_path: Path) -> None:
    with tiny_tmpfs(tmp_path, "64k") as disk:
        state = disk / "timers.json"
        manager = TimerManager(FakeClock(), state_path=state, notifier=Notifier())
        presets, _errors = load_all_presets()
        manager.start(presets["ice-20"])
        good = state.read_bytes()
        fill(disk)
        manager.start(presets["heat-20"])
        assert manager.save_error is not None and state.read_bytes() == good
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "timers.json"]


def test_history_csv_export_on_a_full_disk_or_a_fifo_says_so(
    qtbot: QtBot, journal_with_entries: Path, tmp_path: Path
) -> None:
    from spasmcoach.gui.history.view import HistoryView

    with Journal.open() as journal:
        view = HistoryView(journal)
        qtbot.addWidget(view)
        os.mkfifo(tmp_path / "pipe.csv")
        with pytest.raises(StorageError, match="pipe"):
            view.export_csv(tmp_path / "pipe.csv")
        view.ask_save_path = lambda *args: str(tmp_path / "pipe.csv")  # type: ignore[method-assign]
        view._export_csv_clicked()
        assert view.status.text().startswith("The CSV was not saved.") and "pipe (FIFO)" in view.status.text()
        with tiny_tmpfs(tmp_path) as disk:
            fill(disk)
            with pytest.raises(StorageError, match="No space left"):
                view.export_csv(disk / "history.csv")
            assert not (disk / "history.csv").exists()
        view.export_csv(tmp_path / "history.csv")
        assert "," in (tmp_path / "history.csv").read_text()  # and where there is room, it is written
        assert view.status.text().startswith("Saved")


# -- F. the command line tells the truth about the data folder and the terminal -------------------------------------

COMMANDS = [
    ["list"],
    ["show", "warm-up"],
    ["log"],
    ["log", "--csv"],
    ["timers"],
    ["validate"],
    ["report", "-o", "r.pdf"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_data_folder_that_is_a_file_gives_one_clear_line(args: list[str], spasmcoach_home: Path) -> None:
    spasmcoach_home.parent.mkdir(parents=True, exist_ok=True)
    spasmcoach_home.write_text("not a folder")
    result = cli(*args)
    assert result.returncode == 2, result.stdout
    line = one_clear_line(result)
    assert str(spasmcoach_home) in line and "is a file" in line and paths.HOME_ENV in line


@pytest.mark.parametrize(
    ("home", "limit"),
    [
        ("/tmp/" + "n" * 300 + "/home", "at most 255"),
        ("/tmp/" + "/".join(["d" * 200] * 25), "4,096 bytes"),
        ("/tmp/" + "/".join(["s" * 100] * 5), "SQLite allows at most 512"),
    ],
    ids=["a name over 255 bytes", "a path over 4096 bytes", "past SQLite's 512"],
)
def test_a_data_folder_path_too_long_names_the_limit(home: str, limit: str) -> None:
    result = cli("log", env={paths.HOME_ENV: home})
    assert result.returncode == 2
    assert limit in one_clear_line(result)
    with pytest.raises(paths.DataDirError, match=limit.split()[-1]):
        paths.ensure_data_dir({paths.HOME_ENV: home})


def test_the_window_starts_with_a_notice_when_the_data_folder_path_is_too_long(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spasmcoach.gui.app import open_journal
    from spasmcoach.gui.context import AppContext, open_settings

    monkeypatch.setenv(paths.HOME_ENV, "/tmp/" + "/".join(["d" * 200] * 25))
    notifier = Notifier()
    assert open_journal(notifier) is None
    assert "4,096 bytes" in notifier.history[-1].message
    ctx = AppContext(clock=FakeClock(), journal=None, audio=None, notifier=notifier, settings=open_settings())
    manager = TimerManager(FakeClock(), notifier=notifier)  # restoring does not raise; saving says why
    presets, _errors = load_all_presets()
    manager.start(presets["ice-20"])
    assert manager.save_error is not None and ctx.settings is not None


def test_speech_into_a_data_folder_that_is_a_file_fails_quietly(spasmcoach_home: Path) -> None:
    """It once raised NotADirectoryError from the speech thread's clean-up (a traceback in the log)."""
    from spasmcoach.audio.speech import Speech

    spasmcoach_home.parent.mkdir(parents=True, exist_ok=True)
    spasmcoach_home.write_text("not a folder")
    speech = Speech()
    if not speech.available:
        pytest.skip("espeak-ng is not installed")
    assert speech.render("Breathe out slowly.") is None


UNICODE_ROUTINE = """title: "Rücken — sanft ☺ 背中"
kind: release
steps:
  - name: "Knie → Brust"
    instructions: "Ruhig atmen · langsam"
    duration: 30
"""

TERMINALS = {
    "C locale, no coercion (ASCII)": {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
    "ISO-8859-1 terminal": {"PYTHONIOENCODING": "iso-8859-1", "LC_ALL": "C", "PYTHONUTF8": "0"},
}


@pytest.mark.parametrize("terminal", TERMINALS.values(), ids=TERMINALS.keys())
@pytest.mark.parametrize("args", [["list"], ["show", "soft"], ["log"], ["validate"]], ids=" ".join)
def test_terminal_commands_degrade_gracefully_without_utf8(
    args: list[str], terminal: dict[str, str], spasmcoach_home: Path
) -> None:
    write_routine(spasmcoach_home, "soft", UNICODE_ROUTINE)
    write_routine(spasmcoach_home, "broken", 'title: "Kaputt ☹ —"\nkind: nope\nsteps: []\n')
    with Journal.open() as journal:
        session = journal.start_session("soft", "Soft", pain_before=6, steps_total=1)
        journal.end_session(session, outcome="completed", steps_done=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    done = subprocess.run(
        [sys.executable, "-m", "spasmcoach", *args],
        capture_output=True,
        timeout=HANG,
        env={**env, **terminal},
        cwd=ROOT,
    )
    assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr, done.stderr
    assert done.returncode == (1 if args == ["validate"] else 0)
    shown = done.stdout.decode("latin-1")
    expected = {"list": "soft", "show": "Knie", "log": "soft", "validate": "broken.yaml"}[args[0]]
    assert expected in shown + done.stderr.decode("latin-1")


def test_tolerant_streams_escape_what_the_terminal_cannot_show() -> None:
    from spasmcoach.commands.main import tolerant

    raw = io.BytesIO()
    stream = tolerant(io.TextIOWrapper(raw, encoding="ascii"))
    stream.write("Knie → Brust ☺\n")
    stream.flush()
    assert raw.getvalue() == b"Knie \\u2192 Brust \\u263a\n"
