"""The run record: one typed record for every run — forecast, compare, sensitivity — and later the
stored and served ones.

A record says what ran (accord's version; the scenario's id, title, as-of date and content hash;
the what-if changes and the adjustments they made, as data; every model with its settings and
where each came from; the seed — always one, drawn fresh when none is given; the draws; the
uncertainty settings; the engine and workers; start and end) and then what came out
(``results``, by kind). ``--json`` output is ``record.model_dump(mode="json")``; the JSON Schema
``accord schema`` prints is :func:`record_schema`, generated from these classes; and a record
written to JSON reads back into an equal object::

    RunRecord.model_validate_json(record.model_dump_json()) == record

Numbers that can be missing or undefined (an interval of no draws, a Sobol' index of a constant
output) are ``None`` — JSON ``null`` — never NaN or infinity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from accord.scenario.patch import Adjustment, Change

#: types whose values are already plain JSON data
_PLAIN = frozenset({int, str, bool, type(None)})


def _plain(v: Any) -> bool:
    return type(v) in _PLAIN or (type(v) is float and -math.inf < v < math.inf)


def clean(value: Any) -> Any:
    """Plain JSON data: numpy scalars and arrays become Python numbers and lists, NaN and
    infinities become None, tuples lists, keys text."""
    if isinstance(value, dict):
        return {str(k): v if _plain(v) else clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if _plain(v) else clean(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":  # whole arrays at once (trajectory bands hold thousands)
            out = value.astype(object)
            out[~np.isfinite(value)] = None
            return out.tolist()
        if value.dtype.kind in "biu":
            return value.tolist()
        return clean(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _finite_or_none(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return v if math.isfinite(v) else None
    if isinstance(v, np.integer):
        return int(v)
    return v


#: a number that is None where it is undefined (never NaN)
Number = Annotated[float | None, BeforeValidator(_finite_or_none)]
#: plain JSON data (model accounts, settings)
Data = Annotated[Any, BeforeValidator(clean)]
Status = Literal["agreement", "stalemate", "escalation"]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def __repr__(self) -> str:  # a few lines, never a wall of numbers
        return f"{type(self).__name__}({_summary(self)})"


class Intervals(Record):
    """The central 80% and 95% intervals, keyed ``"80"`` and ``"95"`` (``intervals["80"]``)."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        serialize_by_alias=True,
        validate_by_alias=True,
        validate_by_name=True,
    )

    p80: tuple[Number, Number] = Field(alias="80")
    p95: tuple[Number, Number] = Field(alias="95")

    def __getitem__(self, key: str) -> tuple[float | None, float | None]:
        return {"80": self.p80, "95": self.p95}[key]

    def items(self):
        return (("80", self.p80), ("95", self.p95))


def _summary(rec: BaseModel) -> str:
    parts = []
    for name in type(rec).model_fields:
        v = getattr(rec, name)
        if isinstance(v, (str, int, float, bool)) or v is None:
            parts.append(f"{name}={v!r}")
        elif isinstance(v, (dt.date, dt.datetime)):
            parts.append(f"{name}={v.isoformat()}")
        elif isinstance(v, (list, tuple, dict)):
            parts.append(f"{name}=<{len(v)}>")
        else:
            parts.append(f"{name}=…")
        if len(", ".join(parts)) > 160:
            parts.append("…")
            break
    return ", ".join(parts)


# -- what ran -----------------------------------------------------------------------------------


def content_hash(data: Any) -> str:
    """``sha256:`` of the canonical JSON of ``data`` (a scenario's ``model_dump(mode="json")``):
    the same content gives the same hash whatever the file's layout or key order."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


class ScenarioRef(Record):
    """The scenario a run used: as loaded (``content_hash``) and after the what-ifs
    (``effective_hash``), with the changes and adjustments between the two."""

    id: str
    title: str
    as_of: dt.date | None
    content_hash: str
    effective_hash: str
    variant: str | None = None
    changes: list[Change] = Field(default_factory=list)
    adjustments: list[Adjustment] = Field(default_factory=list)


class ModelSpec(Record):
    """A model as it ran: every setting's value, and which ones the scenario file (``scenario``)
    or the run itself (``run``: ``--param``, ``--rounds``, the API) set; the rest are defaults."""

    name: str
    label: str
    reference: str
    settings: dict[str, Data]
    settings_from: dict[str, Literal["scenario", "run"]] = Field(default_factory=dict)
    dynamic: bool
    stochastic: bool


class UncertaintySettings(Record):
    """How the uncertain inputs were sampled (:class:`accord.uncertainty.Uncertainty`)."""

    position: float
    salience: float
    capability: float
    red_line: float
    outside_value: float
    trust: float | None = Field(
        None, description="± points around a trust value (None: before trust)"
    )
    distribution: Literal["triangular", "uniform"]
    ranges: bool


# -- forecast results ---------------------------------------------------------------------------


class Stats(Record):
    """A number's distribution over the draws."""

    median: Number
    mean: Number
    intervals: Intervals


class Histogram(Record):
    edges: list[float]
    counts: list[int]


class IssueResult(Record):
    """One issue under one model: the point forecast (the scenario's own numbers) and the
    distribution over the draws (with one run, both are the point)."""

    id: str
    name: str
    point: float
    status_quo: float
    low: float
    high: float
    median: Number
    mean: Number
    std: Number
    intervals: Intervals
    histogram: Histogram


class RedLineCrossing(Record):
    issue: str
    bound: Literal["min", "max"]


class ActorResult(Record):
    """One actor's lot: on the point run (``point_*``) and over the draws."""

    id: str
    name: str
    decider: bool
    point_accepts: bool
    point_utility: Number
    point_outside: Number
    point_red_lines_crossed: list[RedLineCrossing]
    accepts: float = Field(description="share of draws in which it accepts (1 for non-deciders)")
    utility: Stats


class Blocker(Record):
    """One reason deals fail and the share of draws in which it binds."""

    actor: str
    kind: Literal["red_line", "outside_option"]
    issue: str | None = None
    bound: Literal["min", "max"] | None = None
    share: float


class Probabilities(Record):
    agreement: float
    stalemate: float
    escalation: float


class AgreementResult(Record):
    status: Status = Field(description="the point run's result")
    probabilities: Probabilities
    blockers: list[Blocker]
    margin: Stats = Field(
        description="the tightest decider's surplus (>= 0: every decider accepts)"
    )


class TrajectoryBands(Record):
    """Per-step quantiles over the draws: ``positions[level][step][actor][issue]`` (None where
    the actor holds no stance), ``series[name][level][step][issue]``."""

    levels: list[float]
    positions: list[list[list[list[Number]]]]
    series: dict[str, list[list[list[Number]]]]


class ModelResult(Record):
    name: str
    steps: int = Field(description="steps of the point run (1 for one-shot models)")
    series: dict[str, list[list[Number]]] = Field(
        description="the point run's per-step series: [step][issue]"
    )
    issues: list[IssueResult]
    actors: list[ActorResult]
    agreement: AgreementResult
    trajectory: TrajectoryBands | None = None
    history: list[list[list[Number]]] | None = Field(
        None,
        description="a dynamic model's point run, positions per step: [step][actor][issue] "
        "(None where the actor holds no stance)",
    )
    account: dict[str, Data] = Field(
        default_factory=dict,
        description="the model's structured account of the point run (moves, turns)",
    )


class ForecastResults(Record):
    kind: Literal["forecast"] = "forecast"
    models: list[ModelResult]
    deal: DealResult | None = Field(
        None,
        description="the deal space on the same draws: is there a package every decider accepts",
    )
    deal_left_out: str | None = Field(
        None, description="why the record has no deal space (too many deciders), if it has none"
    )


# -- compare results ----------------------------------------------------------------------------


class ColumnSpec(Record):
    id: str
    title: str
    changes: list[Change] = Field(default_factory=list)
    adjustments: list[Adjustment] = Field(default_factory=list)


class IssueSummary(Record):
    point: float
    median: Number
    intervals: Intervals


class Delta(Record):
    """A variant's effect on one number (variant − base) and intervals of it."""

    value: Number
    intervals: Intervals


class ColumnDeltas(Record):
    margin: Delta = Field(description="the mean deal margin's change, paired per draw")
    issues: dict[str, Delta]
    probabilities: dict[Status, Delta]


class Expectation(Record):
    key: str
    expected: Literal["up", "down"]
    measure: str
    delta: Number
    holds: bool


class ColumnResult(Record):
    column: str
    issues: dict[str, IssueSummary]
    probabilities: Probabilities
    blockers: list[Blocker]
    margin_mean: Number
    deltas: ColumnDeltas | None = None
    expectations: list[Expectation] = Field(default_factory=list)


class ModelColumns(Record):
    name: str
    label: str
    columns: list[ColumnResult]


class CompareResults(Record):
    kind: Literal["compare"] = "compare"
    columns: list[ColumnSpec]
    models: list[ModelColumns]


# -- sensitivity results ------------------------------------------------------------------------


class EffectResult(Record):
    name: str
    low: float
    high: float
    base: Number = None
    origin: str = "given"
    s1: Number = None
    s1_conf: Number = None
    st: Number = None
    st_conf: Number = None
    mu_star: Number = None
    mu_star_conf: Number = None
    sigma: Number = None
    mu: Number = None
    swing_low: Number = None
    swing_high: Number = None


class SensitivityResults(Record):
    kind: Literal["sensitivity"] = "sensitivity"
    method: Literal["sobol", "morris"]
    output: str
    n: int
    evaluations: int
    conf_level: float
    base_output: Number
    output_mean: Number
    output_std: Number
    effects: list[EffectResult]
    notes: list[str] = Field(default_factory=list)


# -- backtest results -----------------------------------------------------------------------------


class Interval95(Record):
    """A statistic on the cases as they are and its 95% interval from the bootstrap by group."""

    value: Number
    low: Number
    high: Number


class AccuracyScores(Record):
    """How close one predictor came to the real outcomes (0–100 scale; ``within`` a share)."""

    n: int
    mae: Interval95
    median_ae: Interval95
    within: Interval95 = Field(description="share of cases within `threshold` points")
    threshold: float
    vs_baseline: Interval95 | None = Field(
        None, description="MAE − the baseline's MAE on the same cases (negative: better)"
    )


class CalibrationRow(Record):
    low: float
    high: float
    n: int
    predicted: float
    observed: float


class AgreementScores(Record):
    """Predicted probability of agreement against whether it was reached."""

    n: int
    brier: Interval95 = Field(description="mean squared gap between P(agreement) and 0/1")
    calibration: list[CalibrationRow]


class PredictorResult(Record):
    name: str
    label: str
    kind: Literal["baseline", "model"]
    evaluation: Literal["as is", "grouped cross-validation", "shipped weights"]
    in_sample: bool = Field(False, description="scored on the cases it was fitted to")
    overall: AccuracyScores | None
    breakdown: dict[str, dict[str, AccuracyScores]] = Field(
        default_factory=dict, description="by tag (procedure, rule, …), then by its value"
    )
    agreement: AgreementScores | None = None
    seconds: float = 0.0


class CaseRow(Record):
    """One issue of one case: what happened and what each predictor said."""

    case: str
    issue: str
    group: str
    tags: dict[str, str]
    actual: Number
    agreement: bool | None
    predictions: dict[str, Number]
    p_agreement: dict[str, Number]


class CrossValidation(Record):
    """How the fitted predictor was evaluated: grouped folds, repeated, weights fitted inside
    every training fold only."""

    folds: int
    repeats: int
    groups: int
    weights_mean: dict[str, float]
    weights_low: dict[str, float]
    weights_high: dict[str, float]


class BacktestResults(Record):
    kind: Literal["backtest"] = "backtest"
    source: Literal["deu", "cases"]
    file: str | None = None
    options: dict[str, Data] = Field(default_factory=dict)
    baseline: str = Field(description="the predictor every other is compared with")
    bootstrap: int = Field(description="resamples of whole groups behind each interval")
    level: float = 0.95
    cases: int
    scored: int = Field(description="issues with a known outcome")
    groups: int
    predictors: list[PredictorResult]
    rows: list[CaseRow]
    cross_validation: CrossValidation | None = None
    notes: list[str] = Field(default_factory=list)


# -- deal space results (accord.deal) ------------------------------------------------------------


class DealReason(Record):
    """One reason no package every decider accepts exists, and the share of draws it holds in."""

    kind: Literal["red_lines", "outside_option", "joint"] = Field(
        description="red_lines: two deciders' red lines do not overlap on an issue; outside_option: "
        "no package inside the red lines is worth the decider's outside option; joint: each outside "
        "option can be met, not all together"
    )
    actors: list[str] = Field(
        description="red_lines: [whose minimum, whose maximum]; otherwise the deciders concerned"
    )
    issue: str | None = None
    bounds: tuple[Number, Number] | None = Field(
        None, description="red_lines: the minimum and the maximum, as the scenario sets them"
    )
    clash: tuple[Number, Number] | None = Field(
        None, description="red_lines: the mean minimum and maximum over the draws where they clash"
    )
    share: float


class ZoneIssue(Record):
    """The zone on one issue, over the draws in which one exists."""

    id: str
    low: Stats = Field(description="the smallest outcome of any acceptable package")
    high: Stats = Field(description="the largest outcome of any acceptable package")
    package: Stats = Field(description="the mediator's package")


class DealActor(Record):
    """One decider's side of the deal space."""

    id: str
    red_lines: dict[str, tuple[Number, Number]] = Field(
        description="issue -> (min, max) of its red line as the scenario sets it (None: open)"
    )
    trust: Number = Field(description="its trust on 0–1 as the scenario sets it (None: full)")
    outside: Stats = Field(description="its outside option's value (0–1), over all draws")
    value: Stats | None = Field(
        None, description="what the mediator's package is worth to it (trust considered)"
    )
    utility: Stats | None = Field(None, description="its utility of the package (no discount)")
    ideal: Stats | None = Field(None, description="the most any acceptable package gives it")


class Threat(Record):
    """A decider with an escalatory outside option: when the talks fail it escalates in the draws
    where that option is worth at least as much to it as the status quo (docs/outcome.md)."""

    actor: str
    outside: Stats
    status_quo: Stats = Field(description="its utility of the status quo")
    share: float = Field(description="share of draws in which its threat is credible")


class DealResult(Record):
    """Is there a package every decider accepts; if not, why not; if so, where (accord.deal)."""

    deciders: list[str]
    draws: int
    probability: float = Field(description="share of draws with a package every decider accepts")
    overlap: float = Field(description="share of draws in which the red lines overlap everywhere")
    tradeoff: float = Field(
        description="share of draws with a zone in which every acceptable package moves more than "
        "one issue from the status quo"
    )
    margin: Stats | None = Field(
        None,
        description="the best package's margin over the tightest decider's outside option, over "
        "the draws where the red lines overlap (>= 0: a zone)",
    )
    reasons: list[DealReason]
    issues: list[ZoneIssue] = Field(default_factory=list)
    actors: list[DealActor]
    rule: Literal["kalai-smorodinsky"] = "kalai-smorodinsky"
    mediator: str | None = Field(
        None, description="the actor that carries the package: a mediator with capability > 0"
    )
    threats: list[Threat] = Field(default_factory=list)
    escalation: float = Field(
        description="share of draws in which failed talks end in escalation: some decider's "
        "escalatory outside option is worth at least the status quo to it"
    )


class LeverRef(Record):
    """One number a decider could move: a red-line end, its outside option, its trust."""

    actor: str
    kind: Literal["red_line", "outside_option", "trust"]
    issue: str | None = None
    bound: Literal["min", "max"] | None = None
    current: Number = Field(
        description="as the scenario sets it: a red-line end on the issue's scale, an outside "
        "value or trust on 0–1"
    )


class Concession(Record):
    """What it takes to open a zone with one lever (or a pair, one per decider), on the draws."""

    levers: list[LeverRef]
    opens: float = Field(
        description="share of all draws with a zone once the levers move as far as needed"
    )
    moves: list[Stats | None] = Field(
        description="per lever: the smallest move that opens a zone, over the draws without one "
        "in which it does (scale points; 0–1 for outside values and trust)"
    )
    cost: Stats | None = Field(
        None,
        description="what the moves cost the conceding deciders (value 0–1), over the same draws",
    )
    at_median: float = Field(
        description="share of all draws with a zone after the median moves, on the same draws"
    )


class ConcessionsResults(Record):
    kind: Literal["concessions"] = "concessions"
    deal: DealResult
    singles: list[Concession] = Field(description="one lever each, most often opening first")
    pairs: list[Concession] = Field(description="one lever from each of two deciders, likewise")
    cheapest_single: int | None = Field(None, description="index into singles")
    cheapest_pair: int | None = Field(None, description="index into pairs")


# -- the record ---------------------------------------------------------------------------------

Results = Annotated[
    ForecastResults | CompareResults | SensitivityResults | BacktestResults | ConcessionsResults,
    Field(discriminator="kind"),
]


class RunRecord(Record):
    """Everything about one run: what ran, how, and what came out (``results``, whose ``kind``
    says which run it was: forecast, compare, sensitivity, backtest or concessions)."""

    accord_version: str
    scenario: ScenarioRef
    models: list[ModelSpec]
    seed: int = Field(ge=0, description="reproduces the run (drawn fresh when none was given)")
    runs: int = Field(ge=1, description="draws requested (1: the scenario's own numbers)")
    draws: int = Field(ge=0, description="draws behind the numbers (fewer when interrupted)")
    interrupted: bool = False
    uncertainty: UncertaintySettings | None = None
    chunk_size: int | None = None
    engine: str = "local"
    workers: int = 1
    started: dt.datetime
    finished: dt.datetime
    seconds: float
    results: Results

    @property
    def kind(self) -> str:
        """``forecast``, ``compare``, ``sensitivity``, ``backtest`` or ``concessions``."""
        return self.results.kind

    def __repr__(self) -> str:
        models = ", ".join(m.name for m in self.models)
        return (
            f"RunRecord(kind={self.kind!r}, scenario={self.scenario.id!r}, models=[{models}], "
            f"seed={self.seed}, draws={self.draws:,}, accord {self.accord_version})"
        )

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    #: what depends on when and where a run ran, not on what it computed
    CIRCUMSTANCES: ClassVar[tuple[str, ...]] = (
        "started",
        "finished",
        "seconds",
        "engine",
        "workers",
    )

    def reproducible_json(self) -> dict[str, Any]:
        """The record as JSON data without :attr:`CIRCUMSTANCES`: two runs with the same inputs,
        settings, seed, draws and chunk size give the same data, on any engine or workers."""
        return self.model_dump(mode="json", exclude=set(self.CIRCUMSTANCES))


def record_schema() -> dict[str, Any]:
    """The JSON Schema of every run record (what ``accord schema`` prints)."""
    schema = RunRecord.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "accord run record"
    return schema


def validate_record_json(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` does not follow :func:`record_schema`."""
    import jsonschema

    jsonschema.validate(data, _schema())


_SCHEMA: dict[str, Any] | None = None


def _schema() -> dict[str, Any]:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = record_schema()
    return _SCHEMA


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


__all__ = [
    "AccuracyScores",
    "ActorResult",
    "AgreementResult",
    "BacktestResults",
    "Blocker",
    "ColumnResult",
    "ColumnSpec",
    "CompareResults",
    "Concession",
    "ConcessionsResults",
    "DealActor",
    "DealReason",
    "DealResult",
    "EffectResult",
    "ForecastResults",
    "IssueResult",
    "LeverRef",
    "ModelResult",
    "ModelSpec",
    "RunRecord",
    "ScenarioRef",
    "SensitivityResults",
    "Threat",
    "ZoneIssue",
    "clean",
    "content_hash",
    "record_schema",
    "validate_record_json",
]
