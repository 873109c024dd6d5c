"""Outcome distributions: one histogram per issue over the draws, for one or several models.

Each panel marks the status quo (dashed black) and every principal's position (a coloured line per
principal, labelled in the legend), so a reader sees at once where the forecast lands relative to
where the parties stand.

>>> import numpy as np
>>> from accord.scenario import Scenario
>>> sc = Scenario.model_validate({"id": "t", "title": "t",
...     "issues": [{"id": "x", "name": "X", "scale": {0: "none", 100: "all"}, "status_quo": 10}],
...     "actors": [{"id": "a", "name": "A", "role": "principal", "capability": 1,
...                 "stances": {"x": {"position": 20, "salience": 50}}}]})
>>> fig = distributions_figure(sc, {"compromise": np.full((50, 1), 20.0)})
>>> len(fig.axes)
1
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from accord.present.colours import actor_colour, model_colour
from accord.present.plots._figure import figure_legend, new_figure, save
from accord.scenario.types import Actor, Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def principals(scenario: Scenario) -> list[Actor]:
    """The actors whose positions are marked: principals; else veto players; else everyone."""
    chosen = [a for a in scenario.actors if a.role == "principal"]
    return chosen or [a for a in scenario.actors if a.veto] or list(scenario.actors)


def distributions_figure(
    scenario: Scenario,
    outcomes: Mapping[str, np.ndarray] | np.ndarray,
    *,
    issues: list[str] | None = None,
    bins: int = 30,
    columns: int = 3,
    title: str | None = None,
) -> Figure:
    """Histograms of the predicted outcome per issue.

    ``outcomes`` is ``(draws, issues)`` for one model, or a mapping of model name to such arrays
    (drawn as outlined histograms on shared bins). ``issues`` restricts and orders the panels (ids).
    """
    data = {"outcome": np.asarray(outcomes)} if isinstance(outcomes, np.ndarray) else dict(outcomes)
    all_ids = [i.id for i in scenario.issues]
    ids = list(issues) if issues is not None else all_ids
    cols = max(1, min(columns, len(ids)))
    rows = math.ceil(len(ids) / cols)
    fig = new_figure(max(4.2 * cols, 6.4), 3.0 * rows + 0.6)
    marked = principals(scenario)
    for n, issue_id in enumerate(ids):
        issue = scenario.issue(issue_id)
        k = all_ids.index(issue_id)
        ax = fig.add_subplot(rows, cols, n + 1)
        edges = np.linspace(issue.low, issue.high, bins + 1)
        for m, (name, values) in enumerate(data.items()):
            x = np.asarray(values, dtype=float)[:, k]
            x = x[np.isfinite(x)]
            colour = model_colour(m)
            # weights make each model's bars sum to 1, so models with different draws compare
            w = np.full(x.shape, 1.0 / max(len(x), 1))
            if len(data) == 1:
                ax.hist(x, bins=edges, weights=w, color=colour, alpha=0.75, label=name)
            else:
                ax.hist(
                    x,
                    bins=edges,
                    weights=w,
                    histtype="step",
                    linewidth=1.6,
                    color=colour,
                    label=name,
                )
        ax.axvline(
            issue.status_quo, color="black", linestyle="--", linewidth=1.2, label="status quo"
        )
        for actor in marked:
            stance = actor.stances.get(issue_id)
            if stance is None:
                continue
            ax.axvline(
                stance.position,
                color=actor_colour(scenario.actors.index(actor)),
                linewidth=2.0,
                alpha=0.9,
                label=f"{actor.name} position",
            )
        ax.set_xlim(issue.low, issue.high)
        ax.set_title(issue.name, fontsize=10)
        ax.set_xlabel(
            f"{issue.low:g} = {_short(issue.scale[issue.low])}  …  {issue.high:g} = {_short(issue.scale[issue.high])}",
            fontsize=7,
        )
        ax.set_ylabel("share of draws", fontsize=8)
        ax.tick_params(labelsize=8)
    n_labels = figure_legend(fig, 5)
    fig.suptitle(title or f"{scenario.title}: predicted outcome per issue", fontsize=11)
    fig.tight_layout(rect=(0, 0.06 + 0.02 * (n_labels > 5), 1, 0.96))
    return fig


def distributions_chart(
    scenario: Scenario,
    outcomes: Mapping[str, np.ndarray] | np.ndarray,
    path: str | Path,
    **kwargs,
) -> Path:
    """Save :func:`distributions_figure` to ``path`` (PNG or SVG by extension)."""
    from accord.present.plots._figure import image_format

    image_format(path)  # fail before drawing
    return save(distributions_figure(scenario, outcomes, **kwargs), path)


def _short(text: str, n: int = 22) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
