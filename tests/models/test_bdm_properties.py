"""Invariants of the BDM model (hypothesis): relabelling, scale of capabilities, bounds, unanimity."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.arrays import from_table
from accord.models.bdm import BDM

SETTINGS = settings(max_examples=50, deadline=None)
OPTIONS = st.sampled_from(
    [
        {},
        {"probability": "paper"},
        {"offer_selection": "smallest_move", "capitulation": "paper"},
        {"q": 0.5, "t": 0.5},
    ]
)


@st.composite
def tables(draw, min_actors: int = 2, max_actors: int = 6, issues: int = 2):
    n = draw(st.integers(min_actors, max_actors))
    # a coarse grid half the time: shared positions, voters exactly at midpoints
    grid = draw(st.booleans())
    pos_el = st.integers(0, 10).map(lambda v: 10.0 * v) if grid else st.floats(0, 100)
    position = np.array(
        draw(st.lists(st.lists(pos_el, min_size=issues, max_size=issues), min_size=n, max_size=n))
    )
    salience = np.array(
        draw(
            st.lists(
                st.lists(st.floats(0.05, 1.0), min_size=issues, max_size=issues),
                min_size=n,
                max_size=n,
            )
        )
    )
    capability = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    return [f"a{k}" for k in range(n)], capability, position, salience


@SETTINGS
@given(tables(), st.randoms(use_true_random=False), OPTIONS)
def test_relabelling_actors_permutes_results(table, rnd, opts):
    ids, cap, pos, sal = table
    arrays = from_table(ids, cap, pos, sal)
    order = list(range(len(ids)))
    rnd.shuffle(order)
    model = BDM(rounds=4, **opts)
    res = model.run(arrays)
    perm = model.run(arrays.take_actors(order))
    np.testing.assert_allclose(perm.history, res.history[:, :, order], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(perm.outcome, res.outcome, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(perm.details["move_kind"], res.details["move_kind"][:, :, order])


@SETTINGS
@given(tables(), st.floats(0.01, 100.0), OPTIONS)
def test_capability_scale_changes_nothing(table, factor, opts):
    ids, cap, pos, sal = table
    model = BDM(rounds=4, **opts)
    res = model.run(from_table(ids, cap, pos, sal))
    scaled = model.run(from_table(ids, cap * factor, pos, sal))
    np.testing.assert_allclose(scaled.history, res.history, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(scaled.details["move_kind"], res.details["move_kind"])


@SETTINGS
@given(tables(), OPTIONS)
def test_positions_stay_within_initial_range(table, opts):
    ids, cap, pos, sal = table
    res = BDM(rounds=5, **opts).run(from_table(ids, cap, pos, sal))
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    assert np.all(res.history >= lo - 1e-9) and np.all(res.history <= hi + 1e-9)
    assert np.all(res.outcome >= lo - 1e-9) and np.all(res.outcome <= hi + 1e-9)
    # every move goes toward (or onto) the counterpart's position
    d = res.details
    for k, a, i in zip(*np.nonzero(d["move_kind"][0]), strict=True):
        j = d["move_counterpart"][0, k, a, i]
        before, after, target = (
            res.history[0, k, a, i],
            res.history[0, k + 1, a, i],
            res.history[0, k, j, i],
        )
        assert min(before, target) - 1e-9 <= after <= max(before, target) + 1e-9


@SETTINGS
@given(
    st.integers(1, 6),
    st.floats(0, 100),
    st.lists(st.floats(0.01, 1.0), min_size=6, max_size=6),
    OPTIONS,
)
def test_identical_positions_mean_no_moves(n, x, sal, opts):
    arrays = from_table(
        [f"a{k}" for k in range(n)], np.linspace(0.2, 1.0, n), np.full(n, x), np.array(sal[:n])
    )
    res = BDM(rounds=3, **opts).run(arrays)
    assert not res.details["move_kind"].any()
    assert np.all(res.history == x)
    assert res.outcome[0, 0] == x
