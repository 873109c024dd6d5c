"""The HTML pages on a TestClient: each one answers, shows the numbers of the same run record the
API gives, and fetches nothing from outside the server."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

import accord
from accord.present import views
from tests.web.conftest import client_for

MUSCAT = "us-iran-muscat-2026"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def html(client, url: str, status: int = 200) -> str:
    r = client.get(url, headers={"accept": "text/html"})
    assert r.status_code == status, r.text[:500]
    assert "text/html" in r.headers["content-type"]
    assert not EXTERNAL.search(r.text), f"{url} links outside the server"
    return r.text


def test_home_opens_on_the_builtin_scenario(client) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code in (302, 307) and r.headers["location"] == f"/scenarios/{MUSCAT}/forecast"


def test_forecast_page_shows_the_records_numbers(client) -> None:
    page = html(client, f"/scenarios/{MUSCAT}/forecast?runs=500&seed=4")
    fc = accord.forecast(accord.load(MUSCAT), "compromise", runs=500, seed=4)
    sc = fc.scenario
    for row in views.agreement_rows(fc.record, sc):
        for p in row.probabilities.values():
            assert f"<b>{p}</b>" in page
        for b in row.blockers:
            assert b.replace("'", "&#39;") in page
    for row in views.issue_rows(fc.record, sc):
        assert row.cells[0].median in page and row.cells[0].i80 in page
    from accord.present import deal as words

    deal = fc.record.results.deal  # the deal space's one-sentence answer, on the same draws
    assert words.headline(deal, sc).replace("'", "&#39;") in page
    assert f'href="/scenarios/{MUSCAT}/deal"' in page
    assert 'data-figure="dist-missiles"' in page and "/static/plotly.min.js" in page
    # a slider for every uncertain number the scenario sets, named by its path
    assert 'name="actors.iran.stances.missiles.red_line.max"' in page
    assert 'name="actors.us.outside_option.value"' in page


def test_forecast_page_of_a_dynamic_model_and_a_variant(client) -> None:
    page = html(client, f"/scenarios/{MUSCAT}/forecast?model=bdm&runs=1&variant=oman-steps-back")
    assert "traj-bdm-agenda" in page and "variant: oman-steps-back" in page


def test_whatif_fragment(client) -> None:
    body = {"models": "compromise", "runs": 300, "seed": 2,
            "changes": {"actors.us.outside_option.value": 0}}  # fmt: skip
    r = client.post(f"/scenarios/{MUSCAT}/whatif", json=body)
    assert r.status_code == 200
    data = r.json()
    assert 'data-label="P(escalation)"' in data["html"]
    assert set(data["figures"]) == {"whatif-agreement", "whatif-issues"}
    assert data["record"]["results"]["kind"] == "compare"
    bad = dict(body, changes={"actors.us.stances.missiles.red_line.min": 99})
    err = client.post(f"/scenarios/{MUSCAT}/whatif", json=bad).json()["error"]
    assert err["problems"][0]["field"].startswith("actors.us.stances.missiles.red_line")


def test_scenario_pages(client) -> None:
    page = html(client, "/scenarios")
    assert MUSCAT in page and "ec-car-emissions" in page
    page = html(client, f"/scenarios/{MUSCAT}")
    assert 'lang="ar" dir="rtl">إيران</bdi>' in page
    assert 'class="quote" lang="ar"' in page  # Arabic evidence, in its own language
    page = html(client, f"/scenarios/{MUSCAT}/edit")
    assert 'name="actors.us.stances.missiles.salience"' in page and "textarea" in page
    page = html(client, f"/scenarios/{MUSCAT}/sensitivity?method=morris&n=3&seed=1")
    assert 'data-figure="sensitivity"' in page and "mu*" in page


def test_concessions_page(client) -> None:
    page = html(client, f"/scenarios/{MUSCAT}/deal?runs=300&seed=2")
    assert "One change alone" in page and "Cheapest single change" in page
    html(client, f"/scenarios/{MUSCAT}/deal?runs=many", status=422)
    html(client, f"/scenarios/{MUSCAT}/deal?variant=nope", status=422)


def test_a_deal_space_left_out_says_why_on_both_pages(client, monkeypatch) -> None:
    monkeypatch.setattr("accord.runs.forecast.MAX_DEAL_DECIDERS", 1)  # Muscat has two deciders
    page = " ".join(html(client, f"/scenarios/{MUSCAT}/forecast?runs=1&model=median").split())
    assert "Deal space</h2>" in page
    assert "Left out: 2 deciders, more than the 1 a deal space is worked out for" in page
    page = " ".join(html(client, f"/scenarios/{MUSCAT}/deal?runs=1", status=422).split())
    assert "no deal space to work on: 2 deciders" in page.lower()


def test_history_page(client) -> None:
    page = html(client, f"/scenarios/{MUSCAT}/history?runs=200&seed=5")
    assert 'data-figure="history-probabilities"' in page and "2026-02-26" in page
    assert "(stored)" in html(client, f"/scenarios/{MUSCAT}/history?runs=200&seed=5")
    html(client, f"/scenarios/{MUSCAT}/history?runs=1", status=422)
    html(client, "/scenarios/nope/history", status=404)


def test_backtests_page(client) -> None:
    page = html(client, "/backtests?models=compromise,median")
    assert "mean abs. error" in page and "ec-car-emissions" in page and "Brier" in page


def test_runs_pages() -> None:
    with client_for() as c:
        assert "No runs yet" in html(c, "/runs")
        run_id = c.post("/api/runs", json={"kind": "forecast", "runs": 200, "seed": 1}).json()["id"]
        end = time.monotonic() + 60
        while c.get(f"/api/runs/{run_id}").json()["status"] != "complete":
            assert time.monotonic() < end
            time.sleep(0.05)
        assert f'href="/runs/{run_id}"' in html(c, "/runs")
        page = html(c, f"/runs/{run_id}")
        assert 'data-figure="agreement"' in page and "seed 1" in page
        html(c, "/runs/424242", status=404)
        k = c.post("/api/runs", json={"kind": "concessions", "runs": 200, "seed": 1}).json()["id"]
        while c.get(f"/api/runs/{k}").json()["status"] != "complete":
            assert time.monotonic() < end + 60
            time.sleep(0.05)
        assert "Cheapest single change" in html(c, f"/runs/{k}")


def test_error_pages_are_pages(client) -> None:
    page = html(client, "/scenarios/no-such/forecast", status=404)
    assert "no scenario" in page.lower()
    page = html(client, f"/scenarios/{MUSCAT}/forecast?runs=999999999", status=422)
    assert "limit" in page
    html(client, f"/scenarios/{MUSCAT}/forecast?runs=lots", status=422)
    html(client, f"/scenarios/{MUSCAT}/forecast?model=nope", status=422)
    html(client, f"/scenarios/{MUSCAT}/sensitivity?output=nope", status=422)
    html(client, "/nowhere", status=404)


def test_import_accord_cli_loads_no_web_framework() -> None:
    code = ("import sys, accord.cli; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('fastapi', 'uvicorn', 'starlette', 'plotly')]; print(bad); sys.exit(bool(bad))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_accord_serve_starts_with_no_configuration(tmp_path) -> None:
    """`accord serve` on loopback, its store under a fresh home: the home page is the Muscat
    forecast."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    import os

    env = {**os.environ, **env}
    env.pop("ACCORD_DB", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "accord", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        first = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first, first
        db = tmp_path / "data" / "accord" / "accord.db"  # the embedded SQLite store, by default
        assert str(db) in first and db.exists(), first
        end = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as r:
                    page = r.read().decode()
                    final = r.url
                break
            except OSError:
                assert time.monotonic() < end and proc.poll() is None, "the server did not come up"
                time.sleep(0.2)
        assert final.endswith(f"/scenarios/{MUSCAT}/forecast")
        assert "US–Iran nuclear talks in Muscat" in page
        # another name for this machine (DNS rebinding) is not answered
        bad = urllib.request.Request(f"http://127.0.0.1:{port}/api/scenarios",
                                     headers={"Host": "attacker.example"})  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bad, timeout=30)
        assert refused.value.code == 400
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize("path", ["/static/app.css", "/static/app.js", "/static/plotly.min.js"])
def test_assets_are_served_from_the_packages(client, path) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["cache-control"].startswith("public")
    assert client.get("/static/..%2F..%2Fpyproject.toml").status_code == 404
    assert client.get("/static/nothing.js").status_code == 404
