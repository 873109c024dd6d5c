"""accord: turn a negotiation into a computable model and forecast where it lands.

>>> import accord
>>> sc = accord.load("ec-car-emissions")
>>> fc = accord.forecast(sc, "compromise")
>>> round(fc.outcome("compromise", "delay"), 6)
7.389956

Importing ``accord`` is cheap: each name below is imported the first time it is used (PEP 562),
so ``accord --version`` and ``accord --help`` need neither numpy nor pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from accord._version import __version__ as __version__

#: public name -> the module that defines it
_LAZY = {
    "MODELS": "accord.models",
    "get_model": "accord.models",
    "AccordError": "accord.errors",
    "backtest": "accord.runs.backtest",
    "backtest_cases": "accord.runs.backtest",
    "backtest_deu": "accord.runs.backtest",
    "ScenarioError": "accord.errors",
    "compare": "accord.runs.compare",
    "forecast": "accord.runs.forecast",
    "RunRecord": "accord.runs.records",
    "sensitivity": "accord.runs.sensitivity",
    "Scenario": "accord.scenario",
    "load": "accord.scenario",
    "load_text": "accord.scenario",
    "to_arrays": "accord.scenario",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from accord.errors import AccordError, ScenarioError
    from accord.models import MODELS, get_model
    from accord.runs.backtest import backtest, backtest_cases, backtest_deu
    from accord.runs.compare import compare
    from accord.runs.forecast import forecast
    from accord.runs.records import RunRecord
    from accord.runs.sensitivity import sensitivity
    from accord.scenario import Scenario, load, load_text, to_arrays


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "MODELS",
    "AccordError",
    "RunRecord",
    "Scenario",
    "ScenarioError",
    "backtest",
    "backtest_cases",
    "backtest_deu",
    "compare",
    "forecast",
    "get_model",
    "load",
    "load_text",
    "sensitivity",
    "to_arrays",
]
