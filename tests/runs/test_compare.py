"""What-ifs on common random numbers, and the Muscat variants against their stated directions."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import ParameterError, UnknownNameError
from accord.runs.compare import check_expectations, compare
from accord.runs.forecast import forecast
from accord.scenario import load

RUNS = 2000


@pytest.fixture(scope="module")
def muscat():
    return load("us-iran-muscat-2026")


@pytest.fixture(scope="module")
def cmp_all(muscat):
    return compare(muscat, None, "compromise,nash", runs=RUNS, seed=2026)


def test_a_variant_that_changes_nothing_gives_exactly_zero_deltas(muscat):
    same = ("same", {"actors.us.capability": muscat.actor("us").capability})
    cmp = compare(muscat, [same], "compromise,median,nash,bdm", runs=400, seed=1, chunk_size=150)
    for mc_ in cmp.models.values():
        for issue in mc_.columns["base"].issues:
            d = mc_.issue_delta("same", issue)
            assert d.value == 0 and d.interval(0.95) == (0, 0)
            assert np.array_equal(
                mc_.columns["same"].draws.outcome, mc_.columns["base"].draws.outcome
            )
        for status in ("agreement", "stalemate", "escalation"):
            assert mc_.probability_delta("same", status).value == 0


def test_base_column_equals_a_plain_forecast(muscat, cmp_all):
    fc = forecast(muscat, "compromise,nash", runs=RUNS, seed=2026)
    for name in ("compromise", "nash"):
        assert np.array_equal(
            cmp_all.models[name].columns["base"].draws.outcome, fc.models[name].draws.outcome
        )


def test_variant_column_equals_a_forecast_of_that_variant(muscat, cmp_all):
    fc = forecast(muscat, "compromise", variant="oman-steps-back", runs=RUNS, seed=2026)
    assert np.array_equal(
        cmp_all.models["compromise"].columns["oman-steps-back"].draws.outcome,
        fc.models["compromise"].draws.outcome,
    )


def test_one_changed_number_changes_only_that_number(muscat):
    # Oman's capability only: every other input of every draw is the same
    cmp = compare(
        muscat,
        [("oman0", {"actors.oman.capability": 0, "actors.oman.capability_range": None})],
        "compromise",
        runs=300,
        seed=3,
    )
    base, var = (cmp.models["compromise"].columns[c] for c in ("base", "oman0"))
    # Oman (salience > 0 everywhere it has a stance) pulls every issue it has a stance on
    assert not np.array_equal(base.draws.outcome, var.draws.outcome)
    # Iran's and the US's utilities of the status quo do not depend on Oman: the threat shares agree
    assert np.array_equal(base.draws.status == 2, var.draws.status == 2)


@pytest.mark.parametrize(
    "variant",
    ["us-drops-missiles-proxies", "oman-steps-back", "iran-unrest-intensifies", "us-buildup-stops"],
)
def test_muscat_variants_move_the_way_their_rationale_says(muscat, cmp_all, variant):
    """Under the compromise model each variant's ``expect`` holds, on 2,000 draws."""
    assert muscat.variant(variant).expect, "the variant states no expectation"
    checks = cmp_all.expectations("compromise", variant)
    assert checks and all(c.holds for c in checks), [c for c in checks if not c.holds]


def test_dropping_the_missile_and_proxy_demands_makes_a_nash_deal_likely(cmp_all):
    d = cmp_all.models["nash"].probability_delta("us-drops-missiles-proxies", "agreement")
    lo, hi = d.interval(0.95)
    assert d.value > 0.3 and lo > 0
    esc = cmp_all.models["nash"].probability_delta("us-drops-missiles-proxies", "escalation")
    assert esc.interval(0.95)[1] < 0


def test_probability_intervals_shrink_with_draws(muscat):
    small = compare(muscat, ["us-buildup-stops"], "nash", runs=200, seed=5)
    big = compare(muscat, ["us-buildup-stops"], "nash", runs=3200, seed=5)

    def w(c):
        return np.diff(
            c.models["nash"].probability_delta("us-buildup-stops", "stalemate").interval(0.8)
        )[0]

    assert w(big) < w(small)


def test_check_rules(cmp_all):
    mc_ = cmp_all.models["compromise"]
    # agreement is 0 in both columns here, so the deal margin decides
    (check,) = check_expectations(mc_, "oman-steps-back", {"agreement": "down"})
    assert check.measure == "deal margin (mean)" and check.holds
    (check,) = check_expectations(mc_, "oman-steps-back", {"agreement": "up"})
    assert not check.holds
    (check,) = check_expectations(mc_, "oman-steps-back", {"issues.nope": "up"})
    assert not check.holds and check.measure == "unknown quantity"


def test_errors(muscat):
    with pytest.raises(UnknownNameError, match="no variant"):
        compare(muscat, ["nope"], "compromise", runs=10)
    with pytest.raises(ParameterError, match="base is always the first column"):
        compare(muscat, ["base"], "compromise", runs=10)
    with pytest.raises(ParameterError, match="no variants"):
        compare(muscat, [], "compromise", runs=10)
    with pytest.raises(ParameterError, match="twice"):
        compare(muscat, [("x", {}), ("x", {})], "compromise", runs=10)


def test_single_run_compare_is_deterministic(muscat):
    cmp = compare(muscat, ["us-drops-missiles-proxies"], "compromise", runs=1)
    d = cmp.models["compromise"].issue_delta("us-drops-missiles-proxies", "missiles")
    assert d.value < 0 and d.interval(0.8)[0] == d.interval(0.8)[1] == d.value
    data = cmp.to_json()
    assert data["runs"] == 1 and data["results"]["columns"][0]["id"] == "base"
