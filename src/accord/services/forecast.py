"""The forecast service: run models on a scenario, under uncertainty, and analyse the outcomes.

The CLI and the web app both call :func:`forecast`, so they show the same numbers.

With ``runs=1`` (the default) every model runs once on the scenario's own numbers (deterministic).
With ``runs=N`` the service also draws ``N`` samples of the uncertain inputs
(:mod:`accord.uncertainty`), runs every model on all of them in chunks
(:mod:`accord.services.montecarlo`, locally or on a Dask cluster) and summarises the draws: per
issue the outcome's median, mean, 80% and 95% intervals and histogram; the probabilities of
agreement, stalemate and escalation with the blocking reasons ranked by the share of draws in which
they bind; each actor's utility distribution; per-step bands of the positions. The unperturbed
("point") run is kept alongside for the model's own account of its dynamics.

>>> import accord
>>> from accord.services.forecast import forecast
>>> fc = forecast(accord.load("us-iran-muscat-2026"), "compromise", runs=500, seed=1)  # doctest: +SKIP
>>> fc.models["compromise"].issues["missiles"].interval(0.8)  # doctest: +SKIP
>>> fc.agreement.probability, fc.agreement.blockers[:1]  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord._version import __version__
from accord.arrays import ScenarioArrays
from accord.errors import ParameterError, UnknownNameError
from accord.models import MODELS, BargainingModel, Result, get_model
from accord.outcome import STATUS_NAMES, Analysis, analyse, blocking_reasons
from accord.scenario import Scenario, apply_variant, load, to_arrays, with_changes
from accord.services import montecarlo as mc
from accord.uncertainty import Uncertainty, bounds, resolve_uncertainty

#: the models ``--model all`` runs, in display order (others join when registered)
DEFAULT_ORDER = ("compromise", "median", "condorcet", "nash", "bdm", "smp")
#: the central intervals every summary reports (JSON keys "80" and "95")
LEVELS = (0.8, 0.95)
#: bins of the per-issue outcome histogram, over the issue's whole scale
HISTOGRAM_BINS = 20
#: quantile levels of the trajectory bands (95% and 80% intervals and the median)
BAND_LEVELS = (0.025, 0.1, 0.5, 0.9, 0.975)


def model_names(spec: str | Sequence[str] = "all") -> list[str]:
    """Expand a comma-separated list (or a list) of model names into registered names, checking
    each: ``all`` anywhere means every model, repeats are dropped (first one kept), and naming no
    model at all is an error."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names = list(dict.fromkeys(str(s).strip() for s in items if str(s).strip()))
    choices = "choose one or more of: all, " + ", ".join(MODELS)
    if not names:
        raise UnknownNameError("no model named in --model", hint=choices)
    if "all" in names:
        ordered = [m for m in DEFAULT_ORDER if m in MODELS]
        return ordered + [m for m in MODELS if m not in ordered]
    for name in names:
        if name not in MODELS:
            raise UnknownNameError(f"no model called {name!r}", hint=choices)
    return names


def one_model(spec: str, option: str = "--model") -> str:
    """The single registered model that ``spec`` names (for commands that take exactly one)."""
    names = model_names(spec)
    if len(names) != 1:
        raise ParameterError(
            f"{option} {spec!r} names {len(names)} models; this takes exactly one",
            hint=f"pick one, e.g. {option} bdm (models: {', '.join(MODELS)})",
        )
    return names[0]


def change_text(path: str, value: Any) -> str:
    """One ``--set`` change as ``path=value``, spelt as on a command line (``null``, ``true``)."""
    text = json.dumps(value) if value is None or isinstance(value, bool) else str(value)
    return f"{path}={text}"


# -- summaries -------------------------------------------------------------------------------------


def _interval(values: np.ndarray, level: float) -> tuple[float, float]:
    if not 0 < level < 1:
        raise ParameterError(f"level={level!r} must be between 0 and 1", hint="e.g. 0.8 or 0.95")
    lo, hi = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


class _Distribution:
    """Summaries of a number over the draws (``samples``: its value in every draw)."""

    @property
    def samples(self) -> np.ndarray:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    @property
    def median(self) -> float:
        return float(np.median(self.samples))

    @property
    def mean(self) -> float:
        return float(np.mean(self.samples))

    @property
    def std(self) -> float:
        return float(np.std(self.samples))

    def quantile(self, q: float | Sequence[float]) -> float | np.ndarray:
        out = np.quantile(self.samples, q)
        return float(out) if np.ndim(out) == 0 else out

    def interval(self, level: float = 0.8) -> tuple[float, float]:
        """The central interval holding ``level`` of the draws (e.g. 0.8: 10th to 90th percentile)."""
        return _interval(self.samples, level)


@dataclass(frozen=True)
class IssueForecast(_Distribution):
    """One issue's forecast by one model: the point forecast and the distribution over the draws."""

    id: str
    name: str
    point: float  # on the scenario's own numbers
    values: np.ndarray = field(repr=False)  # (draws,) the outcome in every draw
    status_quo: float
    low: float
    high: float

    @property
    def samples(self) -> np.ndarray:
        return self.values

    def histogram(self, bins: int = HISTOGRAM_BINS) -> tuple[np.ndarray, np.ndarray]:
        """(counts, edges) over the issue's whole scale."""
        return np.histogram(self.values, bins=bins, range=(self.low, self.high))


@dataclass(frozen=True)
class ActorForecast(_Distribution):
    """One actor's lot under one model: its utility of the outcome and how often it accepts."""

    id: str
    name: str
    decider: bool
    utility: np.ndarray = field(repr=False)  # (draws,) on 0–1
    accept_share: float  # share of draws in which it accepts (always 1 for non-deciders)
    point_utility: float
    point_outside: float

    @property
    def samples(self) -> np.ndarray:
        return self.utility


@dataclass(frozen=True)
class AgreementForecast:
    """Agreement, stalemate or escalation: the point run's status and the shares over the draws."""

    status: str  # on the scenario's own numbers
    probabilities: dict[str, float]
    blockers: list[dict]  # ranked: {"actor", "kind", "issue"?, "bound"?, "share"}
    margin: np.ndarray = field(repr=False)  # (draws,) see accord.outcome.Analysis.margin

    @property
    def probability(self) -> float:
        """The probability of agreement."""
        return self.probabilities["agreement"]


@dataclass(frozen=True)
class Trajectory:
    """Per-step bands of the positions over the draws (from merged histograms, to ~0.5 points).

    ``positions`` is (levels, steps, actors, issues), ``series[name]`` (levels, steps, issues) with
    ``levels`` = :data:`BAND_LEVELS`; ``examples`` (K, steps, actors, issues) is the whole history
    of the first K draws.
    """

    levels: tuple[float, ...]
    positions: np.ndarray
    series: dict[str, np.ndarray]
    examples: np.ndarray | None

    def band(self, level: float = 0.8, series: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(low, high) per step of the central ``level`` band of a series or of the positions."""
        lo, hi = (1 - level) / 2, (1 + level) / 2
        try:
            i, j = self.levels.index(round(lo, 6)), self.levels.index(round(hi, 6))
        except ValueError:
            raise ValueError(f"bands are kept for levels {self.levels}") from None
        arr = self.positions if series is None else self.series[series]
        return arr[i], arr[j]


def hist_quantiles(
    counts: np.ndarray, levels: Sequence[float], low: np.ndarray, high: np.ndarray
) -> np.ndarray:
    """Quantiles from histograms ``counts`` (..., I, bins) over [low, high] per issue, interpolated
    linearly inside the bin -> (levels, ..., I)."""
    n_bins = counts.shape[-1]
    total = np.maximum(counts.sum(axis=-1, keepdims=True), 1)
    cdf = np.cumsum(counts, axis=-1) / total
    prev = cdf - counts / total
    width = (high - low) / n_bins
    out = []
    for q in levels:  # a handful of levels, not draws
        j = np.argmax(cdf >= q - 1e-12, axis=-1)
        c = np.take_along_axis(cdf, j[..., None], axis=-1)[..., 0]
        p = np.take_along_axis(prev, j[..., None], axis=-1)[..., 0]
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(c > p, (q - p) / (c - p), 0.5)
        out.append(low + (j + np.clip(frac, 0.0, 1.0)) * width)
    return np.stack(out)


def ranked_blockers(ds: mc.DrawSet, arrays: ScenarioArrays, decider: np.ndarray) -> list[dict]:
    """Blocking reasons with the share of draws in which each binds, most frequent first
    (:func:`accord.outcome.blocking_reasons` on the merged counts)."""
    return blocking_reasons(arrays, decider, ds.red_line, ds.outside, ds.n)


@dataclass
class ModelForecast:
    """One model's forecast on one scenario.

    ``result`` and ``analysis`` are the point run (the scenario's own numbers); ``issues``,
    ``actors``, ``agreement`` and ``blockers`` summarise every draw (with one run, the point run).
    """

    name: str
    label: str
    reference: str
    model: BargainingModel
    result: Result
    analysis: Analysis
    blockers: list[dict]
    issues: dict[str, IssueForecast] = field(default_factory=dict)
    actors: dict[str, ActorForecast] = field(default_factory=dict)
    agreement: AgreementForecast | None = None
    trajectory: Trajectory | None = None
    draws: mc.DrawSet | None = field(default=None, repr=False)

    @property
    def status(self) -> str:
        """The classification of the point run (the first draw with one run)."""
        return STATUS_NAMES[int(self.analysis.status[0])]

    @property
    def probabilities(self) -> dict[str, float]:
        return self.agreement.probabilities if self.agreement else self.analysis.probabilities()


@dataclass
class Forecast:
    scenario: Scenario
    arrays: ScenarioArrays
    models: dict[str, ModelForecast]
    variant: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    runs: int = 1  # draws requested
    draws: int = 1  # draws behind the numbers (fewer than runs when interrupted)
    interrupted: bool = False
    uncertainty: Uncertainty | None = None  # None with one run
    chunk_size: int | None = None
    engine: str = "local"
    workers: int = 1
    seconds: float = 0.0

    def outcome(self, model: str, issue: str) -> float:
        """The point forecast of ``issue`` under ``model``."""
        k = self.arrays.issue_ids.index(issue)
        return float(self.models[model].result.outcome[0, k])

    @property
    def first(self) -> ModelForecast:
        return next(iter(self.models.values()))

    @property
    def issues(self) -> dict[str, IssueForecast]:
        """The issues of the first (or only) model: ``fc.issues["missiles"].interval(0.8)``."""
        return self.first.issues

    @property
    def agreement(self) -> AgreementForecast:
        """The agreement forecast of the first (or only) model."""
        return self.first.agreement  # type: ignore[return-value]

    def to_json(self) -> dict:
        return forecast_json(self)


# -- running ---------------------------------------------------------------------------------------


def prepare(
    scenario: Scenario | str | os.PathLike,
    *,
    variant: str | None = None,
    changes: dict[str, Any] | None = None,
) -> Scenario:
    """The scenario (a built-in id or a path is loaded) with a named variant and then ``--set``
    changes applied."""
    if not isinstance(scenario, Scenario):
        scenario = load(scenario)
    if variant:
        scenario = apply_variant(scenario, variant)
    if changes:
        scenario = with_changes(scenario, changes)
    return scenario


def build_model_forecast(
    name: str,
    model: BargainingModel,
    scenario: Scenario,
    arrays: ScenarioArrays,
    result: Result,
    analysis: Analysis,
    ds: mc.DrawSet,
    monte_carlo: bool,
) -> ModelForecast:
    """Summaries of one model's draws ``ds`` next to its point run."""
    n = max(ds.n, 1)
    issues = {
        issue.id: IssueForecast(
            id=issue.id,
            name=issue.name,
            point=float(result.outcome[0, k]),
            values=ds.outcome[:, k],
            status_quo=float(issue.status_quo),
            low=float(issue.low),
            high=float(issue.high),
        )
        for k, issue in enumerate(scenario.issues)
    }
    actors = {
        actor.id: ActorForecast(
            id=actor.id,
            name=actor.name,
            decider=bool(analysis.decider[a]),
            utility=ds.utility[:, a],
            accept_share=float(ds.accepts[a]) / n,
            point_utility=float(analysis.utility[0, a]),
            point_outside=float(analysis.outside[0, a]),
        )
        for a, actor in enumerate(scenario.actors)
    }
    probs = {s: float(np.mean(ds.status == k)) for k, s in enumerate(STATUS_NAMES)}
    blockers = ranked_blockers(ds, arrays, analysis.decider)
    agreement = AgreementForecast(
        status=STATUS_NAMES[int(analysis.status[0])],
        probabilities=probs,
        blockers=blockers,
        margin=ds.margin,
    )
    trajectory = None
    if monte_carlo:
        trajectory = Trajectory(
            levels=BAND_LEVELS,
            positions=hist_quantiles(ds.positions, BAND_LEVELS, arrays.low, arrays.high),
            series={
                k: hist_quantiles(v, BAND_LEVELS, arrays.low, arrays.high)
                for k, v in ds.series.items()
            },
            examples=ds.examples,
        )
    return ModelForecast(
        name=name,
        label=model.label,
        reference=model.reference,
        model=model,
        result=result,
        analysis=analysis,
        blockers=blockers,
        issues=issues,
        actors=actors,
        agreement=agreement,
        trajectory=trajectory,
        draws=ds,
    )


@dataclass
class Columns:
    """Point runs and merged draws for several scenario versions (variants) at once."""

    scenarios: dict[str, Scenario]
    arrays: dict[str, ScenarioArrays]
    models: dict[str, dict[str, ModelForecast]]  # column -> model -> forecast
    run: mc.MonteCarloRun | None
    uncertainty: Uncertainty | None
    seed: int | None


def run_columns(
    columns: Mapping[str, Scenario],
    names: Sequence[str],
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    runs: int = 1,
    seed: int | None = None,
    uncertainty: Uncertainty | str | Mapping[str, Any] | None = None,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: mc.Progress | None = None,
    chunk_size: int | None = None,
) -> Columns:
    """Run ``names`` on every scenario version in ``columns``, sharing one set of random draws.

    All versions see the same noise (common random numbers), so their differences are not noise.
    Raises :class:`accord.services.montecarlo.Interrupted` if Ctrl-C came before any chunk finished.
    """
    params = params or {}
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or runs < 1:
        raise ParameterError(f"runs={runs!r} must be a whole number >= 1")
    if engine not in mc.ENGINES:
        raise ParameterError(f"engine {engine!r} is not one of {', '.join(mc.ENGINES)}")
    monte_carlo = runs > 1
    entropy = mc.resolve_seed(seed) if monte_carlo else seed
    unc = resolve_uncertainty(uncertainty)  # checked even for one run, where it is not used
    arrays = {c: to_arrays(sc) for c, sc in columns.items()}
    names = list(dict.fromkeys(names))  # "a,a" runs a once: model index m must match the plan's
    models = {name: get_model(name, **dict(params.get(name, {}))) for name in names}

    mc_run = None
    if monte_carlo:
        plan = mc.Plan(
            variants=tuple(
                mc.VariantInput(c, arrays[c], bounds(sc, unc)) for c, sc in columns.items()
            ),
            models=tuple(
                type(models[n])(**mc.monte_carlo_params(n, dict(params.get(n, {})))) for n in names
            ),
        )
        mc_run = mc.run(
            plan,
            int(runs),
            seed=entropy,
            chunk_size=chunk_size,
            engine=engine,
            workers=workers,
            address=address,
            progress=progress,
        )
        if mc_run.draws_completed == 0:
            raise mc.Interrupted(
                "interrupted before the first chunk of draws finished; nothing to report",
                hint="run again, with fewer --runs for a quicker answer",
            )

    out: dict[str, dict[str, ModelForecast]] = {}
    for v, (col, sc) in enumerate(columns.items()):
        arr = arrays[col]
        out[col] = {}
        for m, (name, model) in enumerate(models.items()):
            result = model.run(arr, rng=entropy)
            analysis = analyse(arr, result.outcome)
            if mc_run is not None:
                ds = mc_run.sets[v][m]
            else:
                ds = mc.DrawSet.from_part(mc.summarise(result, analysis, arr, 1, 1))
            out[col][name] = build_model_forecast(
                name, model, sc, arr, result, analysis, ds, monte_carlo
            )
    return Columns(dict(columns), arrays, out, mc_run, unc if monte_carlo else None, entropy)


def forecast(
    scenario: Scenario | str | os.PathLike,
    models: str | list[str] = "all",
    *,
    variant: str | None = None,
    changes: dict[str, Any] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    runs: int = 1,
    seed: int | None = None,
    uncertainty: Uncertainty | str | Mapping[str, Any] | None = None,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: mc.Progress | None = None,
    chunk_size: int | None = None,
) -> Forecast:
    """Run ``models`` on ``scenario`` (after ``variant`` and ``changes``) and analyse each outcome.

    ``params`` maps a model name to its parameters, e.g. ``{"bdm": {"rounds": 5}}``. With
    ``runs > 1`` the inputs are sampled ``runs`` times (``uncertainty``: see
    :func:`accord.uncertainty.resolve_uncertainty`) with ``seed`` (None: fresh entropy, recorded
    in ``Forecast.seed``), in chunks of ``chunk_size`` (None: :func:`~accord.services.montecarlo.chunk_for` the scenario) on ``engine`` ("local": serial or loky
    processes; "dask": the cluster at ``address`` or a LocalCluster) with ``workers``. The numbers
    depend only on the seed, runs and chunk size, not on the engine or the workers.
    ``progress(done, total)`` is called as chunks finish; Ctrl-C returns what finished, with
    ``interrupted=True``.
    """
    base = prepare(scenario, variant=variant, changes=changes)
    cols = run_columns(
        {"base": base},
        model_names(models),
        params=params,
        runs=runs,
        seed=seed,
        uncertainty=uncertainty,
        engine=engine,
        workers=workers,
        address=address,
        progress=progress,
        chunk_size=chunk_size,
    )
    r = cols.run
    return Forecast(
        base,
        cols.arrays["base"],
        cols.models["base"],
        variant=variant,
        changes=dict(changes or {}),
        seed=cols.seed,
        runs=int(runs),
        draws=r.draws_completed if r else 1,
        interrupted=bool(r and r.interrupted),
        uncertainty=cols.uncertainty,
        chunk_size=r.chunk_size if r else None,
        engine=r.engine if r else "local",
        workers=r.workers if r else 1,
        seconds=r.seconds if r else 0.0,
    )


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


def _level_key(level: float) -> str:
    return f"{round(level * 100):d}"


def _stats(values: np.ndarray) -> dict:
    return {
        "median": float(np.median(values)),
        "mean": float(np.mean(values)),
        "intervals": {_level_key(lv): list(_interval(values, lv)) for lv in LEVELS},
    }


def distribution_json(mf: ModelForecast) -> dict:
    """The distribution part of one model's JSON: issues, actors, margin, trajectory bands."""
    issues = []
    for isf in mf.issues.values():
        counts, edges = isf.histogram()
        issues.append(
            {
                "id": isf.id,
                **_stats(isf.values),
                "std": isf.std,
                "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
            }
        )
    actors = [
        {
            "id": af.id,
            "decider": af.decider,
            "accepts": af.accept_share,
            "utility": _stats(af.utility),
        }
        for af in mf.actors.values()
    ]
    tr = mf.trajectory
    trajectory = None
    if tr is not None:
        trajectory = {
            "levels": list(tr.levels),
            "positions": _jsonable(tr.positions),
            "series": {k: _jsonable(v) for k, v in tr.series.items()},
        }
    margin = mf.agreement.margin if mf.agreement is not None else mf.analysis.margin
    return {
        "issues": issues,
        "actors": actors,
        "margin": _jsonable(_stats(margin)),
        "trajectory": trajectory,
    }


def model_json(mf: ModelForecast, sc: Scenario, arrays: ScenarioArrays) -> dict:
    res, an = mf.result, mf.analysis
    issues = [
        {
            "id": issue.id,
            "name": issue.name,
            "outcome": float(res.outcome[0, k]),
            "status_quo": issue.status_quo,
            "scale": {"low": issue.low, "high": issue.high},
        }
        for k, issue in enumerate(sc.issues)
    ]
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
    series = {name: _jsonable(values[0]) for name, values in res.series.items()}  # point run
    return {
        "name": mf.name,
        "label": mf.label,
        "reference": mf.reference,
        "params": _jsonable(res.params),
        "issues": issues,
        "steps": int(res.n_steps),
        "series": series,
        "agreement": {
            "status": mf.status,
            "probabilities": mf.probabilities,
            "blockers": mf.blockers,
            "actors": actors,
        },
        "distribution": distribution_json(mf),
        "details": _jsonable(mf.model.describe(res, arrays)),
    }


def monte_carlo_json(fc: Forecast) -> dict | None:
    if fc.uncertainty is None:
        return None
    return {
        "draws_requested": fc.runs,
        "draws_completed": fc.draws,
        "interrupted": fc.interrupted,
        "chunk_size": fc.chunk_size,
        "uncertainty": fc.uncertainty.as_dict(),
    }


def forecast_json(fc: Forecast) -> dict:
    """The forecast as plain JSON data (described by ``accord/data/schema/forecast.schema.json``).

    It depends only on the inputs, seed, runs and chunk size: not on the engine or the workers.
    """
    sc = fc.scenario
    return {
        "accord_version": __version__,
        "scenario": {
            "id": sc.id,
            "title": sc.title,
            "as_of": sc.as_of.isoformat() if sc.as_of else None,
            "variant": fc.variant,
            "changes": _jsonable(fc.changes),
        },
        "runs": int(fc.draws),
        "seed": fc.seed,
        "monte_carlo": monte_carlo_json(fc),
        "models": [model_json(mf, sc, fc.arrays) for mf in fc.models.values()],
    }
