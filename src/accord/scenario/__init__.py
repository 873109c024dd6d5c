"""Scenarios: types, loading and validation, built-ins, what-if patches, conversion to arrays."""

from __future__ import annotations

from accord.scenario.arrays import ScenarioArrays, from_table, to_arrays
from accord.scenario.load import builtin_ids, builtin_path, check_file, load
from accord.scenario.patch import apply_variant, with_changes
from accord.scenario.types import (
    Actor,
    Evidence,
    Issue,
    OutsideOption,
    RedLine,
    Scenario,
    Source,
    Stance,
    Variant,
)

__all__ = [
    "Actor",
    "Evidence",
    "Issue",
    "OutsideOption",
    "RedLine",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Stance",
    "Variant",
    "apply_variant",
    "builtin_ids",
    "builtin_path",
    "check_file",
    "from_table",
    "load",
    "to_arrays",
    "with_changes",
]
