"""``accord forecast``: where each issue lands, and whether the deciders agree."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli import app
from accord.cli.common import load, model_params, parse_sets, print_json
from accord.cli.options import (
    DEFAULT_SCENARIO,
    AddressOpt,
    AsOfOpt,
    DbOpt,
    EngineOpt,
    JsonOpt,
    ModelsOpt,
    ParamOpt,
    RoundsOpt,
    ScenarioArg,
    SeedOpt,
    SetOpt,
    UncertaintyOpt,
    VariantOpt,
    VerboseOpt,
    WorkersOpt,
)
from accord.cli.progress import ProgressBar, report_interrupted
from accord.cli.render import Column, Grid, err, out, plain, prose, show
from accord.present.formats import plural


@app.command(short_help="Where each issue lands, and whether the deciders agree.")
def forecast(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: ModelsOpt = "all",
    variant: VariantOpt = None,
    set_: SetOpt = None,
    param: ParamOpt = None,
    rounds: RoundsOpt = None,
    as_json: JsonOpt = False,
    runs: Annotated[
        int,
        typer.Option(help="draws of the uncertain inputs (1: the scenario's own numbers)", min=1),
    ] = 1,
    seed: SeedOpt = None,
    engine: EngineOpt = "local",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
    uncertainty: UncertaintyOpt = "default",
    verbose: VerboseOpt = False,
    as_of: AsOfOpt = None,
    save: Annotated[
        bool | None,
        typer.Option(
            "--save/--no-save",
            help="keep the run in the run store (`accord runs`); default: $ACCORD_SAVE",
        ),
    ] = None,
    db: DbOpt = None,
    draws: Annotated[
        bool,
        typer.Option("--draws", help="with --save: also keep every draw's outputs (Parquet files)"),
    ] = False,
) -> None:
    """Forecast where each issue lands, and whether the deciders agree.

    With --runs N the uncertain inputs are drawn N times (docs/uncertainty.md) and every number
    comes with its distribution: the median and 80% interval per issue, the probabilities of
    agreement, stalemate and escalation, who blocks and in what share of draws. With --as-of the
    scenario's dated version of that day is forecast; --save keeps the run (`accord runs`).
    """
    from accord.runs.options import model_names

    sc = load(scenario)
    names = model_names(model)
    params = model_params(param, rounds, names)
    from accord.cli.runs import Keeper

    with (
        Keeper(save, db, draws) as keeper,
        ProgressBar(f"{runs:,} draws × {len(names)} model(s)", enabled=runs > 1) as bar,
    ):
        fc = keeper.forecast(
            sc,
            names,
            source=scenario,
            variant=variant,
            changes=parse_sets(set_),
            as_of=as_of,
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
        print_json(fc.to_json())
    elif runs > 1:
        render_monte_carlo(fc)
    else:
        render_point(fc, narrate=len(names) == 1, verbose=verbose)
    if verbose and not as_json and (runs > 1 or len(names) != 1):
        prose(
            "note: --verbose tells one dynamic model's run; run one model (-m bdm or -m smp) "
            "without --runs",
            console=err(),
            style="yellow",
        )
    keeper.report(to_stderr=as_json)
    if fc.interrupted:
        report_interrupted(fc.draws, fc.runs)
        raise typer.Exit(130)


def render_header(fc) -> None:
    """Title, date, size, seed, and the what-if applied (with any adjustment it made)."""
    from accord.present.views import settings_lines, whatif_lines

    sc, record = fc.scenario, fc.record
    title = sc.title + (f"  [variant: {fc.variant}]" if fc.variant else "")
    prose(title, style="bold")
    facts = [f"as of {sc.as_of.isoformat()}"] if sc.as_of else []
    facts += [plural(len(sc.actors), "actor"), plural(len(sc.issues), "issue"), f"seed {fc.seed}"]
    prose(" · ".join(facts))
    for line in settings_lines(record):
        prose(line, hang=2)
    for line in whatif_lines(record.scenario):
        prose(line, style=None if not line.startswith("what-if") else "dim")


def scale_legend(sc) -> None:
    from accord.present.views import scale_legend as legend

    out().print(plain("Scales", "dim"))
    for line in legend(sc):
        prose(line, style="dim", indent=2)


def render_point(fc, narrate: bool = False, verbose: bool = False) -> None:
    """One run on the scenario's own numbers: outcomes, agreement, and a dynamic model's account."""
    from accord.present.narration import for_record
    from accord.present.views import agreement_rows, deciders, issue_rows

    sc, record = fc.scenario, fc.record
    render_header(fc)
    names = [m.name for m in record.results.models]
    grid = Grid(
        "Predicted outcome per issue (on each issue's scale)",
        [Column("issue", "key"), Column("status quo", "number")]
        + [Column(n, "number") for n in names],
    )
    for row in issue_rows(record, sc):
        grid.add(row.name, row.status_quo, *(c.point for c in row.cells))
    show(grid)
    scale_legend(sc)

    agree = Grid(
        f"Agreement analysis (deciders: {', '.join(deciders(record, sc))})",
        [Column("model", "key"), Column("result", "id"), Column("who blocks, and why", "text")],
    )
    for row in agreement_rows(record, sc, top=10):
        why = "; ".join(row.blockers) + (
            f"; and {row.more_blockers} more" if row.more_blockers else ""
        )
        agree.add(row.model, plain(row.status, row.status), why or "—")
    show(agree)
    prose(
        "A decider accepts when the outcome is inside all its red lines and worth at least its "
        "outside option; see docs/outcome.md.",
        style="dim",
    )
    render_deal(fc)
    if not narrate:
        return
    specs = {s.name: s for s in record.models}
    for mr in record.results.models:
        acc = for_record(mr, specs[mr.name], sc)
        if acc is None:
            continue
        out().print()
        out().print(plain(f"{specs[mr.name].label}: {acc.title}", "bold"))
        for line in acc.summary:
            prose(line, indent=2)
        if verbose and acc.detail:
            out().print()
            for line in acc.detail:
                prose(line, indent=2)
        elif acc.detail:
            prose("(--verbose tells every round)", style="dim", indent=2)


def render_monte_carlo(fc) -> None:
    """Distributions over the draws: issues (median [80%]), probabilities, blockers, utilities."""
    from accord.present import formats
    from accord.present.views import agreement_rows, issue_rows, uncertainty_text, utility_rows

    sc, record = fc.scenario, fc.record
    render_header(fc)
    prose(f"{fc.draws:,} draws · uncertainty: {uncertainty_text(record.uncertainty)}")
    names = [m.name for m in record.results.models]
    grid = Grid(
        "Outcome per issue: median [80% interval] over the draws",
        [Column("issue", "key"), Column("status quo", "number")]
        + [Column(n, "number") for n in names],
    )
    for row in issue_rows(record, sc):
        grid.add(row.name, row.status_quo, *(c.estimate for c in row.cells))
    show(grid)
    scale_legend(sc)

    agree = Grid(
        "Agreement over the draws",
        [
            Column("model", "key"),
            Column("agreement", "number"),
            Column("stalemate", "number"),
            Column("escalation", "number"),
            Column("who blocks (share of draws)", "text"),
        ],
    )
    for row in agreement_rows(record, sc, top=3):
        p = row.probabilities
        why = "; ".join(row.blockers) + (
            f"; and {row.more_blockers} more" if row.more_blockers else ""
        )
        agree.add(row.model, p["agreement"], p["stalemate"], p["escalation"], why or "—")
    show(agree)
    render_deal(fc)

    util = Grid(
        "Each actor's utility of the outcome (0–1): median [80% interval]",
        [Column("actor", "key")] + [Column(n, "number") for n in names],
    )
    for row in utility_rows(record, sc):
        util.add(row.name + (" (decides)" if row.decider else ""), *(c.estimate for c in row.cells))
    show(util)
    where = _where_text(fc)
    prose(
        f"{formats.fixed(fc.seconds, 1)} s ({where}). Same seed, same numbers, whatever the "
        "workers or engine.",
        style="dim",
    )


def render_deal(fc) -> None:
    """The deal space: the one-sentence answer first, what decides escalation, then the zone."""
    from accord.present import deal as words

    deal = fc.record.results.deal
    if deal is None:
        prose("Deal space: not analysed (the run was interrupted).", style="dim")
        return
    sc = fc.scenario
    console = out()
    console.print()
    console.print(plain(words.question(deal), "bold"))
    prose(words.headline(deal, sc), indent=2)
    for line in words.escalation_lines(deal, sc):
        prose(line, indent=2)
    trust = words.trust_line(deal, sc)
    if trust:
        prose(trust, indent=2, style="dim")
    if deal.issues and deal.probability < words.ZONE_SHARE and deal.draws > 1:
        prose("(A zone exists in too few draws to describe its extent.)", style="dim", indent=2)
    elif deal.issues:
        grid = Grid(
            words.zone_title(deal, sc),
            [Column("issue", "key"), Column("zone", "number"), Column("package", "number")]
            + [
                Column(h, "number" if h != "red lines" else "text")
                for h in words.red_line_columns(deal, sc)
            ],
        )
        for row in words.zone_rows(deal, sc):
            grid.add(row.name, row.zone, row.package, *row.red_lines)
        show(grid)
        for line in words.package_lines(deal, sc):
            prose(line, indent=2)
    if deal.probability < 1:
        ref = sc.id if fc.record.scenario.variant is None else f"{sc.id} --variant {fc.variant}"
        prose(
            f"What would open a zone: accord concessions {ref}. The rule: docs/deal.md.",
            style="dim",
            indent=2,
        )


def _where_text(fc) -> str:
    """What ran the draws, e.g. "local, 1 chunk on 1 worker" (one chunk never runs in parallel)."""
    chunks = -(-fc.runs // fc.chunk_size) if fc.chunk_size else 1
    used = max(min(fc.workers, chunks), 1)
    text = f"{fc.engine}, {chunks:,} chunk{'s' if chunks != 1 else ''} on {used} worker"
    text += "s" if used != 1 else ""
    if fc.engine == "dask" and fc.workers > used:
        text += f" of {fc.workers}"
    return text
