"""Scoring forecasts against real outcomes: errors, intervals resampled by group, grouped
cross-validation folds, and the Brier score with a calibration table. numpy only.

**Groups.** Cases of one group (the issues of one legislative proposal) are not independent, so
every interval here comes from a bootstrap that resamples whole groups (a "cluster" bootstrap):
each resample draws as many groups as there are, with replacement, and every case of a drawn group
counts once per draw. Paired differences (a predictor against a baseline) use the same resamples
for both, so what is common to them cancels.

**Repeats.** A predictor fitted by cross-validation has one set of errors per repetition of the
random fold split, ``(R, N)``; its statistics are averaged over the repeats (for the MAE that is
the mean over the repeats of each repeat's MAE) and the bootstrap resamples the groups the same way
for every repeat.

>>> import numpy as np
>>> groups = np.array(["a", "a", "b", "c"])
>>> folds = grouped_folds(groups, 3, np.random.default_rng(0))
>>> all(not set(groups[tr]) & set(groups[te]) for tr, te in folds)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.errors import ParameterError

#: the central interval every score reports
LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A statistic on the cases as they are, with its bootstrap interval (``low``, ``high``)."""

    value: float
    low: float
    high: float


def errors(predicted: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Absolute errors; ``predicted`` (N,) or (R, N) against ``actual`` (N,) -> (R, N)."""
    p = np.atleast_2d(np.asarray(predicted, dtype=float))
    return np.abs(p - np.asarray(actual, dtype=float)[None, :])


def group_counts(groups: Sequence, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """``(n_boot, N)``: how many times each case counts in each resample of whole groups."""
    _, index = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    g = int(index.max()) + 1 if len(index) else 0
    if g == 0:
        return np.zeros((n_boot, 0))
    draws = rng.integers(0, g, size=(n_boot, g)) + g * np.arange(n_boot)[:, None]
    per_group = np.bincount(draws.ravel(), minlength=n_boot * g).reshape(n_boot, g)
    return per_group[:, index].astype(float)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Lower weighted median of ``values`` (N,) under each row of ``weights`` (B, N) -> (B,)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[:, order]
    cum = np.cumsum(w, axis=1)
    half = 0.5 * cum[:, -1:]
    first = np.argmax(cum >= half - 1e-12, axis=1)
    return v[first]


def _stat(err: np.ndarray, w: np.ndarray, kind: str, within: float) -> np.ndarray:
    """``kind`` of the errors ``err`` (R, N) under case weights ``w`` (B, N), averaged over R."""
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "mae":
            per = (w @ err.T) / total[:, None]
        elif kind == "within":
            per = (w @ (err <= within).T.astype(float)) / total[:, None]
        else:
            per = np.stack([_weighted_median(e, w) for e in err], axis=1)
    # a resample that drew none of these cases (a subset's breakdown) says nothing about them
    return np.where(total > 0, per.mean(axis=1), np.nan)


def _estimate(value: float, boot: np.ndarray) -> Estimate:
    boot = boot[np.isfinite(boot)] if boot.size else boot
    if not boot.size:
        return Estimate(float(value), float("nan"), float("nan"))
    lo, hi = np.quantile(boot, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return Estimate(float(value), float(lo), float(hi))


@dataclass(frozen=True)
class Scores:
    """Accuracy of one predictor on N cases."""

    n: int
    mae: Estimate
    median_ae: Estimate
    within: Estimate  # share of cases within ``threshold`` points
    threshold: float
    vs_baseline: Estimate | None = None  # MAE − the baseline's MAE (negative: better)


def score(
    err: np.ndarray,
    counts: np.ndarray,
    *,
    within: float = 10.0,
    baseline: np.ndarray | None = None,
) -> Scores:
    """MAE, median absolute error and the share within ``within`` points of the errors ``err``
    ((N,) or (R, N)), with intervals from the group resamples ``counts`` (B, N)
    (:func:`group_counts`); with ``baseline`` errors, the paired difference of MAEs as well."""
    err = np.atleast_2d(err)
    one = np.ones((1, err.shape[1]))
    out = {}
    for kind in ("mae", "median", "within"):
        # on the cases as they are, the usual median (the middle two averaged); the resamples
        # take the lower weighted median
        value = float(
            np.median(err, axis=1).mean() if kind == "median" else _stat(err, one, kind, within)[0]
        )
        out[kind] = _estimate(value, _stat(err, counts, kind, within) if counts.size else counts)
    diff = None
    if baseline is not None:
        base = np.atleast_2d(baseline)
        value = float(_stat(err, one, "mae", within)[0] - _stat(base, one, "mae", within)[0])
        boot = _stat(err, counts, "mae", within) - _stat(base, counts, "mae", within)
        diff = _estimate(value, boot)
    return Scores(err.shape[1], out["mae"], out["median"], out["within"], within, diff)


def grouped_folds(
    groups: Sequence, k: int, rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``k`` (train, test) index pairs: whole groups are dealt out to the folds at random, so no
    group has cases in both the training and the test part of any fold."""
    groups = np.asarray(groups, dtype=str)
    uniq = np.unique(groups)
    if not 2 <= k <= len(uniq):
        raise ParameterError(
            f"folds={k} must be between 2 and the number of groups ({len(uniq)})", field="folds"
        )
    shuffled = rng.permutation(uniq)
    fold_of = {g: i % k for i, g in enumerate(shuffled)}
    fold = np.array([fold_of[g] for g in groups])
    return [(np.flatnonzero(fold != j), np.flatnonzero(fold == j)) for j in range(k)]


def cross_val_predict(
    features: np.ndarray,
    outcomes: np.ndarray,
    groups: Sequence,
    fit,
    predict,
    *,
    folds: int = 5,
    repeats: int = 1,
    rng: np.random.Generator,
) -> tuple[np.ndarray, list[list]]:
    """Out-of-fold predictions ``(repeats, N)``: for every repetition of the random grouped split
    and every fold, ``fit(features[train], outcomes[train])`` is called on the training part only
    and ``predict(fitted, features[test])`` fills the test part. Returns the predictions and what
    was fitted (``[repeat][fold]``)."""
    x, y = np.asarray(features, dtype=float), np.asarray(outcomes, dtype=float)
    out = np.full((repeats, len(y)), np.nan)
    fitted: list[list] = []
    for r in range(repeats):
        fitted.append([])
        for train, test in grouped_folds(groups, folds, rng):
            f = fit(x[train], y[train])
            fitted[r].append(f)
            out[r, test] = predict(f, x[test])
    return out, fitted


# -- agreement ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    n: int
    predicted: float  # mean predicted probability
    observed: float  # share that reached agreement


def brier(p: np.ndarray, outcome: np.ndarray) -> float:
    """Mean squared difference between predicted probabilities and what happened (0/1)."""
    p, o = np.asarray(p, float), np.asarray(outcome, float)
    return float(np.mean((p - o) ** 2)) if p.size else float("nan")


def brier_estimate(p: np.ndarray, outcome: np.ndarray, counts: np.ndarray) -> Estimate:
    """The Brier score with its interval from the group resamples ``counts`` (B, N)."""
    sq = (np.asarray(p, float) - np.asarray(outcome, float)) ** 2
    total = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = np.where(total > 0, (counts @ sq) / total, np.nan)
    return _estimate(float(sq.mean()) if sq.size else float("nan"), boot)


def calibration(p: np.ndarray, outcome: np.ndarray, bins: int = 5) -> list[CalibrationBin]:
    """Predicted against observed frequency in ``bins`` equal-width bins of the probability
    (the last bin includes 1); empty bins are left out."""
    p, o = np.asarray(p, float), np.asarray(outcome, float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)
    out = []
    for b in range(bins):
        m = which == b
        if m.any():
            out.append(
                CalibrationBin(
                    float(edges[b]),
                    float(edges[b + 1]),
                    int(m.sum()),
                    float(p[m].mean()),
                    float(o[m].mean()),
                )
            )
    return out


__all__ = [
    "LEVEL",
    "CalibrationBin",
    "Estimate",
    "Scores",
    "brier",
    "brier_estimate",
    "calibration",
    "cross_val_predict",
    "errors",
    "group_counts",
    "grouped_folds",
    "score",
]
