"""Where the server keeps what it is given and what it runs: scenarios saved from the browser or
the API, and every run with its record.

One class stands between the web app and the run store, so the rest of :mod:`accord.web` never
speaks to a database: :class:`Keeper`. Runs get their id when they start (``begin``), report
their end (``finish``, ``fail``) and are read back as :class:`KeptRun`.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from accord.scenario.types import Scenario


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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Keeper:
    """Scenarios and runs of one server, in memory."""

    where = "memory"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scenarios: dict[str, tuple[Scenario, dt.datetime]] = {}
        self._runs: dict[int, KeptRun] = {}
        self._next = 1

    def close(self) -> None:
        pass

    # -- scenarios ---------------------------------------------------------------------------

    def scenarios(self) -> list[KeptScenario]:
        with self._lock:
            return [
                KeptScenario(sc.id, sc.title, sc.as_of, saved)
                for sc, saved in sorted(self._scenarios.values(), key=lambda x: x[0].id)
            ]

    def scenario(self, scenario_id: str) -> Scenario | None:
        with self._lock:
            found = self._scenarios.get(scenario_id)
        return found[0] if found else None

    def save_scenario(self, sc: Scenario) -> None:
        with self._lock:
            self._scenarios[sc.id] = (sc, _now())

    # -- runs --------------------------------------------------------------------------------

    def begin(
        self,
        scenario: Scenario,
        *,
        kind: str,
        models: list[str],
        seed: int,
        runs: int,
        request: dict[str, Any],
    ) -> int:
        with self._lock:
            run_id = self._next
            self._next += 1
            self._runs[run_id] = KeptRun(
                run_id, kind, "running", scenario.id, list(models), seed, runs, _now(), request
            )
        return run_id

    def finish(self, run_id: int, record: Any, effective: Scenario | None) -> None:
        with self._lock:
            run = self._runs[run_id]
            run.status = "interrupted" if record.interrupted else "complete"
            run.record = record
            run.scenario = effective
            run.finished = record.finished
            if record.kind == "forecast":
                run.agreement = {
                    m.name: m.agreement.probabilities.agreement for m in record.results.models
                }

    def fail(self, run_id: int, error: str, status: str = "failed") -> None:
        with self._lock:
            run = self._runs[run_id]
            run.status, run.error, run.finished = status, error, _now()

    def runs(self, limit: int = 100) -> list[KeptRun]:
        with self._lock:
            return sorted(self._runs.values(), key=lambda r: -r.id)[:limit]

    def run(self, run_id: int) -> KeptRun | None:
        with self._lock:
            return self._runs.get(run_id)


def open_keeper(db: str | None = None) -> Keeper:
    """The keeper for a server (``db``: the run store's URL; None for the default)."""
    return Keeper()


__all__ = ["KeptRun", "KeptScenario", "Keeper", "open_keeper"]
