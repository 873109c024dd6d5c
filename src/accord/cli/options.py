"""Options shared by several commands, each ``--help`` listing its choices, and the map from the
fields the runs name in their errors to the flags a user typed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

DEFAULT_SCENARIO = "us-iran-muscat-2026"
#: kept in step with accord.models.MODELS by a test (the help text must not import the models)
MODEL_NAMES = (
    "compromise",
    "median",
    "condorcet",
    "nash",
    "bdm",
    "smp",
    "procedural",
    "ensemble",
)
ENGINES = ("local", "dask")
UNCERTAINTIES = ("default", "ranges", "none")
METHODS = ("sobol", "morris")

ScenarioArg = Annotated[
    str,
    typer.Argument(
        help=f"a built-in id (see `accord scenarios`; default {DEFAULT_SCENARIO}) or a scenario "
        "file: YAML, JSON, CSV (plain or KTAB) or KTAB XML"
    ),
]
ModelsOpt = Annotated[
    str,
    typer.Option(
        "--model",
        "-m",
        help="a model, a comma-separated list, or all; models: " + ", ".join(MODEL_NAMES),
    ),
]
VariantOpt = Annotated[
    str | None, typer.Option(help="a named variant of the scenario (`accord show` lists them)")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="PATH=VALUE change to the scenario, repeatable, e.g. "
        "actors.us.stances.missiles.position=20",
    ),
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        help="MODEL.SETTING=VALUE model setting, repeatable, e.g. smp.voting_rule=PropCbc "
        "(`accord models MODEL` lists each setting with its choices)",
    ),
]
RunsOpt = Annotated[int, typer.Option(help="draws of the uncertain inputs", min=1)]
SeedOpt = Annotated[
    int | None, typer.Option(help="random seed (default: a fresh one, printed and recorded)", min=0)
]
UncertaintyOpt = Annotated[
    Literal["default", "ranges", "none"],
    typer.Option(
        help="default spreads where the scenario gives no range (default), the scenario's "
        "ranges only (ranges), or none",
    ),
]
EngineOpt = Annotated[
    Literal["local", "dask"],
    typer.Option(
        help="local (processes on this machine) or dask (a cluster)",
    ),
]
WorkersOpt = Annotated[
    int | None, typer.Option(help="worker processes (default: one per CPU)", min=1)
]
AddressOpt = Annotated[
    str | None, typer.Option(help="Dask scheduler, tcp://HOST:PORT (with --engine dask)")
]
RoundsOpt = Annotated[
    int | None, typer.Option(help="rounds for the bdm model (same as --param bdm.rounds=N)", min=0)
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="print the run record as JSON (schema: accord schema)")
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="also tell a dynamic model's run round by round")
]
ImageOpt = Annotated[Path | None, typer.Option("--output", "-o", help="a .png or .svg file")]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="the run store: a SQLite file or sqlite:///PATH, or postgresql://USER@HOST:PORT/DB "
        "(default: $ACCORD_DB, else accord.db in your data directory)",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="forecast the scenario's dated version of this day, YYYY-MM-DD (its updates up to it)",
    ),
]

#: fields named by the runs' errors -> the flag a user typed
FLAGS = {
    "runs": "--runs",
    "seed": "--seed",
    "model": "--model",
    "engine": "--engine",
    "workers": "--workers",
    "address": "--address",
    "param": "--param",
    "set": "--set",
    "variants": "--variants",
    "input": "--input",
    "method": "--method",
    "output": "--output",
    "uncertainty": "--uncertainty",
    "chunk_size": "--chunk-size",
    "scenario": "SCENARIO",
    "variant": "--variant",
    "n": "--n",
    "sensitivity_model": "--sensitivity-model",
    "sensitivity_method": "--sensitivity-method",
    "model_name": "NAME",
    "capability": "--capability",
    "commission_weight": "--commission-weight",
    "parliament_weight": "--parliament-weight",
    "institutions": "--institutions",
    "status_quo": "--status-quo",
    "missing_salience": "--missing-salience",
    "ensemble": "--ensemble",
    "folds": "--folds",
    "repeats": "--repeats",
    "bootstrap": "--bootstrap",
    "cases": "CASE",
    "db": "--db",
    "as_of": "--as-of",
    "draws": "--draws",
    "run": "RUN",
}


def flag_for(field: str) -> str:
    """The flag behind an error's field: ``runs`` -> ``--runs``; ``smp.voting_rule`` ->
    ``--param smp.voting_rule``; empty when the field has no flag."""
    if field in FLAGS:
        return FLAGS[field]
    if "." in field and field.split(".", 1)[0] in MODEL_NAMES:
        return f"--param {field}"
    if field in MODEL_NAMES:
        return "--param"
    return ""


__all__ = [
    "DEFAULT_SCENARIO",
    "FLAGS",
    "MODEL_NAMES",
    "flag_for",
]
