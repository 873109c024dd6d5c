"""The web app under test: a TestClient on a fresh app per module, and a toy scenario's text."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

TOY = """\
id: toy-water
title: Toy water talks
as_of: 2026-01-15
sources:
  - {id: s1, title: "Example report", language: en}
issues:
  - id: share
    name: Downstream share
    scale: {0: "no share", 100: "full flow"}
    status_quo: 20
actors:
  - id: up
    name: Upstream
    role: principal
    veto: true
    capability: 60
    stances:
      share: {position: 25, salience: 80, red_line: {max: 55}}
  - id: down
    name: Downstream
    role: principal
    veto: true
    capability: 40
    stances:
      share: {position: 80, salience: 100, red_line: {min: 40}}
variants:
  - id: drought
    rationale: the downstream state cares more
    set: {actors.down.stances.share.salience: 100}
"""


def fresh_db() -> str:
    """A run store of its own (SQLite in a new temporary folder)."""
    import tempfile

    return str(Path(tempfile.mkdtemp(prefix="accord-web-")) / "runs.db")


def client_for(**settings):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from accord.web import create_app
    from accord.web.settings import Settings

    settings.setdefault("db", fresh_db())
    return TestClient(create_app(Settings(**settings)))


@pytest.fixture(scope="module")
def client():
    with client_for() as c:
        yield c


@pytest.fixture
def toy() -> str:
    return TOY
