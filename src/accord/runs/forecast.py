"""The forecast: run models on a scenario, under uncertainty, and analyse the outcomes.

The CLI and the web app both call :func:`forecast`, so they show the same numbers.

With ``runs=1`` (the default) every model runs once on the scenario's own numbers (deterministic
unless a model's settings make it sample). With ``runs=N`` the inputs are also drawn ``N`` times
(:mod:`accord.uncertainty`), every model runs on all of them in chunks
(:mod:`accord.runs.montecarlo`, locally or on a Dask cluster) and the draws are summarised: per
issue the outcome's median, mean, 80% and 95% intervals and histogram; the probabilities of
agreement, stalemate and escalation with the blocking reasons ranked by the share of draws in which
they bind; each actor's utility distribution; per-step bands of the positions. The unperturbed
("point") run is kept alongside for the model's own account of its dynamics.

What comes back is a :class:`Forecast`: the Python objects (per-draw values for charts and paired
comparisons) and its :class:`~accord.runs.records.RunRecord` (``fc.record``), from which
``--json``, the schema and the stored runs all come.

>>> import accord
>>> fc = forecast(accord.load("us-iran-muscat-2026"), "compromise", runs=500, seed=1)  # doctest: +SKIP
>>> fc.models["compromise"].issues["missiles"].interval(0.8)  # doctest: +SKIP
>>> fc.agreement.probability, fc.agreement.blockers[:1]  # doctest: +SKIP
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord._version import __version__
from accord.arrays import ScenarioArrays
from accord.budget import MAX_DEAL_DECIDERS, check_run
from accord.checks import optional, pick, real, text, whole
from accord.errors import ParameterError
from accord.models import BargainingModel, Result
from accord.numbers import shown
from accord.outcome import STATUS_NAMES, Analysis, analyse, blocking_reasons
from accord.runs import montecarlo as mc
from accord.runs import records as rec
from accord.runs.dealspace import DealAnalysis, analyse_run
from accord.runs.options import build_models, model_names, resolve_seed
from accord.scenario import Scenario
from accord.scenario.convert import to_arrays
from accord.scenario.load import load
from accord.scenario.patch import WhatIf, variant_whatif, whatif
from accord.uncertainty import Uncertainty, bounds, resolve_uncertainty

#: the central intervals every summary reports (record keys "80" and "95")
LEVELS = (0.8, 0.95)
#: bins of the per-issue outcome histogram, over the issue's whole scale
HISTOGRAM_BINS = 20
#: quantile levels of the trajectory bands (95% and 80% intervals and the median)
BAND_LEVELS = (0.025, 0.1, 0.5, 0.9, 0.975)


# -- summaries -------------------------------------------------------------------------------------


def interval(values: np.ndarray, level: float) -> tuple[float, float]:
    """The central interval holding ``level`` of ``values``."""
    real(level, "level", low=0, high=1)
    if not 0 < level < 1:
        raise ParameterError(f"level={level!r} must be between 0 and 1", hint="e.g. 0.8 or 0.95")
    lo, hi = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def level_key(level: float) -> str:
    return f"{round(level * 100):d}"


def intervals(values: np.ndarray) -> dict[str, tuple[float, float]]:
    return {level_key(lv): interval(values, lv) for lv in LEVELS}


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
        qs = [q] if not isinstance(q, (list, tuple, np.ndarray)) else list(np.ravel(q))
        for x in qs:
            real(x, "q", low=0, high=1)
        out = np.quantile(self.samples, q)
        return float(out) if np.ndim(out) == 0 else out

    def interval(self, level: float = 0.8) -> tuple[float, float]:
        """The central interval holding ``level`` of the draws (e.g. 0.8: 10th to 90th percentile)."""
        return interval(self.samples, level)

    def stats(self) -> rec.Stats:
        return rec.Stats(median=self.median, mean=self.mean, intervals=intervals(self.samples))


@dataclass(frozen=True, repr=False)
class IssueForecast(_Distribution):
    """One issue's forecast by one model: the point forecast and the distribution over the draws."""

    id: str
    name: str
    point: float  # on the scenario's own numbers
    values: np.ndarray  # (draws,) the outcome in every draw
    status_quo: float
    low: float
    high: float

    @property
    def samples(self) -> np.ndarray:
        return self.values

    def histogram(self, bins: int = HISTOGRAM_BINS) -> tuple[np.ndarray, np.ndarray]:
        """(counts, edges) over the issue's whole scale."""
        whole(bins, "bins")
        if bins > 10_000:
            raise ParameterError(f"bins={bins:,} is more than 10,000", field="bins")
        return np.histogram(self.values, bins=bins, range=(self.low, self.high))

    def __repr__(self) -> str:
        lo, hi = self.interval(0.8)
        return (
            f"IssueForecast({self.id!r}: point {self.point:.4g}, median {self.median:.4g}, "
            f"80% [{lo:.4g}, {hi:.4g}] over {self.values.size:,} draw"
            f"{'s' if self.values.size != 1 else ''})"
        )


@dataclass(frozen=True, repr=False)
class ActorForecast(_Distribution):
    """One actor's lot under one model: its utility of the outcome and how often it accepts."""

    id: str
    name: str
    decider: bool
    utility: np.ndarray  # (draws,) on 0–1
    accept_share: float  # share of draws in which it accepts (always 1 for non-deciders)
    point_utility: float
    point_outside: float

    @property
    def samples(self) -> np.ndarray:
        return self.utility

    def __repr__(self) -> str:
        role = "decider, " if self.decider else ""
        return (
            f"ActorForecast({self.id!r}: {role}utility median {self.median:.3f}, accepts in "
            f"{self.accept_share:.0%} of draws)"
        )


@dataclass(frozen=True, repr=False)
class AgreementForecast:
    """Agreement, stalemate or escalation: the point run's status and the shares over the draws."""

    status: str  # on the scenario's own numbers
    probabilities: dict[str, float]
    blockers: list[dict]  # ranked: {"actor", "kind", "issue"?, "bound"?, "share"}
    margin: np.ndarray  # (draws,) see accord.outcome.Analysis.margin

    @property
    def probability(self) -> float:
        """The probability of agreement."""
        return self.probabilities["agreement"]

    def __repr__(self) -> str:
        p = ", ".join(f"{k} {v:.1%}" for k, v in self.probabilities.items())
        return f"AgreementForecast(point run: {self.status}; {p}; {len(self.blockers)} blockers)"


@dataclass(frozen=True, repr=False)
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

    def __repr__(self) -> str:
        return f"Trajectory({self.positions.shape[1]} steps, levels {self.levels})"


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


@dataclass(repr=False)
class ModelForecast:
    """One model's forecast on one scenario.

    ``result`` and ``analysis`` are the point run (the scenario's own numbers); ``issues``,
    ``actors``, ``agreement`` and ``blockers`` summarise every draw (with one run, the point run).
    """

    name: str
    label: str
    reference: str
    model: BargainingModel
    spec: rec.ModelSpec
    result: Result
    analysis: Analysis
    blockers: list[dict]
    issues: dict[str, IssueForecast] = field(default_factory=dict)
    actors: dict[str, ActorForecast] = field(default_factory=dict)
    agreement: AgreementForecast | None = None
    trajectory: Trajectory | None = None
    draws: mc.DrawSet | None = None

    @property
    def status(self) -> str:
        """The classification of the point run (the first draw with one run)."""
        return STATUS_NAMES[int(self.analysis.status[0])]

    @property
    def probabilities(self) -> dict[str, float]:
        return self.agreement.probabilities if self.agreement else self.analysis.probabilities()

    def __repr__(self) -> str:
        p = self.probabilities["agreement"]
        return (
            f"ModelForecast({self.name!r}: {len(self.issues)} issues, point run {self.status}, "
            f"P(agreement) {p:.1%})"
        )


class RunFacts:
    """How a run went, read from its ``record``: seed, draws, chunks, engine, workers, time."""

    record: rec.RunRecord

    @property
    def seed(self) -> int:
        return self.record.seed

    @property
    def runs(self) -> int:
        return self.record.runs

    @property
    def draws(self) -> int:
        return self.record.draws

    @property
    def interrupted(self) -> bool:
        return self.record.interrupted

    @property
    def chunk_size(self) -> int | None:
        return self.record.chunk_size

    @property
    def engine(self) -> str:
        return self.record.engine

    @property
    def workers(self) -> int:
        return self.record.workers

    @property
    def seconds(self) -> float:
        return self.record.seconds


@dataclass(repr=False)
class Forecast(RunFacts):
    """A forecast: the scenario as run, its arrays, one :class:`ModelForecast` per model, and the
    run record (``record``) that ``--json`` prints and the store keeps."""

    scenario: Scenario
    arrays: ScenarioArrays
    models: dict[str, ModelForecast]
    record: rec.RunRecord
    whatif: WhatIf
    uncertainty: Uncertainty | None = None  # None with one run
    deal: DealAnalysis | None = None  # the deal space on the same draws (None: interrupted)

    @property
    def variant(self) -> str | None:
        return self.record.scenario.variant

    def outcome(self, model: str, issue: str) -> float:
        """The point forecast of ``issue`` under ``model``."""
        mf = pick(self.models, model, "model", field="model")
        k = pick({i: k for k, i in enumerate(self.arrays.issue_ids)}, issue, "issue")
        return float(mf.result.outcome[0, k])

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
        """The run record as JSON data (what ``accord forecast --json`` prints)."""
        return self.record.to_json()

    def __repr__(self) -> str:
        lines = [
            f"Forecast of {self.scenario.id!r} ({self.draws:,} draw{'s' if self.draws != 1 else ''}"
            f", seed {self.seed})"
        ]
        for mf in self.models.values():
            outs = ", ".join(f"{k} {v.median:.4g}" for k, v in list(mf.issues.items())[:6])
            lines.append(
                f"  {mf.name}: P(agreement) {mf.probabilities['agreement']:.1%}; medians {outs}"
            )
        return "\n".join(lines)


# -- running ---------------------------------------------------------------------------------------


def prepare(
    scenario: Scenario | str | os.PathLike,
    *,
    variant: str | None = None,
    changes: Mapping[str, Any] | None = None,
    as_of: Any = None,
) -> WhatIf:
    """The scenario (a built-in id or a path is loaded) as of ``as_of`` (its dated version:
    :func:`accord.scenario.versions.version_at`), with a named variant and then ``changes``
    (``--set``) applied, with what each did."""
    if not isinstance(scenario, Scenario):
        if not isinstance(scenario, (str, os.PathLike)):
            raise ParameterError(
                f"scenario={scenario!r} is not a scenario, a built-in id or a path",
                hint="pass accord.load(...) or a built-in id such as 'us-iran-muscat-2026'",
                field="scenario",
            )
        scenario = load(scenario)
    if changes is not None and not isinstance(changes, Mapping):
        raise ParameterError(
            f"changes={shown(changes)} must map paths to values",
            hint="e.g. {'actors.us.stances.missiles.position': 20}",
            field="set",
        )
    optional(variant, text, "variant", field="variant", hint="a variant's id")
    w = WhatIf(scenario)
    if as_of is not None:
        from accord.scenario.versions import version_at

        w = version_at(scenario, as_of).whatif
    if variant:
        w = w.then(variant_whatif(scenario, variant))
    if changes:
        w = w.then(whatif(w.scenario, changes))
    return w


def scenario_ref(w: WhatIf, variant: str | None) -> rec.ScenarioRef:
    """The record of the scenario a run used: as loaded, and after its what-ifs."""
    sc, base = w.scenario, w.original
    return rec.ScenarioRef(
        id=sc.id,
        title=sc.title,
        as_of=sc.as_of,
        content_hash=rec.content_hash(base.model_dump(mode="json")),
        effective_hash=rec.content_hash(sc.model_dump(mode="json")),
        variant=variant,
        changes=list(w.changes),
        adjustments=list(w.adjustments),
    )


def build_model_forecast(
    name: str,
    model: BargainingModel,
    spec: rec.ModelSpec,
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
    blockers = blocking_reasons(arrays, analysis.decider, ds.red_line, ds.outside, ds.n)
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
        spec=spec,
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
    specs: list[rec.ModelSpec]
    run: mc.MonteCarloRun | None
    uncertainty: Uncertainty | None
    seed: int
    started: Any
    seconds: float


def _takes_two(func: Any) -> bool:
    """Whether ``func`` can be called with two positional arguments."""
    import inspect

    if not callable(func):
        return False
    try:
        inspect.signature(func).bind(0, 0)
    except TypeError:
        return False
    except ValueError:  # a builtin without a signature: it will tell when called
        return True
    return True


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
    on_chunk: mc.ChunkHook | None = None,
    deal: bool = False,
) -> Columns:
    """Run ``names`` on every scenario version in ``columns``, sharing one set of random draws.

    All versions see the same noise (common random numbers), so their differences are not noise.
    Every model runs with the first column's scenario settings (its ``models:`` section) and then
    ``params``; ``deal``: the run also works out the first column's deal space (counted in its
    estimate unless :func:`deal_left_out`; see :func:`accord.budget.check_run`). Raises :class:`accord.runs.montecarlo.Interrupted` if Ctrl-C came before any chunk
    finished.
    """
    started, t0 = rec.now(), time.perf_counter()
    runs = whole(runs, "runs")
    mc.check_draws(runs)
    if workers is not None:
        workers = whole(workers, "workers")
    if chunk_size is not None:
        chunk_size = whole(chunk_size, "chunk_size")
    if progress is not None and not _takes_two(progress):
        raise ParameterError(
            "progress must be a function called as progress(done, total)", field="progress"
        )
    optional(address, text, "address", hint="tcp://HOST:PORT")
    if not isinstance(engine, str) or engine not in mc.ENGINES:
        raise ParameterError(
            f"engine {shown(engine)} is not one of {', '.join(mc.ENGINES)}", field="engine"
        )
    mc.check_address(address)
    if address is not None and engine != "dask":
        raise ParameterError(
            "a scheduler address needs the dask engine", hint="use the dask engine", field="address"
        )
    monte_carlo = runs > 1
    entropy = resolve_seed(seed)
    unc = resolve_uncertainty(uncertainty)  # checked even for one run, where it is not used
    arrays = {c: to_arrays(sc) for c, sc in columns.items()}
    names = list(dict.fromkeys(names))  # "a,a" runs a once: model index m must match the plan's
    first = next(iter(columns.values()))
    built = build_models(names, first, params)
    models = {name: built[name][0] for name in names}
    n_actors, n_issues = len(first.actors), len(first.issues)
    n_deal = n_deciders(next(iter(arrays.values()))) if deal else 0
    check_run(  # refused, or announced, before any work: see accord.budget
        n_actors,
        n_issues,
        list(models.values()),
        draws=int(runs),
        columns=len(columns),
        chunk=chunk_size or mc.chunk_for(n_actors),
        workers=workers or os.cpu_count() or 1,
        deal_deciders=0 if deal_left_out(n_deal) else n_deal,
    )

    mc_run = None
    if monte_carlo:
        plan = mc.Plan(
            variants=tuple(
                mc.VariantInput(c, arrays[c], bounds(sc, unc)) for c, sc in columns.items()
            ),
            models=tuple(
                type(models[n])(
                    **mc.monte_carlo_params(n, models[n].params, built[n][1].settings_from)
                )
                for n in names
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
            on_chunk=on_chunk,
        )
        if mc_run.draws_completed == 0:
            raise mc.Interrupted(
                "interrupted before the first chunk of draws finished; nothing to report",
                hint="run again, with fewer runs for a quicker answer",
            )

    out: dict[str, dict[str, ModelForecast]] = {}
    for v, (col, sc) in enumerate(columns.items()):
        arr = arrays[col]
        out[col] = {}
        known: dict[str, np.ndarray] = {}  # outcomes the ensemble reuses (its components ran)
        for m, (name, model) in enumerate(models.items()):
            result = mc.run_sharing(model, arr, entropy, known)
            analysis = analyse(arr, result.outcome)
            if mc_run is not None:
                ds = mc_run.sets[v][m]
            else:
                ds = mc.DrawSet.from_part(mc.summarise(result, analysis, arr, 1, 1))
            out[col][name] = build_model_forecast(
                name, model, built[name][1], sc, arr, result, analysis, ds, monte_carlo
            )
    return Columns(
        dict(columns),
        arrays,
        out,
        [built[n][1] for n in names],
        mc_run,
        unc if monte_carlo else None,
        entropy,
        started,
        time.perf_counter() - t0,
    )


def run_fields(cols: Columns, runs: int) -> dict[str, Any]:
    """The record fields that say how a run went (shared by forecast and compare records)."""
    r, unc = cols.run, cols.uncertainty
    return {
        "accord_version": __version__,
        "models": cols.specs,
        "seed": cols.seed,
        "runs": int(runs),
        "draws": r.draws_completed if r else 1,
        "interrupted": bool(r and r.interrupted),
        "uncertainty": rec.UncertaintySettings(**unc.as_dict()) if unc is not None else None,
        "chunk_size": r.chunk_size if r else None,
        "engine": r.engine if r else "local",
        "workers": r.workers if r else 1,
        "started": cols.started,
        "finished": rec.now(),
        "seconds": cols.seconds,
    }


def forecast(
    scenario: Scenario | str | os.PathLike,
    models: str | list[str] = "all",
    *,
    variant: str | None = None,
    changes: Mapping[str, Any] | None = None,
    as_of: Any = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    runs: int = 1,
    seed: int | None = None,
    uncertainty: Uncertainty | str | Mapping[str, Any] | None = None,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: mc.Progress | None = None,
    chunk_size: int | None = None,
    on_chunk: mc.ChunkHook | None = None,
) -> Forecast:
    """Run ``models`` on ``scenario`` (after ``variant`` and ``changes``) and analyse each outcome.

    ``params`` maps a model name to its settings, e.g. ``{"bdm": {"rounds": 5}}`` (over the
    scenario's own ``models:`` settings). With ``runs > 1`` the inputs are sampled ``runs`` times
    (``uncertainty``: see :func:`accord.uncertainty.resolve_uncertainty`) with ``seed`` (None: a
    fresh one, recorded in ``Forecast.seed``), in chunks of ``chunk_size`` (None:
    :func:`~accord.runs.montecarlo.chunk_for` the scenario) on ``engine`` ("local": serial or loky
    processes; "dask": the cluster at ``address`` or a LocalCluster) with ``workers``. The numbers
    depend only on the seed, runs and chunk size, not on the engine or the workers.
    ``progress(done, total)`` is called as chunks finish; Ctrl-C returns what finished, with
    ``interrupted=True``. ``as_of`` forecasts the scenario's dated version of that day;
    ``on_chunk`` sees every chunk of draws as it is merged (:func:`accord.runs.montecarlo.run`).
    """
    names = model_names(models)
    w = prepare(scenario, variant=variant, changes=changes, as_of=as_of)
    base = w.scenario
    cols = run_columns(
        {"base": base},
        names,
        params=params,
        runs=runs,
        seed=seed,
        uncertainty=uncertainty,
        engine=engine,
        workers=workers,
        address=address,
        progress=progress,
        chunk_size=chunk_size,
        on_chunk=on_chunk,
        deal=True,
    )
    arrays = cols.arrays["base"]
    left_out = deal_left_out(n_deciders(arrays))
    mfs = cols.models["base"]
    deal, r = None, cols.run
    if left_out is None and not (r is not None and r.interrupted):  # the models' very draws
        deal = analyse_run(
            base,
            runs=runs,
            seed=cols.seed,
            uncertainty=cols.uncertainty,
            chunk_size=r.chunk_size if r is not None else None,
            workers=r.workers if r is not None and r.engine == "local" else 1,
        )
    record = rec.RunRecord(
        scenario=scenario_ref(w, variant),
        results=rec.ForecastResults(
            models=[model_result(mf, base, arrays, cols.run is not None) for mf in mfs.values()],
            deal=deal.record if deal is not None else None,
            deal_left_out=left_out,
        ),
        **run_fields(cols, runs),
    )
    return Forecast(base, arrays, mfs, record, w, cols.uncertainty, deal)


def n_deciders(arrays: ScenarioArrays) -> int:
    """How many actors a deal needs the consent of (:attr:`ScenarioArrays.deciders`)."""
    return int(np.count_nonzero(arrays.deciders))


def deal_left_out(deciders: int) -> str | None:
    """Why a forecast leaves out the deal space among ``deciders`` (None: it does not)."""
    if deciders <= MAX_DEAL_DECIDERS:
        return None
    return (
        f"{deciders:,} deciders, more than the {MAX_DEAL_DECIDERS} a deal space is worked out "
        "for: a body this large decides by vote (see the models' forecasts); mark the actors "
        "whose consent a deal needs (veto: true, or role: principal) to ask about a deal among them"
    )


# -- the record ------------------------------------------------------------------------------------


def model_result(
    mf: ModelForecast, sc: Scenario, arrays: ScenarioArrays, monte_carlo: bool
) -> rec.ModelResult:
    """One model's part of the forecast record."""
    res, an = mf.result, mf.analysis
    issues = []
    for k, issue in enumerate(sc.issues):
        isf = mf.issues[issue.id]
        counts, edges = isf.histogram()
        issues.append(
            rec.IssueResult(
                id=issue.id,
                name=issue.name,
                point=float(res.outcome[0, k]),
                status_quo=issue.status_quo,
                low=issue.low,
                high=issue.high,
                median=isf.median,
                mean=isf.mean,
                std=isf.std,
                intervals=intervals(isf.values),
                histogram=rec.Histogram(edges=edges.tolist(), counts=counts.tolist()),
            )
        )
    actors = []
    for a, actor in enumerate(sc.actors):
        af = mf.actors[actor.id]
        crossed = [
            rec.RedLineCrossing(issue=arrays.issue_ids[k], bound=bound)
            for k in range(arrays.n_issues)
            for bound, arr in (("min", an.below_red_line), ("max", an.above_red_line))
            if arr[0, a, k]
        ]
        actors.append(
            rec.ActorResult(
                id=actor.id,
                name=actor.name,
                decider=bool(an.decider[a]),
                point_accepts=bool(an.accepts[0, a]),
                point_utility=float(an.utility[0, a]),
                point_outside=float(an.outside[0, a]),
                point_red_lines_crossed=crossed,
                accepts=af.accept_share,
                utility=af.stats(),
            )
        )
    ag = mf.agreement
    assert ag is not None
    margin = ag.margin
    agreement = rec.AgreementResult(
        status=mf.status,  # type: ignore[arg-type]
        probabilities=rec.Probabilities(**mf.probabilities),
        blockers=[rec.Blocker(**b) for b in mf.blockers],
        margin=rec.Stats(
            median=float(np.median(margin)),
            mean=float(np.mean(margin)),
            intervals=intervals(margin),
        ),
    )
    trajectory = None
    tr = mf.trajectory
    if monte_carlo and tr is not None:
        held = arrays.has_stance[None, None]
        positions = np.where(held, tr.positions, np.nan)
        trajectory = rec.TrajectoryBands(
            levels=list(tr.levels),
            positions=rec.clean(positions),
            series={k: rec.clean(v) for k, v in tr.series.items()},
        )
    history = None
    if type(mf.model).dynamic:
        held = arrays.has_stance[None]
        history = rec.clean(np.where(held, res.history[0], np.nan))
    return rec.ModelResult(
        name=mf.name,
        steps=int(res.n_steps),
        series={name: rec.clean(values[0]) for name, values in res.series.items()},
        issues=issues,
        actors=actors,
        agreement=agreement,
        trajectory=trajectory,
        history=history,
        account=mf.model.describe(res, arrays),
    )


__all__ = [
    "BAND_LEVELS",
    "LEVELS",
    "ActorForecast",
    "AgreementForecast",
    "Columns",
    "Forecast",
    "IssueForecast",
    "ModelForecast",
    "Trajectory",
    "forecast",
    "hist_quantiles",
    "interval",
    "intervals",
    "model_result",
    "prepare",
    "run_columns",
]
