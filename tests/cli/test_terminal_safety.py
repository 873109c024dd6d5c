"""No output of accord ever writes a raw control character that came from a scenario.

A scenario with escape sequences, bells, carriage returns, DEL and C1 controls in every text it
has (JSON escapes put them there) goes through every command that prints, and through the error
paths; stdout and stderr must hold none of them (tabs and newlines are text). JSON output keeps
them, escaped (``\\u001b``), so it reads back equal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import accord
from accord.cli import main

ROOT = Path(__file__).resolve().parents[2]
TOY = ROOT / "tests" / "fixtures" / "valid" / "toy.yaml"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
NASTY = "A\x1b[31mB\x1b]0;title\x07C\rD\x7fE\x9b2JF\x85G\x00H"


def _dirty(value, key=""):
    """Every text of scenario data with NASTY added (ids and references left alone)."""
    keep = {"id", "source", "kind", "role", "language", "date", "as_of", "url", "file"}
    if isinstance(value, dict):
        return {k: (v if k in keep else _dirty(v, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_dirty(v, key) for v in value]
    if isinstance(value, str) and key not in ("supports", "set", "expect", "issues.share"):
        return value + NASTY
    return value


@pytest.fixture(scope="module")
def dirty(tmp_path_factory) -> Path:
    data = accord.load(str(TOY)).model_dump(mode="json")
    data = _dirty(data)
    data["variants"][0]["set"] = {"actors.down.stances.share.salience": 100}
    data["notes"] = ["a note" + NASTY]
    path = tmp_path_factory.mktemp("dirty") / "dirty.json"
    path.write_text(json.dumps(data, indent=1))
    sc = accord.load(str(path))
    assert NASTY in sc.title and NASTY in sc.actors[0].name and NASTY in sc.issues[0].scale[0]
    return path


def run(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


COMMANDS = [
    ["show", "{f}"],
    ["validate", "{f}"],
    ["forecast", "{f}"],
    ["forecast", "{f}", "-m", "bdm", "--verbose"],
    ["forecast", "{f}", "-m", "smp", "--verbose"],
    ["forecast", "{f}", "-m", "compromise,nash", "--runs", "30", "--seed", "1"],
    ["forecast", "{f}", "--variant", "drought", "-m", "median"],
    ["forecast", "{f}", "-m", "median", "--set", "actors.up.name=x\x1b[2Jy"],
    ["compare", "{f}", "-m", "compromise", "--runs", "30", "--seed", "1"],
    ["sensitivity", "{f}", "-m", "compromise", "--method", "morris", "--n", "4", "--seed", "1"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:4]))
def test_no_control_character_reaches_the_terminal(dirty, capsys, args):
    code, out, err = run([a.replace("{f}", str(dirty)) for a in args], capsys)
    assert code == 0, err
    assert not CONTROL.search(out), repr(CONTROL.search(out))
    assert not CONTROL.search(err), repr(CONTROL.search(err))
    if args[0] not in ("validate", "sensitivity"):  # those show no scenario text
        assert "DE2JFGH" in out  # the text itself is shown, less its controls


@pytest.mark.parametrize(
    "args",
    [
        ["forecast", "{f}", "--variant", "no\x1b[31mne"],
        ["forecast", "{f}", "--set", "actors.n\x1bo.name=x"],
        ["forecast", "{f}", "--set", "title"],
        ["forecast", "{f}", "--runs", "\x1b[31m"],
        ["forecast", "{f}", "-m", "bd\x1bm"],
        ["forecast", "no-such\x1b[31m.yaml"],
        ["forecast", "{f}", "--param", "bdm.rou\x9bnds=3"],
    ],
)
def test_no_control_character_in_error_messages(dirty, capsys, args):
    code, out, err = run([a.replace("{f}", str(dirty)) for a in args], capsys)
    assert code == 1, err
    assert not CONTROL.search(out + err), repr(err)


def test_a_scenario_error_quoting_control_characters(tmp_path, capsys):
    path = tmp_path / "bad.json"
    data = accord.load(str(TOY)).model_dump(mode="json")
    data["actors"][0]["colour\x1b[31m"] = "red\x07"
    data["actors"][0]["capability"] = "lots\x1b]0;x\x07"
    path.write_text(json.dumps(data))
    code, out, err = run(["validate", path], capsys)
    assert code == 1 and "unknown key" in err and "must be a number" in err
    assert not CONTROL.search(out + err), repr(err)


def test_json_output_keeps_the_text_escaped(dirty, capsys):
    code, out, err = run(["forecast", dirty, "-m", "compromise", "--json"], capsys)
    assert code == 0, err
    assert not CONTROL.search(out)
    assert "\\u001b" in out and "\\u009b" in out and "\\u007f" in out
    record = json.loads(out)
    assert record["scenario"]["title"].endswith(NASTY)


def test_the_html_report_holds_no_control_character(dirty, tmp_path, capsys):
    page = tmp_path / "report.html"
    args = ["report", dirty, "-m", "compromise", "--runs", "30", "--seed", "1"]
    code, out, err = run([*args, "--sensitivity-n", "2", "-o", page], capsys)
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert "DE2JFGH" in html and not CONTROL.search(html.replace("\r", ""))
    assert not CONTROL.search(out + err)
