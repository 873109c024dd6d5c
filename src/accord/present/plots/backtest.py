"""Predicted against actual: one small scatter per predictor of a backtest, the diagonal marking a
perfect forecast, the band ±threshold around it, each panel titled with its MAE and interval.

>>> from types import SimpleNamespace as N
>>> iv = N(value=5.0, low=4.0, high=6.0)
>>> p = N(name="m", evaluation="as is", in_sample=False, overall=N(mae=iv, threshold=10.0))
>>> rows = [N(actual=10.0, predictions={"m": 12.0}), N(actual=80.0, predictions={"m": 70.0})]
>>> len(predicted_actual_figure(N(predictors=[p], rows=rows)).axes)
1
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.present.plots._figure import image_format, new_figure, save

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def predicted_actual_figure(
    results: Any, names: Sequence[str] | None = None, *, title: str = "Predicted against actual"
) -> Figure:
    """``results``: a :class:`~accord.runs.records.BacktestResults`; ``names``: the predictors to
    draw (default: every one with a score)."""
    from accord.present.backtest import estimate_text, predictor_name

    preds = [p for p in results.predictors if p.overall is not None]
    if names is not None:
        preds = [p for p in preds if p.name in names]
    n = max(len(preds), 1)
    cols = min(n, 3)
    rows_ = math.ceil(n / cols)
    fig = new_figure(3.2 * cols, 3.1 * rows_ + 0.6)
    scored = [r for r in results.rows if r.actual is not None]
    xs = [r.actual for r in scored]
    lo = min([0.0, *xs]) if xs else 0.0
    hi = max([100.0, *xs]) if xs else 100.0
    for k, p in enumerate(preds):
        ax = fig.add_subplot(rows_, cols, k + 1)
        ys = [r.predictions.get(p.name) for r in scored]
        pts = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
        t = p.overall.threshold
        ax.fill_between([lo, hi], [lo - t, hi - t], [lo + t, hi + t], color="#dddddd", lw=0)
        ax.plot([lo, hi], [lo, hi], color="#777777", lw=0.8)
        ax.scatter([x for x, _ in pts], [y for _, y in pts], s=9, alpha=0.55, color="#1f5f9f", lw=0)
        pad = 0.03 * (hi - lo)  # points on the scale's ends stay visible
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_aspect("equal")
        ax.set_title(
            f"{predictor_name(p)}\nMAE {estimate_text(p.overall.mae)}", fontsize=8, loc="left"
        )
        ax.tick_params(labelsize=7)
        if k % cols == 0:
            ax.set_ylabel("predicted", fontsize=8)
        if k >= n - cols:
            ax.set_xlabel("actual outcome", fontsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.suptitle(
        f"{title} ({len(xs)} issues; grey band: within {preds[0].overall.threshold:g} points)"
        if preds
        else title,
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return fig


def save_predicted_actual(
    results: Any, path: str | Path, names: Sequence[str] | None = None
) -> Path:
    image_format(path)  # refuse a bad path before drawing
    return save(predicted_actual_figure(results, names), path)


__all__ = ["predicted_actual_figure", "save_predicted_actual"]
