"""Small checks shared by the services: model lists, output paths, the size of a run."""

from __future__ import annotations

import pytest

from accord.errors import ParameterError, UnknownNameError
from accord.models import MODELS
from accord.runs import montecarlo as mc
from accord.runs.options import model_names, one_model
from accord.runs.output import IMAGE_SUFFIXES, check_output_path


def test_model_names_all_anywhere_duplicates_and_empty():
    every = model_names("all")
    assert set(every) == set(MODELS)
    assert model_names("bdm,all") == every and model_names(["median", "all"]) == every
    assert model_names("nash, compromise,nash") == ["nash", "compromise"]
    for empty in ("", " , ", []):
        with pytest.raises(UnknownNameError, match="no model named"):
            model_names(empty)
    assert one_model(" bdm ") == "bdm"
    with pytest.raises(ParameterError, match="exactly one"):
        one_model("bdm,smp")


def test_output_paths(tmp_path):
    assert check_output_path(tmp_path / "a.SVG", IMAGE_SUFFIXES) == tmp_path / "a.SVG"
    with pytest.raises(ParameterError, match="it is a folder"):
        check_output_path(tmp_path, IMAGE_SUFFIXES)
    with pytest.raises(ParameterError, match="not an existing folder"):
        check_output_path(tmp_path / "no" / "a.png", IMAGE_SUFFIXES)
    (tmp_path / "file").write_text("")
    with pytest.raises(ParameterError, match="not an existing folder"):
        check_output_path(tmp_path / "file" / "a.png", IMAGE_SUFFIXES)


def test_chunks_are_computed_on_demand():
    chunks = mc.chunks_of(mc.MAX_RUNS, 4096)
    assert not isinstance(chunks, list)
    assert len(chunks) == -(-mc.MAX_RUNS // 4096)
    last = chunks[-1]
    assert last.index == len(chunks) - 1 and last.start + last.size == mc.MAX_RUNS
    assert chunks[1:3] == [mc.Chunk(1, 4096, 4096), mc.Chunk(2, 8192, 4096)]
    with pytest.raises(IndexError):
        chunks[len(chunks)]


def test_memory_estimate_and_refusal(monkeypatch):
    import accord
    from accord.models import get_model
    from accord.scenario import to_arrays
    from accord.uncertainty import bounds

    sc = accord.load("us-iran-muscat-2026")  # 6 actors, 6 issues
    plan = mc.Plan(
        variants=(mc.VariantInput("base", to_arrays(sc), bounds(sc)),),
        models=(get_model("compromise"), get_model("median")),
    )
    assert mc.memory_needed(plan, 1_000_000) == 8 * 1_000_000 * (6 + 6 + 2) * 2
    monkeypatch.setattr(mc, "available_memory", lambda: 100 * 2**20)  # 100 MiB
    with pytest.raises(ParameterError, match=r"need about 0\.2 GiB") as info:
        mc.run(plan, 1_000_000, seed=1)
    assert "e.g. 230,000" in str(info.value)  # what fits in half the memory available
    assert info.value.field == "runs"  # the CLI says --runs, the API its own field
    assert mc.run(plan, 100, seed=1).draws_completed == 100


def test_large_scenarios_get_smaller_chunks_and_the_same_numbers_on_any_workers():
    import numpy as np

    import accord
    from accord.runs.montecarlo import DEFAULT_CHUNK, MIN_CHUNK, chunk_for
    from accord.scenario.types import Scenario

    assert chunk_for(6) == DEFAULT_CHUNK and chunk_for(12) == DEFAULT_CHUNK
    assert chunk_for(20) == 512 and chunk_for(40) == MIN_CHUNK
    sizes = [chunk_for(a) for a in range(1, 200)]
    assert sizes == sorted(sizes, reverse=True)  # never larger for more actors

    rng = np.random.default_rng(0)
    sc = Scenario.model_validate(
        {
            "id": "twenty",
            "title": "20 actors",
            "issues": [{"id": "x", "name": "X", "scale": {0: "a", 100: "b"}, "status_quo": 50}],
            "actors": [
                {
                    "id": f"a{k}",
                    "name": f"A{k}",
                    "capability": float(rng.uniform(1, 10)),
                    "stances": {"x": {"position": float(rng.uniform(0, 100)), "salience": 50}},
                }
                for k in range(20)
            ],
        }
    )
    one = accord.forecast(sc, "compromise", runs=1200, seed=4, workers=1)
    two = accord.forecast(sc, "compromise", runs=1200, seed=4, workers=2)
    assert one.chunk_size == 512
    np.testing.assert_array_equal(one.issues["x"].values, two.issues["x"].values)
