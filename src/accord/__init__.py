"""accord: turn a negotiation into a computable model and forecast where it lands.

>>> import accord
>>> sc = accord.load("ec-car-emissions")
>>> fc = accord.forecast(sc, "compromise")
>>> round(fc.outcome("compromise", "delay"), 6)
7.389956
"""

from __future__ import annotations

from accord._version import __version__ as __version__
from accord.errors import AccordError, ScenarioError
from accord.models import MODELS, get_model
from accord.runs.backtest import backtest, backtest_cases, backtest_deu
from accord.runs.compare import compare
from accord.runs.forecast import forecast
from accord.runs.records import RunRecord
from accord.runs.sensitivity import sensitivity
from accord.scenario import Scenario, load, load_text, to_arrays

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
