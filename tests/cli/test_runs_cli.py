"""``accord forecast --save``, ``accord runs ...`` and ``accord history`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.runs.records import RunRecord

ROOT = Path(__file__).resolve().parents[2]
TOY = str(ROOT / "tests" / "fixtures" / "valid" / "toy.yaml")
MUSCAT = "us-iran-muscat-2026"


@pytest.fixture(autouse=True)
def store_here(tmp_path, monkeypatch):
    """Every command of a test uses one fresh store (never the user's)."""
    db = tmp_path / "runs.db"
    monkeypatch.setenv("ACCORD_DB", str(db))
    monkeypatch.delenv("ACCORD_SAVE", raising=False)
    monkeypatch.delenv("ACCORD_DRAWS", raising=False)
    monkeypatch.chdir(tmp_path)
    return db


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def stored(capsys) -> list[dict]:
    code, out, _ = run(capsys, "runs", "list", "--json", "--limit", "100")
    assert code == 0
    return json.loads(out)


def test_forecast_save_keeps_the_run_and_show_prints_it_back(capsys) -> None:
    code, out, _ = run(capsys, "forecast", TOY, "-m", "compromise,nash", "--runs", "300",
                       "--seed", "4", "--save")  # fmt: skip
    assert code == 0 and "saved as run 1 in" in out
    (info,) = stored(capsys)
    assert (info["id"], info["status"], info["seed"], info["draws"]) == (1, "complete", 4, 300)
    code, shown, _ = run(capsys, "runs", "show", "1")
    assert code == 0 and "Run 1 · complete" in shown
    # the forecast's own tables, read back from the store
    fresh = out.split("saved as run")[0]
    for table_line in fresh.splitlines()[2:]:
        if "│" in table_line and " s (" not in table_line:
            assert table_line in shown
    code, data, _ = run(capsys, "runs", "show", "1", "--json")
    record = RunRecord.model_validate(json.loads(data))
    assert record.seed == 4 and record.draws == 300


def test_accord_save_saves_by_default_and_no_save_overrides(capsys, monkeypatch) -> None:
    monkeypatch.setenv("ACCORD_SAVE", "1")
    assert run(capsys, "forecast", TOY, "-m", "compromise")[0] == 0
    assert run(capsys, "forecast", TOY, "-m", "compromise", "--no-save")[0] == 0
    assert len(stored(capsys)) == 1
    code, _, err = run(capsys, "forecast", TOY, "-m", "compromise", "--json")
    assert code == 0 and "saved as run 2" in err  # the JSON on stdout stays clean


def test_draws_need_save_and_are_exported(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "forecast", TOY, "-m", "compromise", "--runs", "50", "--draws")
    assert code == 1 and "--draws" in err and "--save" in err
    code, _, _ = run(capsys, "forecast", TOY, "-m", "compromise", "--runs", "200", "--seed", "1",
                     "--save", "--draws")  # fmt: skip
    assert code == 0
    code, out, err = run(capsys, "runs", "export", "1", "-o", "rec.json", "--draws", "d.csv")
    assert code == 0 and "wrote rec.json" in err and "wrote d.csv" in err
    record = RunRecord.model_validate_json((tmp_path / "rec.json").read_text())
    assert record.draws == 200
    lines = (tmp_path / "d.csv").read_text().splitlines()
    assert len(lines) == 201 and lines[0].startswith('"draw","compromise.status"')
    code, _, err = run(capsys, "runs", "export", "1", "--draws", "d.txt")
    assert code == 1 and ".parquet or .csv" in err


def test_runs_compare_uses_the_stored_results_without_recomputing(capsys, monkeypatch) -> None:
    run(capsys, "forecast", MUSCAT, "-m", "compromise", "--runs", "400", "--seed", "1", "--save")
    run(capsys, "forecast", MUSCAT, "-m", "compromise", "--runs", "400", "--seed", "1", "--save",
        "--set", "actors.us.outside_option.value=30")  # fmt: skip

    def no(*a, **k):
        raise AssertionError("recomputed")

    import accord.outcome
    import accord.runs.forecast
    import accord.runs.montecarlo

    monkeypatch.setattr(accord.runs.forecast, "run_columns", no)
    monkeypatch.setattr(accord.runs.montecarlo, "run", no)
    monkeypatch.setattr(accord.outcome, "analyse", no)
    code, out, err = run(capsys, "runs", "compare", "1", "2")
    assert code == 0, err
    assert "changes only in B: actors.us.outside_option.value=30" in out
    code, data, _ = run(capsys, "runs", "compare", "1", "2", "--json")
    rows = {r["label"]: r for r in json.loads(data)["models"]["compromise"]}
    # the numbers are those of the stored records
    a = RunRecord.model_validate(json.loads(run(capsys, "runs", "show", "1", "--json")[1]))
    b = RunRecord.model_validate(json.loads(run(capsys, "runs", "show", "2", "--json")[1]))
    pa = a.results.models[0].agreement.probabilities.escalation
    pb = b.results.models[0].agreement.probabilities.escalation
    assert rows["P(escalation)"]["a"] == f"{100 * pa:.1f}%"
    assert rows["P(escalation)"]["b"] == f"{100 * pb:.1f}%"
    assert pb < pa  # a cheaper fallback for Washington: fewer credible threats


def test_runs_delete_and_unknown_runs(capsys) -> None:
    run(capsys, "forecast", TOY, "-m", "compromise", "--save")
    code, out, _ = run(capsys, "runs", "delete", "1")
    assert code == 0 and "deleted run 1" in out
    code, _, err = run(capsys, "runs", "show", "1")
    assert code == 1 and "no run 1" in err and "runs list" in err
    code, _, err = run(capsys, "runs", "delete", "7")
    assert code == 1 and "no run 7" in err
    code, _, err = run(capsys, "runs", "list", "--status", "done")
    assert code == 1 and "running, complete, failed, interrupted" in err


def test_an_unfinished_run_shows_how_to_reproduce_it(capsys, store_here) -> None:
    from accord.runs.store import Store
    from accord.scenario import load

    with Store(store_here) as store:
        run_id = store.begin(load(TOY), kind="forecast", models=["compromise"], seed=12, runs=99,
                             request={"variant": "drought"})  # fmt: skip
        store.interrupt(run_id, "the process running it stopped")
    code, out, _ = run(capsys, "runs", "show", str(run_id))
    assert code == 0 and "interrupted" in out and "did not finish" in out
    assert "--seed 12" in out and "--variant drought" in out


def test_bad_store_and_date_options_are_user_errors(capsys) -> None:
    code, _, err = run(capsys, "runs", "list", "--db", "mysql://x@y/z")
    assert code == 1 and err.startswith("error: --db:")
    code, _, err = run(capsys, "forecast", MUSCAT, "-m", "compromise", "--as-of", "2026-01-01")
    assert code == 1 and "--as-of" in err and "starts on 2026-02-06" in err
    code, _, err = run(capsys, "forecast", MUSCAT, "-m", "compromise", "--as-of", "soon")
    assert code == 1 and "YYYY-MM-DD" in err


def test_history_shows_the_dated_versions_as_a_table_and_a_chart(capsys, tmp_path) -> None:
    args = ("history", MUSCAT, "-m", "compromise,nash", "--runs", "200", "--seed", "3")
    code, out, err = run(capsys, *args)
    assert code == 0, err
    for day in ("2026-02-06", "2026-02-08", "2026-02-15", "2026-02-20", "2026-02-26"):
        assert day in out
    assert out.count("new run") == 5 and "P(escalation)" in out
    chart = tmp_path / f"history-{MUSCAT}.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 50_000
    # the second time, every version is read back from the store
    code, again, _ = run(capsys, *args)
    assert code == 0 and again.count("stored run") == 5
    assert again.split("compromise:")[1] == out.split("compromise:")[1].replace(
        "new run", "stored run"
    )
    code, data, _ = run(capsys, *args, "--json", "--rerun", "--no-save", "-o", "h.svg")
    h = json.loads(data)
    assert [v["reused"] for v in h["versions"]] == [False] * 5
    assert [v["run_id"] for v in h["versions"]] == [None] * 5
    assert (tmp_path / "h.svg").exists()
    # the same seed on every version: the versions differ by the news, not by noise
    records = [RunRecord.model_validate(v["record"]) for v in h["versions"]]
    assert {r.seed for r in records} == {3}
    esc = [r.results.models[0].agreement.probabilities.escalation for r in records]
    assert esc == sorted(esc) and esc[-1] > esc[0]


def test_importing_the_cli_loads_no_database_or_parquet_library() -> None:
    code = (
        "import sys, accord.cli\n"
        "bad = [m for m in ('sqlalchemy', 'alembic', 'pyarrow', 'psycopg', 'platformdirs')"
        " if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("width", [80, 60])
def test_history_and_runs_keep_every_date_and_number_whole(capsys, monkeypatch, width) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run(capsys, "history", MUSCAT, "-m", "compromise", "--runs", "100",
                         "--seed", "1")  # fmt: skip
    assert code == 0, err
    assert [line for line in out.splitlines() if "…" in line] == []
    # only a token that must stay whole (the store's path in a temporary folder) may overflow
    wide = [line for line in out.splitlines() if len(line) > width]
    assert all(len(line.split()) == 1 for line in wide), wide
    tokens = set(out.split())
    for day in ("2026-02-06", "2026-02-08", "2026-02-15", "2026-02-20", "2026-02-26"):
        assert day in tokens
    code, listed, _ = run(capsys, "runs", "list")
    assert code == 0
    wide = [line for line in listed.splitlines() if len(line) > width]
    assert all(len(line.split()) == 1 for line in wide), wide
    assert {"1", "2", "3", "4", "5", "us-iran-muscat-2026"} <= set(listed.split())


def test_history_of_a_scenario_without_updates_says_so(capsys) -> None:
    code, out, _ = run(capsys, "history", TOY, "-m", "compromise", "--runs", "50")
    assert code == 0 and "has no dated versions yet" in out
