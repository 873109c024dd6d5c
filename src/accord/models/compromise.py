"""The compromise model: the capability × salience weighted mean of the positions.

Achen (2006), "Institutional realism and bargaining models", in Thomson, Stokman, Achen & König
(eds.), *The European Union Decides*, CUP, ch. 4: x̂ = Σ c_i s_i x_i / Σ c_i s_i, motivated there as
the Nash bargaining solution under salience-weighted quadratic losses.

>>> from accord.arrays import from_table
>>> a = from_table(["a", "b"], [1, 3], [0, 100], [1.0, 1.0])
>>> float(Compromise().run(a).outcome[0, 0])
75.0
"""

from __future__ import annotations

import numpy as np

from accord.arrays import ScenarioArrays
from accord.models.base import BargainingModel, Result, static_result, weights


def weighted_mean(position: np.ndarray, w: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Σ w x / Σ w over the actors axis (-2); ``fallback`` where nobody carries weight."""
    total = w.sum(axis=-2)
    num = (w * position).sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / total
    return np.where(total > 0, out, np.broadcast_to(fallback, out.shape))


class Compromise(BargainingModel):
    name = "compromise"
    label = "Compromise (weighted mean)"
    reference = "Achen 2006, ch. 4 of The European Union Decides (CUP)"

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:
        out = weighted_mean(arrays.position, weights(arrays), arrays.status_quo)
        return static_result(self, arrays, out)
