"""The pain-change rule in one place: how much a rating moved, and when a rise is worth saying plainly."""

from __future__ import annotations

__all__ = ["PAIN_RISE_WARNING", "pain_change", "pain_rose"]

PAIN_RISE_WARNING = 2  # points of pain added by a routine that make us say it may not suit right now


def pain_change(before: int | None, after: int | None) -> int | None:
    """Pain after minus pain before (negative: it went down), or None without both ratings."""
    if before is None or after is None:
        return None
    return after - before


def pain_rose(before: int | None, after: int | None) -> bool:
    """Whether pain rose by PAIN_RISE_WARNING points or more from before to after."""
    change = pain_change(before, after)
    return change is not None and change >= PAIN_RISE_WARNING
