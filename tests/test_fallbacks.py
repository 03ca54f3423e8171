"""Beyond Linux: every Linux-only call in the core has a fallback, tested by taking the Linux piece away.

The boot clock (``CLOCK_BOOTTIME``), the boot id (``/proc/sys/kernel/random/boot_id``), folder fsync and
the data and launcher paths each get simulated away here: missing constants, a kernel that refuses the
clock, ``os.name`` of Windows, a missing or unreadable ``/proc`` file.
"""

from __future__ import annotations

import errno
import importlib
import os
import pkgutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import spasmcoach.core
from spasmcoach.core import clock as clock_module
from spasmcoach.core import desktop_entry, paths, storage
from spasmcoach.core.clock import BootClock, FakeClock
from spasmcoach.core.timers import TimerManager, TimerPreset, read_boot_id
from spasmcoach.core.timers.presets import Therapy

ICE_20 = TimerPreset("ice-20", "Ice pack, 20 minutes", Therapy.COLD, on=20 * 60.0)


# -- the boot clock ------------------------------------------------------------------------------------------


def test_the_boot_clock_uses_clock_boottime_on_linux() -> None:
    if not hasattr(time, "CLOCK_BOOTTIME"):
        pytest.skip("this platform has no CLOCK_BOOTTIME")
    clock = BootClock()
    assert clock.source == "CLOCK_BOOTTIME"
    assert abs(clock.now() - time.clock_gettime(time.CLOCK_BOOTTIME)) < 0.5


def test_without_clock_boottime_the_boot_clock_is_time_monotonic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(time, "CLOCK_BOOTTIME", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    readings = iter([500.0, 512.5])
    monkeypatch.setattr(time, "monotonic", lambda: next(readings))
    clock = BootClock()
    assert clock.source == "time.monotonic"
    assert clock.now() == 500.0
    assert clock.now() == 512.5


def test_a_kernel_that_refuses_clock_boottime_falls_back_instead_of_crashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """An old kernel or a seccomp sandbox: the constant exists, reading it fails with EINVAL."""
    monkeypatch.setattr(time, "CLOCK_BOOTTIME", 7, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    real = time.clock_gettime

    def refusing(clock_id: int) -> float:
        if clock_id == 7:
            raise OSError(errno.EINVAL, "Invalid argument")
        return real(clock_id)

    monkeypatch.setattr(time, "clock_gettime", refusing)
    monkeypatch.setattr(time, "monotonic", lambda: 42.0)
    clock = BootClock()
    assert clock.source == "time.monotonic"
    assert clock.now() == 42.0  # the old code raised OSError here, on every timer tick


def test_on_macos_the_boot_clock_is_clock_monotonic_which_counts_through_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(time, "CLOCK_BOOTTIME", raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    seen: list[int] = []

    def gettime(clock_id: int) -> float:
        seen.append(clock_id)
        return 99.0

    monkeypatch.setattr(time, "clock_gettime", gettime)
    monkeypatch.setattr(time, "monotonic", lambda: pytest.fail("time.monotonic pauses in sleep on macOS"))
    clock = BootClock()
    assert clock.source == "CLOCK_MONOTONIC"
    assert clock.now() == 99.0
    assert set(seen) == {time.CLOCK_MONOTONIC}


def test_without_clock_gettime_at_all_the_boot_clock_still_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows' ``time`` module has neither ``clock_gettime`` nor ``CLOCK_BOOTTIME``."""
    monkeypatch.delattr(time, "CLOCK_BOOTTIME", raising=False)
    monkeypatch.delattr(time, "clock_gettime")
    monkeypatch.setattr(time, "monotonic", lambda: 7.0)
    assert BootClock().now() == 7.0
    assert clock_module.timer_clock({}).now() == 7.0


# -- the boot id -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [None, b"", b"\xff\xfe\x00not text", b"   \n"])
def test_a_missing_or_unreadable_boot_id_is_unknown(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "boot_id"
    if content is not None:
        path.write_bytes(content)
    assert read_boot_id(path) is None


def test_a_boot_id_path_that_is_a_folder_is_unknown(tmp_path: Path) -> None:
    assert read_boot_id(tmp_path) is None


def test_without_a_boot_id_a_restart_counts_the_time_away_by_the_wall_clock(tmp_path: Path) -> None:
    """No /proc (macOS, Windows): the boot clock may have restarted, so the wall clock says how long it was."""
    no_proc = tmp_path / "proc-missing" / "boot_id"
    wall = [datetime(2026, 11, 21, 9, 0, tzinfo=UTC)]
    first = TimerManager(FakeClock(10_000.0), now=lambda: wall[0], boot_id=lambda: read_boot_id(no_proc))
    first.start(ICE_20)
    first.save()
    wall[0] += timedelta(minutes=5)
    # after a reboot the boot clock starts again near zero: trusting it would give a negative gap
    second = TimerManager(FakeClock(3.0), now=lambda: wall[0], boot_id=lambda: read_boot_id(no_proc))
    (timer,) = second.active
    status = timer.status()
    assert status.remaining == pytest.approx(15 * 60.0, abs=1.0)


# -- folder fsync ------------------------------------------------------------------------------------------


def test_folder_fsync_is_a_no_op_where_folders_cannot_be_opened(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(os, "open", lambda *a, **k: pytest.fail("Windows cannot open a folder"))
    storage.fsync_dir(tmp_path)


@pytest.mark.parametrize(
    "failure",
    [OSError(errno.EACCES, "Permission denied"), OSError(errno.EINVAL, "Invalid argument")],
    ids=["open-refused", "fsync-unsupported"],
)
def test_folder_fsync_failures_never_fail_a_save(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, failure: OSError
) -> None:
    """Some filesystems (FUSE, network, Windows) refuse opening or syncing a folder; the file is still saved."""
    real_open = os.open

    def opening(path: object, flags: int, *args: object) -> int:
        if Path(str(path)) == tmp_path and failure.errno == errno.EACCES:
            raise failure
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    real_fsync = os.fsync

    def syncing(fd: int) -> None:
        if failure.errno == errno.EINVAL and os.path.isdir(f"/proc/self/fd/{fd}"):
            raise failure
        real_fsync(fd)

    monkeypatch.setattr(os, "open", opening)
    monkeypatch.setattr(os, "fsync", syncing)
    target = tmp_path / "state.json"
    storage.write_json_atomic(target, {"ok": True})
    assert target.read_text(encoding="utf-8").strip().endswith("}")


# -- paths -------------------------------------------------------------------------------------------------


def test_the_data_folder_comes_from_platformdirs_when_not_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.HOME_ENV)
    seen: list[str] = []

    def fake(appname: str, appauthor: object = None) -> Path:
        seen.append(appname)
        return Path("C:/Users/pat/AppData/Local") / appname

    monkeypatch.setattr(paths.platformdirs, "user_data_path", fake)
    assert paths.data_dir() == Path("C:/Users/pat/AppData/Local/SpasmCoach")
    assert paths.journal_path().parent == paths.data_dir()
    assert seen and set(seen) == {"SpasmCoach"}


def test_the_launcher_on_windows_is_the_exe_in_the_scripts_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(os, "name", "nt")
    (tmp_path / "spasmcoach").write_text("not the Windows launcher")
    exe = tmp_path / "spasmcoach.exe"
    exe.write_bytes(b"MZ")
    exe.chmod(0o755)
    monkeypatch.setattr(desktop_entry, "_script_dirs", lambda: [tmp_path])
    assert desktop_entry.launcher_command() == [str(exe)]


def test_the_core_imports_without_posix_only_modules() -> None:
    """``fcntl``, ``termios``, ``pwd`` and ``grp`` do not exist on Windows: no core module may need them."""
    modules = sorted(name for _, name, _ in pkgutil.walk_packages(spasmcoach.core.__path__, "spasmcoach.core."))
    code = (
        "import sys, importlib\n"
        "for banned in ('fcntl', 'termios', 'pwd', 'grp', 'resource'): sys.modules[banned] = None\n"
        f"failed = []\nfor name in {modules!r}:\n"
        "    try: importlib.import_module(name)\n"
        "    except ImportError as exc: failed.append(f'{name}: {exc}')\n"
        "print('\\n'.join(failed)); sys.exit(1 if failed else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_core_module_was_checked() -> None:
    """The walk above sees the whole core (a renamed package would otherwise slip out of the check)."""
    names = {name for _, name, _ in pkgutil.walk_packages(spasmcoach.core.__path__, "spasmcoach.core.")}
    assert {"spasmcoach.core.clock", "spasmcoach.core.storage", "spasmcoach.core.timers.state_file"} <= names
    assert importlib.import_module("spasmcoach.core.autostart")


# -- file locks --------------------------------------------------------------------------------------------


def test_the_file_lock_is_exclusive_between_processes(tmp_path: Path) -> None:
    from spasmcoach.core import filelock

    path = tmp_path / "lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
         "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        fd = os.open(path, os.O_RDWR)
        try:
            assert filelock.try_lock_exclusive(fd) is False
        finally:
            os.close(fd)
    finally:
        holder.communicate("", timeout=10)
    fd = os.open(path, os.O_RDWR)
    try:
        assert filelock.try_lock_exclusive(fd) is True
    finally:
        os.close(fd)


def test_the_file_lock_uses_msvcrt_where_there_is_no_fcntl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import types

    from spasmcoach.core import filelock

    held: set[int] = set()

    def locking(fd: int, mode: int, size: int) -> None:
        assert mode == 2 and size == 1
        if fd in held:
            raise OSError(errno.EACCES, "Permission denied")
        held.add(fd)

    fake = types.ModuleType("msvcrt")
    fake.LK_NBLCK = 2  # type: ignore[attr-defined]
    fake.locking = locking  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(filelock, "fcntl", None)
    fd = os.open(tmp_path / "lock", os.O_RDWR | os.O_CREAT)
    try:
        assert filelock.try_lock_exclusive(fd) is True
        assert filelock.try_lock_exclusive(fd) is False
    finally:
        os.close(fd)
