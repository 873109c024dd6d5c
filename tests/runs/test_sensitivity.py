"""Sensitivity analysis checked against cases with known answers.

1. SALib's Ishigami function, f = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1 on [-π, π]³, run through the
   same service as the scenarios: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)
   (Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, Wiley, §4.9).
2. A linear toy scenario whose indices follow by hand (the derivation is next to the test).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.test_functions import Ishigami

import accord
from accord.cli import main
from accord.errors import AccordError
from accord.runs.sensitivity import (
    SensitivityProblem,
    analyse_function,
    default_inputs,
    parse_input,
    scenario_evaluator,
    scenario_problem,
    sensitivity,
)
from accord.scenario import Scenario

ISHIGAMI = SensitivityProblem.of(
    {"x1": (-math.pi, math.pi), "x2": (-math.pi, math.pi), "x3": (-math.pi, math.pi)}
)
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


# -- Ishigami --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_ishigami_sobol_indices_match_the_analytic_values(seed: int) -> None:
    res = analyse_function(ISHIGAMI, Ishigami.evaluate, method="sobol", n=4096, seed=seed)
    for name in ISHIGAMI_S1:
        e = res.effect(name)
        assert e.s1 == pytest.approx(ISHIGAMI_S1[name], abs=0.03), name
        assert e.st == pytest.approx(ISHIGAMI_ST[name], abs=0.03), name
        # the bootstrap interval is honest: it covers the truth and is not wide
        assert abs(e.s1 - ISHIGAMI_S1[name]) <= e.s1_conf + 0.01
        assert 0 < e.st_conf < 0.05
    assert res.ranking() == ["x1", "x2", "x3"]  # by ST
    assert res.evaluations == 4096 * (3 + 2) + (2 * 3 + 1)  # Saltelli sample + one-at-a-time swings


def test_seed_zero_is_a_real_seed() -> None:
    # SALib's bootstrap tests `if seed:`; the service must not let seed 0 go unseeded
    a = analyse_function(ISHIGAMI, Ishigami.evaluate, method="sobol", n=256, seed=0)
    b = analyse_function(ISHIGAMI, Ishigami.evaluate, method="sobol", n=256, seed=0)
    c = analyse_function(ISHIGAMI, Ishigami.evaluate, method="sobol", n=256, seed=1)
    assert a.to_json() == b.to_json()
    assert a.to_json()["effects"] != c.to_json()["effects"]


def test_no_seed_records_the_entropy_that_reproduces_the_run() -> None:
    a = analyse_function(ISHIGAMI, Ishigami.evaluate, method="morris", n=10)
    b = analyse_function(ISHIGAMI, Ishigami.evaluate, method="morris", n=10, seed=a.seed)
    assert a.to_json() == b.to_json()


def test_morris_on_a_linear_function_gives_the_slopes() -> None:
    # f = 3 x1 + x2 - 2 x3 on [0, 1] x [0, 2] x [0, 1]: every elementary effect of x_i, per unit
    # of the normalised input, is a_i (b_i - a_i): mu* = (3, 2, 2), sigma = 0, mu keeps the sign.
    prob = SensitivityProblem.of({"x1": (0, 1), "x2": (0, 2), "x3": (0, 1)})
    res = analyse_function(
        prob, lambda X: 3 * X[:, 0] + X[:, 1] - 2 * X[:, 2], method="morris", n=20, seed=4
    )
    assert res.effect("x1").mu_star == pytest.approx(3.0)
    assert res.effect("x2").mu_star == pytest.approx(2.0)
    assert res.effect("x3").mu == pytest.approx(-2.0)
    assert all(e.sigma == pytest.approx(0.0, abs=1e-9) for e in res.effects)
    assert res.ranking()[0] == "x1"


def test_sobol_n_is_rounded_up_to_a_power_of_two() -> None:
    res = analyse_function(ISHIGAMI, Ishigami.evaluate, method="sobol", n=100, seed=0)
    assert res.n == 128 and any("rounded up" in note for note in res.notes)


def test_a_constant_output_gives_zero_indices_and_says_so() -> None:
    res = analyse_function(ISHIGAMI, lambda X: np.ones(len(X)), method="sobol", n=64, seed=0)
    assert all(e.s1 == 0 and e.st == 0 for e in res.effects)
    assert res.notes


# -- a linear toy scenario -------------------------------------------------------------------------

# Three actors on one issue x; everyone has salience 50, capabilities c = (2, 1, 1). The compromise
# model predicts y = Σ c_i s_i x_i / Σ c_i s_i = (2 x_a + x_b + x_c) / 4. Only x_a and x_b vary,
# uniformly on their scenario ranges [40, 60] and [0, 60] (x_c stays 0), so y = a_a x_a + a_b x_b
# + const with a_a = 1/2, a_b = 1/4. For a linear function of independent inputs,
# Var y = Σ a_i² Var x_i with Var x_i = (hi_i − lo_i)² / 12, there are no interactions, and
#   S1_i = ST_i = a_i² (hi_i − lo_i)² / Σ_j a_j² (hi_j − lo_j)²
#   a_a² · 20² = 100,  a_b² · 60² = 225  ->  S1_a = 100/325 = 0.3077, S1_b = 225/325 = 0.6923.
# Morris (elementary effects per unit of the normalised input, so per whole interval):
#   mu*_a = a_a · 20 = 10, mu*_b = a_b · 60 = 15, sigma = 0.
# The agreement margin: c is the only veto player, at position 0 with outside option worth 30 (of
# 100); y stays in [20, 45] > 0, so its utility is 1 − y/100 and margin = 0.7 − y/100, linear in y:
# the same Sobol' indices, and Morris mu* divided by 100.
TOY = {
    "id": "linear-toy",
    "title": "A linear toy",
    "issues": [{"id": "x", "name": "X", "scale": {0: "none", 100: "all"}, "status_quo": 10}],
    "actors": [
        {
            "id": "a",
            "name": "A",
            "capability": 2,
            "stances": {"x": {"position": 50, "salience": 50, "position_range": [40, 60]}},
        },
        {
            "id": "b",
            "name": "B",
            "capability": 1,
            "stances": {"x": {"position": 30, "salience": 50, "position_range": [0, 60]}},
        },
        {
            "id": "c",
            "name": "C",
            "capability": 1,
            "veto": True,
            "outside_option": {"kind": "status_quo", "value": 30},
            "stances": {"x": {"position": 0, "salience": 50}},
        },
    ],
}
TOY_INPUTS = ["actors.a.stances.x.position", "actors.b.stances.x.position"]
TOY_S1 = {"actors.a.stances.x.position": 100 / 325, "actors.b.stances.x.position": 225 / 325}
TOY_MU = {"actors.a.stances.x.position": 10.0, "actors.b.stances.x.position": 15.0}


@pytest.fixture(scope="module")
def toy() -> Scenario:
    return Scenario.model_validate(TOY)


@pytest.mark.parametrize("output", ["issue:x", "agreement"])
def test_linear_toy_sobol_indices_match_the_derivation(toy: Scenario, output: str) -> None:
    res = sensitivity(
        toy, "compromise", method="sobol", output=output, inputs=TOY_INPUTS, n=1024, seed=0
    )
    for name, s1 in TOY_S1.items():
        e = res.effect(name)
        assert e.s1 == pytest.approx(s1, abs=0.02)
        assert e.st == pytest.approx(s1, abs=0.02)
        assert e.origin == "scenario range"
    assert res.ranking() == ["actors.b.stances.x.position", "actors.a.stances.x.position"]


@pytest.mark.parametrize(("output", "unit"), [("issue:x", 1.0), ("agreement", 0.01)])
def test_linear_toy_morris_effects_match_the_derivation(
    toy: Scenario, output: str, unit: float
) -> None:
    res = sensitivity(
        toy, "compromise", method="morris", output=output, inputs=TOY_INPUTS, n=20, seed=0
    )
    for name, mu in TOY_MU.items():
        e = res.effect(name)
        assert e.mu_star == pytest.approx(mu * unit)
        assert e.sigma == pytest.approx(0.0, abs=1e-9)
    # base: y = (2·50 + 30 + 0) / 4 = 32.5; the swings move one input to its bounds
    base = 32.5 if output == "issue:x" else 0.7 - 0.325
    assert res.base_output == pytest.approx(base)
    a = res.effect("actors.a.stances.x.position")
    if output == "issue:x":
        assert (a.swing_low, a.swing_high) == (pytest.approx(27.5), pytest.approx(37.5))


def test_the_model_runs_once_on_every_sample(toy: Scenario, monkeypatch) -> None:
    from accord.models.compromise import Compromise

    calls: list[int] = []
    original = Compromise._run

    def counting(self, arrays, rng):
        calls.append(arrays.n_draws)
        return original(self, arrays, rng)

    monkeypatch.setattr(Compromise, "_run", counting)
    sensitivity(
        toy, "compromise", method="sobol", output="issue:x", inputs=TOY_INPUTS, n=64, seed=0
    )
    assert calls == [64 * (2 + 2), 2 * 2 + 1]  # the Saltelli sample, then the one-at-a-time swings


def test_each_input_lands_in_its_array_slot(toy: Scenario) -> None:
    # y = Σ c s x / Σ c s, with the salience input on the scenario's 0–100 scale
    inputs = ["actors.a.stances.x.salience", "actors.b.capability", "actors.b.stances.x.position"]
    prob = scenario_problem(toy, inputs)
    func = scenario_evaluator(toy, prob, "compromise", "issue:x")
    X = np.array([[50.0, 1.0, 30.0], [100.0, 3.0, 60.0], [0.0, 2.0, 10.0]])
    w_a, w_c = 2 * X[:, 0] / 100, 1 * 0.5
    w_b = X[:, 1] * 0.5
    expected = (w_a * 50 + w_b * X[:, 2] + w_c * 0) / (w_a + w_b + w_c)
    np.testing.assert_allclose(func(X), expected)


def test_default_inputs_and_their_intervals() -> None:
    sc = accord.load("us-iran-muscat-2026")
    paths = default_inputs(sc)
    assert "actors.us.stances.missiles.position" in paths
    assert "actors.iran.capability" in paths
    assert "actors.us.outside_option.value" in paths  # the scenario sets a value
    assert "actors.israel.outside_option.value" not in paths  # worth the status quo: not an input
    assert "actors.oman.stances.human_rights.position" not in paths  # no stance
    prob = scenario_problem(sc)
    f = {x.name: x for x in prob.factors}
    us = f["actors.us.stances.missiles.position"]
    assert (us.low, us.high, us.base, us.origin) == (60, 90, 75, "scenario range")
    iran = f["actors.iran.stances.missiles.position"]  # 0 with no range: default ±5, clipped at 0
    assert (iran.low, iran.high, iran.origin) == (0, 5, "default spread")
    ov = f["actors.us.outside_option.value"]
    assert (ov.low, ov.high) == (30, 50)
    # patterns pick from the default inputs; explicit bounds win
    only = scenario_problem(sc, ["actors.us.*"], {"actors.us.capability": (50, 150)})
    assert all(x.name.startswith("actors.us.") for x in only.factors)
    assert next(x for x in only.factors if x.name == "actors.us.capability").origin == "given"


def test_red_lines_can_be_varied_when_asked(toy: Scenario) -> None:
    sc = accord.load("us-iran-muscat-2026")
    prob = scenario_problem(sc, ["actors.iran.stances.missiles.red_line.max"])
    # the scenario's max_range [0, 20] around the red line's 10
    assert sc.actor("iran").stances["missiles"].red_line.max_range == (0, 20)
    assert (prob.factors[0].low, prob.factors[0].high, prob.factors[0].base) == (0, 20, 10)
    assert prob.factors[0].origin == "scenario range"
    # an end without a range gets the default ± 5 spread
    prob = scenario_problem(sc, ["actors.iran.stances.sanctions.red_line.min"])
    assert (prob.factors[0].low, prob.factors[0].high, prob.factors[0].base) == (15, 25, 20)
    assert prob.factors[0].origin == "default spread"
    with pytest.raises(AccordError, match="sets no value"):
        scenario_problem(toy, ["actors.a.stances.x.red_line.min"])
    given = scenario_problem(
        toy, ["actors.a.stances.x.red_line.min"], {"actors.a.stances.x.red_line.min": (0, 20)}
    )
    assert (given.factors[0].low, given.factors[0].high, given.factors[0].origin) == (
        0,
        20,
        "given",
    )


@pytest.mark.parametrize(
    ("inputs", "output", "match"),
    [
        (["actors.zz.capability"], "agreement", "no actor 'zz'"),
        (["actors.c.stances.nope.position"], "agreement", "no issue 'nope'"),
        (["issues.x.status_quo"], "agreement", "cannot vary"),
        (["actors.a.name"], "agreement", "cannot vary"),
        (["actors.q*"], "agreement", "matches none"),
        (TOY_INPUTS, "issue:nope", "no issue 'nope'"),
        (TOY_INPUTS, "utility", "unknown output"),
    ],
)
def test_bad_inputs_and_outputs_say_what_is_wrong(toy: Scenario, inputs, output, match) -> None:
    with pytest.raises(AccordError, match=match):
        sensitivity(toy, "compromise", output=output, inputs=inputs, n=8, seed=0)


def test_a_varied_red_line_never_excludes_the_actors_own_position(toy: Scenario) -> None:
    # C (the veto player, at 0) with a red-line minimum drawn in [40, 60] would reject y = 32.5;
    # as in the Monte Carlo sampler the end is widened to C's position, so C accepts: 0.7 − 0.325
    prob = SensitivityProblem.of({"actors.c.stances.x.red_line.min": (40, 60)})
    func = scenario_evaluator(toy, prob, "compromise", "agreement", seed=0)
    assert func(np.array([[40.0], [60.0]])) == pytest.approx([0.375, 0.375])


@pytest.mark.parametrize(
    ("path", "bounds", "match"),
    [
        ("actors.a.capability", (-1, 5), "a capability must be between 0 and 1e"),
        ("actors.a.stances.x.salience", (50, 120), "a salience must be between 0 and 100"),
        (
            "actors.a.stances.x.position",
            (-10, 50),
            "a position on the 'x' scale must be between 0 and 100",
        ),
        ("actors.c.stances.x.red_line.min", (10, 101), "a red line minimum on the 'x' scale"),
        (
            "actors.c.outside_option.value",
            (-5, 10),
            "an outside-option value must be between 0 and 100",
        ),
    ],
)
def test_given_bounds_outside_what_the_number_can_be_are_refused(
    toy: Scenario, path: str, bounds: tuple[float, float], match: str
) -> None:
    with pytest.raises(AccordError, match=match):
        scenario_problem(toy, [path], {path: bounds})


def test_an_empty_interval_is_refused(toy: Scenario) -> None:
    with pytest.raises(AccordError, match="empty"):
        sensitivity(
            toy,
            "compromise",
            inputs=["actors.a.capability"],
            bounds={"actors.a.capability": (2, 2)},
            n=8,
        )


def test_parse_input() -> None:
    assert parse_input("actors.us.capability") == ("actors.us.capability", None)
    assert parse_input("actors.us.capability=[10, 20]") == ("actors.us.capability", (10.0, 20.0))
    assert parse_input("actors.us.capability=10:20") == ("actors.us.capability", (10.0, 20.0))
    with pytest.raises(AccordError, match="cannot read the bounds"):
        parse_input("actors.us.capability=ten")


def test_every_model_runs_through_the_service() -> None:
    sc = accord.load("us-iran-muscat-2026")
    for model in accord.MODELS:
        res = sensitivity(
            sc, model, method="morris", inputs=["actors.us.stances.missiles.*"], n=4, seed=0
        )
        assert len(res.effects) == 2 and res.model == model


def test_cli_sensitivity(tmp_path, capsys) -> None:
    chart = tmp_path / "s.svg"
    code = main(
        [
            "sensitivity",
            "us-iran-muscat-2026",
            "--model",
            "compromise",
            "--method",
            "morris",
            "--n",
            "5",
            "--seed",
            "0",
            "--output",
            "issue:missiles",
            "--input",
            "actors.*.stances.missiles.position",
            "--plot",
            str(chart),
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "actors.us.stances.missiles.position" in text and chart.stat().st_size > 0
    assert main(["sensitivity", "--model", "compromise", "--method", "fast"]) == 1
    code = main(
        [
            "sensitivity",
            "--model",
            "compromise",
            "--n",
            "8",
            "--seed",
            "1",
            "--json",
            "--input",
            "actors.us.capability=[50,150]",
        ]
    )
    assert code == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["seed"] == 1 and data["results"]["effects"][0]["origin"] == "given"
