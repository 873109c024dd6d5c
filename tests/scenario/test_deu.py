"""The EU's Council tables and the DEU reader (on a 12-proposal sample of the dev split)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from accord.errors import ParameterError, ScenarioError
from accord.scenario import eu
from accord.scenario.deu import DeuOptions, read_deu

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "deu" / "deu_sample.csv"


def test_council_totals_and_quotas_are_the_treaty_figures():
    expected = {
        "eu15": (87, 62, 15),
        "eu25": (321, 232, 25),
        "eu27": (345, 255, 27),
        "eu28": (352, 260, 28),
    }
    for period, (total, quota, members) in expected.items():
        c = eu.COUNCILS[period]
        assert (c.total, c.quota, len(c.weights)) == (total, quota, members)
    assert eu.COUNCILS["eu15"].weights["de"] == 10 and eu.NICE["de"] == 29


def test_periods_are_inferred_from_members_and_year():
    assert eu.period_of(frozenset({"de", "fr"}), 1998) == "eu15"
    assert eu.period_of(frozenset({"de", "pl"}), 2003) == "eu25"  # a 2004 entrant present
    assert eu.period_of(frozenset({"de"}), 2005) == "eu25"
    assert eu.period_of(frozenset({"de", "ro"}), 2005) == "eu27"
    assert eu.period_of(frozenset({"de"}), 2012) == "eu27"
    assert eu.period_of(frozenset({"cr"}), 2012) == "eu28"
    assert eu.period_of(frozenset({"de"}), 2016) == "eu28"


def test_power_of_each_council_sums_to_one():
    for period in eu.PERIODS:
        for index in ("shapley_shubik", "banzhaf"):
            p = eu.power(period, index)
            assert sum(p.values()) == 1
            assert p["de"] == max(p.values()) and p["lu"] > 0
    assert eu.power("eu15", "shapley_shubik")["de"] == Fraction(7, 60)


def test_sample_reads_into_one_case_per_issue():
    data = read_deu(SAMPLE)
    assert (data.rows, data.issues, len(data.cases), data.scored) == (287, 21, 21, 19)
    case = next(c for c in data.cases if c.id == "d00067i1")
    sc = case.scenario
    assert case.group == "d00067" and case.tags == {
        "procedure": "COD",
        "rule": "QMV",
        "period": "eu15",
    }
    assert [i.id for i in sc.issues] == ["d00067i1"] and sc.issues[0].status_quo == 0
    caps = {a.id: a.capability for a in sc.actors}
    members = [v for k, v in caps.items() if k not in ("com", "ep")]
    assert caps["de"] == 29 and caps["com"] == pytest.approx(np.mean(members))
    assert sc.models["procedural"] == {
        "procedure": "codecision",
        "voting_rule": "qualified_majority",
        "quota": 62 / 87,
        "agenda_setter": "com",
        "parliament": "ep",
    }
    assert case.outcome.reached is True and case.outcome.value("d00067i1") == 50
    unscored = [c for c in data.cases if c.outcome.value(c.id) is None]
    assert {c.group for c in unscored} == {"d05127"} and all(
        c.outcome.reached is None for c in unscored
    )


def test_capability_choices():
    by = {}
    for choice in ("nice", "period", "shapley_shubik", "banzhaf"):
        data = read_deu(SAMPLE, {"capability": choice})
        by[choice] = {c.id: {a.id: a.capability for a in c.scenario.actors} for c in data.cases}
    eu15 = by["period"]["d00067i1"]
    assert (eu15["de"], eu15["es"], eu15["dk"]) == (10, 8, 3)  # the EU-15 weights
    assert by["period"]["d06273i1"]["de"] == 29  # a 2006 proposal: Nice weights
    assert by["shapley_shubik"]["d00067i1"]["de"] == pytest.approx(7 / 60)
    unan = by["shapley_shubik"]["n99116i1"]  # unanimity: everyone the same power
    members = {k: v for k, v in unan.items() if k not in ("com", "ep")}
    assert len(set(members.values())) == 1


def test_status_quo_salience_and_institution_choices():
    base = {c.id: c for c in read_deu(SAMPLE).cases}
    no_rp = base["n03327i1"].scenario
    assert no_rp.issues[0].status_quo == 50  # no reference point: 50
    mid = {c.id: c for c in read_deu(SAMPLE, {"status_quo": "midpoint"}).cases}
    assert mid["d00067i1"].scenario.issues[0].status_quo == 50

    # d120193 lists 7 members without a salience
    def saliences(opts):
        sc = next(c for c in read_deu(SAMPLE, opts).cases if c.id == "d120193i1").scenario
        return {a.id: a.stances["d120193i1"].salience for a in sc.actors}

    filled, mean, dropped = (
        saliences({}),
        saliences({"missing_salience": "mean"}),
        saliences({"missing_salience": "drop"}),
    )
    missing = set(filled) - set(dropped)
    assert len(missing) == 7 and all(filled[a] == 50 for a in missing)
    known = [v for k, v in filled.items() if k not in missing]
    assert all(mean[a] == pytest.approx(np.mean(known)) for a in missing)
    formal = {c.id: c for c in read_deu(SAMPLE, {"institutions": "formal"}).cases}
    cod = {a.id: a.capability for a in formal["d00067i1"].scenario.actors}  # COD
    cns = {a.id: a.capability for a in formal["n99116i1"].scenario.actors}  # CNS
    assert cod["com"] == 0 and cod["ep"] > 0 and cns["ep"] == 0 and cns["com"] > 0
    heavy = next(c for c in read_deu(SAMPLE, {"commission_weight": 4}).cases if c.id == "d00067i1")
    caps = {a.id: a.capability for a in heavy.scenario.actors}
    assert caps["com"] == pytest.approx(4 * caps["ep"])


def test_bad_options_and_files(tmp_path):
    with pytest.raises(ParameterError, match="capability"):
        read_deu(SAMPLE, {"capability": "gdp"})
    bad = tmp_path / "bad.csv"
    bad.write_text("issue_id,actor,position\nx,de,50\n")
    with pytest.raises(ScenarioError, match="missing column"):
        read_deu(bad)
    lines = SAMPLE.read_text().splitlines()
    lines[3] = lines[3].replace(",100.0,", ",1000.0,", 1) if ",100.0," in lines[3] else lines[3]
    cols = lines[3].split(",")
    cols[6] = "lots"
    lines[3] = ",".join(cols)
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError) as exc:
        read_deu(bad)
    assert exc.value.problems[0].line == 4 and "position" in exc.value.problems[0].message
    assert isinstance(DeuOptions(), DeuOptions)
