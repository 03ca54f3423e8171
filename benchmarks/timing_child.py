"""Runs one routine in the real window, in real time, and records when each phase boundary happened.

Started by bench_timing.py in its own process (under Xvfb). The window, journal, clock and audio player
are built exactly as ``spasmcoach`` builds them (gui.app's helpers); only the audio player is wrapped so
that every cue is timestamped on its way in, and the player view's phase change is timestamped when it
is drawn. Prints one JSON object on stdout.

For each phase boundary two moments are recorded against its schedule (start time + planned offset,
where the start time is the runner's own origin on the same monotonic clock):
- ``cue``: when the cue for the new phase was handed to the audio player (the sound starts from here),
- ``shown``: when the player view switched to the new phase.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


class Stamping:
    """Wraps the real audio player: records (cue, due, handed-over time) and passes everything on."""

    def __init__(self, inner: Any) -> None:
        """Wrap ``inner``."""
        object.__setattr__(self, "inner", inner)
        object.__setattr__(self, "records", [])

    def play(self, cue: str, due: float | None = None) -> None:
        """Record the cue and the moment it arrived, then play it."""
        self.records.append({"cue": str(cue), "due": due, "at": time.monotonic()})
        self.inner.play(cue, due)

    def __getattr__(self, name: str) -> Any:
        """Everything else is the real player's."""
        return getattr(self.inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        """Settings such as ``muted`` go to the real player."""
        setattr(self.inner, name, value)


def main(routine_id: str) -> None:
    """Play ``routine_id`` once in the real window and print what was recorded."""
    from PySide6.QtWidgets import QApplication

    from spasmcoach.core.clock import MonotonicClock, ScaledClock, time_scale, timer_clock
    from spasmcoach.core.notify import Notifier
    from spasmcoach.gui import theme
    from spasmcoach.gui.app import load_all_presets, make_audio, open_journal, open_timers
    from spasmcoach.gui.context import AppContext, open_settings
    from spasmcoach.gui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setStyleSheet(theme.STYLE_SHEET)
    notifier = Notifier()
    scale = time_scale()
    clock = ScaledClock(MonotonicClock(), scale)
    journal = open_journal(notifier)
    ctx = AppContext(clock=clock, journal=journal, audio=None, notifier=notifier, settings=open_settings())
    window = MainWindow(ctx)
    window.show()
    # as gui.app.run_gui does once the window is on screen, with the audio player wrapped
    audio = Stamping(make_audio(clock, notifier))
    window.attach_audio(audio)
    window.attach_timers(open_timers(timer_clock(), journal, notifier), load_all_presets()[0])
    shown: list[dict[str, float]] = []
    original = window.player._show_phase

    def show_phase(phase: Any) -> None:
        """Draw the phase as the app does, then note when it was on screen."""
        original(phase)
        shown.append({"index": phase.index, "at": time.monotonic()})

    window.player._show_phase = show_phase  # type: ignore[method-assign]
    window.session_finished.connect(app.quit)
    window.start_routine(routine_id, prompt=False)
    session = window.session
    assert session is not None
    origin = session.runner._origin
    app.exec()
    phases = [
        {"index": p.index, "start": p.start, "kind": str(p.kind), "step": p.step.name}
        for p in session.runner.timeline.phases
    ]
    result = {
        "origin": origin, "scale": scale, "total": session.runner.timeline.total, "phases": phases,
        "cues": audio.records, "shown": shown, "wakeups": window.driver.wakeups if window.driver else None,
        "sound_available": audio.available,
    }  # fmt: skip
    audio.close()
    if journal is not None:
        journal.close()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
    sys.stdout.flush()
