"""``accord report``: a self-contained HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from accord.cli import app
from accord.cli.common import load, model_params, parse_sets
from accord.cli.options import (
    DEFAULT_SCENARIO,
    MODEL_NAMES,
    ModelsOpt,
    ParamOpt,
    RunsOpt,
    ScenarioArg,
    SeedOpt,
    SetOpt,
    UncertaintyOpt,
    VariantOpt,
)
from accord.cli.render import prose


@app.command(short_help="A self-contained HTML report of a forecast.")
def report(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default: report-ID.html)")
    ] = None,
    model: ModelsOpt = "all",
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    param: ParamOpt = None,
    uncertainty: UncertaintyOpt = "default",
    sensitivity_: Annotated[
        bool, typer.Option("--sensitivity/--no-sensitivity", help="include a sensitivity analysis")
    ] = True,
    sensitivity_model: Annotated[
        str | None,
        typer.Option(
            help="its model (default: bdm, else smp, else compromise, else the first of --model); "
            "one of: " + ", ".join(MODEL_NAMES)
        ),
    ] = None,
    sensitivity_method: Annotated[
        Literal["sobol", "morris"], typer.Option(help="sobol or morris")
    ] = "morris",
    sensitivity_output: Annotated[
        str, typer.Option(help="what it explains: agreement or issue:ID")
    ] = "agreement",
    sensitivity_n: Annotated[int | None, typer.Option(help="its base sample size", min=2)] = None,
) -> None:
    """Write a self-contained HTML report: forecast, charts, sensitivity, inputs and sources."""
    from accord.present.report import write_report
    from accord.runs.options import model_names, resolve_seed
    from accord.runs.output import HTML_SUFFIXES, check_output_path

    sc = load(scenario)
    path = output or Path(f"report-{sc.id}{'-' + variant if variant else ''}.html")
    check_output_path(path, HTML_SUFFIXES)
    names = model_names(model)
    seed = resolve_seed(seed)  # drawn here when none is given, so it can be printed
    write_report(
        sc,
        path,
        models=names,
        runs=runs,
        seed=seed,
        variant=variant,
        changes=parse_sets(set_),
        params=model_params(
            param, None, names + ([sensitivity_model] if sensitivity_model else [])
        ),
        uncertainty=uncertainty,
        sensitivity=sensitivity_,
        sensitivity_model=sensitivity_model,
        sensitivity_method=sensitivity_method,
        sensitivity_output=sensitivity_output,
        sensitivity_n=sensitivity_n,
    )
    prose(f"wrote {path} (seed {seed})")
