"""Shared test setup: every test gets its own empty data folder and an offscreen Qt platform."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def spasmcoach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SPASMCOACH_HOME for each test: no test may touch the real user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("SPASMCOACH_HOME", str(home))
    monkeypatch.delenv("SPASMCOACH_TIME_SCALE", raising=False)
    return home
