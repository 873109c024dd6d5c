"""Invariants of the SMP on generated scenarios (hypothesis picks sizes, switches and a seed; the
numbers come from numpy so that exact ties, which KTAB breaks by actor order, do not occur)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.arrays import from_table
from accord.models.smp import SMP

FAST = settings(max_examples=20, deadline=None)


def scenario(seed: int, n_draws: int, n_act: int, n_iss: int, *, scale: float = 100.0):
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0, scale, (n_draws, n_act, n_iss))
    sal = rng.uniform(0.05, 1.0, (n_draws, n_act, n_iss)) / n_iss
    cap = rng.uniform(1, 200, (n_draws, n_act))
    return from_table([f"a{k}" for k in range(n_act)], cap, pos, sal, low=0.0, high=scale)


sizes = st.tuples(st.integers(0, 10_000), st.integers(1, 2), st.integers(2, 7), st.integers(1, 3))
switches = st.fixed_dictionaries(
    {},
    optional={
        "pce_model": st.sampled_from(SMP.choices["pce_model"]),
        "voting_rule": st.sampled_from(SMP.choices["voting_rule"]),
        "victory_prob_model": st.sampled_from(SMP.choices["victory_prob_model"]),
        "big_r_range": st.sampled_from(SMP.choices["big_r_range"]),
        "bargn_model": st.sampled_from(SMP.choices["bargn_model"]),
        "inter_vec_brgn": st.sampled_from(SMP.choices["inter_vec_brgn"]),
    },
)


@FAST
@given(sizes, switches)
def test_positions_stay_in_the_hull_and_probabilities_are_probabilities(size, params):
    arrays = scenario(*size)
    res = SMP(max_turns=30, **params).run(arrays, rng=0)
    lo = arrays.position.min(axis=1)[:, None, None, :] - 1e-9
    hi = arrays.position.max(axis=1)[:, None, None, :] + 1e-9
    assert np.all((res.history >= lo) & (res.history <= hi))
    assert np.all((res.outcome >= lo[:, 0, 0]) & (res.outcome <= hi[:, 0, 0]))
    win = res.details["win_prob"]
    assert np.all((win >= -1e-12) & (win <= 1 + 1e-9))
    # every distinct position is some actor's, so the actors' column covers the whole distribution
    assert np.all(win.sum(axis=-1) >= 1 - 1e-9)
    rr = res.params["big_r_range"]
    low_r = {"Min": 0.0, "Mid": -0.5, "Max": -1.0}[rr]
    assert np.all((res.details["risk"] >= low_r - 1e-9) & (res.details["risk"] <= 1 + 1e-9))


@FAST
@given(sizes)
def test_stop_rule(size):
    arrays = scenario(*size)
    res = SMP(max_turns=25).run(arrays)
    n = res.details["n_turns"]
    frac = res.details["fractional_change"]
    assert np.all((n >= 1) & (n <= 25)) and res.n_steps == n.max() + 1
    for d in range(arrays.n_draws):
        series = frac[d, : n[d]]
        assert np.all(series >= 0) and np.isnan(frac[d, n[d] :]).all()
        if res.details["stopped_early"][d]:
            assert n[d] >= 2 and series[-1] < 0.02 and np.all(series[1:-1] >= 0.02)
        else:
            assert n[d] == 25
        # a stopped draw keeps its last state
        np.testing.assert_array_equal(
            res.history[d, n[d] :],
            np.broadcast_to(res.history[d, n[d]], res.history[d, n[d] :].shape),
        )


@FAST
@given(sizes)
def test_permuting_actors_permutes_the_run(size):
    arrays = scenario(*size)
    order = np.random.default_rng(size[0]).permutation(arrays.n_actors)
    base = SMP().run(arrays)
    perm = SMP().run(arrays.take_actors(order))
    assert perm.history.shape == base.history.shape
    np.testing.assert_allclose(perm.history, base.history[:, :, order], atol=1e-9)
    np.testing.assert_allclose(perm.outcome, base.outcome, atol=1e-9)


@FAST
@given(sizes)
def test_the_scale_of_the_issues_does_not_matter(size):
    """Positions on 0–200 instead of 0–100 give the doubled run (the model works on 0–1)."""
    small = scenario(*size, scale=100.0)
    big = from_table(
        small.actor_ids, small.capability, small.position * 2, small.salience, low=0.0, high=200.0
    )
    a, b = SMP().run(small), SMP().run(big)
    np.testing.assert_allclose(b.history, 2 * a.history, atol=1e-9)
    np.testing.assert_allclose(b.details["win_prob"], a.details["win_prob"], atol=1e-12)
