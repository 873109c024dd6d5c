"""accord: turn a negotiation into a computable model and forecast where it lands.

>>> import accord
>>> sc = accord.load("ec-car-emissions")
>>> fc = accord.forecast(sc, "compromise")
>>> round(fc.outcome("compromise", "delay"), 6)
7.389956
"""

from __future__ import annotations

from accord._version import __version__ as __version__
from accord.errors import AccordError, ScenarioError  # noqa: E402
from accord.models import MODELS, get_model  # noqa: E402
from accord.scenario import Scenario, load, to_arrays  # noqa: E402
from accord.services.compare import compare  # noqa: E402
from accord.services.forecast import forecast  # noqa: E402

__all__ = [
    "MODELS",
    "AccordError",
    "Scenario",
    "ScenarioError",
    "compare",
    "forecast",
    "get_model",
    "load",
    "to_arrays",
]
