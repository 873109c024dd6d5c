"""The run store: every run kept with the scenario, settings and seed that produced it.

A run is written in three steps, each one transaction, so that whatever happens to the process the
database holds a consistent picture:

1. :meth:`Store.begin` records the run as ``running`` (with the scenario as loaded, the models,
   the seed, what was asked, and who runs it: host, process id and start time);
2. :meth:`Store.add_chunk` records each chunk of draws as the Monte Carlo parent receives it (its
   per-draw file, when asked for, is written beside the database first and renamed into place);
3. :meth:`Store.finish` stores the run record (``complete``, or ``interrupted`` after Ctrl-C, with
   the draws that finished) and its summaries; :meth:`Store.fail` marks a run that raised.

A run whose process died (SIGKILL, a crash, a power cut) stays ``running`` in the database; the
next :class:`Store` opened on this machine finds that its process is gone and marks it
``interrupted``, keeping the chunks it stored. Runs of other machines are left alone.

The record is stored whole, as the JSON that reads back into an equal
:class:`~accord.runs.records.RunRecord`; the result tables only index it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic_core import to_jsonable_python

from accord.runs.store import schema as t
from accord.runs.store.engine import StoreError, describe, make_engine, resolve_url, sqlite_path

STATUSES = ("running", "complete", "failed", "interrupted")
#: environment variable: the folder for per-draw files (default: beside a SQLite database, or in
#: the user's data directory for a server)
DRAWS_ENV = "ACCORD_DRAWS"
#: how many blocking reasons per model the summary tables keep (the record keeps them all)
TOP_BLOCKERS = 20
KILLED = "the process running it stopped (killed or crashed) before it finished"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives datetimes back without their zone; they were written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


# -- who runs a run -----------------------------------------------------------------------------


def _start_ticks(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid apart."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def owner() -> str:
    """``host:pid:start`` of this process."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid)}"


def alive(who: str) -> bool | None:
    """Whether the process ``who`` (an :func:`owner` string) still runs; None when it ran on
    another machine (it cannot be told from here)."""
    try:
        host, pid_text, ticks = who.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    if ticks and Path("/proc").is_dir():
        return _start_ticks(pid) == ticks
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- what comes back ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RunInfo:
    """One run as the ``runs`` table has it (no record parsed)."""

    id: int
    kind: str
    status: str
    scenario_id: str
    as_of: dt.date | None
    variant: str | None
    models: list[str]
    seed: int
    runs: int
    draws: int
    chunk_size: int | None
    accord_version: str
    started: dt.datetime
    finished: dt.datetime | None
    seconds: float | None
    owner: str
    error: str | None
    draws_dir: str | None
    request: dict[str, Any]
    effective_hash: str | None
    chunks: int = 0
    agreement: dict[str, float] = field(default_factory=dict)  # model -> P(agreement)


@dataclass(frozen=True)
class ChunkInfo:
    index: int
    start: int
    size: int
    seconds: float
    file: str | None
    bytes: int | None


@dataclass
class StoredRun:
    """A run read back: its row, its record (None until it finished), the scenario as loaded and
    as run (after its what-ifs), and its chunks."""

    info: RunInfo
    record: Any  # RunRecord | None
    scenario: Any  # the scenario as loaded
    effective: Any  # the scenario as run (None until it finished)
    chunks: list[ChunkInfo]

    @property
    def id(self) -> int:
        return self.info.id

    @property
    def status(self) -> str:
        return self.info.status


# -- the store ------------------------------------------------------------------------------------


class Store:
    """A connection to the run store (SQLite file or PostgreSQL server), schema brought up to date
    and dead runs of this machine marked interrupted on opening.

    >>> with Store("sqlite:////tmp/runs.db") as store:  # doctest: +SKIP
    ...     for info in store.list(limit=5): print(info.id, info.status)
    """

    def __init__(
        self,
        url: str | os.PathLike | None = None,
        *,
        draws_dir: str | os.PathLike | None = None,
        recover: bool = True,
    ):
        import sqlalchemy as sa

        from accord.runs.store.migrate import upgrade

        self.url = resolve_url(url)
        self.engine = make_engine(self.url)
        try:
            upgrade(self.engine)
        except sa.exc.OperationalError as exc:
            self.engine.dispose()
            raise StoreError(
                f"cannot open the run store at {describe(self.url)}: {_reason(exc)}",
                hint="check --db / ACCORD_DB (a writable file, or a running PostgreSQL server)",
                field="db",
            ) from None
        self.draws_root = Path(draws_dir) if draws_dir else _draws_root(self.url)
        if recover:
            self.recover()

    def __repr__(self) -> str:
        return f"Store({describe(self.url)!r})"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str:
        """The store's location for people: a file path, or a URL without its password."""
        return describe(self.url)

    # -- scenarios -------------------------------------------------------------------------------

    def _scenario_key(self, conn: Any, sc: Any, source: str = "") -> int:
        import sqlalchemy as sa

        from accord.runs.records import content_hash

        data = sc.model_dump(mode="json")
        digest = content_hash(data)
        found = conn.execute(
            sa.select(t.scenarios.c.id).where(t.scenarios.c.content_hash == digest)
        ).scalar()
        if found is not None:
            return int(found)
        row = {
            "scenario_id": sc.id,
            "content_hash": digest,
            "as_of": sc.as_of,
            "title": sc.title,
            "source": str(source or ""),
            "data": json.dumps(data, ensure_ascii=False, sort_keys=True),
            "saved": _now(),
        }
        conn.execute(_insert_ignore(conn, t.scenarios, row, "content_hash"))
        return int(
            conn.execute(
                sa.select(t.scenarios.c.id).where(t.scenarios.c.content_hash == digest)
            ).scalar_one()
        )

    def save_scenario(self, sc: Any, source: str = "") -> int:
        """Keep a scenario version (once per content hash); returns its key."""
        with self.engine.begin() as conn:
            return self._scenario_key(conn, sc, source)

    def scenario(self, key: int) -> Any:
        import sqlalchemy as sa

        from accord.scenario.types import Scenario

        with self.engine.connect() as conn:
            text = conn.execute(
                sa.select(t.scenarios.c.data).where(t.scenarios.c.id == key)
            ).scalar()
        if text is None:
            raise StoreError(f"no scenario {key} in the store")
        return Scenario.model_validate_json(text)

    # -- writing a run ---------------------------------------------------------------------------

    def begin(
        self,
        scenario: Any,
        *,
        kind: str,
        models: Sequence[str],
        seed: int,
        runs: int,
        source: str = "",
        request: dict[str, Any] | None = None,
        per_draw: bool = False,
    ) -> int:
        """Record a run as ``running`` before it starts; returns its id."""
        from accord._version import __version__

        with self.engine.begin() as conn:
            key = self._scenario_key(conn, scenario, source)
            row = {
                "kind": kind,
                "status": "running",
                "scenario_key": key,
                "scenario_id": scenario.id,
                "as_of": scenario.as_of,
                "models": ",".join(models),
                "seed": int(seed),
                "runs": int(runs),
                "draws": 0,
                "accord_version": __version__,
                "started": _now(),
                "owner": owner(),
                "request": json.dumps(
                    to_jsonable_python(request or {}, fallback=str),
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            }
            run_id = int(conn.execute(t.runs.insert().values(**row)).inserted_primary_key[0])
            if per_draw:
                conn.execute(
                    t.runs.update()
                    .where(t.runs.c.id == run_id)
                    .values(draws_dir=f"run-{run_id:06d}")
                )
        return run_id

    def draws_folder(self, run_id: int) -> Path:
        """Where a run's per-draw files go (created on demand)."""
        return self.draws_root / f"run-{run_id:06d}"

    def add_chunk(
        self,
        run_id: int,
        *,
        index: int,
        start: int,
        size: int,
        seconds: float,
        chunk_size: int | None = None,
        file: str | None = None,
        nbytes: int | None = None,
    ) -> None:
        """Record one finished chunk (its file, if any, already in place)."""
        with self.engine.begin() as conn:
            conn.execute(
                t.chunks.insert().values(
                    run_id=run_id,
                    idx=int(index),
                    start=int(start),
                    size=int(size),
                    seconds=float(seconds),
                    file=file,
                    bytes=nbytes,
                    saved=_now(),
                )
            )
            values: dict[str, Any] = {"draws": t.runs.c.draws + int(size)}
            if chunk_size is not None:
                values["chunk_size"] = int(chunk_size)
            conn.execute(t.runs.update().where(t.runs.c.id == run_id).values(**values))

    def finish(self, run_id: int, record: Any, effective: Any = None) -> None:
        """Store a run's record and its summaries: ``complete``, or ``interrupted`` when the record
        says so (Ctrl-C: the numbers use the draws that finished). ``effective`` is the scenario
        as run (after the what-ifs)."""
        with self.engine.begin() as conn:
            values: dict[str, Any] = {
                "status": "interrupted" if record.interrupted else "complete",
                "record": record.model_dump_json(),
                "finished": record.finished,
                "seconds": float(record.seconds),
                "draws": int(record.draws),
                "chunk_size": record.chunk_size,
                "seed": int(record.seed),
                "effective_hash": record.scenario.effective_hash,
                "as_of": record.scenario.as_of,
                "variant": record.scenario.variant,
                "models": ",".join(m.name for m in record.models),
                "error": None,
            }
            if effective is not None:
                values["effective_key"] = self._scenario_key(conn, effective)
            conn.execute(t.runs.update().where(t.runs.c.id == run_id).values(**values))
            for table in (t.issue_results, t.agreement_results, t.actor_results, t.blockers):
                conn.execute(table.delete().where(table.c.run_id == run_id))
            for table, rows in summary_rows(run_id, record).items():
                if rows:
                    conn.execute(table.insert(), rows)

    def fail(self, run_id: int, error: str) -> None:
        """Mark a run that raised as ``failed`` (what it stored before stays)."""
        self._end(run_id, "failed", error)

    def interrupt(self, run_id: int, error: str = "") -> None:
        """Mark a run stopped before it could report anything as ``interrupted``."""
        self._end(run_id, "interrupted", error or "interrupted before any chunk finished")

    def _end(self, run_id: int, status: str, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                t.runs.update()
                .where(t.runs.c.id == run_id)
                .values(status=status, error=error[:4000], finished=_now())
            )

    def recover(self) -> list[int]:
        """Mark the runs of this machine whose process is gone as ``interrupted``; their ids."""
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.runs.c.id, t.runs.c.owner).where(t.runs.c.status == "running")
            ).all()
        dead = [int(r.id) for r in rows if alive(r.owner) is False]
        if dead:
            with self.engine.begin() as conn:
                conn.execute(
                    t.runs.update()
                    .where(t.runs.c.id.in_(dead), t.runs.c.status == "running")
                    .values(status="interrupted", error=KILLED, finished=_now())
                )
            for run_id in dead:  # a chunk file that was being written when the process died
                for tmp in self.draws_folder(run_id).glob("*.tmp"):
                    tmp.unlink(missing_ok=True)
        return dead

    # -- reading ---------------------------------------------------------------------------------

    def list(
        self,
        *,
        scenario: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        limit: int | None = 50,
    ) -> list[RunInfo]:
        """Runs, newest first, optionally of one scenario id, status or kind."""
        import sqlalchemy as sa

        q = sa.select(t.runs).order_by(t.runs.c.id.desc())
        if scenario:
            q = q.where(t.runs.c.scenario_id == scenario)
        if status:
            q = q.where(t.runs.c.status == status)
        if kind:
            q = q.where(t.runs.c.kind == kind)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
            ids = [r.id for r in rows]
            counts = dict(
                conn.execute(
                    sa.select(t.chunks.c.run_id, sa.func.count())
                    .where(t.chunks.c.run_id.in_(ids))
                    .group_by(t.chunks.c.run_id)
                ).all()
            )
            agreement: dict[int, dict[str, float]] = {}
            for r in conn.execute(
                sa.select(
                    t.agreement_results.c.run_id,
                    t.agreement_results.c.model,
                    t.agreement_results.c.p_agreement,
                ).where(t.agreement_results.c.run_id.in_(ids))
            ):
                agreement.setdefault(r.run_id, {})[r.model] = r.p_agreement
        out = []
        for r in rows:
            order = r.models.split(",") if r.models else []
            got = agreement.get(r.id, {})
            out.append(_info(r, counts.get(r.id, 0), {m: got[m] for m in order if m in got}))
        return out

    def info(self, run_id: int) -> RunInfo:
        found = [i for i in self._infos([run_id])]
        if not found:
            raise StoreError(
                f"no run {run_id} in the store at {self.where}",
                hint="`accord runs list` shows the stored runs",
                field="run",
            )
        return found[0]

    def _infos(self, ids: Sequence[int]) -> list[RunInfo]:
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.runs).where(t.runs.c.id.in_(list(ids)))).all()
            counts = dict(
                conn.execute(
                    sa.select(t.chunks.c.run_id, sa.func.count())
                    .where(t.chunks.c.run_id.in_(list(ids)))
                    .group_by(t.chunks.c.run_id)
                ).all()
            )
        return [_info(r, counts.get(r.id, 0), {}) for r in rows]

    def get(self, run_id: int) -> StoredRun:
        """A run with its record, scenarios and chunks."""
        import sqlalchemy as sa

        from accord.runs.records import RunRecord

        info = self.info(run_id)
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(t.runs.c.record, t.runs.c.scenario_key, t.runs.c.effective_key).where(
                    t.runs.c.id == run_id
                )
            ).one()
        record = RunRecord.model_validate_json(row.record) if row.record else None
        scenario = self.scenario(row.scenario_key)
        effective = self.scenario(row.effective_key) if row.effective_key else None
        return StoredRun(info, record, scenario, effective, self.chunks(run_id))

    def record(self, run_id: int) -> Any:
        """The run record as stored (None while the run has not finished)."""
        return self.get(run_id).record

    def chunks(self, run_id: int) -> list[ChunkInfo]:
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.chunks).where(t.chunks.c.run_id == run_id).order_by(t.chunks.c.idx)
            ).all()
        return [ChunkInfo(r.idx, r.start, r.size, r.seconds, r.file, r.bytes) for r in rows]

    def draw_files(self, run_id: int) -> list[Path]:
        """The per-draw files of a run, in chunk order (those that exist)."""
        folder = self.draws_folder(run_id)
        return [
            folder / c.file for c in self.chunks(run_id) if c.file and (folder / c.file).exists()
        ]

    def find(
        self,
        effective_hash: str,
        models: Sequence[str],
        runs: int,
        *,
        uncertainty: dict[str, Any] | None = None,
        seed: int | None = None,
        as_of: dt.date | None = None,
    ) -> StoredRun | None:
        """The newest complete forecast of the scenario version ``effective_hash`` with these
        models (in this order), draws and uncertainty settings (and seed, when given)."""
        import sqlalchemy as sa

        q = (
            sa.select(t.runs.c.id, t.runs.c.record)
            .where(
                t.runs.c.effective_hash == effective_hash,
                t.runs.c.status == "complete",
                t.runs.c.kind == "forecast",
                t.runs.c.models == ",".join(models),
                t.runs.c.runs == int(runs),
            )
            .order_by(t.runs.c.id.desc())
        )
        if seed is not None:
            q = q.where(t.runs.c.seed == int(seed))
        if as_of is not None:
            q = q.where(t.runs.c.as_of == as_of)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        for r in rows:
            rec = json.loads(r.record)
            if uncertainty is None or rec.get("uncertainty") == uncertainty:
                return self.get(int(r.id))
        return None

    def delete(self, run_id: int) -> bool:
        """Remove a run, its chunks, summaries and per-draw files; False if there was none."""
        with self.engine.begin() as conn:
            for table in (
                t.blockers,
                t.actor_results,
                t.agreement_results,
                t.issue_results,
                t.chunks,
            ):
                conn.execute(table.delete().where(table.c.run_id == run_id))
            gone = conn.execute(t.runs.delete().where(t.runs.c.id == run_id)).rowcount
        shutil.rmtree(self.draws_folder(run_id), ignore_errors=True)
        return bool(gone)

    def count(self, status: str | None = None) -> int:
        import sqlalchemy as sa

        q = sa.select(sa.func.count()).select_from(t.runs)
        if status:
            q = q.where(t.runs.c.status == status)
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())


# -- helpers ----------------------------------------------------------------------------------------


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)) or type(exc).__name__
    return text.strip().splitlines()[0]


def _draws_root(url: str) -> Path:
    env = os.environ.get(DRAWS_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    path = sqlite_path(url)
    if path is not None:
        return path.with_name(path.stem + "-draws")
    import hashlib

    from accord.runs.store.engine import data_dir

    tag = hashlib.sha256(describe(url).encode()).hexdigest()[:12]
    return data_dir() / "draws" / tag


def _insert_ignore(conn: Any, table: Any, row: dict[str, Any], key: str) -> Any:
    """INSERT that does nothing when ``key`` is already taken (another process was quicker)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).values(**row).on_conflict_do_nothing(index_elements=[key])


def _info(r: Any, chunks: int, agreement: dict[str, float]) -> RunInfo:
    return RunInfo(
        id=int(r.id),
        kind=r.kind,
        status=r.status,
        scenario_id=r.scenario_id,
        as_of=r.as_of,
        variant=r.variant,
        models=r.models.split(",") if r.models else [],
        seed=int(r.seed),
        runs=int(r.runs),
        draws=int(r.draws),
        chunk_size=r.chunk_size,
        accord_version=r.accord_version,
        started=_aware(r.started),  # type: ignore[arg-type]
        finished=_aware(r.finished),
        seconds=r.seconds,
        owner=r.owner,
        error=r.error,
        draws_dir=r.draws_dir,
        request=json.loads(r.request or "{}"),
        effective_hash=r.effective_hash,
        chunks=int(chunks),
        agreement=agreement,
    )


def summary_rows(run_id: int, record: Any) -> dict[Any, list[dict[str, Any]]]:
    """The result-table rows of a forecast record (none for other kinds)."""
    out: dict[Any, list[dict[str, Any]]] = {
        t.issue_results: [],
        t.agreement_results: [],
        t.actor_results: [],
        t.blockers: [],
    }
    if record.kind != "forecast":
        return out
    from accord.runs.history import zone_probability

    for m in record.results.models:
        key = {"run_id": run_id, "model": m.name}
        for r in m.issues:
            (lo80, hi80), (lo95, hi95) = r.intervals["80"], r.intervals["95"]
            out[t.issue_results].append(
                {
                    **key,
                    "issue": r.id,
                    "point": r.point,
                    "median": r.median,
                    "mean": r.mean,
                    "p10": lo80,
                    "p90": hi80,
                    "p025": lo95,
                    "p975": hi95,
                }
            )
        ag = m.agreement
        lo, hi = ag.margin.intervals["80"]
        out[t.agreement_results].append(
            {
                **key,
                "status": ag.status,
                "p_agreement": ag.probabilities.agreement,
                "p_stalemate": ag.probabilities.stalemate,
                "p_escalation": ag.probabilities.escalation,
                "p_zone": zone_probability(record),
                "margin_median": ag.margin.median,
                "margin_p10": lo,
                "margin_p90": hi,
            }
        )
        for a in m.actors:
            ulo, uhi = a.utility.intervals["80"]
            out[t.actor_results].append(
                {
                    **key,
                    "actor": a.id,
                    "decider": a.decider,
                    "accepts": a.accepts,
                    "utility_median": a.utility.median,
                    "utility_p10": ulo,
                    "utility_p90": uhi,
                }
            )
        for rank, b in enumerate(ag.blockers[:TOP_BLOCKERS], 1):
            out[t.blockers].append(
                {
                    **key,
                    "rank": rank,
                    "actor": b.actor,
                    "kind": b.kind,
                    "issue": b.issue,
                    "bound": b.bound,
                    "share": b.share,
                }
            )
    return out


__all__ = [
    "STATUSES",
    "ChunkInfo",
    "RunInfo",
    "Store",
    "StoredRun",
    "alive",
    "owner",
    "summary_rows",
]
