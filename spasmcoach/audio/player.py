"""The audio player: non-blocking sound cues and spoken guidance for the stretch guide and the ice/heat timers.

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

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from spasmcoach.core import resources
from spasmcoach.core.clock import Clock, MonotonicClock
from spasmcoach.core.cues import Sound

from .backends import Playing, PlaysoundBackend, alive, exit_code, reap_all, stop_each
from .speech import Speech
from .wav import is_playable_wav

log = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = "Sound is not available on this computer; cues will be shown on screen only."
"""The one calm line handed to ``on_unavailable``."""

FAILURES_BEFORE_GIVING_UP = 3
"""Consecutive failures, after sound has worked once, before the player declares sound unavailable."""

_POLL_SECONDS = 0.05
"""How often the worker checks playing sounds for having finished (only while some are playing)."""

_CLOSE_GRACE_SECONDS = 1.0
"""How long close() waits for terminated sound processes to exit before killing them."""


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
        stop_each(to_stop)

    @property
    def speech(self) -> Speech:
        """The speech engine in use."""
        return self._speech

    # ---- public actions ---------------------------------------------------------------------------------

    def play(self, cue: Sound | str, due: float | None = None) -> None:
        """Queue the sound ``cue`` and return at once; ``due`` (a clock reading, default now) decides lateness.

        Only the catalogue's sound names are accepted (ValueError otherwise), never a path.
        """
        sound = Sound(cue)
        when = self._clock.now() if due is None else due
        with self._cond:
            if self._closed or self._muted or self._available is False:
                return
            self._queue.append(_Job(self._sounds_dir / sound.filename, sound.value, when, self._generation, False))
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
        stop_each(handles)

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
        stop_each(leftovers)
        reap_all(leftovers, _CLOSE_GRACE_SECONDS)

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
            ok = is_playable_wav(path)
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
        stop_each(to_stop)

    def _reap(self) -> None:
        """Forget sounds that have ended; a player that ended with an error counts as a failure."""
        with self._cond:
            if not self._active and not self._stopping:
                return
            active = list(self._active)
            stopping = list(self._stopping)
        ended = [a for a in active if not alive(a.handle)]
        gone = [h for h in stopping if not alive(h)]
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
            code = exit_code(item.handle)
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
