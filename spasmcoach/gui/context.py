"""The one application context passed to every window and page, instead of globals.

Tests build it with a fake clock, a temporary journal and a silent audio sink.
"""

from __future__ import annotations

import errno
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings

from spasmcoach.core import loader, paths, routine_cache
from spasmcoach.core.clock import Clock
from spasmcoach.core.i18n import N_, _
from spasmcoach.core.journal import Journal
from spasmcoach.core.notify import Notifier
from spasmcoach.core.routine_text import localized_library
from spasmcoach.core.storage import StorageError, move_aside, read_bytes

if TYPE_CHECKING:
    from spasmcoach.core.session import CueSink
    from spasmcoach.core.timers import TimerManager, TimerPreset

log = logging.getLogger(__name__)


MAX_SETTINGS_BYTES = 1024 * 1024  # a few hundred bytes are normal; a bigger file is not ours
SETTINGS_WHAT = N_("settings file")
NOTICE_ATTRIBUTE = "spasmcoach_notice"  # set on the QSettings when its file had to be set aside


def _settings_problem(path: Path) -> StorageError | None:
    """Why ``path`` must not be handed to QSettings (which would block on a FIFO), or None if it may be."""
    try:
        read_bytes(path, MAX_SETTINGS_BYTES, SETTINGS_WHAT)  # non-blocking, regular files only, bounded
    except StorageError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG):
            return None  # nothing there yet, or the data folder itself is unusable (said elsewhere): Qt copes
        return exc
    return None


def open_settings(path: Path | None = None) -> QSettings:
    """Window geometry, mute and voice, kept in the data folder so SPASMCOACH_HOME isolates them.

    A settings file that is not a readable regular file (a FIFO, a device, a folder, a link to one, or
    far too large) is moved aside and the app starts with default settings; the QSettings then carries a
    notice (``NOTICE_ATTRIBUTE``) that :class:`AppContext` shows. If it cannot even be moved, settings are
    kept in a scratch folder for this run only.
    """
    target = paths.settings_path() if path is None else path
    problem = _settings_problem(target)
    notice = None
    if problem is not None:
        try:
            moved = move_aside(target, "damaged")
            notice = _(
                "Your settings file could not be used ({reason}), so default settings are in use. "
                "The old file was kept at {path}."
            ).format(reason=problem.reason, path=moved)
        except StorageError as exc:
            log.warning("settings file %s not usable and not movable: %s", target, exc)
            target = Path(tempfile.mkdtemp(prefix="spasmcoach-settings-")) / target.name
            notice = _(
                "Your settings file {path} could not be used ({reason}); settings will not be kept after this run."
            ).format(path=paths.settings_path() if path is None else path, reason=problem.reason)
    settings = QSettings(str(target), QSettings.Format.IniFormat)
    setattr(settings, NOTICE_ATTRIBUTE, notice)
    return settings


@dataclass
class AppContext:
    """What every window and page needs: clock, journal, sound, notices, settings, routines and timers."""

    clock: Clock
    journal: Journal | None
    audio: Any  # spasmcoach.audio.AudioPlayer or a test stand-in with play/say/stop_all/muted
    notifier: Notifier = field(default_factory=Notifier)
    settings: QSettings = field(default_factory=open_settings)
    # parsed files kept as JSON; bundled routines in the chosen language
    load_library: Callable[[], loader.Library] = lambda: localized_library(routine_cache.load_library_cached())
    timers: TimerManager | None = None
    presets: dict[str, TimerPreset] = field(default_factory=dict)

    def __post_init__(self) -> None:
        notice = getattr(self.settings, NOTICE_ATTRIBUTE, None)
        if notice:
            self.notifier.warn(notice, key="settings")

    @property
    def sink(self) -> CueSink | None:
        return self.audio
