"""Loading scenarios from built-in ids or files (YAML, JSON).

PLACEHOLDER: minimal version; the full loader (line/column locations, size limits, alias bombs,
all problems at once, CSV imports) replaces it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from accord.errors import Problem, ScenarioError, UnknownNameError
from accord.scenario.types import Scenario

_BUILTIN_PACKAGE = "accord.data.scenarios"


def builtin_ids() -> list[str]:
    root = resources.files("accord") / "data" / "scenarios"
    return sorted(p.name.rsplit(".", 1)[0] for p in root.iterdir() if p.name.endswith(".yaml"))


def builtin_path(scenario_id: str) -> Path:
    root = resources.files("accord") / "data" / "scenarios"
    path = Path(str(root / f"{scenario_id}.yaml"))
    if not path.exists():
        raise UnknownNameError(
            f"no built-in scenario {scenario_id!r}",
            hint="built-ins: " + ", ".join(builtin_ids()) + "; or give a path to a scenario file",
        )
    return path


def check_file(path: str | Path) -> list[Problem]:
    try:
        load(path)
    except ScenarioError as exc:
        return exc.problems
    return []


def load(source: str | Path) -> Scenario:
    path = Path(source)
    if not path.exists() and not str(source).endswith((".yaml", ".yml", ".json", ".csv")):
        path = builtin_path(str(source))
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            [Problem(e["msg"], path=".".join(map(str, e["loc"])), file=str(path)) for e in exc.errors()],
            source=str(path),
        ) from None
