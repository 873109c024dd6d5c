"""BDM expected-utility model: golden tests against the Scholz-code replication, options, stopping.

The golden files are copies of ``../shared/reference/scholz`` in ``tests/data/scholz`` (see its
SOURCE.md): jmckib's replication of Scholz, Calbert & Smith (2011) on the EC car-emissions example
(Bueno de Mesquita 1994) and the Sultan oil-price set.
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from accord.arrays import ScenarioArrays, from_table
from accord.errors import ParameterError
from accord.models import MODELS, get_model
from accord.models.bdm import BDM, KIND_NAMES, moves
from accord.present.narration import for_result


def narrate(result, arrays):
    """The round-by-round account, as `accord forecast --model bdm --verbose` prints it."""
    return for_result(BDM(**result.params), result, arrays).detail


DATA = Path(__file__).resolve().parents[1] / "data" / "scholz"
EC_IDS = "Netherlands Belgium Luxembourg Germany France Italy UK Ireland Denmark Greece".split()


def load(name: str) -> ScenarioArrays:
    with open(DATA / name, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return from_table(
        [r["Actor"] for r in rows],
        [float(r["Capability"]) for r in rows],
        [float(r["Position"]) for r in rows],
        [float(r["Salience"]) for r in rows],
    )


def parse_expected(name: str) -> tuple[list[float], list[float], dict[int, list[dict]]]:
    """Medians, means (rounds 0..n) and each round's moves from a replication log."""
    medians, means, rounds = [], [], {}
    current = None
    lines = (DATA / name).read_text().splitlines()
    pattern = re.compile(r"^(.+?) (compromises with|loses confrontation to|capitulates to) (.+)$")
    kinds = {
        "compromises with": "compromise",
        "loses confrontation to": "conflict",
        "capitulates to": "capitulation",
    }
    for n, line in enumerate(lines):
        if line.startswith("Median position:"):
            medians.append(float(line.split(":")[1]))
        elif line.startswith("Mean position:"):
            means.append(float(line.split(":")[1]))
        elif line.startswith("ROUND"):
            current = int(line.split()[1])
            rounds[current] = []
        elif m := pattern.match(line):
            eu_own, eu_other = (float(v) for v in lines[n + 1].strip().split(" vs "))
            new = float(lines[n + 2].split("=")[1])
            rounds[current].append(
                {
                    "actor": m.group(1),
                    "kind": kinds[m.group(2)],
                    "counterpart": m.group(3),
                    "eu_own": eu_own,
                    "eu_other": eu_other,
                    "new_position": new,
                }
            )
    return medians, means, rounds


@pytest.fixture(scope="module")
def ec() -> ScenarioArrays:
    return load("ec_car_emissions.csv")


@pytest.fixture(scope="module")
def ec_result(ec):
    return BDM(rounds=10).run(ec)


# ---------------------------------------------------------------------------------------------
# Golden: EC car emissions, 10 rounds, default options = Scholz's code
# ---------------------------------------------------------------------------------------------


def test_registered():
    assert MODELS["bdm"] is BDM
    assert isinstance(get_model("bdm", rounds=3), BDM)


def test_ec_median_and_mean_series(ec_result):
    medians, means, _ = parse_expected("ec_car_emissions.expected_10rounds.txt")
    assert len(medians) == len(means) == 11
    np.testing.assert_allclose(ec_result.series["median"][0, :, 0], medians, atol=1e-4)
    np.testing.assert_allclose(ec_result.series["mean"][0, :, 0], means, atol=1e-4)
    assert ec_result.outcome.shape == (1, 1)
    assert ec_result.outcome[0, 0] == pytest.approx(medians[-1], abs=1e-4)
    assert ec_result.history.shape == (1, 11, 10, 1)


def test_ec_every_move(ec, ec_result):
    _, _, expected = parse_expected("ec_car_emissions.expected_10rounds.txt")
    got = moves(ec_result, ec)
    assert sorted({m["round"] for m in got}) == list(range(1, 11))
    for k in range(1, 11):
        ours = [m for m in got if m["round"] == k]
        theirs = expected[k]
        assert [(m["actor"], m["kind"], m["counterpart"]) for m in ours] == [
            (m["actor"], m["kind"], m["counterpart"]) for m in theirs
        ], f"round {k}"
        for a, b in zip(ours, theirs, strict=True):
            assert a["new_position"] == pytest.approx(b["new_position"], abs=1e-4)
            assert a["eu_own"] == pytest.approx(b["eu_own"], abs=1e-6)
            assert a["eu_other"] == pytest.approx(b["eu_other"], abs=1e-6)


def test_ec_round1_risk_exponents(ec_result):
    # MODELS.md §3 (jmckib's round-1 r_i)
    expected = [1.4057, 0.7542, 0.5089, 1.4057, 1.0465, 1.0465, 1.9649, 0.5000, 2.0000, 1.1121]
    np.testing.assert_allclose(ec_result.details["risk"][0, 0, :, 0], expected, atol=1e-4)


def test_ec_belgium_round1_quadrant(ec_result):
    # Belgium's E^B(U_Bj) in round 1, as on the published quadrant chart (MODELS.md §3)
    expected = {
        "Denmark": -0.832,
        "UK": -0.655,
        "Netherlands": -0.4725,
        "Germany": -0.4725,
        "France": -0.1148,
        "Italy": -0.1148,
        "Luxembourg": 0.606,
        "Ireland": 0.0,
        "Greece": 0.0,
    }
    row = ec_result.details["eu_ij"][0, 0, EC_IDS.index("Belgium"), :, 0]
    for name, value in expected.items():
        assert row[EC_IDS.index(name)] == pytest.approx(value, abs=1e-3), name
    assert np.isnan(row[EC_IDS.index("Belgium")])


def test_ec_detail_shapes(ec_result):
    d = ec_result.details
    assert d["risk"].shape == (1, 10, 10, 1)
    for key in ("eu_ij", "eu_ji", "prob"):
        assert d[key].shape == (1, 10, 10, 10, 1)
    for key in ("move_kind", "move_counterpart", "move_position", "move_eu_own", "move_eu_other"):
        assert d[key].shape == (1, 10, 10, 1)
    assert d["rounds_run"].shape == (1, 1) and d["rounds_run"][0, 0] == 10
    assert d["kind_names"] == KIND_NAMES
    np.testing.assert_array_equal(d["move_position"], ec_result.history[:, 1:])
    assert ec_result.series["median"].shape == ec_result.series["mean"].shape == (1, 11, 1)


def test_sultan_no_moves():
    arrays = load("sultan_oil.csv")
    res = BDM(rounds=5).run(arrays)
    medians, means, rounds = parse_expected("sultan_oil.expected_5rounds.txt")
    assert all(not v for v in rounds.values()) and len(rounds) == 5
    assert not res.details["move_kind"].any()
    np.testing.assert_allclose(res.series["median"][0, :, 0], medians, atol=1e-4)
    np.testing.assert_allclose(res.series["mean"][0, :, 0], 13.61991, atol=1e-4)
    np.testing.assert_allclose(res.series["median"][0, :, 0], 13.9, atol=1e-12)


def test_narrate_and_moves(ec, ec_result):
    lines = narrate(ec_result, ec)
    assert lines[0] == "Start: median 7.00, mean 7.39"
    assert lines[1] == (
        "Round 1: Belgium compromises with France, moving from 7.00 to 8.42 "
        "(its expected utility of challenging France −0.115 vs France's 0.243)"
    )
    assert "Round 1: Luxembourg loses a confrontation to Belgium" in lines[2]
    assert lines[-1] == "Round 10: median 7.00, mean 7.24"
    first = moves(ec_result, ec)[0]
    assert first == {
        "round": 1,
        "actor": "Belgium",
        "kind": "compromise",
        "counterpart": "France",
        "eu_own": pytest.approx(-0.114830503473),
        "eu_other": pytest.approx(0.243296594523),
        "old_position": 7.0,
        "new_position": pytest.approx(8.41593231543),
    }


# ---------------------------------------------------------------------------------------------
# An independent, plain-loop reference of the equations (module docstring of accord.models.bdm)
# ---------------------------------------------------------------------------------------------


def naive_bdm(c, s, x0, rounds, probability, offer_selection, capitulation, q, t):
    """Scalar loops, straight from the equations: history, kinds and risk exponents."""
    n = len(x0)
    x = [float(v) for v in x0]
    rng_ = (max(x) - min(x)) or 1.0
    w = [c[k] * s[k] for k in range(n)]

    def dist(k, y, r):
        return (abs(x[k] - y) / rng_) ** r

    def vote(k, i, j, rk):  # voter k's vote for x_i over x_j
        return w[k] * (dist(k, x[j], rk[k]) - dist(k, x[i], rk[k]))

    def prob(i, j, rk):
        if x[i] == x[j]:
            return 0.0
        num = sum(max(0.0, vote(k, i, j, rk)) for k in range(n))
        if probability == "paper":
            den = sum(abs(vote(k, i, j, rk)) for k in range(n))
            return num / den if den > 0 else 0.5
        den = sum(abs(vote(k, a, b, rk)) for k in range(n) for a in range(n) for b in range(n))
        return num / den if den > 0 else 0.0

    def median():
        scores = [(sum(w[k] * abs(x[k] - a) for k in range(n)), a) for a in x]
        best = min(v for v, _ in scores)
        return min(a for v, a in scores if v <= best + 1e-9 * max(1.0, best))

    def util(base, r):
        return 2 - 4 * max(base, 0.0) ** r

    def eu(a, b, r, rk, mu):  # challenger a against target b, with exponent r
        p = prob(a, b, rk)
        delta = abs(x[a] - x[b]) / rng_
        us, uf, usq = util(0.5 - 0.5 * delta, r), util(0.5 + 0.5 * delta, r), 2 - 4 * 0.5**r
        e = s[b] * (p * us + (1 - p) * uf) + (1 - s[b]) * us - q * usq
        if q < 1:
            spread = 0.25 * (abs(x[a] - mu) + abs(x[a] - x[b])) / rng_
            e -= (1 - q) * (t * util(0.5 - spread, r) + (1 - t) * util(0.5 + spread, r))
        return e

    history, kinds, risks = [list(x)], [], []
    for _ in range(rounds):
        mu = median()
        ones = [1.0] * n
        danger = [sum(eu(j, i, 1.0, ones, mu) for j in range(n) if j != i) for i in range(n)]
        hi, lo = max(danger), min(danger)
        big = [
            0.0 if hi - lo <= 1e-12 * max(abs(hi), abs(lo)) else (2 * d - hi - lo) / (hi - lo)
            for d in danger
        ]
        r = [(1 - b / 3) / (1 + b / 3) for b in big]
        new_x, kind_row = list(x), []
        for i in range(n):
            offers = []
            for j in range(n):
                if j == i or x[j] == x[i]:
                    continue
                ex, ey = eu(i, j, r[i], r, mu), eu(j, i, r[i], r, mu)
                if ey > ex > 0:
                    kind, pos = 1, x[j]
                elif ey > 0 > ex and ey > abs(ex):
                    kind, pos = 2, x[i] + (x[j] - x[i]) * abs(ex / ey)
                elif capitulation == "paper" and ey > 0 > ex and ey < abs(ex):
                    kind, pos = 3, x[j]
                else:
                    continue
                if offer_selection == "smallest_move":
                    key = (0, abs(pos - x[i]))
                elif kind == 2:
                    key = (1, (abs(ex) * x[i] + abs(ey) * x[j]) / (abs(ex) + abs(ey)))
                else:
                    key = (0 if kind == 1 else 2, abs(x[j] - x[i]))
                offers.append((key, pos, kind, j))
            if offers:
                _, pos, kind, _ = min(offers)
                new_x[i] = pos
                kind_row.append(kind)
            else:
                kind_row.append(0)
        x = new_x
        history.append(list(x))
        kinds.append(kind_row)
        risks.append(r)
    return np.array(history), np.array(kinds), np.array(risks)


OPTION_SETS = [
    {},
    {"probability": "paper"},
    {"offer_selection": "smallest_move"},
    {"capitulation": "paper"},
    {"capitulation": "paper", "offer_selection": "smallest_move"},
    {"q": 0.6, "t": 0.3},
    {"q": 0.0, "t": 1.0, "probability": "paper"},
]


@pytest.mark.parametrize(
    "opts", OPTION_SETS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default"
)
def test_matches_plain_loop_reference(opts):
    g = np.random.default_rng(7)
    full = {
        "probability": "scholz_code",
        "offer_selection": "scholz_code",
        "capitulation": "scholz_code",
        "q": 1.0,
        "t": 1.0,
    }
    full.update(opts)
    for _ in range(6):
        n = int(g.integers(2, 6))
        c = g.uniform(0.05, 1.0, n)
        s = g.uniform(0.05, 1.0, n)
        x = g.uniform(0, 100, n)
        if g.random() < 0.5:
            x = np.round(x / 25) * 25  # shared positions and voters at midpoints
        hist, kinds, risks = naive_bdm(c, s, x, 4, **full)
        res = BDM(rounds=4, **opts).run(from_table([f"a{k}" for k in range(n)], c, x, s))
        np.testing.assert_allclose(res.history[0, :, :, 0], hist, rtol=1e-9, atol=1e-9)
        np.testing.assert_array_equal(res.details["move_kind"][0, :, :, 0], kinds)
        np.testing.assert_allclose(res.details["risk"][0, :, :, 0], risks, rtol=1e-9)


# ---------------------------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------------------------


def test_paper_probability_is_pairwise(ec):
    res = BDM(rounds=2, probability="paper").run(ec)
    p = res.details["prob"][0, :, :, :, 0]
    x = res.history[0, :2, :, 0]
    differ = x[:, :, None] != x[:, None, :]
    total = p + np.swapaxes(p, 1, 2)
    np.testing.assert_allclose(total[differ], 1.0, atol=1e-12)
    # Scholz's code normalises globally: far below 1
    code = BDM(rounds=1).run(ec).details["prob"][0, 0, :, :, 0]
    off = ~np.eye(10, dtype=bool)
    assert np.nanmax(code + code.T) < 0.2
    assert np.all((code + code.T)[off & differ[0]] > 0)


def test_options_change_behaviour(ec, ec_result):
    base = ec_result.history
    smallest = BDM(offer_selection="smallest_move").run(ec)
    assert not np.allclose(smallest.history, base)
    # round 1, Luxembourg: the nearest move is a compromise with Greece, not joining Belgium
    assert [
        m["counterpart"]
        for m in moves(smallest, ec)
        if m["round"] == 1 and m["actor"] == "Luxembourg"
    ] == ["Greece"]
    paper = BDM(probability="paper").run(ec)
    assert (paper.details["move_kind"][0, 0] == 1).sum() > 3  # mostly conflicts (jmckib's remark)
    q_half = BDM(q=0.5).run(ec)
    assert not np.allclose(q_half.history, base)


def test_capitulation_option():
    # one receiver with a single offer in the capitulation region: y > 0 > x and y < |x|
    g = np.random.default_rng(3)
    found = False
    for _ in range(200):
        n = 4
        arrays = from_table(
            [f"a{k}" for k in range(n)],
            g.uniform(0.1, 1, n),
            g.uniform(0, 100, n),
            g.uniform(0.1, 1, n),
        )
        paper = BDM(rounds=1, capitulation="paper").run(arrays)
        code = BDM(rounds=1).run(arrays)
        assert not (code.details["move_kind"] == 3).any()
        if (paper.details["move_kind"] == 3).any():
            found = True
            d = paper.details
            i = int(np.flatnonzero(d["move_kind"][0, 0, :, 0] == 3)[0])
            j = d["move_counterpart"][0, 0, i, 0]
            x, y = d["move_eu_own"][0, 0, i, 0], d["move_eu_other"][0, 0, i, 0]
            assert y > 0 > x and y < abs(x)
            assert paper.history[0, 1, i, 0] == arrays.position[0, j, 0]
            break
    assert found


def test_q_and_t_signs(ec):
    # E = … − (1−Q)[T·U_b + (1−T)·U_w] with U_b ≥ U_w: more weight on U_b lowers every EU
    best = BDM(rounds=1, q=0.5, t=1.0).run(ec).details["eu_ij"]
    worst = BDM(rounds=1, q=0.5, t=0.0).run(ec).details["eu_ij"]
    off = np.isfinite(best)
    assert np.all(best[off] <= worst[off] + 1e-12)
    assert np.any(best[off] < worst[off] - 1e-6)


@pytest.mark.parametrize(
    "bad",
    [
        {"rounds": -1},
        {"rounds": 2.5},
        {"tolerance": -0.1},
        {"tolerance": "abc"},
        {"q": "one"},
        {"rounds": True},
        {"q": 1.5},
        {"t": -0.2},
        {"probability": "x"},
        {"record_dyads": "maybe"},
        {"gamma": 1},
    ],
)
def test_bad_parameters(bad):
    with pytest.raises(ParameterError) as exc:
        BDM(**bad)
    assert exc.value.field == f"bdm.{next(iter(bad))}"


def test_settings_read_as_typed_from_text():
    """Settings typed on a command line arrive as text: numbers and choices read by their type."""
    m = BDM(tolerance="0.1", q="1", probability="PAPER", record_dyads="false")
    assert m.params["tolerance"] == 0.1 and m.params["q"] == 1.0
    assert m.params["probability"] == "paper" and m.params["record_dyads"] is False


def test_without_dyads_same_moves(ec, ec_result):
    lean = BDM(record_dyads=False).run(ec)
    assert "eu_ij" not in lean.details
    np.testing.assert_array_equal(lean.history, ec_result.history)
    assert narrate(lean, ec) == narrate(ec_result, ec)


# ---------------------------------------------------------------------------------------------
# Stopping rule
# ---------------------------------------------------------------------------------------------


def test_tolerance_stops_when_median_settles(ec, ec_result):
    # the EC median moves in rounds 1-3 and first stays put in round 4
    res = BDM(rounds=10, tolerance=1e-9).run(ec)
    assert res.details["rounds_run"][0, 0] == 4
    np.testing.assert_allclose(res.history[0, :5], ec_result.history[0, :5])
    for k in range(5, 11):
        np.testing.assert_array_equal(res.history[0, k], res.history[0, 4])
    assert np.all(res.series["median"][0, 4:, 0] == res.series["median"][0, 4, 0])
    assert np.isnan(res.details["risk"][0, 4:]).all() and not res.details["move_kind"][0, 4:].any()
    assert res.outcome[0, 0] == pytest.approx(9.9619795904)
    assert "Stopped after round 4" in narrate(res, ec)[-1]
    # a loose tolerance stops after the first round, a huge rounds count still stops
    assert BDM(rounds=1000, tolerance=5.0).run(ec).details["rounds_run"][0, 0] == 1


def test_tolerance_mask_per_draw_and_issue(ec):
    # draw 0: the EC table (stops after 4); draw 1: everyone at one position (stops after 1);
    # a second issue copies the first with the positions mirrored
    pos = ec.position[0, :, 0]
    stacked = np.stack([np.stack([pos, 14 - pos], -1), np.stack([np.full(10, 7.0), 14 - pos], -1)])
    sal = np.broadcast_to(ec.salience[0, :, :1], (2, 10, 2))
    arrays = from_table(ec.actor_ids, ec.capability[0], stacked, sal)
    res = BDM(rounds=10, tolerance=1e-9).run(arrays)
    for d in range(2):
        for i in range(2):
            alone = BDM(rounds=10, tolerance=1e-9).run(
                arrays.take_draws(slice(d, d + 1)).take_issues([i])
            )
            np.testing.assert_allclose(
                res.history[d, :, :, i], alone.history[0, :, :, 0], rtol=1e-12
            )
            assert res.details["rounds_run"][d, i] == alone.details["rounds_run"][0, 0]
    assert res.details["rounds_run"][1, 0] == 1 and res.details["rounds_run"][0, 0] == 4


# ---------------------------------------------------------------------------------------------
# Vectorisation and participation
# ---------------------------------------------------------------------------------------------


def test_batch_equals_single_runs():
    g = np.random.default_rng(11)
    n_d, n_a, n_i = 25, 6, 3
    pos = g.uniform(0, 100, (n_d, n_a, n_i))
    pos[:5] = np.round(pos[:5] / 20) * 20  # some draws with shared positions
    sal = g.uniform(0.05, 1, (n_d, n_a, n_i))
    cap = g.uniform(0.1, 1, (n_d, n_a))
    arrays = from_table([f"a{k}" for k in range(n_a)], cap, pos, sal)
    for opts in ({}, {"probability": "paper", "capitulation": "paper", "q": 0.7}):
        batch = BDM(rounds=6, **opts).run(arrays)
        for d in range(n_d):
            alone = BDM(rounds=6, **opts).run(arrays.take_draws(slice(d, d + 1)))
            np.testing.assert_allclose(batch.history[d], alone.history[0], rtol=1e-12, atol=1e-12)
            np.testing.assert_array_equal(
                batch.details["move_kind"][d], alone.details["move_kind"][0]
            )
            np.testing.assert_array_equal(
                batch.details["move_counterpart"][d], alone.details["move_counterpart"][0]
            )
            np.testing.assert_allclose(
                batch.details["eu_ij"][d], alone.details["eu_ij"][0], rtol=1e-12, atol=1e-12
            )
            np.testing.assert_allclose(batch.outcome[d], alone.outcome[0], rtol=1e-12)
        # and issue by issue
        for i in range(n_i):
            one = BDM(rounds=6, **opts).run(arrays.take_issues([i]))
            np.testing.assert_allclose(
                batch.history[..., i], one.history[..., 0], rtol=1e-12, atol=1e-12
            )


def test_actor_without_stance_sits_out(ec):
    # leaving Ireland out via has_stance is the same as deleting it from the table
    k = EC_IDS.index("Ireland")
    stance = np.ones((10, 1), dtype=bool)
    stance[k] = False
    out = replace(ec, has_stance=stance)
    res = BDM(rounds=5).run(out)
    keep = [a for a in range(10) if a != k]
    smaller = BDM(rounds=5).run(ec.take_actors(keep))
    np.testing.assert_allclose(res.history[:, :, keep], smaller.history, rtol=1e-12)
    np.testing.assert_allclose(res.series["median"], smaller.series["median"], rtol=1e-12)
    np.testing.assert_allclose(res.series["mean"], smaller.series["mean"], rtol=1e-12)
    assert np.all(res.history[0, :, k, 0] == ec.position[0, k, 0])
    assert np.isnan(res.details["eu_ij"][0, :, k]).all()


def test_single_actor_and_zero_rounds():
    one = from_table(["solo"], [1.0], [30.0], [0.5])
    res = BDM().run(one)
    assert res.outcome[0, 0] == 30.0 and not res.details["move_kind"].any()
    zero = BDM(rounds=0).run(from_table(["a", "b"], [1, 1], [10, 60], [0.5, 0.9]))
    assert zero.history.shape == (1, 1, 2, 1)
    assert zero.outcome[0, 0] == 60.0


# ---------------------------------------------------------------------------------------------
# Quadrant chart
# ---------------------------------------------------------------------------------------------


def test_quadrant_chart_writes_png_and_svg(ec, ec_result, tmp_path):
    from accord.present.plots.quadrant import quadrant_chart

    png = quadrant_chart(ec_result, ec, "Belgium", tmp_path / "belgium.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = quadrant_chart(ec_result, ec, "Belgium", tmp_path / "belgium.svg", round=4)
    text = svg.read_text()
    assert "<svg" in text and "Luxembourg" in text and "conflict" in text


def test_quadrant_chart_errors(ec, ec_result, tmp_path):
    from accord.present.plots.quadrant import quadrant_chart

    with pytest.raises(ParameterError, match="no actor"):
        quadrant_chart(ec_result, ec, "Spain", tmp_path / "x.png")
    with pytest.raises(ParameterError, match="out of range"):
        quadrant_chart(ec_result, ec, "Belgium", tmp_path / "x.png", round=11)
    with pytest.raises(ParameterError, match="png"):
        quadrant_chart(ec_result, ec, "Belgium", tmp_path / "x.jpg")
    lean = BDM(rounds=2, record_dyads=False).run(ec)
    with pytest.raises(ParameterError, match="record_dyads"):
        quadrant_chart(lean, ec, "Belgium", tmp_path / "x.png")


def test_json_carries_the_moves_and_the_dyadic_table(capsys):
    """`accord forecast --model bdm --json`: per round who challenges whom, how each offer reads,
    and both expected utilities (Belgium's round-1 row against MODELS.md §3)."""
    import json

    from accord.cli import main
    from accord.runs.records import validate_record_json as validate_forecast_json

    assert main(["forecast", "ec-car-emissions", "--model", "bdm", "--rounds", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    validate_forecast_json(data)
    delay = data["results"]["models"][0]["account"]["issues"]["delay"]
    assert delay["rounds_run"] == 3
    first = [m for m in delay["moves"] if m["round"] == 1]
    assert [(m["actor"], m["kind"], m["counterpart"]) for m in first] == [
        ("belgium", "compromise", "france"),
        ("luxembourg", "conflict", "belgium"),
        ("ireland", "conflict", "luxembourg"),
    ]
    belgium = {
        r["counterpart"]: r for r in delay["dyads"] if r["round"] == 1 and r["actor"] == "belgium"
    }
    expected = {
        "denmark": -0.832,
        "uk": -0.655,
        "netherlands": -0.4725,
        "france": -0.1148,
        "luxembourg": 0.606,
    }
    for other, eu in expected.items():
        assert belgium[other]["eu_own"] == pytest.approx(eu, abs=1e-3)
    assert belgium["france"]["offer"] == "compromise" and belgium["denmark"]["offer"] == "none"
