"""The rows every interface shows, built once from run records and scenarios.

Each builder returns plain rows of text (numbers already formatted by :mod:`accord.present.formats`,
reasons worded by :mod:`accord.present.reasons`); the terminal (:mod:`accord.cli`), the HTML report
(:mod:`accord.present.report`) and the web page lay them out as they need, so all three show the
same numbers in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accord.present import formats as f
from accord.present.reasons import reason
from accord.scenario.types import Scenario

#: the three outcome classes, in display order
STATUSES = ("agreement", "stalemate", "escalation")


# -- scenarios ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioRow:
    id: str
    title: str
    as_of: str
    actors: str
    issues: str
    variants: list[str]


def scenario_row(sc: Scenario) -> ScenarioRow:
    return ScenarioRow(
        id=sc.id,
        title=sc.title,
        as_of=sc.as_of.isoformat() if sc.as_of else "",
        actors=str(len(sc.actors)),
        issues=str(len(sc.issues)),
        variants=[v.id for v in sc.variants],
    )


@dataclass(frozen=True)
class StanceRow:
    """One actor in the actors × issues view: ``cells[k]`` is ``position / salience [red line]``
    on issue k, or None where it holds no stance."""

    id: str
    name: str
    role: str
    capability: str
    cells: list[str | None]


def red_line_text(lo: float | None, hi: float | None) -> str:
    """``[25–]``, ``[–10]``, ``[20–60]``."""
    return f"[{'' if lo is None else f.number(lo)}–{'' if hi is None else f.number(hi)}]"


def stance_rows(sc: Scenario) -> list[StanceRow]:
    rows = []
    for actor in sc.actors:
        cells: list[str | None] = []
        for issue in sc.issues:
            st = actor.stances.get(issue.id)
            if st is None:
                cells.append(None)
                continue
            cell = f"{f.number(st.position)} / {st.salience:.0f}"
            if st.red_line is not None and (st.red_line.min, st.red_line.max) != (None, None):
                cell += " " + red_line_text(st.red_line.min, st.red_line.max)
            cells.append(cell)
        rows.append(
            StanceRow(
                id=actor.id,
                name=actor.name,
                role=actor.role + (" (veto)" if actor.veto else ""),
                capability=f.number(actor.capability),
                cells=cells,
            )
        )
    return rows


def scale_legend(sc: Scenario) -> list[str]:
    """One line per issue: its id, name and what its two ends (and any anchor) mean, whole."""
    lines = []
    for issue in sc.issues:
        points = sorted(issue.scale)
        marks = "; ".join(f"{f.number(p)} = {issue.scale[p]}" for p in points)
        lines.append(f"{issue.id} ({issue.name}): {marks}")
    return lines


def evidence_rows(sc: Scenario) -> list[dict[str, Any]]:
    """Every evidence entry of the scenario with where it sits (issue, actor, stance, outside
    option), its quote in its own language, gloss, note and the fields it supports."""
    langs = {s.id: s.language for s in sc.sources}

    def row(ev, where: str) -> dict[str, Any]:
        return {
            "where": where,
            "source": ev.source,
            "lang": langs.get(ev.source, ""),
            "quote": ev.quote,
            "gloss": ev.gloss,
            "note": ev.note,
            "supports": ", ".join(ev.supports),
        }

    issue_names = {i.id: i.name for i in sc.issues}
    rows = []
    for issue in sc.issues:
        rows += [row(ev, f"issue {issue.name}") for ev in issue.evidence]
    for actor in sc.actors:
        rows += [row(ev, actor.name) for ev in actor.evidence]
        if actor.outside_option is not None:
            rows += [
                row(ev, f"{actor.name} · outside option") for ev in actor.outside_option.evidence
            ]
        for issue_id, st in actor.stances.items():
            name = issue_names.get(issue_id, issue_id)
            rows += [row(ev, f"{actor.name} · {name}") for ev in st.evidence]
    for v in sc.variants:
        rows += [row(ev, f"variant {v.id}") for ev in v.evidence]
    return rows


def inputs_rows(sc: Scenario) -> list[dict[str, Any]]:
    """Actors × issues with every uncertainty range: each cell's position, salience, their ranges
    and the red line, as text; per actor its role, capability, outside option and trust."""

    def span(r) -> str:
        return "" if r is None else "–".join(f.number(v) for v in r)

    rows = []
    for actor in sc.actors:
        cells = []
        for issue in sc.issues:
            st = actor.stances.get(issue.id)
            if st is None:
                cells.append(None)
                continue
            rl = ""
            if st.red_line is not None and (st.red_line.min, st.red_line.max) != (None, None):
                rl = red_line_text(st.red_line.min, st.red_line.max)[1:-1]
            cells.append(
                {
                    "position": f.number(st.position),
                    "position_range": span(st.position_range),
                    "salience": f.number(st.salience),
                    "salience_range": span(st.salience_range),
                    "red_line": rl,
                }
            )
        oo = actor.outside_option
        outside = "status quo"
        if oo is not None:
            outside = oo.kind.replace("_", " ")
            if oo.value is not None:
                outside += f", worth {f.number(oo.value)}"
            if oo.value_range:
                outside += f" ({span(oo.value_range)})"
        cap = f.number(actor.capability)
        if actor.capability_range:
            cap += f" ({span(actor.capability_range)})"
        trust = "" if actor.trust is None else f.number(actor.trust)
        if actor.trust_range:
            trust += f" ({span(actor.trust_range)})"
        rows.append(
            {
                "name": actor.name,
                "id": actor.id,
                "role": actor.role + (" (veto)" if actor.veto else ""),
                "capability": cap,
                "outside": outside,
                "trust": trust,
                "cells": cells,
            }
        )
    return rows


# -- forecasts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeCell:
    model: str
    point: str
    median: str
    i80: str  # "[52.3–60.1]"
    i95: str

    @property
    def estimate(self) -> str:
        """``56.1 [52.3–60.1]``: the median and its 80% interval."""
        return f"{self.median} {self.i80}"


@dataclass(frozen=True)
class IssueRow:
    id: str
    name: str
    low: str  # "0 = nuclear file only"
    high: str
    status_quo: str
    cells: list[OutcomeCell]


def issue_rows(record: Any, sc: Scenario) -> list[IssueRow]:
    """Per issue: its scale's ends, the status quo, and each model's point forecast and median with
    80% and 95% intervals (over the draws; with one run they collapse onto the point)."""
    models = record.results.models
    rows = []
    for k, issue in enumerate(sc.issues):
        cells = []
        for m in models:
            r = m.issues[k]
            cells.append(
                OutcomeCell(
                    model=m.name,
                    point=f.number(r.point),
                    median=f.number(r.median),
                    i80=f.interval(*r.intervals["80"]),
                    i95=f.interval(*r.intervals["95"]),
                )
            )
        rows.append(
            IssueRow(
                id=issue.id,
                name=issue.name,
                low=f"{f.number(issue.low)} = {issue.scale[issue.low]}",
                high=f"{f.number(issue.high)} = {issue.scale[issue.high]}",
                status_quo=f.number(issue.status_quo),
                cells=cells,
            )
        )
    return rows


@dataclass(frozen=True)
class AgreementRow:
    model: str
    label: str
    reference: str
    status: str  # the point run
    probabilities: dict[str, str]  # "95.3%"
    margin: str
    blockers: list[str]  # sentences, most frequent first
    more_blockers: int
    settings: str  # "rounds=10, ..." (what differs from the defaults, else "defaults")


def agreement_rows(record: Any, sc: Scenario, top: int = 6) -> list[AgreementRow]:
    specs = {s.name: s for s in record.models}
    monte_carlo = record.draws > 1
    rows = []
    for m in record.results.models:
        spec = specs[m.name]
        changed = {k: spec.settings[k] for k in spec.settings_from}
        blockers = m.agreement.blockers
        rows.append(
            AgreementRow(
                model=m.name,
                label=spec.label,
                reference=spec.reference,
                status=m.agreement.status,
                probabilities={s: f.share(getattr(m.agreement.probabilities, s)) for s in STATUSES},
                margin=f.fixed(m.agreement.margin.median, 2),
                blockers=[reason(b, sc, with_share=monte_carlo) for b in blockers[:top]],
                more_blockers=max(len(blockers) - top, 0),
                settings=", ".join(f"{k}={v}" for k, v in changed.items()) or "defaults",
            )
        )
    return rows


@dataclass(frozen=True)
class UtilityCell:
    model: str
    median: str
    i80: str
    accepts: str

    @property
    def estimate(self) -> str:
        return f"{self.median} {self.i80}"


@dataclass(frozen=True)
class UtilityRow:
    id: str
    name: str
    decider: bool
    outside: str  # the point run's outside-option value
    cells: list[UtilityCell]


def utility_rows(record: Any, sc: Scenario, deciders_only: bool = False) -> list[UtilityRow]:
    models = record.results.models
    rows = []
    for a, actor in enumerate(sc.actors):
        first = models[0].actors[a]
        if deciders_only and not first.decider:
            continue
        cells = []
        for m in models:
            r = m.actors[a]
            lo, hi = r.utility.intervals["80"]
            cells.append(
                UtilityCell(
                    model=m.name,
                    median=f.utility(r.utility.median),
                    i80=f"[{f.utility(lo)}–{f.utility(hi)}]",
                    accepts=f.share_short(r.accepts),
                )
            )
        rows.append(
            UtilityRow(
                id=actor.id,
                name=actor.name,
                decider=first.decider,
                outside=f.utility(first.point_outside),
                cells=cells,
            )
        )
    return rows


def deciders(record: Any, sc: Scenario) -> list[str]:
    """The names of the actors whose consent a deal needs."""
    first = record.results.models[0]
    return [a.name for a in first.actors if a.decider]


def uncertainty_text(unc: Any) -> str:
    """How the inputs were sampled, in one line."""
    if unc is None:
        return "none"
    spreads = (
        f"± {unc.position:g}% of the scale on positions, ± {unc.salience:g} salience, "
        f"± {unc.capability:.0%} capability, ± {unc.red_line:g}% of the scale on red lines, "
        f"± {unc.outside_value:g} outside value"
        + ("" if unc.trust is None else f", ± {unc.trust:g} trust")
    )
    if not unc.ranges and not any(
        (unc.position, unc.salience, unc.capability, unc.red_line, unc.outside_value, unc.trust)
    ):
        return "none (every draw is the scenario)"
    ranges = "the scenario's ranges, else " if unc.ranges else ""
    return f"{unc.distribution}; {ranges}{spreads} (docs/uncertainty.md)"


def settings_lines(record: Any) -> list[str]:
    """One line per model run with settings other than its defaults, saying where they came from;
    and a note on models that sample (the seed then matters)."""
    lines = []
    origin = {"scenario": "from the scenario file", "run": "given for this run"}
    for spec in record.models:
        if spec.settings_from:
            groups: dict[str, list[str]] = {}
            for k, where in spec.settings_from.items():
                groups.setdefault(where, []).append(f"{k}={spec.settings[k]}")
            parts = "; ".join(f"{', '.join(v)} ({origin[w]})" for w, v in groups.items())
            lines.append(f"{spec.name} settings: {parts}")
        if spec.stochastic:
            lines.append(
                f"{spec.name} draws random numbers: seed {record.seed} reproduces this run"
            )
    return lines


def whatif_lines(ref: Any) -> list[str]:
    """The changes a run made to its scenario and the adjustments they brought, in words."""
    lines = []
    dated = [c for c in ref.changes if c.origin.startswith("update:")]
    if dated:
        n = len({c.origin for c in dated})
        lines.append(
            f"dated version as of {ref.as_of}: {len(dated)} change(s) from {n} update(s) "
            "since the scenario as written"
        )
    if ref.variant:
        lines.append(f"variant: {ref.variant}")
    own = [c.text() for c in ref.changes if c.origin == "set"]
    if own:
        lines.append("changes: " + ", ".join(own))
    lines += ["what-if: " + a.text() for a in ref.adjustments]
    return lines


# -- comparisons ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    """One line of a model's comparison: the base column, then one cell per variant."""

    label: str
    base: str
    cells: list[str]
    styles: list[str | None] = field(default_factory=list)  # "up", "down", "flat" or None
    emphasis: str | None = None  # "bold", "dim"


def _trend(v: float | None) -> str:
    return "flat" if v is None or v == 0 else ("up" if v > 0 else "down")


def compare_rows(record: Any, sc: Scenario, model: str) -> list[CompareRow]:
    """Issues (median change, 80% interval of the paired per-draw change), probabilities (change in
    points, 80% Monte Carlo interval), the mean deal margin and the variant's expectations."""
    res = record.results
    mc_ = next(m for m in res.models if m.name == model)
    base = mc_.columns[0]
    variants = mc_.columns[1:]
    rows = []
    for issue in sc.issues:
        b = base.issues[issue.id]
        cells, styles = [], []
        for col in variants:
            d = col.deltas.issues[issue.id]
            cells.append(f.delta(d.value, *d.intervals["80"]))
            styles.append(_trend(d.value))
        rows.append(CompareRow(issue.name, f.estimate(b.median, *b.intervals["80"]), cells, styles))
    for status in STATUSES:
        cells, styles = [], []
        for col in variants:
            d = col.deltas.probabilities[status]
            cells.append(f.delta(d.value, *d.intervals["80"], scale=100, unit=" pts"))
            styles.append(_trend(d.value))
        rows.append(
            CompareRow(
                f"P({status})",
                f.share(getattr(base.probabilities, status)),
                cells,
                styles,
                "bold" if status == "agreement" else None,
            )
        )
    m0 = base.margin_mean
    rows.append(
        CompareRow(
            "deal margin (mean)",
            f.margin(m0),
            [
                f.delta(c.deltas.margin.value, *c.deltas.margin.intervals["80"], digits=2)
                for c in variants
            ],
            emphasis="dim",
        )
    )
    if any(c.expectations for c in variants):
        cells, styles = [], []
        for c in variants:
            if not c.expectations:
                cells.append("—")
                styles.append(None)
                continue
            bad = [e.key for e in c.expectations if not e.holds]
            n = len(c.expectations)
            cells.append(f"✓ {n}/{n}" if not bad else "✗ " + ", ".join(bad))
            styles.append("up" if not bad else "down")
        rows.append(CompareRow("as the variant expects", "", cells, styles))
    return rows


# -- sensitivity ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectRow:
    rank: str
    name: str
    interval: str
    origin: str
    first: str  # S1 ± CI, or mu* ± CI
    second: str  # ST ± CI, or sigma
    swing: str  # output at the input's low / high bound


def effect_rows(results: Any, top: int | None = None) -> list[EffectRow]:
    sobol = results.method == "sobol"
    rows = []
    for rank, e in enumerate(results.effects[:top] if top else results.effects, 1):
        if sobol:
            first = f"{f.fixed(e.s1)} ± {f.fixed(e.s1_conf)}"
            second = f"{f.fixed(e.st)} ± {f.fixed(e.st_conf)}"
        else:
            first = f"{f.general(e.mu_star)} ± {f.general(e.mu_star_conf, 2)}"
            second = f.general(e.sigma)
        swing = (
            "" if e.swing_low is None else f"{f.general(e.swing_low)} / {f.general(e.swing_high)}"
        )
        rows.append(
            EffectRow(
                rank=str(rank),
                name=e.name,
                interval=f"{f.general(e.low, 6)}–{f.general(e.high, 6)}",
                origin=e.origin,
                first=first,
                second=second,
                swing=swing,
            )
        )
    return rows


def effect_headers(method: str) -> tuple[str, str]:
    return ("S1 ± CI", "ST ± CI") if method == "sobol" else ("mu* ± CI", "sigma")


# -- models ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingRow:
    name: str
    default: str
    choices: str
    description: str
    source: str


def setting_rows(model_cls: Any) -> list[SettingRow]:
    """A model's settings: name, default, choices (or type and limits), what it does, its source."""
    from accord.models.base import literal_choices

    rows = []
    for name, fi in model_cls.Settings.model_fields.items():
        choices = literal_choices(fi.annotation)
        if choices:
            allowed = ", ".join(map(str, choices))
        else:
            kind = getattr(fi.annotation, "__name__", str(fi.annotation)).replace(
                "NoneType", "None"
            )
            limits = []
            for m in fi.metadata:
                for key, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
                    if getattr(m, key, None) is not None:
                        limits.append(f"{sign} {getattr(m, key):g}")
            allowed = kind + (f" ({', '.join(limits)})" if limits else "")
        extra = fi.json_schema_extra if isinstance(fi.json_schema_extra, dict) else {}
        rows.append(
            SettingRow(
                name=name,
                default=str(fi.default),
                choices=allowed,
                description=fi.description or "",
                source=str(extra.get("source", "")),
            )
        )
    return rows


# -- stored runs and history ----------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """One dated version under one model: per issue ``median [80%]``, and the probabilities."""

    as_of: str
    title: str
    cells: list[str]
    agreement: str
    escalation: str
    zone: str  # "—" where the record does not carry it


def history_rows(points: Any, sc: Scenario, model: str) -> list[HistoryRow]:
    """``points``: (as of, title, record) per version in date order; one row per version."""
    from accord.runs.history import zone_probability

    rows = []
    for day, title, record in points:
        mr = next(m for m in record.results.models if m.name == model)
        by_id = {r.id: r for r in mr.issues}
        cells = []
        for issue in sc.issues:
            r = by_id.get(issue.id)
            cells.append(f.estimate(r.median, *r.intervals["80"]) if r is not None else f.MISSING)
        p = mr.agreement.probabilities
        rows.append(
            HistoryRow(
                as_of=day.isoformat() if day else "",
                title=title,
                cells=cells,
                agreement=f.share(p.agreement),
                escalation=f.share(p.escalation),
                zone=f.share(zone_probability(record)),
            )
        )
    return rows


@dataclass(frozen=True)
class DiffRow:
    """One number of two stored runs side by side: run A, run B, and the change B − A."""

    label: str
    a: str
    b: str
    delta: str
    style: str | None = None  # "up", "down", "flat"
    emphasis: str | None = None


def run_diff_rows(a: Any, b: Any, sc: Scenario, model: str) -> list[DiffRow]:
    """Issues (median [80%] in each run, change of the median) and the probabilities (each run's
    share, change in points with the 80% interval of its Monte Carlo error, the two runs' draws
    taken as independent), from the two stored records only."""
    from statistics import NormalDist

    ma = next(m for m in a.results.models if m.name == model)
    mb = next(m for m in b.results.models if m.name == model)
    ia, ib = {r.id: r for r in ma.issues}, {r.id: r for r in mb.issues}
    names = {i.id: i.name for i in sc.issues}
    rows = []
    for key in list(ia) + [k for k in ib if k not in ia]:
        ra, rb = ia.get(key), ib.get(key)
        est_a = f.estimate(ra.median, *ra.intervals["80"]) if ra else f.MISSING
        est_b = f.estimate(rb.median, *rb.intervals["80"]) if rb else f.MISSING
        d = rb.median - ra.median if ra and rb and None not in (ra.median, rb.median) else None
        rows.append(DiffRow(names.get(key, key), est_a, est_b, "Δ " + f.signed(d), _trend(d)))
    z = NormalDist().inv_cdf(0.9)
    for status in STATUSES:
        pa = getattr(ma.agreement.probabilities, status)
        pb = getattr(mb.agreement.probabilities, status)
        se = ((pa * (1 - pa)) / max(a.draws, 1) + (pb * (1 - pb)) / max(b.draws, 1)) ** 0.5
        d = pb - pa
        rows.append(
            DiffRow(
                f"P({status})",
                f.share(pa),
                f.share(pb),
                f.delta(d, d - z * se, d + z * se, scale=100, unit=" pts"),
                _trend(d),
                "bold" if status == "agreement" else None,
            )
        )
    return rows


def run_differences(a: Any, b: Any) -> list[str]:
    """What differs between what two runs were asked to do, in words (empty: nothing)."""
    out = []
    sa, sb = a.scenario, b.scenario
    if sa.id != sb.id:
        out.append(f"scenario: {sa.id} vs {sb.id}")
    if sa.as_of != sb.as_of:
        out.append(f"as of: {sa.as_of or 'no date'} vs {sb.as_of or 'no date'}")
    if sa.effective_hash != sb.effective_hash:
        out.append("the scenarios as run differ (content hash)")
    if sa.variant != sb.variant:
        out.append(f"variant: {sa.variant or 'none'} vs {sb.variant or 'none'}")
    ca, cb = {c.text() for c in sa.changes}, {c.text() for c in sb.changes}
    if ca != cb:
        only_a, only_b = sorted(ca - cb), sorted(cb - ca)
        if only_a:
            out.append("changes only in A: " + ", ".join(only_a))
        if only_b:
            out.append("changes only in B: " + ", ".join(only_b))
    for name in ("seed", "runs", "draws", "chunk_size"):
        va, vb = getattr(a, name), getattr(b, name)
        if va != vb:
            out.append(f"{name}: {va} vs {vb}")
    if a.uncertainty != b.uncertainty:
        out.append(
            f"uncertainty: {uncertainty_text(a.uncertainty)} vs {uncertainty_text(b.uncertainty)}"
        )
    specs_a, specs_b = {m.name: m for m in a.models}, {m.name: m for m in b.models}
    for name in specs_a.keys() & specs_b.keys():
        if specs_a[name].settings != specs_b[name].settings:
            diff = [
                f"{k}={specs_a[name].settings.get(k)} vs {specs_b[name].settings.get(k)}"
                for k in sorted(specs_a[name].settings.keys() | specs_b[name].settings.keys())
                if specs_a[name].settings.get(k) != specs_b[name].settings.get(k)
            ]
            out.append(f"{name} settings: " + ", ".join(diff))
    if a.accord_version != b.accord_version:
        out.append(f"accord {a.accord_version} vs {b.accord_version}")
    return out


__all__ = [
    "AgreementRow",
    "CompareRow",
    "DiffRow",
    "HistoryRow",
    "EffectRow",
    "IssueRow",
    "OutcomeCell",
    "ScenarioRow",
    "SettingRow",
    "StanceRow",
    "UtilityRow",
    "agreement_rows",
    "compare_rows",
    "deciders",
    "effect_headers",
    "effect_rows",
    "evidence_rows",
    "history_rows",
    "inputs_rows",
    "issue_rows",
    "run_diff_rows",
    "run_differences",
    "scale_legend",
    "scenario_row",
    "setting_rows",
    "settings_lines",
    "stance_rows",
    "uncertainty_text",
    "utility_rows",
    "whatif_lines",
]
