"""The timers' saved state: one JSON file, read strictly and written atomically (see docs/timers.md).

On restore, a timer saved in the same boot (same Linux boot id) computes what has passed from the
boot-time clock, so wall-clock changes cannot move it; after a reboot (or where there is no boot id) it
uses the wall clock. A FIFO, a folder or a huge file in its place is refused at once, never waited on.
"""

from __future__ import annotations

import errno
import json
import math
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import paths
from ..clock import Clock
from ..storage import StorageError, read_bytes, require_aware, utc_now, write_json_atomic
from .presets import TimerPreset
from .timer import Now, SavedTimer, TherapyTimer, TimerState

STATE_FORMAT = 1
MAX_STATE_BYTES = 8 * 1024 * 1024  # thousands of timers; anything bigger is not ours
BOOT_ID_PATH = Path("/proc/sys/kernel/random/boot_id")
STATE_WHAT = "timers state"

BootId = Callable[[], str | None]


class StateFileError(ValueError):
    """The timer state file cannot be understood; the manager moves it aside and starts empty."""


def read_boot_id(path: Path = BOOT_ID_PATH) -> str | None:
    """Linux's id of the current boot (changes at every reboot); None where there is none."""
    try:
        value = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value or None


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with its offset (full precision), or None."""
    return None if moment is None else require_aware(moment).isoformat()


# -- writing ---------------------------------------------------------------------------------------------


def timer_to_state(timer: TherapyTimer) -> dict[str, Any]:
    """One timer as the state file stores it."""
    saved = timer.saved()
    return {
        "id": saved.id,
        "preset": saved.preset.to_dict(),
        "state": str(saved.state),
        "elapsed_at_anchor": saved.elapsed_at_anchor,
        "added": list(saved.added),
        "fired": saved.fired,
        "anchor_monotonic": saved.anchor_monotonic,
        "anchor_wall": _iso(saved.anchor_wall),
        "boot_id": saved.boot_id,
        "time_scale": saved.time_scale,
        "started_at": _iso(saved.started_at),
        "finished_at": _iso(saved.finished_at),
        "cancelled_at": _iso(saved.cancelled_at),
    }


def state_document(timers: list[TherapyTimer], saved_at: datetime) -> dict[str, Any]:
    """The whole state file's content."""
    return {"format": STATE_FORMAT, "saved_at": _iso(saved_at), "timers": [timer_to_state(t) for t in timers]}


def save_timers(path: Path, timers: list[TherapyTimer], saved_at: datetime) -> None:
    """Replace the state file in one step (temp file, fsync, rename, folder fsync); StorageError if not."""
    write_json_atomic(path, state_document(timers, saved_at), STATE_WHAT)


# -- reading ---------------------------------------------------------------------------------------------


class _StateReader:
    """Strict reading of one saved timer: any missing or mistyped value is a StateFileError."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping):
            raise StateFileError("each saved timer must be an object")
        self.data = data

    def get(self, key: str) -> Any:
        if key not in self.data:
            raise StateFileError(f"a saved timer lacks '{key}'")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value:
            raise StateFileError(f"'{key}' must be text")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.get(key) is None else self.text(key)

    def number(self, key: str) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise StateFileError(f"'{key}' must be a number")
        return float(value)

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise StateFileError(f"'{key}' must be a whole number from {low} to {high}")
        return value

    def time(self, key: str) -> datetime:
        value = self.text(key)
        try:
            return require_aware(datetime.fromisoformat(value), key)
        except ValueError:
            raise StateFileError(f"'{key}' must be an ISO 8601 time with its UTC offset") from None

    def optional_time(self, key: str) -> datetime | None:
        return None if self.data.get(key) is None else self.time(key)

    def state(self) -> TimerState:
        try:
            return TimerState(self.get("state"))
        except ValueError:
            raise StateFileError(f"'state' must be one of {', '.join(TimerState)}") from None

    def added(self, count: int) -> tuple[float, ...]:
        value = self.get("added")
        if not isinstance(value, list) or len(value) != count:
            raise StateFileError(f"'added' must be a list of {count} numbers")
        if any(isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0 for v in value):
            raise StateFileError("'added' must hold numbers of zero or more")
        return tuple(float(v) for v in value)

    def preset(self) -> TimerPreset:
        try:
            return TimerPreset.from_dict(self.get("preset"))
        except (ValueError, TypeError) as exc:
            raise StateFileError(f"the saved preset is not usable: {exc}") from None


def saved_timer(data: Mapping[str, Any]) -> SavedTimer:
    """One saved timer, checked for every value and for consistency; StateFileError if malformed."""
    reader = _StateReader(data)
    preset = reader.preset()
    phases = len(preset.phases())
    saved = SavedTimer(
        id=reader.text("id"), preset=preset, state=reader.state(), added=reader.added(phases),
        fired=reader.integer("fired", 0, phases), elapsed_at_anchor=reader.number("elapsed_at_anchor"),
        anchor_monotonic=reader.number("anchor_monotonic"), anchor_wall=reader.time("anchor_wall"),
        boot_id=reader.optional_text("boot_id"), time_scale=reader.number("time_scale"),
        started_at=reader.time("started_at"), finished_at=reader.optional_time("finished_at"),
        cancelled_at=reader.optional_time("cancelled_at"),
    )  # fmt: skip
    if saved.time_scale <= 0:
        raise StateFileError("time_scale must be positive")
    if saved.elapsed_at_anchor < 0:
        raise StateFileError("elapsed_at_anchor must not be negative")
    if saved.state.active and saved.fired >= phases:
        raise StateFileError("a running or paused timer cannot have fired its last event")
    if saved.state is TimerState.FINISHED and saved.finished_at is None:
        raise StateFileError("a finished timer needs finished_at")
    if saved.state is TimerState.CANCELLED and saved.cancelled_at is None:
        raise StateFileError("a cancelled timer needs cancelled_at")
    return saved


def load_timers(
    path: Path | None = None,
    *,
    clock: Clock,
    now: Now = utc_now,
    boot_id: BootId = read_boot_id,
) -> list[TherapyTimer]:
    """The timers saved in ``path`` (default: the data folder's), brought up to now; reads only.

    No file means no timers. StateFileError for a file that cannot be read or understood.
    """
    target = paths.timers_state_path() if path is None else path
    try:
        raw = read_bytes(target, MAX_STATE_BYTES, STATE_WHAT)
    except StorageError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):  # nothing saved yet: not a damaged file
            return []
        raise StateFileError(str(exc).rstrip(".")) from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StateFileError(f"it is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != STATE_FORMAT or not isinstance(doc.get("timers"), list):
        raise StateFileError(f"it is not a SpasmCoach timer state file of format {STATE_FORMAT}")
    current_boot = boot_id()
    timers: list[TherapyTimer] = []
    seen: set[str] = set()
    for entry in doc["timers"]:
        timer = TherapyTimer.restore(saved_timer(entry), clock, now=now, boot_id=current_boot)
        if timer.id in seen:
            raise StateFileError(f"timer id '{timer.id}' appears twice")
        seen.add(timer.id)
        timers.append(timer)
    return timers
