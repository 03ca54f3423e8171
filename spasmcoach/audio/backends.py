"""Ways to start a sound, and the handles of sounds that play: playsound3 by default.

A backend is any callable that takes a WAV path, starts it without blocking and returns a :class:`Playing`
handle, or raises :class:`AudioUnavailableError` when nothing can play. The helpers at the end treat a
handle that misbehaves as ended, so one broken sound never stops the player from silencing the rest.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Playing(Protocol):
    """A sound that has been started: what a backend returns."""

    def is_alive(self) -> bool:
        """True while the sound is still playing (also reaps a finished child process)."""
        ...

    def stop(self) -> None:
        """Ask the sound to stop now; must return at once and be safe to call twice."""
        ...

    def exit_code(self) -> int | None:
        """None while playing or when unknown; 0 after a normal end; non-zero if the player failed."""
        ...


class AudioUnavailableError(Exception):
    """No way to play sound on this computer (raised by a backend, caught by the player)."""


class _QuietImportFilter(logging.Filter):
    """Drops playsound3's import-time "no backends" warning, which is wrong when aplay can still play WAV."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record except that one warning."""
        return "No supported audio backends" not in record.getMessage()


class PlaysoundHandle:
    """A playsound3 sound wrapped as :class:`Playing`, with a blocking wait for tests and clean-up."""

    def __init__(self, sound: Any) -> None:
        self._sound = sound
        self._process: Any = sound.subprocess

    def is_alive(self) -> bool:
        """True while the player process runs; polling also reaps it once it has exited."""
        return bool(self._process.poll() is None)

    def stop(self) -> None:
        """Send the player process SIGTERM (returns at once; harmless if it has already gone)."""
        with contextlib.suppress(OSError):  # already exited between the poll and the signal
            self._process.terminate()

    def exit_code(self) -> int | None:
        """The player's exit status, or None while it runs."""
        code = self._process.poll()
        return None if code is None else int(code)

    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds for the sound to end; True if it has ended."""
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def kill(self) -> None:
        """Last resort for a player that ignored SIGTERM: SIGKILL and reap."""
        kill = getattr(self._process, "kill", None)
        if kill is not None:
            try:
                kill()
                self._process.wait(timeout=1.0)
            except (OSError, subprocess.TimeoutExpired):
                pass


PLAYER_COMMANDS: dict[str, tuple[str, ...]] = {
    "alsa": ("aplay", "--quiet"),
    "gstreamer": ("gst-play-1.0", "--no-interactive", "--quiet"),
    "ffplay": ("ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"),
    "afplay": ("afplay",),
}
"""playsound3's player programs, started here the same way (the file's path appended) but without its
``preexec_fn``: with one, Python must ``fork()`` the whole app (over 100 MiB, several threads) while holding
the GIL, which froze the window for 7–10 ms per cue on an idle machine (longer on a busy one, where the
spawn took 13–55 ms), and made every thread pay copy-on-write faults until the player started. Without it Python uses
``vfork()``: about 1.5 ms. What playsound3's ``preexec_fn`` added (the player is sent SIGTERM if the app
dies) is not needed: a cue or a sentence ends by itself within seconds, and ``AudioPlayer.close`` stops
and reaps every player on a normal exit."""


class _Started:
    """A player process started here, shaped as playsound3's ``Sound`` for :class:`PlaysoundHandle`."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.subprocess = process


class PlaysoundBackend:
    """Plays a WAV with playsound3, non-blocking; raises AudioUnavailableError when nothing can play.

    playsound3 chooses its backend at import time and ignores ALSA unless mpg123 is also installed; our
    cues are all WAV, which ``aplay`` alone can play, so when playsound3 finds nothing but ``aplay``
    exists we ask for its "alsa" backend explicitly. ``backend`` forces one playsound3 backend by name.
    playsound3 is imported on the first call, i.e. on the worker thread (its import probes for players).
    Its player programs are then started here (:data:`PLAYER_COMMANDS`); others through playsound3.
    """

    def __init__(self, backend: str | None = None) -> None:
        self._requested = backend
        self._lock = threading.Lock()
        self._module: Any = None
        self._name: str | None = None

    def _resolve(self) -> tuple[Any, str]:
        """Import playsound3 once and decide which of its backends to use."""
        with self._lock:
            if self._module is None:
                quiet = _QuietImportFilter()
                ps_logger = logging.getLogger("playsound3.playsound3")
                ps_logger.addFilter(quiet)
                try:
                    import playsound3
                except Exception as exc:  # broken install: treat like no sound at all
                    raise AudioUnavailableError(f"playsound3 cannot be imported: {exc}") from exc
                finally:
                    ps_logger.removeFilter(quiet)
                self._module = playsound3
                name = self._requested or playsound3.DEFAULT_BACKEND
                if name is None and shutil.which("aplay"):
                    name = "alsa"
                self._name = name
            if self._name is None:
                raise AudioUnavailableError("no audio player found (GStreamer, FFmpeg's ffplay or aplay)")
            return self._module, self._name

    @property
    def name(self) -> str | None:
        """The playsound3 backend in use, once known."""
        return self._name

    def __call__(self, path: Path) -> PlaysoundHandle:
        """Start playing ``path`` and return at once."""
        module, name = self._resolve()
        command = PLAYER_COMMANDS.get(name)
        if command is not None:  # the same player playsound3 would start, without its fork (see PLAYER_COMMANDS)
            try:
                quiet = subprocess.DEVNULL
                process = subprocess.Popen([*command, str(path)], stdin=quiet, stdout=quiet, stderr=quiet)
            except OSError as exc:  # the player program went away since playsound3 found it
                raise AudioUnavailableError(f"{command[0]}: {exc}") from exc
            return PlaysoundHandle(_Started(process))
        try:
            sound = module.playsound(path, block=False, backend=name)
        except module.PlaysoundException as exc:
            raise AudioUnavailableError(str(exc)) from exc
        return PlaysoundHandle(sound)


# ---- handling handles that may misbehave ----------------------------------------------------------------


def alive(handle: Playing) -> bool:
    """``handle.is_alive()``, treating a handle that raises as ended."""
    try:
        return handle.is_alive()
    except Exception:
        return False


def exit_code(handle: Playing) -> int | None:
    """``handle.exit_code()``, treating a handle that raises as unknown."""
    try:
        return handle.exit_code()
    except Exception:
        return None


def stop_each(handles: list[Playing]) -> None:
    """Stop every handle, never letting one failure prevent stopping the rest."""
    for handle in handles:
        try:
            handle.stop()
        except Exception:
            log.debug("stopping a sound failed", exc_info=True)


def reap_all(handles: list[Playing], grace: float) -> None:
    """Wait (bounded) for stopped sounds to end, killing any that will not, so no process is left behind."""
    for handle in handles:
        wait = getattr(handle, "wait", None)
        ended = bool(wait(grace)) if callable(wait) else not alive(handle)
        if not ended:
            kill = getattr(handle, "kill", None)
            if callable(kill):
                kill()
