"""What the server keeps lives in the run store: a scenario saved and a run started through the
web are there after a restart, and ``accord runs`` reads the same runs."""

from __future__ import annotations

import time

from accord.cli import main
from accord.runs.records import RunRecord
from accord.runs.store import Store
from tests.web.conftest import TOY, client_for, fresh_db


def test_scenarios_and_runs_outlive_the_server(capsys) -> None:
    db = fresh_db()
    with client_for(db=db) as c:
        assert c.post("/api/scenarios", json={"text": TOY}).status_code == 201
        newer = TOY.replace("Toy water talks", "Toy water talks, round 2")
        assert c.put("/api/scenarios/toy-water", json={"text": newer}).status_code == 200
        run = c.post("/api/runs", json={"kind": "forecast", "scenario": "toy-water",
                                        "runs": 9000, "seed": 4}).json()  # fmt: skip
        end = time.monotonic() + 60
        while (st := c.get(run["url"]).json())["status"] != "complete":
            assert time.monotonic() < end and st["status"] in ("queued", "running"), st
            time.sleep(0.05)
        record = RunRecord.model_validate(st["record"])
    with client_for(db=db) as c:  # a new server on the same store
        got = c.get("/api/scenarios/toy-water").json()["scenario"]
        assert got["title"].endswith("round 2")  # the newest version is served
        again = c.get(run["url"]).json()
        assert again["status"] == "complete" and RunRecord.model_validate(again["record"]) == record
        assert [r["id"] for r in c.get("/api/runs").json()] == [run["id"]]
        assert "/runs/" in c.get("/runs").text
    with Store(db) as store:
        kept = store.get(run["id"])
        assert kept.record == record and kept.info.kind == "forecast"
        assert [ch.size for ch in kept.chunks] == [4096, 4096, 808]  # kept chunk by chunk
    assert main(["runs", "list", "--db", db]) == 0
    assert f"{run['id']}" in capsys.readouterr().out
