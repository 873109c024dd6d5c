"""Bueno de Mesquita's quadrant chart: how one actor sees its dyads in one round.

For actor i and every other actor j the chart places j at x = E^i(U_ij) (i's expected utility of
challenging j) and y = E^i(U_ji) (j's expected utility of challenging i), both as perceived by i —
the chart of Bueno de Mesquita (1994, *European Community Decision Making*, Yale UP) and of
Scholz, Calbert & Smith (2011, J. Theoretical Politics 23(4)), Belgium's view of the EC
car-emissions case. The regions follow the model's offers (:mod:`accord.models.bdm`):

- x > 0, y > 0: conflict — i wins below the diagonal y = x, loses (moves to j) above it;
- x < 0 < y: i gives way — compromise where y > |x|, capitulation where y < |x|;
- y < 0 < x: j gives way — the mirror image: compromise where x > |y|, capitulation where x < |y|;
- x < 0, y < 0: status quo (neither challenges).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from accord.arrays import ScenarioArrays
from accord.errors import ParameterError
from accord.models.base import Result
from accord.present.colours import actor_colour
from accord.present.plots._figure import image_format, new_figure, save


def round_to(value: float, scale: float) -> float:
    """``value`` rounded to a millionth of ``scale`` (to group coincident points)."""
    step = scale * 1e-6
    return float(np.round(value / step) * step)


def quadrant_chart(
    result: Result,
    arrays: ScenarioArrays,
    actor_id: str,
    path: str | Path,
    *,
    round: int = 1,  # noqa: A002 - the CLI's option name
    issue: int = 0,
    draw: int = 0,
    actor_names: Sequence[str] | None = None,
) -> Path:
    """Save ``actor_id``'s quadrant chart for one round, issue and draw to ``path`` (PNG or SVG).

    ``result`` must come from :class:`accord.models.bdm.BDM` run with ``record_dyads=True``;
    ``round`` is 1-based (round 1 = the expected utilities computed from the initial positions).
    ``actor_names`` label the points (default: the ids), each in its actor's colour. Returns the
    path written.
    """
    if "eu_ij" not in result.details:
        raise ParameterError(
            "this result has no dyadic expected utilities",
            hint="run the 'bdm' model with record_dyads=True",
        )
    ids = list(arrays.actor_ids)
    if actor_id not in ids:
        raise ParameterError(f"no actor {actor_id!r}", hint="choose one of: " + ", ".join(ids))
    n_rounds = result.details["eu_ij"].shape[1]
    if not 1 <= round <= n_rounds:
        raise ParameterError(f"round {round} is out of range", hint=f"choose 1 to {n_rounds}")
    image_format(path)  # a clear error before any work

    i = ids.index(actor_id)
    xs = result.details["eu_ij"][draw, round - 1, i, :, issue]
    ys = result.details["eu_ji"][draw, round - 1, i, :, issue]
    keep = np.isfinite(xs) & np.isfinite(ys)
    if not keep.any():
        raise ParameterError(
            f"{actor_id} has no dyads in round {round} on this issue",
            hint="the actor may have no stance on it, or the run had stopped before that round",
        )

    # Agg canvas via the object API (no pyplot, no global backend switch, no GUI)
    fig = new_figure(7, 7)
    ax = fig.add_subplot()
    lim = 1.15 * max(float(np.abs(xs[keep]).max()), float(np.abs(ys[keep]).max()), 1e-3)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axvline(0, color="black", linewidth=0.8)
    grid = np.array([0.0, lim])
    ax.plot(grid, grid, color="grey", linestyle="--", linewidth=0.8)  # y = x: win / lose
    ax.plot(-grid, grid, color="grey", linestyle=":", linewidth=0.8)  # y = |x|: i gives way
    ax.plot(grid, -grid, color="grey", linestyle=":", linewidth=0.8)  # |y| = x: j gives way
    names_of = list(actor_names or ids)
    me = names_of[i]
    cols = [actor_colour(j) for j in range(len(ids))]
    ax.scatter(xs[keep], ys[keep], color=[cols[j] for j in np.flatnonzero(keep)], zorder=3)
    # actors at the same point (e.g. identical positions and saliences) share one label
    labels: dict[tuple[float, float], list[str]] = {}
    for j in np.flatnonzero(keep):
        spot = (round_to(xs[j], lim), round_to(ys[j], lim))
        labels.setdefault(spot, []).append(names_of[j])
    # alternate labels above and below, left to right, so neighbours do not overprint
    for n, ((px, py), names) in enumerate(sorted(labels.items())):
        ax.annotate(
            " / ".join(names),
            (px, py),
            textcoords="offset points",
            xytext=(4, 6 if n % 2 == 0 else -13),
            fontsize=8,
        )

    # region names along the plot's edges, away from where the points usually sit
    def region(px: float, py: float, text: str, ha: str = "center", va: str = "center") -> None:
        ax.text(px * lim, py * lim, text, ha=ha, va=va, fontsize=8, color="dimgrey", zorder=1)

    region(0.35, 0.93, f"conflict: {me} loses")
    region(0.97, 0.04, f"conflict: {me} wins", ha="right", va="bottom")
    region(-0.35, 0.93, f"compromise ({me} gives way)")
    region(-0.97, 0.04, f"capitulation\n({me} gives way)", ha="left", va="bottom")
    region(0.97, -0.04, "compromise\n(other gives way)", ha="right", va="top")
    region(0.35, -0.93, "capitulation (other gives way)")
    region(-0.5, -0.5, "status quo")
    ax.set_xlabel(f"E^i(U_ij): {me}'s expected utility of challenging j")
    ax.set_ylabel(f"E^i(U_ji): j's expected utility of challenging {me}, as {me} sees it")
    issue_id = arrays.issue_ids[issue] if issue < len(arrays.issue_ids) else str(issue)
    ax.set_title(f"{me}'s perspective, round {round}, issue {issue_id}")
    fig.tight_layout()
    return save(fig, path)
