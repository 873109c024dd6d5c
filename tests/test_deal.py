"""The deal space (accord.deal), on hand-worked cases: two deciders, two issues.

Every answer is derived by hand in the test's comments. Throughout, A and B are the two veto
players, both issues run 0–100, and a decider's utility of a package y = (y1, y2) is
u = 1 − Σ_k s_k |y_k − x_k| / 100 with saliences s summing to 1 (accord.outcome).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from accord import deal
from accord.arrays import from_table
from accord.outcome import analyse, deal_value


def two_deciders(xa, sa, xb, sb, *, sq=(50, 50), outside=(None, None), trust=(None, None),
                 red=None):  # fmt: skip
    """A and B (veto players) with positions x, saliences s (summing to 1), status quo ``sq``,
    outside-option values (None: the status quo's worth), trust (None: full) and red lines
    ``{(actor index, issue index): (min, max)}``."""
    a = from_table(["A", "B"], [1, 1], [xa, xb], [sa, sb], status_quo=sq, veto=[True, True])
    red_low, red_high = a.red_low.copy(), a.red_high.copy()
    for (actor, issue), (lo, hi) in (red or {}).items():
        if lo is not None:
            red_low[0, actor, issue] = lo
        if hi is not None:
            red_high[0, actor, issue] = hi
    return replace(
        a,
        red_low=red_low,
        red_high=red_high,
        outside_value=np.array([[np.nan if v is None else v for v in outside]]),
        trust=np.array([[np.nan if v is None else v for v in trust]]),
    )


def test_a_zone_on_both_issues_its_extent_and_the_mediators_package():
    # A stands at (80, 80), B at (20, 20), both caring equally about the two issues (0.5 each).
    # Red lines: A wants y1 ≥ 40 and y2 ≥ 30, B wants y1 ≤ 60 and y2 ≤ 70: they overlap on
    # [40, 60] × [30, 70]. Both outside options are worth 0.6.
    arr = two_deciders(
        [80, 80], [0.5, 0.5], [20, 20], [0.5, 0.5], outside=(0.6, 0.6),
        red={(0, 0): (40, None), (0, 1): (30, None), (1, 0): (None, 60), (1, 1): (None, 70)},
    )  # fmt: skip
    ds = deal.analyse(arr)
    # Inside the box both issues lie between the two positions, so
    #   u_A = 1 − (160 − y1 − y2)/200 ≥ 0.6  ⇔  y1 + y2 ≥ 80
    #   u_B = 1 − (y1 + y2 − 40)/200 ≥ 0.6   ⇔  y1 + y2 ≤ 120.
    # The zone is the box cut by 80 ≤ y1 + y2 ≤ 120. On y1 ∈ [40, 60] a y2 in [30, 70] always
    # completes the sum, so the zone spans the whole box on each issue.
    assert ds.exists[0]
    np.testing.assert_allclose(ds.extent[0], [[40, 60], [30, 70]], atol=1e-9)
    # Ideals: A's best acceptable package has y1 + y2 = 120 (B's limit): u_A = 1 − 40/200 = 0.8;
    # B's, by symmetry, 0.8. Kalai–Smorodinsky: the same share λ of each gain (0.2) — and
    # u_A + u_B = 2 − 120/200 = 1.4 whatever the package, so u_A = u_B = 0.7 and λ = 0.1/0.2.
    np.testing.assert_allclose(ds.ideal[0], [0.8, 0.8], atol=1e-9)
    np.testing.assert_allclose(ds.value[0], [0.7, 0.7], atol=1e-9)
    assert ds.share[0] == pytest.approx(0.5)
    assert ds.package[0].sum() == pytest.approx(100.0)  # u_A = 0.7 ⇔ y1 + y2 = 100
    # The maximin margin: both at 0.7, 0.1 above their outside options.
    assert ds.margin[0] == pytest.approx(0.1)
    # The package is accepted under the agreement rule itself.
    assert analyse(arr, ds.package).accepts[0].all()


def test_red_lines_that_do_not_overlap_on_one_issue_are_named():
    # As above, but A's red line on issue 1 is now y1 ≥ 60 and B's y1 ≤ 40: no y1 satisfies both.
    arr = two_deciders(
        [80, 80], [0.5, 0.5], [20, 20], [0.5, 0.5], outside=(0.6, 0.6),
        red={(0, 0): (60, None), (1, 0): (None, 40)},
    )  # fmt: skip
    ds = deal.analyse(arr)
    assert not ds.exists[0]
    # the pair: A's minimum (60) lies above B's maximum (40) on issue 1 — and nowhere else
    assert ds.conflict[0, 0, 0, 1]
    assert ds.conflict[0].sum() == 1
    assert ds.red_low[0, 0, 0] == 60 and ds.red_high[0, 1, 0] == 40
    assert np.isnan(ds.margin[0]) and not ds.short[0].any() and not ds.joint[0]


def test_a_zone_that_exists_only_through_a_trade_across_issues():
    # A stands at (100, 100) and cares mostly about issue 1 (0.8, 0.2); B stands at (0, 0) and
    # cares mostly about issue 2 (0.2, 0.8). Status quo (50, 50); both outside options 0.6; red
    # lines that overlap: A y1 ≥ 20, B y1 ≤ 90.
    arr = two_deciders(
        [100, 100], [0.8, 0.2], [0, 0], [0.2, 0.8], outside=(0.6, 0.6),
        red={(0, 0): (20, None), (1, 0): (None, 90)},
    )  # fmt: skip
    ds = deal.analyse(arr)
    # u_A = (0.8 y1 + 0.2 y2)/100 and u_B = 1 − (0.2 y1 + 0.8 y2)/100 (both positions at the ends).
    # The status quo gives each 0.5 < 0.6. Moving issue 1 alone (y2 = 50): u_B ≥ 0.6 needs
    # 0.2 y1 + 40 ≤ 40, y1 ≤ 0, where u_A = 0.1. Moving issue 2 alone (y1 = 50): u_A ≥ 0.6 needs
    # 40 + 0.2 y2 ≥ 60, y2 ≥ 100, while u_B ≥ 0.6 needs 10 + 0.8 y2 ≤ 40, y2 ≤ 37.5. So no package
    # that moves one issue is acceptable — yet (90, 0) gives u_A = 0.72, u_B = 0.82.
    assert ds.exists[0]
    assert not ds.single[0].any()
    assert ds.needs_tradeoff[0]
    # Extent. y1: smallest where B's limit 0.2 y1 + 0.8 y2 ≤ 40 leaves A enough: with
    # y2 = 50 − y1/4, u_A ≥ 0.6 ⇔ 0.75 y1 + 10 ≥ 60 ⇔ y1 ≥ 200/3; largest: the red line, 90.
    # y2: from 0 (then y1 ≥ 75) up to 50 − (200/3)/4 = 100/3.
    np.testing.assert_allclose(ds.extent[0], [[200 / 3, 90], [0, 100 / 3]], atol=1e-7)
    # Ideals. A: y1 = 90 and B's limit y2 = (40 − 18)/0.8 = 27.5, u_A = (72 + 5.5)/100 = 0.775.
    # B: y2 = 0 and A's limit y1 = 75, u_B = 1 − 15/100 = 0.85. Gains over 0.6: 0.175 and 0.25.
    np.testing.assert_allclose(ds.ideal[0], [0.775, 0.85], atol=1e-9)
    # Kalai–Smorodinsky on the efficient edge y1 = 90 (u_A = 0.72 + 0.002 y2,
    # u_B = 0.82 − 0.008 y2): 0.12 + 0.002 y2 = 0.175 λ and 0.22 − 0.008 y2 = 0.25 λ give
    # y2 = 87.5 λ − 60 and 0.7 = 0.95 λ: λ = 14/19, y2 = 85/19 ≈ 4.47.
    assert ds.share[0] == pytest.approx(14 / 19)
    np.testing.assert_allclose(ds.package[0], [90, 85 / 19], atol=1e-7)
    np.testing.assert_allclose(ds.value[0], [0.72 + 0.002 * 85 / 19, 0.82 - 0.008 * 85 / 19])


def _trust_case(trust_a):
    # Issue 1 (limits): A wants 100, B 0; issue 2 (relief): B wants 100, A 0. Status quo (0, 0).
    # Saliences A (0.75, 0.25), B (0.25, 0.75); both outside options 0.55.
    return two_deciders(
        [100, 0], [0.75, 0.25], [0, 100], [0.25, 0.75], sq=(0, 0), outside=(0.55, 0.55),
        trust=(trust_a, None),
    )  # fmt: skip


def test_distrust_closes_a_zone_that_exists_at_full_trust():
    # Full trust: u_A = 0.25 + 0.0075 y1 − 0.0025 y2, u_B = 0.25 − 0.0025 y1 + 0.0075 y2;
    # at (100, 100) both get 0.75 > 0.55: a zone.
    assert deal.analyse(_trust_case(None)).exists[0]
    # With trust τ, A values a deal as τ u_A(y) + (1 − τ) u_A(y′), y′ = (0, y2): if B withholds
    # its part (issue 1, which moves towards A), A is left with its own concession (issue 2).
    # u_A(y′) = 0.25 − 0.0025 y2, so v_A = 0.25 − 0.0025 y2 + 0.0075 τ y1.
    # B's constraint u_B ≥ 0.55 ⇔ 3 y2 − y1 ≥ 120; A's value is best at y1 = 100, y2 = 220/3:
    # v_A = 0.25 − 0.55/3 + 0.75 τ = 1/15 + 0.75 τ ≥ 0.55 ⇔ τ ≥ 29/45 ≈ 0.644.
    arr = _trust_case(0.6)
    y = np.array([[100.0, 220 / 3]])
    assert deal_value(arr, y)[0, 0] == pytest.approx(1 / 15 + 0.75 * 0.6)
    assert not deal.analyse(arr).exists[0]
    assert deal.analyse(_trust_case(0.7)).exists[0]
    # what it would take: A's trust must rise by 29/45 − 0.6
    t = deal.terms(arr)
    move = deal.required_trust(t, deal.Lever(0, "trust"))
    assert move.amount[0, 0] == pytest.approx(29 / 45 - 0.6, abs=1e-4)


def test_what_it_would_take_to_open_a_red_line_gap():
    # The case of the red lines that do not overlap (A y1 ≥ 60, B y1 ≤ 40; outside options 0.6).
    arr = two_deciders(
        [80, 80], [0.5, 0.5], [20, 20], [0.5, 0.5], outside=(0.6, 0.6),
        red={(0, 0): (60, None), (1, 0): (None, 40)},
    )  # fmt: skip
    t = deal.terms(arr)
    a_min, b_max = deal.Lever(0, "red_line", 0, "min"), deal.Lever(1, "red_line", 0, "max")
    # Without A's minimum, y1 ≤ 40 (B's maximum) and the outside options ask 80 ≤ y1 + y2 ≤ 120
    # (as in the first case): y1 = 40 with y2 in [40, 80] is acceptable, and nothing above 40 is.
    # So A's minimum must come down 20 points, 60 → 40. Its cost: A's weight on issue 1, 0.5/100
    # per point, times 20 = 0.1 of its value.
    move = deal.required_move(t, (a_min,))
    assert move.amount[0, 0] == pytest.approx(20)
    assert move.cost[0] == pytest.approx(0.1)
    # B's maximum likewise rises 20 points (40 → 60), at the same cost
    assert deal.required_move(t, (b_max,)).amount[0, 0] == pytest.approx(20)
    # an outside option cannot bridge a red-line gap
    assert np.isinf(deal.required_move(t, (deal.Lever(0, "outside_option"),)).amount[0, 0])
    # one each: together they must close the 20 points; with equal weights any split costs 0.1
    pair = deal.required_move(t, (a_min, b_max))
    assert pair.amount[0].sum() == pytest.approx(20)
    assert pair.cost[0] == pytest.approx(0.1)
    # and a move of that size does open the zone
    assert deal.exists(deal.shifted(t, {a_min: 20.0}))[0]
    assert not deal.exists(deal.shifted(t, {a_min: 19.0}))[0]


def test_outside_options_that_can_be_met_one_at_a_time_but_not_together():
    # The first case with both outside options raised to 0.75: u_A ≥ 0.75 ⇔ y1 + y2 ≥ 110 and
    # u_B ≥ 0.75 ⇔ y1 + y2 ≤ 90. Each alone is possible (A's best package in the box, (60, 70),
    # is worth 1 − 30/200 = 0.85), both together are not.
    arr = two_deciders(
        [80, 80], [0.5, 0.5], [20, 20], [0.5, 0.5], outside=(0.75, 0.75),
        red={(0, 0): (40, None), (0, 1): (30, None), (1, 0): (None, 60), (1, 1): (None, 70)},
    )  # fmt: skip
    ds = deal.analyse(arr)
    assert not ds.exists[0] and ds.joint[0] and not ds.short[0].any()
    assert ds.binding[0].all()
    # u_A + u_B = 1.4 in the box, so the best the two can do together is 0.7 each (at
    # y1 + y2 = 100): 0.05 short of 0.75 — the maximin margin
    assert ds.margin[0] == pytest.approx(-0.05)
    # A settles for less: with u_B ≥ 0.75 (y1 + y2 ≤ 90) A gets at most 1 − 70/200 = 0.65,
    # 0.10 below its outside option
    move = deal.required_move(deal.terms(arr), (deal.Lever(0, "outside_option"),))
    assert move.amount[0, 0] == pytest.approx(0.10)


def test_no_draws_need_no_work():
    # the concessions service asks only about the draws without a zone; there may be none
    t = deal.terms(two_deciders([80, 80], [0.5, 0.5], [20, 20], [0.5, 0.5])).take([])
    assert deal.required_move(t, (deal.Lever(0, "outside_option"),)).amount.shape == (0, 1)
    assert deal.required_trust(t, deal.Lever(0, "trust")).amount.shape == (0, 1)
    assert deal.exists(t).shape == (0,)
