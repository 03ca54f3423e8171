"""Ice and heat timers: therapy kinds, presets, the timer engine, its saved state, the manager and advice."""

# Each name is imported from its module when it is first used (``core/lazy_exports.py``): importing one module of
# the package (``core.timers.kinds``, for the theme's ice and heat colours) loads neither the timer engine nor
# the presets, so the window's start-up does not pay for them.

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy_exports import lazy_exports

if TYPE_CHECKING:
    from .advice import (
        COLD_FIRST_HOURS,
        EPISODE_EVENT,
        LONG_PHASE_SECONDS,
        Episode,
        EpisodeJournal,
        FutureStartError,
        age_text,
        current_episode,
        heat_warning,
        long_on_warning,
        long_phase_warning,
        start_episode,
        start_warnings,
        suggested_therapy,
    )
    from .kinds import COLD_ADVICE, HEAT_ADVICE, THERAPY_KINDS, Therapy, TherapyKind
    from .manager import JournalLike, TimerManager
    from .presets import (
        CUSTOM_ID,
        MAX_CYCLES,
        MAX_OFF_SECONDS,
        MAX_ON_SECONDS,
        MIN_PHASE_SECONDS,
        PresetPhase,
        TimerPhase,
        TimerPreset,
        load_all_presets,
        load_presets,
        preset_files,
        preset_folders,
    )
    from .state_file import STATE_FORMAT, StateFileError, load_timers, read_boot_id
    from .timer import (
        DEFAULT_ADD_SECONDS,
        SavedTimer,
        TherapyTimer,
        TimerEvent,
        TimerEventKind,
        TimerState,
        TimerStatus,
    )

__all__ = [
    "COLD_ADVICE",
    "COLD_FIRST_HOURS",
    "CUSTOM_ID",
    "DEFAULT_ADD_SECONDS",
    "EPISODE_EVENT",
    "HEAT_ADVICE",
    "LONG_PHASE_SECONDS",
    "MAX_CYCLES",
    "MAX_OFF_SECONDS",
    "MAX_ON_SECONDS",
    "MIN_PHASE_SECONDS",
    "STATE_FORMAT",
    "THERAPY_KINDS",
    "Episode",
    "EpisodeJournal",
    "FutureStartError",
    "JournalLike",
    "PresetPhase",
    "SavedTimer",
    "StateFileError",
    "TherapyKind",
    "TherapyTimer",
    "Therapy",
    "TimerEvent",
    "TimerEventKind",
    "TimerManager",
    "TimerPhase",
    "TimerPreset",
    "TimerState",
    "TimerStatus",
    "age_text",
    "current_episode",
    "heat_warning",
    "load_timers",
    "load_all_presets",
    "load_presets",
    "long_on_warning",
    "long_phase_warning",
    "preset_files",
    "preset_folders",
    "read_boot_id",
    "start_episode",
    "start_warnings",
    "suggested_therapy",
]

__getattr__ = lazy_exports(__name__, ("kinds", "timer", "presets", "state_file", "manager", "advice"), __all__)
