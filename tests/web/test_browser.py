"""The dashboard in a real browser: Debian's Chromium driven by Playwright (from PyPI; never
``playwright install``), against a real server on loopback, with every non-loopback request
blocked and recorded (the pages must work with the network off).

Screenshots of each page at laptop and phone width are kept under ``tmp/artifacts/web/`` (or
``$ACCORD_ARTIFACTS/web``) for people to look at. Skips, saying why, only without Chromium.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.test_report_browser import _chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("ACCORD_ARTIFACTS") or ROOT / "tmp" / "artifacts") / "web"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
MUSCAT = "us-iran-muscat-2026"


@pytest.fixture(scope="module")
def server():
    """A real uvicorn server on a free loopback port, stopped after the module."""
    import uvicorn

    from accord.web import create_app
    from accord.web.settings import Settings
    from tests.web.conftest import fresh_db

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(
            create_app(Settings(db=fresh_db())), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < end, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    path = _chromium()
    if path is None:
        pytest.skip("Chromium not found (install Debian's 'chromium' package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=ARGS)
        yield b
        b.close()


class Offline:
    """A browser context that lets only loopback requests through and remembers the others."""

    def __init__(self, browser, viewport):
        self.context = browser.new_context(viewport=viewport)
        self.attempted: list[str] = []
        self.context.route("**/*", self._route)

    @staticmethod
    def local(url: str) -> bool:
        u = urlparse(url)
        return u.scheme in ("data", "blob", "about") or u.hostname in ("127.0.0.1", "localhost")

    def _route(self, route) -> None:
        if self.local(route.request.url):
            route.continue_()
        else:
            self.attempted.append(route.request.url)
            route.abort()

    def page(self):
        page = self.context.new_page()
        page.on("request", lambda r: None if self.local(r.url) else self.attempted.append(r.url))
        page.on("pageerror", lambda e: self.attempted.append(f"script error: {e}"))
        return page

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def charts_drawn(page) -> list[dict]:
    return page.eval_on_selector_all(
        "[data-figure]",
        "els => els.map(e => ({id: e.dataset.figure, svg: !!e.querySelector('svg.main-svg'),"
        " w: e.getBoundingClientRect().width, marks: e.querySelectorAll('.point, .trace').length}))",
    )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_forecast_page_renders_every_chart_offline(server, browser, viewport) -> None:
    with Offline(browser, viewport) as ctx:
        page = ctx.page()
        page.goto(f"{server}/scenarios/{MUSCAT}/forecast?model=compromise,bdm&runs=200&seed=1")
        page.wait_for_selector("html[data-ready='1']")
        page.wait_for_function(
            "[...document.querySelectorAll('[data-figure]')].every(e => e.querySelector('svg.main-svg'))"
        )
        charts = charts_drawn(page)
        expected = {"agreement"} | {f"dist-{i}" for i in
                                    ("agenda", "enrichment", "missiles", "proxies", "human_rights", "sanctions")}  # fmt: skip
        ids = {c["id"] for c in charts}
        assert expected <= ids, expected - ids
        assert any(c.startswith("traj-bdm-") for c in ids)  # the dynamic model's trajectories
        for c in charts:
            assert c["svg"] and c["marks"] > 0, c
            assert 0 < c["w"] <= viewport["width"], c  # nothing wider than the screen
        assert "do not overlap" in page.text_content("#deal-section .headline")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], "the page scrolls sideways"
        shot(page, f"forecast-{viewport['width']}")
    assert ctx.attempted == [], ctx.attempted


def test_what_it_would_take_page(server, browser) -> None:
    with Offline(browser, PHONE) as ctx:
        page = ctx.page()
        page.goto(f"{server}/scenarios/{MUSCAT}/deal?runs=500&seed=1")
        assert "Cheapest pair" in page.text_content("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "deal-390")
    assert ctx.attempted == [], ctx.attempted


def test_history_page_draws_its_charts(server, browser) -> None:
    with Offline(browser, PHONE) as ctx:
        page = ctx.page()
        page.goto(f"{server}/scenarios/{MUSCAT}/history?runs=200&seed=1")
        page.wait_for_function(
            "[...document.querySelectorAll('[data-figure]')].every(e => e.querySelector('svg.main-svg'))"
        )
        assert len(charts_drawn(page)) == 1 + 6
        shot(page, "history-390")
    assert ctx.attempted == [], ctx.attempted


def test_whatif_slider_changes_the_agreement_figures(server, browser) -> None:
    with Offline(browser, LAPTOP) as ctx:
        page = ctx.page()
        page.goto(f"{server}/scenarios/{MUSCAT}/forecast?runs=1000&seed=1")
        page.wait_for_selector("html[data-ready='1']")
        path = "actors.us.outside_option.value"
        page.eval_on_selector(
            f"input[name='{path}']",
            "el => { el.closest('details').open = true; el.value = el.min;"
            " el.dispatchEvent(new Event('input', {bubbles: true})); }",
        )
        page.wait_for_selector("#whatif-table", timeout=30_000)
        page.wait_for_function(
            "document.querySelector('#chart-whatif-agreement svg.main-svg') !== null"
        )
        rows = page.eval_on_selector_all(
            "#whatif-table .cmp-row",
            "rs => Object.fromEntries(rs.map(r => [r.dataset.label,"
            " [...r.querySelectorAll('.cmp-base, .cmp-delta')].map(c => c.textContent.trim())]))",
        )
        base, what = rows["P(escalation)"]
        assert base == "95.9%" and what.startswith("Δ −95.9 pts"), rows
        assert rows["P(stalemate)"][1].startswith("Δ +95.9 pts"), rows
        ms = int(page.eval_on_selector("#whatif", "el => el.dataset.roundTripMs"))
        assert ms > 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#whatif").screenshot(path=str(ARTIFACTS / "whatif-panel-1366.png"))
    assert ctx.attempted == [], ctx.attempted


def test_keep_a_run_follows_its_progress_to_the_runs_page(server, browser) -> None:
    with Offline(browser, LAPTOP) as ctx:
        page = ctx.page()
        page.goto(f"{server}/scenarios/{MUSCAT}/forecast?runs=200&seed=3")
        page.wait_for_selector("html[data-ready='1']")
        page.click("#keep-run")
        page.wait_for_url(re.compile(r".*/runs/\d+$"), timeout=30_000)
        assert "seed 3" in page.text_content("main")
        page.wait_for_function(
            "[...document.querySelectorAll('[data-figure]')].every(e => e.querySelector('svg.main-svg'))"
        )
    assert ctx.attempted == [], ctx.attempted


def test_invalid_edit_shows_the_message_at_the_field(server, browser) -> None:
    with Offline(browser, PHONE) as ctx:
        page = ctx.page()
        page.goto(f"{server}/scenarios/{MUSCAT}/edit")
        page.wait_for_selector("html[data-ready='1']")
        path = "actors.us.stances.missiles.salience"
        page.fill(f"input[name='{path}']", "150")
        page.click("#edit-form button[type=submit]")
        field = page.wait_for_selector(f".field.invalid[data-field='{path}']")
        message = field.query_selector(".message").text_content()
        assert "100" in message and "salience" in message.lower(), message
        assert page.url.endswith("/edit")  # nothing was saved
        field.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "edit-invalid-390.png"))
    assert ctx.attempted == [], ctx.attempted


def test_arabic_names_render_right_to_left(server, browser) -> None:
    with Offline(browser, LAPTOP) as ctx:
        page = ctx.page()
        page.goto(f"{server}/scenarios/{MUSCAT}")
        names = page.eval_on_selector_all(
            ".other-name[lang=ar]",
            "els => els.map(e => ({text: e.textContent, dir: getComputedStyle(e).direction}))",
        )
        assert names and {n["dir"] for n in names} == {"rtl"}
        assert any(n["text"] == "إيران" for n in names)
        quotes = page.eval_on_selector_all(
            "blockquote.quote[lang=ar]", "els => els.map(e => getComputedStyle(e).direction)"
        )
        assert quotes and set(quotes) == {"rtl"}
        shot(page, "scenario-1366")
        page.set_viewport_size(PHONE)
        shot(page, "scenario-390")
    assert ctx.attempted == [], ctx.attempted
