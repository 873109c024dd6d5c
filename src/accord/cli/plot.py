"""``accord plot ...``: charts saved as PNG or SVG."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli import plot_app
from accord.cli.common import load, model_params, parse_sets
from accord.cli.options import (
    DEFAULT_SCENARIO,
    ImageOpt,
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

TrajectoryModelOpt = Annotated[
    str | None, typer.Option("--model", "-m", help="one dynamic model: bdm or smp (default: smp)")
]
BandsModelOpt = Annotated[
    str | None, typer.Option("--model", "-m", help="one dynamic model: bdm or smp (default: bdm)")
]


def _dynamic(name: str) -> str:
    """The model ``name``, which must move positions step by step (read from its class)."""
    from accord.errors import AccordError
    from accord.models import MODELS
    from accord.runs.options import one_model

    name = one_model(name)
    if not MODELS[name].dynamic:
        dynamic = ", ".join(n for n, c in MODELS.items() if c.dynamic)
        raise AccordError(
            f"model {name!r} is one-shot: its positions do not move",
            hint=f"use a dynamic model: {dynamic}",
            field="model",
        )
    return name


def _wrote(path, fc=None) -> None:
    """``wrote PATH``, with the seed that reproduces the chart when it came from a run."""
    seed = f" (seed {fc.seed})" if fc is not None else ""
    prose(f"wrote {path}{seed}")


@plot_app.command("trajectory", short_help="Positions turn by turn in one run of a dynamic model.")
def plot_trajectory(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: TrajectoryModelOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    param: ParamOpt = None,
    seed: SeedOpt = None,
    output: ImageOpt = None,
) -> None:
    """Each actor's position turn by turn in one run of a dynamic model (SMP, BDM)."""
    from accord.present.plots.trajectory import trajectory_plot
    from accord.runs.forecast import forecast as run_forecast
    from accord.runs.output import IMAGE_SUFFIXES, check_output_path

    name = _dynamic(model or "smp")
    sc = load(scenario)
    path = check_output_path(output or f"trajectory-{sc.id}-{name}.png", IMAGE_SUFFIXES)
    fc = run_forecast(
        sc,
        name,
        variant=variant,
        changes=parse_sets(set_),
        params=model_params(param, None, [name]),
    )
    trajectory_plot(
        fc.models[name].result,
        fc.arrays,
        path,
        actor_names=[a.name for a in fc.scenario.actors],
        issue_names=[i.name for i in fc.scenario.issues],
    )
    _wrote(path, fc)


@plot_app.command("quadrant", short_help="BDM quadrant chart from one actor's view.")
def plot_quadrant(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    actor: Annotated[str, typer.Option(help="whose perspective (an actor id)")] = ...,
    issue: Annotated[str | None, typer.Option(help="issue id (default: the first)")] = None,
    round_: Annotated[int, typer.Option("--round", min=1, help="BDM round")] = 1,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    param: ParamOpt = None,
    output: ImageOpt = None,
) -> None:
    """BDM quadrant chart: the actor's expected utility against each other actor's."""
    from accord.errors import AccordError
    from accord.present.plots.quadrant import quadrant_chart
    from accord.runs.forecast import forecast as run_forecast
    from accord.runs.options import merge_params
    from accord.runs.output import IMAGE_SUFFIXES, check_output_path

    sc = load(scenario)
    chosen = sc.issue(issue) if issue else sc.issues[0]
    if chosen.id not in sc.actor(actor).stances:  # (an unknown actor id is a clear error too)
        raise AccordError(
            f"actor {actor!r} has no stance on {chosen.id!r}: it plays no part in that issue's game",
            hint="choose an issue it has a stance on: " + ", ".join(sc.actor(actor).stances),
        )
    k = sc.issues.index(chosen)
    path = check_output_path(output or f"quadrant-{sc.id}-{actor}.png", IMAGE_SUFFIXES)
    fc = run_forecast(
        sc,
        ["bdm"],
        variant=variant,
        changes=parse_sets(set_),
        params=merge_params(
            model_params(param, None, ["bdm"]),
            {"bdm": {"rounds": max(round_, 1), "record_dyads": True}},
        ),
    )
    quadrant_chart(
        fc.models["bdm"].result,
        fc.arrays,
        actor,
        path,
        round=round_,
        issue=k,
        actor_names=[a.name for a in fc.scenario.actors],
    )
    _wrote(path, fc)


def _chart_forecast(sc, model, runs, seed, variant, set_, param, uncertainty, names=None):
    from accord.runs.forecast import forecast as run_forecast
    from accord.runs.options import model_names

    names = names or model_names(model)
    return run_forecast(
        sc,
        names,
        variant=variant,
        changes=parse_sets(set_),
        params=model_params(param, None, names),
        runs=runs,
        seed=seed,
        uncertainty=uncertainty,
    )


@plot_app.command("distributions", short_help="Each issue's outcome distribution per model.")
def plot_distributions(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: ModelsOpt = "all",
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    param: ParamOpt = None,
    uncertainty: UncertaintyOpt = "default",
    output: ImageOpt = None,
) -> None:
    """Histograms of each issue's predicted outcome, with the status quo and the principals marked."""
    from accord.present.plots.distributions import distributions_chart
    from accord.present.report import outcome_histograms
    from accord.runs.output import IMAGE_SUFFIXES, check_output_path

    sc = load(scenario)
    path = check_output_path(output or f"distributions-{sc.id}.png", IMAGE_SUFFIXES)
    fc = _chart_forecast(sc, model, runs, seed, variant, set_, param, uncertainty)
    distributions_chart(fc.scenario, outcome_histograms(fc.record), path)
    _wrote(path, fc)


@plot_app.command("agreement", short_help="Agreement, stalemate and escalation shares per model.")
def plot_agreement(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: ModelsOpt = "all",
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    param: ParamOpt = None,
    uncertainty: UncertaintyOpt = "default",
    output: ImageOpt = None,
) -> None:
    """Agreement / stalemate / escalation shares per model, as stacked bars."""
    from accord.present.plots.agreement import agreement_chart
    from accord.runs.output import IMAGE_SUFFIXES, check_output_path

    sc = load(scenario)
    path = check_output_path(output or f"agreement-{sc.id}.png", IMAGE_SUFFIXES)
    fc = _chart_forecast(sc, model, runs, seed, variant, set_, param, uncertainty)
    agreement_chart(
        {m.name: m.probabilities for m in fc.models.values()},
        path,
        labels={m.name: m.label for m in fc.models.values()},
        runs=fc.draws if fc.draws > 1 else None,
    )
    _wrote(path, fc)


@plot_app.command("zone")
def plot_zone(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    output: ImageOpt = None,
) -> None:
    """The zone of agreement per issue: each decider's red lines, the zone, the mediator's package."""
    from accord.present.plots.zone import zone_chart
    from accord.runs.dealspace import analyse_run
    from accord.runs.forecast import prepare
    from accord.runs.options import resolve_seed
    from accord.runs.output import IMAGE_SUFFIXES, check_output_path
    from accord.uncertainty import resolve_uncertainty

    sc = load(scenario)
    path = check_output_path(output or f"zone-{sc.id}.png", IMAGE_SUFFIXES)
    version = prepare(sc, variant=variant, changes=parse_sets(set_)).scenario
    unc = resolve_uncertainty(None) if runs > 1 else None
    seed = resolve_seed(seed)
    deal = analyse_run(version, runs=runs, seed=seed, uncertainty=unc)
    zone_chart(version, deal.record, path)
    prose(f"wrote {path} (seed {seed})")


@plot_app.command("bands", short_help="Positions over the rounds: median and 80% band.")
def plot_bands(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: BandsModelOpt = None,
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    param: ParamOpt = None,
    uncertainty: UncertaintyOpt = "default",
    output: ImageOpt = None,
) -> None:
    """Each actor's position over the rounds: the median with the band holding 80% of the draws."""
    from accord.present.plots._figure import save
    from accord.present.report import bands_figure_for
    from accord.runs.output import IMAGE_SUFFIXES, check_output_path

    name = _dynamic(model or "bdm")
    sc = load(scenario)
    path = check_output_path(output or f"bands-{sc.id}-{name}.png", IMAGE_SUFFIXES)
    fc = _chart_forecast(sc, name, runs, seed, variant, set_, param, uncertainty, names=[name])
    save(bands_figure_for(fc.record, fc.scenario, name), path)
    _wrote(path, fc)
