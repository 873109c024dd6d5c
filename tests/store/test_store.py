"""The run store on both back ends (a SQLite file; a real PostgreSQL server started on loopback):
records read back equal, summaries index them, migrations run on opening, chunks and per-draw
files are kept as the run goes, a failed or interrupted run loses nothing saved before it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import sqlalchemy as sa

from accord.runs.forecast import forecast
from accord.runs.records import RunRecord
from accord.runs.store import Store, StoreError, save_forecast
from accord.runs.store import schema as t
from accord.runs.store.draws import columns, read_draws
from accord.runs.store.migrate import head
from accord.scenario import load


@pytest.fixture
def store(db_url, draws_dir):
    with Store(db_url, draws_dir=draws_dir) as s:
        yield s


def test_a_stored_run_reads_back_equal_to_the_record_written(store, toy) -> None:
    saved = save_forecast(store, toy, "compromise,nash", runs=300, seed=7, chunk_size=100)
    got = store.get(saved.run_id)
    assert got.status == "complete"
    assert got.record == saved.record  # the same record, field for field
    assert isinstance(got.record, RunRecord)
    assert got.record.model_dump_json() == saved.record.model_dump_json()
    # the scenario as loaded and as run are kept, and hash as the record says
    assert got.scenario.id == got.effective.id == "toy-water-treaty"
    from accord.runs.records import content_hash

    assert content_hash(got.effective.model_dump(mode="json")) == got.record.scenario.effective_hash
    # the row's facts come from the record
    info = got.info
    assert (info.seed, info.runs, info.draws, info.chunk_size) == (7, 300, 300, 100)
    assert info.models == ["compromise", "nash"] and info.chunks == 3
    assert [c.size for c in got.chunks] == [100, 100, 100]


def test_summaries_index_the_record(store, toy) -> None:
    saved = save_forecast(store, toy, "compromise,median", runs=200, seed=3)
    rec = saved.record
    with store.engine.connect() as conn:
        issues = conn.execute(
            sa.select(t.issue_results).where(t.issue_results.c.run_id == saved.run_id)
        ).all()
        agree = {
            r.model: r
            for r in conn.execute(
                sa.select(t.agreement_results).where(t.agreement_results.c.run_id == saved.run_id)
            )
        }
        actors = conn.execute(
            sa.select(t.actor_results).where(t.actor_results.c.run_id == saved.run_id)
        ).all()
    by_model = {m.name: m for m in rec.results.models}
    assert len(issues) == 2 * len(by_model["compromise"].issues)
    for r in issues:
        want = next(i for i in by_model[r.model].issues if i.id == r.issue)
        assert r.median == want.median and (r.p10, r.p90) == tuple(want.intervals["80"])
    for name, m in by_model.items():
        assert agree[name].p_agreement == m.agreement.probabilities.agreement
        assert agree[name].status == m.agreement.status
    assert len(actors) == 2 * len(by_model["compromise"].actors)
    listed = store.list()[0]
    assert listed.agreement == {n: m.agreement.probabilities.agreement for n, m in by_model.items()}


def test_migrations_are_applied_on_opening_and_match_the_schema(db_url, draws_dir) -> None:
    with Store(db_url, draws_dir=draws_dir) as store:
        insp = sa.inspect(store.engine)
        names = set(insp.get_table_names())
        assert {tb.name for tb in t.metadata.sorted_tables} | {"alembic_version"} == names
        for table in t.metadata.sorted_tables:
            have = {c["name"] for c in insp.get_columns(table.name)}
            assert have == {c.name for c in table.columns}, table.name
        with store.engine.connect() as conn:
            assert (
                conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head()
            )
    # opening again changes nothing
    with Store(db_url, draws_dir=draws_dir) as store:
        assert store.count() == 0


def test_per_draw_outputs_are_files_beside_the_database(store, toy) -> None:
    saved = save_forecast(
        store, toy, "compromise,nash", runs=250, seed=11, chunk_size=100, per_draw=True
    )
    files = store.draw_files(saved.run_id)
    assert [f.name for f in files] == [f"chunk-{i:06d}.parquet" for i in range(3)]
    assert all(f.parent == store.draws_folder(saved.run_id) for f in files)
    table = read_draws(files)
    fc = saved.forecast
    assert table.column_names == columns(
        ["compromise", "nash"], fc.arrays.issue_ids, fc.arrays.actor_ids
    )
    assert table.num_rows == 250
    assert table.column("draw").to_pylist() == list(range(250))
    for name in ("compromise", "nash"):
        mf = fc.models[name]
        issue = fc.arrays.issue_ids[0]
        np.testing.assert_array_equal(
            table.column(f"{name}.outcome.{issue}").to_numpy(), mf.issues[issue].values
        )
        np.testing.assert_array_equal(table.column(f"{name}.status").to_numpy(), mf.draws.status)
        np.testing.assert_array_equal(table.column(f"{name}.margin").to_numpy(), mf.draws.margin)
    assert all(c.bytes and c.bytes > 0 for c in store.chunks(saved.run_id))
    # deleting the run removes its rows and files
    assert store.delete(saved.run_id)
    assert not store.draws_folder(saved.run_id).exists()
    assert store.count() == 0 and store.chunks(saved.run_id) == []
    assert not store.delete(saved.run_id)


def test_a_failed_run_loses_nothing_saved_before_it(store, toy) -> None:
    first = save_forecast(store, toy, "compromise", runs=100, seed=1)
    seen = []

    def breaks(done: int, total: int) -> None:
        seen.append(done)
        if done >= 200:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        save_forecast(
            store, toy, "compromise", runs=500, seed=2, chunk_size=100, per_draw=True,
            progress=breaks, workers=1,
        )  # fmt: skip
    failed = store.list(status="failed")
    assert len(failed) == 1
    bad = store.get(failed[0].id)
    assert bad.record is None and "disk on fire" in bad.info.error
    assert [c.index for c in bad.chunks] == [0, 1]  # the chunks it stored stay
    assert len(store.draw_files(bad.id)) == 2
    assert store.get(first.run_id).record == first.record  # the earlier run is untouched


def test_ctrl_c_keeps_the_draws_that_finished_as_an_interrupted_run(store, toy) -> None:
    def stop(done: int, total: int) -> None:
        if done >= 300:
            raise KeyboardInterrupt

    saved = save_forecast(
        store, toy, "compromise", runs=1000, seed=5, chunk_size=100, progress=stop, workers=1
    )
    got = store.get(saved.run_id)
    assert got.status == "interrupted" and got.record.interrupted
    assert got.record.draws == got.info.draws == 300 == sum(c.size for c in got.chunks)
    assert got.record == saved.record


def test_a_dead_process_run_is_marked_interrupted_at_the_next_opening(db_url, draws_dir, toy):
    with Store(db_url, draws_dir=draws_dir) as store:
        run_id = store.begin(
            load(str(toy)), kind="forecast", models=["compromise"], seed=1, runs=10
        )
        store.add_chunk(run_id, index=0, start=0, size=5, seconds=0.1)
        # pretend it belongs to a process that is gone: this host, a pid that does not exist
        import socket

        with store.engine.begin() as conn:
            conn.execute(
                t.runs.update()
                .where(t.runs.c.id == run_id)
                .values(owner=f"{socket.gethostname()}:999999999:1")
            )
        other = store.begin(load(str(toy)), kind="forecast", models=["compromise"], seed=1, runs=10)
        with store.engine.begin() as conn:  # another machine's run: left alone
            conn.execute(t.runs.update().where(t.runs.c.id == other).values(owner="elsewhere:1:1"))
    with Store(db_url, draws_dir=draws_dir) as store:
        info = store.info(run_id)
        assert info.status == "interrupted" and info.draws == 5 and info.chunks == 1
        assert "killed or crashed" in info.error
        assert store.info(other).status == "running"


def test_find_returns_a_matching_complete_forecast(store, toy) -> None:
    saved = save_forecast(store, toy, "compromise", runs=100, seed=9)
    rec = saved.record
    unc = rec.uncertainty.model_dump(mode="json")
    found = store.find(rec.scenario.effective_hash, ["compromise"], 100, uncertainty=unc)
    assert found is not None and found.id == saved.run_id
    assert store.find(rec.scenario.effective_hash, ["compromise"], 200) is None
    assert store.find(rec.scenario.effective_hash, ["nash"], 100) is None
    assert store.find(rec.scenario.effective_hash, ["compromise"], 100, seed=10) is None


def test_compare_and_single_runs_are_stored_too(store, toy) -> None:
    one = save_forecast(store, toy, "compromise", runs=1)
    got = store.get(one.run_id)
    assert got.record == one.record and got.chunks == []
    assert json.loads(got.record.model_dump_json())["runs"] == 1
    direct = forecast(load(str(toy)), "compromise", seed=one.record.seed)
    assert direct.record.results == got.record.results


def test_bad_urls_are_clear_errors(tmp_path) -> None:
    with pytest.raises(StoreError, match="unsupported database URL"):
        Store("mysql://u:secret@host/db")
    try:
        Store("mysql://u:secret@host/db")
    except StoreError as exc:
        assert "secret" not in str(exc)
    with pytest.raises(StoreError, match="cannot open the run store"):
        Store("postgresql://nobody@127.0.0.1:1/none")


def test_default_location_is_the_user_data_directory(tmp_path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("ACCORD_DB", None)
    code = (
        "from accord.runs.store import Store\n"
        "s = Store(); print(s.where); print(s.draws_root)\n"
        "import sqlalchemy as sa\n"
        "with s.engine.connect() as c:\n"
        "    print(c.exec_driver_sql('PRAGMA journal_mode').scalar())\n"
        "    print(c.exec_driver_sql('PRAGMA foreign_keys').scalar())\n"
        "    print(c.exec_driver_sql('PRAGMA busy_timeout').scalar())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == str(tmp_path / "data" / "accord" / "accord.db")
    assert out[1] == str(tmp_path / "data" / "accord" / "accord-draws")
    assert out[2:] == ["wal", "1", "30000"]
    env["ACCORD_DB"] = str(tmp_path / "elsewhere.db")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == str(tmp_path / "elsewhere.db")
