"""`accord forecast --json` (one run and Monte Carlo) follows the shipped JSON Schema, strictly."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from accord.cli import main
from accord.services.schema import forecast_schema, validate_forecast_json

TWO_ISSUE = str(Path(__file__).resolve().parents[1] / "data" / "scenarios" / "two_issue.yaml")


def run_json(args, capsys) -> dict:
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


@pytest.fixture(scope="module")
def schema():
    jsonschema.Draft202012Validator.check_schema(forecast_schema())
    return forecast_schema()


def test_single_run_json_follows_the_schema(capsys, schema):
    data = run_json(["forecast", TWO_ISSUE, "--json"], capsys)
    validate_forecast_json(data)
    assert data["runs"] == 1 and data["monte_carlo"] is None
    for m in data["models"]:
        dist = m["distribution"]
        assert dist["trajectory"] is None
        # one run: the distribution collapses onto the point forecast
        for issue, point in zip(dist["issues"], m["issues"], strict=True):
            assert issue["median"] == pytest.approx(point["outcome"])
            assert issue["intervals"]["80"] == pytest.approx([point["outcome"]] * 2)
        assert sum(m["agreement"]["probabilities"].values()) == pytest.approx(1)


def test_monte_carlo_json_follows_the_schema(capsys, schema):
    data = run_json(
        [
            "forecast",
            "us-iran-muscat-2026",
            "--json",
            "--runs",
            "300",
            "--seed",
            "4",
            "-m",
            "compromise,nash,bdm",
        ],
        capsys,
    )
    validate_forecast_json(data)
    assert data["runs"] == 300 and data["seed"] == 4
    assert (
        data["monte_carlo"]["draws_completed"] == 300
        and data["monte_carlo"]["interrupted"] is False
    )
    assert data["monte_carlo"]["uncertainty"]["distribution"] == "triangular"
    bdm = next(m for m in data["models"] if m["name"] == "bdm")
    dist = bdm["distribution"]
    for issue in dist["issues"]:
        lo80, hi80 = issue["intervals"]["80"]
        lo95, hi95 = issue["intervals"]["95"]
        assert lo95 <= lo80 <= issue["median"] <= hi80 <= hi95
        assert sum(issue["histogram"]["counts"]) == 300
        assert len(issue["histogram"]["edges"]) == len(issue["histogram"]["counts"]) + 1
    tr = dist["trajectory"]
    steps = bdm["steps"]
    assert len(tr["levels"]) == 5 and len(tr["positions"][0]) == steps
    assert len(tr["series"]["median"][0]) == steps
    shares = [b["share"] for b in bdm["agreement"]["blockers"]]
    assert shares == sorted(shares, reverse=True)
    assert all(0 <= a["accepts"] <= 1 for a in dist["actors"])


def test_the_schema_is_strict(capsys, schema):
    data = run_json(
        ["forecast", TWO_ISSUE, "--json", "--runs", "50", "--seed", "1", "-m", "compromise"], capsys
    )
    validate_forecast_json(data)
    bad = copy.deepcopy(data)
    bad["models"][0]["distribution"]["issues"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate_forecast_json(bad)
    bad = copy.deepcopy(data)
    del bad["models"][0]["distribution"]["issues"][0]["intervals"]["95"]
    with pytest.raises(jsonschema.ValidationError):
        validate_forecast_json(bad)
    bad = copy.deepcopy(data)
    bad["monte_carlo"]["uncertainty"]["distribution"] = "normal"
    with pytest.raises(jsonschema.ValidationError):
        validate_forecast_json(bad)
