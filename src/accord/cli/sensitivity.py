"""``accord sensitivity``: which inputs move the forecast."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from accord.cli import app
from accord.cli.common import load, model_params, parse_sets, print_json
from accord.cli.options import (
    DEFAULT_SCENARIO,
    MODEL_NAMES,
    JsonOpt,
    ParamOpt,
    ScenarioArg,
    SeedOpt,
    SetOpt,
    UncertaintyOpt,
    VariantOpt,
)
from accord.cli.render import Column, Grid, err, plain, prose, show


def default_model() -> str:
    from accord.models import MODELS

    return "bdm" if "bdm" in MODELS else "compromise"


@app.command(short_help="Which inputs move the forecast (Sobol' or Morris).")
def sensitivity(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", "-m", help="one model (default: bdm); models: " + ", ".join(MODEL_NAMES)
        ),
    ] = None,
    method: Annotated[
        Literal["sobol", "morris"],
        typer.Option(help="sobol (variance shares) or morris (elementary effects, cheaper)"),
    ] = "sobol",
    output: Annotated[
        str,
        typer.Option(
            "--output", help="what to explain: agreement (the agreement margin) or issue:ID"
        ),
    ] = "agreement",
    input_: Annotated[
        list[str] | None,
        typer.Option(
            "--input",
            "-i",
            help="an input to vary: PATH, PATH=[LO,HI] or a pattern like 'actors.us.*'; repeatable "
            "(default: every position, salience, capability and outside-option value)",
        ),
    ] = None,
    n: Annotated[
        int | None,
        typer.Option(
            "--n",
            min=2,
            help="base sample: Sobol' N (power of 2; N·(k+2) runs, default 256) or Morris "
            "trajectories (default 50)",
        ),
    ] = None,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    param: ParamOpt = None,
    uncertainty: UncertaintyOpt = "default",
    top: Annotated[int, typer.Option(help="inputs to show", min=1)] = 20,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="also save the chart (.png or .svg)")
    ] = None,
    kind: Annotated[
        Literal["bar", "tornado"],
        typer.Option(help="chart: bar (indices) or tornado (one input at a time)"),
    ] = "bar",
    as_json: JsonOpt = False,
) -> None:
    """Which inputs move the forecast: Sobol' or Morris sensitivity, inputs ranked by influence."""
    from accord.runs.options import one_model
    from accord.runs.output import IMAGE_SUFFIXES, check_output_path
    from accord.runs.sensitivity import parse_input
    from accord.runs.sensitivity import sensitivity as run_sensitivity

    if plot is not None:
        check_output_path(plot, IMAGE_SUFFIXES)
    name = one_model(model) if model else default_model()
    params = model_params(param, None, [name])
    parsed = [parse_input(item) for item in input_ or []]
    paths = [p for p, _ in parsed]
    bounds = {p: b for p, b in parsed if b is not None}
    res = run_sensitivity(
        load(scenario),
        name,
        method=method,  # type: ignore[arg-type]
        output=output,
        inputs=paths or None,
        bounds=bounds,
        n=n,
        seed=seed,
        params=params,
        uncertainty=uncertainty,
        variant=variant,
        changes=parse_sets(set_),
    )
    if plot is not None:
        from accord.present.plots.sensitivity import sensitivity_chart

        sensitivity_chart(res, plot, kind=kind, top=top)
    if as_json:
        print_json(res.to_json())
    else:
        render_sensitivity(res, top)
    if plot is not None:
        err().print(plain(f"wrote {plot}"))


def render_sensitivity(res, top: int = 20) -> None:
    from accord.present.views import effect_headers, effect_rows, whatif_lines

    record = res.record
    results = record.results
    sobol = results.method == "sobol"
    count = len(results.effects)
    prose(
        f"Sensitivity of {results.output} under {res.model} "
        f"({'Sobol' if sobol else 'Morris'}): {count} input{'s' if count != 1 else ''}, "
        f"{results.evaluations:,} runs, seed {record.seed}",
        style="bold",
    )
    for line in whatif_lines(record.scenario):
        prose(line)
    first, second = effect_headers(results.method)
    grid = Grid(
        "",
        [
            Column("#", "key"),
            Column("input", "key"),
            Column("interval", "number"),
            Column(first, "number"),
            Column(second, "number"),
            Column("at low / high", "number"),
        ],
    )
    for row in effect_rows(results, top):
        grid.add(row.rank, row.name, row.interval, row.first, row.second, row.swing)
    show(grid)
    if count > top:
        prose(f"and {count - top} more (--top to show them)", style="dim")
    for note in results.notes:
        prose("note: " + note, style="yellow")
    what = (
        "the agreement margin (the tightest decider's surplus; ≥ 0 when every decider accepts)"
        if results.output == "agreement"
        else results.output
    )
    from accord.present.formats import general

    prose(
        f"Output: {what}; {general(results.output_mean)} ± {general(results.output_std)} over "
        f"the sample, {general(results.base_output)} on the scenario's numbers. See "
        "docs/sensitivity.md.",
        style="dim",
    )
