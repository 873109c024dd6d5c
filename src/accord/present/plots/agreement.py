"""Agreement, stalemate or escalation: one stacked horizontal bar per model.

Each bar splits the draws into the three outcome classes of :mod:`accord.outcome` (green, amber,
red), with the percentages written on the segments wide enough to hold them.

>>> fig = agreement_figure({"bdm": {"agreement": 0.6, "stalemate": 0.3, "escalation": 0.1}})
>>> len(fig.axes)
1
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from accord.outcome import STATUS_NAMES
from accord.present.formats import share_short
from accord.present.plots._figure import STATUS_COLOURS, image_format, new_figure, save

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def agreement_figure(
    probabilities: Mapping[str, Mapping[str, float]],
    *,
    labels: Mapping[str, str] | None = None,
    runs: int | None = None,
    title: str = "Agreement, stalemate or escalation",
) -> Figure:
    """``probabilities``: model name -> ``{"agreement": p, "stalemate": p, "escalation": p}``.

    ``labels`` maps model names to display names; ``runs`` (draws per model) goes in the subtitle.
    """
    names = list(probabilities)
    fig = new_figure(8.0, 1.2 + 0.55 * max(len(names), 1))
    ax = fig.add_subplot()
    ys = list(range(len(names)))[::-1]  # first model on top
    for y, name in zip(ys, names, strict=True):
        left = 0.0
        for status in STATUS_NAMES:
            p = float(probabilities[name].get(status, 0.0))
            if p <= 0:
                continue
            ax.barh(
                y,
                p,
                left=left,
                height=0.6,
                color=STATUS_COLOURS[status],
                edgecolor="white",
                linewidth=0.8,
            )
            if p >= 0.07:
                ax.text(
                    left + p / 2,
                    y,
                    share_short(p),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if status != "stalemate" else "black",
                )
            left += p
    ax.set_yticks(ys)
    ax.set_yticklabels([(labels or {}).get(n, n) for n in names], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xticklabels(["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    ax.set_xlabel("share of draws", fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from matplotlib.patches import Patch

    handles = [Patch(color=STATUS_COLOURS[s], label=s) for s in STATUS_NAMES]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.35 if len(names) < 3 else -0.18),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    ax.set_title(title + (f" ({runs} draws per model)" if runs else ""), fontsize=10)
    fig.tight_layout()
    return fig


def agreement_chart(
    probabilities: Mapping[str, Mapping[str, float]], path: str | Path, **kwargs
) -> Path:
    """Save :func:`agreement_figure` to ``path`` (PNG or SVG by extension)."""
    image_format(path)
    return save(agreement_figure(probabilities, **kwargs), path)
