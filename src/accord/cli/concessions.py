"""``accord concessions``: what it would take to open a zone of agreement."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli import app
from accord.cli.common import load, parse_sets, print_json
from accord.cli.options import (
    DEFAULT_SCENARIO,
    JsonOpt,
    ScenarioArg,
    SeedOpt,
    SetOpt,
    UncertaintyOpt,
    VariantOpt,
)
from accord.cli.progress import ProgressBar
from accord.cli.render import Column, Grid, out, plain, prose, show


@app.command()
def concessions(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    runs: Annotated[
        int, typer.Option(help="draws of the uncertain inputs, the same for every change", min=1)
    ] = 2000,
    seed: SeedOpt = None,
    uncertainty: UncertaintyOpt = "default",
    top: Annotated[int, typer.Option(help="changes listed per table", min=1)] = 8,
    as_json: JsonOpt = False,
) -> None:
    """What it would take to open a zone of agreement: the smallest concessions, ranked.

    For every red-line end, outside option and trust of the deciders: how far it must move, draw
    by draw, for a package every decider accepts to exist, and what that costs the side that
    concedes; then pairs of changes, one per side. Every share is computed on the same draws
    (common random numbers). The method: docs/deal.md.
    """
    from accord.runs.concessions import concessions as run_concessions

    sc = load(scenario)
    with ProgressBar(f"{runs:,} draws", enabled=runs > 1) as bar:
        res = run_concessions(
            sc,
            variant=variant,
            changes=parse_sets(set_),
            runs=runs,
            seed=seed,
            uncertainty=uncertainty,
            progress=bar,
        )
    if as_json:
        print_json(res.to_json())
    else:
        render_concessions(res, top)


def render_concessions(res, top: int = 8) -> None:
    from accord.cli.forecast import render_header
    from accord.present import deal as words
    from accord.present import formats as f
    from accord.present.views import uncertainty_text

    sc, record = res.scenario, res.record
    r = record.results
    mc = record.draws > 1
    render_header(res)
    if mc:
        prose(f"{res.draws:,} draws · uncertainty: {uncertainty_text(record.uncertainty)}")
    console = out()
    console.print()
    console.print(plain(words.question(r.deal), "bold"))
    prose(words.headline(r.deal, sc), indent=2)
    if r.deal.probability >= 1:
        prose("Nothing needs to move.", indent=2)
        return
    for title, items, which in (
        ("What it would take: one change alone", r.singles, "single"),
        ("What it would take: a pair of changes, one per side", r.pairs, "pair"),
    ):
        if not items:
            prose(f"{title}: no such change opens a zone in any draw.", indent=2)
            continue
        grid = Grid(
            title + (" (moves: median [80%] over the draws it opens)" if mc else ""),
            [
                Column("#", "number"),
                Column("change", "text"),
                Column("to (moved by)", "text"),
                Column("opens a zone", "number"),
                Column("at the median move", "number"),
                Column("cost", "number"),
            ],
        )
        for row in words.concession_rows(items, sc, mc, top):
            grid.add(row.rank, row.what, row.move, row.opens, row.at_median, row.cost)
        show(grid)
        if len(items) > top:
            prose(f"and {len(items) - top} more (--top, --json)", style="dim", indent=2)
        prose(words.cheapest_line(r, sc, which), indent=2)
    prose(
        f"Every share is on the same {f.count(record.draws)} draw{'s' if mc else ''} (common "
        "random numbers). 'Opens a zone': the share of draws with a package every decider accepts "
        "once the change goes as far as each draw needs; 'at the median move': once the median "
        "move is made in every draw. Cost: the value (0–1) the conceding side gives up — its "
        "weight on the issue times the move, or the outside-option value it forgoes "
        "(docs/deal.md).",
        style="dim",
    )
