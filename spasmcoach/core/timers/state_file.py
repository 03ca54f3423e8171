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
from ..clock import MAX_TIME_SCALE, MIN_TIME_SCALE, Clock
from ..storage import StorageError, read_bytes, require_aware, utc_now, write_json_atomic
from .presets import MAX_OFF_SECONDS, MAX_ON_SECONDS, TimerPreset
from .timer import Now, SavedTimer, TherapyTimer, TimerState

STATE_FORMAT = 1
MAX_STATE_BYTES = 8 * 1024 * 1024  # thousands of timers; anything bigger is not ours
BOOT_ID_PATH = Path("/proc/sys/kernel/random/boot_id")
STATE_WHAT = "timers state"
MAX_DEPTH = 8  # the format nests four deep; anything deeper is damage, refused before it is walked
MAX_INTEGER = 2**53  # a JSON integer beyond this is not ours (and would be a float's rounding anyway)
# Every number is bounded where it is read, so no later sum, product or timedelta can overflow:
MAX_ELAPSED = 10 * 365 * 86400.0  # ten years of timer time: far beyond any preset (24 cycles of 2 h + 24 h)
MAX_ANCHOR = 1e11  # a boot-time or monotonic clock reading (about 3,000 years of uptime)
MAX_ADDED = max(MAX_ON_SECONDS, MAX_OFF_SECONDS)  # "+5 min" is capped at the phase limit
EARLIEST_YEAR, LATEST_YEAR = 1970, 2200  # a wall time outside these is a damaged file, not a wrong clock

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

    def number(self, key: str, low: float, high: float) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise StateFileError(f"'{key}' must be a number")
        if not low <= value <= high:
            raise StateFileError(f"'{key}' must be a number from {low:g} to {high:g}, not {value:g}")
        return float(value)

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise StateFileError(f"'{key}' must be a whole number from {low} to {high}")
        return value

    def time(self, key: str) -> datetime:
        value = self.text(key)
        try:
            moment = require_aware(datetime.fromisoformat(value), key)
        except (ValueError, OverflowError):
            raise StateFileError(f"'{key}' must be an ISO 8601 time with its UTC offset") from None
        if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            raise StateFileError(f"'{key}' must be a time between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return moment

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
        if any(
            isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or not 0 <= v <= MAX_ADDED
            for v in value
        ):
            raise StateFileError(f"'added' must hold numbers from 0 to {MAX_ADDED:g}")
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
        fired=reader.integer("fired", 0, phases), elapsed_at_anchor=reader.number("elapsed_at_anchor", 0, MAX_ELAPSED),
        anchor_monotonic=reader.number("anchor_monotonic", -MAX_ANCHOR, MAX_ANCHOR),
        anchor_wall=reader.time("anchor_wall"), boot_id=reader.optional_text("boot_id"),
        time_scale=reader.number("time_scale", MIN_TIME_SCALE, MAX_TIME_SCALE),
        started_at=reader.time("started_at"), finished_at=reader.optional_time("finished_at"),
        cancelled_at=reader.optional_time("cancelled_at"),
    )  # fmt: skip
    if saved.state.active and saved.fired >= phases:
        raise StateFileError("a running or paused timer cannot have fired its last event")
    if saved.state is TimerState.FINISHED and saved.finished_at is None:
        raise StateFileError("a finished timer needs finished_at")
    if saved.state is TimerState.CANCELLED and saved.cancelled_at is None:
        raise StateFileError("a cancelled timer needs cancelled_at")
    return saved


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number this file may hold")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large")
    return value


def _bounded_int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_INTEGER:
        raise ValueError(f"the whole number {text[:20]}... is too large")
    return value


def _check_depth(document: object) -> None:
    """StateFileError if ``document`` nests deeper than MAX_DEPTH (walked with a list, never recursively)."""
    pending: list[tuple[object, int]] = [(document, 1)]
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > MAX_DEPTH:
            raise StateFileError(f"it nests deeper than {MAX_DEPTH} levels")
        pending.extend((child, depth + 1) for child in children)


def parse_state_json(raw: bytes) -> object:
    """The JSON document in ``raw``: finite numbers of sane size only, nested at most MAX_DEPTH deep.

    NaN, Infinity, 1e999 and 10**400 are refused while parsing; nesting too deep for the parser's stack
    (RecursionError) or deeper than MAX_DEPTH is refused too. StateFileError for each.
    """
    try:
        text = raw.decode("utf-8")
        doc = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_bounded_int)
    except RecursionError:
        raise StateFileError(f"it nests deeper than {MAX_DEPTH} levels") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise StateFileError(f"it is not valid JSON ({str(exc)[:200]})") from None
    _check_depth(doc)
    return doc


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
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG):  # nothing saved (or savable): not damage
            return []
        raise StateFileError(str(exc).rstrip(".")) from None
    doc = parse_state_json(raw)
    if not isinstance(doc, dict) or doc.get("format") != STATE_FORMAT or not isinstance(doc.get("timers"), list):
        raise StateFileError(f"it is not a SpasmCoach timer state file of format {STATE_FORMAT}")
    current_boot = boot_id()
    timers: list[TherapyTimer] = []
    seen: set[str] = set()
    for entry in doc["timers"]:
        try:
            timer = TherapyTimer.restore(saved_timer(entry), clock, now=now, boot_id=current_boot)
        except (ArithmeticError, ValueError) as exc:  # a belt to the bounds' braces: never a traceback at start-up
            if isinstance(exc, StateFileError):
                raise
            raise StateFileError(f"a saved timer cannot be brought up to now ({exc})") from None
        if timer.id in seen:
            raise StateFileError(f"timer id '{timer.id}' appears twice")
        seen.add(timer.id)
        timers.append(timer)
    return timers
