"""The scenario: actors, issues, stances, red lines, outside options, sources, variants.

These are plain typed records (pydantic, unknown keys refused). Cross-references (a stance naming an
unknown issue, evidence citing an unknown source, ...) are checked by :mod:`accord.scenario.validate`,
which reports every problem at once with its location.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ACTOR_KINDS = ("state", "leader", "government", "organisation", "bloc", "group", "person", "other")


class Record(BaseModel):
    """Base of every scenario record: unknown keys are an error, numbers must be finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Evidence(Record):
    """The source behind a number: a quote (in the source's language), its gloss and the reasoning.

    ``supports`` names the fields of the enclosing record this evidence backs (e.g. ``position``,
    ``salience``); empty means all of them.
    """

    source: str
    quote: str = ""
    gloss: str = Field("", description="English gloss of the quote when the source is not English")
    note: str = Field("", description="why the number is what it is")
    supports: list[str] = Field(default_factory=list)


class Source(Record):
    id: str
    title: str
    language: str = "en"
    date: dt.date | None = None
    url: str | None = None
    file: str | None = None
    note: str = ""


class Issue(Record):
    """One dimension in dispute. ``scale`` maps points of the scale to their meaning; its smallest and
    largest keys are the ends (normally 0 and 100), any keys between are labelled anchors."""

    id: str
    name: str
    description: str = ""
    scale: dict[float, str]
    status_quo: float
    evidence: list[Evidence] = Field(default_factory=list)

    @field_validator("scale")
    @classmethod
    def _two_ends(cls, v: dict[float, str]) -> dict[float, str]:
        if len(v) < 2:
            raise ValueError(
                "a scale needs at least its two ends, e.g. {0: 'meaning of 0', 100: 'meaning of 100'}"
            )
        if any(not math.isfinite(k) for k in v):
            raise ValueError("scale points must be finite numbers")
        return v

    @property
    def low(self) -> float:
        return min(self.scale)

    @property
    def high(self) -> float:
        return max(self.scale)


class RedLine(Record):
    """The interval of outcomes an actor can accept on one issue (either end may be open).

    ``min_range``/``max_range`` say how uncertain each end is (sampled under Monte Carlo).
    """

    min: float | None = None
    max: float | None = None
    min_range: tuple[float, float] | None = None
    max_range: tuple[float, float] | None = None
    note: str = ""


class Stance(Record):
    """An actor's stance on one issue: where it stands, how much it cares, what it will not accept."""

    position: float
    salience: float = Field(ge=0, le=100)
    position_range: tuple[float, float] | None = None
    salience_range: tuple[float, float] | None = None
    red_line: RedLine | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class OutsideOption(Record):
    """What the actor does if talks fail, and how good that is for it.

    ``value`` is the actor's utility of that course on accord's 0–100 utility scale (100 = every
    issue settled at its own position, 0 = every issue at the far end of the scale from it). Left
    out, the outside option is worth what the status quo is worth to the actor.
    """

    kind: Literal["status_quo", "walk_away", "escalation"] = "status_quo"
    value: float | None = Field(None, ge=0, le=100)
    value_range: tuple[float, float] | None = None
    note: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class Actor(Record):
    id: str
    name: str
    names: dict[str, str] = Field(
        default_factory=dict, description="name in other languages, by code"
    )
    kind: Literal[
        "state", "leader", "government", "organisation", "bloc", "group", "person", "other"
    ] = "state"
    role: Literal["principal", "mediator", "stakeholder"] = "stakeholder"
    capability: float = Field(ge=0)
    capability_range: tuple[float, float] | None = None
    veto: bool = False
    outside_option: OutsideOption | None = None
    trust: float | None = Field(
        None,
        ge=0,
        le=100,
        description="its confidence (0–100) that the other side will carry out its part of a "
        "deal (the commitment problem); left out: full confidence",
    )
    trust_range: tuple[float, float] | None = None
    stances: dict[str, Stance] = Field(default_factory=dict)
    note: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class Variant(Record):
    """A named what-if: a patch of dotted paths to new values, applied to the base scenario.

    ``expect`` states the direction the rationale predicts, e.g. ``{agreement: up, issues.missiles:
    down}``; tests check it.
    """

    id: str
    title: str = ""
    rationale: str
    set: dict[str, Any]
    expect: dict[str, Literal["up", "down"]] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(default_factory=list)


class UpdateEvidence(Record):
    """The quote behind one change of a dated update: the path it concerns (as in ``set``), the
    source, the quote in the source's language, its English gloss and the reasoning."""

    path: str
    source: str
    quote: str = ""
    gloss: str = Field("", description="English gloss of the quote when the source is not English")
    note: str = Field("", description="why the number is what it is")


class Update(Record):
    """A dated version of the scenario: what happened by ``as_of`` and how the numbers change.

    The version at date D is the scenario with every update dated on or before D applied in order
    (:mod:`accord.scenario.versions`); ``set`` takes paths exactly as a variant's ``set``, and
    ``sources`` join the scenario's sources from this version on.
    """

    as_of: dt.date
    title: str = Field("", description="what happened, short")
    sources: list[Source] = Field(default_factory=list)
    set: dict[str, Any] = Field(default_factory=dict)
    evidence: list[UpdateEvidence] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class Scenario(Record):
    id: str
    title: str
    as_of: dt.date | None = None
    description: str = ""
    sources: list[Source] = Field(default_factory=list)
    issues: list[Issue]
    actors: list[Actor]
    variants: list[Variant] = Field(default_factory=list)
    models: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="settings per model name, e.g. {smp: {voting_rule: PropCbc}}; a run's own "
        "settings (--param) override them",
    )
    notes: list[str] = Field(default_factory=list)
    updates: list[Update] = Field(
        default_factory=list,
        description="dated versions after as_of, in date order (accord.scenario.versions)",
    )

    def __repr__(self) -> str:
        variants = f", variants: {', '.join(v.id for v in self.variants)}" if self.variants else ""
        return (
            f"Scenario({self.id!r}: {self.title!r}, as of {self.as_of or 'no date'}, "
            f"{len(self.actors)} actors, {len(self.issues)} issues{variants})"
        )

    __str__ = __repr__

    def with_changes(self, changes: dict[str, Any]) -> Scenario:
        """A copy with values set at dotted paths, re-validated (see :mod:`accord.scenario.patch`)."""
        from accord.scenario.patch import with_changes

        return with_changes(self, changes)

    # -- lookups -------------------------------------------------------------------------------
    def actor(self, actor_id: str) -> Actor:
        for a in self.actors:
            if a.id == actor_id:
                return a
        from accord.errors import UnknownNameError

        raise UnknownNameError(
            f"scenario {self.id!r} has no actor {actor_id!r}",
            hint="known actors: " + ", ".join(a.id for a in self.actors),
        )

    def issue(self, issue_id: str) -> Issue:
        for i in self.issues:
            if i.id == issue_id:
                return i
        from accord.errors import UnknownNameError

        raise UnknownNameError(
            f"scenario {self.id!r} has no issue {issue_id!r}",
            hint="known issues: " + ", ".join(i.id for i in self.issues),
        )

    def variant(self, variant_id: str) -> Variant:
        for v in self.variants:
            if v.id == variant_id:
                return v
        from accord.errors import UnknownNameError

        known = ", ".join(v.id for v in self.variants) or "none"
        raise UnknownNameError(
            f"scenario {self.id!r} has no variant {variant_id!r}",
            hint=f"known variants: {known}",
            field="variant",
        )
