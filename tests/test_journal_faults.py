"""The journal under real faults: a second process holding it, a full disk, SIGKILL, a read-only mount,
a damaged file, a path too long; and timer events written exactly once across crashes.

Every fault here is real: another OS process holds ``BEGIN IMMEDIATE``, a tiny tmpfs fills up, a child is
killed with SIGKILL, a read-only bind mount refuses writes even to root.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from spasmcoach import cli
from spasmcoach.core import loader
from spasmcoach.core.clock import Clock, FakeClock, ScaledClock, timer_clock
from spasmcoach.core.journal import MAX_PATH_BYTES, Journal, JournalError, SaveState, Waiting, ops
from spasmcoach.core.notify import Notifier
from spasmcoach.core.session import GuidedSession
from spasmcoach.core.timers import TimerManager

ROOT = Path(__file__).resolve().parent.parent

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE IF NOT EXISTS other_program (x)")
print("HELD", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


class LockHolder:
    """Another process with a write transaction open on the journal until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "HELD"

    def release(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.close()
        assert self.process.wait(timeout=30) == 0
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def journal() -> Iterator[Journal]:
    opened = Journal.open()
    try:
        yield opened
    finally:
        opened.close()


def running_session(journal: Journal) -> tuple[GuidedSession, FakeClock]:
    routine = loader.load_library().get("warm-up")
    assert routine is not None
    clock = FakeClock()
    session = GuidedSession(routine, clock, journal=journal, notifier=Notifier())
    session.start(pain_before=4)
    clock.advance(12)
    session.tick()
    return session, clock


# -- A: another process holds the journal ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_pain_stop_while_another_process_holds_the_journal_returns_at_once_and_lands_later(
    journal: Journal,
) -> None:
    session, _clock = running_session(journal)
    holder = LockHolder(journal.path)
    began = time.perf_counter()
    record = session.pain_stop()
    took = time.perf_counter() - began
    assert record is not None and record.receipt is not None
    assert took < 0.2, f"the pain stop took {took:.3f} s"
    assert (record.receipt.state, record.receipt.waiting) == (SaveState.KEPT, Waiting.BUSY)
    assert record.sentence().endswith("is kept safe and will be saved in your journal when the journal is free again.")
    assert not record.saved and record.event_id is None
    session.describe_stop(6, ["tingling"], "left side")  # the details name the stop by key, so they wait too
    notices = [n.message for n in session.notifier.history]
    assert any("could not be saved (pain stop)" in n and "Nothing is lost" in n for n in notices), notices
    assert [e.type for e in journal.events()] == ["session_start"]  # neither the stop nor the end yet
    holder.release()
    assert journal.flush_pending()
    events = journal.events()
    assert [e.type for e in events] == ["session_start", "pain_stop", "session_end"]
    stop = events[1]
    assert abs(stop.time - record.when) < timedelta(milliseconds=1)  # its own time, not the replay's
    assert stop.session_id == events[0].session_id == events[2].session_id
    assert (stop.pain, stop.symptoms, stop.note) == (6, ("tingling",), "left side")
    assert journal.flush_pending() and len(journal.events(types=["pain_stop"])) == 1


@pytest.mark.slow
def test_the_session_end_never_lands_without_the_stop(journal: Journal) -> None:
    """The holder lets go between the stop and the end: the end must still queue behind the stop."""
    session, _clock = running_session(journal)
    holder = LockHolder(journal.path)
    journal.submit(ops.event("pain_stop", session=session.session_key, key="stop", routine="warm-up"))
    holder.release()
    journal.submit(ops.session_end(session.session_key or "", outcome="stopped", steps_done=0))
    assert [e.type for e in journal.events()] == ["session_start", "pain_stop", "session_end"]


# -- A: SIGKILL around the outbox ------------------------------------------------------------------------------

KILLED_AFTER_APPEND = """
import os, signal, sys
from datetime import datetime, UTC
from spasmcoach.core.journal import Journal, ops
journal = Journal.open(sys.argv[1])
when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
receipt = journal.submit(ops.event("pain_stop", key="stop-1", routine="r", now=when))
print(receipt.state, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""

KILLED_BEFORE_CLEARING = """
import os, signal, sys
from spasmcoach.core.journal import Journal, outbox
outbox.Drain.clear = lambda self: os.kill(os.getpid(), signal.SIGKILL)
Journal.open(sys.argv[1])  # replays (commits) the outbox, then dies before emptying it
print("not killed", flush=True)
"""


@pytest.mark.slow
def test_killed_right_after_keeping_a_stop_it_is_replayed_once_at_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(path).close()
    holder = LockHolder(path)
    child = subprocess.run([sys.executable, "-c", KILLED_AFTER_APPEND, str(path)], capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL and child.stdout.strip() == "kept", child.stderr
    holder.release()
    child = subprocess.run([sys.executable, "-c", KILLED_BEFORE_CLEARING, str(path)], capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL, child.stderr  # committed the replay, killed before clearing
    for _ in range(2):
        with Journal.open(path) as journal:
            [stop] = journal.events()
            assert (stop.type, stop.time.isoformat()) == ("pain_stop", "2026-01-02T03:04:05+00:00")
            assert not journal.pending


# -- A: a full disk, then room again -----------------------------------------------------------------------------

FULL_DISK_CHILD = """
import json, os, sys
from spasmcoach.core import loader
from spasmcoach.core.clock import FakeClock
from spasmcoach.core.journal import Journal
from spasmcoach.core.notify import Notifier
from spasmcoach.core.session import GuidedSession
home = sys.argv[1]
journal = Journal.open(os.path.join(home, "journal.sqlite3"))
clock = FakeClock()
session = GuidedSession(loader.load_library().get("warm-up"), clock, journal=journal, notifier=Notifier())
session.start(pain_before=3)
clock.advance(12); session.tick()
filler = os.path.join(home, "filler")
fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
try:
    while True:
        os.write(fd, b"x" * 4096)
except OSError:
    os.close(fd)
record = session.pain_stop()
report = {"state": str(record.receipt.state), "waiting": str(record.receipt.waiting), "sentence": record.sentence(),
          "flushed_while_full": journal.flush_pending()}
os.remove(filler)
report["flushed"] = journal.flush_pending()
report["types"] = [e.type for e in journal.events()]
report["stop_time_ok"] = abs(journal.events(types=["pain_stop"])[0].time - record.when).total_seconds() < 0.001
print("REPORT " + json.dumps(report), flush=True)
"""


def can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True
    )
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not can_mount(), reason="cannot mount in a private mount namespace (needs root)")


def in_namespace(setup: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` after the shell ``setup`` in a private mount namespace (mounts vanish with it)."""
    command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", f'{setup} && exec "$@"', "sh", *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.slow
@needs_mount
def test_a_pain_stop_on_a_full_disk_is_kept_and_saved_once_there_is_room(tmp_path: Path) -> None:
    home = tmp_path / "small"
    home.mkdir()
    result = in_namespace(
        f'mount -t tmpfs -o size=400k tmpfs "{home}"', [sys.executable, "-c", FULL_DISK_CHILD, str(home)]
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    report = json.loads(next(x for x in result.stdout.splitlines() if x.startswith("REPORT ")).removeprefix("REPORT "))
    assert (report["state"], report["waiting"]) == ("in_memory", "no_room"), report
    assert "when there is room on the disk" in report["sentence"]
    assert report["flushed_while_full"] is False
    assert report["flushed"] is True
    assert report["types"] == ["session_start", "pain_stop", "session_end"] and report["stop_time_ok"]


# -- F: read-only, damaged, too long -------------------------------------------------------------------------------

READ_ONLY_CHILD = """
import io, json, sys, os, hashlib
from pathlib import Path
from spasmcoach import cli
from spasmcoach.core.notify import Notifier
from spasmcoach.core.history import load_history
from spasmcoach.gui.app import open_journal
out_dir = Path(sys.argv[1])
results = {}
for name, argv in {"log": ["log"], "csv": ["log", "--csv"], "json": ["log", "--json"],
                   "report": ["report", "-o", str(out_dir / "r.pdf")]}.items():
    out = io.StringIO()
    results[name] = [cli.main(argv, out), out.getvalue()]
notifier = Notifier()
journal = open_journal(notifier)
results["gui_read_only"] = journal is not None and journal.read_only
results["gui_notice"] = [n.message for n in notifier.history]
history = load_history(journal)
results["history_sessions"] = len(history.sessions)
print("REPORT " + json.dumps(results), flush=True)
"""


def fill_journal(home: Path) -> None:
    with Journal.open() as journal:
        sid = journal.start_session("warm-up", "Warm-up", pain_before=5)
        journal.record_pain_stop(sid, routine="warm-up", step="Knee hug", phase="hold", side=None, rep=1, seconds=3)
        journal.end_session(sid, outcome="stopped", steps_done=0)


@pytest.mark.slow
@needs_mount
def test_a_read_only_data_folder_can_still_be_read_by_log_csv_report_and_history(
    spasmcoach_home: Path, tmp_path: Path
) -> None:
    fill_journal(spasmcoach_home)
    before = {p.name: p.read_bytes() for p in spasmcoach_home.iterdir()}
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    env = dict(os.environ, SPASMCOACH_HOME=str(spasmcoach_home), QT_QPA_PLATFORM="offscreen")
    setup = f'mount --bind "{spasmcoach_home}" "{spasmcoach_home}" && mount -o remount,ro,bind "{spasmcoach_home}"'
    result = in_namespace(setup, [sys.executable, "-c", READ_ONLY_CHILD, str(out_dir)], env)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    report = json.loads(next(x for x in result.stdout.splitlines() if x.startswith("REPORT ")).removeprefix("REPORT "))
    code, text = report["log"]
    assert code == 0 and "pain stop" in text and "Knee hug" in text, report
    code, text = report["csv"]
    assert code == 0 and text.count("\n") == 4, report  # header and three events
    code, text = report["json"]
    assert code == 0 and [json.loads(x)["type"] for x in text.splitlines()] == [
        "session_start",
        "pain_stop",
        "session_end",
    ]
    code, text = report["report"]
    assert code == 0 and (out_dir / "r.pdf").read_bytes().startswith(b"%PDF"), report
    assert report["gui_read_only"] is True and report["history_sessions"] == 1
    assert any("can be read but not saved" in n for n in report["gui_notice"]), report
    assert "opened read-only" in result.stderr
    assert {p.name: p.read_bytes() for p in spasmcoach_home.iterdir()} == before  # nothing moved or changed


@pytest.mark.parametrize("argv", [["log"], ["log", "--csv"], ["log", "--json"], ["report", "-o", "REPORT"]])
def test_log_and_report_on_a_damaged_journal_say_so_name_the_old_file_and_fail(
    argv: list[str], spasmcoach_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_journal(spasmcoach_home)
    journal = spasmcoach_home / "journal.sqlite3"
    journal.write_bytes(b"this is not a database at all" * 100)
    argv = [str(tmp_path / "r.pdf") if a == "REPORT" else a for a in argv]
    code = cli.main(argv)
    err = capsys.readouterr().err
    [aside] = spasmcoach_home.glob("journal.sqlite3.corrupt-*")
    assert code != 0
    assert "damaged" in err and str(aside) in err, err
    assert "No entries" not in capsys.readouterr().out


@pytest.mark.parametrize("length", [600, 5000])
def test_a_data_folder_path_too_long_gives_a_message_naming_the_limit(
    length: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path.joinpath(*["d" * 200] * (length // 201 + 1))
    if length < 4096:
        home.mkdir(parents=True)
    monkeypatch.setenv("SPASMCOACH_HOME", str(home))
    for argv in (["log"], ["log", "--csv"], ["report", "-o", str(tmp_path / "r.pdf")]):
        code = cli.main(argv)
        err = capsys.readouterr().err
        assert code != 0 and "Traceback" not in err and err.count("\n") == 1, err
        assert re.search(r"(at most|allows) \(?[\d,]{3,}", err), err  # the limit, as a number
        assert "SQLite" in err if length < 4096 else "this system" in err, err
    from spasmcoach.gui.app import open_journal

    notifier = Notifier()
    assert open_journal(notifier) is None
    [notice] = notifier.history
    assert re.search(r"(at most|allows) \(?[\d,]{3,}", notice.message), notice.message


def test_a_journal_path_too_long_for_sqlite_names_the_limit(tmp_path: Path) -> None:
    folder = tmp_path.joinpath(*["d" * 200] * 3)
    folder.mkdir(parents=True)
    target = folder / "j.sqlite3"
    assert len(os.fsencode(str(target))) > MAX_PATH_BYTES
    with pytest.raises(JournalError, match=f"SQLite opens at most {MAX_PATH_BYTES}"):
        Journal.open(target)
    with pytest.raises(JournalError, match=f"SQLite opens at most {MAX_PATH_BYTES}"):
        Journal.open_readonly(target)
    assert list(folder.iterdir()) == []


# -- G: timer events exactly once --------------------------------------------------------------------------------

TIMER_CHILD = """
import os, signal, sys
from spasmcoach.core.clock import timer_clock
from spasmcoach.core.journal import Journal
from spasmcoach.core.timers import TimerManager, TimerPreset
from spasmcoach.core.timers.kinds import Therapy

class Ahead:
    # the boot clock under the app's timer clock, moved forward instead of waited for
    def __init__(self, base):
        self.base, self.seconds = base, 0.0
    def now(self):
        return self.base.now() + self.seconds

when = sys.argv[1]
journal = Journal.open()
clock = timer_clock()
clock.base = Ahead(clock.base)
manager = TimerManager(clock, journal=journal)
preset = TimerPreset("ice-20", "Ice pack, 20 minutes", Therapy.COLD, on=20 * 60)
if when == "after-start":
    manager.save = lambda: os.kill(os.getpid(), signal.SIGKILL)  # journaled the start, killed before the save
manager.start(preset)
clock.base.seconds = clock.to_real_seconds(manager.seconds_to_next_event() + 1)  # due now, nothing waited
print(clock.base.seconds, flush=True)  # the restart reads the clock as far ahead
manager.save = lambda: os.kill(os.getpid(), signal.SIGKILL)  # journaled the end, killed before the save
manager.poll()
print("not killed", flush=True)
"""


class _Ahead:
    """The boot clock read ``seconds`` ahead, as the child moved it (so the restart sees what it saw)."""

    def __init__(self, base: Clock, seconds: float) -> None:
        self.base: Clock = base
        self.seconds = seconds

    @property
    def scale(self) -> float:
        return 1.0

    def now(self) -> float:
        return self.base.now() + self.seconds

    def to_real_seconds(self, seconds: float) -> float:
        return seconds


def run_timer_child(when: str) -> Clock:
    """Run the child to its kill; the timer clock of the restart, read as far ahead as the child moved it."""
    env = dict(os.environ, SPASMCOACH_TIME_SCALE="2400")
    child = subprocess.run(
        [sys.executable, "-c", TIMER_CHILD, when], capture_output=True, text=True, env=env, timeout=60
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr
    clock = timer_clock()
    assert isinstance(clock, ScaledClock)
    clock.base = _Ahead(clock.base, float(child.stdout.strip() or 0.0))
    return clock


@pytest.mark.slow
def test_killed_between_the_journal_and_the_state_save_a_timer_end_is_journaled_once() -> None:
    clock = run_timer_child("before-save")
    for _ in range(2):  # the restart journals the end it finds due again: a no-op, twice over
        with Journal.open() as journal:
            manager = TimerManager(clock, journal=journal)
            assert [e.type for e in journal.events()] == ["timer_start", "timer_end"]
            assert [t.state.value for t in manager.timers] == ["finished"]


@pytest.mark.slow
def test_killed_right_after_a_timer_started_the_journal_gets_a_reconciled_close() -> None:
    clock = run_timer_child("after-start")
    for _ in range(2):
        with Journal.open() as journal:
            manager = TimerManager(clock, journal=journal)
            assert manager.timers == []
            start, close = journal.events()
            assert (start.type, close.type) == ("timer_start", "timer_cancel")
            assert close.data["reconciled"] is True and close.data["timer"] == start.data["timer"]
            assert close.time == start.time and close.time - start.time < timedelta(seconds=1)
