"""The baseline models against hand-computed answers and the EC golden numbers (MODELS.md §3)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from accord.arrays import from_table
from accord.models import get_model

EC_CSV = Path(__file__).resolve().parents[1] / "data" / "ec_car_emissions.csv"


def ec_arrays():
    with EC_CSV.open() as f:
        rows = list(csv.DictReader(f))
    return from_table(
        [r["Actor"] for r in rows],
        [float(r["Capability"]) for r in rows],
        [float(r["Position"]) for r in rows],
        [float(r["Salience"]) for r in rows],
        status_quo=4,
        low=0,
        high=12,
    )


def test_ec_weighted_mean_golden():
    out = get_model("compromise").run(ec_arrays()).outcome
    assert out[0, 0] == pytest.approx(7.389956, abs=1e-6)


@pytest.mark.parametrize("name", ["median", "condorcet"])
def test_ec_median_voter_golden(name):
    assert get_model(name).run(ec_arrays()).outcome[0, 0] == 7.0


def test_compromise_by_hand():
    # weights 1*1 and 3*0.5: (0*1 + 100*1.5) / 2.5 = 60
    a = from_table(["a", "b"], [1, 3], [0, 100], [1.0, 0.5])
    assert get_model("compromise").run(a).outcome[0, 0] == pytest.approx(60.0)


def test_weighted_median_by_hand():
    # weights 1, 1, 3 at 10, 20, 90: half of 5 is reached only at 90
    a = from_table(["a", "b", "c"], [1, 1, 3], [10, 20, 90], [1.0, 1.0, 1.0])
    assert get_model("median").run(a).outcome[0, 0] == 90.0
    # a heavy middle actor
    a = from_table(["a", "b", "c"], [1, 5, 1], [10, 20, 90], [1.0, 1.0, 1.0])
    assert get_model("median").run(a).outcome[0, 0] == 20.0


def test_median_voter_beats_every_other_position():
    rng = np.random.default_rng(0)
    pos, cap, sal = rng.uniform(0, 100, 7), rng.uniform(1, 10, 7), rng.uniform(0.1, 1, 7)
    a = from_table([str(k) for k in range(7)], cap, pos, sal)
    winner = get_model("condorcet").run(a).outcome[0, 0]
    w = cap * sal
    for other in pos:
        margin = np.sum(w * (np.abs(pos - other) - np.abs(pos - winner)))
        assert margin >= -1e-9


def test_zero_salience_everywhere_keeps_status_quo():
    a = from_table(["a", "b"], [1, 1], [10, 90], [0.0, 0.0], status_quo=42)
    for name in ("compromise", "median", "condorcet", "nash"):
        assert get_model(name).run(a).outcome[0, 0] == 42.0


class TestNash:
    def test_symmetric_actors_split_the_difference(self):
        a = from_table(["a", "b"], [1, 1], [20, 80], [1.0, 1.0], status_quo=50)
        assert get_model("nash").run(a).outcome[0, 0] == pytest.approx(50.0, abs=1e-9)

    def test_closed_form_two_actors_quadratic(self):
        # d = 0, x_a = 40, x_b = 100, weights 1 and 2 (capability 1, 2; salience 1).
        # maximise log(40² - (x-40)²) + 2 log(100² - (x-100)²) = log(x(80-x)) + 2 log(x(200-x))
        # derivative 1/x - 1/(80-x) + 2/x - 2/(200-x) = 0 -> solved numerically below
        a = from_table(["a", "b"], [1, 2], [40, 100], [1.0, 1.0], status_quo=0)
        got = get_model("nash").run(a).outcome[0, 0]
        f = lambda x: 3 / x - 1 / (80 - x) - 2 / (200 - x)  # noqa: E731
        assert abs(f(got)) < 1e-6
        assert 0 < got < 80  # a cannot be made worse off than the status quo

    def test_red_line_constrains_the_solution(self):
        # d = 10: a (at 20) gains only on [10, 30]; unconstrained the optimum lies below 28
        a = from_table(["a", "b"], [1, 1], [20, 80], [1.0, 1.0], status_quo=10)
        free = get_model("nash").run(a).outcome[0, 0]
        a.red_low[:, 1, 0] = 28.0  # b accepts nothing below 28
        assert free < 28.0
        assert get_model("nash").run(a).outcome[0, 0] == pytest.approx(28.0, abs=1e-9)

    def test_infeasible_returns_disagreement_point(self):
        a = from_table(["a", "b"], [1, 1], [20, 80], [1.0, 1.0], status_quo=50)
        a.red_high[:, 0, 0] = 30.0
        a.red_low[:, 1, 0] = 70.0
        res = get_model("nash").run(a)
        assert res.outcome[0, 0] == 50.0
        assert not res.details["feasible"][0, 0]

    def test_linear_utility_option_and_weights(self):
        # d = 0: a (at 20) gains on [0, 40], b (at 80) on [0, 160]; feasible [0, 40] when both
        # must gain (b's 3 of 4 would be a winning coalition alone under the default quota)
        a = from_table(["a", "b"], [1, 3], [20, 80], [1.0, 1.0], status_quo=0)
        both = {"bargainers": "all_deciders"}
        # linear gains 20 - |x-20| and 80 - |x-80|; on [20, 40] the first-order condition
        # -w_a/(40-x) + w_b/x = 0 gives x = 40 w_b / (w_a + w_b)
        lin = get_model("nash", utility="linear", **both).run(a).outcome[0, 0]
        assert lin == pytest.approx(30.0, abs=1e-9)
        lin_equal = get_model("nash", utility="linear", weights="equal", **both)
        assert lin_equal.run(a).outcome[0, 0] == pytest.approx(20.0, abs=1e-9)
        quad = get_model("nash", **both).run(a).outcome[0, 0]
        quad_equal = get_model("nash", weights="equal", **both).run(a).outcome[0, 0]
        assert quad > quad_equal

    def test_bad_choice_is_refused(self):
        from accord.errors import ParameterError

        with pytest.raises(ParameterError, match="utility"):
            get_model("nash", utility="cubic")
