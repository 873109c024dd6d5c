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


@pytest.fixture(scope="session", autouse=True)
def _private_run_store(tmp_path_factory):
    """Keep tests away from the user's own run store: commands that store runs write here."""
    before = os.environ.get("ACCORD_DB")
    os.environ["ACCORD_DB"] = str(tmp_path_factory.mktemp("store") / "accord.db")
    yield
    if before is None:
        os.environ.pop("ACCORD_DB", None)
    else:
        os.environ["ACCORD_DB"] = before


@pytest.fixture
def data_dir() -> Path:
    return DATA
