"""The HTML report: one self-contained file with the forecast, the charts, the inputs and their sources.

Self-contained means it opens offline and fetches nothing: CSS is inline, every chart is an SVG
embedded as a ``data:`` URI, there is no script and no external URL in any ``src`` or ``href``
(source URLs are printed as text). Quotes keep their own language and direction (``dir="auto"``), so
Arabic evidence reads right to left.

:func:`report_html` renders a forecast you already have (plus, optionally, a sensitivity
analysis), from its run records through the shared views (:mod:`accord.present.views`);
:func:`accord.runs.report.write_report` runs both and writes the file.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from accord._version import __version__
from accord.present import formats, views

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from accord.runs.forecast import Forecast, ModelForecast
    from accord.runs.sensitivity import SensitivityResult


@dataclass(frozen=True)
class Plot:
    """One embedded chart."""

    id: str
    title: str
    caption: str
    data_uri: str
    width: int
    height: int


def _plot(fig: Any, plot_id: str, title: str, caption: str) -> Plot:
    from accord.present.plots._figure import DPI, render

    svg = render(fig, "svg")
    w, h = fig.get_size_inches()
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return Plot(plot_id, title, caption, uri, round(w * DPI), round(h * DPI))


# -- charts ------------------------------------------------------------------------------------


def _trim_steps(q: Mapping[float, np.ndarray], tol: float = 1e-6) -> int:
    """Steps worth showing: up to the last one where any quantile still moves (padded runs)."""
    stack = np.stack(list(q.values()))  # (levels, steps, ...)
    if stack.shape[1] < 2:
        return stack.shape[1]
    moves = np.nanmax(
        np.abs(np.diff(stack, axis=1)).reshape(stack.shape[0], stack.shape[1] - 1, -1), axis=(0, 2)
    )
    moving = np.flatnonzero(moves > tol)
    return int(moving[-1]) + 2 if moving.size else 2


def outcome_draws(m: ModelForecast) -> np.ndarray:
    """``(draws, issues)``: the model's predicted outcome in every draw (the point run with one)."""
    return np.stack([isf.values for isf in m.issues.values()], axis=1)


def _series_name(m: ModelForecast) -> str | None:
    """The series drawn as the forecast line: ``median`` when the model has one, else its first."""
    names = list(m.result.series)
    return "median" if "median" in names else (names[0] if names else None)


def bands_figure_for(fc: Forecast, m: ModelForecast) -> Figure:
    """One model's position bands (10–50–90% per round over the draws), trimmed to the rounds
    where something still moves."""
    from accord.present.plots.bands import band_quantiles, bands_figure

    sc, arrays = fc.scenario, fc.arrays
    name = _series_name(m)
    levels = (0.1, 0.5, 0.9)
    tr = m.trajectory
    if tr is not None:  # Monte Carlo: quantiles merged over the chunks
        pick = {lv: tr.positions[tr.levels.index(lv)] for lv in levels}
        series = tr.series.get(name) if name else None
        out_q = None if series is None else {lv: series[tr.levels.index(lv)] for lv in levels}
    else:  # a single run: the band is the run itself
        pick = band_quantiles(m.result.history, levels)
        out_q = band_quantiles(m.result.series[name], levels) if name else None
    n = _trim_steps(pick)
    pick = {q: v[:n] for q, v in pick.items()}
    if out_q is not None:
        out_q = {q: v[:n] for q, v in out_q.items()}
    return bands_figure(
        pick,
        arrays.actor_ids,
        arrays.issue_ids,
        issue_names=[i.name for i in sc.issues],
        actor_names=[a.name for a in sc.actors],
        outcome=out_q,
        has_stance=arrays.has_stance,
        limits=list(zip(arrays.low.tolist(), arrays.high.tolist(), strict=True)),
        title=f"{m.label}: positions over the rounds (line: median; band: 10–90% of draws)",
    )


def forecast_plots(fc: Forecast) -> list[Plot]:
    """The forecast's charts: agreement bar, outcome distributions, position bands per dynamic model."""
    from accord.present.plots.agreement import agreement_figure
    from accord.present.plots.distributions import distributions_figure

    sc = fc.scenario
    plots = [
        _plot(
            agreement_figure(
                {m.name: m.probabilities for m in fc.models.values()},
                labels={m.name: m.label for m in fc.models.values()},
                runs=fc.draws if fc.draws > 1 else None,
            ),
            "agreement",
            "Agreement, stalemate or escalation",
            "Share of draws in which every decider accepts the predicted outcome (agreement), or the "
            "talks fail into stalemate or escalation (see Method).",
        )
    ]
    outcomes = {m.name: outcome_draws(m) for m in fc.models.values()}
    plots.append(
        _plot(
            distributions_figure(sc, outcomes),
            "distributions",
            "Predicted outcome per issue",
            "Distribution of each model's predicted outcome over the draws; the dashed line is the "
            "status quo, the coloured lines the principals' positions.",
        )
    )
    for m in fc.models.values():
        if m.result.n_steps < 2:
            continue  # a one-shot model has no trajectory
        name = _series_name(m)
        plots.append(
            _plot(
                bands_figure_for(fc, m),
                f"bands-{m.name}",
                f"{m.label}: how the positions move",
                "Each actor's median position per round with the band holding 80% of the draws; the "
                f"dashed black line is the model's {name or 'forecast'} series.",
            )
        )
    return plots


def sensitivity_plot(res: SensitivityResult) -> Plot:
    from accord.present.plots.sensitivity import sensitivity_figure

    return _plot(
        sensitivity_figure(res),
        "sensitivity",
        "Which inputs matter",
        f"Inputs ranked by their influence on {res.output} under {res.model} "
        f"({'Sobol’ total index' if res.method == 'sobol' else 'Morris mu*'}).",
    )


# -- rendering ---------------------------------------------------------------------------------


def _template():
    import jinja2

    text = (resources.files("accord.present") / "templates" / "report.html.j2").read_text(
        encoding="utf-8"
    )
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(text)


def report_html(
    fc: Forecast, sensitivity: SensitivityResult | None = None, *, title: str | None = None
) -> str:
    """The report for forecast ``fc`` (and ``sensitivity``, if given) as one HTML string, built
    from the run records and the shared views."""
    sc, record = fc.scenario, fc.record
    plots = forecast_plots(fc)
    if sensitivity is not None:
        plots.append(sensitivity_plot(sensitivity))
    ctx = {
        "title": title or sc.title,
        "sc": sc,
        "version": __version__,
        "record": record,
        "monte_carlo": record.draws > 1,
        "uncertainty": views.uncertainty_text(record.uncertainty) if record.uncertainty else None,
        "plots": {p.id: p for p in plots},
        "band_plots": [p for p in plots if p.id.startswith("bands-")],
        "models": views.agreement_rows(record, sc),
        "model_names": [m.label for m in record.models],
        "outcomes": views.issue_rows(record, sc),
        "utilities": views.utility_rows(record, sc, deciders_only=True),
        "deciders": views.deciders(record, sc),
        "inputs": views.inputs_rows(sc),
        "evidence": views.evidence_rows(sc),
        "sens": sensitivity.record if sensitivity is not None else None,
        "sens_headers": views.effect_headers(sensitivity.method) if sensitivity else None,
        "sens_rows": views.effect_rows(sensitivity.record.results, 15) if sensitivity else [],
        "whatif": views.whatif_lines(record.scenario),
        "fmt": formats,
    }
    # escaped for HTML by the template; control characters from a scenario removed here
    return _CONTROL.sub("", _template().render(**ctx))


#: C0 controls but tab and line breaks, DEL, C1 controls: never in a page (nor a terminal)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


__all__ = [
    "Plot",
    "bands_figure_for",
    "forecast_plots",
    "outcome_draws",
    "report_html",
]
