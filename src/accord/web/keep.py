"""Where the server keeps what it is given and what it runs: scenarios saved from the browser or
the API, and every run with its record — in the run store (:mod:`accord.runs.store`: SQLite by
default, PostgreSQL by URL), the same store ``accord runs`` and ``accord history`` read.

One class stands between the web app and the store, so the rest of :mod:`accord.web` never speaks
to a database: :class:`Keeper`. Runs get their id when they start (``begin``), record their chunks
of draws as they finish (``chunk``), report their end (``finish``, ``fail``) and are read back as
:class:`KeptRun`. Scenarios kept through the web are the store's scenario versions whose source is
``web``; the newest version of an id is the one served.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from accord.scenario.types import Scenario

#: the source of the scenario versions kept through the web
WEB = "web"


@dataclass(frozen=True)
class KeptScenario:
    id: str
    title: str
    as_of: dt.date | None
    saved: dt.datetime


@dataclass
class KeptRun:
    """A run as kept: what was asked, how far it got, and its record once it finished."""

    id: int
    kind: str
    status: str  # running | complete | interrupted | failed
    scenario_id: str
    models: list[str]
    seed: int
    runs: int
    started: dt.datetime
    request: dict[str, Any] = field(default_factory=dict)
    finished: dt.datetime | None = None
    error: str | None = None
    record: Any = None  # RunRecord once finished
    scenario: Scenario | None = None  # as run (after its what-ifs)
    agreement: dict[str, float] = field(default_factory=dict)  # model -> P(agreement)
    draws: int = 0  # draws finished


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Keeper:
    """Scenarios and runs of one server, in the run store (:class:`accord.runs.store.Store`):
    SQLite by default, PostgreSQL by URL. Scenarios kept through the web are the store's scenario
    versions whose source is ``web``; the newest version of an id is the one served."""

    def __init__(self, db: str | None = None):
        from accord.runs.store import Store

        self.store = Store(db)
        self.where = self.store.where

    def close(self) -> None:
        self.store.close()

    # -- scenarios ---------------------------------------------------------------------------

    def _rows(self, scenario_id: str | None = None) -> list[Any]:
        import sqlalchemy as sa

        from accord.runs.store import schema as t

        c = t.scenarios.c
        q = sa.select(c.scenario_id, c.title, c.as_of, c.saved, c.data).where(c.source == WEB)
        if scenario_id is not None:
            q = q.where(c.scenario_id == scenario_id)
        q = q.order_by(c.saved.desc(), c.id.desc())
        with self.store.engine.connect() as conn:
            rows = conn.execute(q).all()
        newest: dict[str, Any] = {}
        for r in rows:
            newest.setdefault(r.scenario_id, r)
        return list(newest.values())

    def scenarios(self) -> list[KeptScenario]:
        rows = sorted(self._rows(), key=lambda r: r.scenario_id)
        return [KeptScenario(r.scenario_id, r.title, r.as_of, r.saved) for r in rows]

    def scenario(self, scenario_id: str) -> Scenario | None:
        rows = self._rows(scenario_id)
        return Scenario.model_validate_json(rows[0].data) if rows else None

    def save_scenario(self, sc: Scenario) -> None:
        import sqlalchemy as sa

        from accord.runs.store import schema as t

        key = self.store.save_scenario(sc, source=WEB)
        with self.store.engine.begin() as conn:  # the same content saved again is the newest now
            conn.execute(
                sa.update(t.scenarios)
                .where(t.scenarios.c.id == key)
                .values(source=WEB, saved=_now())
            )

    # -- runs --------------------------------------------------------------------------------

    def begin(self, scenario, *, kind, models, seed, runs, request) -> int:
        return self.store.begin(
            scenario, kind=kind, models=models, seed=seed, runs=runs, source=WEB, request=request
        )

    def chunk(self, run_id: int, res: Any) -> None:
        self.store.add_chunk(
            run_id,
            index=res.index,
            start=res.start,
            size=res.size,
            seconds=res.seconds,
            chunk_size=res.size if res.index == 0 else None,
        )

    def finish(self, run_id: int, record: Any, effective: Scenario | None) -> None:
        self.store.finish(run_id, record, effective)

    def fail(self, run_id: int, error: str, status: str = "failed") -> None:
        if status == "interrupted":
            self.store.interrupt(run_id, error)
        else:
            self.store.fail(run_id, error)

    def runs(self, limit: int = 100) -> list[KeptRun]:
        return [_kept(info) for info in self.store.list(limit=limit)]

    def run(self, run_id: int) -> KeptRun | None:
        from accord.runs.store import StoreError

        try:
            got = self.store.get(run_id)
        except StoreError:
            return None
        return _kept(got.info, got.record, got.effective)


def _kept(info: Any, record: Any = None, effective: Any = None) -> KeptRun:
    return KeptRun(
        id=info.id,
        kind=info.kind,
        status=info.status,
        scenario_id=info.scenario_id,
        models=list(info.models),
        seed=info.seed,
        runs=info.runs,
        started=info.started,
        request=info.request,
        finished=info.finished,
        error=info.error,
        record=record,
        scenario=effective,
        agreement=dict(info.agreement),
        draws=info.draws,
    )


def open_keeper(db: str | None = None) -> Keeper:
    """The keeper for a server (``db``: the run store's URL or SQLite file; None: ``ACCORD_DB``,
    else the default SQLite file in the user's data folder)."""
    return Keeper(db)


__all__ = ["KeptRun", "KeptScenario", "Keeper", "open_keeper"]
