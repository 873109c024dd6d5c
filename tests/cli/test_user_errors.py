"""Every user error: a clear message naming what, where and how to fix it, exit 1, no traceback.

Most cases would otherwise fail only after the whole computation (or never), so several also check
that nothing was computed before the error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord import __version__
from accord.cli import main
from accord.cli.common import parse_sets
from accord.runs.forecast import prepare
from accord.scenario import load

TWO_ISSUE = str(Path(__file__).resolve().parents[1] / "data" / "scenarios" / "two_issue.yaml")
MISSING = "/nonexistent/dir/"


def run(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def no_forecast(monkeypatch):
    """Make any forecast a failure: the error must come before the work."""
    import accord.runs.forecast as svc

    def boom(*a, **k):
        raise AssertionError("the forecast ran before the error")

    monkeypatch.setattr(svc, "forecast", boom)
    monkeypatch.setattr(svc, "run_columns", boom)


@pytest.mark.parametrize(
    "args, needle",
    [
        # no model named (item 1)
        (["forecast", TWO_ISSUE, "-m", ""], "--model: no model named"),
        (["forecast", TWO_ISSUE, "-m", " , "], "--model: no model named"),
        (["compare", TWO_ISSUE, "-m", ""], "--model: no model named"),
        # one model only (item 2)
        (["plot", "bands", TWO_ISSUE, "-m", "all"], "takes exactly one"),
        (["plot", "bands", TWO_ISSUE, "-m", "bdm,smp"], "takes exactly one"),
        (["sensitivity", TWO_ISSUE, "-m", "all"], "takes exactly one"),
        # output paths, checked before any work (item 4)
        (["report", TWO_ISSUE, "-o", MISSING + "x.html"], "is not an existing folder"),
        (["report", TWO_ISSUE, "-o", "."], "it is a folder"),
        (["report", TWO_ISSUE, "-o", "x.txt"], ".html or .htm"),
        (["plot", "quadrant", TWO_ISSUE, "--actor", "a", "-o", MISSING + "x.png"], "existing"),
        (["plot", "distributions", TWO_ISSUE, "-o", MISSING + "x.png"], "existing folder"),
        (["plot", "agreement", TWO_ISSUE, "-o", MISSING + "x.svg"], "existing folder"),
        (["plot", "bands", TWO_ISSUE, "-o", MISSING + "x.png"], "existing folder"),
        (["plot", "agreement", TWO_ISSUE, "-o", "x.pdf"], ".png or .svg"),
        (["sensitivity", TWO_ISSUE, "--plot", MISSING + "x.png"], "existing folder"),
        (["sensitivity", TWO_ISSUE, "--plot", "x.pdf"], ".png or .svg"),
        # base as a variant (item 12)
        (["compare", TWO_ISSUE, "--variants", "base"], "base is always the first column"),
        # report options checked before the forecast (item 14)
        (
            ["report", TWO_ISSUE, "--sensitivity-method", "foo"],
            "'foo' is not one of 'sobol', 'morris'",
        ),
        (["report", TWO_ISSUE, "--sensitivity-output", "issue:nope"], "no issue 'nope'"),
        (["report", TWO_ISSUE, "--sensitivity-model", "zz"], "no model called 'zz'"),
        (["report", TWO_ISSUE, "--sensitivity-model", "all"], "takes exactly one"),
        (["report", TWO_ISSUE, "-m", ""], "--model: no model named"),
        # --set keeps the PATH=VALUE check (item 8)
        (["forecast", TWO_ISSUE, "--set", "novalue"], "PATH=VALUE"),
        # sensitivity bounds within what the number can be (item 10)
        (
            ["sensitivity", TWO_ISSUE, "-m", "compromise", "-i", "actors.a.capability=[-5,10]"],
            "a capability must be between 0 and 1e+15",
        ),
    ],
)
def test_user_errors_exit_1_before_any_work(capsys, no_forecast, args, needle):
    code, out, err = run(args, capsys)
    assert code == 1, err
    assert needle in err
    assert "Traceback" not in out + err and "internal error" not in err


@pytest.mark.parametrize(
    "args, needle",
    [
        (["plot", "distributions", TWO_ISSUE, "-m", ""], "--model: no model named"),
        (["forecast", TWO_ISSUE, "--runs", "99999999999999999999"], "more than accord takes"),
        (
            ["forecast", TWO_ISSUE, "--uncertainty", "foo"],
            "'foo' is not one of 'default', 'ranges', 'none'",
        ),  # even one run
    ],
)
def test_user_errors_found_by_the_service_exit_1(capsys, args, needle):
    code, out, err = run(args, capsys)
    assert code == 1 and needle in err
    assert "Traceback" not in out + err and "internal error" not in err


def test_a_run_too_big_for_memory_is_refused_with_an_estimate(capsys, monkeypatch):
    import accord.runs.montecarlo as mc

    monkeypatch.setattr(mc, "available_memory", lambda: 2**30)  # 1 GiB
    code, out, err = run(["forecast", TWO_ISSUE, "--runs", "100000000", "-m", "compromise"], capsys)
    assert code == 1 and "need about" in err and "GiB" in err and "--runs" in err
    assert "Traceback" not in out + err


def test_a_failed_write_is_a_user_error(tmp_path, capsys, monkeypatch):
    def full_disk(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    target = tmp_path / "a.svg"
    code, out, err = run(["plot", "agreement", TWO_ISSUE, "--runs", "1", "-o", str(target)], capsys)
    assert code == 1 and f"cannot write {target}: No space left on device" in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize("args", [[], ["plot"]])
def test_no_subcommand_prints_the_help_and_exits_0(capsys, args):
    code, out, err = run(args, capsys)
    assert code == 0 and "Usage" in out + err and "error" not in err


def test_version_and_short_help(capsys):
    assert run(["--version"], capsys)[:2] == (0, f"accord {__version__}\n")
    for args in (["-h"], ["forecast", "-h"], ["plot", "bands", "-h"]):
        code, out, _ = run(args, capsys)
        assert code == 0 and "Usage" in out


def test_usage_errors_point_at_the_help_and_only_suggest_near_misses(capsys):
    code, _, err = run(["forecast", "--bogus"], capsys)
    assert code == 1 and "see `accord forecast --help`" in err and "Possible options" not in err
    code, _, err = run(["forecast", "--seeds", "1"], capsys)
    assert code == 1 and "Possible options: --seed" in err
    code, _, err = run(["nope"], capsys)
    assert code == 1 and "see `accord --help`" in err


def test_set_values_are_typed_by_their_field():
    sc = load(TWO_ISSUE)
    changes = parse_sets(
        [
            "title=2026",
            "actors.a.name=No",
            "actors.b.name=B: the other one",
            "actors.a.stances.scope.position=35",
        ]
    )
    alt = prepare(sc, changes=changes).scenario
    assert alt.title == "2026" and alt.actor("a").name == "No"
    assert alt.actor("b").name == "B: the other one"
    assert alt.actor("a").stances["scope"].position == 35


def test_set_on_a_text_field_through_the_command(capsys):
    code, out, err = run(["forecast", TWO_ISSUE, "--json", "--set", "title=2026"], capsys)
    assert code == 0, err
    assert json.loads(out)["scenario"]["title"] == "2026"


def test_rounds_without_bdm_is_a_note_not_an_error(capsys):
    code, out, err = run(["forecast", TWO_ISSUE, "-m", "compromise", "--rounds", "3"], capsys)
    assert code == 0 and "--rounds applies to the bdm model only" in err


def test_one_chunk_is_reported_as_run_by_one_worker(capsys):
    args = ["forecast", TWO_ISSUE, "--runs", "50", "--seed", "1", "-m", "compromise"]
    code, out, err = run([*args, "--workers", "2"], capsys)
    assert code == 0, err
    assert "local, 1 chunk on 1 worker)" in " ".join(out.split())


def test_a_cleared_value_prints_as_null():
    from accord.scenario.patch import Change

    cleared = Change(path="actors.a.stances.scope.red_line", value=None)
    assert cleared.text() == "actors.a.stances.scope.red_line=null"
    assert Change(path="actors.a.veto", value=True).text() == "actors.a.veto=true"
    assert Change(path="title", value="2026").text() == "title=2026"
