"""The audio player: non-blocking sound cues and spoken guidance for the stretch guide and the ice/heat timers.

The GUI calls :meth:`AudioPlayer.play` and :meth:`AudioPlayer.say`; both return at once. One worker
thread starts the sounds (playsound3 in non-blocking mode by default) and keeps their handles so that
:meth:`AudioPlayer.stop_all`, muting and :meth:`AudioPlayer.close` can silence them at once. A second,
lazily started thread renders speech with espeak-ng into a cache folder. A cue that could only start more
than ``max_lateness`` seconds after it was due is dropped, never played late: a late "hold" chime would
mislead someone who is following the sounds rather than the screen.

Speech has one voice and follows the policy in :mod:`spasmcoach.audio.voice`: no sentence that matters
is ever silently replaced, and droppable ones (countdown numbers) yield. :meth:`AudioPlayer.prepare`
renders a routine's sentences ahead of time, so they start on time.

If no way to play sound works, ``on_unavailable`` is called once (from the worker thread) and the player
goes quiet for good; the screen then carries every cue. This module is Qt-free.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from spasmcoach.core import resources
from spasmcoach.core.clock import Clock, MonotonicClock
from spasmcoach.core.cues import Sound
from spasmcoach.core.i18n import N_, _

from .backends import Playing, PlaysoundBackend, alive, exit_code, reap_all, stop_each
from .speech import Speech
from .voice import Job, Request, Sounding, SpeechQueue, matters_speaking
from .wav import is_playable_wav, wav_seconds

log = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = N_("Sound is not available on this computer; cues will be shown on screen only.")
"""The one calm line handed to ``on_unavailable``."""

FAILURES_BEFORE_GIVING_UP = 3
"""Consecutive failures, after sound has worked once, before the player declares sound unavailable."""

_POLL_SECONDS = 0.05
"""How often the worker checks playing sounds for having finished (only while some are playing)."""

_CLOSE_GRACE_SECONDS = 1.0
"""How long close() waits for terminated sound processes to exit before killing them."""


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
        speech_lateness: float = 2.0,
        speech: Speech | None = None,
    ) -> None:
        self._sounds_dir = sounds_dir if sounds_dir is not None else resources.sounds_dir()
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._backend: Callable[[Path], Playing] = backend if backend is not None else PlaysoundBackend()
        self._on_unavailable = on_unavailable
        self._max_lateness = max_lateness
        self._speech_lateness = speech_lateness
        self._speech = speech if speech is not None else Speech()

        self._cond = threading.Condition()
        self._queue: deque[Job] = deque()
        self._voice = SpeechQueue()
        self._active: list[Sounding] = []
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
                self._voice.clear()
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
            self._queue.append(Job(self._sounds_dir / sound.filename, sound.value, when, self._generation, False))
            self._ensure_worker()
            self._cond.notify_all()

    def say(self, text: str, due: float | None = None, *, droppable: bool = False, until: float | None = None) -> None:
        """Speak ``text`` if voice is enabled and a speech engine exists; otherwise do nothing.

        A sentence that matters (the default) is queued and finishes; a ``droppable`` one is skipped while one
        that matters is spoken or waits. ``until`` (a clock reading) is when the sentence stops being useful.
        """
        if not text.strip() or not self.voice_enabled:
            return
        now = self._clock.now()
        when = now if due is None else due
        with self._cond:
            if self._closed or self._muted or self._available is False:
                return
            if droppable and (self._voice.matters_waiting() or self._matters_speaking(now)):
                log.debug("skipped %r: a sentence that matters is being spoken", text)
                return
            self._voice.ask(Request(text, when, self._generation, droppable, until))
            self._ensure_speaker()
            self._cond.notify_all()

    def prepare(self, texts: Sequence[str]) -> None:
        """Render ``texts`` into the speech cache in the background (when nothing is to be said), so they
        start on time later. Returns at once; does nothing without a voice."""
        if not self.voice_enabled:
            return
        with self._cond:
            if self._closed:
                return
            self._voice.ahead.extend(t for t in texts if t.strip())
            self._ensure_speaker()
            self._cond.notify_all()

    @property
    def speaking(self) -> bool:
        """True while a sentence that matters is being spoken or waits to be (droppable ones yield to it)."""
        with self._cond:
            return self._voice.matters_waiting() or self._matters_speaking(self._clock.now())

    @property
    def settled(self) -> bool:
        """Nothing asked for is still on its way: every sound has started, or waits for the voice to be free.

        For tests and tools that drive the player with a fake clock and must know when it has caught up.
        """
        with self._cond:
            waiting_for_voice = bool(self._voice.ready) and self._matters_speaking(self._clock.now())
            return (
                not self._queue
                and not self._voice.requests
                and self._voice.rendering is None
                and self._voice.starting is None
                and (not self._voice.ready or waiting_for_voice)
            )

    def stop_all(self) -> None:
        """Silence everything now: clear what is waiting and stop what is playing. Returns in microseconds."""
        with self._cond:
            self._generation += 1
            self._queue.clear()
            self._voice.clear()
            handles = [a.handle for a in self._active]
            self._active.clear()
            self._stopping.extend(handles)
            self._cond.notify_all()
        stop_each(handles)

    def close(self) -> None:
        """Stop everything, end the threads and reap every sound process; safe to call more than once."""
        with self._cond:
            self._closed = True
            self._voice.ahead.clear()
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
                if self._queue:
                    job = self._queue.popleft()
                elif self._voice.ready and not self._matters_speaking(self._clock.now()):
                    job = self._voice.ready.popleft()
                else:
                    busy = bool(self._active or self._stopping or self._voice.ready)
                    self._cond.wait(timeout=_POLL_SECONDS if busy else None)
                    continue
                self._voice.starting = job
            try:
                self._start(job)
            except Exception:  # never let a surprise kill the worker: the next cue must still play
                log.exception("unexpected error while starting sound %s", job.label)
            finally:
                with self._cond:
                    self._voice.starting = None
                    self._cond.notify_all()

    def _run_speaker(self) -> None:
        """Speech loop: render each requested sentence in order, then queue it for the voice."""
        while True:
            with self._cond:
                while not self._voice.has_work() and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                if not self._voice.requests:
                    ahead = self._voice.ahead.popleft()
                    request = None
                else:
                    request = self._voice.rendering = self._voice.requests.popleft()
            if request is None:
                self._render(ahead)
                continue
            try:
                self._render_request(request)
            finally:
                with self._cond:
                    self._voice.rendering = None
                    self._cond.notify_all()

    def _render(self, text: str) -> Path | None:
        """Render ``text`` (from the cache if it is there); None if that failed."""
        try:
            return self._speech.render(text)
        except Exception:
            log.exception("unexpected error while rendering speech")
            return None

    def _render_request(self, request: Request) -> None:
        """Render one requested sentence and hand it to the worker, unless it is stale or no longer wanted."""
        if self._stale(request.due, request.droppable, request.until, "speech"):
            return
        path = self._render(request.text)
        if path is None:
            return
        seconds = wav_seconds(path)
        with self._cond:
            if self._closed or request.generation != self._generation or not self._voice_wanted:
                return
            if request.droppable and self._voice.matters_waiting():
                return
            job = Job(path, "speech", request.due, request.generation, True, request.droppable, request.until, seconds)
            self._voice.ready.append(job)
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

    def _stale(self, due: float, droppable: bool, until: float | None, label: str) -> bool:
        """A sentence no longer worth rendering: droppable ones go by lateness, others by ``until``."""
        return self._late(due, label) if droppable else self._voice.expired(until, self._clock.now())

    def _matters_speaking(self, now: float) -> bool:
        """A sentence that matters is still being spoken (caller holds the lock)."""
        return matters_speaking(self._active, now)

    def _speech_too_late(self, job: Job) -> bool:
        """A rendered sentence that can no longer start usefully (caller does not hold the lock)."""
        with self._cond:
            now = self._clock.now()
            if job.droppable:
                return self._voice.yields(self._matters_speaking(now)) or self._late(job.due, job.label)
            return self._voice.too_late(job, now, self._speech_lateness)

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

    def _start(self, job: Job) -> None:
        """Start one job unless it is stale, late, unplayable or sound has been given up."""
        with self._cond:
            if job.generation != self._generation or self._muted or self._available is False:
                return
        too_late = self._speech_too_late(job) if job.speech else self._late(job.due, job.label)
        if too_late or not self._file_ok(job.path):
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
                ends = 0.0
                if job.speech:  # never two voices at once; what is left is droppable or should have ended
                    to_stop = [a.handle for a in self._active if a.speech]
                    self._active = [a for a in self._active if not a.speech]
                    ends = self._clock.now() + job.seconds
                    if not job.droppable:
                        self._voice.free_at = ends
                self._active.append(Sounding(handle, job.speech, job.droppable, ends))
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
        natural: list[Sounding] = []
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
                self._voice.clear()
        log.debug("sound failed: %s", reason)
        if not give_up:
            return
        log.info("sound is unavailable (%s); cues will be shown on screen only", reason)
        if self._on_unavailable is not None:
            try:
                self._on_unavailable(_(UNAVAILABLE_MESSAGE))
            except Exception:
                log.exception("on_unavailable callback failed")
