"""``accord backtest``: score models on real cases with known outcomes — a DEU-format file
(``accord backtest deu FILE``) or case files (``accord backtest cases [CASE ...]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from accord.cli import HELP_OPTIONS, app
from accord.cli.common import model_params, print_json
from accord.cli.options import JsonOpt, ModelsOpt, ParamOpt, SeedOpt
from accord.cli.progress import ProgressBar
from accord.cli.render import Column, Grid, prose, show

backtest_app = typer.Typer(
    help="Score models on real cases with known outcomes: a DEU-format file or case files.",
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
    rich_markup_mode=None,
)
app.add_typer(backtest_app, name="backtest", short_help="Score models on real outcomes.")

EnsembleOpt = Annotated[
    Literal["cv", "shipped"],
    typer.Option(
        help="score the ensemble by grouped cross-validation (weights refitted inside each "
        "training fold) or with its shipped weights"
    ),
]
FoldsOpt = Annotated[int, typer.Option(help="folds of the grouped cross-validation", min=2)]
RepeatsOpt = Annotated[int, typer.Option(help="repetitions of the random fold split", min=1)]
BootstrapOpt = Annotated[
    int, typer.Option(help="resamples of whole groups behind each 95% interval", min=0)
]
WithinOpt = Annotated[float, typer.Option(help="the 'within N points' threshold", min=0)]
RunsOpt = Annotated[
    int, typer.Option(help="draws per case for the probability of agreement (1: point run)", min=1)
]
PerCaseOpt = Annotated[bool, typer.Option("--per-case", help="also print every case's forecasts")]
ChartOpt = Annotated[
    Path | None,
    typer.Option("--chart", help="write a predicted-against-actual chart (.png or .svg)"),
]


@backtest_app.command("deu", short_help="Score models on a DEU-format file of EU decisions.")
def deu(
    file: Annotated[str, typer.Argument(help="a DEU-format CSV file (e.g. the dev split)")],
    model: ModelsOpt = "all",
    capability: Annotated[
        Literal["nice", "period", "shapley_shubik", "banzhaf"],
        typer.Option(
            help="member states' capability: Nice votes whatever the period (nice), the votes of "
            "the proposal's treaty period (period), or the exact power index of that period's "
            "qualified-majority game"
        ),
    ] = "nice",
    commission_weight: Annotated[
        float,
        typer.Option(
            help="the Commission's capability, times the mean of the issue's members", min=0
        ),
    ] = 1.0,
    parliament_weight: Annotated[
        float,
        typer.Option(
            help="the Parliament's capability, times the mean of the issue's members", min=0
        ),
    ] = 1.0,
    institutions: Annotated[
        Literal["both", "formal"],
        typer.Option(
            help="both: the Commission and the Parliament weigh in on every issue; formal: only "
            "where the procedure gives them a say (no Parliament under CNS, no Commission under COD)"
        ),
    ] = "both",
    status_quo: Annotated[
        Literal["reference", "midpoint"],
        typer.Option(help="the reference point (50 where none is given), or always 50"),
    ] = "reference",
    missing_salience: Annotated[
        Literal["50", "mean", "drop"],
        typer.Option(help="a missing salience: 50, the issue's mean, or drop the actor"),
    ] = "50",
    param: ParamOpt = None,
    ensemble: EnsembleOpt = "cv",
    folds: FoldsOpt = 5,
    repeats: RepeatsOpt = 10,
    bootstrap: BootstrapOpt = 2000,
    within: WithinOpt = 10.0,
    runs: RunsOpt = 1,
    seed: SeedOpt = None,
    per_case: PerCaseOpt = False,
    chart: ChartOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Backtest on a DEU-format file: one scenario per issue, scored against its outcome.

    Prints MAE, median absolute error and the share within 10 points for two baselines (the
    salience-weighted mean and the status quo) and each model, with 95% intervals from resampling
    whole proposals; the change of MAE from the weighted mean; the breakdown by procedure and
    rule; and how each model's probability of agreement fared (docs/accuracy.md).
    """
    from accord.runs.backtest import backtest_deu
    from accord.runs.options import model_names

    _check_chart(chart)
    names = model_names(model)
    options = {
        "capability": capability,
        "commission_weight": commission_weight,
        "parliament_weight": parliament_weight,
        "institutions": institutions,
        "status_quo": status_quo,
        "missing_salience": missing_salience,
    }
    with ProgressBar(f"{len(names)} model(s) on every issue", enabled=True) as bar:
        bt = backtest_deu(
            file,
            names,
            options=options,
            params=model_params(param, None, names),
            ensemble=ensemble,
            folds=folds,
            repeats=repeats,
            bootstrap=bootstrap,
            within=within,
            runs=runs,
            seed=seed,
            progress=bar,
        )
    _finish(bt, per_case, chart, as_json, keys=("procedure", "rule", "period"))


@backtest_app.command("cases", short_help="Score models on case files with known outcomes.")
def cases(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="case files or built-in case ids (default: every built-in case)"),
    ] = None,
    model: ModelsOpt = "all",
    param: ParamOpt = None,
    ensemble: EnsembleOpt = "shipped",
    folds: FoldsOpt = 5,
    repeats: RepeatsOpt = 10,
    bootstrap: BootstrapOpt = 2000,
    within: WithinOpt = 10.0,
    runs: RunsOpt = 1,
    seed: SeedOpt = None,
    per_case: PerCaseOpt = True,
    chart: ChartOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Backtest on case files: scenarios with their real outcome (docs/scenario-format.md, case
    files). The built-in cases are the Muscat talks and the EC car-emission standards."""
    from accord.runs.backtest import backtest_cases
    from accord.runs.options import model_names

    _check_chart(chart)
    names = model_names(model)
    bt = backtest_cases(
        files,
        names,
        params=model_params(param, None, names),
        ensemble=ensemble,
        folds=folds,
        repeats=repeats,
        bootstrap=bootstrap,
        within=within,
        runs=runs,
        seed=seed,
    )
    _finish(bt, per_case, chart, as_json, keys=())


def _check_chart(chart: Path | None) -> None:
    if chart is not None:
        from accord.present.plots._figure import image_format

        image_format(chart)  # a bad path fails now, not after the run


def _finish(bt, per_case: bool, chart: Path | None, as_json: bool, keys) -> None:
    if chart is not None:
        from accord.present.plots.backtest import save_predicted_actual

        save_predicted_actual(bt.results, chart)
    if as_json:
        print_json(bt.to_json())
        return
    render_backtest(bt, per_case=per_case, keys=keys)
    if chart is not None:
        prose(f"chart: {chart}", style="dim")


def render_backtest(bt, *, per_case: bool = False, keys=()) -> None:
    from accord.present import backtest as view
    from accord.present import formats

    res = bt.results
    if res.source == "cases":
        known = next((p.agreement.n for p in res.predictors if p.agreement is not None), 0)
        title = (
            f"Backtest on {res.cases:,} case(s): {res.scored:,} issue outcome(s) and "
            f"{known:,} agreement outcome(s) known"
        )
    else:
        title = f"Backtest: {res.scored:,} scored issues in {res.groups:,} groups"
    prose(title + (f" ({res.file})" if res.file else ""), style="bold")
    if res.options:
        prose(", ".join(f"{k}={v}" for k, v in res.options.items()), style="dim")
    t = view.threshold(res)
    if res.scored:
        grid = Grid(
            "Accuracy on the 0–100 scale, [95% interval, resampling whole groups]",
            [
                Column("predictor", "key"),
                Column("MAE", "number"),
                Column("median AE", "number"),
                Column(f"within {t:g}", "number"),
                Column(f"Δ MAE vs {res.baseline}", "number"),
            ],
        )
        for r in view.score_rows(res):
            grid.add(
                r.name, r.mae, r.median_ae, r.within, r.delta, style="bold" if r.baseline else None
            )
        show(grid)
        cols = view.breakdown_columns(res, [k for k in keys if k != "period"])
        if cols:
            bd = Grid(
                "MAE by procedure and Council rule [95% interval]",
                [Column("predictor", "key")] + [Column(c.header, "number") for c in cols],
            )
            for name, cells in view.breakdown_rows(res, cols):
                bd.add(name, *cells)
            show(bd)
        if "period" in keys:
            cols = view.breakdown_columns(res, ["period"])
            bd = Grid(
                "MAE by treaty period (inferred) [95% interval]",
                [Column("predictor", "key")] + [Column(c.header, "number") for c in cols],
            )
            for name, cells in view.breakdown_rows(res, cols):
                bd.add(name, *cells)
            show(bd)
    agree = view.agreement_rows(res)
    if agree:
        ag = Grid(
            "Agreement: Brier score of each model's probability (0 best) and its calibration",
            [
                Column("model", "key"),
                Column("cases", "number"),
                Column("Brier", "number"),
                Column("calibration", "text"),
            ],
        )
        for r in agree:
            ag.add(r.name, r.n, r.brier, r.calibration)
        show(ag)
    if per_case:
        headers, rows = view.case_rows(res)
        pc = Grid(
            "Per case: the outcome and each forecast",
            [Column(headers[0], "key")]
            + [Column(h, "id" if k < 2 else "number") for k, h in enumerate(headers[1:])],
        )
        for row in rows:
            pc.add(*row)
        show(pc)
    cv = res.cross_validation
    if cv is not None:
        w = ", ".join(
            f"{k} {formats.fixed(v, 2)} [{formats.fixed(cv.weights_low[k], 2)}–"
            f"{formats.fixed(cv.weights_high[k], 2)}]"
            for k, v in cv.weights_mean.items()
        )
        prose(
            f"ensemble: {cv.folds}-fold cross-validation grouped by proposal, {cv.repeats} "
            f"repeats; blend weights fitted inside each training fold (mean [range]): {w}",
            style="dim",
        )
    for p in res.predictors:
        if p.in_sample:
            prose(
                f"{p.name}: scored on the cases its weights were fitted to (in-sample); use "
                "--ensemble cv for an honest figure",
                style="yellow",
            )
    if res.scored:
        prose(
            f"Δ < 0: closer than the {res.baseline} baseline; an interval that excludes 0 is a "
            f"difference the {res.groups} groups can tell apart.",
            style="dim",
        )
    prose(f"Seed {bt.seed}; {formats.general(bt.seconds, 2)} s.", style="dim")
    for note in res.notes:
        prose(note, style="dim")
