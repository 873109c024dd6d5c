"""The batched simplex (accord.simplex) and the deal space's programs (accord.deal) against an
independent solver: SciPy's HiGHS, one program at a time (the loop over draws is the reference's,
not accord's)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import linprog

from accord import deal
from accord.arrays import from_table
from accord.simplex import Batch


def highs_max(c, A, b, lo, hi) -> float:
    r = linprog(-c, A_ub=A, b_ub=b, bounds=list(zip(lo, hi, strict=True)), method="highs")
    assert r.status == 0, r.message
    return -r.fun


@pytest.mark.parametrize("m", [1, 2, 5])
def test_random_bounded_programs_match_highs_including_warm_starts(m):
    g = np.random.default_rng(m)
    d, n = 150, 24
    A = np.round(g.normal(size=(d, m, n)), 1)  # rounded: ties and degenerate vertices
    lo = np.round(g.uniform(-1, 0, (d, n)), 1)
    hi = lo + np.round(g.uniform(0, 2, (d, n)), 1)  # some columns fixed (lo = hi)
    b = np.einsum("dmn,dn->dm", A, lo) + np.where(
        g.random((d, m)) < 0.4, 0.0, g.uniform(0, 2, (d, m))
    )
    lp = Batch(A, b, lo, hi)
    for _ in range(2):  # the second objective starts from the first one's optimum
        c = np.round(g.normal(size=(d, n)), 1)
        got = lp.solve(c)
        want = [highs_max(c[k], A[k], b[k], lo[k], hi[k]) for k in range(d)]
        np.testing.assert_allclose(got, want, atol=1e-7)
        assert (np.einsum("dmn,dn->dm", A, lp.x) <= b + 1e-9).all()
        assert (lp.x >= lo - 1e-12).all() and (lp.x <= hi + 1e-12).all()


def _reference(t: deal.Terms, d: int):
    """The maximin margin and the zone's extent per issue of draw ``d``, from a program over the
    outcomes themselves: epigraph variables for each decider's |y − x| and max(|y − x|, reach)."""
    m, n_i = t.outside.shape[1], t.low.size
    lo, hi = (v[d] for v in t.box())
    # variables: y (I), v (m·I) ≥ |y − x|, u (m·I) ≥ max(|y − x|, reach), s
    nv = n_i + 2 * m * n_i + 1
    rows, rhs = [], []

    def var_v(a, k):
        return n_i + a * n_i + k

    def var_u(a, k):
        return n_i + m * n_i + a * n_i + k

    for a in range(m):
        for k in range(n_i):
            x = t.position[d, a, k]
            for sign in (1, -1):  # v, u ≥ ±(y − x)
                for var in (var_v(a, k), var_u(a, k)):
                    r = np.zeros(nv)
                    r[k], r[var] = sign, -1
                    rows.append(r)
                    rhs.append(sign * x)
            r = np.zeros(nv)
            r[var_u(a, k)] = -1
            rows.append(r)
            rhs.append(-t.reach[d, a, k])
        # Σ_k w (τ v + (1 − τ) u) + s ≤ 1 − outside
        r = np.zeros(nv)
        tau = t.trust[d, a]
        for k in range(n_i):
            r[var_v(a, k)] = t.weight[d, a, k] * tau
            r[var_u(a, k)] = t.weight[d, a, k] * (1 - tau)
        r[-1] = 1
        rows.append(r)
        rhs.append(1 - t.outside[d, a])
    A, b = np.array(rows), np.array(rhs)
    bounds = [(lo[k], hi[k]) for k in range(n_i)] + [(0, None)] * (2 * m * n_i) + [(-4, 4)]
    c = np.zeros(nv)
    c[-1] = -1
    margin = -linprog(c, A_ub=A, b_ub=b, bounds=bounds, method="highs").fun
    extent = None
    if margin >= -1e-9:
        bounds[-1] = (0, 4)
        extent = []
        for k in range(n_i):
            c = np.zeros(nv)
            c[k] = 1
            low = linprog(c, A_ub=A, b_ub=b, bounds=bounds, method="highs").fun
            high = -linprog(-c, A_ub=A, b_ub=b, bounds=bounds, method="highs").fun
            extent.append((low, high))
    return margin, extent


def test_the_deal_space_matches_a_program_over_the_outcomes_themselves():
    # random two- and three-decider, three-issue cases with red lines, outside options and trust
    g = np.random.default_rng(11)
    for n_dec in (2, 3):
        d = 40
        arr = from_table(
            [f"a{j}" for j in range(n_dec)],
            np.ones(n_dec),
            g.uniform(0, 100, (d, n_dec, 3)),
            g.uniform(0.1, 1, (d, n_dec, 3)),
            status_quo=g.uniform(0, 100, 3),
            veto=[True] * n_dec,
        )
        pos = arr.position
        red_low = np.where(g.random(pos.shape) < 0.3, pos - g.uniform(0, 40, pos.shape), 0)
        red_high = np.where(g.random(pos.shape) < 0.3, pos + g.uniform(0, 40, pos.shape), 100)
        arr = replace(
            arr,
            red_low=np.clip(red_low, 0, 100),
            red_high=np.clip(red_high, 0, 100),
            outside_value=g.uniform(0.3, 0.8, (d, n_dec)),
            trust=np.where(g.random((d, n_dec)) < 0.5, g.uniform(0, 1, (d, n_dec)), np.nan),
        )
        ds = deal.analyse(arr)
        t = deal.terms(arr)
        assert 0 < ds.exists.mean() < 1  # both kinds of draw are exercised
        for k in range(d):
            if not ds.overlap[k]:
                continue
            margin, extent = _reference(t, k)
            assert ds.margin[k] == pytest.approx(margin, abs=1e-7)
            assert bool(ds.exists[k]) == (margin >= -1e-9)
            if extent is not None:
                np.testing.assert_allclose(ds.extent[k], extent, atol=1e-6)
