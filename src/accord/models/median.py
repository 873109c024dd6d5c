"""Median models: the weighted median and the median voter (Condorcet) position.

*Weighted median*: sort the positions, accumulate capability × salience, take the first position
whose cumulative weight reaches half the total (the lower weighted median).

*Median voter*: the actor position that beats every other actor position in pairwise votes where
each actor k casts c_k s_k (|x_k − b| − |x_k − a|) for a over b — the risk-neutral vote of Bueno de
Mesquita's model as coded by Scholz et al. (2011). a's total margin over b is D(b) − D(a) with
D(a) = Σ_k c_k s_k |x_k − a|, so the winner is the candidate with the smallest D; on one dimension
that is a weighted median, ties broken toward the lower position.

>>> from accord.arrays import from_table
>>> a = from_table(["a", "b", "c"], [1, 1, 1], [10, 40, 90], [1.0, 1.0, 1.0])
>>> float(WeightedMedian().run(a).outcome[0, 0]), float(MedianVoter().run(a).outcome[0, 0])
(40.0, 40.0)
"""

from __future__ import annotations

import numpy as np

from accord.arrays import ScenarioArrays
from accord.models.base import BargainingModel, Result, static_result, weights


def weighted_median(position: np.ndarray, w: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Lower weighted median over the actors axis (-2) of ``(..., A, I)`` arrays."""
    order = np.argsort(position, axis=-2, kind="stable")
    xs = np.take_along_axis(position, order, axis=-2)
    cum = np.cumsum(np.take_along_axis(w, order, axis=-2), axis=-2)
    total = cum[..., -1:, :]
    first = np.argmax(cum >= 0.5 * total - 1e-12 * np.abs(total), axis=-2)
    out = np.take_along_axis(xs, first[..., None, :], axis=-2)[..., 0, :]
    return np.where(total[..., 0, :] > 0, out, np.broadcast_to(fallback, out.shape))


def median_voter(
    position: np.ndarray, w: np.ndarray, fallback: np.ndarray, candidate: np.ndarray | None = None
) -> np.ndarray:
    """The candidate position with the smallest weighted distance sum (see module docstring).

    ``candidate`` (broadcastable to ``position``) marks the positions that may win (the actors that
    take part); by default every position."""
    # dist[..., a, k, i] = |x_a - x_k|; D[..., a, i] = Σ_k w_k |x_a - x_k|
    dist = np.abs(position[..., :, None, :] - position[..., None, :, :])
    total_dist = np.einsum("...aki,...ki->...ai", dist, w)
    # ties (equal D) go to the lower position: compare D first, then the position itself
    if candidate is not None:
        total_dist = np.where(candidate, total_dist, np.inf)
    best = np.min(total_dist, axis=-2, keepdims=True)
    tol = 1e-9 * np.maximum(1.0, np.abs(best))
    cand = np.where(total_dist <= best + tol, position, np.inf)
    out = cand.min(axis=-2)
    has_weight = w.sum(axis=-2) > 0
    return np.where(has_weight, out, np.broadcast_to(fallback, out.shape))


class WeightedMedian(BargainingModel):
    name = "median"
    label = "Weighted median"
    reference = "Achen 2006; Thomson et al. 2006, The European Union Decides (CUP)"

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:
        out = weighted_median(arrays.position, weights(arrays), arrays.status_quo)
        return static_result(self, arrays, out)


class MedianVoter(BargainingModel):
    name = "condorcet"
    label = "Median voter (Condorcet position)"
    reference = "Black 1948; Bueno de Mesquita 1994; Scholz, Calbert & Smith 2011"

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:
        out = median_voter(
            arrays.position, weights(arrays), arrays.status_quo, arrays.has_stance[None]
        )
        return static_result(self, arrays, out)
