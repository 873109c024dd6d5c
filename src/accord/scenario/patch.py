"""What-ifs as patches: set values at dotted paths (``actors.us.stances.missiles.position``).

PLACEHOLDER: minimal version, to be completed with full error reporting.
"""

from __future__ import annotations

from typing import Any

from accord.errors import AccordError
from accord.scenario.types import Scenario


def _set(node: Any, parts: list[str], value: Any, full: str) -> None:
    key = parts[0]
    if isinstance(node, list):
        match = [item for item in node if isinstance(item, dict) and item.get("id") == key]
        if not match:
            raise AccordError(f"--set {full}: no item with id {key!r}")
        child = match[0]
    elif isinstance(node, dict):
        if len(parts) == 1:
            node[key] = value
            return
        child = node.setdefault(key, {})
    else:
        raise AccordError(f"--set {full}: cannot descend into {key!r}")
    _set(child, parts[1:], value, full)


def with_changes(scenario: Scenario, changes: dict[str, Any]) -> Scenario:
    data = scenario.model_dump(mode="python")
    for path, value in changes.items():
        _set(data, path.split("."), value, path)
    return Scenario.model_validate(data)


def apply_variant(scenario: Scenario, variant_id: str) -> Scenario:
    return with_changes(scenario, scenario.variant(variant_id).set)
