"""Position trajectories: where each actor stands on each issue, turn by turn.

One panel per issue: a line per actor through ``Result.history`` (step 0 = the scenario's
positions), the model's outcome per step where the model reports one (``Result.series``, e.g.
SMP's ``winner``) as a dashed black line, and the final outcome as a black marker. For SMP runs a
last panel shows each actor's probability that its position wins (``details["win_prob"]``), as in
KTAB's run summaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from accord.arrays import ScenarioArrays
from accord.errors import ParameterError
from accord.models.base import Result
from accord.present.colours import actor_colour
from accord.present.plots._figure import save


def trajectory_plot(
    result: Result,
    arrays: ScenarioArrays,
    path: str | Path,
    *,
    draw: int = 0,
    actor_names: Sequence[str] | None = None,
    issue_names: Sequence[str] | None = None,
) -> Path:
    """Save the trajectory chart of one draw of ``result`` to ``path`` (PNG or SVG, by suffix).

    ``arrays`` supplies the scale ends and who holds a stance where (an actor is drawn only on the
    issues it takes part in); ``actor_names`` label the legend (default: the ids), in the
    actors' own colours (:mod:`accord.present.colours`). Returns the path written.
    """
    # Agg via the object API: no pyplot, no global backend switch, no GUI needed
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    hist = np.asarray(result.history)
    n_draws, n_steps, n_act, n_iss = hist.shape
    if not 0 <= draw < n_draws:
        raise ParameterError(f"draw {draw} does not exist", hint=f"choose 0 … {n_draws - 1}")
    if (n_act, n_iss) != (arrays.n_actors, arrays.n_issues):
        raise ParameterError(
            "the result and the arrays describe different actors or issues",
            hint="pass the ScenarioArrays the model was run on",
        )
    win = result.details.get("win_prob")
    panels = n_iss + (1 if win is not None else 0)
    fig = Figure(figsize=(8.0, 2.6 * panels + 0.6), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
    steps = np.arange(n_steps)
    colours = [actor_colour(k) for k in range(n_act)]
    names = list(actor_names or arrays.actor_ids)
    guide = result.series.get("winner")
    for k, ax in enumerate(axes[:n_iss]):
        for a in range(n_act):
            if not arrays.has_stance[a, k]:
                continue  # no stance, no position on this issue
            ax.plot(steps, hist[draw, :, a, k], color=colours[a], lw=1.2, label=names[a])
        if guide is not None:
            ax.plot(
                steps,
                guide[draw, :, k],
                color="black",
                ls="--",
                lw=1.0,
                label="most likely outcome",
            )
        ax.plot([steps[-1]], [result.outcome[draw, k]], "ko", ms=6)
        ax.set_ylim(float(arrays.low[k]), float(arrays.high[k]))
        ax.set_title(issue_names[k] if issue_names else arrays.issue_ids[k], fontsize=10, loc="left")
        ax.set_ylabel("position")
        ax.grid(alpha=0.3)
    if win is not None:
        ax = axes[-1]
        for a in range(n_act):
            ax.plot(steps, np.asarray(win)[draw, :, a], color=colours[a], lw=1.2, label=names[a])
        ax.set_ylim(0, 1)
        ax.set_ylabel("P(position wins)")
        ax.grid(alpha=0.3)
    axes[-1].set_xlabel("turn")
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))  # turns are whole numbers
    if n_act <= 20:  # beyond that a legend hides more than it tells
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=min(6, n_act + 1), fontsize=7)
    fig.suptitle(f"{result.model}: positions by turn (draw {draw})")
    return save(fig, path)
