"""Non-blocking sound cues and spoken guidance for the stretch guide and the ice/heat timers.

The GUI calls :meth:`AudioPlayer.play` and :meth:`AudioPlayer.say`; both return at once. One worker
thread starts the sounds (playsound3 in non-blocking mode by default) and keeps their handles so that
:meth:`AudioPlayer.stop_all`, muting and :meth:`AudioPlayer.close` can silence them at once. A second,
lazily started thread renders speech with espeak-ng into a cache folder. A cue that could only start more
than ``max_lateness`` seconds after it was due is dropped, never played late: a late "hold" chime would
mislead someone who is following the sounds rather than the screen.

If no way to play sound works, ``on_unavailable`` is called once (from the worker thread) and the player
goes quiet for good; the screen then carries every cue. This module is Qt-free.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import threading
import wave
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from spasmcoach.core import paths, resources
from spasmcoach.core.clock import Clock, MonotonicClock

log = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = "Sound is not available on this computer; cues will be shown on screen only."
"""The one calm line handed to ``on_unavailable``."""

FAILURES_BEFORE_GIVING_UP = 3
"""Consecutive failures, after sound has worked once, before the player declares sound unavailable."""

_POLL_SECONDS = 0.05
"""How often the worker checks playing sounds for having finished (only while some are playing)."""

_CLOSE_GRACE_SECONDS = 1.0
"""How long close() waits for terminated sound processes to exit before killing them."""


class Cue(StrEnum):
    """The sound cues; each value is the stem of a WAV file in the sounds folder."""

    GET_READY = "get-ready"
    HOLD = "hold"
    REST = "rest"
    HALFWAY = "halfway"
    TICK = "tick"
    SWITCH_SIDES = "switch-sides"
    DONE = "done"
    STOPPED = "stopped"
    TIMER_PHASE = "timer-phase"
    TIMER_DONE = "timer-done"

    @property
    def filename(self) -> str:
        """The cue's file name inside the sounds folder."""
        return f"{self.value}.wav"


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


# --------------------------------------------------------------------------------------------------------
# Default backend: playsound3


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


class PlaysoundBackend:
    """Plays a WAV with playsound3, non-blocking; raises AudioUnavailableError when nothing can play.

    playsound3 chooses its backend at import time and ignores ALSA unless mpg123 is also installed; our
    cues are all WAV, which ``aplay`` alone can play, so when playsound3 finds nothing but ``aplay``
    exists we ask for its "alsa" backend explicitly. ``backend`` forces one playsound3 backend by name.
    playsound3 is imported on the first call, i.e. on the worker thread (its import probes for players).
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
        try:
            sound = module.playsound(path, block=False, backend=name)
        except module.PlaysoundException as exc:
            raise AudioUnavailableError(str(exc)) from exc
        return PlaysoundHandle(sound)


# --------------------------------------------------------------------------------------------------------
# Speech


class Speech:
    """Spoken guidance with espeak-ng: renders text to a cached WAV that the player plays like a cue.

    Rendering is blocking and meant for the player's speech thread. The cache file name is a hash of the
    text, voice, rate and pitch, so a sentence is rendered once and then reused. Speech is spoken calmly
    and a little slowly, and its peak is scaled to -3 dBFS so it sits at the same level as the cues.
    """

    PEAK_DBFS = -3.0

    def __init__(
        self,
        *,
        voice: str = "en-us",
        rate: int = 140,
        pitch: int = 45,
        cache_dir: Path | None = None,
        executable: str | None = None,
        timeout: float = 15.0,
    ) -> None:
        self.voice = voice
        self.rate = rate
        self.pitch = pitch
        self.timeout = timeout
        self._cache_dir = cache_dir
        self._executable = executable or shutil.which("espeak-ng") or shutil.which("espeak")
        self._broken = False
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._cancelled = False

    @property
    def available(self) -> bool:
        """True if a speech engine was found and has not failed."""
        return self._executable is not None and not self._broken

    @property
    def cache_dir(self) -> Path:
        """Where rendered sentences are kept (``cache_dir()/speech`` unless given)."""
        return self._cache_dir if self._cache_dir is not None else paths.cache_dir() / "speech"

    def cache_path(self, text: str) -> Path:
        """The cache file for ``text`` with this voice, rate and pitch."""
        key = f"{self.voice}\0{self.rate}\0{self.pitch}\0{text}".encode()
        return self.cache_dir / f"{hashlib.sha256(key).hexdigest()[:32]}.wav"

    def render(self, text: str) -> Path | None:
        """A WAV file speaking ``text`` (from the cache if rendered before), or None if that failed."""
        if not self.available or not text.strip():
            return None
        target = self.cache_path(text)
        if _is_playable_wav(target):
            return target
        tmp = target.with_name(f".{target.stem}.{os.getpid()}.{threading.get_ident()}.part")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not self._run_engine(text, tmp):
                return None
            _normalise_peak(tmp, self.PEAK_DBFS)
            os.replace(tmp, target)  # atomic: another thread or process never sees a half-written file
        except (OSError, wave.Error, EOFError) as exc:
            log.warning("could not prepare spoken guidance: %s", exc)
            return None
        finally:
            tmp.unlink(missing_ok=True)
        return target

    def _run_engine(self, text: str, out: Path) -> bool:
        """Run espeak-ng into ``out``; False (and logged) if it failed or was cancelled."""
        assert self._executable is not None
        cmd = [self._executable, "-v", self.voice, "-s", str(self.rate), "-p", str(self.pitch)]
        cmd += ["-w", str(out), "--stdin"]  # text on stdin: a sentence starting with "-" is not an option
        with self._lock:
            if self._cancelled:
                return False
            process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            self._process = process
        try:
            _out, err = process.communicate(text.encode("utf-8"), timeout=self.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            log.warning("speech engine took longer than %.0f s; sentence skipped", self.timeout)
            return False
        finally:
            with self._lock:
                self._process = None
        if process.returncode != 0:
            if process.returncode > 0:  # negative: killed by close(), not a broken engine
                self._broken = True
                message = err.decode("utf-8", "replace").strip().splitlines()
                log.warning("speech engine failed (%s); guidance will be tones only", message[-1:] or "")
            return False
        return True

    def close(self) -> None:
        """Kill a render in progress and refuse new ones; the player calls this when it closes."""
        with self._lock:
            self._cancelled = True
            process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                process.kill()


def _is_playable_wav(path: Path) -> bool:
    """True if ``path`` is a readable WAV with at least one frame."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() > 0 and wav.getsampwidth() in (1, 2, 3, 4)
    except (OSError, wave.Error, EOFError):
        return False


def _normalise_peak(path: Path, peak_dbfs: float) -> None:
    """Scale a 16-bit WAV in place so its loudest sample sits at ``peak_dbfs``."""
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        frames = wav.readframes(params.nframes)
    if params.sampwidth != 2:
        return
    samples = array("h", frames)
    big_endian = sys.byteorder == "big"
    if big_endian:
        samples.byteswap()
    peak = max((abs(s) for s in samples), default=0)
    if peak == 0:
        return
    gain = 10 ** (peak_dbfs / 20) * 32767 / peak
    scaled = array("h", (max(-32768, min(32767, round(s * gain))) for s in samples))
    if big_endian:
        scaled.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(params.nchannels)
        wav.setsampwidth(2)
        wav.setframerate(params.framerate)
        wav.writeframes(scaled.tobytes())


# --------------------------------------------------------------------------------------------------------
# The player


@dataclass(frozen=True)
class _Job:
    """One sound waiting for the worker: file, when it was due, and which stop_all "era" queued it."""

    path: Path
    label: str
    due: float
    generation: int
    speech: bool


@dataclass(frozen=True)
class _Active:
    """A sound that is playing, and whether it is speech (a new sentence replaces the old one)."""

    handle: Playing
    speech: bool


class AudioPlayer:
    """Plays cues and spoken guidance without ever blocking the caller; see the module docstring."""

    def __init__(
        self,
        sounds_dir: Path | None = None,
        *,
        clock: Clock | None = None,
        backend: Callable[[Path], Playing] | None = None,
        on_unavailable: Callable[[str], None] | None = None,
        max_lateness: float = 0.5,
        speech: Speech | None = None,
    ) -> None:
        self._sounds_dir = sounds_dir if sounds_dir is not None else resources.sounds_dir()
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._backend: Callable[[Path], Playing] = backend if backend is not None else PlaysoundBackend()
        self._on_unavailable = on_unavailable
        self._max_lateness = max_lateness
        self._speech = speech if speech is not None else Speech()

        self._cond = threading.Condition()
        self._queue: deque[_Job] = deque()
        self._pending_speech: tuple[str, float, int] | None = None
        self._active: list[_Active] = []
        self._stopping: list[Playing] = []
        self._generation = 0
        self._muted = False
        self._voice_wanted = True
        self._closed = False
        self._available: bool | None = None
        self._confirmed = False
        self._failures = 0
        self._bad_files: set[Path] = set()
        self._good_files: set[Path] = set()
        self._worker: threading.Thread | None = None
        self._speaker: threading.Thread | None = None

    # ---- public state -----------------------------------------------------------------------------------

    @property
    def available(self) -> bool | None:
        """None until the first sound was tried; True once one started; False for good once sound failed."""
        return self._available

    @property
    def muted(self) -> bool:
        """While muted nothing plays and cues are dropped (not saved for later)."""
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        """Mute (silencing what plays now) or unmute."""
        with self._cond:
            self._muted = bool(value)
        if value:
            self.stop_all()

    @property
    def voice_enabled(self) -> bool:
        """True if spoken guidance is wanted and a speech engine works."""
        return self._voice_wanted and self._speech.available

    @voice_enabled.setter
    def voice_enabled(self, value: bool) -> None:
        """Turn spoken guidance on or off; off also silences a sentence being spoken."""
        to_stop: list[Playing] = []
        with self._cond:
            self._voice_wanted = bool(value)
            if not value:
                self._pending_speech = None
                self._queue = deque(job for job in self._queue if not job.speech)
                to_stop = [a.handle for a in self._active if a.speech]
                self._active = [a for a in self._active if not a.speech]
                self._stopping.extend(to_stop)
        _stop_each(to_stop)

    @property
    def speech(self) -> Speech:
        """The speech engine in use."""
        return self._speech

    # ---- public actions ---------------------------------------------------------------------------------

    def play(self, cue: Cue | str, due: float | None = None) -> None:
        """Queue ``cue`` and return at once; ``due`` (a clock reading, default now) decides lateness."""
        cue = Cue(cue)
        when = self._clock.now() if due is None else due
        with self._cond:
            if self._closed or self._muted or self._available is False:
                return
            self._queue.append(_Job(self._sounds_dir / cue.filename, cue.value, when, self._generation, False))
            self._ensure_worker()
            self._cond.notify_all()

    def say(self, text: str, due: float | None = None) -> None:
        """Speak ``text`` if voice is enabled and a speech engine exists; otherwise do nothing."""
        if not text.strip() or not self.voice_enabled:
            return
        when = self._clock.now() if due is None else due
        with self._cond:
            if self._closed or self._muted or self._available is False:
                return
            self._pending_speech = (text, when, self._generation)  # newer guidance replaces older
            self._ensure_speaker()
            self._cond.notify_all()

    def stop_all(self) -> None:
        """Silence everything now: clear what is waiting and stop what is playing. Returns in microseconds."""
        with self._cond:
            self._generation += 1
            self._queue.clear()
            self._pending_speech = None
            handles = [a.handle for a in self._active]
            self._active.clear()
            self._stopping.extend(handles)
            self._cond.notify_all()
        _stop_each(handles)

    def close(self) -> None:
        """Stop everything, end the threads and reap every sound process; safe to call more than once."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self.stop_all()
        self._speech.close()
        for thread in (self._worker, self._speaker):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=5.0)
        with self._cond:
            leftovers = list(self._stopping) + [a.handle for a in self._active]
            self._stopping.clear()
            self._active.clear()
        _stop_each(leftovers)
        _reap_all(leftovers, _CLOSE_GRACE_SECONDS)

    def __enter__(self) -> AudioPlayer:
        """Use the player as a context manager that closes it on exit."""
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close the player when the ``with`` block ends."""
        self.close()

    # ---- threads ----------------------------------------------------------------------------------------

    def _ensure_worker(self) -> None:
        """Start the playback thread on first use (caller holds the lock)."""
        if self._worker is None:
            self._worker = threading.Thread(target=self._run_worker, name="spasmcoach-audio", daemon=True)
            self._worker.start()

    def _ensure_speaker(self) -> None:
        """Start the speech-rendering thread on first use (caller holds the lock)."""
        if self._speaker is None:
            self._speaker = threading.Thread(target=self._run_speaker, name="spasmcoach-speech", daemon=True)
            self._speaker.start()

    def _run_worker(self) -> None:
        """Playback loop: reap finished sounds, start queued ones, wait for more."""
        while True:
            self._reap()
            with self._cond:
                if self._closed:
                    return
                if not self._queue:
                    busy = bool(self._active or self._stopping)
                    self._cond.wait(timeout=_POLL_SECONDS if busy else None)
                    continue
                job = self._queue.popleft()
            try:
                self._start(job)
            except Exception:  # never let a surprise kill the worker: the next cue must still play
                log.exception("unexpected error while starting sound %s", job.label)

    def _run_speaker(self) -> None:
        """Speech loop: render the newest requested sentence, then queue it for playback."""
        while True:
            with self._cond:
                while self._pending_speech is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                assert self._pending_speech is not None
                text, due, generation = self._pending_speech
                self._pending_speech = None
            if self._late(due, "speech"):
                continue
            try:
                path = self._speech.render(text)
            except Exception:
                log.exception("unexpected error while rendering speech")
                path = None
            if path is None:
                continue
            with self._cond:
                if self._closed or generation != self._generation or not self._voice_wanted:
                    continue
                self._queue.append(_Job(path, "speech", due, generation, True))
                self._ensure_worker()
                self._cond.notify_all()

    # ---- worker helpers ---------------------------------------------------------------------------------

    def _late(self, due: float, label: str) -> bool:
        """True (and logged at debug) if something due at ``due`` is now too late to be useful."""
        lateness = self._clock.now() - due
        if lateness > self._max_lateness:
            log.debug("dropped %s: %.2f s late", label, lateness)
            return True
        return False

    def _file_ok(self, path: Path) -> bool:
        """True if ``path`` is a playable WAV inside its folder; a bad file is logged once, then skipped."""
        if path in self._good_files:
            return True
        if path in self._bad_files:
            log.debug("skipped %s (bad file, reported before)", path.name)
            return False
        try:
            resources.safe_child(path.parent, path.name)
            ok = _is_playable_wav(path)
        except resources.UnsafePathError:
            ok = False
        if ok:
            if path.parent == self._sounds_dir:  # speech files come and go from the cache; cues do not
                self._good_files.add(path)
            return True
        self._bad_files.add(path)
        log.warning("sound file %s is missing or unreadable; that cue will be silent", path)
        return False

    def _start(self, job: _Job) -> None:
        """Start one job unless it is stale, late, unplayable or sound has been given up."""
        with self._cond:
            if job.generation != self._generation or self._muted or self._available is False:
                return
        if self._late(job.due, job.label) or not self._file_ok(job.path):
            return
        try:
            handle = self._backend(job.path)
        except Exception as exc:
            self._failed(f"{type(exc).__name__}: {exc}")
            return
        to_stop: list[Playing] = []
        with self._cond:
            if self._available is None:
                self._available = True
            if job.generation != self._generation or self._muted or self._closed:
                to_stop.append(handle)  # stop_all/mute/close happened while it was starting
            else:
                if job.speech:  # a new sentence cuts off the previous one: never two voices at once
                    to_stop = [a.handle for a in self._active if a.speech]
                    self._active = [a for a in self._active if not a.speech]
                self._active.append(_Active(handle, job.speech))
            self._stopping.extend(to_stop)
        _stop_each(to_stop)

    def _reap(self) -> None:
        """Forget sounds that have ended; a player that ended with an error counts as a failure."""
        with self._cond:
            if not self._active and not self._stopping:
                return
            active = list(self._active)
            stopping = list(self._stopping)
        ended = [a for a in active if not _alive(a.handle)]
        gone = [h for h in stopping if not _alive(h)]
        natural: list[_Active] = []
        with self._cond:
            for item in ended:
                if item in self._active:  # not moved to _stopping by stop_all in the meantime
                    self._active.remove(item)
                    natural.append(item)
            for handle in gone:
                if handle in self._stopping:
                    self._stopping.remove(handle)
        for item in natural:
            code = _exit_code(item.handle)
            if code in (0, None):
                with self._cond:
                    self._confirmed = True
                    self._failures = 0
            else:
                self._failed(f"the audio player exited with status {code}")

    def _failed(self, reason: str) -> None:
        """Count a playback failure; give up (once, with one calm message) when sound clearly cannot work."""
        with self._cond:
            if self._available is False:
                return
            self._failures += 1
            give_up = not self._confirmed or self._failures >= FAILURES_BEFORE_GIVING_UP
            if give_up:
                self._available = False
                self._queue.clear()
                self._pending_speech = None
        log.debug("sound failed: %s", reason)
        if not give_up:
            return
        log.info("sound is unavailable (%s); cues will be shown on screen only", reason)
        if self._on_unavailable is not None:
            try:
                self._on_unavailable(UNAVAILABLE_MESSAGE)
            except Exception:
                log.exception("on_unavailable callback failed")


def _alive(handle: Playing) -> bool:
    """``handle.is_alive()``, treating a handle that raises as ended."""
    try:
        return handle.is_alive()
    except Exception:
        return False


def _exit_code(handle: Playing) -> int | None:
    """``handle.exit_code()``, treating a handle that raises as unknown."""
    try:
        return handle.exit_code()
    except Exception:
        return None


def _stop_each(handles: list[Playing]) -> None:
    """Stop every handle, never letting one failure prevent stopping the rest."""
    for handle in handles:
        try:
            handle.stop()
        except Exception:
            log.debug("stopping a sound failed", exc_info=True)


def _reap_all(handles: list[Playing], grace: float) -> None:
    """Wait (bounded) for stopped sounds to end, killing any that will not, so no process is left behind."""
    for handle in handles:
        wait = getattr(handle, "wait", None)
        ended = bool(wait(grace)) if callable(wait) else not _alive(handle)
        if not ended:
            kill = getattr(handle, "kill", None)
            if callable(kill):
                kill()
