"""`accord forecast --runs N` and `accord compare`, run as the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.cli import main

TWO_ISSUE = str(Path(__file__).resolve().parents[1] / "data" / "scenarios" / "two_issue.yaml")


def run(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_forecast_runs_shows_distributions_and_probabilities(capsys):
    code, out, err = run(
        ["forecast", "--runs", "500", "--seed", "3", "-m", "compromise,nash"], capsys
    )
    assert code == 0, err
    assert "500 draws" in out and "seed 3" in out
    assert "median [80% interval]" in out
    assert "Agreement over the draws" in out and "escalation" in out
    assert "who blocks" in out and "Iran" in out and "%" in out
    assert "utility of the outcome" in out
    assert "Traceback" not in out + err


def test_forecast_runs_is_reproducible_and_independent_of_workers(capsys, monkeypatch):
    # one chunk always runs serially: cut the 400 draws into 4 chunks so 2 workers really share them
    import accord.runs.montecarlo as mc

    real, runs = mc.run, []

    def in_chunks_of_100(plan, draws, **kw):
        runs.append(real(plan, draws, **{**kw, "chunk_size": 100}))
        return runs[-1]

    monkeypatch.setattr(mc, "run", in_chunks_of_100)
    args = [
        "forecast",
        TWO_ISSUE,
        "--json",
        "--runs",
        "400",
        "--seed",
        "9",
        "-m",
        "compromise,median",
    ]
    a = json.loads(run(args + ["--workers", "1"], capsys)[1])
    b = json.loads(run(args + ["--workers", "2"], capsys)[1])
    assert [(r.n_chunks, r.workers) for r in runs] == [(4, 1), (4, 2)]
    circumstances = ("started", "finished", "seconds", "engine", "workers")
    assert {k: v for k, v in a.items() if k not in circumstances} == {
        k: v for k, v in b.items() if k not in circumstances
    }
    assert (a["workers"], b["workers"]) == (1, 2)


def test_forecast_without_seed_reports_the_one_it_drew(capsys):
    args = ["forecast", TWO_ISSUE, "--json", "--runs", "50", "-m", "compromise"]
    a = json.loads(run(args, capsys)[1])
    assert isinstance(a["seed"], int)
    b = json.loads(run(args + ["--seed", str(a["seed"])], capsys)[1])
    assert a["results"] == b["results"]


def test_uncertainty_none_gives_the_point_forecast(capsys):
    data = json.loads(
        run(
            [
                "forecast",
                TWO_ISSUE,
                "--json",
                "--runs",
                "20",
                "--seed",
                "1",
                "-m",
                "compromise",
                "--uncertainty",
                "none",
            ],
            capsys,
        )[1]
    )
    for issue in data["results"]["models"][0]["issues"]:
        assert issue["intervals"]["95"] == pytest.approx([issue["point"]] * 2)


@pytest.mark.parametrize(
    "args, needle",
    [
        (["forecast", TWO_ISSUE, "--runs", "10", "--engine", "spark"], "engine"),
        (
            ["forecast", TWO_ISSUE, "--runs", "10", "--address", "tcp://127.0.0.1:1"],
            "--address: a scheduler address needs the dask engine",
        ),
        (["forecast", TWO_ISSUE, "--runs", "0"], "runs"),
        (["forecast", TWO_ISSUE, "--runs", "10", "--uncertainty", "wide"], "uncertainty"),
        (["compare", TWO_ISSUE, "--variants", "nope"], "no variant 'nope'"),
    ],
)
def test_user_errors_exit_1(capsys, args, needle):
    code, out, err = run(args, capsys)
    assert code == 1 and needle in err and "Traceback" not in err


def test_compare_shows_deltas_and_the_expectations(capsys):
    code, out, err = run(["compare", "--runs", "1000", "--seed", "1", "-m", "compromise"], capsys)
    assert code == 0, err
    for v in (
        "us-drops-missiles-proxies",
        "oman-steps-back",
        "iran-unrest-intensifies",
        "us-buildup-stops",
    ):
        assert v in out
    assert "base" in out and "Δ" in out and "P(agreement)" in out and "deal margin" in out
    assert "as the variant expects" in out and "✓" in out and "✗" not in out


def test_compare_json_and_a_chosen_variant(capsys):
    code, out, err = run(
        [
            "compare",
            TWO_ISSUE,
            "--variants",
            "a-softens",
            "--runs",
            "300",
            "--seed",
            "2",
            "-m",
            "compromise",
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    data = json.loads(out)
    assert [c["id"] for c in data["results"]["columns"]] == ["base", "a-softens"]
    col = data["results"]["models"][0]["columns"][1]
    assert col["deltas"]["issues"]["scope"]["value"] < 0


def test_interrupted_run_reports_what_finished(capsys, monkeypatch):
    import accord.runs.montecarlo as mc

    real = mc.run

    def interrupted_run(plan, draws, **kw):
        calls = []

        def progress(done, total):
            calls.append(done)
            if len(calls) > 1:
                raise KeyboardInterrupt

        kw["progress"] = progress
        kw["chunk_size"] = 100
        return real(plan, draws, **kw)

    monkeypatch.setattr(mc, "run", interrupted_run)
    code, out, err = run(
        ["forecast", TWO_ISSUE, "--runs", "1000", "--seed", "1", "-m", "compromise"], capsys
    )
    assert code == 130
    assert "interrupted: 100 of 1,000 draws finished" in err
    assert "100 draws" in out


def test_the_command_runs_as_a_process_with_workers():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "accord",
            "forecast",
            TWO_ISSUE,
            "--runs",
            "300",
            "--seed",
            "1",
            "--workers",
            "2",
            "-m",
            "compromise",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["runs"] == 300
