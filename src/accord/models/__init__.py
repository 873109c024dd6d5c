"""Bargaining models behind one contract (:class:`accord.models.base.BargainingModel`).

``MODELS`` maps each model's name to its class; :func:`get_model` builds one by name.
"""

from __future__ import annotations

from accord.errors import UnknownNameError
from accord.models.base import BargainingModel, Result
from accord.models.compromise import Compromise
from accord.models.median import MedianVoter, WeightedMedian
from accord.models.nash import NashBargaining

MODELS: dict[str, type[BargainingModel]] = {
    m.name: m for m in (Compromise, WeightedMedian, MedianVoter, NashBargaining)
}


def register(model: type[BargainingModel]) -> type[BargainingModel]:
    MODELS[model.name] = model
    return model


def _register_optional() -> None:
    # Models that live in their own modules register here so the registry has one place.
    import importlib

    for module in ("accord.models.bdm", "accord.models.smp"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:  # not written yet
            if exc.name != module:
                raise
            continue
        for obj in vars(mod).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, BargainingModel)
                and getattr(obj, "name", None)
            ):
                if obj.__module__ == module:
                    MODELS[obj.name] = obj


_register_optional()


def get_model(name: str, **params) -> BargainingModel:
    """Build the model called ``name`` with ``params`` (see each model's ``defaults``)."""
    try:
        cls = MODELS[name]
    except KeyError:
        raise UnknownNameError(
            f"no model called {name!r}", hint="choose one of: " + ", ".join(MODELS)
        ) from None
    return cls(**params)


__all__ = ["MODELS", "BargainingModel", "Result", "get_model", "register"]
