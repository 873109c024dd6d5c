"""Requests to runs: the scenario a request names, the server's limits, then the same
:mod:`accord.runs` functions the CLI calls (so a page shows what ``accord forecast`` prints).

Runs made for the server always compute in the server's own process (``workers=1``): a request
never spawns worker processes, and many requests share the CPUs through the thread pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.scenario import Scenario
from accord.web.errors import ApiError
from accord.web.keep import WEB as WEB_SOURCE
from accord.web.keep import Keeper
from accord.web.schemas import (
    BacktestRequest,
    CompareRequest,
    ConcessionsRequest,
    ForecastRequest,
    HistoryRequest,
    RunOptions,
    ScenarioChoice,
    SensitivityRequest,
    WhatIfRequest,
)
from accord.web.settings import Settings
from accord.web.sources import from_text, named

Progress = Callable[[int, int], None]
#: the label of a what-if's column in its comparison
WHATIF = "what-if"


def scenario_of(req: ScenarioChoice, keeper: Keeper, settings: Settings) -> Scenario:
    """The scenario a request names (an id, or text), before its variant and changes; for a
    backtest, its first case's scenario."""
    if isinstance(req, BacktestRequest):
        from accord.scenario.case import load_case

        return load_case(check_cases(req)[0]).scenario
    if req.scenario is not None and req.scenario_text is not None:
        raise ApiError(
            422,
            "give a scenario id or a scenario's text, not both",
            hint="scenario: an id from /api/scenarios; scenario_text: a whole scenario",
            field="scenario_text",
        )
    if req.scenario_text is not None:
        return from_text(req.scenario_text, req.format)
    return named(keeper, req.scenario or settings.default_scenario, status=422)


def check_draws(runs: int, columns: int, settings: Settings, unit: str = "columns") -> None:
    """Refuse a request for more draws than the server allows (``columns`` runs of ``runs``)."""
    total = int(runs) * max(int(columns), 1)
    if total > settings.max_draws:
        each = f" ({columns} {unit} of {runs:,})" if columns > 1 else ""
        raise ApiError(
            422,
            f"{total:,} draws{each} is over this server's limit of {settings.max_draws:,} draws "
            "per request",
            hint="ask for fewer runs (or start `accord serve` with a larger --max-draws)",
            field="runs",
        )


def _common(req: RunOptions, seed: int | None) -> dict[str, Any]:
    return {
        "params": req.params or None,
        "runs": req.runs,
        "seed": req.seed if seed is None else seed,
        "uncertainty": req.uncertainty,
        "workers": 1,
    }


def _whatif_columns(sc: Scenario, req: WhatIfRequest) -> list[tuple[str, dict[str, Any]]]:
    """The what-if column: the picked variant's own changes, then the request's."""
    changes: dict[str, Any] = {}
    if req.variant:
        from accord.scenario.patch import variant_whatif

        variant_whatif(sc, req.variant)  # an unknown variant: its clear error
        changes.update(next(v for v in sc.variants if v.id == req.variant).set)
    changes.update(req.changes)
    return [(WHATIF, changes)]


def columns_of(req: Any) -> int:
    """How many columns of draws a request runs."""
    if isinstance(req, WhatIfRequest):
        return 2
    if isinstance(req, CompareRequest):
        return 1 + (len(req.variants) if req.variants is not None else 8)
    return 1


def check_cases(req: BacktestRequest) -> list[str]:
    """The built-in case ids a backtest asks for (never a path)."""
    from accord.scenario.case import builtin_case_ids

    known = builtin_case_ids()
    asked = list(req.cases) if req.cases else known
    unknown = [c for c in asked if c not in known]
    if unknown:
        raise ApiError(
            422,
            f"no built-in case {unknown[0][:80]!r}",
            hint="built-in cases: " + ", ".join(known),
            field="cases",
        )
    return asked


def check(req: Any, sc: Scenario, settings: Settings) -> None:
    """Every limit a request must keep, checked before it runs."""
    if isinstance(req, BacktestRequest):
        check_draws(req.runs, len(check_cases(req)), settings, unit="cases")
        return
    if isinstance(req, ConcessionsRequest):
        _check_uncertainty(req.uncertainty)
        check_draws(req.runs, 1, settings)
        return
    if isinstance(req, HistoryRequest):
        _check_uncertainty(req.uncertainty)
        check_draws(req.runs, 1 + len(sc.updates), settings, unit="versions")
        return
    if isinstance(req, SensitivityRequest):
        check_sensitivity(req, sc, settings)
        return
    _check_uncertainty(req.uncertainty)
    cols = columns_of(req)
    if isinstance(req, CompareRequest) and req.variants is None:
        cols = 1 + len(sc.variants)
    check_draws(req.runs, cols, settings)


def _check_uncertainty(value: Any) -> None:
    from accord.errors import AccordError
    from accord.uncertainty import resolve_uncertainty

    try:
        resolve_uncertainty(value)
    except AccordError as exc:
        raise ApiError(422, exc.message, hint=exc.hint, field="uncertainty") from None


def check_sensitivity(req: SensitivityRequest, sc: Scenario, settings: Settings) -> None:
    from accord.runs.forecast import prepare
    from accord.runs.sensitivity import DEFAULT_N, scenario_problem

    _check_uncertainty(req.uncertainty)
    w = prepare(sc, variant=req.variant, changes=req.changes or None)
    d = len(scenario_problem(w.scenario, req.inputs, None, req.uncertainty).names)
    n = req.n or DEFAULT_N[req.method]
    evaluations = n * (2 * d + 2) if req.method == "sobol" else n * (d + 1)
    if evaluations > settings.max_sensitivity:
        raise ApiError(
            422,
            f"{req.method} with n={n} on {d} inputs needs {evaluations:,} model runs, over this "
            f"server's limit of {settings.max_sensitivity:,}",
            hint="a smaller n, fewer inputs, or the morris method",
            field="n",
        )


def run_now(state: Any, req: Any, sc: Scenario) -> Any:
    """:func:`run` for a request being answered: at most ``settings.max_running`` at once, the
    others waiting their turn (the app's ``state.running``). Runs are CPU work in threads that
    share one interpreter lock, so running more at once only makes each slower: measured with 50
    clients on two cores, one or two at a time answered twice as many requests as forty."""
    with state.running:
        return run(req, sc)


def run(
    req: Any,
    sc: Scenario,
    *,
    seed: int | None = None,
    progress: Progress | None = None,
    on_chunk: Callable[[Any], None] | None = None,
) -> Any:
    """Run a request on ``sc``: a Forecast, a Comparison, a SensitivityResult or a Backtest (each
    carries its ``record``); a forecast shows ``on_chunk`` every chunk of draws as it is merged
    (the store keeps them as they come)."""
    if isinstance(req, SensitivityRequest):
        from accord.runs.sensitivity import sensitivity

        return sensitivity(
            sc,
            req.model,
            method=req.method,
            output=req.output,
            inputs=req.inputs,
            n=req.n,
            seed=req.seed if seed is None else seed,
            params=req.params or None,
            uncertainty=req.uncertainty,
            variant=req.variant,
            changes=req.changes or None,
        )
    if isinstance(req, ConcessionsRequest):
        from accord.runs.concessions import concessions

        return concessions(
            sc,
            variant=req.variant,
            changes=req.changes or None,
            runs=req.runs,
            seed=req.seed if seed is None else seed,
            uncertainty=req.uncertainty,
            per_side=req.per_side,
            progress=progress,
        )
    if isinstance(req, BacktestRequest):
        from accord.runs.backtest import backtest_cases

        return backtest_cases(
            check_cases(req),
            req.models,
            params=req.params or None,
            runs=req.runs,
            seed=req.seed if seed is None else seed,
            bootstrap=req.bootstrap,
            within=req.within,
            progress=progress,
        )
    if isinstance(req, WhatIfRequest):
        from accord.runs.compare import compare

        return compare(
            sc,
            _whatif_columns(sc, req),
            req.models,
            progress=progress,
            **_common(req, seed),
        )
    if isinstance(req, CompareRequest):
        from accord.runs.compare import compare

        variants = None
        if req.variants is not None:
            variants = [v if isinstance(v, str) else (v.id, dict(v.changes)) for v in req.variants]
        if req.variant:
            raise ApiError(
                422,
                "a comparison runs variants side by side: list them in `variants`",
                field="variant",
            )
        return compare(
            sc,
            variants,
            req.models,
            changes=req.changes or None,
            progress=progress,
            **_common(req, seed),
        )
    if isinstance(req, ForecastRequest):
        from accord.runs.forecast import forecast

        return forecast(
            sc,
            req.models,
            variant=req.variant,
            changes=req.changes or None,
            progress=progress,
            on_chunk=on_chunk,
            **_common(req, seed),
        )
    raise TypeError(f"not a run request: {type(req).__name__}")  # pragma: no cover


def history(req: HistoryRequest, sc: Scenario, keeper: Keeper) -> Any:
    """Every dated version's forecast: stored ones reused, the others run now and kept."""
    from accord.runs.history import history as run_history

    return run_history(
        sc,
        req.models,
        runs=req.runs,
        seed=req.seed,
        uncertainty=req.uncertainty,
        store=keeper.store,
        save=True,
        rerun=req.rerun,
        params=req.params or None,
        workers=1,
        source=WEB_SOURCE,
    )


def model_list(req: Any) -> list[str]:
    from accord.runs.options import model_names, one_model

    if isinstance(req, SensitivityRequest):
        return [one_model(req.model)]
    if isinstance(req, ConcessionsRequest):
        return []
    return list(dict.fromkeys(model_names(req.models)))


__all__ = ["WHATIF", "check", "check_draws", "columns_of", "model_list", "run", "scenario_of"]
