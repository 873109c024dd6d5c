"""The HTML report: one self-contained file with the forecast, the charts, the inputs and their sources.

Self-contained means it opens offline and fetches nothing: CSS is inline, every chart is an SVG
embedded as a ``data:`` URI, there is no script and no external URL in any ``src`` or ``href``
(source URLs are printed as text). Quotes keep their own language and direction (``dir="auto"``), so
Arabic evidence reads right to left.

:func:`report_html` renders a forecast you already have (plus, optionally, a sensitivity analysis);
:func:`write_report` runs both and writes the file:

>>> import accord
>>> write_report(accord.load("us-iran-muscat-2026"), "report.html", runs=1000, seed=1)  # doctest: +SKIP
PosixPath('report.html')
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord._version import __version__
from accord.errors import ParameterError
from accord.scenario.types import Evidence, Scenario
from accord.services.forecast import Forecast, ModelForecast, change_text
from accord.services.output import HTML_SUFFIXES, check_output_path, write_output
from accord.services.sensitivity import SensitivityResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: the models whose sensitivity the report shows by default, first registered wins
SENSITIVITY_PREFERENCE = ("bdm", "smp", "compromise")


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
    from accord.plots._figure import DPI, render

    svg = render(fig, "svg")
    w, h = fig.get_size_inches()
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return Plot(plot_id, title, caption, uri, round(w * DPI), round(h * DPI))


def _fmt(x: float | None, digits: int = 1) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x:.{digits}f}"


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%" if p >= 0.005 or p == 0 else "<1%"


def reason_text(reason: Mapping[str, Any], scenario: Scenario) -> str:
    """A blocking reason in words: "Iran: red line on Enrichment (above its maximum)"."""
    actor = scenario.actor(reason["actor"]).name
    if reason["kind"] == "red_line":
        issue = scenario.issue(reason["issue"]).name
        side = "below its minimum" if reason["bound"] == "min" else "above its maximum"
        return f"{actor}: red line on {issue} ({side})"
    return f"{actor}: prefers its outside option"


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
    from accord.plots.bands import band_quantiles, bands_figure

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
    from accord.plots.agreement import agreement_figure
    from accord.plots.distributions import distributions_figure

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
    from accord.plots.sensitivity import sensitivity_figure

    return _plot(
        sensitivity_figure(res),
        "sensitivity",
        "Which inputs matter",
        f"Inputs ranked by their influence on {res.output} under {res.model} "
        f"({'Sobol’ total index' if res.method == 'sobol' else 'Morris mu*'}).",
    )


# -- tables ------------------------------------------------------------------------------------


def _evidence(ev: Evidence, languages: Mapping[str, str], where: str) -> dict[str, Any]:
    return {
        "where": where,
        "source": ev.source,
        "lang": languages.get(ev.source, ""),
        "quote": ev.quote,
        "gloss": ev.gloss,
        "note": ev.note,
        "supports": ", ".join(ev.supports),
    }


def evidence_rows(sc: Scenario) -> list[dict[str, Any]]:
    """Every evidence entry of the scenario with where it sits (issue, actor, stance, outside option)."""
    langs = {s.id: s.language for s in sc.sources}
    rows = []
    for issue in sc.issues:
        rows += [_evidence(ev, langs, f"issue {issue.name}") for ev in issue.evidence]
    for actor in sc.actors:
        rows += [_evidence(ev, langs, actor.name) for ev in actor.evidence]
        if actor.outside_option is not None:
            rows += [
                _evidence(ev, langs, f"{actor.name} · outside option")
                for ev in actor.outside_option.evidence
            ]
        for issue_id, st in actor.stances.items():
            name = sc.issue(issue_id).name if issue_id in {i.id for i in sc.issues} else issue_id
            rows += [_evidence(ev, langs, f"{actor.name} · {name}") for ev in st.evidence]
    for v in sc.variants:
        rows += [_evidence(ev, langs, f"variant {v.id}") for ev in v.evidence]
    return rows


def inputs_table(sc: Scenario) -> list[dict[str, Any]]:
    """Actors × issues: each cell's position, salience, ranges and red line, as text."""
    rows = []
    for actor in sc.actors:
        cells = []
        for issue in sc.issues:
            st = actor.stances.get(issue.id)
            if st is None:
                cells.append(None)
                continue
            rl = ""
            if st.red_line is not None and (
                st.red_line.min is not None or st.red_line.max is not None
            ):
                lo = "" if st.red_line.min is None else _fmt(st.red_line.min, 0)
                hi = "" if st.red_line.max is None else _fmt(st.red_line.max, 0)
                rl = f"{lo}–{hi}"
            cells.append(
                {
                    "position": _fmt(st.position, 0),
                    "position_range": ""
                    if st.position_range is None
                    else "–".join(_fmt(v, 0) for v in st.position_range),
                    "salience": _fmt(st.salience, 0),
                    "salience_range": ""
                    if st.salience_range is None
                    else "–".join(_fmt(v, 0) for v in st.salience_range),
                    "red_line": rl,
                }
            )
        oo = actor.outside_option
        rows.append(
            {
                "name": actor.name,
                "id": actor.id,
                "role": actor.role + (" (veto)" if actor.veto else ""),
                "capability": _fmt(actor.capability, 0)
                + (
                    f" ({'–'.join(_fmt(v, 0) for v in actor.capability_range)})"
                    if actor.capability_range
                    else ""
                ),
                "outside": "status quo"
                if oo is None
                else oo.kind.replace("_", " ")
                + (f", worth {_fmt(oo.value, 0)}" if oo.value is not None else "")
                + (f" ({'–'.join(_fmt(v, 0) for v in oo.value_range)})" if oo.value_range else ""),
                "cells": cells,
            }
        )
    return rows


def model_rows(fc: Forecast) -> list[dict[str, Any]]:
    """Per model: the point status, the probabilities, the margin and the ranked blockers."""
    rows = []
    for m in fc.models.values():
        margin = m.agreement.margin if m.agreement is not None else m.analysis.margin
        rows.append(
            {
                "name": m.name,
                "label": m.label,
                "reference": m.reference,
                "status": m.status,
                "probabilities": {k: _pct(v) for k, v in m.probabilities.items()},
                "margin": _fmt(float(np.median(margin)), 2),
                "blockers": [
                    {"text": reason_text(r, fc.scenario), "share": _pct(r["share"])}
                    for r in m.blockers[:6]
                ],
                "more_blockers": max(len(m.blockers) - 6, 0),
                "params": ", ".join(f"{k}={v}" for k, v in m.result.params.items()) or "—",
            }
        )
    return rows


def outcome_rows(fc: Forecast) -> list[dict[str, Any]]:
    """Per issue: the status quo and each model's median with its 80% and 95% intervals."""
    rows = []
    for issue in fc.scenario.issues:
        cells = []
        for m in fc.models.values():
            isf = m.issues[issue.id]
            lo80, hi80 = isf.interval(0.8)
            lo95, hi95 = isf.interval(0.95)
            cells.append(
                {
                    "median": _fmt(isf.median),
                    "i80": f"{_fmt(lo80)}–{_fmt(hi80)}",
                    "i95": f"{_fmt(lo95)}–{_fmt(hi95)}",
                    "point": _fmt(isf.point),
                }
            )
        rows.append(
            {
                "name": issue.name,
                "low": f"{issue.low:g}: {issue.scale[issue.low]}",
                "high": f"{issue.high:g}: {issue.scale[issue.high]}",
                "status_quo": _fmt(issue.status_quo),
                "cells": cells,
            }
        )
    return rows


def utility_rows(fc: Forecast) -> list[dict[str, Any]]:
    """Per decider and model: the median utility of the outcome and the share of draws it accepts."""
    rows = []
    for a, actor in enumerate(fc.scenario.actors):
        first = fc.first
        if not first.analysis.decider[a]:
            continue
        cells = []
        for m in fc.models.values():
            af = m.actors[actor.id]
            lo, hi = af.interval(0.8)
            cells.append(
                {
                    "utility": _fmt(af.median, 2),
                    "i80": f"{_fmt(lo, 2)}–{_fmt(hi, 2)}",
                    "accepts": _pct(af.accept_share),
                }
            )
        rows.append(
            {"name": actor.name, "outside": _fmt(first.analysis.outside[0, a], 2), "cells": cells}
        )
    return rows


def sensitivity_rows(res: SensitivityResult, top: int = 15) -> list[dict[str, Any]]:
    rows = []
    for e in res.effects[:top]:
        if res.method == "sobol":
            a = f"{_fmt(e.s1, 3)} ± {_fmt(e.s1_conf, 3)}"
            b = f"{_fmt(e.st, 3)} ± {_fmt(e.st_conf, 3)}"
        else:
            a = f"{_fmt(e.mu_star, 3)} ± {_fmt(e.mu_star_conf, 3)}"
            b = _fmt(e.sigma, 3)
        rows.append(
            {
                "name": e.name,
                "interval": f"{e.low:g} – {e.high:g}",
                "origin": e.origin,
                "a": a,
                "b": b,
                "swing": f"{_fmt(e.swing_low, 3)} / {_fmt(e.swing_high, 3)}",
            }
        )
    return rows


# -- rendering ---------------------------------------------------------------------------------


def _template():
    import jinja2

    text = (resources.files("accord") / "templates" / "report.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(text)


def report_html(
    fc: Forecast, sensitivity: SensitivityResult | None = None, *, title: str | None = None
) -> str:
    """The report for forecast ``fc`` (and ``sensitivity``, if given) as one HTML string."""
    sc = fc.scenario
    plots = forecast_plots(fc)
    if sensitivity is not None:
        plots.append(sensitivity_plot(sensitivity))
    unc = fc.uncertainty.as_dict() if fc.uncertainty is not None else None
    ctx = {
        "title": title or sc.title,
        "sc": sc,
        "version": __version__,
        "fc": fc,
        "monte_carlo": fc.draws > 1,
        "uncertainty": unc,
        "plots": {p.id: p for p in plots},
        "band_plots": [p for p in plots if p.id.startswith("bands-")],
        "models": model_rows(fc),
        "model_names": [m.label for m in fc.models.values()],
        "outcomes": outcome_rows(fc),
        "utilities": utility_rows(fc),
        "deciders": [
            a.name for a, d in zip(sc.actors, fc.first.analysis.decider, strict=True) if d
        ],
        "inputs": inputs_table(sc),
        "evidence": evidence_rows(sc),
        "sens": sensitivity,
        "sens_rows": sensitivity_rows(sensitivity) if sensitivity is not None else [],
        "changes": [change_text(k, v) for k, v in fc.changes.items()],
    }
    return _template().render(**ctx)


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
    changes: dict[str, Any] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
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
    from accord.scenario import load
    from accord.services.forecast import forecast, model_names, one_model
    from accord.services.sensitivity import METHODS, parse_output
    from accord.services.sensitivity import sensitivity as run_sensitivity

    # everything that can be checked is checked before the (long) forecast
    path = check_output_path(path, HTML_SUFFIXES)
    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    names = model_names(models)
    name = None
    if sensitivity:
        if sensitivity_method not in METHODS:
            raise ParameterError(
                f"--sensitivity-method {sensitivity_method!r} is not sobol or morris",
                hint="use --sensitivity-method sobol or --sensitivity-method morris",
            )
        parse_output(sc, sensitivity_output)
        name = (
            one_model(sensitivity_model, "--sensitivity-model")
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
            params=(params or {}).get(name),
            uncertainty=uncertainty,
        )
    return write_output(path, report_html(fc, sens, title=title))


__all__ = [
    "Plot",
    "bands_figure_for",
    "outcome_draws",
    "forecast_plots",
    "report_html",
    "write_report",
]
