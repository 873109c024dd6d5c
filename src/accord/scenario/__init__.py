"""Scenarios: types, loading and validation, built-ins, what-if patches, conversion to arrays."""

from __future__ import annotations

from accord.arrays import ScenarioArrays, from_table
from accord.scenario.convert import to_arrays
from accord.scenario.load import (
    MAX_FILE_BYTES,
    builtin_ids,
    builtin_path,
    check_file,
    check_mapping,
    load,
    load_text,
)
from accord.scenario.patch import (
    Adjustment,
    Change,
    PatchError,
    WhatIf,
    apply_variant,
    parse_assignment,
    parse_value,
    variant_whatif,
    whatif,
    with_changes,
)
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
from accord.scenario.validate import check, ensure_valid

__all__ = [
    "MAX_FILE_BYTES",
    "Adjustment",
    "Change",
    "WhatIf",
    "variant_whatif",
    "whatif",
    "Actor",
    "Evidence",
    "Issue",
    "OutsideOption",
    "PatchError",
    "RedLine",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Stance",
    "Variant",
    "apply_variant",
    "builtin_ids",
    "builtin_path",
    "check",
    "check_file",
    "check_mapping",
    "ensure_valid",
    "from_table",
    "load",
    "load_text",
    "parse_assignment",
    "parse_value",
    "to_arrays",
    "with_changes",
]
