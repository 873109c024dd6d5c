"""At 80 columns (and any width) the terminal output keeps every id, number and interval whole:
nothing is cut with an ellipsis, no line is wider than the terminal, and each id or number a user
must read or type appears as one unbroken token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

import accord
from accord.cli import main
from accord.present import formats

MUSCAT = "us-iran-muscat-2026"
LONG = str(Path(__file__).resolve().parents[1] / "data" / "scenarios" / "long_names.yaml")
WIDTHS = [40, 60, 80, 120, 200]


def run_at(width: int, args: list[str], capsys, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def check_whole(out: str, width: int, tokens=()) -> None:
    """Nothing cut: no ellipsis; no line wider than the terminal (in terminal cells: wide scripts
    count double) unless it is one unbreakable word — an id longer than the terminal, alone on
    its line; and every token given appears whole."""
    assert "…" not in out and "..." not in out
    too_wide = [
        line for line in out.splitlines() if cell_len(line) > width and len(line.split()) > 1
    ]
    assert not too_wide, too_wide[:3]
    words = {w.strip(",;:()") for w in out.split()}
    missing = [t for t in tokens if t not in words]
    assert not missing, missing[:10]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("width", [80, 60, 120])
def test_scenarios_lists_every_id_whole(width, capsys, monkeypatch):
    out = run_at(width, ["scenarios"], capsys, monkeypatch)
    ids = accord.scenario.builtin_ids()
    variants = [v.id for sid in ids for v in accord.load(sid).variants]
    check_whole(out, width, ids + variants)


def test_show_keeps_cells_ids_and_scale_labels_whole(capsys, monkeypatch):
    out = run_at(80, ["show", MUSCAT], capsys, monkeypatch)
    sc = accord.load(MUSCAT)
    ids = [i.id for i in sc.issues] + [v.id for v in sc.variants]
    check_whole(out, 80, ids)
    for actor in sc.actors:  # every cell's numbers appear as tokens
        for st in actor.stances.values():
            assert formats.number(st.position) in out.split()
    text = flat(out)
    for issue in sc.issues:
        for label in issue.scale.values():
            assert flat(label) in text  # shown whole, wrapped at spaces only


def test_forecast_at_80_columns(capsys, monkeypatch):
    out = run_at(80, ["forecast", MUSCAT], capsys, monkeypatch)
    fc = accord.forecast(MUSCAT)
    numbers = [
        formats.number(mf.result.outcome[0, k]) for mf in fc.models.values() for k in range(6)
    ]
    check_whole(out, 80, list(fc.models) + numbers)
    text = flat(out)
    for issue in fc.scenario.issues:
        assert issue.name in text and flat(issue.scale[issue.high]) in text


def test_forecast_runs_at_80_columns_keeps_intervals_whole(capsys, monkeypatch):
    out = run_at(80, ["forecast", MUSCAT, "--runs", "2000", "--seed", "1"], capsys, monkeypatch)
    data = json.loads(
        run_at(
            80, ["forecast", MUSCAT, "--runs", "2000", "--seed", "1", "--json"], capsys, monkeypatch
        )
    )
    tokens = []
    for m in data["results"]["models"]:
        tokens.append(m["name"])
        for issue in m["issues"]:
            tokens.append(formats.number(issue["median"]))
            tokens.append(formats.interval(*issue["intervals"]["80"]))
        for p in m["agreement"]["probabilities"].values():
            tokens.append(formats.share(p))
    check_whole(out, 80, tokens)


def test_compare_keeps_variant_ids_and_deltas_whole(capsys, monkeypatch):
    args = ["compare", MUSCAT, "--runs", "300", "--seed", "1", "-m", "compromise,bdm"]
    out = run_at(80, args, capsys, monkeypatch)
    sc = accord.load(MUSCAT)
    data = json.loads(run_at(80, [*args, "--json"], capsys, monkeypatch))
    tokens = [v.id for v in sc.variants] + ["compromise"]
    text = flat(out)
    for m in data["results"]["models"]:
        for col in m["columns"][1:]:
            for d in col["deltas"]["issues"].values():
                cell = formats.delta(d["value"], *d["intervals"]["80"])
                assert cell in text  # "Δ +1.2 [−0.3, +2.1]" kept on one line
                assert cell in out
    check_whole(out, 80, tokens)


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_sensitivity_keeps_input_paths_and_the_seed_whole(method, capsys, monkeypatch):
    args = ["sensitivity", MUSCAT, "-m", "compromise", "--method", method, "--seed", "1234567890"]
    out = run_at(80, args, capsys, monkeypatch)
    data = json.loads(run_at(80, [*args, "--json"], capsys, monkeypatch))
    paths = [e["name"] for e in data["results"]["effects"][:20]]
    check_whole(out, 80, [*paths, "1234567890"])


def test_model_accounts_lead_with_a_summary_and_detail_needs_verbose(capsys, monkeypatch):
    short = run_at(80, ["forecast", "ec-car-emissions", "-m", "bdm"], capsys, monkeypatch)
    full = run_at(
        80, ["forecast", "ec-car-emissions", "-m", "bdm", "--verbose"], capsys, monkeypatch
    )
    assert "moved most" in short and "Round 1:" not in short and "--verbose" in short
    assert "Round 1: Belgium compromises with France" in flat(full)
    # the account (after the deal space) is a few lines; --verbose tells every round

    def account(text: str) -> list[str]:
        return text.rsplit("replication):", 1)[1].splitlines()

    assert len(account(short)) < 12 < len(account(full))


@pytest.mark.parametrize(
    "command",
    [
        ["forecast"],
        ["compare"],
        ["sensitivity"],
        ["report"],
        ["plot", "bands"],
        ["plot", "trajectory"],
        ["models"],
    ],
)
def test_every_help_lists_the_choices(command, capsys, monkeypatch):
    out = run_at(100, [*command, "--help"], capsys, monkeypatch)
    text = flat(out)
    if command[0] in ("forecast", "compare", "report"):
        for name in accord.MODELS:
            assert name in text
        assert "local|dask" in text.replace(" ", "") or command[0] == "report"
        assert "default|ranges|none" in text.replace(" ", "")
    if command[0] == "sensitivity":
        assert "sobol|morris" in text.replace(" ", "") and "bar|tornado" in text.replace(" ", "")
    if command[0] == "plot":
        assert "bdm or smp" in text


def test_the_cli_help_names_the_registered_models():
    from accord.cli.options import MODEL_NAMES

    assert set(MODEL_NAMES) == set(accord.MODELS)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args",
    [
        ["scenarios"],
        ["show", MUSCAT],
        ["show", "ec-car-emissions"],
        ["forecast", "ec-car-emissions", "-m", "bdm"],
        ["models"],
        ["models", "smp"],
        ["show", LONG],
        ["forecast", LONG],
        ["compare", LONG, "--runs", "40", "--seed", "3", "-m", "compromise"],
    ],
    ids=lambda a: "-".join(Path(x).stem for x in a) if isinstance(a, list) else str(a),
)
def test_any_width_cuts_nothing(args, width, capsys, monkeypatch):
    out = run_at(width, args, capsys, monkeypatch)
    tokens = []
    if LONG in args:
        sc = accord.load(LONG)
        if args[0] == "show":
            tokens = [sc.id, *(i.id for i in sc.issues), *(v.id for v in sc.variants)]
        if args[0] == "compare":
            tokens = [v.id for v in sc.variants]
    check_whole(out, width, tokens)


@pytest.mark.parametrize(
    "args", [["--help"], ["plot", "--help"], ["runs", "--help"], ["backtest", "--help"]]
)
def test_command_lists_are_not_cut(args, capsys, monkeypatch):
    out = run_at(100, args, capsys, monkeypatch)
    listing = out.split("Commands:", 1)[1]
    assert "..." not in listing and "…" not in listing


def test_scenario_text_cannot_inject_terminal_controls(capsys, monkeypatch):
    out = run_at(80, ["show", LONG], capsys, monkeypatch)
    assert "\x1b" not in out and "\u202e" not in out
    assert "Zevil[31mRED" in out  # shown as text, the escape byte and the override removed
