"""The one contract every bargaining model follows.

Like a scikit-learn estimator: the constructor stores (and checks) the parameters, and all the work
happens in :meth:`BargainingModel.run`, a pure function of a :class:`ScenarioArrays` with a leading
draws axis. Every model passes the conformance suite in ``tests/models/test_conformance.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from accord.errors import ParameterError
from accord.scenario.arrays import ScenarioArrays


@dataclass(frozen=True)
class Result:
    """What a model run returns.

    Attributes
    ----------
    model, params
        The model's name and the full parameter set it ran with (its switches are data).
    outcome
        ``(draws, issues)``: the predicted outcome per issue.
    history
        ``(draws, steps, actors, issues)``: positions per step; ``history[:, 0]`` are the initial
        positions, a static model has a single step.
    series
        Named per-step summaries, each ``(draws, steps, issues)`` (e.g. ``"median"``, ``"mean"``).
    details
        Model-specific extras (e.g. BDM's dyadic tables), documented by each model.
    """

    model: str
    params: dict[str, Any]
    outcome: np.ndarray
    history: np.ndarray
    series: dict[str, np.ndarray] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def n_steps(self) -> int:
        return self.history.shape[1]


class BargainingModel:
    """Base class: subclasses set ``name``, ``label``, ``reference``, ``defaults`` and ``_run``."""

    name: ClassVar[str]
    label: ClassVar[str]
    reference: ClassVar[str]
    #: parameter name -> default value
    defaults: ClassVar[dict[str, Any]] = {}
    #: parameter name -> allowed values, for parameters that are named choices
    choices: ClassVar[dict[str, tuple]] = {}

    def __init__(self, **params: Any):
        unknown = set(params) - set(self.defaults)
        if unknown:
            known = ", ".join(sorted(self.defaults)) or "none"
            raise ParameterError(
                f"model {self.name!r} has no parameter(s) {', '.join(sorted(unknown))}",
                hint=f"its parameters are: {known}",
            )
        merged = {**self.defaults, **params}
        for key, allowed in self.choices.items():
            if merged[key] not in allowed:
                raise ParameterError(
                    f"model {self.name!r}: {key}={merged[key]!r} is not one of {', '.join(map(str, allowed))}",
                    hint=f"pick one of: {', '.join(map(str, allowed))}",
                )
        self.params = merged
        self._check_params()

    def _check_params(self) -> None:
        """Subclasses raise :class:`ParameterError` for out-of-range values."""

    def run(self, arrays: ScenarioArrays, rng: np.random.Generator | int | None = None) -> Result:
        """Run the model on every draw at once."""
        return self._run(arrays, np.random.default_rng(rng))

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:  # pragma: no cover
        raise NotImplementedError

    def describe(self, result: Result, arrays: ScenarioArrays, draw: int = 0) -> dict[str, Any]:
        """Model-specific JSON-able account of one draw (e.g. BDM's moves); empty by default."""
        return {}

    def narrate(
        self,
        result: Result,
        arrays: ScenarioArrays,
        draw: int = 0,
        names: dict[str, str] | None = None,
    ) -> list[str]:
        """Readable sentences on the dynamics of one draw (who moved toward whom, and why).

        ``names`` maps actor ids to display names.
        """
        return []

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"


def weights(arrays: ScenarioArrays) -> np.ndarray:
    """Capability × salience, ``(draws, actors, issues)``: the weight of each actor on each issue."""
    return arrays.capability[:, :, None] * arrays.salience


def static_result(
    model: BargainingModel, arrays: ScenarioArrays, outcome: np.ndarray, **details
) -> Result:
    """A Result for a one-shot model: the history is just the initial positions."""
    return Result(
        model=model.name,
        params=dict(model.params),
        outcome=outcome,
        history=arrays.position[:, None].copy(),
        series={},
        details=details,
    )
