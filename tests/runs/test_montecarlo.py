"""Monte Carlo execution: the same seed gives the same numbers on 1, 2, 4 workers and on Dask;
chunks merge in any order; Ctrl-C returns what finished."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from accord.models.bdm import BDM
from accord.runs import montecarlo as mc
from accord.runs.forecast import forecast
from accord.scenario import load

TWO_ISSUE = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "two_issue.yaml"
MODELS = "compromise,median,nash,bdm"
# 1,000 draws in chunks of 128: 8 chunks, so every engine really splits the work
RUN = dict(runs=1000, seed=11, chunk_size=128)


@pytest.fixture(scope="module")
def muscat():
    return load("us-iran-muscat-2026")


@pytest.fixture(scope="module")
def serial(muscat):
    return forecast(muscat, MODELS, workers=1, **RUN)


def _same(a, b) -> None:
    ja, jb = a.record.reproducible_json(), b.record.reproducible_json()
    assert json.dumps(ja, sort_keys=True) == json.dumps(jb, sort_keys=True), "records differ"
    for name in a.models:
        da, db = a.models[name].draws, b.models[name].draws
        assert np.array_equal(da.outcome, db.outcome)
        assert np.array_equal(da.status, db.status)
        assert np.array_equal(da.utility, db.utility)
        assert np.array_equal(da.positions, db.positions)


def test_chunks_partition_the_draws():
    chunks = mc.chunks_of(1000, 128)
    assert len(chunks) == 8 and chunks[-1].size == 1000 - 7 * 128
    assert sum(c.size for c in chunks) == 1000
    assert [c.start for c in chunks] == list(range(0, 1000, 128))


def test_chunk_streams_are_seed_sequence_spawns():
    spawned = np.random.SeedSequence(5).spawn(3)[2]
    assert np.array_equal(mc.chunk_seed(5, 2).generate_state(4), spawned.generate_state(4))


def test_serial_run_is_reproducible(muscat, serial):
    again = forecast(muscat, MODELS, workers=1, **RUN)
    _same(serial, again)
    assert serial.draws == 1000 and not serial.interrupted
    other = forecast(muscat, MODELS, workers=1, runs=1000, seed=12, chunk_size=128)
    assert not np.array_equal(
        other.models["compromise"].draws.outcome, serial.models["compromise"].draws.outcome
    )


@pytest.mark.parametrize("workers", [2, 4])
def test_local_workers_give_identical_numbers(muscat, serial, workers):
    par = forecast(muscat, MODELS, workers=workers, **RUN)
    assert par.workers == workers
    _same(serial, par)


def test_dask_local_cluster_gives_identical_numbers(muscat, serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        fc = forecast(muscat, MODELS, engine="dask", address=cluster.scheduler_address, **RUN)
        assert fc.engine == "dask" and fc.workers == 2
    _same(serial, fc)


def test_dask_engine_starts_its_own_cluster(muscat, serial):
    pytest.importorskip("distributed")
    fc = forecast(muscat, MODELS, engine="dask", workers=2, **RUN)
    _same(serial, fc)


def test_bad_engine_and_address(muscat):
    from accord.errors import ParameterError

    with pytest.raises(ParameterError, match="engine"):
        forecast(muscat, "compromise", runs=10, engine="spark")
    with pytest.raises(ParameterError, match="needs the dask engine") as info:
        forecast(muscat, "compromise", runs=10, address="tcp://127.0.0.1:1")
    assert info.value.field == "address"


def test_results_merge_in_any_order(muscat):
    sc = muscat
    from accord.models import get_model
    from accord.scenario import to_arrays
    from accord.uncertainty import bounds

    plan = mc.Plan(
        variants=(mc.VariantInput("base", to_arrays(sc), bounds(sc)),),
        models=(get_model("compromise"),),
    )
    chunks = mc.chunks_of(300, 64)
    results = [mc.run_chunk(plan, ch, 3) for ch in chunks]
    fwd, rev = mc.Accumulator(300, 1, 1), mc.Accumulator(300, 1, 1)
    for r in results:
        fwd.add(r)
    for r in reversed(results):
        rev.add(r)
    a, b = fwd.finish()[0][0], rev.finish()[0][0]
    assert np.array_equal(a.outcome, b.outcome) and np.array_equal(a.red_line, b.red_line)
    assert np.array_equal(a.examples, b.examples)  # the examples always come from chunk 0


def _interrupt_after(n_chunks: int):
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) > n_chunks:  # the first call is (0, total)
            raise KeyboardInterrupt

    return progress, calls


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_returns_the_finished_chunks(muscat, workers):
    progress, calls = _interrupt_after(2)
    fc = forecast(
        muscat, "compromise", runs=2000, seed=1, chunk_size=100, workers=workers, progress=progress
    )
    assert fc.interrupted and fc.runs == 2000
    assert fc.draws == 200 == calls[-1][0]
    assert fc.models["compromise"].draws.outcome.shape == (200, 6)
    full = forecast(muscat, "compromise", runs=2000, seed=1, chunk_size=100, workers=1)
    # the finished draws are exactly those of the full run (whichever chunks they were)
    got = fc.models["compromise"].draws.outcome
    assert np.isin(got[:, 0], full.models["compromise"].draws.outcome[:, 0]).all()
    data = fc.to_json()
    assert data["interrupted"] is True and data["runs"] == 2000 and data["draws"] == 200


def test_ctrl_c_before_any_chunk_raises_a_clear_error(muscat):
    def progress(done, total):
        raise KeyboardInterrupt

    with pytest.raises(mc.Interrupted, match="nothing to report"):
        forecast(muscat, "compromise", runs=500, seed=1, progress=progress)


def test_progress_counts_every_draw(muscat):
    calls = []
    forecast(
        muscat,
        "compromise",
        runs=1000,
        seed=1,
        chunk_size=300,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[0] == (0, 1000) and calls[-1] == (1000, 1000)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_dyad_tables_are_off_for_many_draws():
    assert mc.monte_carlo_params("bdm", None)["record_dyads"] is False
    assert mc.monte_carlo_params("bdm", {"record_dyads": True})["record_dyads"] is True
    assert "record_dyads" not in mc.monte_carlo_params("compromise", None)
    assert mc.monte_carlo_params("smp", None)["record_turns"] is False
    # a model's full settings (defaults included) keep only what the user asked for
    full = dict(BDM.defaults)
    assert mc.monte_carlo_params("bdm", full, explicit=["rounds"])["record_dyads"] is False
    assert mc.monte_carlo_params("bdm", full, explicit=["record_dyads"])["record_dyads"] is True


def test_monte_carlo_chunks_keep_no_account_tables(muscat, monkeypatch):
    """What the chunks run: BDM without its dyadic tables, SMP without its per-turn tables."""
    seen = {}
    real = mc.run_chunk

    def spy(plan, chunk, entropy):
        seen.update({m.name: m.params for m in plan.models})
        return real(plan, chunk, entropy)

    monkeypatch.setattr(mc, "run_chunk", spy)
    forecast(muscat, "bdm,smp", runs=64, seed=1, workers=1, chunk_size=32)
    assert seen["bdm"]["record_dyads"] is False and seen["smp"]["record_turns"] is False


def test_a_stochastic_model_gets_chunk_streams_independent_of_workers():
    """A model that draws from its rng still gives the same numbers on any number of workers."""
    sc = load(TWO_ISSUE)
    from accord.models import MODELS
    from accord.models.base import BargainingModel, static_result

    class Jitter(BargainingModel):
        name = "test-jitter"
        label = "test"
        reference = "test"

        def _run(self, arrays, rng):
            return static_result(
                self, arrays, arrays.position.mean(axis=1) + rng.random(arrays.position.shape[::2])
            )

    MODELS["test-jitter"] = Jitter
    try:
        a = forecast(sc, "test-jitter", runs=300, seed=2, chunk_size=50, workers=1)
        b = forecast(sc, "test-jitter", runs=300, seed=2, chunk_size=50, workers=2)
    finally:
        del MODELS["test-jitter"]
    assert np.array_equal(
        a.models["test-jitter"].draws.outcome, b.models["test-jitter"].draws.outcome
    )


def test_models_that_stop_early_merge_across_chunks():
    """A model whose step count differs between chunks (SMP, BDM with a tolerance) still merges."""
    sc = load(TWO_ISSUE)
    from accord.models import MODELS
    from accord.models.base import BargainingModel, Result

    class Uneven(BargainingModel):
        name = "test-uneven"
        label = "test"
        reference = "test"

        def _run(self, arrays, rng):
            steps = 1 + arrays.n_draws % 4  # chunks of 100 -> 1 step, the last one (50) -> 3
            hist = np.repeat(arrays.position[:, None], steps, axis=1)
            out = arrays.position.mean(axis=1)
            return Result(
                self.name, {}, out, hist, series={"mean": np.repeat(out[:, None], steps, axis=1)}
            )

    MODELS["test-uneven"] = Uneven
    try:
        fc = forecast(sc, "test-uneven", runs=250, seed=1, chunk_size=100, workers=1)
    finally:
        del MODELS["test-uneven"]
    ds = fc.models["test-uneven"].draws
    assert ds.positions.shape[0] == 3 and ds.series["mean"].shape[0] == 3
    # every step counts every draw once per actor and issue
    assert (ds.positions.sum(axis=(1, 2, 3)) == 250 * 3 * 2).all()
    assert fc.models["test-uneven"].trajectory.examples.shape[1] == 3
