"""The dashboard's charts as Plotly figures (``{"data": [...], "layout": {...}}``), built from run
records and their scenario, so a stored run draws exactly like a fresh one.

The colours are :mod:`accord.present.colours` (one per actor, the outcome classes, models in
greys), the numbers and words :mod:`accord.present.formats`; the browser draws the figures with
the Plotly.js that the ``plotly`` package ships (:mod:`accord.web.static`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.present import formats as f
from accord.present.colours import STATUS_COLOURS, actor_colour, model_colour
from accord.present.views import STATUSES
from accord.scenario.types import Scenario

Figure = dict[str, Any]
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif", "size": 12}
#: Plotly's line dashes for the models after the first three greys
DASHES = ("solid", "dash", "dashdot")


def _layout(**extra: Any) -> dict[str, Any]:
    base = {
        "font": FONT,
        "margin": {"l": 44, "r": 12, "t": 36, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.28, "x": 0, "font": {"size": 11}},
    }
    base.update(extra)
    return base


def _title(text: str) -> dict[str, Any]:
    return {"text": text, "x": 0, "xanchor": "left", "font": {"size": 14}}


def _model(record: Any, name: str) -> Any:
    return next(m for m in record.results.models if m.name == name)


def _labels(record: Any) -> dict[str, str]:
    return {s.name: s.label for s in record.models}


def _dash(k: int) -> str:
    return DASHES[(k // 3) % len(DASHES)]


# -- agreement -------------------------------------------------------------------------------------


def agreement(probabilities: dict[str, dict[str, float]], title: str) -> Figure:
    """One stacked bar per row (a model, or base / what-if): agreement, stalemate, escalation."""
    rows = list(probabilities)[::-1]  # the first on top
    data = []
    for status in STATUSES:
        xs = [float(probabilities[r].get(status) or 0.0) for r in rows]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": status,
                "y": rows,
                "x": xs,
                "marker": {"color": STATUS_COLOURS[status]},
                "text": [f.share_short(x) if x >= 0.07 else "" for x in xs],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "hovertemplate": "%{y}: " + status + " %{x:.1%}<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": _layout(
            title=_title(title) if title else None,
            barmode="stack",
            height=(96 if title else 70) + 34 * len(rows),
            margin={"l": 10, "r": 12, "t": 56 if title else 30, "b": 24},
            xaxis={"range": [0, 1], "tickformat": ".0%", "fixedrange": True},
            yaxis={"automargin": True, "fixedrange": True},
            legend={
                "orientation": "h",
                "y": 1.0,
                "yanchor": "bottom",
                "x": 0,
                "traceorder": "normal",
            },
        ),
    }


def agreement_of(record: Any) -> Figure:
    # model names, not their long labels: the bars must keep their room at phone width
    probs = {m.name: m.agreement.probabilities.model_dump() for m in record.results.models}
    return agreement(probs, "")


# -- outcome distributions -------------------------------------------------------------------------


def _vline(x: float, top: float, name: str, colour: str, dash: str, group: str, show: bool,
           hover: str) -> dict[str, Any]:  # fmt: skip
    return {
        "type": "scatter",
        "mode": "lines",
        "x": [x, x],
        "y": [0, top],
        "name": name,
        "legendgroup": group,
        "showlegend": show,
        "line": {"color": colour, "dash": dash, "width": 2},
        "hovertemplate": hover + "<extra></extra>",
    }


def distributions(record: Any, sc: Scenario) -> list[tuple[str, Figure]]:
    """Per issue: each model's distribution of the predicted outcome (shares of draws), the
    status quo, and every decider's position and red lines in the decider's own colour."""
    models = record.results.models
    labels = _labels(record)
    deciders = [k for k, a in enumerate(models[0].actors) if a.decider]
    out = []
    for i, issue in enumerate(sc.issues):
        data: list[dict[str, Any]] = []
        top = 0.0
        for k, m in enumerate(models):
            h = m.issues[i].histogram
            counts = np.asarray(h.counts, dtype=float)
            shares = counts / max(counts.sum(), 1.0)
            edges = np.asarray(h.edges, dtype=float)
            top = max(top, float(shares.max()) if shares.size else 0.0)
            r = m.issues[i]
            lo, hi = r.intervals["80"]
            data.append(
                {
                    "type": "bar",
                    "name": labels.get(m.name, m.name),
                    "legendgroup": m.name,
                    "x": ((edges[:-1] + edges[1:]) / 2).tolist(),
                    "width": float(edges[1] - edges[0]) if edges.size > 1 else 1.0,
                    "y": shares.tolist(),
                    "marker": {
                        "color": model_colour(k),
                        "opacity": 0.55 if len(models) == 1 else 0.4,
                        "line": {"width": 0},
                    },
                    "hovertemplate": f"{m.name}: %{{y:.0%}} of draws near %{{x}}"
                    f"<br>median {f.number(r.median)} {f.interval(lo, hi)}<extra></extra>",
                }
            )
        top = max(top * 1.08, 0.05)
        data.append(
            _vline(issue.status_quo, top, "status quo", "#000000", "dot", "status quo", i == 0,
                   f"status quo {f.number(issue.status_quo)}")
        )  # fmt: skip
        for a in deciders:
            actor = sc.actors[a]
            st = actor.stances.get(issue.id)
            if st is None:
                continue
            colour = actor_colour(a)
            data.append(
                _vline(st.position, top, f"{actor.name} position", colour, "solid", actor.id,
                       True, f"{actor.name}: position {f.number(st.position)}")
            )  # fmt: skip
            rl = st.red_line
            for bound, word in (("min", "minimum"), ("max", "maximum")):
                v = getattr(rl, bound) if rl is not None else None
                if v is not None:
                    data.append(
                        _vline(v, top, f"{actor.name} red line", colour, "dash", actor.id + "-rl",
                               True, f"{actor.name}: red line, {word} {f.number(v)}")
                    )  # fmt: skip
        out.append(
            (
                issue.id,
                {
                    "data": data,
                    "layout": _layout(
                        title=_title(issue.name),
                        height=300,
                        barmode="overlay",
                        bargap=0.02,
                        xaxis={"range": _padded(issue), "fixedrange": True},
                        yaxis={
                            "tickformat": ".0%",
                            "title": {"text": "draws"},
                            "fixedrange": True,
                            "range": [0, top],
                        },  # fmt: skip
                        margin={"l": 50, "r": 14, "t": 36, "b": 30},
                        showlegend=False,
                    ),
                },
            )
        )
    return out


def _padded(issue: Any) -> list[float]:
    """The issue's scale with a little room, so marks at its ends stay visible."""
    pad = 0.02 * (issue.high - issue.low)
    return [issue.low - pad, issue.high + pad]


def legend_items(record: Any, sc: Scenario) -> list[dict[str, str]]:
    """The shared legend of the distribution charts (drawn once in HTML, not under each chart)."""
    models = record.results.models
    labels = _labels(record)
    items = [
        {"label": labels.get(m.name, m.name), "colour": model_colour(k), "kind": "bar"}
        for k, m in enumerate(models)
    ]
    items.append({"label": "status quo", "colour": "#000000", "kind": "dot"})
    for a, ar in enumerate(models[0].actors):
        if ar.decider:
            name = sc.actors[a].name
            items.append({"label": f"{name} position", "colour": actor_colour(a), "kind": "line"})
            items.append({"label": f"{name} red line", "colour": actor_colour(a), "kind": "dash"})
    return items


# -- trajectories ---------------------------------------------------------------------------------


def trajectories(record: Any, sc: Scenario, model: str) -> list[tuple[str, Figure]]:
    """A dynamic model's positions per step and issue: each actor's median and the band holding
    80% of the draws (one run: the run itself), in the actor's colour."""
    m = _model(record, model)
    if m.steps <= 1 and m.trajectory is None:
        return []
    tr = m.trajectory
    if tr is not None:
        pos = np.array(tr.positions, dtype=float)  # (levels, steps, actors, issues)
        lv = [round(x, 6) for x in tr.levels]
        lo, mid, hi = pos[lv.index(0.1)], pos[lv.index(0.5)], pos[lv.index(0.9)]
    elif m.history is not None:
        mid = np.array(m.history, dtype=float)
        lo = hi = mid
    else:
        return []
    steps = _moving_steps(mid)
    x = list(range(steps))
    out = []
    for i, issue in enumerate(sc.issues):
        data: list[dict[str, Any]] = []
        for a, actor in enumerate(sc.actors):
            if issue.id not in actor.stances:
                continue
            colour = actor_colour(a)
            if tr is not None:
                data.append(
                    {
                        "type": "scatter",
                        "x": x + x[::-1],
                        "y": _clean(hi[:steps, a, i].tolist() + lo[:steps, a, i].tolist()[::-1]),
                        "mode": "lines",
                        "fill": "toself",
                        "fillcolor": _rgba(colour, 0.15),
                        "line": {"width": 0},
                        "hoverinfo": "skip",
                        "showlegend": False,
                        "legendgroup": actor.id,
                    }
                )
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": x,
                    "y": _clean(mid[:steps, a, i].tolist()),
                    "name": actor.name,
                    "legendgroup": actor.id,
                    "showlegend": i == 0,
                    "line": {"color": colour, "width": 2},
                    "hovertemplate": f"{actor.name}: %{{y:.1f}} at step %{{x}}<extra></extra>",
                }
            )
        out.append(
            (
                issue.id,
                {
                    "data": data,
                    "layout": _layout(
                        title=_title(issue.name),
                        height=280,
                        xaxis={"title": {"text": "step"}, "fixedrange": True},
                        yaxis={"range": _padded(issue), "fixedrange": True},
                        showlegend=False,
                    ),
                },
            )
        )
    return out


def _moving_steps(mid: np.ndarray, tol: float = 1e-6) -> int:
    """Steps worth showing: up to the last one where a median still moves."""
    if mid.shape[0] < 2:
        return mid.shape[0]
    with np.errstate(invalid="ignore"):
        d = np.abs(np.diff(mid, axis=0)).reshape(mid.shape[0] - 1, -1)
    moves = np.nanmax(np.where(np.isnan(d), 0.0, d), axis=1)
    moving = np.flatnonzero(moves > tol)
    return int(moving[-1]) + 2 if moving.size else 2


def _clean(values: list[float]) -> list[float | None]:
    return [None if (v is None or not np.isfinite(v)) else round(float(v), 3) for v in values]


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[k : k + 2], 16) for k in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# -- what-if ----------------------------------------------------------------------------------------


def whatif(record: Any, sc: Scenario, model: str) -> list[tuple[str, Figure]]:
    """A what-if comparison (base and what-if, on the same draws): the outcome classes of each,
    and per issue the median and 80% interval of each."""
    mc = next(m for m in record.results.models if m.name == model)
    cols = {c.column: c for c in mc.columns}
    names = {"base": "base", **{c.id: c.title or c.id for c in record.results.columns}}
    probs = {names.get(k, k): c.probabilities.model_dump() for k, c in cols.items()}
    figs = [("whatif-agreement", agreement(probs, "Base and what-if, on the same draws"))]
    data = []
    for k, (col_id, col) in enumerate(cols.items()):
        med, los, his = [], [], []
        for issue in sc.issues:
            s = col.issues[issue.id]
            lo, hi = s.intervals["80"]
            med.append(s.median)
            los.append((s.median or 0) - (lo if lo is not None else 0))
            his.append((hi if hi is not None else 0) - (s.median or 0))
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": names.get(col_id, col_id),
                "y": [i.name for i in sc.issues],
                "x": med,
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": his,
                    "arrayminus": los,
                    "color": model_colour(k * 2),
                    "thickness": 1.5,
                },  # fmt: skip
                "marker": {
                    "color": model_colour(k * 2),
                    "size": 9,
                    "symbol": "circle" if k == 0 else "diamond",
                },  # fmt: skip
                "offsetgroup": col_id,
                "hovertemplate": "%{y}: median %{x:.1f}<extra>"
                + names.get(col_id, col_id)
                + "</extra>",
            }
        )
    figs.append(
        (
            "whatif-issues",
            {
                "data": data,
                "layout": _layout(
                    title=_title("Median outcome and 80% interval per issue"),
                    height=120 + 40 * len(sc.issues),
                    xaxis={"range": [0, 100], "fixedrange": True},
                    yaxis={"automargin": True, "autorange": "reversed", "fixedrange": True},
                    scattermode="group",
                ),
            },
        )
    )
    return figs


# -- history ----------------------------------------------------------------------------------------


def history(points: list[tuple[Any, str, Any]], sc: Scenario,
            zone: list[dict[str, float | None]]) -> list[tuple[str, Figure]]:  # fmt: skip
    """The forecast at each dated version (``points``: as of, title, record, in date order): the
    probabilities of agreement and escalation (and of a zone of agreement, where the records carry
    it) per model, and per issue each model's median with its 80% interval."""
    days = [p[0].isoformat() if p[0] else "as written" for p in points]
    titles = [p[1] for p in points]
    models = [m.name for m in points[0][2].results.models]
    data = []
    for k, name in enumerate(models):
        ms = [next(m for m in p[2].results.models if m.name == name) for p in points]
        series = [("agreement", [m.agreement.probabilities.agreement for m in ms]),
                  ("escalation", [m.agreement.probabilities.escalation for m in ms])]  # fmt: skip
        zs = [z.get(name) for z in zone]
        if any(v is not None for v in zs):
            series.append(("zone of agreement", zs))
        for label, ys in series:
            colour = STATUS_COLOURS.get(label, "#1f4e79")
            data.append(
                {
                    "type": "scatter", "mode": "lines+markers", "x": days, "y": ys,
                    "name": f"P({label})" + (f" · {name}" if len(models) > 1 else ""),
                    "line": {"color": colour, "dash": _dash(k) if k < 3 else DASHES[k % 3]},
                    "customdata": titles,
                    "hovertemplate": f"P({label}) %{{y:.1%}}<br>%{{x}}: %{{customdata}}"
                    f"<extra>{name}</extra>",
                }
            )  # fmt: skip
    out = [
        (
            "history-probabilities",
            {"data": data, "layout": _layout(
                title=_title("Agreement and escalation, version by version"), height=320,
                xaxis={"type": "date" if all(p[0] for p in points) else "category",
                       "fixedrange": True},
                yaxis={"range": [0, 1], "tickformat": ".0%", "fixedrange": True},
            )},
        )
    ]  # fmt: skip
    for i, issue in enumerate(sc.issues):
        traces = []
        for k, name in enumerate(models):
            rs = [next(m for m in p[2].results.models if m.name == name).issues[i] for p in points]
            med = [r.median for r in rs]
            lo = [r.intervals["80"][0] for r in rs]
            hi = [r.intervals["80"][1] for r in rs]
            colour = model_colour(k)
            traces.append({"type": "scatter", "x": days + days[::-1], "y": hi + lo[::-1],
                           "mode": "lines", "fill": "toself", "fillcolor": _rgba(colour, 0.15),
                           "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False})  # fmt: skip
            traces.append({"type": "scatter", "mode": "lines+markers", "x": days, "y": med,
                           "name": name, "line": {"color": colour, "dash": _dash(k)},
                           "hovertemplate": "median %{y:.1f} on %{x}<extra>" + name + "</extra>"})  # fmt: skip
        out.append(
            (
                f"history-{issue.id}",
                {"data": traces, "layout": _layout(
                    title=_title(issue.name), height=280, showlegend=len(models) > 1,
                    xaxis={"type": "date" if all(p[0] for p in points) else "category",
                           "fixedrange": True},
                    yaxis={"range": _padded(issue), "fixedrange": True},
                )},
            )
        )  # fmt: skip
    return out


# -- sensitivity -----------------------------------------------------------------------------------


def _input_label(name: str, n: int = 44) -> str:
    text = name.removeprefix("actors.").replace(".stances.", " · ")
    return text if len(text) <= n else "…" + text[-(n - 1) :]


def sensitivity(record: Any, top: int = 15) -> Figure:
    """The most influential inputs: Sobol' ST with S1 inside it, or Morris mu* with sigma."""
    r = record.results
    effects = list(r.effects[:top])[::-1]
    names = [_input_label(e.name) for e in effects]
    if r.method == "sobol":
        data = [
            {"type": "bar", "orientation": "h", "name": "total (ST)", "y": names,
             "x": [e.st for e in effects], "marker": {"color": "#9ecae1"},
             "error_x": {"type": "data", "array": [e.st_conf for e in effects]}},
            {"type": "bar", "orientation": "h", "name": "first order (S1)", "y": names,
             "x": [e.s1 for e in effects], "marker": {"color": "#3182bd"}, "width": 0.4,
             "error_x": {"type": "data", "array": [e.s1_conf for e in effects]}},
        ]  # fmt: skip
        axis = "share of the output's variance"
    else:
        data = [
            {"type": "bar", "orientation": "h", "name": "mu* (mean |effect|)", "y": names,
             "x": [e.mu_star for e in effects], "marker": {"color": "#3182bd"},
             "error_x": {"type": "data", "array": [e.mu_star_conf for e in effects]}},
            {"type": "bar", "orientation": "h", "name": "sigma", "y": names,
             "x": [e.sigma for e in effects], "marker": {"color": "#252525"}, "width": 0.25},
        ]  # fmt: skip
        axis = "elementary effect on the output"
    return {
        "data": data,
        "layout": _layout(
            title=_title(f"What moves {r.output} most ({r.method}, {f.count(r.evaluations)} runs)"),
            barmode="overlay",
            height=140 + 26 * len(effects),
            xaxis={"title": {"text": axis}, "fixedrange": True},
            yaxis={"automargin": True, "fixedrange": True},
            legend={"orientation": "h", "y": -0.12 - 2.5 / max(len(effects), 1) / 10, "x": 0},
        ),
    }


__all__ = [
    "agreement",
    "agreement_of",
    "distributions",
    "history",
    "legend_items",
    "sensitivity",
    "trajectories",
    "whatif",
]
