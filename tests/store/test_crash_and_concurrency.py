"""Crash safety and concurrent writers, on SQLite and on a real PostgreSQL server.

- A saving run (a real subprocess) is killed with SIGKILL half-way: the database stays consistent
  (SQLite's ``PRAGMA integrity_check``; on PostgreSQL every table reads and the run's draw count
  matches its chunks), and the next opening shows the run as interrupted with the chunks it stored,
  each with its whole per-draw file.
- Four processes save 50 runs each at once: 200 complete runs, none lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import sqlalchemy as sa

from accord.runs.store import Store
from accord.runs.store import schema as t
from accord.runs.store.draws import read_draws

SAVING_RUN = """
import sys, time
from accord.runs.store import Store, save_forecast
url, draws, toy = sys.argv[1:4]
def slow(done, total):
    time.sleep(0.03)  # give the test time to kill us half-way
with Store(url, draws_dir=draws) as store:
    save_forecast(store, toy, "compromise", runs=64 * 400, seed=3, chunk_size=64,
                  per_draw=True, progress=slow)
print("finished")
"""

WRITER = """
import sys
from accord.runs.store import Store, save_forecast
url, draws, toy, who = sys.argv[1:5]
with Store(url, draws_dir=draws) as store:
    for k in range(50):
        save_forecast(
            store, toy, "compromise", runs=128, chunk_size=64, workers=1, seed=1000 * int(who) + k
        )
print("done", who)
"""


def _env() -> dict[str, str]:
    return dict(os.environ)


def _chunks_stored(url: str) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.chunks)).scalar())
    except sa.exc.SQLAlchemyError:
        return 0  # not created yet
    finally:
        engine.dispose()


def test_a_run_killed_mid_way_leaves_a_consistent_store(db_url, draws_dir, toy) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", SAVING_RUN, db_url, str(draws_dir), str(toy)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while _chunks_stored(db_url) < 5:
            assert child.poll() is None, child.stderr.read().decode()
            assert time.monotonic() < deadline, "the saving run stored no chunks in time"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    with Store(db_url, draws_dir=draws_dir) as store:  # opening marks the dead run
        with store.engine.connect() as conn:
            if store.engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            for table in t.metadata.sorted_tables:  # every table reads
                conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
        (info,) = store.list()
        assert info.status == "interrupted" and "killed" in info.error
        run = store.get(info.id)
        assert run.record is None
        assert 5 <= len(run.chunks) < 400
        assert info.draws == sum(c.size for c in run.chunks) == 64 * len(run.chunks)
        # chunks finish in any order on the worker processes; each is stored once, where it goes
        assert len({c.index for c in run.chunks}) == len(run.chunks)
        assert all(c.start == 64 * c.index for c in run.chunks)
        # every stored chunk has its whole file; nothing half-written is left
        files = store.draw_files(info.id)
        assert len(files) == len(run.chunks)
        assert read_draws(files).num_rows == info.draws
        assert not list(store.draws_folder(info.id).glob("*.tmp"))


def test_four_processes_saving_50_runs_each_lose_none(db_url, draws_dir, toy) -> None:
    Store(db_url, draws_dir=draws_dir).close()  # created once; the writers race on the rest
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_url, str(draws_dir), str(toy), str(w)],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for w in range(1, 5)
    ]
    for w in writers:
        out, err = w.communicate(timeout=300)
        assert w.returncode == 0, err.decode()[-2000:]
    with Store(db_url, draws_dir=draws_dir) as store:
        runs = store.list(limit=None)
        assert len(runs) == 200
        assert all(r.status == "complete" for r in runs)
        assert sorted(r.seed for r in runs) == sorted(
            1000 * w + k for w in range(1, 5) for k in range(50)
        )
        assert all(r.draws == 128 and r.chunks == 2 for r in runs)
        assert len({r.id for r in runs}) == 200
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(t.chunks)).scalar() == 400
            # one scenario row: the writers shared the toy scenario without a duplicate
            assert conn.execute(sa.select(sa.func.count()).select_from(t.scenarios)).scalar() == 1
        some = store.get(runs[0].id)
        assert some.record is not None and some.record.draws == 128
