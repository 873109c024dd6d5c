"""Position trajectories under uncertainty: each actor's median path with a quantile band.

Input is either a model's position history over draws, ``(draws, steps, actors, issues)``
(:attr:`accord.models.base.Result.history`), from which the quantiles are taken per step, or the
quantiles themselves (``{q: (steps, actors, issues)}``, e.g. from a stored run). One panel per issue;
the band spans the outer two quantiles (10–90 % by default), the line is the middle one. An optional
``outcome`` series ``(draws, steps, issues)`` (e.g. ``Result.series["median"]``) is drawn in black.

>>> import numpy as np
>>> hist = np.random.default_rng(0).uniform(0, 100, (40, 5, 2, 1))
>>> q = band_quantiles(hist)
>>> sorted(q), q[0.5].shape
([0.1, 0.5, 0.9], (5, 2, 1))
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from accord.present.colours import actor_colour
from accord.present.formats import share_short
from accord.present.plots._figure import figure_legend, image_format, new_figure, save

if TYPE_CHECKING:
    from matplotlib.figure import Figure

QUANTILES = (0.1, 0.5, 0.9)


def band_quantiles(
    history: np.ndarray, quantiles: Sequence[float] = QUANTILES
) -> dict[float, np.ndarray]:
    """``{q: (steps, ...)}``: the ``q`` quantile over the draws axis of ``history`` (NaN ignored)."""
    history = np.asarray(history, dtype=float)
    qs = sorted(float(q) for q in quantiles)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices (no stance) stay NaN
        values = np.nanquantile(history, qs, axis=0)
    return {q: values[n] for n, q in enumerate(qs)}


def bands_figure(
    history: np.ndarray | Mapping[float, np.ndarray],
    actor_ids: Sequence[str],
    issue_ids: Sequence[str],
    *,
    issue_names: Sequence[str] | None = None,
    actor_names: Sequence[str] | None = None,
    outcome: np.ndarray | Mapping[float, np.ndarray] | None = None,
    quantiles: Sequence[float] = QUANTILES,
    has_stance: np.ndarray | None = None,
    limits: Sequence[tuple[float, float]] | None = None,
    columns: int = 3,
    title: str | None = None,
) -> Figure:
    """One panel per issue: every actor's middle-quantile trajectory and its band.

    ``has_stance`` (actors, issues) hides actors with no stance on an issue; ``limits`` gives each
    issue's (low, high) for the y axis.
    """
    q = dict(history) if isinstance(history, Mapping) else band_quantiles(history, quantiles)
    qs = sorted(q)
    lo, mid, hi = q[qs[0]], q[qs[len(qs) // 2]], q[qs[-1]]
    oq = None
    if outcome is not None:
        oq = dict(outcome) if isinstance(outcome, Mapping) else band_quantiles(outcome, quantiles)
        oqs = sorted(oq)
    steps = np.arange(mid.shape[0])
    n_i = len(issue_ids)
    cols = max(1, min(columns, n_i))
    rows = math.ceil(n_i / cols)
    fig = new_figure(max(4.2 * cols, 6.4), 3.0 * rows + 0.7)
    names = list(actor_names or actor_ids)
    for k in range(n_i):
        ax = fig.add_subplot(rows, cols, k + 1)
        for a in range(len(actor_ids)):
            if has_stance is not None and not has_stance[a, k]:
                continue
            colour = actor_colour(a)
            ax.fill_between(steps, lo[:, a, k], hi[:, a, k], color=colour, alpha=0.18, linewidth=0)
            ax.plot(
                steps,
                mid[:, a, k],
                color=colour,
                linewidth=1.6,
                marker="o" if len(steps) == 1 else None,
                label=names[a],
            )
        if oq is not None:
            ax.fill_between(
                steps, oq[oqs[0]][:, k], oq[oqs[-1]][:, k], color="black", alpha=0.12, linewidth=0
            )
            ax.plot(
                steps,
                oq[oqs[len(oqs) // 2]][:, k],
                color="black",
                linewidth=2.2,
                linestyle="--",
                label="forecast",
            )
        if limits is not None:
            ax.set_ylim(*limits[k])
        ax.set_title(issue_names[k] if issue_names else issue_ids[k], fontsize=10)
        ax.set_xlabel("round", fontsize=8)
        ax.set_ylabel("position", fontsize=8)
        ax.tick_params(labelsize=8)
        if len(steps) > 1:
            ax.set_xlim(0, steps[-1])
    figure_legend(fig, 6)
    if title is None:
        title = (
            f"Positions over the rounds (line: {share_short(qs[len(qs) // 2])} quantile; "
            f"band: {share_short(qs[0])}–{share_short(qs[-1])} of draws)"
        )
    fig.suptitle(title, fontsize=11)
    fig.tight_layout(rect=(0, 0.07, 1, 0.95))
    return fig


def bands_chart(
    history: np.ndarray | Mapping[float, np.ndarray],
    actor_ids: Sequence[str],
    issue_ids: Sequence[str],
    path: str | Path,
    **kwargs,
) -> Path:
    """Save :func:`bands_figure` to ``path`` (PNG or SVG by extension)."""
    image_format(path)
    return save(bands_figure(history, actor_ids, issue_ids, **kwargs), path)
