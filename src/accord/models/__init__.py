"""Bargaining models behind one contract (:class:`accord.models.base.BargainingModel`).

``MODELS`` maps each model's name to its class; :func:`get_model` builds one by name. The
registry names each built-in model's module, and a module is imported the first time its class
is asked for: listing or checking names (``list(MODELS)``, ``"smp" in MODELS``) imports no model,
so a command that runs one model loads only that one.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

from accord.errors import UnknownNameError
from accord.numbers import shown

if TYPE_CHECKING:  # pragma: no cover
    from accord.models.base import BargainingModel, Result

#: name -> (module, class) of every built-in model, in the order the interfaces list them
BUILTIN: dict[str, tuple[str, str]] = {
    "compromise": ("accord.models.compromise", "Compromise"),
    "median": ("accord.models.median", "WeightedMedian"),
    "condorcet": ("accord.models.median", "MedianVoter"),
    "nash": ("accord.models.nash", "NashBargaining"),
    "bdm": ("accord.models.bdm", "BDM"),
    "smp": ("accord.models.smp", "SMP"),
    "procedural": ("accord.models.procedural", "Procedural"),
    "ensemble": ("accord.models.ensemble", "Ensemble"),
}


class ModelRegistry(MutableMapping):
    """name -> model class, importing a built-in model's module when its class is first needed.

    Behaves as a dict (in order; ``MODELS[name] = cls`` registers a model, ``del`` removes one).
    """

    def __init__(self, entries: dict[str, Any]):
        self._entries: dict[str, Any] = dict(entries)  # a class, or (module, class) not yet loaded

    def __getitem__(self, name: str) -> type[BargainingModel]:
        entry = self._entries[name]
        if isinstance(entry, tuple):
            module, cls_name = entry
            entry = getattr(importlib.import_module(module), cls_name)
            self._entries[name] = entry
        return entry

    def __setitem__(self, name: str, cls: type[BargainingModel]) -> None:
        self._entries[name] = cls

    def __delitem__(self, name: str) -> None:
        del self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:  # without importing the model
        return name in self._entries

    def __repr__(self) -> str:
        return f"ModelRegistry({', '.join(self._entries)})"


MODELS: ModelRegistry = ModelRegistry(BUILTIN)


def get_model(name: str, **params) -> BargainingModel:
    """Build the model called ``name`` with ``params`` (see each model's ``defaults``)."""
    try:
        cls = MODELS[name]
    except (KeyError, TypeError):
        raise UnknownNameError(
            f"no model called {shown(name)}",
            hint="choose one of: " + ", ".join(MODELS),
            field="model",
        ) from None
    return cls(**params)


def __getattr__(name: str) -> Any:
    # the contract's classes, imported with pydantic only when someone asks for them
    if name in ("BargainingModel", "Result"):
        from accord.models import base

        return getattr(base, name)
    for module, cls_name in BUILTIN.values():  # a built-in model's class, by its class name
        if cls_name == name:
            return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'accord.models' has no attribute {name!r}")


__all__ = ["BUILTIN", "MODELS", "BargainingModel", "ModelRegistry", "Result", "get_model"]
