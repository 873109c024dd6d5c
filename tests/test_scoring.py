"""Scoring: grouped folds never split a group, fitting sees training rows only, the bootstrap
resamples whole groups, and the numbers are the ones computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from accord import scoring
from accord.errors import ParameterError


@pytest.mark.parametrize("seed", range(8))
def test_grouped_folds_never_put_a_group_on_both_sides(seed):
    rng = np.random.default_rng(seed)
    groups = rng.choice([f"p{k}" for k in range(int(rng.integers(5, 30)))], size=120)
    k = int(rng.integers(2, 6))
    folds = scoring.grouped_folds(groups, k, rng)
    assert len(folds) == k
    tested = np.concatenate([te for _, te in folds])
    assert sorted(tested.tolist()) == list(range(len(groups)))  # every case tested exactly once
    for train, test in folds:
        assert not set(groups[train]) & set(groups[test])
        assert len(train) + len(test) == len(groups)


def test_folds_need_enough_groups():
    with pytest.raises(ParameterError, match="folds"):
        scoring.grouped_folds(["a", "a", "b"], 3, np.random.default_rng(0))


def test_cross_val_predict_fits_on_training_rows_only():
    rng = np.random.default_rng(3)
    groups = np.repeat([f"g{k}" for k in range(10)], 3)
    x = np.arange(30, dtype=float)[:, None]  # the feature is the row's own index
    y = x[:, 0] * 2.0
    seen = []

    def fit(xt, yt):  # "fits" a token: which call this was
        seen.append(set(xt[:, 0].astype(int)))
        return float(len(seen) - 1)

    oof, fitted = scoring.cross_val_predict(
        x, y, groups, fit, lambda f, xt: np.full(len(xt), f), folds=5, repeats=3, rng=rng
    )
    assert oof.shape == (3, 30) and not np.isnan(oof).any()
    assert len(fitted) == 3 and all(len(r) == 5 for r in fitted)
    for r in range(3):
        for j in range(5):
            train = seen[5 * r + j]
            # the rows predicted with this fit are exactly those it did not see
            predicted = {i for i in range(30) if oof[r, i] == fitted[r][j]}
            assert predicted and not train & predicted
            assert not {groups[i] for i in train} & {groups[i] for i in predicted}


def test_group_counts_move_whole_groups():
    groups = ["a", "a", "a", "b", "c", "c"]
    counts = scoring.group_counts(groups, 500, np.random.default_rng(0))
    assert counts.shape == (500, 6)
    assert (counts[:, 0] == counts[:, 1]).all() and (counts[:, 1] == counts[:, 2]).all()
    assert (counts[:, 4] == counts[:, 5]).all()
    # each resample draws three groups
    per_group = counts[:, [0, 3, 4]]
    assert (per_group.sum(axis=1) == 3).all()


def test_scores_by_hand():
    actual = np.array([0.0, 10.0, 20.0, 30.0])
    pred = np.array([5.0, 10.0, 40.0, 31.0])  # errors 5, 0, 20, 1
    base = np.array([0.0, 0.0, 0.0, 0.0])  # errors 0, 10, 20, 30
    counts = scoring.group_counts(["a", "b", "c", "d"], 400, np.random.default_rng(1))
    s = scoring.score(
        scoring.errors(pred, actual), counts, within=5, baseline=scoring.errors(base, actual)
    )
    assert s.n == 4
    assert s.mae.value == pytest.approx(6.5)
    assert s.median_ae.value == pytest.approx(3.0)  # the middle two, 1 and 5, averaged
    assert s.within.value == pytest.approx(0.75)
    assert s.vs_baseline.value == pytest.approx(6.5 - 15.0)
    assert s.mae.low <= s.mae.value <= s.mae.high
    # repeats: the MAE is the mean of each repeat's MAE
    two = scoring.score(scoring.errors(np.stack([pred, base]), actual), counts)
    assert two.mae.value == pytest.approx((6.5 + 15.0) / 2)


def test_no_resamples_gives_no_interval():
    s = scoring.score(
        np.array([1.0, 3.0]), scoring.group_counts(["a", "b"], 0, np.random.default_rng(0))
    )
    assert s.mae.value == 2.0 and np.isnan(s.mae.low)


def test_brier_and_calibration():
    p = np.array([0.1, 0.1, 0.9, 0.9, 0.5])
    o = np.array([0, 1, 1, 1, 0])
    assert scoring.brier(p, o) == pytest.approx((0.01 + 0.81 + 0.01 + 0.01 + 0.25) / 5)
    bins = scoring.calibration(p, o, bins=5)
    assert [(b.low, b.n, b.observed) for b in bins] == [(0.0, 2, 0.5), (0.4, 1, 0.0), (0.8, 2, 1.0)]
    assert scoring.calibration(np.array([1.0]), np.array([1]))[0].high == 1.0
    counts = scoring.group_counts(["a", "a", "b", "c", "d"], 300, np.random.default_rng(2))
    est = scoring.brier_estimate(p, o, counts)
    assert est.value == pytest.approx(scoring.brier(p, o)) and est.low <= est.value <= est.high
