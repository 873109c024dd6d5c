"""What-ifs side by side: the base scenario and its variants on the same random draws.

Every column (``base`` first, the reference, then each variant) is run on the *same* draws of the
underlying random numbers (common random numbers: :func:`accord.runs.forecast.run_columns`
applies one set of uniform variates to each column's values and ranges). A variant that changes one
number therefore changes only that number in every draw, and the per-draw differences between a
variant and the base measure the variant, not sampling noise; a variant that changes nothing gives
differences of exactly zero.

Deltas (variant − base):

- per issue: the change of the median outcome, and the 80%/95% intervals of the *paired* per-draw
  difference of outcomes (how much the variant moves that issue, draw by draw);
- per status (agreement, stalemate, escalation): the change of its probability, with 80%/95%
  Monte Carlo intervals of that estimate (normal approximation of the mean of the paired
  per-draw differences of the indicator), which shrink as the number of draws grows.

>>> import accord
>>> from accord.runs.compare import compare
>>> cmp = compare(accord.load("us-iran-muscat-2026"), ["oman-steps-back"], "compromise",
...               runs=500, seed=1)  # doctest: +SKIP
>>> cmp.models["compromise"].probability_delta("oman-steps-back").value  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np

from accord.checks import pick
from accord.errors import AccordError, ParameterError
from accord.outcome import STATUS_NAMES
from accord.runs import montecarlo as mc
from accord.runs import records as rec
from accord.runs.forecast import (
    LEVELS,
    ModelForecast,
    RunFacts,
    interval,
    level_key,
    prepare,
    run_columns,
    run_fields,
    scenario_ref,
)
from accord.runs.options import model_names
from accord.scenario import Scenario
from accord.scenario.patch import WhatIf, variant_whatif, whatif
from accord.uncertainty import Uncertainty

BASE = "base"

#: a column: a variant's name, or (label, scenario) / (label, {path: value}) for an ad-hoc what-if
ColumnSpec = str | tuple[str, Scenario] | tuple[str, Mapping[str, Any]] | Scenario


@dataclass(frozen=True)
class Delta:
    """A variant's effect on one number: the point estimate and intervals of it."""

    value: float
    intervals: dict[float, tuple[float, float]]

    def interval(self, level: float = 0.8) -> tuple[float, float]:
        return self.intervals[level]


@dataclass
class ModelComparison:
    """One model across the columns; ``columns[name]`` is that column's full forecast."""

    name: str
    label: str
    columns: dict[str, ModelForecast]

    def issue_delta(self, column: str, issue: str) -> Delta:
        """Median change of ``issue`` (variant − base); intervals of the paired per-draw difference."""
        col = pick(self.columns, column, "column")
        var = pick(col.issues, issue, "issue")
        base = self.columns[BASE].issues[issue]
        diff = var.values - base.values
        return Delta(
            value=var.median - base.median,
            intervals={lv: interval(diff, lv) for lv in LEVELS},
        )

    def margin_delta(self, column: str) -> Delta:
        """Mean change of the deal margin (variant − base); intervals of the paired per-draw
        difference."""
        base = self.columns[BASE].agreement.margin  # type: ignore[union-attr]
        var = self.columns[column].agreement.margin  # type: ignore[union-attr]
        diff = var - base
        return Delta(float(np.mean(diff)), {lv: interval(diff, lv) for lv in LEVELS})

    def probability_delta(self, column: str, status: str = "agreement") -> Delta:
        """Change of the probability of ``status``, with Monte Carlo intervals of the estimate."""
        k = pick({name: k for k, name in enumerate(STATUS_NAMES)}, status, "status")
        col = pick(self.columns, column, "column")
        b = self.columns[BASE].draws.status == k  # type: ignore[union-attr]
        v = col.draws.status == k  # type: ignore[union-attr]
        diff = v.astype(float) - b.astype(float)
        mean = float(diff.mean())
        se = float(diff.std(ddof=1) / np.sqrt(diff.size)) if diff.size > 1 else 0.0
        intervals = {}
        for lv in LEVELS:
            z = NormalDist().inv_cdf((1 + lv) / 2)
            intervals[lv] = (mean - z * se, mean + z * se)
        return Delta(value=mean, intervals=intervals)

    def utility_delta(self, column: str, actor: str) -> Delta:
        """Median change of an actor's utility; intervals of the paired per-draw difference."""
        col = pick(self.columns, column, "column")
        var = pick(col.actors, actor, "actor")
        base = self.columns[BASE].actors[actor]
        diff = var.utility - base.utility
        return Delta(var.median - base.median, {lv: interval(diff, lv) for lv in LEVELS})


@dataclass(frozen=True)
class Check:
    """Whether a variant moved one quantity the way its ``expect`` says."""

    key: str  # "agreement", "stalemate", "escalation" or "issues.ID"
    expected: str  # "up" or "down"
    measure: str  # what was compared, e.g. "P(agreement)", "deal margin (mean)", "mean outcome"
    delta: float  # variant − base
    holds: bool


def check_expectations(mc_: ModelComparison, column: str, expect: Mapping[str, str]) -> list[Check]:
    """Check a variant's ``expect`` against one model's deltas (the rule in docs/uncertainty.md).

    A status probability must move strictly the expected way. A probability of agreement that does
    not move at all (e.g. 0 in both columns: it cannot fall below 0) is judged by the mean deal
    margin instead (:attr:`accord.outcome.Analysis.margin`: how far the outcome is from what every
    decider accepts). An issue's mean outcome must move strictly the expected way (the mean, not
    the median: a median model's median can stay put on an actor's position).
    """
    base, var = mc_.columns[BASE], mc_.columns[column]
    checks = []
    for key, direction in expect.items():
        sign = 1.0 if direction == "up" else -1.0
        if key in STATUS_NAMES:
            d = var.probabilities[key] - base.probabilities[key]
            measure = f"P({key})"
            if d == 0 and key == "agreement":
                d = float(np.mean(var.agreement.margin) - np.mean(base.agreement.margin))  # type: ignore[union-attr]
                measure = "deal margin (mean)"
        elif key.startswith("issues.") and key[7:] in base.issues:
            k = key[7:]
            d = var.issues[k].mean - base.issues[k].mean
            measure = f"mean outcome of {k}"
        else:
            checks.append(Check(key, direction, "unknown quantity", float("nan"), False))
            continue
        checks.append(Check(key, direction, measure, float(d), bool(sign * d > 0)))
    return checks


@dataclass(repr=False)
class Comparison(RunFacts):
    """The base scenario and its variants on the same draws, model by model, and the run record
    (``record``) that ``--json`` prints."""

    scenario: Scenario
    columns: dict[str, Scenario]  # "base" first
    titles: dict[str, str]
    models: dict[str, ModelComparison]
    record: rec.RunRecord
    uncertainty: Uncertainty | None = None
    whatifs: dict[str, WhatIf] = field(default_factory=dict)

    @property
    def variants(self) -> list[str]:
        return [c for c in self.columns if c != BASE]

    @property
    def changes(self) -> list:
        """The changes made to the base (``--set``), as applied."""
        return list(self.record.scenario.changes)

    def __repr__(self) -> str:
        lines = [
            f"Comparison of {self.scenario.id!r}: base and {len(self.variants)} what-if(s) on "
            f"{self.draws:,} common draws, seed {self.seed}"
        ]
        shown = self.variants[:4]
        rest = f"; and {len(self.variants) - 4} more what-ifs" if len(self.variants) > 4 else ""
        for mc_ in list(self.models.values())[:8]:
            deltas = ", ".join(
                f"{c} {mc_.probability_delta(c).value * 100:+.1f} pts" for c in shown
            )
            base = mc_.columns[BASE].probabilities["agreement"]
            lines.append(f"  {mc_.name}: P(agreement) {base:.1%} at base; {deltas}{rest}")
        if len(self.models) > 8:
            lines.append(f"  and {len(self.models) - 8} more models")
        return "\n".join(lines)

    def expectations(self, model: str, column: str) -> list[Check]:
        """The checks of a named variant's ``expect`` under ``model`` (empty for ad-hoc what-ifs)."""
        mc_ = pick(self.models, model, "model", field="model")
        pick(self.columns, column, "column")
        variant = next((v for v in self.scenario.variants if v.id == column), None)
        if variant is None or not variant.expect:
            return []
        return check_expectations(mc_, column, variant.expect)

    def to_json(self) -> dict:
        """The run record as JSON data (what ``accord compare --json`` prints)."""
        return self.record.to_json()


def _columns(
    scenario: Scenario, variants: Sequence[ColumnSpec] | None
) -> tuple[dict[str, WhatIf], dict[str, str]]:
    cols: dict[str, WhatIf] = {BASE: WhatIf(scenario)}
    titles: dict[str, str] = {BASE: "the scenario as written"}
    if variants is not None and (
        isinstance(variants, (str, bytes)) or not isinstance(variants, Sequence)
    ):
        raise ParameterError(
            f"variants={variants!r} must be a list of variant ids or what-ifs",
            hint="e.g. ['oman-steps-back'], or [('softer', {'actors.us.capability': 50})]",
            field="variants",
        )
    specs = list(variants) if variants is not None else [v.id for v in scenario.variants]
    for n, spec in enumerate(specs):
        if isinstance(spec, str):
            if spec == BASE:
                raise ParameterError(
                    "base is always the first column; name variants to compare with it",
                    hint="variants: " + (", ".join(v.id for v in scenario.variants) or "none"),
                    field="variants",
                )
            try:
                variant = scenario.variant(spec)
            except AccordError as exc:
                raise type(exc)(exc.message, hint=exc.hint, field="variants") from None
            label, w, title = (
                spec,
                variant_whatif(scenario, spec),
                variant.title or variant.rationale,
            )
        elif isinstance(spec, Scenario):
            label = f"alt{n + 1}" if spec.id == scenario.id else spec.id
            w, title = WhatIf(spec), spec.title
        elif isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str):
            label, what = spec
            if isinstance(what, Scenario):
                w, title = WhatIf(what), what.title
            elif isinstance(what, Mapping):
                w = whatif(scenario, dict(what))
                title = ", ".join(c.text() for c in w.changes)
            else:
                raise ParameterError(
                    f"what-if {label!r}: {what!r} is neither a scenario nor a mapping of changes",
                    field="variants",
                )
        else:
            raise ParameterError(
                f"{spec!r} is not a variant id, a scenario or a (label, changes) pair",
                field="variants",
            )
        moved = [c.path for c in w.changes if c.path == "models" or c.path.startswith("models.")]
        if moved:
            raise ParameterError(
                f"what-if {label!r} changes model settings ({', '.join(moved)}); a comparison "
                "runs every column with the base scenario's settings, so it would not show",
                hint="set model settings for the whole comparison (--param), or compare two "
                "forecasts",
                field="variants",
            )
        if label in cols:
            raise ParameterError(
                f"the column {label!r} is named twice",
                hint="give each what-if its own name",
                field="variants",
            )
        cols[label] = w
        titles[label] = title
    if len(cols) == 1:
        raise ParameterError(
            f"scenario {scenario.id!r} has no variants to compare",
            hint="name variants to compare, or add some to the scenario",
            field="variants",
        )
    return cols, titles


def compare(
    scenario: Scenario | str | os.PathLike,
    variants: Sequence[ColumnSpec] | None = None,
    models: str | list[str] = "all",
    *,
    changes: dict[str, Any] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    runs: int = 1000,
    seed: int | None = None,
    uncertainty: Uncertainty | str | Mapping[str, Any] | None = None,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: mc.Progress | None = None,
    chunk_size: int | None = None,
) -> Comparison:
    """Forecast the base scenario and each of ``variants`` (None: all the scenario's variants) on
    the same random draws, and report each variant's deltas against the base.

    ``variants`` items: a variant id, a :class:`Scenario`, or ``(label, scenario or changes)``.
    ``changes`` (``--set``) apply to the base before any variant. The other arguments are those of
    :func:`accord.runs.forecast.forecast`.
    """
    names = model_names(models)
    w = prepare(scenario, changes=changes)
    base = w.scenario
    whatifs, titles = _columns(base, variants)
    cols = {c: wi.scenario for c, wi in whatifs.items()}
    res = run_columns(
        cols,
        names,
        params=params,
        runs=runs,
        seed=seed,
        uncertainty=uncertainty,
        engine=engine,
        workers=workers,
        address=address,
        progress=progress,
        chunk_size=chunk_size,
    )
    out = {
        name: ModelComparison(
            name, res.models[BASE][name].label, {c: res.models[c][name] for c in cols}
        )
        for name in names
    }
    record = rec.RunRecord(
        scenario=scenario_ref(w, None),
        results=_results(out, whatifs, titles, base),
        **run_fields(res, runs),
    )
    return Comparison(
        scenario=base,
        columns=cols,
        titles=titles,
        models=out,
        record=record,
        uncertainty=res.uncertainty,
        whatifs=whatifs,
    )


def _delta(d: Delta) -> rec.Delta:
    return rec.Delta(value=d.value, intervals={level_key(lv): iv for lv, iv in d.intervals.items()})


def _results(
    models: dict[str, ModelComparison],
    whatifs: dict[str, WhatIf],
    titles: dict[str, str],
    base: Scenario,
) -> rec.CompareResults:
    """The comparison part of the record: per model and column, the summaries and the deltas."""
    variants = {v.id: v for v in base.variants}
    out = []
    for mc_ in models.values():
        cols = []
        for c in whatifs:
            mf = mc_.columns[c]
            deltas = expectations = None
            if c != BASE:
                deltas = rec.ColumnDeltas(
                    margin=_delta(mc_.margin_delta(c)),
                    issues={k: _delta(mc_.issue_delta(c, k)) for k in mf.issues},
                    probabilities={s: _delta(mc_.probability_delta(c, s)) for s in STATUS_NAMES},
                )
                variant = variants.get(c)
                checks = (
                    check_expectations(mc_, c, variant.expect)
                    if variant is not None and variant.expect
                    else []
                )
                expectations = [
                    rec.Expectation(
                        key=ch.key,
                        expected=ch.expected,  # type: ignore[arg-type]
                        measure=ch.measure,
                        delta=ch.delta,
                        holds=ch.holds,
                    )
                    for ch in checks
                ]
            cols.append(
                rec.ColumnResult(
                    column=c,
                    issues={
                        k: rec.IssueSummary(
                            point=v.point,
                            median=v.median,
                            intervals={level_key(lv): v.interval(lv) for lv in LEVELS},
                        )
                        for k, v in mf.issues.items()
                    },
                    probabilities=rec.Probabilities(**mf.probabilities),
                    blockers=[rec.Blocker(**b) for b in mf.blockers[:5]],
                    margin_mean=float(np.mean(mf.agreement.margin)),  # type: ignore[union-attr]
                    deltas=deltas,
                    expectations=expectations or [],
                )
            )
        out.append(rec.ModelColumns(name=mc_.name, label=mc_.label, columns=cols))
    specs = [
        rec.ColumnSpec(
            id=c, title=titles[c], changes=list(w.changes), adjustments=list(w.adjustments)
        )
        for c, w in whatifs.items()
    ]
    return rec.CompareResults(columns=specs, models=out)
