"""accord: turn a negotiation into a computable model and forecast where it lands."""

from __future__ import annotations

from accord.errors import AccordError, ScenarioError
from accord.models import MODELS, get_model
from accord.scenario import Scenario, load, to_arrays

__version__ = "0.1.0"

__all__ = ["MODELS", "AccordError", "Scenario", "ScenarioError", "get_model", "load", "to_arrays"]
