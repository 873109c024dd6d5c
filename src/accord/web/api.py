"""The JSON API (``/api``): scenarios, forecasts, comparisons, what-ifs, sensitivity, runs.

Every result is a run record (:class:`accord.runs.records.RunRecord` as JSON: what ``--json``
prints); every error a 4xx whose JSON says what, where and how to fix it
(:mod:`accord.web.errors`). Handlers are plain functions, run on the server's thread pool.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from accord.errors import AccordError, ScenarioError
from accord.web import service
from accord.web.errors import ApiError, problem_json
from accord.web.schemas import (
    BacktestRequest,
    CompareRequest,
    ConcessionsRequest,
    ForecastRequest,
    HistoryRequest,
    RunRequest,
    RunStarted,
    RunStatus,
    ScenarioEdit,
    ScenarioText,
    SensitivityRequest,
    WhatIfRequest,
)
from accord.web.sources import ID, from_text, is_builtin, listing, named, scenario_text

router = APIRouter(prefix="/api")


def _state(request: Request) -> Any:
    return request.app.state


# -- scenarios ---------------------------------------------------------------------------------


@router.get("/scenarios", tags=["scenarios"], summary="Every scenario: built-in and kept")
def list_scenarios(request: Request) -> list[dict[str, Any]]:
    return listing(_state(request).keeper)


@router.get(
    "/scenarios/{scenario_id}", tags=["scenarios"], summary="One scenario, as data and text"
)
def get_scenario(scenario_id: str, request: Request) -> dict[str, Any]:
    sc = named(_state(request).keeper, scenario_id)
    return {
        "id": sc.id,
        "builtin": is_builtin(sc.id),
        "scenario": sc.model_dump(mode="json"),
        "text": scenario_text(sc),
    }


def _keep(request: Request, sc: Any, *, replace: str | None = None) -> JSONResponse:
    keeper = _state(request).keeper
    if not ID.match(sc.id):
        raise ApiError(
            422,
            f"the scenario's id {sc.id!r} cannot be kept: use letters, digits, '-' and '_'",
            field="id",
        )
    if is_builtin(sc.id):
        raise ApiError(
            409,
            f"{sc.id!r} is a built-in scenario and cannot be overwritten",
            hint="keep your version under another id",
            field="id",
        )
    exists = keeper.scenario(sc.id) is not None
    if replace is None and exists:
        raise ApiError(
            409,
            f"a scenario {sc.id!r} is already kept",
            hint=f"PUT /api/scenarios/{sc.id} replaces it; or choose another id",
            field="id",
        )
    keeper.save_scenario(sc)
    created = not exists
    body = {"id": sc.id, "created": created, "url": f"/scenarios/{sc.id}"}
    return JSONResponse(body, status_code=201 if created else 200)


@router.post("/scenarios", tags=["scenarios"], status_code=201, summary="Keep a new scenario")
def create_scenario(body: ScenarioText, request: Request) -> JSONResponse:
    return _keep(request, from_text(body.text, body.format, field="text"))


@router.put("/scenarios/{scenario_id}", tags=["scenarios"], summary="Keep a new version")
def update_scenario(scenario_id: str, body: ScenarioText, request: Request) -> JSONResponse:
    sc = from_text(body.text, body.format, field="text")
    if sc.id != scenario_id:
        raise ApiError(
            422,
            f"the text's id is {sc.id!r}, not {scenario_id!r}",
            hint="PUT to the scenario's own id, or POST /api/scenarios to keep it anew",
            field="id",
        )
    return _keep(request, sc, replace=scenario_id)


@router.post("/scenarios/edit", tags=["scenarios"], summary="Keep an edited scenario")
def edit_scenario(body: ScenarioEdit, request: Request) -> JSONResponse:
    """``changes`` (paths -> values) applied to the scenario ``base``, or a whole ``text``; kept
    under ``id``. Invalid values answer 422 with each problem at its path."""
    from accord.scenario.load import check_mapping
    from accord.scenario.patch import whatif
    from accord.scenario.types import Scenario

    keeper = _state(request).keeper
    if body.text is not None:
        sc = from_text(body.text, body.format, field="text")
        if body.id and body.id != sc.id:
            sc = sc.model_copy(update={"id": body.id})
    else:
        if not body.base:
            raise ApiError(422, "give the scenario to edit (base) or a whole text", field="base")
        base = named(keeper, body.base, status=422, field="base")
        try:  # as a what-if does: a moved value takes its range (and red line) along
            changed = whatif(base, _with_ranges(dict(body.changes))).scenario
        except ScenarioError as exc:
            raise _edit_problems(exc.problems) from None
        except AccordError as exc:
            raise ApiError(422, exc.message, hint=exc.hint, field=exc.field or "changes") from None
        data = changed.model_dump(mode="json")
        if body.id:
            data["id"] = body.id
        problems = check_mapping(data, source=None)
        if problems:
            raise _edit_problems(problems)
        sc = Scenario.model_validate(data)
    replace = sc.id if keeper.scenario(sc.id) is not None else None
    return _keep(request, sc, replace=replace)


def _with_ranges(changes: dict[str, Any]) -> dict[str, Any]:
    """A number cleared in the editor (None) clears its uncertainty range too."""
    from accord.scenario.fields import match

    out = dict(changes)
    for path, value in changes.items():
        found = match(path) if value is None else None
        if found is not None:
            fld, actor, issue = found
            out.setdefault(fld.range_path(actor, issue), None)
    return out


def _edit_problems(problems: list[Any]) -> ApiError:
    n = len(problems)
    return ApiError(
        422,
        f"{n} problem{'s' if n != 1 else ''} found in the edit",
        hint="each problem names the field it is about",
        field=problems[0].path if problems else "changes",
        problems=[problem_json(p) for p in problems],
    )


@router.post("/validate", tags=["scenarios"], summary="Check a scenario's text")
def validate(body: ScenarioText) -> dict[str, Any]:
    """Every problem of a scenario, located (line, column, path) as ``accord validate`` prints
    them; ``valid`` true when there are none."""
    try:
        sc = from_text(body.text, body.format, field="text")
    except ApiError as exc:
        if exc.status != 422:
            raise
        problems = exc.problems or [
            {"field": exc.field, "message": exc.message, "line": None, "column": None,
             "hint": exc.hint, "text": exc.message}
        ]  # fmt: skip
        return {"valid": False, "id": None, "problems": problems}
    return {"valid": True, "id": sc.id, "problems": []}


# -- runs, answered at once ------------------------------------------------------------------------


def _now(request: Request, req: Any) -> dict[str, Any]:
    st = _state(request)
    sc = service.scenario_of(req, st.keeper, st.settings)
    service.check(req, sc, st.settings)
    with st.running:  # the record's JSON is CPU work too
        return service.run(req, sc).record.to_json()


@router.post("/forecast", tags=["runs"], summary="Forecast a scenario (the run record)")
def forecast(body: ForecastRequest, request: Request) -> dict[str, Any]:
    """What ``accord forecast --json`` prints, for the scenario, models and draws asked."""
    return _now(request, body)


@router.post("/compare", tags=["runs"], summary="Variants against the base, on the same draws")
def compare(body: CompareRequest, request: Request) -> dict[str, Any]:
    return _now(request, body)


@router.post("/whatif", tags=["runs"], summary="The scenario with changes, on the same draws")
def whatif(body: WhatIfRequest, request: Request) -> dict[str, Any]:
    """A comparison of two columns: ``base`` and ``what-if`` (the variant, if any, then the
    changes), on the same random draws; the deltas are the what-if's effect."""
    return _now(request, body)


@router.post("/sensitivity", tags=["runs"], summary="Rank the inputs by their influence")
def sensitivity(body: SensitivityRequest, request: Request) -> dict[str, Any]:
    return _now(request, body)


@router.post("/concessions", tags=["runs"], summary="What it would take to open a zone")
def concessions(body: ConcessionsRequest, request: Request) -> dict[str, Any]:
    """What ``accord concessions --json`` prints: the deal space on the draws and, for every
    lever a decider holds (a red-line end, its outside option, its trust), the smallest move that
    opens a zone of agreement and what it costs, alone and in pairs (one per side)."""
    return _now(request, body)


@router.post("/history", tags=["runs"], summary="The forecast at every dated version")
def history(body: HistoryRequest, request: Request) -> dict[str, Any]:
    """What ``accord history --json`` prints: per dated version of the scenario (its
    ``updates``), the run record of its forecast; versions already forecast with the same models,
    draws, uncertainty and seed are read from the store, the others run now and kept."""
    st = _state(request)
    sc = named(st.keeper, body.scenario or st.settings.default_scenario, status=422)
    service.check(body, sc, st.settings)
    return service.history(body, sc, st.keeper).to_json()


@router.get("/backtests/cases", tags=["backtests"], summary="The built-in cases with outcomes")
def backtest_cases() -> list[dict[str, Any]]:
    from accord.scenario.case import builtin_case_ids, load_case

    out = []
    for cid in builtin_case_ids():
        case = load_case(cid)
        out.append({"id": cid, "scenario": case.scenario.id, "title": case.scenario.title})
    return out


@router.post("/backtests", tags=["backtests"], summary="Score models on real outcomes")
def backtest(body: BacktestRequest, request: Request) -> dict[str, Any]:
    """The backtest record (what ``accord backtest cases --json`` prints): each predictor's
    errors against the known outcomes with 95% intervals, and the Brier score of agreement."""
    return _now(request, body)


# -- runs in the background ----------------------------------------------------------------------


@router.post("/runs", tags=["runs"], status_code=202, response_model=RunStarted)
def start_run(body: RunRequest, request: Request) -> dict[str, Any]:
    """Start a forecast, comparison or sensitivity run (``kind``); its id comes back at once."""
    job = _state(request).jobs.start(body)
    return {
        "id": job.id,
        "status": job.status,
        "url": f"/api/runs/{job.id}",
        "events": f"/api/runs/{job.id}/events",
    }


@router.get("/runs", tags=["runs"], summary="The runs, newest first")
def list_runs(request: Request, limit: int = 50) -> list[dict[str, Any]]:
    if not 1 <= limit <= 1000:
        raise ApiError(422, f"limit={limit} must be between 1 and 1000", field="limit")
    st = _state(request)
    return [st.jobs.status(r.id, with_record=False) for r in st.keeper.runs(limit)]


@router.get("/runs/{run_id}", tags=["runs"], response_model=RunStatus)
def get_run(run_id: int, request: Request) -> dict[str, Any]:
    """A run's state and progress; its record once it finished."""
    return _state(request).jobs.status(run_id)


@router.get("/runs/{run_id}/events", tags=["runs"], summary="Progress as server-sent events")
def run_events(run_id: int, request: Request) -> StreamingResponse:
    jobs = _state(request).jobs
    stream = jobs.events(run_id)
    first = next(stream)  # a 404 comes here, before the stream starts

    def gen():  # noqa: E306
        yield first
        yield from stream

    return StreamingResponse(gen(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store"})  # fmt: skip


@router.post("/runs/{run_id}/cancel", tags=["runs"], response_model=RunStatus)
def cancel_run(run_id: int, request: Request) -> dict[str, Any]:
    """Stop a run between two chunks of draws (what finished is kept, marked interrupted)."""
    return _state(request).jobs.cancel(run_id)


# -- reference ------------------------------------------------------------------------------------


@router.get("/models", tags=["reference"], summary="The models and their settings")
def models() -> list[dict[str, Any]]:
    from accord.models import MODELS
    from accord.present.views import setting_rows

    return [
        {
            "name": name,
            "label": cls.label,
            "reference": cls.reference,
            "dynamic": bool(cls.dynamic),
            "settings": [r.__dict__ for r in setting_rows(cls)],
        }
        for name, cls in MODELS.items()
    ]


@router.get("/schema", tags=["reference"], summary="The run record's JSON Schema")
def schema() -> dict[str, Any]:
    from accord.runs.records import record_schema

    return record_schema()


__all__ = ["AccordError", "router"]
