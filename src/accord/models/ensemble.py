"""The ensemble: a weighted blend of accord's one-shot and round-based models, with the weights
fitted to real outcomes.

The forecast is Σ_m w_m ŷ_m over the components (w_m ≥ 0, Σ w_m = 1, so it stays within the span
of theirs): the salience-weighted mean of the positions (``mean``: Σ s x / Σ s, capabilities
ignored), ``compromise``, the weighted ``median``, ``nash`` (winning coalition), ``bdm`` and
``procedural``. The weights minimise the sum of absolute errors (least absolute deviations, a
linear programme) on the cases they are fitted to (:func:`fit_weights`).

The weights it ships with are a versioned data file, ``accord/data/ensemble/<version>.json``
(setting ``weights``), that says what they were fitted on, how, and how the blend did under
cross-validation grouped by proposal. Evaluating the shipped weights on the cases they were fitted
to would be in-sample; the backtest (:mod:`accord.runs.backtest`) therefore refits them inside
every training fold, and that is the figure to judge it by (docs/accuracy.md).

The procedural settings (``procedure``, ``voting_rule``, ``quota``, ``agenda_setter``,
``parliament``, ``split``) go to the ``procedural`` component, and ``quota`` to ``nash``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, Literal

import numpy as np
from pydantic import Field

from accord.arrays import ScenarioArrays
from accord.errors import AccordError
from accord.models.base import BargainingModel, Result, static_result
from accord.models.compromise import weighted_mean
from accord.models.procedural import ProceduralSettings

#: the blend's components, in the order of the weights
COMPONENTS = ("mean", "compromise", "median", "nash", "bdm", "procedural")
#: the weights the model uses unless told otherwise
DEFAULT_WEIGHTS = "deu-dev-v1"


def salience_mean(arrays: ScenarioArrays) -> np.ndarray:
    """Σ s x / Σ s over the actors holding a stance, capabilities ignored (the status quo where
    nobody does): the one-line baseline of the backtests."""
    return weighted_mean(arrays.position, arrays.stance_salience(), arrays.status_quo)


@cache
def shipped_weights(version: str) -> dict[str, Any]:
    """The data file of a version of the fitted weights (``accord/data/ensemble/``)."""
    path = resources.files("accord") / "data" / "ensemble" / f"{version}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AccordError(f"no ensemble weights {version!r}", field="ensemble.weights") from None
    names = [c["name"] for c in data["components"]]
    if tuple(names) != COMPONENTS:
        raise AccordError(f"ensemble weights {version!r} list components {names}")
    return data


def fit_weights(predictions: np.ndarray, outcomes: np.ndarray) -> np.ndarray:
    """Blend weights (w ≥ 0, Σ w = 1) minimising Σ |y − X w|: ``predictions`` (N, M), one column
    per component, ``outcomes`` (N,). A linear programme (HiGHS) in w and the errors' two parts."""
    from scipy.optimize import linprog

    x = np.asarray(predictions, dtype=float)
    y = np.asarray(outcomes, dtype=float)
    n, m = x.shape
    cost = np.r_[np.zeros(m), np.ones(2 * n)]
    eye = np.eye(n)
    a_eq = np.r_[np.c_[x, eye, -eye], np.r_[np.ones(m), np.zeros(2 * n)][None]]
    b_eq = np.r_[y, 1.0]
    res = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * (m + 2 * n), method="highs")
    if not res.success:  # pragma: no cover - the programme is always feasible and bounded
        raise AccordError(f"fitting the ensemble weights failed: {res.message}")
    w = np.clip(res.x[:m], 0.0, None)
    return w / w.sum()


class EnsembleSettings(ProceduralSettings):
    weights: Literal["deu-dev-v1"] = Field(
        DEFAULT_WEIGHTS,
        description="which fitted weights to blend with (a versioned data file)",
        json_schema_extra={"source": "fitted on the DEU development split (docs/accuracy.md)"},
    )


class Ensemble(BargainingModel):
    name = "ensemble"
    label = "Ensemble (weights fitted to DEU outcomes)"
    reference = "least-absolute-deviations blend of accord's models; docs/accuracy.md"
    Settings = EnsembleSettings

    @property
    def blend(self) -> np.ndarray:
        data = shipped_weights(self.params["weights"])
        return np.array([c["weight"] for c in data["components"]], dtype=float)

    def component_models(self) -> list[BargainingModel]:
        """The models it blends (all but ``mean``, computed inline), with their settings."""
        from accord.models import MODELS

        p = dict(self.params)
        p.pop("weights")
        settings = {
            "nash": {"quota": p["quota"]},
            "bdm": {"record_dyads": False},
            "procedural": p,
        }
        return [MODELS[name](**settings.get(name, {})) for name in COMPONENTS[1:]]

    def components(
        self, arrays: ScenarioArrays, known: Mapping[str, np.ndarray] | None = None
    ) -> np.ndarray:
        """(D, I, M): each component's forecast (in :data:`COMPONENTS` order). A component in
        ``known`` (outcomes on the same arrays by :attr:`~BargainingModel.outcome_key`: the
        forecast ran it already, with the same settings) is not run again."""
        known = known or {}
        out = [salience_mean(arrays)]
        for model in self.component_models():
            got = None if model.stochastic else known.get(model.outcome_key)
            out.append(got if got is not None else model.run(arrays, rng=0).outcome)
        return np.stack(out, axis=-1)

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:
        return self._run_with(arrays, rng, {})

    def _run_with(
        self, arrays: ScenarioArrays, rng: np.random.Generator, known: Mapping[str, np.ndarray]
    ) -> Result:
        parts = self.components(arrays, known)
        out = parts @ self.blend
        return static_result(self, arrays, out, components=parts)


__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "Ensemble",
    "EnsembleSettings",
    "fit_weights",
    "salience_mean",
    "shipped_weights",
]
