"""The HTML pages: scenarios, a scenario's stances and sources, its editor, the forecast with the
what-if panel, sensitivity, the runs.

Pages are rendered on the server from the same run records and :mod:`accord.present` views as the
terminal and the report; the browser only draws the charts (Plotly.js, served locally) and sends
the what-if sliders and the editor's fields back as JSON (``static/app.js``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from markupsafe import Markup

from accord.present import formats as f
from accord.present import views
from accord.present.colours import actor_colours
from accord.scenario.types import Scenario
from accord.web import charts, service
from accord.web.errors import ApiError
from accord.web.schemas import ForecastRequest, SensitivityRequest, WhatIfRequest
from accord.web.sources import is_builtin, listing, named, scenario_text

router = APIRouter(include_in_schema=False)
#: draws offered by the forecast page's selector
RUN_CHOICES = (1, 200, 1000, 5000, 20000)


@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    from accord.web.static import url

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("accord.web", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(asset=url, f=f)
    env.filters["code"] = _code
    return env


def _code(text: str) -> Markup:
    """Docstring text for a page: ``x`` and `x` become code, everything else is escaped."""
    import re

    from markupsafe import escape

    safe = str(escape(text.replace("``", "`")))
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", safe))


def render_text(template: str, **ctx: Any) -> str:
    return _env().get_template(template).render(**ctx)


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    settings = request.app.state.settings
    ctx.setdefault("nav", "")
    return HTMLResponse(
        render_text(template, default_scenario=settings.default_scenario, **ctx),
        status_code=status,
    )


def error_page(request: Request, err: ApiError) -> HTMLResponse:
    return render(request, "error.html.j2", status=err.status, title="Error", error=err)


def _state(request: Request) -> Any:
    return request.app.state


def _names(actor: Any) -> list[dict[str, str]]:
    """An actor's names in other languages, each with its script's direction."""
    rtl = {"ar", "fa", "he", "ur", "ps", "yi", "dv", "ku", "sd", "ug"}
    return [
        {"lang": lang, "text": text, "dir": "rtl" if lang.split("-")[0] in rtl else "ltr"}
        for lang, text in actor.names.items()
    ]


def _scenario_ctx(sc: Scenario) -> dict[str, Any]:
    colours = actor_colours([a.id for a in sc.actors])
    return {
        "sc": sc,
        "builtin": is_builtin(sc.id),
        "colours": colours,
        "other_names": {a.id: _names(a) for a in sc.actors},
    }


# -- scenarios -------------------------------------------------------------------------------------


@router.get("/")
def home(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/scenarios/{_state(request).settings.default_scenario}/forecast")


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request) -> HTMLResponse:
    return render(
        request, "scenarios.html.j2", title="Scenarios", rows=listing(_state(request).keeper),
        nav="scenarios",
    )  # fmt: skip


@router.get("/scenarios/{scenario_id}", response_class=HTMLResponse)
def scenario_page(scenario_id: str, request: Request) -> HTMLResponse:
    sc = named(_state(request).keeper, scenario_id)
    return render(
        request,
        "scenario.html.j2",
        title=sc.title,
        nav="scenario",
        stances=views.stance_rows(sc),
        scales=views.scale_legend(sc),
        evidence=views.evidence_rows(sc),
        sources=sc.sources,
        **_scenario_ctx(sc),
    )


def edit_fields(sc: Scenario) -> list[dict[str, Any]]:
    """The editor's fields per actor: capability, outside-option value, and per issue the
    position, salience and red-line ends — each named by its path."""
    from accord.scenario.fields import UNCERTAIN

    out = []
    for actor in sc.actors:
        rows = []
        for issue in sc.issues:
            st = actor.stances.get(issue.id)
            if st is None:
                continue
            cells = []
            for fld in UNCERTAIN:
                if not fld.per_issue:
                    continue
                value, _ = fld.get(actor, st)
                cells.append(
                    {"path": fld.path(actor.id, issue.id), "label": fld.label,
                     "value": "" if value is None else f"{value:g}"}
                )  # fmt: skip
            rows.append({"issue": issue, "cells": cells})
        own = []
        for fld in UNCERTAIN:
            if fld.per_issue:
                continue
            value, _ = fld.get(actor, None)
            if value is None and fld.key != "capability":
                continue
            own.append(
                {"path": fld.path(actor.id), "label": fld.label,
                 "value": "" if value is None else f"{value:g}"}
            )  # fmt: skip
        out.append({"actor": actor, "own": own, "rows": rows})
    return out


@router.get("/scenarios/{scenario_id}/edit", response_class=HTMLResponse)
def edit_page(scenario_id: str, request: Request) -> HTMLResponse:
    sc = named(_state(request).keeper, scenario_id)
    return render(
        request,
        "edit.html.j2",
        title=f"Edit {sc.title}",
        nav="edit",
        fields=edit_fields(sc),
        text=scenario_text(sc),
        new_id=f"{sc.id}-edited" if is_builtin(sc.id) else sc.id,
        **_scenario_ctx(sc),
    )


# -- forecasts -------------------------------------------------------------------------------------


def forecast_ctx(record: Any, sc: Scenario) -> dict[str, Any]:
    """What the forecast page shows of a forecast record (fresh or stored)."""
    from accord.present.narration import for_record

    specs = {s.name: s for s in record.models}
    accounts = []
    for m in record.results.models:
        acc = for_record(m, specs[m.name], sc)
        if acc is not None:
            accounts.append(
                {"label": specs[m.name].label, "title": acc.title, "lines": acc.summary}
            )
    figures = {"agreement": charts.agreement_of(record)}
    dists = charts.distributions(record, sc)
    figures.update({f"dist-{k}": fig for k, fig in dists})
    trajs = []
    for spec in record.models:
        if spec.dynamic:
            tr = charts.trajectories(record, sc, spec.name)
            if tr:
                trajs.append({"model": spec, "ids": [f"traj-{spec.name}-{k}" for k, _ in tr]})
                figures.update({f"traj-{spec.name}-{k}": fig for k, fig in tr})
    return {
        "record": record,
        "issues": views.issue_rows(record, sc),
        "agreements": views.agreement_rows(record, sc),
        "utilities": views.utility_rows(record, sc),
        "deciders": views.deciders(record, sc),
        "settings_lines": views.settings_lines(record),
        "whatif_lines": views.whatif_lines(record.scenario),
        "uncertainty": views.uncertainty_text(record.uncertainty),
        "accounts": accounts,
        "deal": deal_ctx(getattr(record.results, "deal", None), sc),
        "deal_left_out": getattr(record.results, "deal_left_out", None),
        "dist_ids": [f"dist-{k}" for k, _ in dists],
        "legend": charts.legend_items(record, sc),
        "trajectories": trajs,
        "figures": figures,
        "monte_carlo": record.draws > 1,
    }


def deal_ctx(deal: Any, sc: Scenario) -> dict[str, Any] | None:
    """The deal-space section of a forecast record (None when it has none: an interrupted run)."""
    from accord.present import deal as words

    if deal is None:
        return None
    mc = deal.draws > 1
    describe_zone = bool(deal.issues) and not (deal.probability < words.ZONE_SHARE and mc)
    return {
        "question": words.question(deal),
        "headline": words.headline(deal, sc),
        "reasons": [words.reason_text(r, sc, mc) for r in deal.reasons],
        "escalation": words.escalation_lines(deal, sc),
        "trust": words.trust_line(deal, sc),
        "too_few": bool(deal.issues) and not describe_zone,
        "zone_title": words.zone_title(deal, sc) if describe_zone else "",
        "red_line_columns": words.red_line_columns(deal, sc) if describe_zone else [],
        "zone": words.zone_rows(deal, sc) if describe_zone else [],
        "package": words.package_lines(deal, sc) if describe_zone else [],
        "closed": deal.probability < 1,
    }


def sliders(sc: Scenario, record: Any) -> list[dict[str, Any]]:
    """The what-if sliders, per actor (deciders first): every uncertain number the scenario sets,
    named by its path, with its scale and the scenario's value."""
    from accord.scenario.fields import cells

    deciders = {a.id for a, r in zip(sc.actors, record.results.models[0].actors, strict=True)
                if r.decider}  # fmt: skip
    from accord.scenario.fields import UNCERTAIN

    order = {fld.key: n for n, fld in enumerate(UNCERTAIN)}
    groups: dict[str, dict[str, Any]] = {}
    for fld, _a, k, actor, st in cells(sc):
        issue = sc.issues[k] if k is not None else None
        value, _ = fld.get(actor, st)
        lo, hi = fld.bounds(issue)
        if fld.key == "capability":
            hi = max(100.0, 2 * float(value))
        g = groups.setdefault(
            actor.id, {"actor": actor, "decider": actor.id in deciders, "items": []}
        )
        span = hi - lo
        g["items"].append(
            {
                "path": fld.path(actor.id, issue.id if issue else None),
                "label": f"{issue.name}: {fld.label}" if issue else fld.label,
                "min": f"{lo:g}",
                "max": f"{hi:g}",
                "step": f"{span / 100:g}" if span > 0 else "1",
                "value": f"{value:g}",
                "order": (k if k is not None else len(sc.issues), order[fld.key]),
            }
        )
    for g in groups.values():  # issue by issue, the actor's own numbers last
        g["items"].sort(key=lambda item: item["order"])
    return sorted(groups.values(), key=lambda g: not g["decider"])


def _model_choice(request: Request) -> str:
    return request.query_params.get("model") or _state(request).settings.default_model


@router.get("/scenarios/{scenario_id}/forecast", response_class=HTMLResponse)
def forecast_page(scenario_id: str, request: Request) -> HTMLResponse:
    """The forecast of a scenario (``?model=&runs=&seed=&variant=``), with the what-if panel."""
    from accord.models import MODELS
    from accord.runs.options import resolve_seed

    st = _state(request)
    named(st.keeper, scenario_id)  # a page of no scenario: 404
    q = request.query_params
    try:
        runs = int(q.get("runs") or st.settings.default_runs)
        seed = resolve_seed(int(q["seed"]) if q.get("seed") else None)
    except ValueError:
        raise ApiError(422, "runs and seed are whole numbers", field="runs") from None
    model = _model_choice(request)
    req = ForecastRequest(
        scenario=scenario_id, models=model, runs=max(runs, 1), seed=seed,
        variant=q.get("variant") or None,
    )  # fmt: skip
    sc = service.scenario_of(req, st.keeper, st.settings)
    service.check(req, sc, st.settings)
    fc = service.run_now(st, req, sc)
    ctx = forecast_ctx(fc.record, fc.scenario)
    from accord.runs.options import model_names

    return render(
        request,
        "forecast.html.j2",
        title=f"Forecast: {sc.title}",
        nav="forecast",
        model=model,
        models=["all", *MODELS],
        runs=runs,
        run_choices=RUN_CHOICES,
        seed=fc.record.seed,
        variant=req.variant or "",
        whatif_model=model_names(model)[0],  # what-ifs re-run one model: the first
        sliders=sliders(fc.scenario, fc.record),
        **ctx,
        **_scenario_ctx(fc.scenario),
    )


def whatif_ctx(record: Any, sc: Scenario, model: str) -> dict[str, Any]:
    rows = views.compare_rows(record, sc, model)
    # the agreement figures first: they are what a what-if is usually about
    rows.sort(key=lambda r: not r.label.startswith("P("))
    return {
        "rows": rows,
        "columns": record.results.columns,
        "model": model,
        "draws": record.draws,
        "seed": record.seed,
    }


@router.post("/scenarios/{scenario_id}/whatif")
def whatif_fragment(scenario_id: str, body: WhatIfRequest, request: Request) -> JSONResponse:
    """The what-if panel's result: its HTML and its charts (the API's ``/api/whatif`` record,
    laid out)."""
    st = _state(request)
    named(st.keeper, scenario_id)
    body = body.model_copy(update={"scenario": scenario_id})
    sc = service.scenario_of(body, st.keeper, st.settings)
    service.check(body, sc, st.settings)
    cmp = service.run_now(st, body, sc)
    model = service.model_list(body)[0]
    figs = dict(charts.whatif(cmp.record, sc, model))
    html = render_text("_whatif.html.j2", **whatif_ctx(cmp.record, sc, model))
    return JSONResponse({"html": html, "figures": figs, "record": cmp.record.to_json()})


@router.get("/scenarios/{scenario_id}/sensitivity", response_class=HTMLResponse)
def sensitivity_page(scenario_id: str, request: Request) -> HTMLResponse:
    from accord.models import MODELS

    st = _state(request)
    named(st.keeper, scenario_id)
    q = request.query_params
    req = SensitivityRequest(
        scenario=scenario_id,
        model=q.get("model") or st.settings.default_model,
        method=q.get("method") or "morris",  # type: ignore[arg-type]
        output=q.get("output") or "agreement",
        seed=int(q["seed"]) if (q.get("seed") or "").isdigit() else 1,
        n=int(q["n"]) if (q.get("n") or "").isdigit() else None,
    )
    sc = service.scenario_of(req, st.keeper, st.settings)
    service.check(req, sc, st.settings)
    res = service.run_now(st, req, sc)
    r = res.record.results
    outputs = ["agreement", "margin"] + [f"issue:{i.id}" for i in sc.issues]
    return render(
        request,
        "sensitivity.html.j2",
        title=f"Sensitivity: {sc.title}",
        nav="sensitivity",
        req=req,
        models=list(MODELS),
        outputs=outputs,
        results=r,
        rows=views.effect_rows(r, top=25),
        headers=views.effect_headers(r.method),
        figures={"sensitivity": charts.sensitivity(res.record)},
        record=res.record,
        **_scenario_ctx(sc),
    )


@router.get("/scenarios/{scenario_id}/deal", response_class=HTMLResponse)
def concessions_page(scenario_id: str, request: Request) -> HTMLResponse:
    """What it would take to open a zone of agreement (``?runs=&seed=&variant=``)."""
    from accord.web.schemas import ConcessionsRequest

    st = _state(request)
    named(st.keeper, scenario_id)
    q = request.query_params
    try:
        req = ConcessionsRequest(
            scenario=scenario_id,
            runs=int(q.get("runs") or 2000),
            seed=int(q.get("seed") or 1),
            variant=q.get("variant") or None,
        )
    except ValueError as exc:
        raise ApiError(422, f"runs and seed are whole numbers: {exc}", field="runs") from None
    sc = service.scenario_of(req, st.keeper, st.settings)
    service.check(req, sc, st.settings)
    res = service.run_now(st, req, sc)
    return render(
        request,
        "concessions.html.j2",
        title=f"What it would take: {sc.title}",
        nav="deal",
        req=req,
        **concessions_ctx(res.record, res.scenario),
        **_scenario_ctx(res.scenario),
    )


def concessions_ctx(record: Any, sc: Scenario) -> dict[str, Any]:
    """What a concessions record shows: its deal space, then the single changes and the pairs."""
    from accord.present import deal as words

    r = record.results
    mc = record.draws > 1
    parts = []
    for title, items, which in (
        ("One change alone", r.singles, "single"),
        ("A pair of changes, one per side", r.pairs, "pair"),
    ):
        parts.append(
            {
                "title": title,
                "rows": words.concession_rows(items, sc, mc, 12),
                "more": max(len(items) - 12, 0),
                "cheapest": words.cheapest_line(r, sc, which),
            }
        )
    return {
        "record": record,
        "deal": deal_ctx(r.deal, sc),
        "parts": parts,
        "open_already": r.deal.probability >= 1,
    }


@router.get("/scenarios/{scenario_id}/history", response_class=HTMLResponse)
def history_page(scenario_id: str, request: Request) -> HTMLResponse:
    """The forecast at every dated version (``?model=&runs=&seed=``); stored runs are reused."""
    from accord.runs.history import zone_probability
    from accord.web.schemas import HistoryRequest

    st = _state(request)
    sc = named(st.keeper, scenario_id)
    q = request.query_params
    try:
        req = HistoryRequest(
            scenario=scenario_id,
            models=q.get("model") or st.settings.default_model,
            runs=int(q.get("runs") or st.settings.default_runs),
            seed=int(q.get("seed") or 1),
        )
    except ValueError as exc:
        raise ApiError(422, f"runs and seed are whole numbers (runs ≥ 2): {exc}",
                       field="runs") from None  # fmt: skip
    service.check(req, sc, st.settings)
    h = service.history(req, sc, st.keeper)
    points = [(p.version.as_of, p.version.title, p.record) for p in h.points]
    names = h.models
    zone = [{m: zone_probability(p.model(m)) for m in names} for p in h.points]
    figures = dict(charts.history(points, sc, zone))
    return render(
        request,
        "history.html.j2",
        title=f"History: {sc.title}",
        nav="history",
        h=h,
        model=req.models,
        runs=req.runs,
        tables=[{"model": m, "rows": views.history_rows(points, sc, m)} for m in names],
        issue_ids=[f"history-{i.id}" for i in sc.issues],
        figures=figures,
        **_scenario_ctx(sc),
    )


@router.get("/backtests", response_class=HTMLResponse)
def backtests_page(request: Request) -> HTMLResponse:
    """How the models did on the built-in cases with known outcomes (``?models=&seed=``)."""
    from accord.present import backtest as bt
    from accord.web.schemas import BacktestRequest

    st = _state(request)
    q = request.query_params
    req = BacktestRequest(
        models=q.get("models") or "all",
        seed=int(q["seed"]) if (q.get("seed") or "").isdigit() else 1,
    )
    sc = service.scenario_of(req, st.keeper, st.settings)
    service.check(req, sc, st.settings)
    res = service.run_now(st, req, sc)
    r = res.record.results
    headers, cases = bt.case_rows(r)
    return render(
        request,
        "backtests.html.j2",
        title="Backtests",
        nav="backtests",
        record=res.record,
        results=r,
        scores=bt.score_rows(r),
        agreement=bt.agreement_rows(r),
        threshold=bt.threshold(r),
        case_headers=headers,
        case_rows=cases,
    )


# -- runs ------------------------------------------------------------------------------------------


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request) -> HTMLResponse:
    st = _state(request)
    return render(
        request, "runs.html.j2", title="Runs", nav="runs", runs=st.keeper.runs(200),
        where=st.keeper.where,
    )  # fmt: skip


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(run_id: int, request: Request) -> HTMLResponse:
    st = _state(request)
    kept = st.keeper.run(run_id)
    if kept is None:
        raise ApiError(404, f"no run {run_id}", hint="the runs are listed at /runs", field="run")
    ctx: dict[str, Any] = {}
    if kept.record is not None and kept.scenario is not None:
        if kept.record.kind == "forecast":
            ctx = {"view": "forecast", **forecast_ctx(kept.record, kept.scenario)}
        elif kept.record.kind == "concessions":
            ctx = {"view": "concessions", **concessions_ctx(kept.record, kept.scenario)}
        if ctx:
            ctx.update(_scenario_ctx(kept.scenario))
    return render(request, "run.html.j2", title=f"Run {run_id}", nav="runs", run=kept, **ctx)


__all__ = ["edit_fields", "error_page", "forecast_ctx", "render", "router", "sliders"]
