"""Sound for SpasmCoach: the non-blocking cue and speech player, espeak-ng speech and playback backends."""

from spasmcoach.core.cues import Sound

from .backends import AudioUnavailableError, Playing, PlaysoundBackend, PlaysoundHandle
from .player import FAILURES_BEFORE_GIVING_UP, UNAVAILABLE_MESSAGE, AudioPlayer
from .speech import Speech

__all__ = [
    "FAILURES_BEFORE_GIVING_UP",
    "UNAVAILABLE_MESSAGE",
    "AudioPlayer",
    "AudioUnavailableError",
    "Playing",
    "PlaysoundBackend",
    "PlaysoundHandle",
    "Sound",
    "Speech",
]
