"""Model settings end to end: from the scenario file's ``models:`` section, from a KTAB XML file's
own switches, and from ``--param``; validated with located messages; recorded with every run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import accord
from accord.cli import main
from accord.errors import ParameterError

ROOT = Path(__file__).resolve().parents[2]
KTAB_XML = (
    ROOT.parent / "shared" / "reference" / "ktab" / "inputs" / "smpExample_fixed_AliceDim0_52.8.xml"
)
if not KTAB_XML.exists():  # the copy kept in the project
    KTAB_XML = ROOT / "tests" / "data" / "ktab" / "smpExample_fixed_AliceDim0_52.8.xml"
TWO_ISSUE = ROOT / "tests" / "data" / "scenarios" / "two_issue.yaml"


def run_json(args, capsys) -> dict:
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_ktab_xml_settings_are_used_and_recorded(capsys):
    data = run_json(["forecast", str(KTAB_XML), "--model", "smp", "--seed", "7", "--json"], capsys)
    (spec,) = data["models"]
    assert spec["settings"]["pce_model"] == "MarkovIncentive"
    assert spec["settings"]["voting_rule"] == "PropCbc"
    assert spec["settings"]["state_transitions"] == "Stochastic"
    assert spec["settings_from"]["voting_rule"] == "scenario" and spec["stochastic"] is True
    # the file's settings change the forecast against accord's defaults on the same draws
    sc = accord.load(KTAB_XML)
    defaults = sc.model_copy(update={"models": {}})
    theirs = [i["point"] for i in data["results"]["models"][0]["issues"]]
    ours = [v.point for v in accord.forecast(defaults, "smp", seed=7).issues.values()]
    assert theirs != ours


def test_param_overrides_a_file_setting_and_the_record_says_so(capsys):
    args = ["forecast", str(KTAB_XML), "--model", "smp", "--seed", "7", "--json"]
    data = run_json([*args, "--param", "smp.voting_rule=prop"], capsys)  # any case
    (spec,) = data["models"]
    assert (
        spec["settings"]["voting_rule"] == "Prop" and spec["settings_from"]["voting_rule"] == "run"
    )
    assert spec["settings_from"]["pce_model"] == "scenario"
    base = run_json(args, capsys)
    assert data["results"] != base["results"]


def test_scenario_models_section_applies(tmp_path, capsys):
    text = TWO_ISSUE.read_text() + "\nmodels:\n  bdm: {rounds: 2}\n"
    path = tmp_path / "with_models.yaml"
    path.write_text(text)
    data = run_json(["forecast", str(path), "-m", "bdm", "--json"], capsys)
    spec = data["models"][0]
    assert spec["settings"]["rounds"] == 2 and spec["settings_from"] == {"rounds": "scenario"}
    assert data["results"]["models"][0]["steps"] == 3
    # --rounds (a run setting) wins over the file
    data = run_json(["forecast", str(path), "-m", "bdm", "--rounds", "4", "--json"], capsys)
    assert data["models"][0]["settings"]["rounds"] == 4
    assert data["models"][0]["settings_from"] == {"rounds": "run"}


@pytest.mark.parametrize(
    "param, needle",
    [
        (
            "smp.voting_rule=Nonsense",
            "--param smp.voting_rule: model 'smp': voting_rule='Nonsense'",
        ),
        ("smp.no_such=1", "there is no setting 'no_such'"),
        ("bdmx.rounds=1", "no model called 'bdmx'"),
        ("bdm.rounds=-2", "rounds=-2: must be ≥ 0"),
        ("novalue", "MODEL.SETTING=VALUE"),
    ],
)
def test_bad_params_are_clear_errors(param, needle, capsys):
    code = main(["forecast", str(TWO_ISSUE), "-m", "smp,bdm", "--param", param])
    err = capsys.readouterr().err
    assert code == 1 and needle in " ".join(err.split()) and "Traceback" not in err


def test_python_api_takes_params_and_checks_them():
    sc = accord.load(TWO_ISSUE)
    fc = accord.forecast(sc, "bdm", params={"bdm": {"rounds": 1}})
    assert fc.models["bdm"].result.n_steps == 2
    with pytest.raises(ParameterError, match="no setting"):
        accord.forecast(sc, "bdm", params={"bdm": {"speed": 1}})
    with pytest.raises(ParameterError, match="map model names"):
        accord.forecast(sc, "bdm", params={"rounds": 1})


def test_models_command_lists_settings_with_choices_and_sources(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["models", "smp"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for choice in ("Conditional", "MarkovIncentive", "MarkovUniform", "PropCbc", "S2PMax"):
        assert choice in out
    assert "XML <VotingRule>" in out and "max_turns" in out
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in accord.MODELS)
