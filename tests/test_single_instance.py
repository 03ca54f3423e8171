"""One SpasmCoach per data folder: ownership by a lock, hand-over without Qt, hostile messages dropped.

The unit tests drive :class:`InstanceServer` offscreen with plain Python clients; the slow ones start the
real app (offscreen) as subprocesses, launch many more at once, and stop the owner with SIGSTOP.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from spasmcoach.core import instance
from spasmcoach.gui.single_instance import InstanceServer


# -- the lock -----------------------------------------------------------------------------------------------
def test_the_lock_is_exclusive_and_released_with_the_holder(spasmcoach_home: Path) -> None:
    first, second = instance.InstanceLock(), instance.InstanceLock()
    assert first.acquire() and first.held
    assert not second.acquire()
    assert instance.is_owned()
    assert instance.owner_pid() == os.getpid()
    first.release()
    assert not instance.is_owned()
    assert second.acquire()
    second.release()


def test_a_lock_held_by_another_process_is_respected(spasmcoach_home: Path) -> None:
    spasmcoach_home.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl,sys; f=open(sys.argv[1],'w'); fcntl.flock(f, fcntl.LOCK_EX); "
         "print('held', flush=True); sys.stdin.read()", str(instance.lock_path())],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip  # holds the lock until the test closes its stdin (or kills it)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert instance.is_owned()
        assert not instance.InstanceLock().acquire()
        # it owns the folder but never listens: a later launch says so after waiting, and starts nothing
        with pytest.raises(instance.InstanceError, match="not answering"):
            instance.send({"cmd": "show"}, startup_wait=0.3, reply_wait=0.3)
    finally:
        holder.kill()
        holder.communicate()
    assert instance.InstanceLock().acquire()  # the kernel dropped the dead holder's lock


def test_a_stale_socket_without_an_owner_is_not_an_owner(spasmcoach_home: Path) -> None:
    spasmcoach_home.mkdir(parents=True)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(instance.socket_path()))  # bound, never listening: what a killed window leaves behind
    stale.close()
    assert instance.send({"cmd": "show"}, startup_wait=0.3) is None
    lock = instance.InstanceLock()
    assert instance.hand_over_or_own({"cmd": "show"}, lock) is None and lock.held
    lock.release()


def test_a_very_long_data_folder_still_gives_a_usable_socket_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / ("d" * 120)
    monkeypatch.setenv("SPASMCOACH_HOME", str(deep))
    path = instance.socket_path()
    assert len(os.fsencode(path)) <= instance.SOCKET_PATH_LIMIT
    assert path == instance.socket_path()  # both sides agree


# -- the server, offscreen ---------------------------------------------------------------------------------
@pytest.fixture
def server(qtbot: QtBot, spasmcoach_home: Path) -> Iterator[tuple[InstanceServer, list[dict[str, Any]]]]:
    lock = instance.InstanceLock()
    assert lock.acquire()
    seen: list[dict[str, Any]] = []

    def respond(request: dict[str, Any]) -> dict[str, Any]:
        seen.append(request)
        return {"title": "Ice pack"}

    srv = InstanceServer(responder=respond)
    assert srv.listen(lock)
    yield srv, seen
    srv.close()
    lock.release()


def raw_exchange(qtbot: QtBot, payload: bytes) -> bytes:
    """Send raw bytes from a thread (the server runs in this thread's event loop) and return the reply."""
    result: list[bytes] = []

    def client() -> None:
        with socket.socket(socket.AF_UNIX) as conn:
            conn.settimeout(10)
            conn.connect(str(instance.socket_path()))
            try:
                conn.sendall(payload)
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
            except OSError:
                data = b"<reset>"
            result.append(data)

    thread = threading.Thread(target=client)
    thread.start()
    qtbot.waitUntil(lambda: bool(result), timeout=10_000)
    thread.join()
    return result[0]


@pytest.mark.parametrize(
    "payload",
    [
        b"garbage\n",
        b"\xff\xfe\x00\x01\n",
        b"[1, 2, 3]\n",
        b'{"cmd": "rm -rf"}\n',
        b'{"cmd": "timer", "preset": 12}\n',
        b'{"cmd": "run", "routine": "x", "prompt": "yes"}\n',
        b'{"cmd": "show", "expires": "soon"}\n',
        b"[" * 100_000 + b"\n",  # deep nesting, and longer than the cap
        b'{"cmd": "show", "pad": "' + b"x" * 10_000 + b'"}\n',
        b"x" * 1_000_000,  # huge, no newline at all
    ],
    ids=["text", "binary", "list", "unknown-cmd", "bad-preset", "bad-prompt", "bad-expires", "deep", "long", "huge"],
)
def test_garbage_and_huge_messages_are_dropped_and_logged(
    qtbot: QtBot, server: tuple[InstanceServer, list[dict[str, Any]]], payload: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    srv, seen = server
    reply = raw_exchange(qtbot, payload)
    assert seen == []
    assert srv.dropped == 1
    assert "request dropped" in caplog.text
    assert reply in (b"<reset>", b"") or json.loads(reply)["ok"] is False
    # and the server still answers a good request afterwards
    assert raw_exchange(qtbot, b'{"cmd": "show"}\n').startswith(b'{"ok": true')


def test_a_valid_request_is_answered_with_what_happened(
    qtbot: QtBot, server: tuple[InstanceServer, list[dict[str, Any]]]
) -> None:
    srv, seen = server
    reply = raw_exchange(qtbot, b'{"cmd": "timer", "preset": "ice-20"}\n')
    assert json.loads(reply) == {"ok": True, "title": "Ice pack"}
    assert seen == [{"cmd": "timer", "preset": "ice-20"}]


def test_a_request_that_arrives_after_its_sender_gave_up_does_nothing(
    qtbot: QtBot, server: tuple[InstanceServer, list[dict[str, Any]]]
) -> None:
    srv, seen = server
    late = json.dumps({"cmd": "timer", "preset": "ice-20", "expires": time.time() - 1}).encode() + b"\n"
    assert json.loads(raw_exchange(qtbot, late)) == {"ok": False, "error": "too late"}
    assert seen == []


def test_a_client_that_sends_nothing_is_closed(
    qtbot: QtBot, server: tuple[InstanceServer, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    srv, _seen = server
    monkeypatch.setattr("spasmcoach.gui.single_instance.IDLE_MS", 200)
    assert raw_exchange(qtbot, b'{"cmd": "sh') in (b"", b"<reset>")
    assert srv.dropped == 1


def test_listening_needs_the_lock(qtbot: QtBot) -> None:
    with pytest.raises(RuntimeError):
        InstanceServer().listen(instance.InstanceLock())


# -- the real app, as processes ----------------------------------------------------------------------------
def app_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, SPASMCOACH_HOME=str(home), QT_QPA_PLATFORM="offscreen", SPASMCOACH_LOG_LEVEL="INFO",
               PYTHONUNBUFFERED="1")  # fmt: skip
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def launch(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "spasmcoach", *args], env=app_env(home), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def wait_listening(proc: subprocess.Popen[str], timeout: float = 60) -> None:
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    lines = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        if "single-instance server listening" in line:
            return
        if not line and proc.poll() is not None:
            break
    pytest.fail("the first window never listened:\n" + "".join(lines))


def finish(procs: list[subprocess.Popen[str]], timeout: float = 90) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append((proc.returncode, out, err))
    return results


def running_timers(home: Path) -> list[dict[str, Any]]:
    out = subprocess.run([sys.executable, "-m", "spasmcoach", "timers", "--json"], env=app_env(home),
                         capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    timers: list[dict[str, Any]] = json.loads(out.stdout)
    return timers


@pytest.fixture
def owner(spasmcoach_home: Path) -> Iterator[subprocess.Popen[str]]:
    proc = launch(spasmcoach_home)
    try:
        wait_listening(proc)
        yield proc
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
            proc.kill()
        proc.communicate(timeout=30)


def wait_until_one_left(procs: list[subprocess.Popen[str]], timeout: float) -> None:
    """Block until all but one of ``procs`` have exited (or ``timeout``), woken by each exit, not by polling."""
    pidfds = {os.pidfd_open(p.pid): p for p in procs}
    try:
        deadline = time.monotonic() + timeout
        running = set(pidfds)
        while len(running) > 1 and (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select(list(running), [], [], left)
            running -= set(ready)
    finally:
        for fd in pidfds:
            os.close(fd)


@pytest.mark.slow
def test_many_launches_at_once_give_one_window(spasmcoach_home: Path) -> None:
    procs = [launch(spasmcoach_home) for _ in range(5)]
    try:
        wait_until_one_left(procs, timeout=90)
        alive = [p for p in procs if p.poll() is None]
        assert len(alive) == 1, [p.poll() for p in procs]
        assert all(p.returncode == 0 for p in procs if p not in alive)
        holder = alive[0]
        assert instance.owner_pid() == holder.pid
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=30)


@pytest.mark.slow
def test_a_stopped_owner_keeps_its_socket_and_no_second_window_starts(
    spasmcoach_home: Path, owner: subprocess.Popen[str]
) -> None:
    sock = instance.socket_path()
    inode = sock.stat().st_ino
    # alive: every launch hands over, the timer command says what happened
    results = finish([launch(spasmcoach_home, "timer", "ice-20") for _ in range(3)] + [launch(spasmcoach_home)])
    assert [code for code, _out, _err in results] == [0, 0, 0, 0], results
    assert all(re.match(r"Started Ice .* in the open window; first phase ends \d\d:\d\d\.", out)
               for _code, out, _err in results[:3])  # fmt: skip
    assert len(running_timers(spasmcoach_home)) == 3

    os.kill(owner.pid, signal.SIGSTOP)
    started = time.monotonic()
    stopped = finish([launch(spasmcoach_home) for _ in range(3)] + [launch(spasmcoach_home, "timer", "ice-20")])
    assert time.monotonic() - started < 60
    for code, _out, err in stopped:
        assert code == 1, err
        assert f"already open (process {owner.pid})" in err and "not answering" in err
        assert "Traceback" not in err
    assert sock.exists() and sock.stat().st_ino == inode  # nobody removed the live owner's socket
    assert instance.owner_pid() == owner.pid

    os.kill(owner.pid, signal.SIGCONT)  # the queued requests expired: nothing starts behind the user's back
    results = finish([launch(spasmcoach_home, "timer", "heat-20")])
    assert results[0][0] == 0, results
    titles = [t["preset"] for t in running_timers(spasmcoach_home)]
    assert sorted(titles) == ["heat-20", "ice-20", "ice-20", "ice-20"]


@pytest.mark.slow
def test_a_killed_owner_is_replaced(spasmcoach_home: Path, owner: subprocess.Popen[str]) -> None:
    os.kill(owner.pid, signal.SIGKILL)
    owner.wait(timeout=30)
    second = launch(spasmcoach_home)
    try:
        wait_listening(second)
        assert instance.owner_pid() == second.pid
    finally:
        second.kill()
        second.communicate(timeout=30)


def test_only_this_user_may_connect_and_closing_removes_the_socket(
    qtbot: QtBot, spasmcoach_home: Path
) -> None:
    lock = instance.InstanceLock()
    assert lock.acquire()
    try:
        path = instance.socket_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with socket.socket(socket.AF_UNIX) as stale:  # a dead owner's leftover is replaced
            stale.bind(str(path))
        srv = InstanceServer()
        assert srv.listen(lock)
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
        assert raw_exchange(qtbot, b'{"cmd": "show"}\n').startswith(b'{"ok": true')
        srv.close()
        assert not path.exists()
    finally:
        lock.release()
