"""Faults and bad input around the app: unsafe asset paths, and a hostile environment.

Path safety: image and sound references that are absolute, contain ``..`` or are symlinks leading out of
their folder are refused, by the loader with ``file:line:col`` and by the player with a placeholder.
Environment: no audio backend, missing or damaged illustrations, a data folder that cannot be written
(unusable path, read-only journal, full disk), a damaged journal, and wall-clock jumps. In every case the
routine still runs to its end or stops cleanly, the user gets one plain notice, and nothing is deleted.

The full-disk cases run the window in a child process with ``RLIMIT_FSIZE`` (and, where the kernel lets
us, on a tiny tmpfs in a private mount namespace) so the limit can never touch the test runner's files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from gui_helpers import RecordingSink, write_routine
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from spasmcoach.audio import AudioPlayer, Sound
from spasmcoach.core import loader, paths, resources
from spasmcoach.core.clock import BootClock, FakeClock, MonotonicClock, ScaledClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.notify import Notifier
from spasmcoach.core.runner import Runner, RunnerState
from spasmcoach.core.timers import TimerManager, load_presets, read_boot_id
from spasmcoach.core.yamlsource import RoutineFileError
from spasmcoach.gui.context import AppContext, open_settings
from spasmcoach.gui.main_window import MainWindow

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 30'><rect width='40' height='30' fill='#3a7'/></svg>"
PLACEHOLDER_INK = QColor("#9AA5B1")  # the stick figure of IllustrationView's placeholder
SHORT = """title: Short
kind: rest
get_ready: 2
steps:
  - name: Lie down
    duration: 6
    image: {image}
  - name: Knee hug
    hold: 5
    reps: 2
    rest: 2
    sides: both
"""
SHORT_TOTAL = 2 + 6 + 2 + 4 * 5 + 3 * 2


def routine_with_image(image: str) -> str:
    """The SHORT routine with ``image`` as its first step's picture."""
    return SHORT.format(image=image)


def load_errors(path: Path, images: list[Path]) -> list[str]:
    """The problem lines for ``path``; fails if it loads."""
    with pytest.raises(RoutineFileError) as info:
        loader.load_routine(path, images=images)
    return [str(p) for p in info.value.problems]


# -- path safety: the loader ------------------------------------------------------------------------------


@pytest.fixture
def art(tmp_path: Path) -> dict[str, Path]:
    """An illustration folder with a.svg, and a folder outside it holding a real, valid secret.svg."""
    inside, outside = tmp_path / "illustrations", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    (inside / "a.svg").write_text(SVG)
    (outside / "secret.svg").write_text(SVG)
    (outside / "a.svg").write_text(SVG)
    return {"inside": inside, "outside": outside}


UNSAFE_NAMES = {
    "absolute": "{outside}/secret.svg",
    "dot-dot": "../outside/secret.svg",
    "dot-dot later": "x/../../outside/secret.svg",
    "dot-dot at end": "a.svg/..",
    "backslash dot-dot": "..\\outside\\secret.svg",
    "windows drive": "C:\\outside\\secret.svg",
    "windows drive-relative": "C:secret.svg",
    "unc share": "\\\\server\\share\\secret.svg",
    "dot then dot-dot": "./../outside/secret.svg",
    "home": "~/../../{outside}/secret.svg",
}


@pytest.mark.parametrize("pattern", UNSAFE_NAMES.values(), ids=UNSAFE_NAMES.keys())
def test_image_references_that_leave_the_folder_are_refused(
    pattern: str, art: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Absolute names and ``..`` are refused with file:line:col even when the target exists and is valid."""
    monkeypatch.chdir(tmp_path)
    name = pattern.format(outside=art["outside"])
    path = tmp_path / "r.yaml"
    path.write_text(routine_with_image(json.dumps(name)))
    reason = "must stay inside the asset folder (no absolute path, no '..')"
    assert load_errors(path, [art["inside"]]) == [f"r.yaml:7:12: steps[0].image: '{name}' {reason}"]


def make_link(link: Path, target: Path) -> Path:
    """Create ``link`` pointing at ``target`` and return it."""
    link.symlink_to(target)
    return link


SYMLINKS = {
    "file to outside": lambda d: (make_link(d["inside"] / "s.svg", d["outside"] / "secret.svg"), "s.svg"),
    "folder to outside": lambda d: (make_link(d["inside"] / "sub", d["outside"]), "sub/secret.svg"),
    "chain via inside": lambda d: (
        make_link(d["inside"] / "hop2.svg", d["outside"] / "secret.svg"),
        make_link(d["inside"] / "hop1.svg", d["inside"] / "hop2.svg"),
        "hop1.svg",
    ),
    "relative to outside": lambda d: (make_link(d["inside"] / "rel.svg", Path("../outside/secret.svg")), "rel.svg"),
}


@pytest.mark.parametrize("build", SYMLINKS.values(), ids=SYMLINKS.keys())
def test_symlinks_that_lead_out_of_the_folder_are_refused(
    build: object, art: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link (to a file, to a folder, through another link, relative, dangling) that leaves is refused."""
    monkeypatch.chdir(tmp_path)
    name = build(art)[-1]  # type: ignore[operator]
    path = tmp_path / "r.yaml"
    path.write_text(routine_with_image(name))
    assert load_errors(path, [art["inside"]]) == [
        f"r.yaml:7:12: steps[0].image: '{name}' must stay inside the asset folder (the link leads outside it)"
    ]


def test_a_dangling_link_out_of_the_folder_is_refused_before_and_after_its_target_appears(
    art: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link to a file outside that does not exist yet is refused, and still refused once it does."""
    monkeypatch.chdir(tmp_path)
    make_link(art["inside"] / "later.svg", art["outside"] / "later.svg")
    path = tmp_path / "r.yaml"
    path.write_text(routine_with_image("later.svg"))
    (dangling,) = load_errors(path, [art["inside"]])
    assert dangling.startswith("r.yaml:7:12: steps[0].image: ") and "later.svg" in dangling
    (art["outside"] / "later.svg").write_text(SVG)
    assert load_errors(path, [art["inside"]]) == [
        "r.yaml:7:12: steps[0].image: 'later.svg' must stay inside the asset folder (the link leads outside it)"
    ]


def test_links_that_stay_inside_are_fine(art: dict[str, Path], tmp_path: Path) -> None:
    """The control: a link to a file in the same folder, and a linked illustration folder, both load."""
    make_link(art["inside"] / "alias.svg", Path("a.svg"))
    path = tmp_path / "r.yaml"
    path.write_text(routine_with_image("alias.svg"))
    assert loader.load_routine(path, images=[art["inside"]]).steps[0].images == ("alias.svg",)
    linked_folder = make_link(tmp_path / "linked", art["inside"])
    assert loader.load_routine(path, images=[linked_folder]).steps[0].images == ("alias.svg",)


def test_a_user_link_cannot_stand_in_for_a_bundled_illustration(spasmcoach_home: Path, art: dict[str, Path]) -> None:
    """A link in the user's illustration folder named like a bundled picture makes that routine refuse to
    load (with the reason) rather than show a file from elsewhere."""
    bundled = loader.load_routine(resources.routines_dir() / "lower-back-release.yaml")
    name = next(image for step in bundled.steps for image in step.images)
    user_art = spasmcoach_home / "illustrations"
    user_art.mkdir(parents=True)
    make_link(user_art / name, art["outside"] / "secret.svg")
    library = loader.load_library()
    assert "lower-back-release" not in library.routines
    error = next(e for e in library.errors if e.file.endswith("lower-back-release.yaml"))
    assert f"'{name}' must stay inside the asset folder (the link leads outside it)" in str(error)
    assert library.routines, "the other routines still load"


# -- path safety: the player and the sounds ----------------------------------------------------------------


def test_the_player_shows_a_placeholder_for_a_link_planted_after_loading(
    qtbot: QtBot, spasmcoach_home: Path, art: dict[str, Path]
) -> None:
    """If a picture becomes a link to elsewhere after the routine was loaded, the player will not open it."""
    user_art = spasmcoach_home / "illustrations"
    user_art.mkdir(parents=True)
    (user_art / "mine.svg").write_text(SVG)
    write_routine(spasmcoach_home, "short", routine_with_image("mine.svg"))
    window, _clock = make_window(qtbot, spasmcoach_home)
    (user_art / "mine.svg").unlink()
    make_link(user_art / "mine.svg", art["outside"] / "secret.svg")
    window.start_routine("short", prompt=False)
    view = window.player.illustration
    qtbot.waitUntil(lambda: view.ready)  # pictures are checked and drawn off the GUI thread
    assert view.missing and view.frames == 0
    assert placeholder_drawn(view)


class StartedSound:
    """A stand-in for a playing sound that finishes at once."""

    def is_alive(self) -> bool:
        """Already finished."""
        return False

    def stop(self) -> None:
        """Nothing to stop."""

    def exit_code(self) -> int | None:
        """Ended normally."""
        return 0


def test_a_cue_file_that_is_a_link_out_of_the_sounds_folder_is_never_played(
    art: dict[str, Path], tmp_path: Path
) -> None:
    """The audio player refuses a cue file that leads elsewhere and still plays the honest ones."""
    sounds = tmp_path / "sounds"
    sounds.mkdir()
    real = resources.sounds_dir()
    shutil.copy(real / "tick.wav", sounds / "tick.wav")
    shutil.copy(real / "hold.wav", art["outside"] / "evil.wav")
    make_link(sounds / "hold.wav", art["outside"] / "evil.wav")
    played: list[Path] = []
    tick_reached = threading.Event()

    def backend(path: Path) -> StartedSound:
        """Record the file the player chose."""
        played.append(path)
        if path.name == "tick.wav":
            tick_reached.set()
        return StartedSound()

    with AudioPlayer(sounds, clock=FakeClock(), backend=backend, speech=NoSpeech()) as player:  # type: ignore[arg-type]
        player.play(Sound.HOLD)
        player.play(Sound.TICK)  # queued after HOLD, so HOLD has been dealt with once TICK reaches the backend
        assert tick_reached.wait(10)
    assert played == [sounds / "tick.wav"]


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "hold.wav", "HOLD", ""])
def test_cue_names_are_a_closed_list(name: str) -> None:
    """Only the known cues can be asked for: a path or file name is refused before anything is queued."""
    with AudioPlayer(clock=FakeClock(), backend=lambda _p: StartedSound(), speech=NoSpeech()) as player:  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            player.play(name)
        assert player._worker is None  # nothing was queued, so no thread was ever started


# -- the window in a hostile environment -------------------------------------------------------------------


class NoSpeech:
    """Stands in for espeak-ng where a test wants no speech at all."""

    available = False

    def render(self, text: str) -> None:
        """No speech engine: nothing to render."""

    def close(self) -> None:
        """Nothing to close."""


def make_window(
    qtbot: QtBot, home: Path, *, journal: Journal | None | str = "open", notifier: Notifier | None = None
) -> tuple[MainWindow, FakeClock]:
    """A shown main window on a fake clock with a recording sink; ``journal='open'`` opens the real one."""
    clock = FakeClock()
    notifier = notifier or Notifier()
    if journal == "open":
        home.mkdir(parents=True, exist_ok=True)
        journal = Journal.open()
    assert not isinstance(journal, str)
    ctx = AppContext(clock=clock, journal=journal, audio=RecordingSink(), notifier=notifier, settings=open_settings())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, clock


def run_to_end(window: MainWindow, clock: FakeClock, seconds: float = SHORT_TOTAL + 1) -> None:
    """Let the routine's time pass in large steps, waking the driver as its timer would."""
    assert window.driver is not None and window.session is not None
    for _ in range(int(seconds // 3) + 1):
        if window.session.finished:
            return
        clock.advance(3)
        window.driver.tick()


def placeholder_drawn(view: object) -> bool:
    """True if the illustration area shows the placeholder figure's grey ink."""
    image = view.grab().toImage()  # type: ignore[attr-defined]
    ink = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if abs(c.red() - 0x9A) < 10 and abs(c.green() - 0xA5) < 10 and abs(c.blue() - 0xB1) < 10:
                ink += 1
    return ink > 50


DAMAGE = {
    "deleted": lambda p: p.unlink(),
    "garbage": lambda p: p.write_bytes(os.urandom(2048)),
    "truncated": lambda p: p.write_text(SVG[: len(SVG) // 2]),
    "empty": lambda p: p.write_bytes(b""),
    "not svg": lambda p: p.write_text("<html><body>hello</body></html>"),
    "now a folder": lambda p: (p.unlink(), p.mkdir()),
}


@pytest.mark.qt_log_ignore(r"(?i)svg|xml|parse|could not|cannot|error")
@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_missing_or_damaged_illustration_shows_a_placeholder_and_the_routine_runs(
    damage: object, qtbot: QtBot, spasmcoach_home: Path
) -> None:
    """The picture vanished or was damaged after loading: a calm placeholder, and the routine goes on."""
    user_art = spasmcoach_home / "illustrations"
    user_art.mkdir(parents=True)
    picture = user_art / "mine.svg"
    picture.write_text(SVG)
    write_routine(spasmcoach_home, "short", routine_with_image("mine.svg"))
    window, clock = make_window(qtbot, spasmcoach_home)
    damage(picture)  # type: ignore[operator]
    window.start_routine("short", prompt=False)
    view = window.player.illustration
    qtbot.waitUntil(lambda: view.ready)  # pictures are checked and drawn off the GUI thread
    assert view.missing and view.frames == 0
    assert placeholder_drawn(view)
    run_to_end(window, clock)
    assert window.session is not None and window.session.finished
    assert window.stack.currentWidget() is window.finish_page
    assert window.ctx.journal is not None and window.ctx.journal.sessions()[0].steps_done == 2


@pytest.mark.qt_log_ignore(r"(?i)svg|xml|parse|could not|cannot|error")
def test_one_damaged_frame_of_an_animation_leaves_the_good_one(qtbot: QtBot, spasmcoach_home: Path) -> None:
    """Of two frames, the readable one is still shown (no placeholder, no flicker to a blank frame)."""
    user_art = spasmcoach_home / "illustrations"
    user_art.mkdir(parents=True)
    (user_art / "f-1.svg").write_text(SVG)
    (user_art / "f-2.svg").write_text(SVG)
    write_routine(spasmcoach_home, "short", routine_with_image("[f-1.svg, f-2.svg]").replace("image:", "images:"))
    window, _clock = make_window(qtbot, spasmcoach_home)
    (user_art / "f-2.svg").write_bytes(b"\x00garbage")
    window.start_routine("short", prompt=False)
    view = window.player.illustration
    qtbot.waitUntil(lambda: view.ready)  # pictures are checked and drawn off the GUI thread
    assert (view.missing, view.frames) == (False, 1)
    assert not placeholder_drawn(view)


@pytest.fixture
def unusable_home(request: pytest.FixtureRequest, spasmcoach_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SPASMCOACH_HOME pointing somewhere no folder can be made: under a file, or itself a file."""
    spasmcoach_home.parent.mkdir(parents=True, exist_ok=True)
    if request.param == "home is a file":
        spasmcoach_home.write_text("not a folder")
        return spasmcoach_home
    blocker = spasmcoach_home.parent / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv(paths.HOME_ENV, str(blocker / "home"))
    return blocker / "home"


@pytest.mark.parametrize("unusable_home", ["home is a file", "parent is a file"], indirect=True)
def test_an_unusable_data_folder_gives_one_notice_and_the_routine_still_runs(qtbot: QtBot, unusable_home: Path) -> None:
    """No journal can be opened: the app says so once, runs the routine, halts on a stop and never crashes."""
    from spasmcoach.gui.app import open_journal

    notifier = Notifier()
    journal = open_journal(notifier)
    assert journal is None
    window, clock = make_window(qtbot, unusable_home, journal=None, notifier=notifier)
    assert window.notice.isVisible()
    assert (
        "journal cannot be saved" in window.notice.text() and "Routines and timers still work" in window.notice.text()
    )
    assert str(unusable_home) in window.notice.text()
    # the routine comes from the bundled library, the only one left
    window.start_routine("warm-up", prompt=True)
    window.before.scale.buttons[4].click()
    assert window.session is not None and window.session.runner.state.active
    clock.advance(12)
    window.driver.tick()  # type: ignore[union-attr]
    window.player.stop_button.click()
    assert window.session.runner.state is RunnerState.STOPPED
    assert window.stop_page.saved.text() == "Your stop could not be saved in the journal."
    window.stop_page.finish.click()
    window.start_routine("warm-up", prompt=False)
    run_to_end(window, clock, window.session.routine.total + 1)
    assert window.stack.currentWidget() is window.finish_page and window.session.finished
    window.close()  # saving settings into the impossible folder must not raise either
    assert len([n for n in notifier.history if n.key == "journal-open"]) == 1


def make_read_only(journal: Journal) -> None:
    """From now on SQLite refuses every write to this journal with SQLITE_READONLY, as for a read-only file."""
    assert journal._conn is not None
    journal._conn.execute("PRAGMA query_only = ON")


def test_a_journal_that_turns_read_only_never_stops_the_routine(qtbot: QtBot, spasmcoach_home: Path) -> None:
    """Writes fail from the session start on: one plain notice naming the file; the routine completes."""
    write_routine(spasmcoach_home, "short", routine_with_image("knee-to-chest.svg"))
    window, clock = make_window(qtbot, spasmcoach_home)
    journal = window.ctx.journal
    assert journal is not None
    make_read_only(journal)
    window.start_routine("short", prompt=False)
    assert window.notice.isVisible()
    text = window.notice.text()
    assert text.startswith("Your journal could not be saved (session start)") and str(journal.path) in text
    assert "read-only" in text
    run_to_end(window, clock)
    assert window.session.finished and window.stack.currentWidget() is window.finish_page  # type: ignore[union-attr]
    assert len([n for n in window.ctx.notifier.history if n.key == "journal-write"]) == 1  # said once, not per write


def test_a_pain_stop_on_a_read_only_journal_still_halts_at_once(qtbot: QtBot, spasmcoach_home: Path) -> None:
    """The journal refuses the pain stop: the routine is halted and silenced anyway and the page says so."""
    write_routine(spasmcoach_home, "short", routine_with_image("knee-to-chest.svg"))
    window, clock = make_window(qtbot, spasmcoach_home)
    window.start_routine("short", prompt=False)
    clock.advance(9)
    window.driver.tick()  # type: ignore[union-attr]
    assert window.ctx.journal is not None
    make_read_only(window.ctx.journal)
    with qtbot.waitSignal(window.pain_stop_shown, timeout=2000) as shown:
        window.player.stop_button.click()
    assert shown.args[0].event_id is None and not shown.args[0].saved
    assert window.session.runner.state is RunnerState.STOPPED  # type: ignore[union-attr]
    assert window.ctx.audio.stops >= 1
    assert not window.driver.timer.isActive()  # type: ignore[union-attr]
    assert window.stop_page.saved.text().endswith(
        "is kept safe and will be saved in your journal when the journal can be written again."
    )
    assert "could not be saved (pain stop)" in window.notice.text()
    clock.advance(100)
    window.driver.tick()  # type: ignore[union-attr]
    assert window.session.runner.state is RunnerState.STOPPED  # type: ignore[union-attr]
    journal = window.ctx.journal
    assert journal is not None and journal._conn is not None
    assert [s.outcome for s in journal.sessions()] == [None]  # only the start made it to disk; the rest waits
    journal._conn.execute("PRAGMA query_only = OFF")  # writable again: the stop lands, then the end
    assert journal.flush_pending()
    assert [e.type for e in journal.events()] == ["session_start", "pain_stop", "session_end"]


@pytest.mark.skipif(os.geteuid() == 0, reason="chmod does not stop root from writing")
def test_a_read_only_data_folder_gives_a_notice_and_the_routine_runs(qtbot: QtBot, spasmcoach_home: Path) -> None:
    """A real read-only folder (where the OS enforces it): notice, and the routine runs to its end."""
    from spasmcoach.gui.app import open_journal

    spasmcoach_home.mkdir(parents=True)
    spasmcoach_home.chmod(0o500)
    try:
        notifier = Notifier()
        assert open_journal(notifier) is None
        window, clock = make_window(qtbot, spasmcoach_home, journal=None, notifier=notifier)
        assert "read-only" in window.notice.text()
        window.start_routine("warm-up", prompt=False)
        run_to_end(window, clock, window.session.routine.total + 1)  # type: ignore[union-attr]
        assert window.session.finished  # type: ignore[union-attr]
    finally:
        spasmcoach_home.chmod(0o700)


# The window in a child process, so a file-size limit or a private mount cannot touch the test runner.
CHILD = r"""
import json, os, resource, signal, sys
settings = json.loads(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing us

def limit_writes(size):
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

def fill_disk():
    try:
        with open(os.path.join(os.environ["SPASMCOACH_HOME"], "filler"), "wb", buffering=0) as filler:
            while True:
                filler.write(b"x" * 4096)
    except OSError:  # ENOSPC: the disk is now full
        pass

if settings["full_from_start"]:
    limit_writes(0) if settings["how"] == "rlimit" else fill_disk()
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from spasmcoach.core.clock import MonotonicClock, ScaledClock
from spasmcoach.core.notify import Notifier
from spasmcoach.gui.app import open_journal
from spasmcoach.gui.context import AppContext, open_settings
from spasmcoach.gui.main_window import MainWindow

class Sink:
    muted = False
    def play(self, cue, due=None): pass
    def say(self, text, due=None, **_): pass
    def prepare(self, texts): pass
    def stop_all(self): pass

notifier = Notifier()
journal = open_journal(notifier)
ctx = AppContext(clock=ScaledClock(MonotonicClock(), 40), journal=journal, audio=Sink(), notifier=notifier,
                 settings=open_settings())
window = MainWindow(ctx)
window.show()
loop = QEventLoop()
window.session_finished.connect(loop.quit)
window.pain_stop_shown.connect(loop.quit)
QTimer.singleShot(30_000, loop.quit)
window.start_routine(settings["routine"], prompt=False)
if not settings["full_from_start"]:
    limit_writes(0) if settings["how"] == "rlimit" else fill_disk()
if settings["pain_stop"]:
    QTimer.singleShot(200, window.pain_stop)
loop.exec()
session = window.session
report = {
    "journal_opened": journal is not None,
    "notices": [n.message for n in notifier.history],
    "state": str(session.runner.state),
    "steps_done": session.runner.steps_done,
    "page": window.stack.currentWidget().__class__.__name__,
    "stop_saved": window.stop_page.saved.text(),
}
window.close()
print("REPORT " + json.dumps(report))
"""


def tmpfs_available() -> bool:
    """True if this user may mount a tmpfs in a private mount namespace (root in most containers, not CI)."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True, timeout=10,
    )  # fmt: skip
    return probe.returncode == 0


def run_child(home: Path, how: str, *, full_from_start: bool, pain_stop: bool = False) -> dict[str, object]:
    """Run CHILD with a full disk (``rlimit``: EFBIG; ``tmpfs``: a real ENOSPC) and return its report."""
    home.mkdir(parents=True, exist_ok=True)
    write_routine(home, "short", routine_with_image("knee-to-chest.svg"))
    env = dict(os.environ, SPASMCOACH_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    settings = json.dumps({"how": how, "full_from_start": full_from_start, "pain_stop": pain_stop, "routine": "short"})
    command = [sys.executable, "-c", CHILD, settings]
    if how == "tmpfs":
        inner = f'mount -t tmpfs -o size=256k tmpfs "{home}" && cp -r "{home}.routines" "{home}/routines" && exec "$@"'
        shutil.copytree(home / "routines", f"{home}.routines")
        command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", inner, "sh", *command]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=90)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr[-2000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("REPORT "))
    return json.loads(line.removeprefix("REPORT "))


FULL_DISK = [
    "rlimit",
    pytest.param("tmpfs", marks=pytest.mark.skipif(not tmpfs_available(), reason="cannot mount a tmpfs here")),
]


@pytest.mark.parametrize("how", FULL_DISK)
def test_a_full_disk_from_the_start_gives_a_notice_and_the_routine_runs(how: str, spasmcoach_home: Path) -> None:
    """Nothing can be written at all: one notice about the journal, then the whole routine."""
    report = run_child(spasmcoach_home, how, full_from_start=True)
    assert report["journal_opened"] is False
    assert any("journal cannot be saved" in str(n) for n in report["notices"])  # type: ignore[attr-defined]
    assert (report["state"], report["steps_done"], report["page"]) == ("finished", 2, "FinishPage")


@pytest.mark.parametrize("how", FULL_DISK)
def test_a_disk_that_fills_during_the_routine_cannot_stop_a_pain_stop(how: str, spasmcoach_home: Path) -> None:
    """The disk fills after the start: the pain stop still halts, and the user is told truthfully where it is."""
    report = run_child(spasmcoach_home, how, full_from_start=False, pain_stop=True)
    assert report["journal_opened"] is True
    assert (report["state"], report["page"]) == ("stopped", "StopPage")
    assert str(report["stop_saved"]).endswith(
        "is kept while SpasmCoach stays open and will be saved in your journal when there is room on the disk. "
        "Please keep SpasmCoach open until then."
    )
    notices = [str(n) for n in report["notices"]]  # type: ignore[attr-defined]
    assert any(n.startswith("Your journal could not be saved (pain stop)") for n in notices), notices
    if how == "tmpfs":
        assert any("the disk is full" in n for n in notices), notices


def test_no_audio_backend_at_all_the_real_app_runs_the_routine(spasmcoach_home: Path) -> None:
    """The real app, real playsound3 discovery, a PATH with no player and no espeak-ng: it says sound is
    unavailable once and runs the routine to the end."""
    write_routine(spasmcoach_home, "short", routine_with_image("knee-to-chest.svg"))
    empty_bin = spasmcoach_home.parent / "empty-bin"
    empty_bin.mkdir()
    env = dict(
        os.environ, PATH=str(empty_bin), QT_QPA_PLATFORM="offscreen", SPASMCOACH_HOME=str(spasmcoach_home),
        SPASMCOACH_LOG_LEVEL="INFO", SPASMCOACH_TIME_SCALE="40", PYTHONUNBUFFERED="1",
    )  # fmt: skip
    app = subprocess.Popen(
        [sys.executable, "-m", "spasmcoach", "run", "short", "--no-prompt"], env=env, stderr=subprocess.PIPE, text=True
    )
    assert app.stderr is not None
    lines: list[str] = []
    try:
        for line in app.stderr:
            lines.append(line)
            if "session finished" in line or "Traceback" in line:
                break
    finally:
        app.terminate()
        rest = app.communicate(timeout=30)[1]
    log = "".join(lines) + rest
    assert "session finished: short" in log, log
    assert "Traceback" not in log
    assert log.count("sound is unavailable") == 1
    events = [json.loads(row) for row in journal_lines(spasmcoach_home)]
    assert [e["type"] for e in events] == ["session_start", "session_end"] and events[1]["data"][
        "outcome"
    ] == "completed"


def journal_lines(home: Path) -> list[str]:
    """``spasmcoach log --json`` for ``home``."""
    result = subprocess.run(
        [sys.executable, "-m", "spasmcoach", "log", "--json"], env=dict(os.environ, SPASMCOACH_HOME=str(home)),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_a_stop_pressed_as_the_routine_ends_still_stops(qtbot: QtBot, spasmcoach_home: Path) -> None:
    """Stop pressed in the instant between the routine's last second and the wake that would finish it
    (a busy computer, or simply bad luck) must still be a stop: silence, 'stopped', the step journaled."""
    write_routine(spasmcoach_home, "short", routine_with_image("knee-to-chest.svg"))
    window, clock = make_window(qtbot, spasmcoach_home)
    window.start_routine("short", prompt=False)
    clock.advance(SHORT_TOTAL - 0.5)
    window.driver.tick()  # type: ignore[union-attr]
    assert window.session.runner.state.active  # type: ignore[union-attr]
    before = len(window.ctx.audio.played)
    clock.advance(0.6)  # the end passes; the wake for it has not fired yet when the click arrives
    window.player.stop_button.click()
    assert window.stack.currentWidget() is window.stop_page
    assert window.ctx.audio.played[before:] == ["stopped"]
    assert window.session.runner.state is RunnerState.STOPPED  # type: ignore[union-attr]
    assert window.ctx.journal is not None
    stop = window.ctx.journal.events(types=["pain_stop"])[0]
    assert stop.step == "Knee hug"


# -- a damaged journal ---------------------------------------------------------------------------------------

JOURNAL_DAMAGE = {
    "garbage": lambda p: p.write_bytes(os.urandom(8192)),
    "text file": lambda p: p.write_text("my pain notes\n"),
    "damaged pages": lambda p: p.write_bytes(p.read_bytes()[:100] + os.urandom(len(p.read_bytes()) - 100)),
    "foreign database": lambda p: (
        p.unlink(),
        __import__("sqlite3").connect(p).execute("CREATE TABLE x(y)").connection.commit(),
    ),
}


@pytest.mark.parametrize("damage", JOURNAL_DAMAGE.values(), ids=JOURNAL_DAMAGE.keys())
def test_a_damaged_journal_is_moved_aside_never_deleted(damage: object, qtbot: QtBot, spasmcoach_home: Path) -> None:
    """The app starts with a new journal, says where the old file is, and the old bytes are all still there."""
    from spasmcoach.gui.app import open_journal

    spasmcoach_home.mkdir(parents=True)
    with Journal.open() as first:
        first.record("episode_start")
    target = paths.journal_path()
    damage(target)  # type: ignore[operator]
    damaged = target.read_bytes()
    notifier = Notifier()
    journal = open_journal(notifier)
    assert journal is not None and journal.recovered_from is not None
    kept = journal.recovered_from
    assert kept.parent == target.parent and kept.name.startswith("journal.sqlite3.corrupt-")
    assert kept.read_bytes() == damaged
    write_routine(spasmcoach_home, "short", routine_with_image("knee-to-chest.svg"))
    window, clock = make_window(qtbot, spasmcoach_home, journal=journal, notifier=notifier)
    assert window.notice.isVisible() and str(kept) in window.notice.text()
    window.start_routine("short", prompt=False)
    run_to_end(window, clock)
    assert [s.outcome for s in journal.sessions()] == ["completed"]
    window.close()
    journal.close()
    assert kept.read_bytes() == damaged  # still untouched after a whole session


# -- wall-clock jumps ----------------------------------------------------------------------------------------


class JumpingWall:
    """The wall clock as the timers see it: the real time plus an offset a test can jump."""

    def __init__(self) -> None:
        """Start with no jump."""
        self.offset = timedelta()

    def __call__(self) -> datetime:
        """Now, as the jumped wall clock says."""
        return datetime.now(UTC) + self.offset


@pytest.fixture
def ice_preset() -> object:
    """The bundled 20-minute ice preset."""
    return next(p for p in load_presets(resources.routines_dir() / "timers.yaml") if p.id == "ice-20")


@pytest.mark.parametrize("jump", [timedelta(hours=2), timedelta(hours=-3), timedelta(days=-400)])
def test_a_wall_clock_jump_during_a_timer_does_not_change_the_time_left(
    jump: timedelta, ice_preset: object, tmp_path: Path
) -> None:
    """With the real boot-time clock, the wall clock jumping forwards or back moves no deadline."""
    wall = JumpingWall()
    clock = ScaledClock(BootClock(), 1.0)
    manager = TimerManager(clock, state_path=tmp_path / "timers.json", now=wall)
    timer = manager.start(ice_preset)  # type: ignore[arg-type]
    before = timer.remaining
    ends_before = timer.ends_at
    wall.offset = jump
    after = timer.remaining
    assert 0 <= before - after < 0.5  # only the real time that passed, never the jump
    assert manager.poll() == [] and timer.state.active
    assert timer.ends_at is not None and ends_before is not None
    assert abs((timer.ends_at - ends_before) - jump) < timedelta(seconds=1)  # the shown end follows the wall
    # saved and restored in the same boot (the app restarting after the jump): still the same time left
    restored = TimerManager(clock, state_path=tmp_path / "timers.json", now=wall, boot_id=read_boot_id)
    assert abs(restored.get(timer.id).remaining - timer.remaining) < 0.5
    assert restored.missed == []


def test_a_wall_clock_jump_during_a_routine_does_not_move_its_phases(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner reads only the monotonic clock: making time.time() jump an hour changes nothing."""
    from spasmcoach.core.model import Routine, RoutineKind, Step

    routine = Routine(id="r", title="R", kind=RoutineKind.REST, steps=(Step(name="A", duration=600),))
    runner = Runner(routine.timeline(), MonotonicClock())
    runner.start()
    real_time = time.time
    before = runner.snapshot().remaining
    monkeypatch.setattr(time, "time", lambda: real_time() + 3600)
    assert 0 <= before - runner.snapshot().remaining < 0.5
    assert [c.kind for c in runner.poll()] == []
    monkeypatch.setattr(time, "time", lambda: real_time() - 7200)
    assert 0 <= before - runner.snapshot().remaining < 0.5
    assert runner.state is RunnerState.GET_READY
