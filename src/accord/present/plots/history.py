"""How the forecast moved across a scenario's dated versions: one panel per issue (each model's
median and 80% interval at every version's date, on the issue's scale, with the status quo) and
panels for the probabilities of agreement, escalation and, where the records carry it, of a zone
of agreement. The versions are listed under the panels.

Built from run records only (``points``: the version's date, its title and its forecast record),
so stored and fresh forecasts draw the same chart.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.present.colours import model_colour
from accord.present.plots._figure import image_format, new_figure, save

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Point = tuple[dt.date, str, Any]  # (as of, title, RunRecord)
COLUMNS = 4
#: one marker per model, so models that coincide still show (one drawn over the other)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def _short(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def _ticks(days: Sequence[dt.date]) -> tuple[list[str], str]:
    """Tick labels and the axis label: the days alone under a month label when all the versions
    fall in one month (close dates stay legible), else day and month."""
    months = {(d.year, d.month) for d in days}
    if len(months) == 1:
        return [str(d.day) for d in days], days[0].strftime("%B %Y")
    return [_short(d) for d in days], ""


def history_figure(
    scenario: Any,
    points: Sequence[Point],
    *,
    zone: Sequence[dict[str, float | None]] | None = None,
    title: str | None = None,
) -> Figure:
    """``points`` in date order; ``zone[k][model]`` P(zone of agreement) of version k, if known."""
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    labels, month = _ticks([p[0] for p in points])
    # noon of each version's day: dates alone would drop the fractions of a day offsets use
    days = [dt.datetime.combine(p[0], dt.time(12)) for p in points]
    records = [p[2] for p in points]
    models = [m.name for m in records[0].results.models]
    issues = list(scenario.issues)
    has_zone = bool(zone) and any(v is not None for z in zone for v in z.values())
    probs = [("agreement", "P(agreement)"), ("escalation", "P(escalation)")]
    if has_zone:
        probs.append(("zone", "P(zone of agreement)"))
    n_panels = len(issues) + len(probs)
    rows = -(-n_panels // COLUMNS)
    foot = 0.16 * (len(points) + 1) + 0.62  # inches for the list of versions and the legend
    fig = new_figure(4.1 * COLUMNS, 3.3 * rows + 1.0 + foot)
    span = max((days[-1] - days[0]).days, 1)
    # small offsets keep overlapping models visible side by side
    offset = {
        m: dt.timedelta(days=span * 0.012 * (j - (len(models) - 1) / 2))
        for j, m in enumerate(models)
    }
    axes = [fig.add_subplot(rows, COLUMNS, k + 1) for k in range(n_panels)]

    def dates_axis(ax: Any) -> None:
        ax.set_xticks(days)
        ax.set_xticklabels(labels, fontsize=8)
        if month:
            ax.set_xlabel(month, fontsize=8)
        pad = dt.timedelta(days=max(span * 0.06, 0.5))
        ax.set_xlim(days[0] - pad, days[-1] + pad)
        ax.xaxis.set_minor_locator(mdates.DayLocator())
        ax.tick_params(axis="y", labelsize=8)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)

    for k, issue in enumerate(issues):
        ax = axes[k]
        for j, name in enumerate(models):
            xs, med, lo, hi = [], [], [], []
            for day, rec in zip(days, records, strict=True):
                mr = next(m for m in rec.results.models if m.name == name)
                r = next((i for i in mr.issues if i.id == issue.id), None)
                if r is None or r.median is None:
                    continue
                xs.append(day + offset[name])
                med.append(r.median)
                lo.append(r.intervals["80"][0])
                hi.append(r.intervals["80"][1])
            colour = model_colour(j)
            # versions are discrete dates: an interval at each, medians joined by a thin line
            ax.vlines(xs, lo, hi, color=colour, linewidth=2.2, alpha=0.35)
            ax.plot(
                xs,
                med,
                marker=MARKERS[j % len(MARKERS)],
                markersize=4,
                color=colour,
                linewidth=1.2,
                label=name,
                markerfacecolor="none" if j % 2 else colour,
            )
        ax.axhline(issue.status_quo, color="#777777", linestyle=":", linewidth=1)
        ax.set_ylim(issue.low, issue.high)
        ax.set_title("\n".join(textwrap.wrap(issue.name, 34)), fontsize=9)
        dates_axis(ax)
        if k % COLUMNS == 0:
            ax.set_ylabel("outcome on the issue's scale", fontsize=8)

    for p, (key, label) in enumerate(probs):
        ax = axes[len(issues) + p]
        series = []
        for j, name in enumerate(models):
            ys = []
            for v, rec in enumerate(records):
                mr = next(m for m in rec.results.models if m.name == name)
                if key == "zone":
                    ys.append((zone[v] or {}).get(name) if zone else None)
                else:
                    ys.append(getattr(mr.agreement.probabilities, key))
            xs = [d + offset[name] for d, y in zip(days, ys, strict=True) if y is not None]
            ys = [100 * y for y in ys if y is not None]
            series.append(ys)
            ax.plot(
                xs,
                ys,
                marker=MARKERS[j % len(MARKERS)],
                markersize=4,
                color=model_colour(j),
                linewidth=1.2,
                markerfacecolor="none" if j % 2 else model_colour(j),
            )
        if len(series) > 1 and all(ys == series[0] for ys in series):
            ax.text(
                0.5,
                0.5,
                "the same for every model",
                transform=ax.transAxes,
                ha="center",
                fontsize=8,
                color="#555555",
            )
        ax.set_ylim(-3, 103)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.set_yticklabels(["0%", "25%", "50%", "75%", "100%"])
        ax.set_title(f"{label}, share of draws", fontsize=9)
        dates_axis(ax)
    for ax in axes[n_panels:]:
        ax.set_visible(False)

    handles = [
        Line2D(
            [],
            [],
            color=model_colour(j),
            marker=MARKERS[j % len(MARKERS)],
            markersize=5,
            markerfacecolor="none" if j % 2 else model_colour(j),
            label=name,
        )
        for j, name in enumerate(models)
    ]
    handles += [
        Line2D(
            [], [], color="#888888", linewidth=2.2, alpha=0.5, label="80% interval over the draws"
        ),
        Line2D([], [], color="#777777", linestyle=":", label="status quo"),
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=min(len(handles), 8),
        fontsize=8,
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )
    lines = [f"{_short(d)}   {textwrap.shorten(t, 110)}" for d, t, _ in points]
    height = fig.get_figheight()
    fig.text(
        0.5,
        0.42 / height,
        "Versions\n" + "\n".join(lines),
        ha="center",
        va="bottom",
        multialignment="left",
        fontsize=8,
        color="#333333",
        linespacing=1.4,
    )
    rec0 = records[0]
    head = title or f"{scenario.title}: the forecast at each dated version"
    sub = (
        f"{rec0.draws:,} draws per version and model, the same seed ({rec0.seed}) for every version"
    )
    fig.suptitle(f"{head}\n{sub}", fontsize=11)
    fig.tight_layout(rect=(0, foot / height, 1, 1 - 0.3 / height), h_pad=1.6)
    return fig


def history_chart(scenario: Any, points: Sequence[Point], path: str | Path, **kwargs) -> Path:
    """Save :func:`history_figure` to ``path`` (PNG or SVG by extension)."""
    image_format(path)
    return save(history_figure(scenario, points, **kwargs), path)


__all__ = ["history_chart", "history_figure"]
