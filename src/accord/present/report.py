"""The HTML report: one self-contained file with the forecast, the charts, the inputs and their sources.

Self-contained means it opens offline and fetches nothing: CSS is inline, every chart is an SVG
embedded as a ``data:`` URI, there is no script and no external URL in any ``src`` or ``href``
(source URLs are printed as text). Quotes keep their own language and direction (``dir="auto"``), so
Arabic evidence reads right to left.

:func:`report_html` renders a forecast you already have (plus, optionally, a sensitivity
analysis), from its run records through the shared views (:mod:`accord.present.views`);
:func:`write_report` runs both and writes the file.

>>> import accord
>>> write_report(accord.load("us-iran-muscat-2026"), "report.html", runs=1000, seed=1)  # doctest: +SKIP
PosixPath('report.html')
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord._version import __version__
from accord.errors import ParameterError
from accord.present import formats, views
from accord.runs.output import HTML_SUFFIXES, check_output_path, write_output
from accord.scenario.types import Scenario

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
    with np.errstate(invalid="ignore"):
        diffs = np.abs(np.diff(stack, axis=1)).reshape(stack.shape[0], stack.shape[1] - 1, -1)
    moves = np.nanmax(np.where(np.isnan(diffs), 0.0, diffs), axis=(0, 2))
    moving = np.flatnonzero(moves > tol)
    return int(moving[-1]) + 2 if moving.size else 2


def outcome_histograms(record: Any) -> dict[str, list[tuple]]:
    """Per model, each issue's outcome histogram over the draws, as the record keeps it."""
    return {
        m.name: [(i.histogram.counts, i.histogram.edges) for i in m.issues]
        for m in record.results.models
    }


def outcome_draws(m: ModelForecast) -> np.ndarray:
    """``(draws, issues)``: a model's predicted outcome in every draw (the point run with one)."""
    return np.stack([isf.values for isf in m.issues.values()], axis=1)


def _array(nested: Any) -> np.ndarray:
    """Nested lists from a record (None where undefined) as a float array (NaN there)."""
    return np.array(nested, dtype=float)


def bands_figure_for(record: Any, scenario: Any, model: str) -> Figure:
    """One dynamic model's position bands from a run record: 10–50–90% per round over the draws
    (Monte Carlo), or the point run itself (one run); trimmed to the rounds where something still
    moves."""
    from accord.present.plots.bands import bands_figure

    m = next(x for x in record.results.models if x.name == model)
    spec = next(s for s in record.models if s.name == model)
    name = "median" if "median" in m.series else next(iter(m.series), None)
    levels = (0.1, 0.5, 0.9)
    tr = m.trajectory
    if tr is not None:  # Monte Carlo: quantiles merged over the chunks
        pos = _array(tr.positions)
        pick = {lv: pos[tr.levels.index(lv)] for lv in levels}
        series = _array(tr.series[name]) if name in tr.series else None
        out_q = None if series is None else {lv: series[tr.levels.index(lv)] for lv in levels}
    else:  # a single run: the band is the run itself
        hist = _array(m.history)
        pick = {lv: hist for lv in levels}
        series = _array(m.series[name]) if name else None
        out_q = None if series is None else {lv: series for lv in levels}
    n = _trim_steps(pick)
    pick = {q: v[:n] for q, v in pick.items()}
    if out_q is not None:
        out_q = {q: v[:n] for q, v in out_q.items()}
    actors = [a.id for a in scenario.actors]
    held = np.array([[i.id in a.stances for i in scenario.issues] for a in scenario.actors])
    return bands_figure(
        pick,
        actors,
        [i.id for i in scenario.issues],
        issue_names=[i.name for i in scenario.issues],
        actor_names=[a.name for a in scenario.actors],
        outcome=out_q,
        has_stance=held,
        limits=[(i.low, i.high) for i in scenario.issues],
        title=f"{spec.label}: positions over the rounds (line: median; band: 10–90% of draws)",
    )


def forecast_plots(record: Any, scenario: Any) -> list[Plot]:
    """A forecast record's charts: agreement bar, outcome distributions, position bands per
    dynamic model."""
    from accord.present.plots.agreement import agreement_figure
    from accord.present.plots.distributions import distributions_figure

    labels = {s.name: s.label for s in record.models}
    plots = [
        _plot(
            agreement_figure(
                {m.name: m.agreement.probabilities.model_dump() for m in record.results.models},
                labels=labels,
                runs=record.draws if record.draws > 1 else None,
            ),
            "agreement",
            "Agreement, stalemate or escalation",
            "Share of draws in which every decider accepts the predicted outcome (agreement), or the "
            "talks fail into stalemate or escalation (see Method).",
        )
    ]
    plots.append(
        _plot(
            distributions_figure(scenario, outcome_histograms(record)),
            "distributions",
            "Predicted outcome per issue",
            "Distribution of each model's predicted outcome over the draws; the black dotted line is "
            "the status quo, the coloured lines the deciders' positions; models in shades of grey.",
        )
    )
    deal = record.results.deal
    if deal is not None:
        from accord.present.plots.zone import zone_figure

        plots.append(
            _plot(
                zone_figure(scenario, deal),
                "zone",
                "The zone of agreement per issue",
                "Each decider's bar spans the outcomes its red lines allow on the issue (the dot is "
                "its position); the green band is the zone (median ends over the draws with one), "
                "the diamond the mediator's package with its 80% interval; hatched: red lines "
                "that do not overlap, with the share of draws in which they clash.",
            )
        )
    for spec in record.models:
        if not spec.dynamic:
            continue  # a one-shot model has no trajectory
        m = next(x for x in record.results.models if x.name == spec.name)
        name = "median" if "median" in m.series else next(iter(m.series), None)
        plots.append(
            _plot(
                bands_figure_for(record, scenario, spec.name),
                f"bands-{spec.name}",
                f"{spec.label}: how the positions move",
                "Each actor's median position per round with the band holding 80% of the draws; the "
                f"dashed black line is the model's {name or 'forecast'} series.",
            )
        )
    return plots


def sensitivity_plot(record: Any) -> Plot:
    """The sensitivity chart of a sensitivity run record."""
    from types import SimpleNamespace

    from accord.present.plots.sensitivity import sensitivity_figure

    r = record.results
    view = SimpleNamespace(
        effects=r.effects,
        output=r.output,
        method=r.method,
        base_output=r.base_output,
        conf_level=r.conf_level,
        n=r.n,
        evaluations=r.evaluations,
        model=record.models[0].name,
        seed=record.seed,
    )
    return _plot(
        sensitivity_figure(view),
        "sensitivity",
        "Which inputs matter",
        f"Inputs ranked by their influence on {r.output} under {view.model} "
        f"({'Sobol’ total index' if r.method == 'sobol' else 'Morris mu*'}).",
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
    forecast: Forecast | Any,
    sensitivity: SensitivityResult | Any | None = None,
    *,
    scenario: Any = None,
    title: str | None = None,
) -> str:
    """The report as one HTML string, from a forecast (a :class:`~accord.runs.forecast.Forecast`,
    or its run record with the ``scenario`` it ran on — a stored run renders like a fresh one)
    and, optionally, a sensitivity analysis (its result or its run record)."""
    record = getattr(forecast, "record", forecast)
    sc = scenario if scenario is not None else forecast.scenario
    sens = getattr(sensitivity, "record", sensitivity)
    plots = forecast_plots(record, sc)
    if sens is not None:
        plots.append(sensitivity_plot(sens))
    from accord.present import deal as deal_words

    deal = record.results.deal
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
        "sens": sens,
        "sens_headers": views.effect_headers(sens.results.method) if sens else None,
        "sens_rows": views.effect_rows(sens.results, 15) if sens else [],
        "whatif": views.whatif_lines(record.scenario),
        "settings": views.settings_lines(record),
        "fmt": formats,
        "deal": deal,
        "deal_text": None
        if deal is None
        else {
            "question": deal_words.question(deal).removeprefix("Deal space: "),
            "headline": deal_words.headline(deal, sc),
            "escalation": deal_words.escalation_lines(deal, sc),
            "trust": deal_words.trust_line(deal, sc),
            "zone_title": deal_words.zone_title(deal, sc),
            "zone_rows": deal_words.zone_rows(deal, sc),
            "columns": deal_words.red_line_columns(deal, sc),
            "package": deal_words.package_lines(deal, sc),
            "described": deal.probability >= deal_words.ZONE_SHARE or deal.draws == 1,
        },
    }
    return _template().render(**ctx)


#: the models whose sensitivity the report shows by default, first registered wins
SENSITIVITY_PREFERENCE = ("bdm", "smp", "compromise")


def default_sensitivity_model(models: list[str]) -> str:
    for name in SENSITIVITY_PREFERENCE:
        if name in models:
            return name
    return models[0]


def write_report(
    scenario: Scenario | str | Path,
    path: str | Path,
    *,
    models: str | list[str] = "all",
    runs: int = 1000,
    seed: int | None = None,
    variant: str | None = None,
    changes: Mapping[str, Any] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    uncertainty: Any = None,
    sensitivity: bool = True,
    sensitivity_model: str | None = None,
    sensitivity_method: str = "morris",
    sensitivity_output: str = "agreement",
    sensitivity_n: int | None = None,
    title: str | None = None,
) -> Path:
    """Forecast ``scenario`` with ``runs`` draws, analyse its sensitivity, write the HTML to ``path``.

    The sensitivity analysis (skipped with ``sensitivity=False``) uses ``sensitivity_model``
    (default: BDM, else SMP, else compromise, else the first model) on the same scenario version
    (variant and changes applied) and the same uncertainty, with the same seed.
    """
    from accord.runs.forecast import forecast
    from accord.runs.options import model_names, one_model
    from accord.runs.sensitivity import METHODS, parse_output
    from accord.runs.sensitivity import sensitivity as run_sensitivity
    from accord.scenario import load

    # everything that can be checked is checked before the (long) forecast
    path = check_output_path(path, HTML_SUFFIXES)
    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    names = model_names(models)
    name = None
    if sensitivity:
        if sensitivity_method not in METHODS:
            raise ParameterError(
                f"sensitivity method {sensitivity_method!r} is not sobol or morris",
                hint="use sobol or morris",
                field="sensitivity_method",
            )
        parse_output(sc, sensitivity_output)
        name = (
            one_model(sensitivity_model, field="sensitivity_model")
            if sensitivity_model
            else default_sensitivity_model(names)
        )
    fc = forecast(
        sc,
        names,
        variant=variant,
        changes=changes,
        params=params,
        runs=runs,
        seed=seed,
        uncertainty=uncertainty,
    )
    sens = None
    if name is not None:
        sens = run_sensitivity(
            fc.scenario,
            name,
            method=sensitivity_method,  # type: ignore[arg-type]
            output=sensitivity_output,
            n=sensitivity_n,
            seed=fc.seed,
            params=params,
            uncertainty=uncertainty,
        )
    return write_output(path, report_html(fc, sens, title=title))


__all__ = [
    "SENSITIVITY_PREFERENCE",
    "Plot",
    "bands_figure_for",
    "default_sensitivity_model",
    "forecast_plots",
    "outcome_draws",
    "outcome_histograms",
    "report_html",
    "write_report",
]
