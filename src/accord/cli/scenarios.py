"""Commands about inputs: ``scenarios``, ``show``, ``validate``, ``schema`` and ``models``."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli import app
from accord.cli.common import load, print_json
from accord.cli.options import DEFAULT_SCENARIO, MODEL_NAMES, ScenarioArg
from accord.cli.render import Column, Grid, out, plain, prose, show
from accord.present.formats import number


@app.command(short_help="The built-in scenarios.")
def scenarios() -> None:
    """List the built-in scenarios (the ids other commands take)."""
    from accord.present.views import scenario_row
    from accord.scenario import builtin_ids

    grid = Grid(
        "Built-in scenarios",
        [
            Column("id", "key"),
            Column("title", "text"),
            Column("as of", "id"),
            Column("actors", "number"),
            Column("issues", "number"),
            Column("variants", "text"),
        ],
    )
    for sid in builtin_ids():
        row = scenario_row(load(sid))
        grid.add(
            row.id, row.title, row.as_of, row.actors, row.issues, ", ".join(row.variants) or "—"
        )
    show(grid)


@app.command("show", short_help="A scenario as an actors × issues table.")
def show_scenario(scenario: ScenarioArg = DEFAULT_SCENARIO) -> None:
    """Show a scenario as an actors × issues table (position / salience [red line]), its scales
    and its variants."""
    from accord.present.views import scale_legend, stance_rows

    sc = load(scenario)
    console = out()
    prose(f"{sc.title} ({sc.id})", style="bold")
    grid = Grid(
        "position / salience  [red line]",
        [Column("actor", "key"), Column("role", "id"), Column("cap.", "number")]
        + [Column(i.id, "number") for i in sc.issues],
    )
    for row in stance_rows(sc):
        grid.add(
            row.name, row.role, row.capability, *(c if c is not None else "·" for c in row.cells)
        )
    grid.add("status quo", "", "", *(number(i.status_quo) for i in sc.issues), style="dim")
    show(grid)
    console.print(plain("Scales", "dim"))
    for line in scale_legend(sc):
        prose(line, style="dim", indent=2, hang=2)
    if sc.variants:
        console.print(plain("Variants", "bold"))
        for v in sc.variants:
            prose(f"{v.id}: {v.title or v.rationale}", indent=2)
    if sc.models:
        console.print(plain("Model settings", "bold"))
        for name, settings in sc.models.items():
            prose(f"{name}: " + ", ".join(f"{k}={v}" for k, v in settings.items()), indent=2)


@app.command(short_help="Check a scenario or case file; every problem with its location.")
def validate(file: Annotated[str, typer.Argument(help="scenario or case file to check")]) -> None:
    """Check a scenario file (or a case file: a scenario with its real outcome) and list every
    problem with its location."""
    from accord.errors import ScenarioError
    from accord.scenario import check_file
    from accord.scenario.case import check_case_file, is_case_file

    case = is_case_file(file)
    problems = check_case_file(file) if case else check_file(file)
    if problems:
        raise ScenarioError(problems, source=file)
    out().print(
        plain("ok ", "green") + plain(f"{file}: valid {'case file' if case else 'scenario'}")
    )


@app.command(short_help="The JSON Schema of the run records.")
def schema() -> None:
    """Print the JSON Schema of the run records that --json prints (forecast, compare,
    sensitivity)."""
    from accord.runs.records import record_schema

    print_json(record_schema())


@app.command(short_help="The models, or one model's settings.")
def models(
    name: Annotated[
        str | None,
        typer.Argument(help="a model, to list its settings; one of: " + ", ".join(MODEL_NAMES)),
    ] = None,
) -> None:
    """List the models, or one model's settings with their defaults, choices and sources."""
    from accord.models import MODELS
    from accord.present.views import setting_rows
    from accord.runs.options import one_model

    if name is None:
        grid = Grid(
            "Models (accord models NAME lists a model's settings)",
            [
                Column("name", "key"),
                Column("model", "text"),
                Column("kind", "id"),
                Column("random", "text"),
            ],
        )
        for n, cls in MODELS.items():
            kind = "dynamic" if cls.dynamic else "one-shot"
            sampled = [
                f"{k}={v}" for k, vs in cls.choices.items() for v in vs if cls(**{k: v}).stochastic
            ]
            grid.add(n, cls.label, kind, ("with " + ", ".join(sampled)) if sampled else "never")
        show(grid)
        return
    cls = MODELS[one_model(name, field="model_name")]
    prose(f"{cls.name}: {cls.label}", style="bold")
    prose(cls.reference, style="dim")
    rows = setting_rows(cls)
    if not rows:
        prose("This model has no settings.")
        return
    prose(
        f"Settings (--param {cls.name}.SETTING=VALUE, or the scenario's models: section)",
        style="bold",
    )
    for r in rows:
        prose(f"{r.name}  default {r.default}", indent=2, hang=2, style="bold")
        prose(f"choices: {r.choices}", indent=4, hang=2)
        if r.description:
            prose(r.description, indent=4, hang=2)
        if r.source:
            prose(f"source: {r.source}", indent=4, hang=2, style="dim")
