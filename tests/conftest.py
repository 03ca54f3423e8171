"""Shared test setup: every test gets its own empty data folder and an offscreen Qt platform."""

from __future__ import annotations

import os
from collections.abc import Iterator
from gettext import NullTranslations
from pathlib import Path

import pytest

from spasmcoach.core import i18n

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def spasmcoach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh SPASMCOACH_HOME for each test: no test may touch the real user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("SPASMCOACH_HOME", str(home))
    monkeypatch.delenv("SPASMCOACH_TIME_SCALE", raising=False)
    monkeypatch.setenv("LANGUAGE", "en")  # the tests read English text, whatever the machine's language
    yield home
    i18n.use(NullTranslations(), i18n.ENGLISH)  # a test that chose German leaves English behind


# Whole modules that take seconds: fuzzing, crash loops, a built wheel, real windows, long soak runs.
SLOW_MODULES = frozenset(
    {
        "test_e2e_journey",
        "test_e2e_player",
        "test_e2e_timers",
        "test_fuzz_loader",
        "test_hygiene",
        "test_journal_crash",
        "test_packaging",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tests, so ``pytest -m "not slow"`` is the quick edit-test loop (CI runs everything)."""
    slow = pytest.mark.slow
    for item in items:
        module = item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")
        if module in SLOW_MODULES or item.get_closest_marker("xvfb") is not None:
            item.add_marker(slow)
