"""Reading KTAB SMP inputs (CSV and XML) into accord scenarios, and refusing broken ones clearly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ScenarioError
from accord.scenario.convert import to_arrays
from accord.scenario.ktab import (
    DEFAULT_STATUS_QUO,
    looks_like_ktab_csv,
    read_ktab_csv,
    read_ktab_xml,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "ktab"


# -- good files ---------------------------------------------------------------------------------


def test_soe_csv_reads_actors_issues_and_numbers():
    sc = read_ktab_csv(DATA / "SOE-Pol-Comp.csv")
    assert sc.title == "China Policy/Competitive; scen 2"
    assert sc.description == "Scenario-0002;Combined Policy and Competitive"
    assert [i.name for i in sc.issues] == ["Policy Position", "Competitive Position"]
    assert [i.id for i in sc.issues] == ["policy_position", "competitive_position"]
    assert all(
        i.status_quo == DEFAULT_STATUS_QUO and (i.low, i.high) == (0, 100) for i in sc.issues
    )
    assert len(sc.actors) == 13
    xj = sc.actor("XJ")
    assert xj.name == "Xi Jinping" and xj.capability == 100.0
    assert (
        xj.stances["policy_position"].position == 30
        and xj.stances["policy_position"].salience == 24.0
    )
    assert xj.stances["competitive_position"].salience == 48.0
    lh = sc.actor("LH")
    assert lh.name == "Liu He - Deputy Director of DRC"
    assert any("status_quo" in n for n in sc.notes)


@pytest.mark.parametrize(
    ("name", "n_act", "n_dim"),
    [("dummyData_3Dim.csv", 7, 3), ("dummyData_6Dim.csv", 27, 6), ("dummyData-a040.csv", 40, 1)],
)
def test_other_ktab_csvs_read(name, n_act, n_dim):
    sc = read_ktab_csv(DATA / name)
    assert (len(sc.actors), len(sc.issues)) == (n_act, n_dim)
    arrays = to_arrays(sc)
    # KTAB's own scaling: saliences /100, and every actor's sum stays ≤ 1
    assert np.all(arrays.salience.sum(axis=-1) <= 1.0 + 1e-12)


def test_saliences_go_in_unchanged_so_to_arrays_divides_by_100_as_ktab_does():
    arrays = to_arrays(read_ktab_csv(DATA / "dummyData_3Dim.csv"))
    assert arrays.salience[0, 0].tolist() == [49.53 / 100, 5.91 / 100, 28.15 / 100]
    assert arrays.position[0, 0].tolist() == [75.79, 6.37, 70.45]
    assert arrays.capability[0, 0] == 102.543


def test_xml_reads_the_same_scenario_as_the_csv():
    from_csv = read_ktab_csv(DATA / "dummyData_3Dim.csv")
    from_xml = read_ktab_xml(DATA / "dummyData_3Dim.xml")
    assert from_xml.models == {}  # no <ModelParameters>: KTAB's defaults
    a, b = to_arrays(from_csv), to_arrays(from_xml)
    np.testing.assert_array_equal(a.position, b.position)
    np.testing.assert_array_equal(a.salience, b.salience)
    np.testing.assert_array_equal(a.capability, b.capability)
    assert a.actor_ids == b.actor_ids and a.issue_ids == b.issue_ids


def test_xml_switches_and_notes():
    sc = read_ktab_xml(DATA / "smpExample_fixed_AliceDim0_52.8.xml")
    switches = sc.models["smp"]
    assert switches == {
        "victory_prob_model": "Linear",
        "pce_model": "MarkovIncentive",
        "state_transitions": "Stochastic",
        "voting_rule": "PropCbc",
        "big_r_adjust": "OneThird",
        "big_r_range": "Mid",
        "third_party_commit": "SemiCommit",
        "inter_vec_brgn": "S2P2",
        "bargn_model": "InitOnlyInterp",
    }
    assert [a.id for a in sc.actors] == ["Alice", "Bob", "Carol", "David", "Ellie"]
    assert [i.name for i in sc.issues] == ["FirstDim", "SecondDim", "YADN"]
    notes = " ".join(sc.notes)
    assert "prngSeed" in notes and "IdealAdjustment" in notes and "Bob←Alice: 0.07" in notes
    from accord.models.smp import SMP

    assert SMP(**switches).params["pce_model"] == "MarkovIncentive"


def test_ktab_example_with_an_empty_coordinate_names_the_line():
    with pytest.raises(ScenarioError) as info:
        read_ktab_xml(DATA / "smpExample.xml")
    (problem,) = info.value.problems
    assert problem.line == 32 and problem.file.endswith("smpExample.xml")
    assert "Alice" in problem.message and "FirstDim" in problem.message
    assert "0" in problem.hint  # says what KTAB would silently do


def test_first_line_detection():
    assert looks_like_ktab_csv('DummyData_3Dim ,"Dummy scenario",7,3,')
    assert looks_like_ktab_csv("\ufeffXYZ,  XYZ Issue,  40,  1,  ")
    assert not looks_like_ktab_csv("actor,capability,position,salience")
    assert not looks_like_ktab_csv("a,b")


# -- broken CSVs --------------------------------------------------------------------------------

GOOD = [
    "Toy,Toy scenario,3,2,",
    "Actor,Description,Power,A Position,A Salience,B Position,B Salience",
    "x,Actor X,10,20,40,30,50",
    "y,Actor Y,20,50,30,60,30",
    "z,Actor Z,30,80,50,10,20",
]


def write(tmp_path: Path, lines: list[str], name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def one_problem(path: Path):
    with pytest.raises(ScenarioError) as info:
        read_ktab_csv(path)
    problems = info.value.problems
    assert problems, "a ScenarioError carries its problems"
    assert all(p.file == str(path) and p.hint for p in problems)
    return problems


def test_the_good_toy_reads(tmp_path):
    sc = read_ktab_csv(write(tmp_path, GOOD))
    assert [a.id for a in sc.actors] == ["x", "y", "z"]
    assert sc.actor("z").stances["b_position"].salience == 20  # ids come from the header


def test_wrong_column_count_names_the_line(tmp_path):
    lines = GOOD.copy()
    lines[3] = "y,Actor Y,20,50,30,60"  # one value short
    (p,) = one_problem(write(tmp_path, lines))
    assert p.line == 4 and "6 value(s), expected 7" in p.message
    assert "position and salience" in p.hint


def test_non_numeric_value_names_line_and_column(tmp_path):
    lines = GOOD.copy()
    lines[2] = "x,Actor X,10,twenty,40,30,50"
    (p,) = one_problem(write(tmp_path, lines))
    assert (p.line, p.column) == (3, lines[2].index("twenty") + 1)
    assert "'twenty'" in p.message and "'A Position'" in p.message
    assert f"{p.file}:3:" in str(p)


def test_saliences_summing_above_100(tmp_path):
    lines = GOOD.copy()
    lines[4] = "z,Actor Z,30,80,60,10,45"
    (p,) = one_problem(write(tmp_path, lines))
    assert p.line == 5 and "sum to 105" in p.message and "at most 100" in p.hint


def test_declared_actor_count_must_match(tmp_path):
    lines = GOOD.copy()
    lines[0] = "Toy,Toy scenario,4,2,"
    (p,) = one_problem(write(tmp_path, lines))
    assert (p.line, p.column) == (1, lines[0].index("4") + 1)
    assert "declares 4 actor(s)" in p.message and "3 actor row(s)" in p.message


def test_declared_dimension_count_must_match_the_header(tmp_path):
    lines = GOOD.copy()
    lines[0] = "Toy,Toy scenario,3,3,"
    problems = one_problem(write(tmp_path, lines))
    assert problems[0].line == 2 and "declares 3 dimension(s)" in problems[0].message
    assert {p.line for p in problems[1:]} == {3, 4, 5}  # and every row is short


def test_out_of_range_values_and_duplicates_are_all_reported(tmp_path):
    lines = GOOD.copy()
    lines[2] = "x,Actor X,-5,120,40,30,50"
    lines[4] = "x,Actor Z,30,80,50,10,20"
    problems = one_problem(write(tmp_path, lines))
    messages = " | ".join(p.message for p in problems)
    assert "power -5 is negative" in messages
    assert "position 120" in messages and "outside 0–100" in messages
    assert "appears twice" in messages
    assert {p.line for p in problems} == {3, 5}


@pytest.mark.parametrize(
    ("first", "fragment"),
    [
        ("Toy,Toy scenario,three,2", "number of actors"),
        ("Toy,Toy scenario,3", "line 1 has 3 field(s)"),
    ],
)
def test_bad_first_line(tmp_path, first, fragment):
    lines = GOOD.copy()
    lines[0] = first
    (p,) = one_problem(write(tmp_path, lines))
    assert p.line == 1 and fragment in p.message


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    (p,) = one_problem(empty)
    assert "empty" in p.message
    with pytest.raises(ScenarioError, match="no such file"):
        read_ktab_csv(tmp_path / "nope.csv")


def test_quoted_fields_with_commas(tmp_path):
    lines = GOOD.copy()
    lines[2] = 'x,"Actor X, the first",10,20,40,30,50'
    sc = read_ktab_csv(write(tmp_path, lines))
    assert sc.actor("x").name == "Actor X, the first"


# -- broken XML ---------------------------------------------------------------------------------

XML = """<?xml version="1.0" encoding="UTF-8"?>
<Scenario>
  <name>Toy</name>
  <desc>A toy</desc>
  <prngSeed>1</prngSeed>
  {params}
  <Dimensions><dName>A</dName><dName>B</dName></Dimensions>
  <Actors>
    <Actor><name>x</name><description>X</description><capability>10</capability>
      <Position><dCoord>20</dCoord><dCoord>30</dCoord></Position>
      <Salience><dSal>40</dSal><dSal>50</dSal></Salience></Actor>
    <Actor><name>y</name><description>Y</description><capability>20</capability>
      <Position><dCoord>50</dCoord>{extra}</Position>
      <Salience><dSal>30</dSal><dSal>30</dSal></Salience></Actor>
  </Actors>
</Scenario>
"""


def xml_file(tmp_path: Path, params: str = "", extra: str = "<dCoord>60</dCoord>") -> Path:
    path = tmp_path / "toy.xml"
    path.write_text(XML.format(params=params, extra=extra), encoding="utf-8")
    return path


def test_toy_xml_reads(tmp_path):
    sc = read_ktab_xml(
        xml_file(tmp_path, "<ModelParameters><PCEModel>MarkovUniform</PCEModel></ModelParameters>")
    )
    assert sc.models == {"smp": {"pce_model": "MarkovUniform"}}
    assert sc.actor("y").stances["b"].position == 60


def test_xml_with_missing_coordinate(tmp_path):
    with pytest.raises(ScenarioError) as info:
        read_ktab_xml(xml_file(tmp_path, extra=""))
    (p,) = info.value.problems
    assert p.line == 13 and "1 <dCoord> value(s) for 2 dimension(s)" in p.message


def test_xml_with_unknown_switch_value(tmp_path):
    with pytest.raises(ScenarioError) as info:
        read_ktab_xml(
            xml_file(
                tmp_path, "<ModelParameters><VotingRule>Majority</VotingRule></ModelParameters>"
            )
        )
    (p,) = info.value.problems
    assert p.line == 6 and "'Majority'" in p.message and "PropCbc" in p.hint


def test_malformed_xml_and_dtds_are_refused(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<Scenario>\n  <name>x</name>\n  <Actors>\n</Scenario>\n")
    with pytest.raises(ScenarioError) as info:
        read_ktab_xml(bad)
    assert info.value.problems[0].line == 4 and "not well-formed" in info.value.problems[0].message
    dtd = tmp_path / "dtd.xml"
    dtd.write_text('<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY a "aaaa">]>\n<Scenario/>\n')
    with pytest.raises(ScenarioError, match="DTD"):
        read_ktab_xml(dtd)


# -- round trip ---------------------------------------------------------------------------------

value = st.decimals(min_value=0, max_value=100, places=2).map(float)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), n_act=st.integers(1, 6), n_dim=st.integers(1, 4))
def test_written_tables_read_back(tmp_path, data, n_act, n_dim):
    power = data.draw(st.lists(value, min_size=n_act, max_size=n_act))
    pos = data.draw(
        st.lists(st.lists(value, min_size=n_dim, max_size=n_dim), min_size=n_act, max_size=n_act)
    )
    sal = [
        [v / n_dim for v in row]
        for row in data.draw(
            st.lists(
                st.lists(value, min_size=n_dim, max_size=n_dim), min_size=n_act, max_size=n_act
            )
        )
    ]
    head = ["Actor", "Description", "Power"] + [
        f"D{k} {w}" for k in range(n_dim) for w in ("Position", "Salience")
    ]
    lines = [f"Gen,Generated,{n_act},{n_dim}", ",".join(head)]
    for a in range(n_act):
        cells = [f"a{a}", f"Actor {a}", repr(power[a])] + [
            repr(v) for k in range(n_dim) for v in (pos[a][k], sal[a][k])
        ]
        lines.append(", ".join(cells))
    arrays = to_arrays(read_ktab_csv(write(tmp_path, lines, "gen.csv")))
    np.testing.assert_array_equal(arrays.capability[0], power)
    np.testing.assert_array_equal(arrays.position[0], pos)
    np.testing.assert_array_equal(arrays.salience[0], np.array(sal) / 100.0)
