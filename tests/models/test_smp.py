"""KTAB's Spatial Model of Politics against KTAB's own reference runs (tests/data/ktab/README.md).

* ``summary_20170530_ref-*.txt``: KTAB's 2017 reference logs (SOE-Pol-Comp, dummyData_3Dim),
  default switches — positions at printed precision (0.1) with the same number of turns, winning
  probabilities within 1e-4 (printed with 4 decimals), and the stop-criterion series
  (``fractional_*.txt``) within 1e-4.
* ``summary_smpc_run_*.txt``: KTAB ``smpc`` runs of dummyData_6Dim and dummyData-a040 (40 actors).
* ``smpExample``: a stochastic run with MarkovIncentive PCE and PropCbc voting; only its first
  state is deterministic, so the test checks that state's risk attitudes, winning probabilities and
  targets against the detailed log (values quoted below with their log lines).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.arrays import from_table
from accord.errors import ParameterError
from accord.models import MODELS, get_model
from accord.models.smp import SMP, interpolate_bargain
from accord.scenario.convert import to_arrays
from accord.scenario.ktab import read_ktab_csv, read_ktab_xml

DATA = Path(__file__).resolve().parents[1] / "data" / "ktab"


def parse_summary(path: Path) -> tuple[dict[tuple[str, str], list[str]], dict[str, list[float]]]:
    """Positions (as printed) per (actor, dimension) and winning probabilities per actor."""
    positions: dict[tuple[str, str], list[str]] = {}
    probs: dict[str, list[float]] = {}
    section = None
    for line in path.read_text().splitlines():
        if line.startswith("History of actor positions"):
            section = "pos"
            continue
        if line.startswith("History of actors' winning"):
            section = "prob"
            continue
        if section is None or ":" not in line or line.startswith(("Finish", "Elapsed")):
            section = None if line.startswith(("Finish", "Elapsed")) else section
            continue
        head, values = line.split(":", 1)
        if section == "pos":
            actor, dim = (s.strip() for s in head.split(",", 1))
            positions[(actor, dim)] = values.split()
        else:
            probs[head.split(",")[0].strip()] = [float(v) for v in values.split()]
    return positions, probs


def parse_fractional(path: Path) -> list[float]:
    return [
        float(line.split(":")[1].split()[0])
        for line in path.read_text().splitlines()
        if line.startswith("Fractional")
    ]


CASES = {
    "SOE-Pol-Comp": (
        "summary_20170530_ref-SOE-Pol-Comp.txt",
        "fractional_20170530_ref-SOE-Pol-Comp.txt",
    ),
    "dummyData_3Dim": (
        "summary_20170530_ref-dummyData_3Dim.txt",
        "fractional_20170530_ref-dummyData_3Dim.txt",
    ),
    "dummyData_6Dim": ("summary_smpc_run_dummyData_6Dim.txt", None),
    "dummyData-a040": ("summary_smpc_run_dummyData-a040.txt", None),
}


@pytest.fixture(scope="module")
def runs():
    out = {}
    for name in CASES:
        sc = read_ktab_csv(DATA / f"{name}.csv")
        arrays = to_arrays(sc)
        out[name] = (sc, arrays, SMP().run(arrays))
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_position_history_matches_ktab_at_printed_precision(runs, name):
    sc, arrays, res = runs[name]
    positions, _ = parse_summary(DATA / CASES[name][0])
    n_ref = len(next(iter(positions.values())))
    assert res.history.shape == (1, n_ref, len(sc.actors), len(sc.issues))
    assert int(res.details["n_turns"][0]) == n_ref - 1
    for a, actor in enumerate(sc.actors):
        for k, issue in enumerate(sc.issues):
            mine = [f"{v:.1f}" for v in res.history[0, :, a, k]]
            assert mine == positions[(actor.id, issue.name)], (actor.id, issue.name)


@pytest.mark.parametrize("name", list(CASES))
def test_winning_probabilities_match_ktab(runs, name):
    sc, arrays, res = runs[name]
    _, probs = parse_summary(DATA / CASES[name][0])
    for a, actor in enumerate(sc.actors):
        np.testing.assert_allclose(
            res.details["win_prob"][0, :, a], probs[actor.id], atol=1e-4, rtol=0
        )


@pytest.mark.parametrize("name", ["SOE-Pol-Comp", "dummyData_3Dim"])
def test_fractional_change_series_matches_ktab(runs, name):
    _, _, res = runs[name]
    ref = parse_fractional(DATA / CASES[name][1])
    np.testing.assert_allclose(res.details["fractional_change"][0], ref, atol=1e-4, rtol=0)
    assert ref[-1] < 0.02 and bool(res.details["stopped_early"][0])


def test_final_positions_quoted_in_models_md(runs):
    """MODELS.md §3: XJ (43.2, 43.3), MK (38.6, 28.8), WY unchanged (15, 60)."""
    sc, _, res = runs["SOE-Pol-Comp"]
    ids = [a.id for a in sc.actors]
    final = np.round(res.history[0, -1], 1)
    assert final[ids.index("XJ")].tolist() == [43.2, 43.3]
    assert final[ids.index("MK")].tolist() == [38.6, 28.8]
    assert final[ids.index("WY")].tolist() == [15.0, 60.0]


def test_xml_input_gives_the_same_run_as_csv(runs):
    sc = read_ktab_xml(DATA / "dummyData_3Dim.xml")
    switches = sc.models.get("smp", {})
    assert switches == {}
    res = SMP(**switches).run(to_arrays(sc))
    np.testing.assert_array_equal(res.history, runs["dummyData_3Dim"][2].history)


def test_smp_example_first_state_with_markov_incentive_and_propcbc():
    """The deterministic part of KTAB's stochastic smpExample run (20170530_ref-smpExample.txt)."""
    sc = read_ktab_xml(DATA / "smpExample_fixed_AliceDim0_52.8.xml")
    switches = sc.models["smp"]
    assert switches["pce_model"] == "MarkovIncentive" and switches["voting_rule"] == "PropCbc"
    assert switches["state_transitions"] == "Stochastic"
    res = SMP(**switches, max_turns=1).run(to_arrays(sc), rng=0)
    # log lines 109-114: inferred risk attitudes
    np.testing.assert_allclose(
        res.details["risk"][0, 0], [1.0, -0.387, -0.5, -0.001, -0.298], atol=5e-4
    )
    # summary, first column: each actor's position's probability of winning
    np.testing.assert_allclose(
        res.details["win_prob"][0, 0], [0.3154, 0.1668, 0.1082, 0.2216, 0.1880], atol=1e-4
    )
    # log lines 158-235: "actor i has most advantageous target j"
    assert res.details["target"][0, 0].tolist() == [4, 2, 0, 2, 2]


def test_result_record_holds_every_switch_and_the_documented_details(runs):
    _, arrays, res = runs["dummyData_3Dim"]
    assert res.model == "smp"
    assert set(SMP.defaults) <= set(res.params)
    assert res.params["pce_model"] == "Conditional" and res.params["voting_rule"] == "Prop"
    steps = res.n_steps
    assert res.details["win_prob"].shape == (1, steps, 7)
    assert res.details["risk"].shape == (1, steps, 7)
    assert res.details["fractional_change"].shape == (1, steps - 1)
    assert res.details["target"].shape == (1, steps - 1, 7)
    assert res.series["winner"].shape == res.series["expected"].shape == (1, steps, 3)
    # the default outcome is the final most probable position; SActor-05 holds it (p = 0.4009)
    np.testing.assert_allclose(res.outcome[0], res.history[0, -1, 5])
    assert "smp" in MODELS and isinstance(get_model("smp"), SMP)


def test_draws_stop_on_their_own_and_are_padded():
    sc = read_ktab_csv(DATA / "dummyData_3Dim.csv")
    one = to_arrays(sc)
    agree = np.full_like(one.position, 40.0)
    pos = np.concatenate([one.position, agree], axis=0)
    arrays = from_table(
        one.actor_ids, np.repeat(one.capability, 2, 0), pos, np.repeat(one.salience, 2, 0)
    )
    res = SMP().run(arrays)
    assert res.details["n_turns"].tolist() == [10, 2]  # unanimity stops at the first allowed turn
    np.testing.assert_array_equal(res.history[0], SMP().run(one).history[0])
    assert np.all(res.history[1] == 40.0)
    assert np.isnan(res.details["fractional_change"][1, 2:]).all()
    np.testing.assert_allclose(res.outcome[1], 40.0)


def test_saliences_summing_above_one_are_rescaled_and_ktab_inputs_are_not():
    pos = [[10, 80], [50, 50], [90, 20]]
    raw = np.array([[0.8, 1.0], [0.6, 0.6], [0.3, 0.2]])  # a and b sum above 1, c does not
    scaled = raw / np.maximum(1.0, raw.sum(axis=1, keepdims=True))
    r_raw = SMP().run(from_table(["a", "b", "c"], [30, 20, 10], pos, raw))
    r_scaled = SMP().run(from_table(["a", "b", "c"], [30, 20, 10], pos, scaled))
    assert r_raw.details["salience_scaled"].tolist() == [[True, True, False]]
    assert not r_scaled.details["salience_scaled"].any()
    np.testing.assert_allclose(r_raw.history, r_scaled.history, atol=1e-12)
    ktab = to_arrays(read_ktab_csv(DATA / "dummyData_6Dim.csv"))  # some actors sum to 99.99
    assert not SMP(max_turns=1).run(ktab).details["salience_scaled"].any()


def test_degenerate_actors_do_not_break_the_run():
    """Zero capability and zero salience make KTAB abort; here they simply carry no weight."""
    arrays = from_table(
        ["a", "b", "c", "d"],
        [0.0, 10, 20, 30],
        [[10, 10], [40, 60], [70, 30], [90, 90]],
        [[0.5, 0.5], [0.0, 0.0], [0.6, 0.2], [0.3, 0.3]],
    )
    res = SMP().run(arrays)
    assert np.isfinite(res.history).all() and np.isfinite(res.details["win_prob"]).all()


@pytest.mark.parametrize(("key", "value"), [(k, v) for k, vs in SMP.choices.items() for v in vs])
def test_every_switch_value_runs(runs, key, value):
    _, arrays, _ = runs["dummyData_3Dim"]
    res = SMP(**{key: value}).run(arrays, rng=3)
    assert res.params[key] == value
    assert np.isfinite(res.history).all() and np.isfinite(res.outcome).all()
    assert np.all((res.details["win_prob"] >= 0) & (res.details["win_prob"] <= 1 + 1e-12))


def test_stochastic_runs_repeat_under_a_seed_and_do_not_depend_on_blocks(runs, monkeypatch):
    import accord.models.smp as smp_mod

    _, one, _ = runs["dummyData_3Dim"]
    arrays = one.repeat(4)
    model = SMP(state_transitions="Stochastic", pce_model="MarkovIncentive")
    a, b = model.run(arrays, rng=7), model.run(arrays, rng=7)
    np.testing.assert_array_equal(a.history, b.history)
    assert len({tuple(np.round(a.history[d, -1].ravel(), 4)) for d in range(4)}) > 1  # draws differ
    monkeypatch.setattr(smp_mod, "_BLOCK_ELEMENTS", 7**3)  # one draw per block
    c = model.run(arrays, rng=7)
    np.testing.assert_array_equal(a.history, c.history)


def test_bargain_interpolation_rounds_to_four_decimals_and_stays_between():
    """smpbcn.cpp log, turn 0: actor 0's bargain with 6 (positions on the 0–1 scale)."""
    ti, si = np.array([0.7579, 0.0637, 0.7045]), np.array([0.4953, 0.0591, 0.2815])
    tj, sj = np.array([0.7096, 0.3346, 0.9036]), np.array([0.3175, 0.2793, 0.2603])
    bi, bj = interpolate_bargain(ti, si, 0.7643, tj, sj, 1 - 0.7643, "S2P2")
    # the log prints 75.610 24.780 71.950 (for 0) and 75.610 24.790 71.950 (for 6), with the
    # unrounded probability; the rounding makes a 4-decimal grid
    np.testing.assert_allclose(bi * 100, [75.61, 24.78, 71.95], atol=0.011)
    assert np.all(np.abs(bi * 1e4 - np.round(bi * 1e4)) < 1e-6)
    assert np.all((bi >= np.minimum(ti, tj)) & (bi <= np.maximum(ti, tj)))
    assert np.all((bj >= np.minimum(ti, tj)) & (bj <= np.maximum(ti, tj)))


@pytest.mark.parametrize(
    "params",
    [
        {"max_turns": 0},
        {"min_turns": 1.5},
        {"min_delta_ratio": -1},
        {"min_sig_delta": 0},
        {"voting_rule": "Majority"},
    ],
)
def test_bad_parameters_are_clear_errors(params):
    with pytest.raises(ParameterError):
        SMP(**params)


def test_trajectory_plot_writes_an_image(runs, tmp_path):
    from accord.present.plots.trajectory import trajectory_plot

    _, arrays, res = runs["dummyData_3Dim"]
    out = trajectory_plot(res, arrays, tmp_path / "smp.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = trajectory_plot(res, arrays, tmp_path / "smp.svg", draw=0)
    assert b"<svg" in svg.read_bytes()[:500]
    with pytest.raises(ParameterError, match="draw 3"):
        trajectory_plot(res, arrays, tmp_path / "x.png", draw=3)
    with pytest.raises(ParameterError, match="different actors"):
        trajectory_plot(res, arrays.take_actors([0, 1]), tmp_path / "x.png")


def test_forecast_json_carries_the_ktab_record(capsys):
    """`accord forecast FILE --model smp --json` on SOE-Pol-Comp: positions per turn, winning
    probabilities and the stop series, as in KTAB's reference log."""
    import json

    from accord.cli import main
    from accord.runs.records import validate_record_json as validate_forecast_json

    path = DATA / "SOE-Pol-Comp.csv"
    assert main(["forecast", str(path), "--model", "smp", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    validate_forecast_json(data)
    det = data["results"]["models"][0]["account"]
    positions, probs = parse_summary(DATA / CASES["SOE-Pol-Comp"][0])
    sc = read_ktab_csv(path)
    assert det["turns"] == len(next(iter(positions.values()))) - 1 and det["stopped_early"]
    for actor in sc.actors:
        for issue in sc.issues:
            mine = [f"{v:.1f}" for v in det["positions"][actor.id][issue.id]]
            assert mine == positions[(actor.id, issue.name)]
        np.testing.assert_allclose(det["win_prob"][actor.id], probs[actor.id], atol=1e-4, rtol=0)
    ref = parse_fractional(DATA / CASES["SOE-Pol-Comp"][1])
    np.testing.assert_allclose(det["fractional_change"], ref, atol=1e-4, rtol=0)


def test_narrative_tells_every_turn_and_why_it_stopped(runs):
    sc, arrays, res = runs["SOE-Pol-Comp"]
    from accord.present.narration import for_result

    acc = for_result(SMP(), res, arrays, names={a.id: a.name for a in sc.actors})
    lines = acc.detail
    assert acc.summary[0].startswith(f"{int(res.details['n_turns'][0])} turns; stopped after")
    turns = int(res.details["n_turns"][0])
    assert sum(ln.startswith("Turn ") for ln in lines) == turns
    assert f"Stopped after turn {turns}" in lines[-2]
    assert lines[-1].startswith("Most likely outcome:")
    # a named actor that moved in turn 1 appears with its display name
    first = lines[lines.index("Turn 1:") + 1] if "Turn 1:" in lines else ""
    assert any(a.name in first for a in sc.actors)


def test_actors_without_a_stance_do_not_decide_that_issue():
    """Z has no stance on issue a; its stand-in there is the status quo (30). The forecast on a
    must be a position of the actors who take part (X, Y), never Z's stand-in."""
    import accord
    from accord.scenario import load_text

    text = """
id: missing
title: an actor without a stance
issues:
  - {id: a, name: A, scale: {0: lo, 100: hi}, status_quo: 30}
  - {id: b, name: B, scale: {0: lo, 100: hi}, status_quo: 50}
actors:
  - {id: x, name: X, capability: 50, stances: {a: {position: 20, salience: 60}}}
  - {id: y, name: Y, capability: 40, stances: {a: {position: 70, salience: 50}, b: {position: 10, salience: 70}}}
  - {id: z, name: Z, capability: 10, stances: {b: {position: 50, salience: 40}}}
"""
    sc = load_text(text, format="yaml")
    res = accord.forecast(sc, "smp").models["smp"].result
    final = res.history[0, -1, :2, 0]  # the participants' final positions on a
    assert np.min(np.abs(final - res.outcome[0, 0])) < 1e-6
    assert abs(res.outcome[0, 0] - 30) > 1e-6
    expected = accord.forecast(sc, "smp", params={"smp": {"outcome": "expected"}})
    out = expected.models["smp"].result.outcome[0, 0]
    assert final.min() - 1e-9 <= out <= final.max() + 1e-9
