"""``accord compare``: what-ifs side by side with the base scenario, on the same random draws."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli import app
from accord.cli.common import load, model_params, parse_sets, print_json
from accord.cli.options import (
    DEFAULT_SCENARIO,
    AddressOpt,
    EngineOpt,
    JsonOpt,
    ModelsOpt,
    ParamOpt,
    RoundsOpt,
    ScenarioArg,
    SeedOpt,
    UncertaintyOpt,
    WorkersOpt,
)
from accord.cli.progress import ProgressBar, report_interrupted
from accord.cli.render import Column, Grid, out, plain, prose, show


@app.command(short_help="What-ifs against the base scenario, on the same draws.")
def compare(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    variants: Annotated[
        str | None,
        typer.Option(
            help="comma-separated variant ids (default: all the scenario's); base is the reference"
        ),
    ] = None,
    model: ModelsOpt = "all",
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="PATH=VALUE change to the base, repeatable")
    ] = None,
    param: ParamOpt = None,
    rounds: RoundsOpt = None,
    runs: Annotated[
        int, typer.Option(help="draws of the uncertain inputs, the same for every column", min=1)
    ] = 1000,
    seed: SeedOpt = None,
    engine: EngineOpt = "local",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
    uncertainty: UncertaintyOpt = "default",
    as_json: JsonOpt = False,
) -> None:
    """Compare what-ifs with the base scenario, side by side, on the same random draws.

    Every column sees the same draws of the random inputs (common random numbers), so a delta is
    the variant's effect, not noise; each variant's `expect` is checked (✓ / ✗).
    """
    from accord.runs.compare import compare as run_compare
    from accord.runs.options import model_names

    sc = load(scenario)
    names = model_names(model)
    params = model_params(param, rounds, names)
    wanted = [v.strip() for v in variants.split(",") if v.strip()] if variants else None
    n_cols = 1 + (len(wanted) if wanted is not None else len(sc.variants))
    with ProgressBar(
        f"{runs:,} draws × {n_cols} columns × {len(names)} model(s)", enabled=runs > 1
    ) as bar:
        cmp = run_compare(
            sc,
            wanted,
            names,
            changes=parse_sets(set_),
            params=params,
            runs=runs,
            seed=seed,
            engine=engine,
            workers=workers,
            address=address,
            progress=bar,
            uncertainty=uncertainty,
        )
    if as_json:
        print_json(cmp.to_json())
    else:
        render_compare(cmp)
    if cmp.interrupted:
        report_interrupted(cmp.draws, cmp.runs)
        raise typer.Exit(130)


def render_compare(cmp) -> None:
    """One table per model: the base column, then each variant's deltas with 80% intervals."""
    from accord.present.views import compare_rows, uncertainty_text, whatif_lines

    sc, record = cmp.scenario, cmp.record
    console = out()
    console.print(plain(f"{sc.title}: base and what-ifs on the same draws", "bold"))
    for line in whatif_lines(record.scenario):
        prose(line)
    prose(
        f"{cmp.draws:,} draws · seed {cmp.seed} · uncertainty: "
        f"{uncertainty_text(record.uncertainty)}"
    )
    for col in record.results.columns:
        if col.id != "base":
            prose(f"{col.id}: {col.title}", indent=2)
    for m in record.results.models:
        grid = Grid(
            f"{m.name}: {m.label}",
            [Column("", "key"), Column("base", "number")]
            + [Column(c.id, "number") for c in record.results.columns[1:]],
        )
        for row in compare_rows(record, sc, m.name):
            cells = [
                plain(text, style)
                for text, style in zip(
                    row.cells, row.styles or [None] * len(row.cells), strict=False
                )
            ]
            grid.add(row.label, row.base, *cells, style=row.emphasis)
        show(grid)
    prose(
        "Δ = variant − base. Issues: change of the median, [80% interval of the per-draw "
        "change]. Probabilities: change in points, [80% Monte Carlo interval]. A probability stuck "
        "at 0 or 1 is judged by the deal margin; issues by their mean (docs/uncertainty.md).",
        style="dim",
    )
