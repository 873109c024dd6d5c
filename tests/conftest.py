"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

# Wide, plain terminal output for the CLI tests (rich reads these when its consoles are made).
os.environ["COLUMNS"] = "200"
os.environ.setdefault("NO_COLOR", "1")

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def data_dir() -> Path:
    return DATA
