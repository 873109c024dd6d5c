"""The bodies the JSON API accepts (pydantic: their schema is the OpenAPI document's).

Unknown fields are refused (a typo is a 422 naming it, not a silent default). Limits that depend
on the server (the most draws a request may ask for) are checked by :mod:`accord.web.service`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Value = float | int | str | bool | None | list[float | int | None]
Changes = Annotated[
    dict[Annotated[str, Field(max_length=300)], Value],
    Field(
        description="what-if changes: a dotted path (as `accord forecast --set` takes) -> value, "
        "e.g. {'actors.us.stances.missiles.position': 20}",
        max_length=500,
    ),
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScenarioText(Body):
    """A whole scenario as text: parsed as text, never read from a path."""

    text: str = Field(description="the scenario in YAML (the default), JSON or CSV")
    format: Literal["yaml", "json", "csv"] = "yaml"


class ScenarioEdit(Body):
    """A new version of a scenario: ``changes`` applied to the scenario ``base`` (or ``text``
    instead), kept under ``id`` (default: ``base``'s own id; a built-in cannot be overwritten)."""

    base: str | None = Field(None, description="the id of the scenario to start from")
    id: str | None = Field(None, description="the id to keep the new version under")
    changes: Changes = Field(default_factory=dict)
    text: str | None = Field(None, description="a whole scenario as text, instead of changes")
    format: Literal["yaml", "json", "csv"] = "yaml"


class ScenarioChoice(Body):
    """Which scenario a run uses, and what-ifs on it."""

    scenario: str | None = Field(
        None, description="a built-in or kept scenario's id (default: the server's own)"
    )
    scenario_text: str | None = Field(
        None, description="a whole scenario as text instead of an id (parsed, never a path)"
    )
    format: Literal["yaml", "json", "csv"] = "yaml"
    variant: str | None = Field(None, description="one of the scenario's variants, applied first")
    changes: Changes = Field(default_factory=dict)


class RunOptions(ScenarioChoice):
    models: str | list[str] = Field(
        "compromise", description="model names, comma-separated or a list; 'all' for every model"
    )
    runs: int = Field(1000, ge=1, description="draws (1: the scenario's own numbers)")
    seed: int | None = Field(None, ge=0, lt=2**63, description="None: a fresh one, recorded")
    params: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="model settings, e.g. {'bdm': {'rounds': 5}}"
    )
    uncertainty: str | dict[str, Any] | None = Field(
        None, description="how inputs are sampled: a preset name or settings (docs/uncertainty.md)"
    )


class ForecastRequest(RunOptions):
    kind: Literal["forecast"] = "forecast"


class Column(Body):
    """An ad-hoc what-if column of a comparison."""

    id: str = Field(max_length=80)
    changes: Changes


class CompareRequest(RunOptions):
    kind: Literal["compare"] = "compare"
    variants: list[str | Column] | None = Field(
        None, description="variant ids or ad-hoc columns; None: every variant of the scenario"
    )


class WhatIfRequest(RunOptions):
    """The base scenario and the same scenario with ``changes``, on the same draws."""

    kind: Literal["whatif"] = "whatif"


class SensitivityRequest(ScenarioChoice):
    kind: Literal["sensitivity"] = "sensitivity"
    model: str = "compromise"
    method: Literal["sobol", "morris"] = "morris"
    output: str = Field("agreement", description="agreement, margin, issue:ID, utility:ACTOR")
    inputs: list[str] | None = Field(None, description="paths or patterns (default: every input)")
    n: int | None = Field(None, ge=2, description="base samples (Sobol') or trajectories (Morris)")
    seed: int | None = Field(None, ge=0, lt=2**63)
    params: dict[str, dict[str, Any]] = Field(default_factory=dict)
    uncertainty: str | dict[str, Any] | None = None


class ConcessionsRequest(ScenarioChoice):
    """What it would take to open a zone of agreement (``accord concessions``): the smallest
    moves of the deciders' red lines, outside options and trust, alone and in pairs."""

    kind: Literal["concessions"] = "concessions"
    runs: int = Field(2000, ge=1, description="draws (1: the scenario's own numbers)")
    seed: int | None = Field(None, ge=0, lt=2**63)
    uncertainty: str | dict[str, Any] | None = None
    per_side: int = Field(3, ge=1, le=8, description="each decider's levers that enter the pairs")


class HistoryRequest(Body):
    """A forecast at every dated version of a scenario (its ``updates``), one seed for all."""

    kind: Literal["history"] = "history"
    scenario: str | None = Field(None, description="a built-in or kept scenario's id")
    models: str | list[str] = "compromise"
    runs: int = Field(1000, ge=2, description="draws per version")
    seed: int | None = Field(1, ge=0, lt=2**63, description="one seed for every version")
    params: dict[str, dict[str, Any]] = Field(default_factory=dict)
    uncertainty: str | dict[str, Any] | None = None
    rerun: bool = Field(False, description="run every version again, even if a stored run matches")


class BacktestRequest(Body):
    """Score models on the built-in cases with known outcomes (``accord backtest cases``)."""

    kind: Literal["backtest"] = "backtest"
    cases: list[str] | None = Field(None, description="built-in case ids (default: every one)")
    models: str | list[str] = "all"
    runs: int = Field(1, ge=1, description="draws per case for the probability of agreement")
    seed: int | None = Field(None, ge=0, lt=2**63)
    bootstrap: int = Field(2000, ge=0, le=20_000, description="resamples behind each interval")
    within: float = Field(10.0, ge=0, description="the 'within N points' threshold")
    params: dict[str, dict[str, Any]] = Field(default_factory=dict)


RunRequest = Annotated[
    ForecastRequest | CompareRequest | SensitivityRequest | BacktestRequest | ConcessionsRequest,
    Field(discriminator="kind"),
]


class RunStarted(BaseModel):
    id: int
    status: str
    url: str = Field(description="poll here for progress and, once finished, the record")
    events: str = Field(description="server-sent events: progress, then the end")


class RunStatus(BaseModel):
    id: int
    kind: str
    status: Literal["queued", "running", "complete", "interrupted", "cancelled", "failed"]
    scenario: str
    models: list[str]
    seed: int
    runs: int
    done: int = Field(description="draws finished so far")
    total: int
    started: str
    finished: str | None = None
    error: dict[str, Any] | None = None
    agreement: dict[str, float] = Field(default_factory=dict)
    record: dict[str, Any] | None = Field(None, description="the run record, once finished")


__all__ = [
    "BacktestRequest",
    "HistoryRequest",
    "Column",
    "CompareRequest",
    "ConcessionsRequest",
    "ForecastRequest",
    "RunRequest",
    "RunStarted",
    "RunStatus",
    "ScenarioChoice",
    "ScenarioEdit",
    "ScenarioText",
    "SensitivityRequest",
    "WhatIfRequest",
]
