"""The real `accord` command: output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.runs.records import validate_record_json as validate_forecast_json

SCENARIO = str(Path(__file__).resolve().parents[1] / "data" / "scenarios" / "two_issue.yaml")


def run(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_forecast_prints_every_model_and_the_agreement_analysis(capsys):
    code, out, err = run(["forecast", SCENARIO], capsys)
    assert code == 0, err
    for name in ("compromise", "median", "condorcet", "nash"):
        assert name in out
    assert "Scope of the deal" in out and "Sanctions relief" in out
    assert "Agreement analysis" in out
    assert any(word in out for word in ("agreement", "stalemate", "escalation"))


def test_forecast_json_follows_the_schema(capsys):
    code, out, err = run(["forecast", SCENARIO, "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    validate_forecast_json(data)
    assert data["scenario"]["id"] == "test-two-issue"
    compromise = next(m for m in data["results"]["models"] if m["name"] == "compromise")
    # weights c*s on scope: a 60*.8=48, b 40*.6=24, m 10*.3=3 -> (48*90+24*10+3*40)/75
    scope = next(i for i in compromise["issues"] if i["id"] == "scope")
    assert scope["point"] == pytest.approx((48 * 90 + 24 * 10 + 3 * 40) / 75)


def test_variant_and_set_change_the_forecast(capsys):
    base = json.loads(run(["forecast", SCENARIO, "--json", "-m", "compromise"], capsys)[1])
    var = json.loads(
        run(["forecast", SCENARIO, "--json", "-m", "compromise", "--variant", "a-softens"], capsys)[
            1
        ]
    )
    setv = json.loads(
        run(
            [
                "forecast",
                SCENARIO,
                "--json",
                "-m",
                "compromise",
                "--set",
                "actors.a.stances.scope.position=35",
            ],
            capsys,
        )[1]
    )
    scope = lambda d: d["results"]["models"][0]["issues"][0]["point"]  # noqa: E731
    assert scope(var) < scope(base)
    assert scope(setv) == pytest.approx(scope(var))
    assert var["scenario"]["variant"] == "a-softens"


@pytest.mark.parametrize(
    "args, needle",
    [
        (["forecast", "no-such-scenario"], "no-such-scenario"),
        (["forecast", SCENARIO, "--model", "nope"], "no model called 'nope'"),
        (["forecast", SCENARIO, "--variant", "nope"], "no variant 'nope'"),
        (["forecast", SCENARIO, "--set", "novalue"], "PATH=VALUE"),
        (["forecast", SCENARIO, "--bogus-option"], "bogus"),
        (["show", "no/such/file.yaml"], "no/such/file.yaml"),
    ],
)
def test_user_errors_exit_1_with_a_message(capsys, args, needle):
    code, out, err = run(args, capsys)
    assert code == 1
    assert needle in err
    assert "Traceback" not in err + out


def test_internal_errors_exit_2(capsys, monkeypatch):
    import accord.runs.forecast as svc

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(svc, "forecast", boom)
    code, out, err = run(["forecast", SCENARIO], capsys)
    assert code == 2
    assert "internal error" in err and "simulated bug" in err
    assert "Traceback" not in err


def test_show_and_scenarios(capsys):
    code, out, _ = run(["show", SCENARIO], capsys)
    assert code == 0 and "State A" in out and "90 / 80 [30–]" in out
    code, out, _ = run(["scenarios"], capsys)
    assert code == 0 and "us-iran-muscat-2026" in out


def test_schema_command_prints_the_schema(capsys):
    code, out, _ = run(["schema"], capsys)
    assert code == 0 and json.loads(out)["title"] == "accord run record"


def test_the_installed_command_runs_as_a_process():
    proc = subprocess.run(
        [sys.executable, "-m", "accord", "forecast", SCENARIO, "--model", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "no model called" in proc.stderr and "Traceback" not in proc.stderr


def test_set_example_from_the_docs_works_on_the_built_in(capsys):
    code, out, err = run(
        ["forecast", "--set", "actors.us.stances.missiles.position=20", "-m", "compromise"], capsys
    )
    assert code == 0, err
    assert "red_line.min moved from 25" in out


def test_plot_trajectory_of_a_dynamic_model(capsys, tmp_path):
    png = tmp_path / "t.png"
    code, out, err = run(
        ["plot", "trajectory", "ec-car-emissions", "-m", "bdm", "-o", str(png)], capsys
    )
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out, err = run(["plot", "trajectory", "-m", "compromise", "-o", str(png)], capsys)
    assert code == 1 and "one-shot" in err


def test_quadrant_for_an_actor_without_a_stance_says_so(capsys, tmp_path):
    code, out, err = run(
        [
            "plot",
            "quadrant",
            "--actor",
            "oman",
            "--issue",
            "human_rights",
            "-o",
            str(tmp_path / "q.png"),
        ],
        capsys,
    )
    assert code == 1 and "no stance on 'human_rights'" in err
