"""The forecast service: run models on a scenario and analyse the outcome.

The CLI and (later) the web app both call :func:`forecast`, so they show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

import accord
from accord.errors import UnknownNameError
from accord.models import MODELS, BargainingModel, Result, get_model
from accord.outcome import STATUS_NAMES, Analysis, analyse, blocking_reasons
from accord.scenario import Scenario, apply_variant, to_arrays, with_changes
from accord.scenario.arrays import ScenarioArrays

#: the models ``--model all`` runs, in display order (others join when registered)
DEFAULT_ORDER = ("compromise", "median", "condorcet", "nash", "bdm", "smp")


def model_names(spec: str | list[str] | tuple[str, ...] = "all") -> list[str]:
    """Expand ``"all"`` or a comma-separated list into registered model names, checking each."""
    if isinstance(spec, str):
        spec = [s.strip() for s in spec.split(",") if s.strip()]
    if list(spec) == ["all"]:
        ordered = [m for m in DEFAULT_ORDER if m in MODELS]
        return ordered + [m for m in MODELS if m not in ordered]
    for name in spec:
        if name not in MODELS:
            raise UnknownNameError(
                f"no model called {name!r}", hint="choose one of: all, " + ", ".join(MODELS)
            )
    return list(spec)


@dataclass
class ModelForecast:
    """One model's forecast on one scenario."""

    name: str
    label: str
    reference: str
    model: BargainingModel
    result: Result
    analysis: Analysis
    blockers: list[dict]

    @property
    def status(self) -> str:
        """The classification of the first (or only) draw."""
        return STATUS_NAMES[int(self.analysis.status[0])]


@dataclass
class Forecast:
    scenario: Scenario
    arrays: ScenarioArrays
    models: dict[str, ModelForecast]
    variant: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None

    def outcome(self, model: str, issue: str) -> float:
        """The predicted outcome of ``issue`` under ``model`` (first draw)."""
        k = self.arrays.issue_ids.index(issue)
        return float(self.models[model].result.outcome[0, k])

    def to_json(self) -> dict:
        return forecast_json(self)


def prepare(
    scenario: Scenario, *, variant: str | None = None, changes: dict[str, Any] | None = None
) -> Scenario:
    """The scenario with a named variant and then ``--set`` changes applied."""
    if variant:
        scenario = apply_variant(scenario, variant)
    if changes:
        scenario = with_changes(scenario, changes)
    return scenario


def roles_of(scenario: Scenario) -> tuple[str, ...]:
    return tuple(a.role for a in scenario.actors)


def forecast(
    scenario: Scenario,
    models: str | list[str] = "all",
    *,
    variant: str | None = None,
    changes: dict[str, Any] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    seed: int | None = None,
) -> Forecast:
    """Run ``models`` on ``scenario`` (after ``variant`` and ``changes``) and analyse each outcome.

    ``params`` maps a model name to its parameters, e.g. ``{"bdm": {"rounds": 5}}``.
    """
    base = prepare(scenario, variant=variant, changes=changes)
    arrays = to_arrays(base)
    roles = roles_of(base)
    out: dict[str, ModelForecast] = {}
    for name in model_names(models):
        model = get_model(name, **(params or {}).get(name, {}))
        result = model.run(arrays, rng=seed)
        analysis = analyse(arrays, result.outcome, roles)
        out[name] = ModelForecast(
            name=name,
            label=model.label,
            reference=model.reference,
            model=model,
            result=result,
            analysis=analysis,
            blockers=blocking_reasons(analysis, arrays),
        )
    return Forecast(base, arrays, out, variant=variant, changes=dict(changes or {}), seed=seed)


# -- JSON ------------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def forecast_json(fc: Forecast) -> dict:
    """The forecast as plain JSON data (described by ``accord/data/schema/forecast.schema.json``)."""
    sc, arrays = fc.scenario, fc.arrays
    models = []
    for mf in fc.models.values():
        res, an = mf.result, mf.analysis
        issues = []
        for k, issue in enumerate(sc.issues):
            issues.append(
                {
                    "id": issue.id,
                    "name": issue.name,
                    "outcome": float(res.outcome[0, k]),
                    "status_quo": issue.status_quo,
                    "scale": {"low": issue.low, "high": issue.high},
                }
            )
        actors = []
        for a, actor in enumerate(sc.actors):
            crossed = [
                {"issue": arrays.issue_ids[k], "bound": bound}
                for k in range(arrays.n_issues)
                for bound, arr in (("min", an.below_red_line), ("max", an.above_red_line))
                if arr[0, a, k]
            ]
            actors.append(
                {
                    "id": actor.id,
                    "decider": bool(an.decider[a]),
                    "accepts": bool(an.accepts[0, a]),
                    "utility": float(an.utility[0, a]),
                    "outside_option": float(an.outside[0, a]),
                    "red_lines_crossed": crossed,
                }
            )
        series = {
            name: _jsonable(values[0]) for name, values in res.series.items()
        }  # draw 0: (steps, issues)
        models.append(
            {
                "name": mf.name,
                "label": mf.label,
                "reference": mf.reference,
                "params": _jsonable(res.params),
                "issues": issues,
                "steps": int(res.n_steps),
                "series": series,
                "agreement": {
                    "status": mf.status,
                    "probabilities": an.probabilities(),
                    "blockers": mf.blockers,
                    "actors": actors,
                },
                "details": _jsonable(mf.model.describe(res, arrays)),
            }
        )
    return {
        "accord_version": accord.__version__,
        "scenario": {
            "id": sc.id,
            "title": sc.title,
            "as_of": sc.as_of.isoformat() if sc.as_of else None,
            "variant": fc.variant,
            "changes": _jsonable(fc.changes),
        },
        "runs": int(arrays.n_draws),
        "seed": fc.seed,
        "models": models,
    }
