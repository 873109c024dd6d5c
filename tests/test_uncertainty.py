"""Sampling the uncertain inputs: ranges, defaults, clipping, seeds, common random numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.arrays import from_table
from accord.errors import ParameterError
from accord.scenario import load, to_arrays, with_changes
from accord.uncertainty import (
    DEFAULT_UNCERTAINTY,
    Uncertainty,
    _inverse_cdf,
    apply_noise,
    bounds,
    draw_noise,
    resolve_uncertainty,
    sample,
)

TWO_ISSUE = Path(__file__).resolve().parent / "data" / "scenarios" / "two_issue.yaml"


@pytest.fixture(scope="module")
def sc():
    return load(TWO_ISSUE)


@pytest.fixture(scope="module")
def muscat():
    return load("us-iran-muscat-2026")


def test_shapes_and_seed(sc):
    a = sample(sc, 500, rng=3)
    assert a.position.shape == (500, 3, 2) and a.capability.shape == (500, 3)
    b = sample(sc, 500, rng=np.random.default_rng(3))
    assert np.array_equal(a.position, b.position) and np.array_equal(
        a.outside_value, b.outside_value, equal_nan=True
    )
    c = sample(sc, 500, rng=4)
    assert not np.array_equal(a.position, c.position)


def test_none_gives_identical_copies(sc):
    base = to_arrays(sc)
    a = sample(sc, 7, rng=1, uncertainty="none")
    assert a.n_draws == 7
    for f in ("position", "salience", "capability", "red_low", "red_high"):
        assert np.array_equal(getattr(a, f), np.repeat(getattr(base, f), 7, axis=0))


def test_default_spreads_clipped_to_the_scale(sc):
    a = sample(sc, 20_000, rng=1)
    pos = a.position
    # a: scope 90 ± 5; b: relief 100, clipped to [95, 100]
    assert pos[:, 0, 0].min() >= 85 and pos[:, 0, 0].max() <= 95
    assert pos[:, 1, 1].min() >= 95 and pos[:, 1, 1].max() <= 100
    assert (pos >= 0).all() and (pos <= 100).all()
    assert (a.salience >= 0).all() and (a.salience <= 1).all()
    # capability ± 10 %
    assert a.capability[:, 0].min() >= 54 and a.capability[:, 0].max() <= 66
    # triangular with the value as mode: the mean of a symmetric range is the value
    assert pos[:, 0, 0].mean() == pytest.approx(90, abs=0.1)
    # outside option: value 40 ± 5 (0–1 scale); b and m have none (NaN: worth the status quo)
    assert 0.35 <= a.outside_value[:, 0].min() and a.outside_value[:, 0].max() <= 0.45
    assert np.isnan(a.outside_value[:, 1:]).all()


def test_scenario_ranges_are_used(muscat):
    a = sample(muscat, 20_000, rng=2)
    us = muscat.actor("us")
    k = [i.id for i in muscat.issues].index("enrichment")
    lo, hi = us.stances["enrichment"].position_range
    x = a.position[:, 0, k]
    assert x.min() >= lo and x.max() <= hi
    assert x.min() < lo + 2 and x.max() > hi - 2  # the whole range is used
    slo, shi = us.stances["enrichment"].salience_range
    s = a.salience[:, 0, k] * 100
    assert s.min() >= slo - 1e-9 and s.max() <= shi + 1e-9
    clo, chi = us.capability_range
    assert a.capability[:, 0].min() >= clo and a.capability[:, 0].max() <= chi
    vlo, vhi = us.outside_option.value_range
    assert a.outside_value[:, 0].min() >= vlo / 100 and a.outside_value[:, 0].max() <= vhi / 100


def test_red_lines_vary_only_where_set_and_never_exclude_the_own_position(muscat):
    base = to_arrays(muscat)
    a = sample(muscat, 5000, rng=5)
    unset_low = base.red_low[0] <= base.low
    assert np.array_equal(
        a.red_low[:, unset_low],
        np.broadcast_to(base.red_low[0][unset_low], (5000, unset_low.sum())),
    )
    assert (a.red_low <= a.position + 1e-12).all() and (a.red_high >= a.position - 1e-12).all()
    # Iran's sanctions red line (min 20) has no range: the default ± 5 applies
    iran, k = 1, [i.id for i in muscat.issues].index("sanctions")
    assert muscat.actors[iran].stances["sanctions"].red_line.min_range is None
    assert a.red_low[:, iran, k].min() >= 15 and a.red_low[:, iran, k].max() <= 25


def test_actors_without_a_stance_stay_out(muscat):
    base = to_arrays(muscat)
    a = sample(muscat, 1000, rng=1)
    missing = ~base.has_stance
    assert missing.any()
    assert (a.salience[:, missing] == 0).all()
    assert np.array_equal(
        a.position[:, missing], np.broadcast_to(base.position[0][missing], (1000, missing.sum()))
    )


def test_arrays_get_the_default_spread():
    base = from_table(["a", "b"], [1, 3], [20, 80], [0.5, 0.9])
    a = sample(base, 5000, rng=1)
    assert a.position[:, 0, 0].min() >= 15 and a.position[:, 0, 0].max() <= 25
    assert a.salience[:, 1, 0].max() <= 1.0


def test_uniform_distribution_fills_the_range(sc):
    a = sample(sc, 20_000, rng=1, uncertainty={"distribution": "uniform"})
    x = a.position[:, 0, 0]
    assert abs(np.mean(x < 87.5) - 0.25) < 0.02  # uniform on [85, 95]


def test_resolve_and_errors():
    assert resolve_uncertainty(None) is DEFAULT_UNCERTAINTY
    assert resolve_uncertainty("none").is_none
    assert resolve_uncertainty("ranges").position == 0 and resolve_uncertainty("ranges").ranges
    assert resolve_uncertainty({"position": 10}).position == 10
    with pytest.raises(ParameterError, match="no setting"):
        resolve_uncertainty({"positon": 10})
    with pytest.raises(ParameterError):
        resolve_uncertainty("wide")
    with pytest.raises(ParameterError):
        Uncertainty(position=-1)


def test_common_random_numbers_change_only_what_changed(sc):
    noise = draw_noise(3, 2, 2000, rng=9)
    base = apply_noise(to_arrays(sc), bounds(sc), noise)
    same = apply_noise(to_arrays(sc), bounds(sc), noise)
    assert np.array_equal(base.position, same.position)
    alt_sc = with_changes(sc, {"actors.a.stances.scope.position": 60})
    alt = apply_noise(to_arrays(alt_sc), bounds(alt_sc), noise)
    changed = np.zeros((3, 2), dtype=bool)
    changed[0, 0] = True
    assert np.array_equal(alt.position[:, ~changed], base.position[:, ~changed])
    assert np.array_equal(alt.salience, base.salience) and np.array_equal(
        alt.capability, base.capability
    )
    # a symmetric, unclipped triangle shifts draw by draw by exactly the change
    assert np.allclose(alt.position[:, 0, 0] - base.position[:, 0, 0], -30)


@settings(max_examples=200, deadline=None)
@given(
    u=st.floats(0, 1, exclude_max=True),
    lo=st.floats(-50, 50),
    w1=st.floats(0, 50),
    w2=st.floats(0, 50),
    dist=st.sampled_from(["triangular", "uniform"]),
)
def test_inverse_cdf_stays_in_range(u, lo, w1, w2, dist):
    mode, hi = lo + w1, lo + w1 + w2
    x = float(_inverse_cdf(np.array([u]), (np.array(mode), np.array(lo), np.array(hi)), dist)[0])
    assert lo - 1e-9 <= x <= hi + 1e-9


def test_inverse_cdf_is_the_triangular_law():
    u = (np.arange(100_000) + 0.5) / 100_000
    x = _inverse_cdf(u, (np.array(30.0), np.array(0.0), np.array(100.0)), "triangular")
    # CDF of a triangle (0, 30, 100) at 30 is 0.3
    assert np.mean(x <= 30) == pytest.approx(0.3, abs=1e-4)
    assert np.mean(x) == pytest.approx((0 + 30 + 100) / 3, abs=1e-2)


def test_red_line_ranges_are_sampled_within_their_range():
    """A red-line end with a range is drawn from it; one without keeps the default spread."""
    import accord
    from accord.uncertainty import sample

    sc = accord.load("us-iran-muscat-2026")
    us = sc.actor("us").stances["missiles"].red_line
    iran = sc.actor("iran").stances["missiles"].red_line
    assert us.min_range is not None and iran.max_range is not None
    arr = sample(sc, 4000, rng=3)
    a_us, a_iran = arr.actor_ids.index("us"), arr.actor_ids.index("iran")
    k = arr.issue_ids.index("missiles")
    us_min = arr.red_low[:, a_us, k]
    iran_max = arr.red_high[:, a_iran, k]
    # the US minimum stays in its range (it is below the US position, so never widened)
    assert us_min.min() >= min(us.min_range) - 1e-9 and us_min.max() <= max(us.min_range) + 1e-9
    assert us_min.max() - us_min.min() > 0.8 * (max(us.min_range) - min(us.min_range))
    # Iran's maximum: from its range, widened only to include Iran's own sampled position
    pos = arr.position[:, a_iran, k]
    assert np.all(iran_max >= np.minimum(min(iran.max_range), pos) - 1e-9)
    assert np.all(iran_max <= np.maximum(max(iran.max_range), pos) + 1e-9)
    # the two ranges overlap, so some draws leave room for a missile clause both can accept
    assert np.mean(iran_max >= us_min) > 0


def test_default_spreads_are_a_share_of_the_issue_scale():
    """± 5 % of the scale: ± 5 on 0–100, ± 0.6 on the EC example's 0–12 years of delay."""
    wide = from_table(["a", "b"], [1, 3], [20, 80], [0.5, 0.9])
    narrow = from_table(["a", "b"], [1, 3], [2.4, 9.6], [0.5, 0.9], low=0, high=12)
    a, b = sample(wide, 4000, rng=2), sample(narrow, 4000, rng=2)
    assert a.position[:, 0, 0].min() >= 15 and a.position[:, 0, 0].max() <= 25
    assert b.position[:, 0, 0].min() >= 1.8 - 1e-9 and b.position[:, 0, 0].max() <= 3.0 + 1e-9
    # the same noise on both scales: the draws are the same share of the scale
    np.testing.assert_allclose((a.position - 0) / 100, b.position / 12, atol=1e-12)
