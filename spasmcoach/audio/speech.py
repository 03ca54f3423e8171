"""Spoken guidance: espeak-ng renders a sentence once into a cached, loudness-levelled WAV the player plays."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import shutil
import subprocess
import threading
import wave
from pathlib import Path

from spasmcoach.core import i18n, paths

from .wav import CUE_LOUDNESS_LUFS, is_playable_wav, limit_peak, normalise_loudness, wav_seconds

log = logging.getLogger(__name__)


# The espeak-ng voice for each shipped language (``espeak-ng --voices=de`` lists the German ones).
VOICES = {"en": "en-us", "de": "de"}

DEFAULT_AMPLITUDE = 100
"""espeak-ng's ``-a`` amplitude when no gain has been learned (its own default; the scale is linear, 0–200)."""

MEASURE_BELOW_SECONDS = 4.0
"""Sentences shorter than this are measured and levelled exactly (cheap); longer ones use the learned gain."""

_learned: dict[tuple[str | None, str, int, int], int] = {}
"""The espeak-ng amplitude that brings each engine, voice, rate and pitch to the cue loudness (this process)."""
_learned_lock = threading.Lock()


class Speech:
    """Spoken guidance with espeak-ng: renders text to a cached WAV that the player plays like a cue.

    Rendering is blocking and meant for the player's speech thread. The cache file name is a hash of the
    text, voice, rate, pitch and level, so a sentence is rendered once and then reused. Speech is spoken
    calmly and a little slowly, and scaled to the cues' integrated loudness (peaks at most -1 dBFS), so
    words and tones sound equally loud.

    Measuring loudness walks every sample in Python, so only short sentences are measured each time. The
    first longer one is measured once and teaches the gain for this voice, which espeak-ng then applies
    itself (``-a``) to every later sentence; those are only kept under the peak ceiling. One voice's
    sentences differ from each other by well under 1 LU, the window of docs/audio.md.
    """

    LOUDNESS_LUFS = CUE_LOUDNESS_LUFS
    PEAK_CEILING_DBFS = -1.0

    def __init__(
        self,
        *,
        voice: str | None = None,
        rate: int = 140,
        pitch: int = 45,
        cache_dir: Path | None = None,
        executable: str | None = None,
        timeout: float = 15.0,
    ) -> None:
        self.voice = voice or VOICES.get(i18n.current_language(), VOICES[i18n.ENGLISH])  # the app's language
        self.rate = rate
        self.pitch = pitch
        self.timeout = timeout
        self._cache_dir = cache_dir
        self._executable = executable or shutil.which("espeak-ng") or shutil.which("espeak")
        self._broken = False
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._cancelled = False
        self._amplitude = DEFAULT_AMPLITUDE

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
        key = f"{self.voice}\0{self.rate}\0{self.pitch}\0{self.LOUDNESS_LUFS:g} LUFS\0learned gain\0{text}".encode()
        return self.cache_dir / f"{hashlib.sha256(key).hexdigest()[:32]}.wav"

    def render(self, text: str) -> Path | None:
        """A WAV file speaking ``text`` (from the cache if rendered before), or None if that failed."""
        if not self.available or not text.strip():
            return None
        target = self.cache_path(text)
        if is_playable_wav(target):
            return target
        tmp = target.with_name(f".{target.stem}.{os.getpid()}.{threading.get_ident()}.part")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not self._render_levelled(text, tmp):
                return None
            os.replace(tmp, target)  # atomic: another thread or process never sees a half-written file
        except (OSError, wave.Error, EOFError) as exc:
            log.warning("could not prepare spoken guidance: %s", exc)
            return None
        finally:
            with contextlib.suppress(OSError):  # e.g. the data folder is a file: nothing was made to remove
                tmp.unlink(missing_ok=True)
        return target

    def _render_levelled(self, text: str, tmp: Path) -> bool:
        """Render ``text`` into ``tmp`` at the cue loudness; False if the engine failed."""
        key = (self._executable, self.voice, self.rate, self.pitch)
        with _learned_lock:
            learned = _learned.get(key)
        self._amplitude = learned or DEFAULT_AMPLITUDE
        if not self._run_engine(text, tmp):
            return False
        long = wav_seconds(tmp) >= MEASURE_BELOW_SECONDS
        if learned is not None and long:
            limit_peak(tmp, self.PEAK_CEILING_DBFS)
            return True
        measured = normalise_loudness(tmp, self.LOUDNESS_LUFS, self.PEAK_CEILING_DBFS)
        if learned is None and long and math.isfinite(measured):
            gain = 10 ** ((self.LOUDNESS_LUFS - measured) / 20)
            with _learned_lock:
                _learned.setdefault(key, max(1, min(200, round(DEFAULT_AMPLITUDE * gain))))
        return True

    def _run_engine(self, text: str, out: Path) -> bool:
        """Run espeak-ng into ``out``; False (and logged) if it failed or was cancelled."""
        assert self._executable is not None
        cmd = [self._executable, "-v", self.voice, "-s", str(self.rate), "-p", str(self.pitch)]
        cmd += ["-a", str(self._amplitude), "-w", str(out)]
        cmd += ["--stdin"]  # text on stdin: a sentence starting with "-" is not an option
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
