"""Runs in the background: start one and get its id at once, follow its progress (polling or
server-sent events), cancel it, read its record.

A run's id is the keeper's (the run store's), given when it starts; a few runs compute at once on
a thread pool and the rest wait their turn. Cancelling stops a run between two chunks of draws
(:mod:`accord.runs.montecarlo` stops as on Ctrl-C); what finished is kept, marked interrupted.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from accord.errors import AccordError
from accord.scenario.types import Scenario
from accord.web import service
from accord.web.errors import ApiError
from accord.web.keep import Keeper, KeptRun
from accord.web.settings import Settings

log = logging.getLogger("accord.web")
#: a run's states; the last four are final
FINAL = ("complete", "interrupted", "cancelled", "failed")
#: finished runs remembered in memory (older ones are read back from the keeper)
KEEP_IN_MEMORY = 200


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


@dataclass
class Job:
    id: int
    kind: str
    scenario: str
    models: list[str]
    seed: int
    runs: int
    started: dt.datetime
    status: str = "queued"
    done: int = 0
    total: int = 0
    finished: dt.datetime | None = None
    error: dict[str, Any] | None = None
    record: Any = None
    cancel: threading.Event = field(default_factory=threading.Event)


class Jobs:
    """The background runs of one server."""

    def __init__(self, keeper: Keeper, settings: Settings):
        self.keeper = keeper
        self.settings = settings
        self.pool = ThreadPoolExecutor(settings.max_jobs, thread_name_prefix="accord-run")
        self.jobs: dict[int, Job] = {}
        self.changed = threading.Condition()

    def close(self) -> None:
        for job in list(self.jobs.values()):
            job.cancel.set()
        self.pool.shutdown(wait=True, cancel_futures=True)

    # -- starting ------------------------------------------------------------------------------

    def start(self, req: Any) -> Job:
        """Check ``req`` (scenario, names, limits: a bad request fails here, as a 4xx), give it
        an id and queue it."""
        from accord.runs.options import resolve_seed

        sc = service.scenario_of(req, self.keeper, self.settings)
        service.check(req, sc, self.settings)
        models = service.model_list(req)
        seed = resolve_seed(req.seed)
        runs = getattr(req, "runs", 1)
        run_id = self.keeper.begin(
            sc,
            kind=req.kind,
            models=models,
            seed=seed,
            runs=runs,
            request=req.model_dump(mode="json", exclude={"scenario_text"}),
        )
        job = Job(run_id, req.kind, sc.id, models, seed, runs, dt.datetime.now(dt.UTC), total=runs)
        with self.changed:
            self.jobs[run_id] = job
            self._forget_old()
        self.pool.submit(self._run, job, req, sc)
        return job

    def _forget_old(self) -> None:
        done = [j for j in self.jobs.values() if j.status in FINAL]
        for j in sorted(done, key=lambda j: j.id)[: max(len(done) - KEEP_IN_MEMORY, 0)]:
            del self.jobs[j.id]

    def _update(self, job: Job, **values: Any) -> None:
        with self.changed:
            for k, v in values.items():
                setattr(job, k, v)
            self.changed.notify_all()

    def _run(self, job: Job, req: Any, sc: Any) -> None:
        from accord.runs.montecarlo import Interrupted

        if job.cancel.is_set():
            self.keeper.fail(job.id, "cancelled before it started", status="interrupted")
            self._update(job, status="cancelled", finished=dt.datetime.now(dt.UTC))
            return
        self._update(job, status="running")

        def progress(done: int, total: int) -> None:
            self._update(job, done=done, total=total)
            if job.cancel.is_set():
                raise KeyboardInterrupt  # montecarlo stops as on Ctrl-C

        try:
            result = service.run(
                req, sc, seed=job.seed, progress=progress,
                on_chunk=lambda res: self.keeper.chunk(job.id, res),
            )  # fmt: skip
        except Interrupted:
            self.keeper.fail(job.id, "cancelled before any draw finished", status="interrupted")
            self._update(job, status="cancelled", finished=dt.datetime.now(dt.UTC))
            return
        except (AccordError, ApiError) as exc:
            err = exc if isinstance(exc, ApiError) else ApiError.from_accord(exc)
            self.keeper.fail(job.id, err.message)
            self._update(
                job, status="failed", error=err.to_json()["error"], finished=dt.datetime.now(dt.UTC)
            )
            return
        except Exception as exc:  # noqa: BLE001 - a bug: kept as the run's error, logged
            log.exception("run %s failed", job.id)
            self.keeper.fail(job.id, f"internal error: {type(exc).__name__}: {exc}")
            self._update(
                job,
                status="failed",
                error={"status": 500, "message": f"internal error: {type(exc).__name__}"},
                finished=dt.datetime.now(dt.UTC),
            )
            return
        record = result.record
        effective = getattr(result, "scenario", None)  # a forecast's scenario as run
        try:
            self.keeper.finish(
                job.id, record, effective if isinstance(effective, Scenario) else None
            )
        except Exception as exc:  # noqa: BLE001 - the store failed: say so on the run
            log.exception("run %s could not be kept", job.id)
            self._update(
                job,
                status="failed",
                error={"status": 500, "message": f"the run could not be kept: {exc}"},
                finished=dt.datetime.now(dt.UTC),
            )
            return
        status = "complete"
        if record.interrupted:
            status = "cancelled" if job.cancel.is_set() else "interrupted"
        self._update(
            job,
            status=status,
            record=record,
            done=record.draws,
            finished=record.finished,
        )

    # -- reading ---------------------------------------------------------------------------------

    def cancel(self, run_id: int) -> dict[str, Any]:
        job = self.jobs.get(run_id)
        if job is None:
            self.status(run_id)  # 404 for an unknown run; a finished one is left as it is
        else:
            job.cancel.set()
        return self.status(run_id)

    def status(self, run_id: int, *, with_record: bool = True) -> dict[str, Any]:
        """What a client polls: state, progress, and the record once finished."""
        job = self.jobs.get(run_id)
        if job is not None:
            rec = job.record
            out = {
                "id": job.id,
                "kind": job.kind,
                "status": job.status,
                "scenario": job.scenario,
                "models": job.models,
                "seed": job.seed,
                "runs": job.runs,
                "done": job.done,
                "total": job.total,
                "started": _iso(job.started),
                "finished": _iso(job.finished),
                "error": job.error,
                "agreement": _agreement(rec),
                "record": rec.to_json() if (rec is not None and with_record) else None,
            }
            return out
        kept = self.keeper.run(run_id)
        if kept is None:
            raise ApiError(
                404, f"no run {run_id}", hint="GET /api/runs lists the runs", field="run"
            )
        return kept_status(kept, with_record=with_record)

    def events(self, run_id: int, *, timeout: float = 600.0) -> Iterator[str]:
        """Server-sent events: ``progress`` as chunks finish, then ``end`` with the final status
        (without the record: fetch it from the run's URL)."""
        self.status(run_id, with_record=False)  # 404 before the stream starts
        deadline = time.monotonic() + timeout
        last = None
        while True:
            st = self.status(run_id, with_record=False)
            now = (st["status"], st["done"])
            if st["status"] in FINAL:
                yield f"event: end\ndata: {json.dumps(st)}\n\n"
                return
            if now != last:
                yield f"event: progress\ndata: {json.dumps(st)}\n\n"
                last = now
            if time.monotonic() > deadline:
                yield "event: timeout\ndata: {}\n\n"
                return
            with self.changed:
                self.changed.wait(timeout=1.0)


def _agreement(record: Any) -> dict[str, float]:
    if record is None or record.kind != "forecast":
        return {}
    return {m.name: m.agreement.probabilities.agreement for m in record.results.models}


def kept_status(kept: KeptRun, *, with_record: bool = True) -> dict[str, Any]:
    rec = kept.record
    return {
        "id": kept.id,
        "kind": kept.kind,
        "status": kept.status,
        "scenario": kept.scenario_id,
        "models": kept.models,
        "seed": kept.seed,
        "runs": kept.runs,
        "done": rec.draws if rec is not None else kept.draws,
        "total": kept.runs,
        "started": _iso(kept.started),
        "finished": _iso(kept.finished),
        "error": {"message": kept.error} if kept.error else None,
        "agreement": kept.agreement or _agreement(rec),
        "record": rec.to_json() if (rec is not None and with_record) else None,
    }


__all__ = ["FINAL", "Job", "Jobs", "kept_status"]
