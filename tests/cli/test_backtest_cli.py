"""`accord backtest`: the table at 80 columns, --json, --chart, case files, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main
from accord.present.backtest import score_rows
from accord.runs.records import RunRecord, validate_record_json

SAMPLE = str(Path(__file__).resolve().parents[1] / "data" / "deu" / "deu_sample.csv")
QUICK = ["--folds", "3", "--repeats", "2", "--bootstrap", "200", "--seed", "4"]


def run(args, capsys, monkeypatch, width=80):
    monkeypatch.setenv("COLUMNS", str(width))
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_deu_prints_every_predictor_whole_at_80_columns(capsys, monkeypatch):
    args = ["backtest", "deu", SAMPLE, "--model", "compromise,nash,ensemble", *QUICK]
    code, out, err = run(args, capsys, monkeypatch)
    assert code == 0, err
    assert "…" not in out and all(len(line) <= 80 for line in out.splitlines())
    code, data, _ = run([*args, "--json"], capsys, monkeypatch)
    record = RunRecord.model_validate(json.loads(data))
    tokens = set(out.split())
    for row in score_rows(record.results):  # every interval and difference shown unbroken
        for text in (row.mae, row.delta):
            for part in text.split():
                assert part in tokens, part
    for word in ("mean", "status_quo", "compromise", "nash", "CNS", "COD", "QMV", "Unan"):
        assert word in out
    assert "grouped CV" in out and "Brier" in out


def test_deu_json_is_a_backtest_record(capsys, monkeypatch):
    code, out, err = run(
        [
            "backtest",
            "deu",
            SAMPLE,
            "--model",
            "compromise",
            "--capability",
            "period",
            *QUICK,
            "--json",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    data = json.loads(out)
    validate_record_json(data)
    assert (
        data["results"]["kind"] == "backtest"
        and data["results"]["options"]["capability"] == "period"
    )
    assert data["seed"] == 4


def test_chart_is_written(tmp_path, capsys, monkeypatch):
    chart = tmp_path / "pva.png"
    code, out, err = run(
        [
            "backtest",
            "deu",
            SAMPLE,
            "--model",
            "compromise,procedural",
            *QUICK,
            "--chart",
            str(chart),
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cases_scores_the_builtin_cases(capsys, monkeypatch):
    code, out, err = run(
        ["backtest", "cases", "--model", "compromise,nash", "--seed", "1"], capsys, monkeypatch
    )
    assert code == 0, err
    assert "ec-car-emissions" in out and "us-iran-muscat-2026" in out and "Brier" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backtest", "deu", "no/such.csv"], "no such file"),
        (["backtest", "deu", SAMPLE, "--capability", "gdp"], "--capability"),
        (["backtest", "deu", SAMPLE, "--folds", "40", "--model", "ensemble"], "--folds"),
        (["backtest", "cases", "no-such-case"], "no built-in case"),
        (["backtest", "deu", SAMPLE, "--chart", "out.txt"], ".png or .svg"),
    ],
)
def test_bad_input_is_a_user_error(args, message, capsys, monkeypatch):
    code, out, err = run(args, capsys, monkeypatch)
    assert code == 1 and "Traceback" not in err and "internal error" not in err
    assert message in err
