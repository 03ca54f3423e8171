"""Durations as people write them."""

from __future__ import annotations

import pytest

from spasmcoach.core.durations import DurationError, format_clock, format_human, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(30, 30), (2.5, 2.5), ("45", 45), ("45s", 45), ("1m30s", 90), ("2 min", 120), ("1:30", 90),
     ("1:00:00", 3600), ("1h 5m", 3900), ("1.5 minutes", 90), ("20 SEC", 20)],
)  # fmt: skip
def test_parse(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["", "soon", "1m1m", "5 parsecs", "1:75", True, None, [1], float("nan"), float("inf")])
def test_parse_rejects(bad: object) -> None:
    with pytest.raises(DurationError):
        parse_duration(bad)


def test_countdown_rounds_up_so_zero_shows_only_at_the_end() -> None:
    assert [format_clock(s) for s in (90, 59.2, 0.4, 0, 3600)] == ["1:30", "1:00", "0:01", "0:00", "1:00:00"]


def test_human() -> None:
    assert [format_human(s) for s in (45, 120, 210, 3900)] == ["45 s", "2 min", "3 min 30 s", "1 h 5 min"]
