"""``accord history``: how the forecast moved across a scenario's dated versions."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli import app
from accord.cli.common import model_params, print_json
from accord.cli.options import (
    DEFAULT_SCENARIO,
    AddressOpt,
    DbOpt,
    EngineOpt,
    ImageOpt,
    JsonOpt,
    ModelsOpt,
    ParamOpt,
    ScenarioArg,
    SeedOpt,
    UncertaintyOpt,
    WorkersOpt,
)
from accord.cli.render import Column, Grid, err, out, plain, prose, show


@app.command(short_help="How the forecast moved across a scenario's dated versions.")
def history(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: ModelsOpt = "all",
    param: ParamOpt = None,
    runs: Annotated[
        int,
        typer.Option(help="draws of the uncertain inputs per version (the same for each)", min=2),
    ] = 1000,
    seed: SeedOpt = None,
    uncertainty: UncertaintyOpt = "default",
    engine: EngineOpt = "local",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
    db: DbOpt = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save/--no-save", help="keep the forecasts run now in the store (default: keep)"
        ),
    ] = True,
    rerun: Annotated[
        bool, typer.Option("--rerun", help="run every version again, even if a stored run matches")
    ] = False,
    output: ImageOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Each issue's forecast and the probabilities of agreement and escalation at every dated
    version of the scenario (its `updates`), as a table and a chart.

    A version's forecast is read from the store when one of exactly that version, with the same
    models, draws and uncertainty (and seed, when given), is kept there; otherwise it is run now,
    with one seed for every version, so the versions differ by the news, not by sampling noise.
    """
    from accord.cli.common import load
    from accord.cli.progress import ProgressBar
    from accord.cli.runs import open_store
    from accord.present.plots.history import history_chart
    from accord.runs.history import history as run_history
    from accord.runs.history import zone_probability
    from accord.runs.options import model_names
    from accord.runs.output import IMAGE_SUFFIXES, check_output_path

    sc = load(scenario)
    names = model_names(model)
    params = model_params(param, None, names)
    path = check_output_path(output or f"history-{sc.id}.png", IMAGE_SUFFIXES)
    n_versions = 1 + len(sc.updates)
    store = open_store(db)
    try:
        with ProgressBar(f"{n_versions} versions × {runs:,} draws", enabled=True) as bar:

            def step(k: int, n: int, version) -> None:
                if bar is not None:
                    bar(k, n)

            h = run_history(
                sc,
                names,
                runs=runs,
                seed=seed,
                uncertainty=uncertainty,
                store=store,
                save=save,
                rerun=rerun,
                params=params,
                engine=engine,
                workers=workers,
                address=address,
                progress=step,
                source=scenario,
            )
    finally:
        store.close()
    points = [(p.version.as_of, p.version.title, p.record) for p in h.points]
    zone = [{m: zone_probability(p.record) for m in names} for p in h.points]
    history_chart(sc, points, path, zone=zone)
    if as_json:
        print_json(h.to_json())
        err().print(plain(f"wrote {path}"))
        return
    render_history(h, points, zone)
    prose(f"Chart: {path}", style="bold")


def render_history(h, points, zone) -> None:
    from accord.present.views import history_rows

    sc = h.scenario
    console = out()
    console.print(plain(f"{sc.title}: the forecast at each dated version", "bold"))
    prose(
        f"{len(h.points)} versions · {h.runs:,} draws each · seed {h.seed} for every version · "
        f"store: {h.store or 'none'}"
    )
    versions = Grid(
        "Dated versions (each: the scenario with every update up to its date)",
        [
            Column("as of", "id"),
            Column("what happened", "text"),
            Column("changes", "number"),
            Column("forecast", "text"),
        ],
    )
    for p in h.points:
        v = p.version
        own = len(v.update.set) if v.update is not None else 0
        if p.reused:
            where = f"stored run {p.run_id}"
        elif p.run_id is not None:
            where = f"new run {p.run_id}"
        else:
            where = "new, not kept"
        versions.add(v.label, v.title, str(own), where)
    show(versions)
    if len(h.points) == 1 and not h.points[0].record.interrupted:
        prose(
            f"{sc.id} has no dated versions yet: add `updates:` to it "
            "(docs/scenario-format.md#dated-versions-updates).",
            style="yellow",
        )
    has_zone = any(z is not None for row in zone for z in row.values())
    for m in h.models:
        cols = [Column("as of", "key")] + [Column(i.id, "number") for i in sc.issues]
        cols += [Column("P(agreement)", "number"), Column("P(escalation)", "number")]
        if has_zone:
            cols.append(Column("P(zone)", "number"))
        label = next(s.label for s in h.points[0].record.models if s.name == m)
        grid = Grid(f"{m}: {label} — median [80% interval] per issue", cols)
        for row in history_rows(points, sc, m):
            cells = [row.as_of, *row.cells, row.agreement, row.escalation]
            if has_zone:
                cells.append(row.zone)
            grid.add(*cells)
        show(grid)
    legend = "; ".join(f"{i.id} = {i.name}" for i in sc.issues)
    prose(f"Issues: {legend}. Scales: `accord show {sc.id}`.", style="dim")
    if not has_zone:
        prose(
            "P(zone of agreement) appears here once the records carry the deal-space analysis.",
            style="dim",
        )
    if h.points and h.points[-1].record.interrupted:
        err().print(
            plain("interrupted: the versions after the last one shown did not run", "yellow")
        )
        raise typer.Exit(130)


__all__ = ["history"]
