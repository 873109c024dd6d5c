"""Every JSON endpoint, on a TestClient: what it answers, and that bad input gets a 4xx naming the
field (the same located messages as ``accord validate``), never a 500."""

from __future__ import annotations

import json
import time

import pytest

import accord
from accord.runs.records import RunRecord, validate_record_json
from accord.scenario.load import check_file
from tests.web.conftest import TOY, client_for

MUSCAT = "us-iran-muscat-2026"


def error_of(r, status: int) -> dict:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["status"] == status and err["message"]
    return err


# -- scenarios ---------------------------------------------------------------------------------


def test_list_and_get_scenarios(client) -> None:
    rows = client.get("/api/scenarios").json()
    ids = {r["id"]: r for r in rows}
    assert {MUSCAT, "ec-car-emissions"} <= set(ids)
    assert ids[MUSCAT]["builtin"] and ids[MUSCAT]["actors"] == "6"
    got = client.get(f"/api/scenarios/{MUSCAT}").json()
    assert got["builtin"] and got["scenario"]["id"] == MUSCAT
    assert "الولايات المتحدة" in got["text"]  # the built-in's own file, as written
    assert accord.load_text(got["text"]).id == MUSCAT


def test_unknown_or_malformed_scenario_id(client) -> None:
    err = error_of(client.get("/api/scenarios/no-such"), 404)
    assert "us-iran-muscat-2026" in err["hint"]
    err = error_of(client.get("/api/scenarios/bad id!"), 422)
    assert err["field"] == "scenario"
    err = error_of(client.post("/api/forecast", json={"scenario": "/etc/passwd"}), 422)
    assert err["field"] == "scenario"


def test_create_update_and_conflicts(toy, tmp_path) -> None:
    with client_for() as c:
        r = c.post("/api/scenarios", json={"text": toy})
        assert r.status_code == 201 and r.json()["id"] == "toy-water"
        assert any(
            s["id"] == "toy-water" and not s["builtin"] for s in c.get("/api/scenarios").json()
        )
        error_of(c.post("/api/scenarios", json={"text": toy}), 409)
        newer = toy.replace("Toy water talks", "Toy water talks, round 2")
        r = c.put("/api/scenarios/toy-water", json={"text": newer})
        assert r.status_code == 200 and not r.json()["created"]
        assert c.get("/api/scenarios/toy-water").json()["scenario"]["title"].endswith("round 2")
        err = error_of(c.put("/api/scenarios/other-id", json={"text": toy}), 422)
        assert err["field"] == "id"
        muscat = c.get(f"/api/scenarios/{MUSCAT}").json()["text"]
        err = error_of(c.post("/api/scenarios", json={"text": muscat}), 409)
        assert "built-in" in err["message"]
        # what it keeps, it forecasts
        rec = c.post("/api/forecast", json={"scenario": "toy-water", "runs": 50, "seed": 1}).json()
        assert rec["scenario"]["title"].endswith("round 2")


def test_invalid_scenario_text_gets_the_validators_located_messages(client, tmp_path) -> None:
    bad = TOY.replace("salience: 80", "salience: 180").replace("source: s1", "source: s9")
    err = error_of(client.post("/api/scenarios", json={"text": bad}), 422)
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    expected = check_file(path)  # what `accord validate bad.yaml` prints, one line each
    assert expected
    got = [(p["field"], p["message"], p["line"], p["column"]) for p in err["problems"]]
    assert got == [(p.path, p.message, p.line, p.column) for p in expected]
    sal = next(p for p in err["problems"] if p["field"] == "actors.up.stances.share.salience")
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if "salience: 180" in text)
    assert sal["line"] == line and "100" in sal["message"]
    # /api/validate answers 200 with the same problems, and says when a text is valid
    v = client.post("/api/validate", json={"text": bad}).json()
    assert not v["valid"] and v["problems"] == err["problems"]
    assert client.post("/api/validate", json={"text": TOY}).json() == {
        "valid": True, "id": "toy-water", "problems": []
    }  # fmt: skip
    broken = client.post("/api/validate", json={"text": "id: [unclosed"}).json()
    assert not broken["valid"] and broken["problems"][0]["line"] in (1, 2)


def test_edit_applies_changes_and_puts_problems_at_their_fields() -> None:
    with client_for() as c:
        path = "actors.us.stances.missiles.salience"
        err = error_of(c.post("/api/scenarios/edit", json={"base": MUSCAT, "id": "mine",
                                                          "changes": {path: 150}}), 422)  # fmt: skip
        assert err["field"] == path and err["problems"][0]["field"] == path
        assert "100" in err["problems"][0]["message"]
        err = error_of(c.post("/api/scenarios/edit", json={"base": MUSCAT, "id": "mine",
                                                          "changes": {"actors.nobody.capability": 1}}),
                       422)  # fmt: skip
        assert "nobody" in err["message"]
        err = error_of(c.post("/api/scenarios/edit", json={"base": MUSCAT,
                                                          "changes": {path: 50}}), 409)  # fmt: skip
        assert err["field"] == "id"  # a built-in is not overwritten
        r = c.post(
            "/api/scenarios/edit", json={"base": MUSCAT, "id": "mine", "changes": {path: 50}}
        )
        assert r.status_code == 201 and r.json()["url"] == "/scenarios/mine"
        kept = c.get("/api/scenarios/mine").json()["scenario"]
        us = next(a for a in kept["actors"] if a["id"] == "us")
        assert us["stances"]["missiles"]["salience"] == 50


# -- runs answered at once ---------------------------------------------------------------------------


def test_forecast_is_the_same_run_record_as_the_library(client) -> None:
    body = {"models": "compromise,nash", "runs": 300, "seed": 7}
    data = client.post("/api/forecast", json=body).json()
    validate_record_json(data)
    rec = RunRecord.model_validate(data)
    fc = accord.forecast(accord.load(MUSCAT), "compromise,nash", runs=300, seed=7)
    assert rec.reproducible_json() == fc.record.reproducible_json()


def test_forecast_with_text_variant_and_changes(client) -> None:
    body = {"scenario_text": TOY, "variant": "drought", "runs": 1,
            "changes": {"actors.up.stances.share.position": 30}}  # fmt: skip
    rec = client.post("/api/forecast", json=body).json()
    assert rec["scenario"]["variant"] == "drought"
    assert [c["path"] for c in rec["scenario"]["changes"]][-1] == "actors.up.stances.share.position"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"runs": 10**9}, "runs", "limit"),
        ({"runs": 0}, "runs", "greater than or equal"),
        ({"models": "nope"}, "models", "nope"),
        ({"params": {"bdm": {"rounds": -3}}, "models": "bdm"}, "params.bdm.rounds", "rounds"),
        ({"variant": "no-such-variant"}, "variant", "no-such-variant"),
        (
            {"changes": {"actors.us.stances.missiles.salience": 500}},
            "actors.us.stances.missiles.salience",
            "100",
        ),
        ({"runz": 10}, "runz", "unknown field"),
        ({"seed": -1}, "seed", "greater than or equal"),
        ({"scenario": MUSCAT, "scenario_text": TOY}, "scenario_text", "not both"),
        ({"scenario_text": "id: x\n"}, "scenario_text", "problem"),
        ({"uncertainty": "wild"}, "uncertainty", "wild"),
    ],
)
def test_forecast_refuses_bad_input_naming_the_field(client, body, field, words) -> None:
    err = error_of(client.post("/api/forecast", json=body), 422)
    fields = [err["field"]] + [p["field"] for p in err["problems"]]
    assert any(f == field or f.startswith(field) for f in fields), err
    text = json.dumps(err)
    assert words.lower() in text.lower(), err


def test_not_json_and_wrong_types(client) -> None:
    r = client.post(
        "/api/forecast", content=b"{not json", headers={"content-type": "application/json"}
    )
    error_of(r, 422)
    err = error_of(client.post("/api/forecast", json={"runs": "many"}), 422)
    assert err["field"] == "runs"
    error_of(client.post("/api/forecast", json=[1, 2]), 422)


def test_compare_and_whatif_share_draws(client) -> None:
    rec = client.post("/api/compare", json={"runs": 200, "seed": 3}).json()
    cols = [c["id"] for c in rec["results"]["columns"]]
    assert cols[0] == "base" and len(cols) == 1 + len(accord.load(MUSCAT).variants)
    path = "actors.iran.stances.missiles.red_line.max"
    w = client.post("/api/whatif", json={"runs": 500, "seed": 3, "changes": {path: 60}}).json()
    base, what = w["results"]["models"][0]["columns"]
    assert what["column"] == "what-if"
    assert what["deltas"]["probabilities"]["agreement"]["value"] == pytest.approx(
        what["probabilities"]["agreement"] - base["probabilities"]["agreement"]
    )
    # a change that moves nothing gives deltas of exactly zero (the same draws)
    same = client.post(
        "/api/whatif", json={"runs": 200, "seed": 3, "changes": {"actors.oman.capability": 10}}
    ).json()["results"]["models"][0]["columns"][1]["deltas"]
    assert all(d["value"] == 0 for d in same["issues"].values())
    err = error_of(client.post("/api/compare", json={"variants": ["nope"]}), 422)
    assert err["field"] == "variants"
    err = error_of(client.post("/api/whatif", json={"runs": 15_000}), 422)
    assert err["field"] == "runs" and "2 columns" in err["message"]
    # a red line moved past the actor's own position: the message names that red line
    err = error_of(
        client.post(
            "/api/whatif", json={"changes": {"actors.us.stances.missiles.red_line.min": 90}}
        ),
        422,
    )
    assert err["problems"][0]["field"].startswith("actors.us.stances.missiles.red_line")


def test_sensitivity_and_its_limit(client) -> None:
    body = {"model": "compromise", "method": "morris", "n": 4, "seed": 1}
    rec = client.post("/api/sensitivity", json=body).json()
    assert rec["results"]["kind"] == "sensitivity" and rec["results"]["effects"]
    err = error_of(client.post("/api/sensitivity", json={"method": "sobol", "n": 100000}), 422)
    assert err["field"] == "n"
    err = error_of(client.post("/api/sensitivity", json={"output": "issue:nope"}), 422)
    assert err["field"] == "output"


def test_concessions_what_it_would_take(client) -> None:
    from accord.runs.concessions import concessions

    rec = client.post("/api/concessions", json={"runs": 300, "seed": 6}).json()
    lib = concessions(accord.load(MUSCAT), runs=300, seed=6).record
    assert RunRecord.model_validate(rec).reproducible_json() == lib.reproducible_json()
    assert rec["results"]["deal"]["probability"] < 1 and rec["results"]["singles"]
    err = error_of(client.post("/api/concessions", json={"runs": 10**7}), 422)
    assert err["field"] == "runs"
    err = error_of(client.post("/api/concessions", json={"variant": "nope"}), 422)
    assert err["field"] == "variant"
    error_of(client.post("/api/concessions", json={"per_side": 0}), 422)


def test_history_reuses_stored_versions() -> None:
    with client_for() as c:
        first = c.post("/api/history", json={"runs": 200, "seed": 2}).json()
        versions = first["versions"]
        assert len(versions) == 1 + len(accord.load(MUSCAT).updates) and not versions[0]["reused"]
        dates = [v["as_of"] for v in versions]
        assert dates == sorted(dates)
        again = c.post("/api/history", json={"runs": 200, "seed": 2}).json()["versions"]
        assert all(v["reused"] for v in again)
        assert [v["record"] for v in again] == [v["record"] for v in versions]
        assert {r["id"] for r in c.get("/api/runs").json()} == {v["run_id"] for v in versions}
        err = error_of(c.post("/api/history", json={"runs": 10**6}), 422)
        assert err["field"] == "runs" and "versions" in err["message"]
        error_of(c.post("/api/history", json={"runs": 1}), 422)
        error_of(c.post("/api/history", json={"scenario": "nope"}), 422)


def test_backtests_on_the_builtin_cases(client) -> None:
    cases = client.get("/api/backtests/cases").json()
    assert {c["id"] for c in cases} >= {"ec-car-emissions", MUSCAT}
    rec = client.post("/api/backtests", json={"models": "compromise", "seed": 1,
                                              "bootstrap": 100}).json()  # fmt: skip
    from accord.runs.backtest import backtest_cases

    lib = backtest_cases(None, "compromise", seed=1, bootstrap=100).record
    got = RunRecord.model_validate(rec).results
    assert got.rows == lib.results.rows  # the same forecasts, case by case
    assert [p.overall for p in got.predictors] == [p.overall for p in lib.results.predictors]
    err = error_of(client.post("/api/backtests", json={"cases": ["/etc/passwd"]}), 422)
    assert err["field"] == "cases" and "ec-car-emissions" in err["hint"]
    err = error_of(client.post("/api/backtests", json={"bootstrap": 10**6}), 422)
    assert err["field"] == "bootstrap"


# -- runs in the background -----------------------------------------------------------------------


def wait(c, run_id: int, timeout: float = 60) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        st = c.get(f"/api/runs/{run_id}").json()
        if st["status"] in ("complete", "interrupted", "cancelled", "failed"):
            return st
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish")


def test_run_lifecycle_progress_events_and_record() -> None:
    with client_for() as c:
        r = c.post("/api/runs", json={"kind": "forecast", "runs": 400, "seed": 5})
        assert r.status_code == 202
        started = r.json()
        st = wait(c, started["id"])
        assert st["status"] == "complete" and st["done"] == 400 and st["total"] == 400
        rec = RunRecord.model_validate(st["record"])
        assert rec.seed == 5 and rec.draws == 400
        events = c.get(started["events"]).text
        assert "event: end" in events and '"status": "complete"' in events
        listed = c.get("/api/runs").json()
        assert listed[0]["id"] == started["id"] and listed[0]["record"] is None
        assert (
            listed[0]["agreement"]["compromise"]
            == rec.results.models[0].agreement.probabilities.agreement
        )
        s = c.post("/api/runs", json={"kind": "sensitivity", "n": 3, "seed": 2}).json()
        assert wait(c, s["id"])["record"]["results"]["kind"] == "sensitivity"
        cm = c.post(
            "/api/runs", json={"kind": "compare", "runs": 100, "variants": ["oman-steps-back"]}
        )
        assert wait(c, cm.json()["id"])["record"]["results"]["kind"] == "compare"


def test_cancel_a_queued_and_a_running_run() -> None:
    with client_for(max_jobs=1) as c:
        big = {"kind": "forecast", "models": "compromise,median,condorcet,nash", "runs": 20000}
        first = c.post("/api/runs", json=big).json()["id"]
        queued = c.post("/api/runs", json={"kind": "forecast", "runs": 100}).json()["id"]
        assert c.post(f"/api/runs/{queued}/cancel").json()["id"] == queued
        end = time.monotonic() + 60
        while c.get(f"/api/runs/{first}").json()["done"] == 0 and time.monotonic() < end:
            time.sleep(0.02)
        c.post(f"/api/runs/{first}/cancel")
        st = wait(c, first)
        assert st["status"] == "cancelled" and 0 < st["done"] < 20000
        assert st["record"]["interrupted"] and st["record"]["draws"] == st["done"]
        assert wait(c, queued)["status"] == "cancelled"


def test_run_errors(client) -> None:
    error_of(client.get("/api/runs/999999"), 404)
    error_of(client.get("/api/runs/abc"), 422)
    error_of(client.post("/api/runs/999999/cancel"), 404)
    error_of(client.get("/api/runs/999999/events"), 404)
    err = error_of(client.post("/api/runs", json={"kind": "forecast", "models": "nope"}), 422)
    assert err["field"] == "models"
    error_of(client.post("/api/runs", json={"kind": "dance"}), 422)
    error_of(client.get("/api/runs?limit=0"), 422)


# -- reference, limits, errors ----------------------------------------------------------------------


def test_models_schema_openapi_and_docs(client) -> None:
    models = {m["name"]: m for m in client.get("/api/models").json()}
    assert models["bdm"]["dynamic"] and any(
        s["name"] == "rounds" for s in models["bdm"]["settings"]
    )
    assert client.get("/api/schema").json()["title"] == "accord run record"
    spec = client.get("/api/openapi.json").json()
    assert {"/api/forecast", "/api/runs", "/api/scenarios/{scenario_id}"} <= set(spec["paths"])
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/api/whatif" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_request_size_limit() -> None:
    with client_for(max_request_bytes=4096) as c:
        err = error_of(c.post("/api/validate", json={"text": "x" * 10_000}), 413)
        assert "KiB" in err["message"]

        def chunks():
            for _ in range(10):
                yield b" " * 1000

        err = error_of(c.post("/api/validate", content=chunks(),
                              headers={"content-type": "application/json"}), 413)  # fmt: skip


def test_requests_compute_at_most_max_running_at_once(monkeypatch) -> None:
    import threading

    from accord.web import service

    running, most, lock = 0, 0, threading.Lock()
    real = service.run

    def counted(*args, **kwargs):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)  # long enough for the others to arrive
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(service, "run", counted)
    body = {"scenario": MUSCAT, "models": "compromise", "runs": 50}
    for limit in (1, 3):
        most = 0
        with client_for(max_running=limit) as c:
            answers: list[int] = []

            def ask(seed: int, c=c, answers=answers) -> None:
                answers.append(c.post("/api/forecast", json={**body, "seed": seed}).status_code)

            threads = [threading.Thread(target=ask, args=(s,)) for s in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert answers == [200] * 6
        assert most == limit  # never more at once, and as many as allowed


def test_unknown_paths_and_methods(client) -> None:
    assert error_of(client.get("/api/nothing"), 404)["hint"]
    error_of(client.delete("/api/forecast"), 405)


GARBAGE = [None, 0, "x", [], {}, {"scenario": None}, {"scenario": 5}, {"changes": []},
           {"changes": {"": 1}}, {"changes": {"actors": 1}}, {"changes": {"actors.us": {"a": 1}}},
           {"params": {"nope": {}}}, {"params": {"smp": {"voting_rule": "x"}}, "models": "smp"},
           {"models": []}, {"models": ["all", "all"]}, {"runs": 1.5}, {"runs": True},
           {"seed": 2**70}, {"format": "xml", "scenario_text": "a"},
           {"scenario_text": "\x00\x01"}, {"scenario_text": "[1, 2"}, {"scenario_text": "a: &x [*x]"},
           {"uncertainty": {"position": -5}}, {"variants": [{"id": "x"}]}, {"output": "x"},
           {"inputs": ["nope.*"]}, {"method": "other"}, {"kind": "compare", "variants": "x"}]  # fmt: skip


@pytest.mark.parametrize("url", ["/api/forecast", "/api/compare", "/api/whatif", "/api/backtests",
                                 "/api/history", "/api/concessions",
                                 "/api/sensitivity", "/api/runs", "/api/validate",
                                 "/api/scenarios", "/api/scenarios/edit"])  # fmt: skip
def test_never_a_500(client, url) -> None:
    # bodies that happen to be valid run small (the point is the bad ones)
    small = {"/api/sensitivity": {"n": 2}, "/api/backtests": {"bootstrap": 5},
             "/api/forecast": {"runs": 5}, "/api/compare": {"runs": 5}, "/api/whatif": {"runs": 5},
             "/api/runs": {"runs": 5}, "/api/history": {"runs": 2},
             "/api/concessions": {"runs": 5}}.get(url, {})  # fmt: skip
    for body in GARBAGE:
        if isinstance(body, dict):
            body = {**small, **body}
        r = client.post(url, json=body)
        assert r.status_code < 500, (url, body, r.text)
        if r.status_code >= 400:
            assert r.json()["error"]["message"], (url, body)
