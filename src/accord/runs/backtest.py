"""Backtests: run models on real cases with known outcomes and score them.

:func:`backtest` takes :class:`~accord.scenario.case.Case` objects — from a DEU-format file
(:func:`backtest_deu`, via :func:`accord.scenario.deu.read_deu`) or from case files
(:func:`backtest_cases`) — runs every model on every case exactly as a forecast would
(:func:`accord.runs.forecast.run_columns`: the point run on the scenario's own numbers, and with
``runs > 1`` the draws behind a probability of agreement) and scores the point forecasts against
the outcomes (:mod:`accord.scoring`):

- per predictor: MAE, median absolute error and the share within ``within`` points, each with a
  95% interval from resampling whole **groups** (a DEU proposal's issues together), and the paired
  difference of its MAE from the **baseline**'s (the salience-weighted mean of the positions) on
  the same resamples; broken down by each tag (procedure, rule, treaty period);
- for agreement (cases where it is known): the Brier score of each model's probability of
  agreement and a calibration table;
- two baselines beside the models: ``mean`` (Σ s x / Σ s, capabilities ignored — one line of
  numpy) and ``status_quo``.

**The ensemble** (:mod:`accord.models.ensemble`) is scored honestly: with ``ensemble="cv"`` (the
default for DEU) its blend weights are refitted inside every training fold of a cross-validation
grouped by the cases' groups — no group has cases in both a training and a test fold — repeated
``repeats`` times, and it is scored on its out-of-fold forecasts. ``ensemble="shipped"`` scores the
weights it ships with (flagged ``in_sample`` when they were fitted to the same file).

>>> from accord.runs.backtest import backtest_cases
>>> bt = backtest_cases(["ec-car-emissions"], "compromise", seed=1)  # doctest: +SKIP
>>> bt.record.results.predictors[0].agreement.brier  # doctest: +SKIP
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord import scoring
from accord._version import __version__
from accord.errors import ParameterError
from accord.models.ensemble import COMPONENTS, fit_weights, salience_mean, shipped_weights
from accord.outcome import STATUS_NAMES, analyse
from accord.runs import records as rec
from accord.runs.forecast import RunFacts, run_columns
from accord.runs.options import build_models, model_names, resolve_seed
from accord.scenario.case import Case, builtin_case_ids, load_case
from accord.scenario.deu import DeuOptions, read_deu

#: the baselines scored beside the models
BASELINES = {"mean": "salience-weighted mean", "status_quo": "the status quo"}
BASELINE = "mean"
ENSEMBLE_MODES = ("cv", "shipped")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Item:
    """One scored unit: an issue of a case."""

    case: int
    issue: int
    issue_id: str
    actual: float | None


@dataclass(repr=False)
class Backtest(RunFacts):
    """A backtest: the cases, every predictor's point forecasts and the run record."""

    cases: list[Case]
    predictions: dict[str, np.ndarray]  # predictor -> (R, N) over the scored items
    actual: np.ndarray  # (N,)
    record: rec.RunRecord

    @property
    def results(self) -> rec.BacktestResults:
        return self.record.results  # type: ignore[return-value]

    def scores(self, name: str) -> rec.AccuracyScores | None:
        return next(p.overall for p in self.results.predictors if p.name == name)

    def to_json(self) -> dict:
        return self.record.to_json()

    def __repr__(self) -> str:
        lines = [f"Backtest on {self.results.scored} scored issues in {self.results.groups} groups"]
        for p in self.results.predictors:
            if p.overall is not None:
                lines.append(f"  {p.name}: MAE {p.overall.mae.value:.2f}")
        return "\n".join(lines)


def _interval(e: scoring.Estimate) -> rec.Interval95:
    return rec.Interval95(value=e.value, low=e.low, high=e.high)


def _scores(s: scoring.Scores) -> rec.AccuracyScores:
    return rec.AccuracyScores(
        n=s.n,
        mae=_interval(s.mae),
        median_ae=_interval(s.median_ae),
        within=_interval(s.within),
        threshold=s.threshold,
        vs_baseline=_interval(s.vs_baseline) if s.vs_baseline is not None else None,
    )


def _breakdowns(tags: list[dict[str, str]]) -> dict[str, list[str]]:
    """Each tag's value per item, and ``procedure×rule`` when both are there."""
    keys = sorted({k for t in tags for k in t})
    out = {k: [t.get(k, "—") for t in tags] for k in keys}
    if "procedure" in keys and "rule" in keys:
        out["procedure×rule"] = [f"{t.get('procedure')}-{t.get('rule')}" for t in tags]
    return out


def _run_cases(
    cases: Sequence[Case],
    names: Sequence[str],
    *,
    params: Mapping[str, Mapping[str, Any]] | None,
    runs: int,
    seed: int,
    uncertainty: Any,
    progress: Progress | None,
) -> tuple[dict[str, list[float]], dict[str, list[float]], list[np.ndarray], dict[str, float]]:
    """Every model on every case as a forecast runs it, one model at a time (so each one's time
    is its own): the point forecasts per item (baselines included), P(agreement) per case, the
    ensemble's component forecasts, and the seconds spent on each model."""
    from accord.scenario.convert import to_arrays

    point: dict[str, list[float]] = {n: [] for n in (*BASELINES, *names)}
    p_agree: dict[str, list[float]] = {n: [] for n in names}
    components: list[np.ndarray] = []
    seconds = dict.fromkeys(names, 0.0)
    for c, case in enumerate(cases):
        for n in names:
            t = time.perf_counter()
            cols = run_columns(
                {"base": case.scenario},
                [n],
                params=params,
                runs=runs,
                seed=seed,
                uncertainty=uncertainty,
            )
            seconds[n] += time.perf_counter() - t
            mf = cols.models["base"][n]
            point[n].extend(mf.result.outcome[0].tolist())
            p_agree[n].append(mf.probabilities["agreement"])
            if n == "ensemble":
                components.append(mf.result.details["components"][0])
        arrays = to_arrays(case.scenario)
        point["mean"].extend(salience_mean(arrays)[0].tolist())
        point["status_quo"].extend(arrays.status_quo.tolist())
        if progress is not None:
            progress(c + 1, len(cases))
    return point, p_agree, components, seconds


def _accuracy(
    predicted: np.ndarray,
    actual: np.ndarray,
    counts: np.ndarray,
    base_err: np.ndarray,
    by: Mapping[str, list[str]],
    within: float,
) -> tuple[rec.AccuracyScores | None, dict[str, dict[str, rec.AccuracyScores]]]:
    """One predictor's scores overall and in each group of each tag (None and {} with no
    scored case)."""
    if not actual.size:
        return None, {}
    err = scoring.errors(predicted, actual)
    overall = _scores(scoring.score(err, counts, within=within, baseline=base_err))
    breakdown = {}
    for key, values in by.items():
        v = np.array(values)
        breakdown[key] = {
            val: _scores(
                scoring.score(
                    err[:, v == val],
                    counts[:, v == val],
                    within=within,
                    baseline=base_err[:, v == val],
                )
            )
            for val in sorted(set(values))
        }
    return overall, breakdown


def _rows(
    cases: Sequence[Case],
    items: Sequence[_Item],
    scored: np.ndarray,
    preds: Mapping[str, np.ndarray],
    point: Mapping[str, list[float]],
    p_agree: Mapping[str, list[float]],
    names: Sequence[str],
) -> list[rec.CaseRow]:
    """The per-case table: a cross-validated forecast is its mean over the repeats."""
    column = np.cumsum(scored) - 1  # item -> its column among the scored ones
    rows = []
    for i, it in enumerate(items):
        case = cases[it.case]
        rows.append(
            rec.CaseRow(
                case=case.id,
                issue=it.issue_id,
                group=case.group_id,
                tags=case.tags,
                actual=it.actual,
                agreement=case.outcome.reached,
                predictions={
                    n: float(preds[n][:, column[i]].mean()) if scored[i] else point[n][i]
                    for n in names
                },
                p_agreement={n: v[it.case] for n, v in p_agree.items()},
            )
        )
    return rows


def _cross_validate(
    x: np.ndarray,
    actual: np.ndarray,
    groups: np.ndarray,
    folds: int,
    repeats: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, rec.CrossValidation]:
    """The ensemble's out-of-fold forecasts ``(repeats, N)``: its blend weights fitted on the
    training folds only (whole groups per fold), and the spread of the weights fitted."""
    oof, fitted = scoring.cross_val_predict(
        x, actual, groups, fit_weights, lambda w, xt: xt @ w, folds=folds, repeats=repeats, rng=rng
    )
    weights = np.array([w for rep in fitted for w in rep])
    cv = rec.CrossValidation(
        folds=folds,
        repeats=repeats,
        groups=len(set(groups)),
        weights_mean=dict(zip(COMPONENTS, weights.mean(axis=0).tolist(), strict=True)),
        weights_low=dict(zip(COMPONENTS, weights.min(axis=0).tolist(), strict=True)),
        weights_high=dict(zip(COMPONENTS, weights.max(axis=0).tolist(), strict=True)),
    )
    return oof, cv


def backtest(
    cases: Sequence[Case],
    models: str | Sequence[str] = "all",
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    ensemble: str = "cv",
    folds: int = 5,
    repeats: int = 10,
    bootstrap: int = 2000,
    within: float = 10.0,
    seed: int | None = None,
    runs: int = 1,
    uncertainty: Any = None,
    source: str = "cases",
    file: str | None = None,
    content_hash: str | None = None,
    options: Mapping[str, Any] | None = None,
    notes: Sequence[str] = (),
    trained_on: str | None = None,
    progress: Progress | None = None,
) -> Backtest:
    """Run ``models`` on ``cases`` and score them (see the module docstring).

    ``ensemble``: ``"cv"`` (weights refitted inside every training fold of ``folds``-fold
    cross-validation grouped by the cases' groups, repeated ``repeats`` times) or ``"shipped"``.
    ``bootstrap`` resamples of whole groups give the 95% intervals. ``seed`` (None: a fresh one,
    recorded) fixes the folds, the resamples and any draws (``runs > 1``)."""
    started, t0 = rec.now(), time.perf_counter()
    if not cases:
        raise ParameterError("no cases to backtest", field="cases")
    if ensemble not in ENSEMBLE_MODES:
        raise ParameterError(
            f"ensemble={ensemble!r} is not one of {', '.join(ENSEMBLE_MODES)}", field="ensemble"
        )
    for name, value, low in (
        ("folds", folds, 2),
        ("repeats", repeats, 1),
        ("bootstrap", bootstrap, 0),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ParameterError(f"{name}={value!r} must be a whole number >= {low}", field=name)
    names = model_names(models)
    entropy = resolve_seed(seed)
    rng = np.random.default_rng(entropy)
    built = build_models(names, cases[0].scenario, params)

    items = [
        _Item(c, k, issue.id, case.outcome.value(issue.id))
        for c, case in enumerate(cases)
        for k, issue in enumerate(case.scenario.issues)
    ]
    point, p_agree, components, seconds = _run_cases(
        cases,
        names,
        params=params,
        runs=runs,
        seed=entropy,
        uncertainty=uncertainty,
        progress=progress,
    )

    scored = np.array([it.actual is not None for it in items])
    actual = np.array([it.actual for it in items if it.actual is not None], dtype=float)
    groups = np.array([cases[it.case].group_id for it in items])[scored]
    tags = [cases[it.case].tags for it in items if it.actual is not None]
    preds = {n: np.asarray(v, dtype=float)[scored][None, :] for n, v in point.items()}

    cv = None
    evaluation = dict.fromkeys(names, "as is")
    in_sample = dict.fromkeys(names, False)
    if "ensemble" in names:
        if ensemble == "cv":
            preds["ensemble"], cv = _cross_validate(
                np.concatenate(components, axis=0)[scored], actual, groups, folds, repeats, rng
            )
            evaluation["ensemble"] = "grouped cross-validation"
            # its agreement: the rule applied to the out-of-fold point forecast
            mean_oof = np.full(len(items), np.nan)
            mean_oof[scored] = preds["ensemble"].mean(axis=0)
            p_agree["ensemble"] = _agreement_of(cases, items, mean_oof, p_agree["ensemble"])
        else:
            evaluation["ensemble"] = "shipped weights"
            version = built["ensemble"][0].params["weights"]
            in_sample["ensemble"] = content_hash is not None and content_hash == (
                trained_on or shipped_weights(version)["training"]["sha256"]
            )

    counts = scoring.group_counts(groups, bootstrap, rng)
    base_err = scoring.errors(preds[BASELINE], actual)
    by = _breakdowns(tags)
    reached = np.array([c.outcome.reached for c in cases], dtype=object)
    known = np.array([r is not None for r in reached])
    case_counts = scoring.group_counts(
        [c.group_id for c, k in zip(cases, known, strict=True) if k], bootstrap, rng
    )
    predictors = []
    for n in (*BASELINES, *names):
        is_model = n not in BASELINES
        overall, breakdown = _accuracy(preds[n], actual, counts, base_err, by, within)
        agreement = None
        if n in p_agree and known.any():
            p = np.array(p_agree[n], dtype=float)[known]
            o = reached[known].astype(float)
            agreement = rec.AgreementScores(
                n=int(known.sum()),
                brier=_interval(scoring.brier_estimate(p, o, case_counts)),
                calibration=[rec.CalibrationRow(**vars(b)) for b in scoring.calibration(p, o)],
            )
        predictors.append(
            rec.PredictorResult(
                name=n,
                label=built[n][0].label if is_model else BASELINES[n],
                kind="model" if is_model else "baseline",
                evaluation=evaluation.get(n, "as is"),
                in_sample=in_sample.get(n, False),
                overall=overall,
                breakdown=breakdown,
                agreement=agreement,
                seconds=seconds.get(n, 0.0),
            )
        )

    rows = _rows(cases, items, scored, preds, point, p_agree, (*BASELINES, *names))

    results = rec.BacktestResults(
        source=source,  # type: ignore[arg-type]
        file=file,
        options=dict(options or {}),
        baseline=BASELINE,
        bootstrap=bootstrap,
        level=scoring.LEVEL,
        cases=len(cases),
        scored=int(actual.size),
        groups=len(set(groups)),
        predictors=predictors,
        rows=rows,
        cross_validation=cv,
        notes=list(notes)
        + [
            "each case's own settings (procedure, rule, quota, agenda setter, parliament) come from "
            "its scenario's models: section; the settings recorded are those of the first case"
        ],
    )
    effective = rec.content_hash([c.model_dump(mode="json") for c in cases])
    ref = rec.ScenarioRef(
        id=f"{source}:{os.path.basename(file)}" if file else source,
        title=f"backtest on {len(cases)} case(s)" + (f" from {file}" if file else ""),
        as_of=None,
        content_hash=content_hash or effective,
        effective_hash=effective,
    )
    record = rec.RunRecord(
        accord_version=__version__,
        scenario=ref,
        models=[built[n][1] for n in names],
        seed=entropy,
        runs=int(runs),
        draws=int(runs),
        started=started,
        finished=rec.now(),
        seconds=time.perf_counter() - t0,
        results=results,
    )
    return Backtest(list(cases), preds, actual, record)


def _agreement_of(
    cases: Sequence[Case], items: Sequence[_Item], outcome: np.ndarray, fallback: list[float]
) -> list[float]:
    """Per case: 1.0 when the agreement rule accepts ``outcome`` (per item, NaN where unscored:
    the case's ``fallback`` probability is kept)."""
    from accord.scenario.convert import to_arrays

    out = list(fallback)
    for c, case in enumerate(cases):
        ks = [i for i, it in enumerate(items) if it.case == c]
        y = outcome[ks]
        if np.isnan(y).any():
            continue
        status = analyse(to_arrays(case.scenario), y[None, :]).status[0]
        out[c] = float(STATUS_NAMES[int(status)] == "agreement")
    return out


def backtest_deu(
    path: str | os.PathLike,
    models: str | Sequence[str] = "all",
    *,
    options: DeuOptions | Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> Backtest:
    """Backtest on a DEU-format file (:func:`accord.scenario.deu.read_deu`)."""
    data = read_deu(path, options)
    return backtest(
        data.cases,
        models,
        source="deu",
        file=data.file,
        content_hash=data.content_hash,
        options=data.options.model_dump(),
        notes=data.notes,
        **kwargs,
    )


def backtest_cases(
    sources: Sequence[str | os.PathLike] | None = None,
    models: str | Sequence[str] = "all",
    **kwargs: Any,
) -> Backtest:
    """Backtest on case files or built-in case ids (default: every built-in case); the ensemble
    is scored with its shipped weights unless told otherwise (a few cases cannot be
    cross-validated)."""
    sources = list(sources) if sources else builtin_case_ids()
    cases = [load_case(s) for s in sources]
    kwargs.setdefault("ensemble", "shipped")
    return backtest(cases, models, source="cases", **kwargs)


__all__ = ["BASELINES", "Backtest", "backtest", "backtest_cases", "backtest_deu"]
