"""Bargaining models behind one contract (:class:`accord.models.base.BargainingModel`).

``MODELS`` maps each model's name to its class; :func:`get_model` builds one by name.
"""

from __future__ import annotations

from accord.errors import UnknownNameError
from accord.models.base import BargainingModel, Result
from accord.models.bdm import BDM
from accord.models.compromise import Compromise
from accord.models.ensemble import Ensemble
from accord.models.median import MedianVoter, WeightedMedian
from accord.models.nash import NashBargaining
from accord.models.procedural import Procedural
from accord.models.smp import SMP

MODELS: dict[str, type[BargainingModel]] = {
    m.name: m
    for m in (
        Compromise,
        WeightedMedian,
        MedianVoter,
        NashBargaining,
        BDM,
        SMP,
        Procedural,
        Ensemble,
    )
}


def get_model(name: str, **params) -> BargainingModel:
    """Build the model called ``name`` with ``params`` (see each model's ``defaults``)."""
    try:
        cls = MODELS[name]
    except KeyError:
        raise UnknownNameError(
            f"no model called {name!r}", hint="choose one of: " + ", ".join(MODELS)
        ) from None
    return cls(**params)


__all__ = ["MODELS", "BargainingModel", "Result", "get_model"]
