"""Outcome distributions: one histogram per issue over the draws, for one or several models.

Each panel marks the status quo (dashed black) and every decider's position (a line in the actor's
own colour, labelled in the legend), so a reader sees at once where the forecast lands relative to
where the parties whose consent a deal needs stand. The histograms come from a run record's
per-issue histograms, or from per-draw values.

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
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from accord.present.colours import actor_colour, model_colour, model_linestyle
from accord.present.formats import number
from accord.present.plots._figure import figure_legend, new_figure, save
from accord.scenario.types import Actor, Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def deciders(scenario: Scenario) -> list[Actor]:
    """The actors whose positions are marked: the deciders, by the one rule of
    :attr:`accord.arrays.ScenarioArrays.deciders` (veto players; else principals; else everyone)."""
    chosen = [a for a in scenario.actors if a.veto]
    return chosen or [a for a in scenario.actors if a.role == "principal"] or list(scenario.actors)


Histograms = Sequence[tuple[Sequence[float], Sequence[float]]]  # per issue: (counts, edges)


def histograms_of(values: np.ndarray, scenario: Scenario, bins: int = 20) -> list[tuple]:
    """Per issue, the (counts, edges) of ``values`` (draws, issues) over the issue's whole scale."""
    out = []
    for k, issue in enumerate(scenario.issues):
        x = np.asarray(values, dtype=float)[:, k]
        counts, edges = np.histogram(x[np.isfinite(x)], bins=bins, range=(issue.low, issue.high))
        out.append((counts, edges))
    return out


def distributions_figure(
    scenario: Scenario,
    outcomes: Mapping[str, Histograms | np.ndarray] | np.ndarray,
    *,
    issues: list[str] | None = None,
    columns: int = 3,
    title: str | None = None,
) -> Figure:
    """Histograms of the predicted outcome per issue, one outline per model, with the status quo
    and the deciders' positions (in their own colours) marked.

    ``outcomes`` maps a model's name to its per-issue histograms — ``(counts, edges)`` per issue,
    as a run record keeps them (``IssueResult.histogram``) — or to its ``(draws, issues)`` values;
    a bare array is one model. ``issues`` restricts and orders the panels (ids).
    """
    raw = {"outcome": outcomes} if isinstance(outcomes, np.ndarray) else dict(outcomes)
    data = {
        name: histograms_of(v, scenario) if isinstance(v, np.ndarray) else list(v)
        for name, v in raw.items()
    }
    all_ids = [i.id for i in scenario.issues]
    ids = list(issues) if issues is not None else all_ids
    cols = max(1, min(columns, len(ids)))
    rows = math.ceil(len(ids) / cols)
    fig = new_figure(max(4.2 * cols, 6.4), 3.2 * rows + 0.6)
    marked = deciders(scenario)
    for n, issue_id in enumerate(ids):
        issue = scenario.issue(issue_id)
        k = all_ids.index(issue_id)
        ax = fig.add_subplot(rows, cols, n + 1)
        for m, (name, hists) in enumerate(data.items()):
            counts, edges = (np.asarray(a, dtype=float) for a in hists[k])
            # shares, so models with different draws compare
            shares = counts / max(counts.sum(), 1.0)
            ax.stairs(
                shares,
                edges,
                fill=len(data) == 1,
                alpha=0.45 if len(data) == 1 else 1.0,
                linewidth=1.6,
                linestyle=model_linestyle(m),
                color=model_colour(m),
                label=name,
            )
        ax.axvline(
            issue.status_quo, color="black", linestyle=":", linewidth=1.6, label="status quo"
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
        ends = f"{number(issue.low)} = {issue.scale[issue.low]}; {number(issue.high)} = {issue.scale[issue.high]}"
        ax.set_xlabel("\n".join(textwrap.wrap(ends, 62)), fontsize=6.5)
        ax.set_ylabel("share of draws", fontsize=8)
        ax.tick_params(labelsize=8)
    n_labels = figure_legend(fig, 5)
    fig.suptitle(title or f"{scenario.title}: predicted outcome per issue", fontsize=11)
    fig.tight_layout(rect=(0, 0.06 + 0.02 * (n_labels > 5), 1, 0.96))
    return fig


def distributions_chart(
    scenario: Scenario,
    outcomes: Mapping[str, Histograms | np.ndarray] | np.ndarray,
    path: str | Path,
    **kwargs,
) -> Path:
    """Save :func:`distributions_figure` to ``path`` (PNG or SVG by extension)."""
    from accord.present.plots._figure import image_format

    image_format(path)  # fail before drawing
    return save(distributions_figure(scenario, outcomes, **kwargs), path)
