"""The compiled loops (accord.models.kernels, numba) give bit-for-bit the numpy results."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord.arrays import from_table
from accord.models import kernels, pce
from accord.models.bdm import BDM
from accord.models.smp import SMP
from accord.uncertainty import sample


@pytest.fixture
def small_is_big(monkeypatch):
    """Use the compiled loops for any size, so that small cases exercise them."""
    pytest.importorskip("numba")
    monkeypatch.setattr(kernels, "MIN_WORK", 1)
    monkeypatch.setattr(kernels, "MIN_WORK_ONE_DRAW", 1)
    monkeypatch.delenv("ACCORD_KERNELS", raising=False)
    assert kernels.wanted(8, 1)


def numpy_only(monkeypatch, fn):
    monkeypatch.setenv("ACCORD_KERNELS", "numpy")
    try:
        return fn()
    finally:
        monkeypatch.delenv("ACCORD_KERNELS")


def random_actors(n: int, dims: int, seed: int):
    g = np.random.default_rng(seed)
    share = g.uniform(0.1, 1.0, (n, dims))
    sal = share / share.sum(axis=1, keepdims=True) * g.uniform(0.75, 0.99, (n, 1))
    return from_table(
        [f"a{k}" for k in range(n)], g.uniform(10, 200, n), g.uniform(0, 100, (n, dims)), sal
    )


def same(a, b) -> None:
    assert np.array_equal(a.outcome, b.outcome)
    assert np.array_equal(a.history, b.history)
    for key in a.series:
        assert np.array_equal(a.series[key], b.series[key])
    for key, v in a.details.items():
        if isinstance(v, np.ndarray):
            assert np.array_equal(v, b.details[key], equal_nan=True), key


@pytest.mark.parametrize("rule", pce.VOTING_RULES)
def test_coalitions_match_numpy_for_every_rule(rule, small_is_big, monkeypatch) -> None:
    g = np.random.default_rng(3)
    u, w = g.random((4, 3, 7, 9)), g.random((4, 3, 7))
    u[0, 0, 2] = u[0, 0, 1]  # exact ties
    fast = pce.coalitions(u, w, rule)
    slow = numpy_only(monkeypatch, lambda: pce.coalitions(u, w, rule))
    assert fast.shape == slow.shape == (4, 3, 9, 9)
    assert np.array_equal(fast, slow)


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"voting_rule": "Binary"},
        {"voting_rule": "PropBin"},
        {"voting_rule": "PropCbc"},
        {"voting_rule": "Cubic"},
        {"voting_rule": "ASymProsp"},
        {"bargn_model": "InitRcvrInterp"},
        {"bargn_model": "PWCompInterp", "pce_model": "MarkovIncentive"},
        {"state_transitions": "Stochastic"},
    ],
)
def test_smp_runs_match_numpy(settings, small_is_big, monkeypatch) -> None:
    arrays = random_actors(9, 2, seed=len(str(settings)))
    model = SMP(max_turns=25, **settings)
    fast = model.run(arrays, rng=5)
    slow = numpy_only(monkeypatch, lambda: model.run(arrays, rng=5))
    same(fast, slow)


def test_smp_with_missing_stances_matches_numpy(small_is_big, monkeypatch) -> None:
    # the Muscat scenario: actors without a stance on some issues, sampled draws
    arrays = sample(accord.load("us-iran-muscat-2026"), 40, rng=2)
    assert not arrays.has_stance.all()
    model = SMP()
    same(model.run(arrays), numpy_only(monkeypatch, lambda: model.run(arrays)))


def test_without_numba_the_numpy_code_runs(monkeypatch) -> None:
    monkeypatch.setattr(kernels, "compiled", lambda: None)  # as when numba cannot be imported
    monkeypatch.delenv("ACCORD_KERNELS", raising=False)
    assert not kernels.wanted(10**9, 100)
    arrays = random_actors(6, 2, seed=1)
    assert SMP(max_turns=3).run(arrays).history.shape[0] == 1


def test_kernels_can_be_turned_off(monkeypatch) -> None:
    pytest.importorskip("numba")
    monkeypatch.setenv("ACCORD_KERNELS", "numpy")
    assert not kernels.wanted(10**9, 100)
    monkeypatch.delenv("ACCORD_KERNELS")
    assert kernels.wanted(10**9, 100) and not kernels.wanted(kernels.MIN_WORK - 1, 100)
    # one draw needs more work before numba's start-up pays, unless the code is loaded already
    import sys

    assert kernels.wanted(kernels.MIN_WORK, 1)  # loaded by now
    monkeypatch.delitem(sys.modules, "accord.models._compiled", raising=False)
    assert not kernels.wanted(kernels.MIN_WORK_ONE_DRAW - 1, 1)
    assert kernels.wanted(kernels.MIN_WORK_ONE_DRAW, 1)


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"probability": "paper", "offer_selection": "smallest_move", "capitulation": "paper"},
        {"tolerance": 0.5, "rounds": 20},
        {"q": 0.6, "t": 0.3},
    ],
)
def test_bdm_runs_match_numpy(settings, small_is_big, monkeypatch) -> None:
    muscat = sample(accord.load("us-iran-muscat-2026"), 60, rng=4)  # missing stances
    wide = random_actors(23, 3, seed=9)  # more actors than the short-row loops take
    for arrays in (muscat, wide):
        model = BDM(**settings)
        same(model.run(arrays), numpy_only(monkeypatch, lambda m=model, a=arrays: m.run(a)))


def test_bdm_ties_match_numpy(small_is_big, monkeypatch) -> None:
    # equal positions, equal weights, mirror images: the tie-breaking rules decide
    arrays = from_table(
        ["a", "b", "c", "d", "e"], [1, 1, 2, 2, 1], [10, 10, 50, 90, 90], [0.5, 0.5, 0.8, 0.8, 0.5]
    )
    model = BDM()
    same(model.run(arrays), numpy_only(monkeypatch, lambda: model.run(arrays)))


def test_the_compiled_sum_adds_in_numpys_order() -> None:
    """Rows summed as numpy sums them (pairwise, eight running sums per block), whatever the
    length: the compiled BDM loops rely on it for their totals."""
    pytest.importorskip("numba")
    from accord.models import _compiled

    g = np.random.default_rng(0)
    for n in [*range(1, 40), 127, 128, 129, 255, 256, 300, 1000, 1600]:
        x = g.standard_normal(n) * 10.0 ** g.uniform(-6, 6, n)
        assert _compiled.np_sum(x, 0, n) == x.sum(), n


@pytest.mark.parametrize("vpm", pce.VP_MODELS)
def test_the_conditional_pce_matches_numpy(vpm, small_is_big, monkeypatch) -> None:
    g = np.random.default_rng(5)
    c = pce.coalitions(g.random((40, 6, 5)), g.random((40, 6)), "Prop")
    c[0, 1, 2] = c[0, 2, 1]  # an exact tie
    mask = g.random((40, 5)) < 0.8
    mask[:, 0] = True
    for m in (None, mask):
        fast = pce.pce(c, vpm, "Conditional", mask=m)
        slow = numpy_only(monkeypatch, lambda m=m: pce.pce(c, vpm, "Conditional", mask=m))
        assert np.array_equal(fast, slow)


@pytest.mark.parametrize("vpm", ["Square", "Octic", "Binary"])
def test_smp_victory_models_match_numpy(vpm, small_is_big, monkeypatch) -> None:
    arrays = random_actors(8, 2, seed=11)
    model = SMP(max_turns=20, victory_prob_model=vpm)
    same(model.run(arrays), numpy_only(monkeypatch, lambda: model.run(arrays)))
