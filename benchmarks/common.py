"""Shared pieces for the benchmarks: a private Xvfb, a tiny X client, the app as a process, /proc readers.

Nothing here is imported by the test suite. The X client talks to libX11 through ctypes (no extra
packages): it watches the root window for top-level windows being mapped or unmapped, can pretend to be
a system tray (so the app may close to the tray), and can ask a window to close the way a window manager
would (WM_DELETE_WINDOW).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import re
import select
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
TITLE = "SpasmCoach"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# -- Xvfb ---------------------------------------------------------------------------------------------------


@contextmanager
def xvfb(size: str = "1280x800x24") -> Iterator[str]:
    """A private X display (``:N``); Xvfb writes its number to a pipe once it accepts clients."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("the benchmarks need Xvfb (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            if not select.select([pipe], [], [], 20)[0]:
                raise RuntimeError("Xvfb did not start within 20 s")
            number = pipe.readline().strip()
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- a minimal X client through ctypes ------------------------------------------------------------------------

SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
MAP_NOTIFY, UNMAP_NOTIFY, CLIENT_MESSAGE = 19, 18, 33


class _MapEvent(ctypes.Structure):
    """Xlib's XMapEvent (the same layout serves XUnmapEvent)."""

    _fields_ = [
        ("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p), ("event", ctypes.c_ulong), ("window", ctypes.c_ulong),
        ("override_redirect", ctypes.c_int),
    ]  # fmt: skip


class _ClientMessage(ctypes.Structure):
    """Xlib's XClientMessageEvent with 32-bit data."""

    _fields_ = [
        ("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int), ("data", ctypes.c_long * 5),
    ]  # fmt: skip


class _Event(ctypes.Union):
    """Xlib's XEvent union, padded to its full size."""

    _fields_ = [("type", ctypes.c_int), ("map", _MapEvent), ("client", _ClientMessage), ("pad", ctypes.c_long * 24)]


@dataclass
class MapChange:
    """A top-level window was mapped or unmapped, seen at ``at`` (time.monotonic)."""

    window: int
    mapped: bool
    at: float
    name: str = ""


class X:
    """One connection to the display, listening to the root window's children."""

    def __init__(self, display: str) -> None:
        """Open ``display`` and start listening for top-level windows being (un)mapped."""
        path = ctypes.util.find_library("X11")
        if path is None:
            raise SystemExit("the benchmarks need libX11 (it comes with xdotool)")
        self.lib = ctypes.CDLL(path)
        lib = self.lib
        lib.XOpenDisplay.restype = ctypes.c_void_p
        lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        lib.XDefaultRootWindow.restype = ctypes.c_ulong
        lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        lib.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        lib.XConnectionNumber.argtypes = [ctypes.c_void_p]
        lib.XPending.argtypes = [ctypes.c_void_p]
        lib.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Event)]
        lib.XFlush.argtypes = [ctypes.c_void_p]
        lib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        lib.XInternAtom.restype = ctypes.c_ulong
        lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.XCreateSimpleWindow.restype = ctypes.c_ulong
        lib.XCreateSimpleWindow.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
            ctypes.c_uint, ctypes.c_ulong, ctypes.c_ulong,
        ]  # fmt: skip
        lib.XSetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
        lib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(_Event)]
        lib.XGetWindowProperty.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long, ctypes.c_int,
            ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p),
        ]  # fmt: skip
        lib.XFree.argtypes = [ctypes.c_void_p]
        lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        # A window may be gone by the time we ask for its name: ignore X errors instead of exiting.
        self._on_error = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)(lambda _d, _e: 0)
        lib.XSetErrorHandler(self._on_error)
        self.dpy = lib.XOpenDisplay(display.encode())
        if not self.dpy:
            raise RuntimeError(f"cannot open display {display}")
        self.root = lib.XDefaultRootWindow(self.dpy)
        lib.XSelectInput(self.dpy, self.root, SUBSTRUCTURE_NOTIFY_MASK)
        lib.XSync(self.dpy, 0)
        self.fd = lib.XConnectionNumber(self.dpy)
        self.changes: list[MapChange] = []

    def atom(self, name: str) -> int:
        """The X atom called ``name``."""
        return int(self.lib.XInternAtom(self.dpy, name.encode(), 0))

    def window_name(self, window: int) -> str:
        """_NET_WM_NAME (or WM_NAME) of ``window``; '' if it has none."""
        for prop in ("_NET_WM_NAME", "WM_NAME"):
            kind, fmt, count, after, data = (
                ctypes.c_ulong(),
                ctypes.c_int(),
                ctypes.c_ulong(),
                ctypes.c_ulong(),
                ctypes.c_void_p(),
            )
            status = self.lib.XGetWindowProperty(
                self.dpy, window, self.atom(prop), 0, 1024, 0, 0,  # AnyPropertyType
                ctypes.byref(kind), ctypes.byref(fmt), ctypes.byref(count), ctypes.byref(after), ctypes.byref(data),
            )  # fmt: skip
            if status == 0 and data.value and fmt.value == 8 and count.value:
                text = ctypes.string_at(data.value, count.value).decode("utf-8", "replace")
                self.lib.XFree(data)
                return text
            if data.value:
                self.lib.XFree(data)
        return ""

    def pump(self, timeout: float) -> list[MapChange]:
        """Read events for up to ``timeout`` seconds (returning early once one map change arrives)."""
        found: list[MapChange] = []
        deadline = time.monotonic() + timeout
        while True:
            while self.lib.XPending(self.dpy):
                event = _Event()
                self.lib.XNextEvent(self.dpy, ctypes.byref(event))
                now = time.monotonic()
                if event.type in (MAP_NOTIFY, UNMAP_NOTIFY) and not event.map.override_redirect:
                    change = MapChange(event.map.window, event.type == MAP_NOTIFY, now)
                    found.append(change)
            if found:
                for change in found:
                    change.name = self.window_name(change.window)
                self.changes.extend(found)
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                return found
            select.select([self.fd], [], [], left)

    def wait_for_map(self, title: str, mapped: bool = True, timeout: float = 60) -> MapChange:
        """The first (un)map of a top-level window called ``title`` seen from now on."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            for change in self.pump(left):
                if change.mapped == mapped and change.name == title:
                    return change
        raise TimeoutError(f"no window '{title}' was {'mapped' if mapped else 'unmapped'} within {timeout} s")

    def wait_for_unmap(self, window: int, timeout: float = 10) -> MapChange:
        """The unmapping of ``window`` (by id: a destroyed window no longer has a name to match)."""
        for change in self.changes:
            if change.window == window and not change.mapped and change.at >= self._since(window):
                return change
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            for change in self.pump(left):
                if change.window == window and not change.mapped:
                    return change
        raise TimeoutError(f"window {window:#x} was not unmapped within {timeout} s")

    def _since(self, window: int) -> float:
        """When ``window`` was last mapped."""
        return max((c.at for c in self.changes if c.window == window and c.mapped), default=0.0)

    def become_tray(self) -> None:
        """Own _NET_SYSTEM_TRAY_S0 so Qt believes a system tray exists (docking requests are ignored)."""
        owner = self.lib.XCreateSimpleWindow(self.dpy, self.root, 0, 0, 1, 1, 0, 0, 0)
        self.lib.XSetSelectionOwner(self.dpy, self.atom("_NET_SYSTEM_TRAY_S0"), owner, 0)
        event = _Event()
        event.client.type = CLIENT_MESSAGE
        event.client.window = self.root
        event.client.message_type = self.atom("MANAGER")
        event.client.format = 32
        event.client.data[0] = 0
        event.client.data[1] = self.atom("_NET_SYSTEM_TRAY_S0")
        event.client.data[2] = owner
        self.lib.XSendEvent(self.dpy, self.root, 0, SUBSTRUCTURE_NOTIFY_MASK, ctypes.byref(event))
        self.lib.XSync(self.dpy, 0)

    def close_window(self, window: int) -> None:
        """Ask ``window`` to close as a window manager's close button would (WM_DELETE_WINDOW)."""
        event = _Event()
        event.client.type = CLIENT_MESSAGE
        event.client.window = window
        event.client.message_type = self.atom("WM_PROTOCOLS")
        event.client.format = 32
        event.client.data[0] = self.atom("WM_DELETE_WINDOW")
        event.client.data[1] = 0
        self.lib.XSendEvent(self.dpy, window, 0, 0, ctypes.byref(event))
        self.lib.XFlush(self.dpy)

    def close(self) -> None:
        """Close the connection."""
        self.lib.XCloseDisplay(self.dpy)


# -- the app as a process -------------------------------------------------------------------------------------


def venv_script(name: str) -> str:
    """A console script next to this interpreter (the venv's ``spasmcoach``), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"'{name}' is not installed; run pip install -e . first")
    return found


def prepared_home(root: Path, routines: dict[str, str] | None = None) -> Path:
    """A data folder as a returning user has it: safety notes read, optional own routines."""
    home = root / "spasmcoach-home"
    (home / "routines").mkdir(parents=True, exist_ok=True)
    (home / "settings.ini").write_text("[safety]\nseen=true\n")
    for name, text in (routines or {}).items():
        (home / "routines" / f"{name}.yaml").write_text(text)
    return home


def sound_home(root: Path) -> Path:
    """A HOME whose ALSA default device is the null plugin: aplay works as with a sound card, silently."""
    home = root / "user-home"
    home.mkdir(parents=True, exist_ok=True)
    (home / ".asoundrc").write_text("pcm.!default {\n    type null\n}\n")
    return home


@functools.cache
def compiled_package() -> None:
    """Write the app's bytecode once, as ``pip install`` does: where ``PYTHONDONTWRITEBYTECODE`` is set (as on
    our machines) an editable checkout would otherwise compile every changed module at every launch."""
    import spasmcoach

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(spasmcoach.__file__).parent)],
        check=False, capture_output=True, timeout=300,
    )  # fmt: skip


def app_env(display: str | None, data: Path, *, scale: float = 1.0, user_home: Path | None = None) -> dict[str, str]:
    """The environment for the app: its data folder, INFO logs, time scale, display (or offscreen)."""
    compiled_package()
    env = dict(os.environ)
    env.update(
        SPASMCOACH_HOME=str(data), SPASMCOACH_LOG_LEVEL="INFO", SPASMCOACH_TIME_SCALE=str(scale), PYTHONUNBUFFERED="1"
    )
    if display is not None:
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    else:
        env.update(QT_QPA_PLATFORM="offscreen")
    if user_home is not None:
        env["HOME"] = str(user_home)
    env.pop("WAYLAND_DISPLAY", None)
    return env


@dataclass
class Proc:
    """A launched process whose stderr lines are collected as they come."""

    popen: subprocess.Popen[bytes]
    started: float
    lines: list[str] = field(default_factory=list)
    _partial: bytes = b""

    @classmethod
    def launch(cls, command: Sequence[str], env: dict[str, str]) -> Proc:
        """Start ``command`` in its own process group; the start time is taken just before the spawn."""
        started = time.monotonic()
        popen = subprocess.Popen(
            list(command), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        os.set_blocking(popen.stderr.fileno(), False)  # type: ignore[union-attr]
        return cls(popen, started)

    @property
    def pid(self) -> int:
        """The process id."""
        return self.popen.pid

    def read(self, timeout: float = 0.0) -> None:
        """Collect whatever stderr has (waiting up to ``timeout`` for something)."""
        stream = self.popen.stderr
        assert stream is not None
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            if not selector.select(timeout):
                return
        try:
            chunk = os.read(stream.fileno(), 65536)
        except BlockingIOError:
            return
        self._partial += chunk
        *done, self._partial = self._partial.split(b"\n")
        self.lines.extend(line.decode(errors="replace") for line in done)

    def wait_for(self, pattern: str, timeout: float = 60, *, count: int = 1) -> float:
        """Block until stderr has had ``count`` lines matching ``pattern``; returns the monotonic time the
        last of them was read."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            if sum(1 for line in self.lines if regex.search(line)) >= count:
                return time.monotonic()
            left = deadline - time.monotonic()
            if left <= 0 or self.popen.poll() is not None:
                self.read(0)
                if sum(1 for line in self.lines if regex.search(line)) >= count:
                    return time.monotonic()
                tail = "\n".join(self.lines[-30:])
                raise TimeoutError(f"no /{pattern}/ (exit {self.popen.poll()}):\n{tail}")
            self.read(min(left, 0.5))

    def stop(self) -> None:
        """End the process group (the app and any sound process it left)."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        if self.popen.stderr is not None:
            self.popen.stderr.close()


# -- /proc ----------------------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(the process's own user+system CPU seconds, its reaped children's) from /proc/PID/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return (utime + stime) / CLK_TCK, (cutime + cstime) / CLK_TCK


def _schedstat_works() -> bool:
    """Some kernels report zeros in schedstat (schedstats off): check on ourselves after some work."""
    sum(i * i for i in range(200_000))
    try:
        return int(Path("/proc/self/schedstat").read_text().split()[0]) > 0
    except (OSError, IndexError, ValueError):
        return False


_SCHEDSTAT_WORKS = _schedstat_works()


def cpu_ns(pid: int) -> int | None:
    """Nanoseconds on a CPU summed over the process's live threads (/proc/PID/task/*/schedstat), or None
    where the kernel does not keep it. Far finer than /proc/PID/stat's clock ticks (10 ms)."""
    if not _SCHEDSTAT_WORKS:
        return None
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, IndexError, ValueError):
                continue  # a thread that just ended
    except OSError:
        return None
    return total


def memory(pid: int) -> dict[str, int]:
    """Resident size now, its peak, and the proportional share (bytes) of one process."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = {key: int(num) * 1024 for key, num in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M)}
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
        values["Pss"] = int(pss.group(1)) * 1024 if pss else 0
    except OSError:
        values["Pss"] = 0
    return {"rss": values["VmRSS"], "peak_rss": values["VmHWM"], "pss": values["Pss"]}


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"spasmcoach-bench-{prefix}-") as folder:
        yield Path(folder)
