"""Regression tests for every input issue 14's fuzzer found: each is refused with a message that
says what is wrong, where (file:line:column, or the path of the field, or the flag) and exit code 1
— or, where the input is valid after all (markup or escapes in a name), shown as the text it is.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

import accord
from accord.cli import main
from accord.errors import AccordError, UnknownNameError

ROOT = Path(__file__).resolve().parents[2]
TOY = ROOT / "tests" / "fixtures" / "valid" / "toy.yaml"
#: a raw control character (tab and newline are text)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def refused(args, capsys, *needles):
    """Exit 1, no traceback, and every needle (message, location) in stderr."""
    code, out, err = run(args, capsys)
    assert code == 1, err
    assert "Traceback" not in err and "internal error" not in err
    for needle in needles:
        assert needle in err, err
    return err


def toy_with(tmp_path: Path, old: str, new: str, name: str = "toy.yaml") -> Path:
    text = TOY.read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def toy_json(tmp_path: Path, edit, name: str = "toy.json") -> Path:
    data = accord.load(str(TOY)).model_dump(mode="json")
    edit(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=1))
    return path


# -- dates ---------------------------------------------------------------------------------------


def test_a_timestamp_that_is_no_time_is_the_validators_to_report(tmp_path, capsys):
    path = toy_with(tmp_path, "as_of: 2026-01-15", "as_of: 2026-02-06T25:61:00")
    refused(
        ["forecast", path, "-m", "compromise"],
        capsys,
        f"{path}:4:1 as_of:",
        "`as_of` must be a date",
        "hour value is outside expected range",
    )


def test_a_date_that_does_not_exist_in_set(capsys):
    refused(
        ["forecast", TOY, "-m", "compromise", "--set", "as_of=2026-02-30"],
        capsys,
        "as_of: `as_of` must be a date",
        "day value is outside expected range",
    )


def test_a_valid_date_in_set_still_works(capsys):
    code, out, err = run(["forecast", TOY, "-m", "compromise", "--set", "as_of=2026-02-28"], capsys)
    assert code == 0, err
    assert "as of 2026-02-28" in out


# -- numbers -------------------------------------------------------------------------------------


def test_a_5000_digit_integer_in_json(tmp_path, capsys):
    text = TOY.read_text()
    data = accord.load_text(text).model_dump(mode="json")
    raw = json.dumps(data).replace('"capability": 60.0', '"capability": ' + "9" * 5000)
    path = tmp_path / "big.json"
    path.write_text(raw)
    err = refused(
        ["forecast", path, "-m", "compromise"],
        capsys,
        "actors.up.capability: `capability` must be a finite number",
    )
    assert re.search(rf"{re.escape(str(path))}:1:\d+ actors\.up\.capability", err)
    assert "9999999999" not in err  # never printed


def test_a_5000_digit_integer_in_set(capsys):
    err = refused(
        ["forecast", TOY, "-m", "compromise", "--set", "actors.up.capability=" + "9" * 5000],
        capsys,
        "actors.up.capability: `capability` must be a finite number",
    )
    assert "capability_range" not in err  # the range does not follow an infinite value


def test_a_5000_digit_integer_in_param(capsys):
    refused(
        ["forecast", TOY, "-m", "smp", "--param", "smp.max_turns=" + "9" * 5000],
        capsys,
        "--param smp.max_turns:",
        "max_turns=inf: must be a finite number",
    )


def test_a_huge_integer_capability_in_yaml_reaches_the_salvage_path(tmp_path, capsys):
    # a second problem in the same actor makes the validator salvage the actor's other parts
    path = toy_with(tmp_path, "capability: 60", "capability: 1" + "0" * 400 + "\n    colour: red")
    refused(
        ["validate", path],
        capsys,
        f"{path}:18:5 actors.up.capability: `capability` must be a finite number",
        f"{path}:19:5 actors.up.colour: unknown key `colour`",
    )


def test_capabilities_near_1e308_are_refused_where_they_are(tmp_path, capsys):
    path = tmp_path / "extreme.csv"
    rows = "".join(f"{a},1e308,{p},50\n" for a, p in zip("abcd", (10, 20, 80, 90), strict=True))
    path.write_text("actor,capability,position,salience\n" + rows)
    refused(
        ["forecast", path],
        capsys,
        "4 problems found",
        f"{path}:2:3 actors.a.capability: `capability` is out of range: must be ≤ 1e+15",
        f"{path}:5:3 actors.d.capability",
    )


def test_ktab_saliences_near_1e308_do_not_overflow_the_sum(tmp_path, capsys):
    path = tmp_path / "k.csv"
    path.write_text(
        "x,y,2,1\nActor,Description,Power,X Position,X Salience\na,,10,50,1e308\nb,,10,50,1e308\n"
    )
    refused(
        ["forecast", path],
        capsys,
        f"{path}:3:10: actor 'a': salience 1e+308 on 'X Position' is outside 0–100",
        f"{path}:4:10: actor 'b': saliences sum to 1e+308, more than 100",
    )


def test_ktab_power_beyond_the_bound(tmp_path, capsys):
    path = tmp_path / "k.csv"
    path.write_text(
        "x,y,2,1\nActor,Description,Power,X Position,X Salience\na,,1e300,50,50\nb,,1,50,50\n"
    )
    refused(["forecast", path], capsys, f"{path}:3:4: actor 'a': power 1e+300 is more than 1e+15")


# -- formats -------------------------------------------------------------------------------------


def test_a_csv_cell_over_the_csv_modules_limit(tmp_path, capsys):
    path = tmp_path / "cell.csv"
    path.write_text("actor,capability,position,salience\na,1," + "5" * 140_000 + ",50\nb,1,20,50\n")
    refused(
        ["forecast", path, "-m", "compromise"],
        capsys,
        f"{path}:2:1: this line cannot be read as CSV (field larger than field limit (131072))",
    )


def test_a_csv_cell_with_a_nul_byte(tmp_path, capsys):
    path = tmp_path / "nul.csv"
    path.write_text("actor,capability,position,salience\na,1,\x0020,50\nb,1,20,50\n")
    refused(
        ["validate", path],
        capsys,
        f"{path}:2:5 actors.a.stances.issue.position: `position` must be a number (got '\\x0020')",
    )


def test_an_xml_encoding_python_does_not_know(tmp_path, capsys):
    path = tmp_path / "bogus.xml"
    path.write_text('<?xml version="1.0" encoding="bogus-enc"?>\n<Scenario></Scenario>\n')
    refused(
        ["forecast", path, "-m", "compromise"],
        capsys,
        f"{path}:1:1: the XML declares an encoding that cannot be read (unknown encoding: bogus-enc)",
    )


def test_a_ktab_csv_header_claiming_a_billion_dimensions(tmp_path, capsys):
    path = tmp_path / "dims.csv"
    path.write_text("x,y,2,1000000000\nActor,Description,Power\n")
    assert path.stat().st_size < 50
    refused(
        ["forecast", path, "-m", "compromise"],
        capsys,
        f"{path}:1:7: line 1 declares 1,000,000,000 dimensions; accord takes at most 1,000",
    )


def test_ktab_xml_with_too_many_dimensions(tmp_path, capsys):
    path = tmp_path / "dims.xml"
    names = "".join(f"<dName>d{k}</dName>" for k in range(1001))
    path.write_text(f"<Scenario><name>x</name><Dimensions>{names}</Dimensions></Scenario>")
    refused(["validate", path], capsys, f"{path}:1:", "the file has 1,001 dimensions")


def test_xml_text_in_many_pieces_is_read_in_linear_time(tmp_path, capsys):
    path = tmp_path / "amp.xml"
    path.write_text("<Scenario><name>" + "&amp;" * 300_000 + "</name></Scenario>")
    refused(["validate", path], capsys, "no <Dimensions> with at least one <dName>")


# -- nesting and aliases -------------------------------------------------------------------------


def test_a_deeply_nested_set_value(capsys):
    refused(
        ["forecast", TOY, "-m", "compromise", "--set", "actors.up.capability=" + "[" * 3000],
        capsys,
        "actors.up.capability: the value '[[[[",
        "nested more than 64 levels deep",
    )


@pytest.mark.parametrize("text", ["[" * 100_000, "- " * 5000 + "x", "{a: " * 3000 + "1"])
def test_nesting_that_would_crash_libyaml_is_refused_where_it_is(tmp_path, capsys, text):
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    refused(["validate", path], capsys, f"{path}:1:", "nested more than 64 levels deep")


def test_deep_json_is_refused(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' * 5000 + "1" + "}" * 5000)
    refused(["validate", path], capsys, "nested more than 64 levels deep")


@pytest.mark.parametrize(
    "text, where",
    [("&a [*a]", ":1:1:"), ("a: &a [*a, *a]\n", ":1:4:"), ("&a\n- *a\n", ":1:1:")],
)
def test_a_recursive_alias_is_refused_at_once(tmp_path, capsys, text, where):
    path = tmp_path / "loop.yaml"
    path.write_text(text)
    refused(["validate", path], capsys, f"{path}{where}", "a YAML anchor refers to itself")


def test_an_exponential_alias_structure_is_refused(tmp_path, capsys):
    lines = ["a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    for prev, name in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n")
    refused(["validate", path], capsys, f"{path}:5:4:", "YAML aliases expand this document")


# -- text shown as text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, shown", [("actors.up.name=[/]", "[/]"), ("issues.share.name=[/bold]", "[/bold]")]
)
def test_rich_markup_in_a_name_is_shown_as_text(capsys, change, shown):
    code, out, err = run(["forecast", TOY, "-m", "compromise", "--set", change], capsys)
    assert code == 0, err
    assert shown in out


def test_an_ansi_escape_in_a_title_never_reaches_the_terminal(capsys):
    code, out, err = run(
        ["forecast", TOY, "-m", "compromise", "--set", "title=\x1b[31mRED\x1b]0;pwned\x07"], capsys
    )
    assert code == 0, err
    assert "RED" in out and not CONTROL.search(out + err)


# -- sizes and costs -----------------------------------------------------------------------------


def big(tmp_path: Path, actors: int, issues: int = 1) -> Path:
    data = {
        "id": "big",
        "title": "big",
        "issues": [
            {"id": f"i{k}", "name": f"i{k}", "scale": {0: "a", 100: "b"}, "status_quo": 50}
            for k in range(issues)
        ],
        "actors": [
            {
                "id": f"a{j}",
                "name": f"a{j}",
                "capability": 1 + j % 7,
                "stances": {
                    f"i{k}": {"position": (j * 37) % 101, "salience": 50} for k in range(issues)
                },
            }
            for j in range(actors)
        ],
    }
    path = tmp_path / f"big{actors}.json"
    path.write_text(json.dumps(data))
    return path


def test_smp_on_thousands_of_actors_is_refused_with_its_estimate(tmp_path, capsys, no_run):
    refused(
        ["forecast", big(tmp_path, 2000), "-m", "smp"],
        capsys,
        "--model: smp on 2,000 actors × 1 issues would need about",
        "GiB of working memory",
        "SMP's cost grows with their cube",
    )


def test_a_run_over_the_hour_limit_is_refused_before_it_starts(
    tmp_path, capsys, monkeypatch, no_run
):
    monkeypatch.setenv("ACCORD_MAX_RUN_HOURS", "0.001")
    refused(
        ["forecast", big(tmp_path, 100), "-m", "bdm", "--runs", "100000"],
        capsys,
        "--runs: this run would take about",
        "(bdm on 100 actors × 1 issues, 100,000 draws), more than the 0.001-hour limit",
        "or set ACCORD_MAX_RUN_HOURS",
    )


def test_a_long_run_is_announced(tmp_path, capsys, monkeypatch):
    import accord.budget as budget

    monkeypatch.setattr(budget, "WARN_SECONDS", 0.0)
    code, out, err = run(["forecast", TOY, "-m", "bdm"], capsys)
    assert code == 0 and "note: this run is estimated to take about" in err
    assert "Ctrl-C stops it" in err


def test_too_many_actors_is_refused_before_typing(tmp_path, capsys):
    refused(["validate", big(tmp_path, 5001)], capsys, "actors: the scenario has 5,001 actors")


def test_a_large_valid_scenario_runs_the_linear_models_with_bounded_records(tmp_path, capsys):
    code, out, err = run(
        ["forecast", big(tmp_path, 3000), "-m", "compromise,median", "--json"], capsys
    )
    assert code == 0, err
    results = json.loads(out)["results"]
    assert len(results["models"][0]["actors"]) == 3000
    # nobody has a veto, so all 3,000 are deciders: no deal space, and the record says why
    assert results["deal"] is None
    assert results["deal_left_out"].startswith("3,000 deciders, more than the 60")


def test_a_deal_space_too_large_is_left_out_with_its_reason(tmp_path, capsys, monkeypatch):
    import accord.budget as budget

    monkeypatch.setattr(budget, "MAX_DEAL_DECIDERS", 3)
    monkeypatch.setattr("accord.runs.forecast.MAX_DEAL_DECIDERS", 3)
    code, out, err = run(["forecast", big(tmp_path, 4), "-m", "compromise"], capsys)
    assert code == 0, err
    out = " ".join(out.split())  # prose is wrapped
    assert "Deal space: left out: 4 deciders, more than the 3 a deal space is worked out" in out
    assert "veto: true, or role: principal" in out
    code, out, err = run(["forecast", big(tmp_path, 3), "-m", "compromise"], capsys)
    assert code == 0 and "left out" not in out and "Deal space" in out


def test_concessions_on_a_deal_space_too_large_say_why_and_stop(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("accord.runs.forecast.MAX_DEAL_DECIDERS", 3)
    code, out, err = run(["concessions", big(tmp_path, 4), "--runs", "1"], capsys)
    assert code == 1 and "Traceback" not in err
    err = " ".join(err.split())
    assert "no deal space to work on: 4 deciders, more than the 3" in err
    code, out, err = run(["concessions", big(tmp_path, 3), "--runs", "1"], capsys)
    assert code == 0, err


def test_the_deal_space_counts_in_a_runs_estimate():
    from accord.budget import CostWarning, check_run
    from accord.models import Compromise

    plain = check_run(50, 6, [Compromise()], draws=2000)
    with pytest.warns(CostWarning, match="deal space"):
        with_deal = check_run(50, 6, [Compromise()], draws=2000, deal_deciders=50)
    assert with_deal.per_model["deal space"] > 60 > plain.seconds


def test_bdm_accounts_leave_out_dyadic_tables_too_large_to_keep():
    from accord.arrays import from_table
    from accord.models import BDM

    arrays = from_table([f"a{j}" for j in range(150)], [1] * 150, list(range(150)), [0.5] * 150)
    model = BDM(rounds=2)
    account = model.describe(model.run(arrays), arrays)["issues"]["issue0"]
    assert account["dyads"] == [] and account["dyads_left_out"] == 2 * 150 * 149
    small = from_table(["a", "b", "c"], [1, 1, 1], [10, 50, 90], [0.5] * 3)
    account = model.describe(model.run(small), small)["issues"]["issue0"]
    assert len(account["dyads"]) == 2 * 3 * 2 and "dyads_left_out" not in account


def test_rounds_beyond_the_setting_bound(capsys, no_run):
    refused(
        ["forecast", TOY, "-m", "bdm", "--rounds", "1000000000"],
        capsys,
        "--param bdm.rounds: model 'bdm': rounds=1000000000: must be ≤ 10000",
    )


def test_an_unknown_model_among_all(capsys, no_run):
    refused(
        ["forecast", TOY, "--model", "all,nonsense"], capsys, "--model: no model called 'nonsense'"
    )


# -- paths and addresses -------------------------------------------------------------------------


def test_a_file_name_too_long_for_the_system(capsys):
    name = "a" * 300 + ".yaml"
    refused(["forecast", name], capsys, f"{name}: cannot read the file: File name too long")


def test_a_path_too_long_for_the_system(capsys):
    path = "/tmp/" + "a/" * 3000 + "x.yaml"
    refused(["validate", path], capsys, "cannot read the file: File name too long")


def test_a_long_name_without_suffix_is_no_builtin(capsys):
    refused(["forecast", "a" * 300], capsys, "no built-in scenario 'aaaa", "built-ins:")


def test_a_scheduler_address_with_no_port_number(capsys, no_run):
    refused(
        [
            "forecast", TOY, "-m", "compromise", "--runs", "10",
            "--engine", "dask", "--address", "tcp://127.0.0.1:notaport",
        ],
        capsys,
        "--address: 'tcp://127.0.0.1:notaport' is not a scheduler address",
        "tcp://HOST:PORT",
    )  # fmt: skip


# -- the Python API --------------------------------------------------------------------------------


def test_load_names_built_ins_only_when_asked(tmp_path):
    path = toy_with(tmp_path, "id: toy-water-treaty", "id: toy")
    with pytest.raises(UnknownNameError, match="no built-in scenario"):
        accord.load(str(path), only="builtin")
    with pytest.raises(UnknownNameError):
        accord.load("/etc/passwd", only="builtin")
    assert accord.load(str(path), only="path").id == "toy"


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda sc: accord.forecast(None), "scenario"),
        (lambda sc: accord.forecast(sc, "compromise", changes="str"), "set"),
        (lambda sc: accord.forecast(sc, "compromise", seed=-1), "seed"),
        (lambda sc: sc.with_changes("str"), ""),
        (lambda sc: accord.forecast(sc, "compromise", variant=["drought"]), "variant"),
    ],
)
def test_api_calls_the_fuzzer_found(call, field):
    sc = accord.load(str(TOY))
    with pytest.raises(AccordError) as info:
        call(sc)
    assert info.value.field == field


def test_no_nan_or_infinity_in_any_output_with_extreme_capabilities(tmp_path, capsys):
    """Capabilities at the bound, tiny, and zero: every model computes finite numbers, or the
    run is refused; the JSON is strict and the tables have no nan or inf."""
    text = TOY.read_text()
    text = text.replace("capability: 60", "capability: 1e15").replace(
        "capability: 40", "capability: 1.0e-300"
    )
    text = text.replace("capability: 20", "capability: 0")
    path = tmp_path / "extreme.yaml"
    path.write_text(text)
    for args in (["-m", "all"], ["-m", "all", "--runs", "40", "--seed", "1"]):
        code, out, err = run(["forecast", path, *args, "--json"], capsys)
        assert code in (0, 1), err
        if code == 0:
            json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
        code, out, err = run(["forecast", path, *args], capsys)
        assert code in (0, 1) and not re.search(r"\b(nan|inf)\b", out.lower()), out


def test_a_computation_that_would_give_nan_is_refused(monkeypatch, capsys):
    import numpy as np

    from accord.models.compromise import Compromise

    real = Compromise._run

    def overflowing(self, arrays, rng):
        result = real(self, arrays, rng)
        result.outcome[...] = np.nan
        return result

    monkeypatch.setattr(Compromise, "_run", overflowing)
    refused(
        ["forecast", TOY, "-m", "compromise", "--json"],
        capsys,
        "model 'compromise' could not compute a finite outcome on issue 'share'",
        "scale them to 0–100",
    )
    assert math.isnan(float("nan"))


@pytest.fixture
def no_run(monkeypatch):
    """Any model run is a failure: the refusal must come before the work."""
    from accord.models.base import BargainingModel

    def boom(self, *a, **k):
        raise AssertionError("a model ran before the refusal")

    monkeypatch.setattr(BargainingModel, "run", boom)


@pytest.mark.parametrize(
    "command",
    [
        ["plot", "distributions", "--runs", "20", "--seed", "1"],
        ["plot", "agreement", "--runs", "20", "--seed", "1"],
        ["plot", "bands", "--runs", "20", "--seed", "1"],
        ["plot", "quadrant", "--actor", "up"],
        ["plot", "trajectory", "-m", "bdm"],
    ],
    ids=lambda c: c[1],
)
def test_mathtext_and_controls_in_names_are_drawn_as_text(tmp_path, capsys, command):
    """matplotlib reads `$...$` as mathtext: `$\\frac$` in a name raised a ParseException."""
    out = tmp_path / "chart.png"
    names = ["--set", "issues.share.name=$\\frac$ \x1b[31m", "--set", "actors.down.name=$^$"]
    code, _, err = run([*command[:2], TOY, *command[2:], *names, "-o", out], capsys)
    assert code == 0, err
    assert out.stat().st_size > 1000 and not CONTROL.search(err)
