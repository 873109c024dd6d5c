"""The rows a backtest shows — accuracy per predictor, by procedure and rule, agreement, per case —
built once from its record (:class:`~accord.runs.records.BacktestResults`), for the terminal, the
JSON's readers and ``docs/accuracy.md`` alike; and those rows as Markdown tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.present import formats as f

#: how a predictor was evaluated, as a short note after its name
_EVALUATION = {
    "as is": "",
    "grouped cross-validation": "grouped CV",
    "shipped weights": "shipped weights",
}


def _share_interval(lo: float | None, hi: float | None) -> str:
    if lo is None or hi is None:
        return "[—]"
    return f"[{100 * lo:.0f}–{100 * hi:.0f}%]"


def estimate_text(iv: Any) -> str:
    """``24.6 [22.4–26.8]`` for an :class:`~accord.runs.records.Interval95`."""
    return f"{f.number(iv.value)} {f.interval(iv.low, iv.high)}"


def share_text(iv: Any) -> str:
    """``29% [24–35%]``."""
    return f"{f.share(iv.value, 0)} {_share_interval(iv.low, iv.high)}"


def delta_text(iv: Any | None) -> str:
    return "—" if iv is None else f.delta(iv.value, iv.low, iv.high)


def predictor_name(p: Any) -> str:
    """``ensemble (grouped CV)``, ``mean`` …"""
    note = _EVALUATION.get(p.evaluation, p.evaluation)
    if p.in_sample:
        note = (note + ", " if note else "") + "in-sample"
    return f"{p.name} ({note})" if note else p.name


@dataclass(frozen=True)
class ScoreRow:
    name: str
    label: str
    n: str
    mae: str
    median_ae: str
    within: str
    delta: str
    baseline: bool


def score_rows(results: Any) -> list[ScoreRow]:
    """One row per predictor with a score: MAE, median AE, share within the threshold, each with
    its 95% interval, and the paired difference from the baseline."""
    out = []
    for p in results.predictors:
        s = p.overall
        if s is None:
            continue
        out.append(
            ScoreRow(
                name=predictor_name(p),
                label=p.label,
                n=f.count(s.n),
                mae=estimate_text(s.mae),
                median_ae=estimate_text(s.median_ae),
                within=share_text(s.within),
                delta="(baseline)" if p.name == results.baseline else delta_text(s.vs_baseline),
                baseline=p.name == results.baseline,
            )
        )
    return out


def threshold(results: Any) -> float:
    for p in results.predictors:
        if p.overall is not None:
            return p.overall.threshold
    return 10.0


@dataclass(frozen=True)
class BreakdownColumn:
    key: str
    value: str
    n: int

    @property
    def header(self) -> str:
        return f"{self.value} (n={self.n})"


def breakdown_columns(results: Any, keys: Sequence[str]) -> list[BreakdownColumn]:
    """The groups of the cases by each tag in ``keys`` (e.g. procedure, rule), with their sizes."""
    first = next((p for p in results.predictors if p.breakdown), None)
    if first is None:
        return []
    return [BreakdownColumn(k, v, s.n) for k in keys for v, s in first.breakdown.get(k, {}).items()]


def breakdown_rows(
    results: Any, columns: Sequence[BreakdownColumn], measure: str = "mae"
) -> list[tuple[str, list[str]]]:
    """Per predictor, its MAE (``measure``: mae, delta) with interval in each group."""
    out = []
    for p in results.predictors:
        if not p.breakdown:
            continue
        cells = []
        for c in columns:
            s = p.breakdown.get(c.key, {}).get(c.value)
            if s is None:
                cells.append("—")
            elif measure == "delta":
                cells.append(
                    "(baseline)" if p.name == results.baseline else delta_text(s.vs_baseline)
                )
            else:
                cells.append(estimate_text(s.mae))
        out.append((predictor_name(p), cells))
    return out


@dataclass(frozen=True)
class AgreementRow:
    name: str
    n: str
    brier: str
    calibration: str


def agreement_rows(results: Any) -> list[AgreementRow]:
    """Per model: the Brier score of its probability of agreement and its calibration, bin by
    bin (``0–20%: 12 cases, said 3%, 100% agreed``)."""
    out = []
    for p in results.predictors:
        a = p.agreement
        if a is None:
            continue
        bins = "; ".join(
            f"{100 * b.low:.0f}–{100 * b.high:.0f}%: {b.n} case{'s' if b.n != 1 else ''}, "
            f"said {f.share_short(b.predicted)}, {f.share_short(b.observed)} agreed"
            for b in a.calibration
        )
        brier = (
            f"{f.fixed(a.brier.value, 2)} [{f.fixed(a.brier.low, 2)}–{f.fixed(a.brier.high, 2)}]"
        )
        out.append(AgreementRow(predictor_name(p), f.count(a.n), brier, bins))
    return out


def case_rows(results: Any) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the per-case table: case, issue, group, the outcome, each predictor's
    forecast (the mean over the repeats for a cross-validated one)."""
    names = [p.name for p in results.predictors]
    headers = ["case", "issue", "group", "outcome", *names]
    rows = []
    for r in results.rows:
        rows.append(
            [
                r.case,
                r.issue if r.issue != r.case else "",
                r.group if r.group != r.case else "",
                f.number(r.actual),
                *(f.number(r.predictions.get(n)) for n in names),
            ]
        )
    return headers, rows


def markdown_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None
) -> str:
    """A GitHub-flavoured Markdown table (``|`` inside cells escaped)."""
    right = right or [False] + [True] * (len(headers) - 1)

    def cell(text: str) -> str:
        return str(text).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---:" if r else "---" for r in right) + "|")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def scores_markdown(results: Any) -> str:
    t = threshold(results)
    rows = [[r.name, r.n, r.mae, r.median_ae, r.within, r.delta] for r in score_rows(results)]
    return markdown_table(
        [
            "predictor",
            "issues",
            "MAE",
            "median AE",
            f"within {t:g}",
            f"Δ MAE vs {results.baseline}",
        ],
        rows,
    )


def breakdown_markdown(results: Any, keys: Sequence[str], measure: str = "mae") -> str:
    cols = breakdown_columns(results, keys)
    rows = [[name, *cells] for name, cells in breakdown_rows(results, cols, measure)]
    return markdown_table(["predictor", *(c.header for c in cols)], rows)


def agreement_markdown(results: Any) -> str:
    rows = [[r.name, r.n, r.brier, r.calibration] for r in agreement_rows(results)]
    return markdown_table(
        ["model", "cases", "Brier", "calibration"], rows, [False, True, True, False]
    )


__all__ = [
    "AgreementRow",
    "BreakdownColumn",
    "ScoreRow",
    "agreement_markdown",
    "agreement_rows",
    "breakdown_columns",
    "breakdown_markdown",
    "breakdown_rows",
    "case_rows",
    "markdown_table",
    "predictor_name",
    "score_rows",
    "scores_markdown",
]
