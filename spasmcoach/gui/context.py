"""The one application context passed to every window and page, instead of globals.

Tests build it with a fake clock, a temporary journal and a silent audio sink.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings

from spasmcoach.core import loader, paths
from spasmcoach.core.clock import Clock
from spasmcoach.core.journal import Journal
from spasmcoach.core.notify import Notifier
from spasmcoach.core.session import CueSink

if TYPE_CHECKING:
    from spasmcoach.core.timers import TimerManager, TimerPreset


def open_settings() -> QSettings:
    """Window geometry, mute and voice, kept in the data folder so SPASMCOACH_HOME isolates them."""
    return QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)


@dataclass
class AppContext:
    """What every window and page needs: clock, journal, sound, notices, settings, routines and timers."""

    clock: Clock
    journal: Journal | None
    audio: Any  # spasmcoach.audio.AudioPlayer or a test stand-in with play/say/stop_all/muted
    notifier: Notifier = field(default_factory=Notifier)
    settings: QSettings = field(default_factory=open_settings)
    load_library: Callable[[], loader.Library] = loader.load_library
    timers: TimerManager | None = None
    presets: dict[str, TimerPreset] = field(default_factory=dict)

    @property
    def sink(self) -> CueSink | None:
        return self.audio
