"""One run record for every run: forecast, compare and sensitivity ``--json`` all validate against
the schema ``accord schema`` prints (generated from the record classes), strictly, and a record
read back from JSON equals the one written."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

import accord
from accord.cli import main
from accord.runs.records import RunRecord, content_hash, record_schema, validate_record_json

TWO_ISSUE = str(Path(__file__).resolve().parents[1] / "data" / "scenarios" / "two_issue.yaml")


def run_json(args, capsys) -> dict:
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


@pytest.fixture(scope="module")
def schema():
    s = record_schema()
    jsonschema.Draft202012Validator.check_schema(s)
    return s


def test_accord_schema_prints_the_generated_schema(capsys, schema):
    assert run_json(["schema"], capsys) == json.loads(json.dumps(schema))
    # generated, not written by hand: it names every record class
    assert {"ScenarioRef", "ModelSpec", "ForecastResults", "CompareResults"} <= set(schema["$defs"])


@pytest.mark.parametrize(
    "args",
    [
        ["forecast", TWO_ISSUE, "--json"],
        ["forecast", TWO_ISSUE, "--json", "--runs", "60", "--seed", "3", "-m", "compromise,bdm"],
        ["compare", TWO_ISSUE, "--json", "--runs", "40", "--seed", "2", "-m", "compromise"],
        ["sensitivity", TWO_ISSUE, "--json", "-m", "compromise", "--method", "morris", "--n", "4"],
    ],
    ids=["forecast", "forecast-runs", "compare", "sensitivity"],
)
def test_every_json_output_validates_and_reads_back(args, capsys, schema):
    data = run_json(args, capsys)
    jsonschema.validate(data, schema)
    assert data["results"]["kind"] == args[0]
    record = RunRecord.model_validate(data)
    assert record.model_dump(mode="json") == data
    again = RunRecord.model_validate_json(record.model_dump_json())
    assert again == record


def test_single_run_record(capsys):
    data = run_json(["forecast", TWO_ISSUE, "--json"], capsys)
    assert data["runs"] == data["draws"] == 1 and data["uncertainty"] is None
    assert isinstance(data["seed"], int)
    for m in data["results"]["models"]:
        assert m["trajectory"] is None
        for issue in m["issues"]:  # one run: the distribution collapses onto the point forecast
            assert issue["median"] == pytest.approx(issue["point"])
            assert issue["intervals"]["80"] == pytest.approx([issue["point"]] * 2)
        assert sum(m["agreement"]["probabilities"].values()) == pytest.approx(1)


def test_monte_carlo_record(capsys):
    data = run_json(
        ["forecast", "us-iran-muscat-2026", "--json", "--runs", "300", "--seed", "4"]
        + ["-m", "compromise,nash,bdm"],
        capsys,
    )
    assert data["runs"] == data["draws"] == 300 and data["seed"] == 4
    assert data["interrupted"] is False and data["uncertainty"]["distribution"] == "triangular"
    assert data["scenario"]["content_hash"].startswith("sha256:")
    bdm = next(m for m in data["results"]["models"] if m["name"] == "bdm")
    for issue in bdm["issues"]:
        lo80, hi80 = issue["intervals"]["80"]
        lo95, hi95 = issue["intervals"]["95"]
        assert lo95 <= lo80 <= issue["median"] <= hi80 <= hi95
        assert sum(issue["histogram"]["counts"]) == 300
        assert len(issue["histogram"]["edges"]) == len(issue["histogram"]["counts"]) + 1
    tr = bdm["trajectory"]
    assert len(tr["levels"]) == 5 and len(tr["positions"][0]) == bdm["steps"]
    assert len(tr["series"]["median"][0]) == bdm["steps"]
    shares = [b["share"] for b in bdm["agreement"]["blockers"]]
    assert shares == sorted(shares, reverse=True)
    assert all(0 <= a["accepts"] <= 1 for a in bdm["actors"])
    # human rights: four actors hold no stance there, so their bands are empty (null)
    k = [i["id"] for i in bdm["issues"]].index("human_rights")
    a = [x["id"] for x in bdm["actors"]].index("oman")
    assert tr["positions"][2][0][a][k] is None


def test_the_schema_is_strict(capsys):
    data = run_json(
        ["forecast", TWO_ISSUE, "--json", "--runs", "50", "--seed", "1", "-m", "compromise"], capsys
    )
    validate_record_json(data)
    for path, change in [
        (("results", "models", 0, "issues", 0), lambda d: d.update(surprise=1)),
        (("results", "models", 0, "issues", 0, "intervals"), lambda d: d.pop("95")),
        (("uncertainty",), lambda d: d.update(distribution="normal")),
        (("results",), lambda d: d.update(kind="sensitivity")),
        ((), lambda d: d.update(seed=None)),
    ]:
        bad = copy.deepcopy(data)
        node = bad
        for key in path:
            node = node[key]
        change(node)
        with pytest.raises(jsonschema.ValidationError):
            validate_record_json(bad)


def test_no_seed_gives_fresh_recorded_seeds_and_the_printed_one_reproduces(capsys):
    """Two stochastic runs without --seed print and record different seeds; the printed seed
    reproduces the numbers."""
    args = [
        "forecast",
        "us-iran-muscat-2026",
        "-m",
        "smp",
        "--param",
        "smp.state_transitions=Stochastic",
    ]
    a = run_json([*args, "--json"], capsys)
    b = run_json([*args, "--json"], capsys)
    assert a["seed"] != b["seed"]
    again = run_json([*args, "--json", "--seed", str(a["seed"])], capsys)
    point = lambda d: [i["point"] for i in d["results"]["models"][0]["issues"]]  # noqa: E731
    assert point(again) == point(a)
    # and the terminal output prints the seed it used
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "seed " in out


def test_the_record_names_settings_and_where_they_came_from(capsys):
    sc = accord.load("us-iran-muscat-2026")
    fc = accord.forecast(sc, "bdm,nash", params={"bdm": {"rounds": 3}})
    bdm, nash = fc.record.models
    assert bdm.settings["rounds"] == 3 and bdm.settings_from == {"rounds": "run"}
    assert nash.settings_from == {} and nash.settings["utility"] == "quadratic"
    assert bdm.dynamic and not nash.dynamic and not bdm.stochastic


def test_changes_and_adjustments_are_data(capsys):
    data = run_json(
        ["forecast", "--json", "-m", "compromise", "--variant", "oman-steps-back"]
        + ["--set", "actors.us.stances.missiles.position=20"],
        capsys,
    )
    ref = data["scenario"]
    assert ref["variant"] == "oman-steps-back"
    origins = {c["origin"] for c in ref["changes"]}
    assert origins == {"variant:oman-steps-back", "set"}
    assert {"path": "actors.us.stances.missiles.position", "value": 20, "origin": "set"} in ref[
        "changes"
    ]
    assert any(a["because"] == "actors.us.stances.missiles.position" for a in ref["adjustments"])
    assert ref["content_hash"] != ref["effective_hash"]
    plain = accord.load("us-iran-muscat-2026")
    assert ref["content_hash"] == content_hash(plain.model_dump(mode="json"))


def test_content_hash_ignores_layout():
    sc = accord.load("us-iran-muscat-2026")
    dumped = sc.model_dump(mode="json")
    reordered = dict(reversed(list(dumped.items())))
    assert content_hash(dumped) == content_hash(reordered)
    alt = sc.with_changes({"actors.us.capability": 71})
    assert content_hash(alt.model_dump(mode="json")) != content_hash(dumped)


def test_python_objects_have_short_reprs():
    sc = accord.load("us-iran-muscat-2026")
    cmp = accord.compare(sc, models="compromise,bdm", runs=200, seed=1)
    assert len(repr(cmp)) < 2000
    fc = accord.forecast(sc, runs=200, seed=1)
    for obj in (sc, fc, fc.record, fc.first, fc.issues["missiles"], fc.agreement, fc.arrays):
        text = repr(obj)
        assert len(text) < 2000 and "array(" not in text, type(obj)
