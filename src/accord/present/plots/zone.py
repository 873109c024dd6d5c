"""The zone of agreement per issue: each decider's red lines, the zone, the mediator's package.

One row per issue on its own scale. Each decider gets a bar in its colour over the outcomes its
red lines allow (the whole scale where it sets none); the zone — the outcomes some package every
decider accepts can take, median ends over the draws with a zone — is the green band behind them,
and the mediator's package a black diamond with its 80% interval. Where two deciders' red lines do
not overlap the gap between them is hatched red, with the share of draws in which they clash. The
status quo is a dashed line.

>>> import accord
>>> from accord.runs.forecast import forecast
>>> fc = forecast(accord.load("us-iran-muscat-2026"), "compromise")
>>> len(zone_figure(fc.scenario, fc.record.results.deal).axes)
6
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.present import formats as f
from accord.present.colours import STATUS_COLOURS, actor_colour
from accord.present.plots._figure import figure_legend, image_format, new_figure, save
from accord.scenario.types import Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def zone_figure(scenario: Scenario, deal: Any, *, title: str | None = None) -> Figure:
    """The chart for ``deal`` (a :class:`~accord.runs.records.DealResult`) on ``scenario``."""
    from matplotlib.patches import Rectangle

    issues = scenario.issues
    order = {a.id: k for k, a in enumerate(scenario.actors)}
    deciders = list(deal.deciders)
    zone = {z.id: z for z in deal.issues}
    clashes = {}
    for r in deal.reasons:
        if r.kind == "red_lines":
            clashes.setdefault(r.issue, []).append(r)
    rows = len(issues)
    height = 0.55 + 0.28 * len(deciders)
    fig = new_figure(8.6, 1.1 + rows * (height + 0.35))
    for n, issue in enumerate(issues):
        ax = fig.add_subplot(rows, 1, n + 1)
        lo, hi = issue.low, issue.high
        ys = list(range(len(deciders)))[::-1]
        z = zone.get(issue.id)
        if z is not None:
            ax.axvspan(
                z.low.median,
                z.high.median,
                color=STATUS_COLOURS["agreement"],
                alpha=0.16,
                lw=0,
                label="zone of agreement (median ends)",
            )
        for y, actor_id in zip(ys, deciders, strict=True):
            actor = scenario.actor(actor_id)
            st = actor.stances.get(issue.id)
            colour = actor_colour(order[actor_id])
            if st is None:
                ax.text(lo, y, "  no stance", va="center", fontsize=7, color="#777777")
                continue
            rl = st.red_line
            a = rl.min if rl is not None and rl.min is not None else lo
            b = rl.max if rl is not None and rl.max is not None else hi
            ax.barh(
                y,
                b - a,
                left=a,
                height=0.42,
                color=colour,
                alpha=0.45,
                label=f"{actor.name}: inside its red lines (dot: its position)",
            )
            for end, value in (("min", rl.min if rl else None), ("max", rl.max if rl else None)):
                if value is not None:
                    ax.plot([value, value], [y - 0.26, y + 0.26], color=colour, lw=2.2)
                    ax.text(
                        value,
                        y + 0.3,
                        ("≥ " if end == "min" else "≤ ") + f.number(value),
                        ha="center",
                        va="bottom",
                        fontsize=6.5,
                        color=colour,
                    )
            ax.plot([st.position], [y], marker="o", ms=3.5, color=colour, zorder=3)
        for r in clashes.get(issue.id, []):
            a, b = r.bounds
            if a is None or b is None or a <= b:
                continue  # as set they overlap; they clash only in some draws
            ax.add_patch(
                Rectangle(
                    (b, -0.5),
                    a - b,
                    len(deciders),
                    fill=False,
                    hatch="///",
                    edgecolor=STATUS_COLOURS["escalation"],
                    lw=0,
                    alpha=0.7,
                )
            )
            share = f" ({f.share(r.share, 0)} of draws)" if deal.draws > 1 else ""
            ax.text(
                (a + b) / 2,
                len(deciders) - 0.45,
                "no overlap" + share,
                ha="center",
                va="bottom",
                fontsize=6.5,
                color=STATUS_COLOURS["escalation"],
            )
        ax.axvline(issue.status_quo, color="black", ls="--", lw=0.8, label="status quo")
        if z is not None:
            p = z.package
            p_lo, p_hi = p.intervals["80"]
            ax.errorbar(
                [p.median],
                [-0.62],
                xerr=[[p.median - p_lo], [p_hi - p.median]],
                fmt="D",
                color="black",
                ms=5,
                capsize=2,
                lw=1,
                label="mediator's package (median, 80%)",
            )
        ax.set_xlim(lo, hi)
        ax.set_ylim(-1.0, len(deciders) - 0.1)
        ax.set_yticks([])
        ax.set_title(issue.name, fontsize=8.5, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
    figure_legend(fig, max_columns=3)
    head = title or "Zone of agreement per issue: red lines, the zone and the mediator's package"
    if deal.draws > 1:
        k = round(deal.probability * deal.draws)
        have = f"{f.share(deal.probability)} of" if k >= 10 else f"{k} of"
        head += f" (a zone in {have} {f.count(deal.draws)} draws)"
    elif not deal.issues:
        head += " (no zone)"
    fig.suptitle(head, fontsize=9.5)
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    return fig


def zone_chart(scenario: Scenario, deal: Any, path: str | Path, **kwargs) -> Path:
    """Save :func:`zone_figure` to ``path`` (PNG or SVG by extension)."""
    image_format(path)
    return save(zone_figure(scenario, deal, **kwargs), path)


__all__ = ["zone_chart", "zone_figure"]
