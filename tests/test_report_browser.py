"""The HTML report in a real browser: headless Chromium, network off, every chart rendered.

Needs Debian's ``chromium`` package (``apt-get install -y chromium``) and Playwright from PyPI (the
``test`` extra); Playwright drives the system Chromium through ``executable_path`` and never
downloads a browser. Skips, saying why, only when Chromium cannot be found.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import accord
from accord.present.report import report_html
from accord.runs.forecast import forecast
from accord.runs.sensitivity import sensitivity

# the launcher script first, then the binary it wraps, then other distributions' names
_CANDIDATES = ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "chromium", "chromium-browser")
_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str | None:
    env = os.environ.get("ACCORD_CHROMIUM")
    for cand in ((env,) if env else ()) + _CANDIDATES:
        path = cand if os.path.isabs(cand) else shutil.which(cand)
        if path and os.access(path, os.X_OK):
            return path
    return None


@pytest.fixture(scope="module")
def browser_path() -> str:
    path = _chromium()
    if path is None:
        pytest.skip(
            "Chromium not found (install Debian's 'chromium' package, or set ACCORD_CHROMIUM)"
        )
    return path


def test_report_renders_offline_with_every_plot(browser_path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    # the built-in case: Arabic evidence, sources with URLs, a dynamic model (BDM) for the bands
    fc = forecast(accord.load("us-iran-muscat-2026"), "compromise,bdm", runs=200, seed=3)
    sens = sensitivity(fc.scenario, "compromise", method="morris", output="agreement", n=10, seed=0)
    page_file = tmp_path / "report.html"
    page_file.write_text(report_html(fc, sens), encoding="utf-8")

    attempted: list[str] = []
    with sync_playwright() as pw:
        # a persistent context is how Playwright takes --user-data-dir: a fresh profile in tmp
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=browser_path,
            headless=True,
            args=_ARGS,
            offline=True,
            viewport={"width": 1280, "height": 900},
        )
        try:

            def local(url: str) -> bool:
                return url.startswith(("file://", "data:"))

            def route(r) -> None:
                if local(r.request.url):
                    r.continue_()
                else:  # anything else would be a network fetch: block it and remember it
                    attempted.append(r.request.url)
                    r.abort()

            def seen(request) -> None:  # requests that bypass routing (e.g. prefetches) count too
                if not local(request.url) and request.url not in attempted:
                    attempted.append(request.url)

            context.route("**/*", route)
            page = context.new_page()
            page.on("request", seen)
            page.goto(page_file.as_uri(), wait_until="load")
            images = page.eval_on_selector_all(
                "figure img",
                "els => els.map(e => ({id: e.closest('figure').id, complete: e.complete,"
                " w: e.naturalWidth, h: e.naturalHeight, box: e.getBoundingClientRect().width}))",
            )
            rtl = page.eval_on_selector_all(
                ".quote[lang=ar]", "els => els.map(e => getComputedStyle(e).direction)"
            )
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            context.close()

    assert attempted == [], f"the report tried to reach the network: {attempted}"
    ids = {img["id"] for img in images}
    expected = {"plot-agreement", "plot-zone", "plot-distributions", "plot-sensitivity"} | {
        f"plot-bands-{m.name}" for m in fc.models.values() if m.result.n_steps > 1
    }
    assert expected <= ids, f"missing charts: {expected - ids}"
    for img in images:
        assert img["complete"] and img["w"] > 0 and img["h"] > 0 and img["box"] > 0, (
            f"not rendered: {img}"
        )
    assert rtl and set(rtl) == {"rtl"}, "Arabic quotes must read right to left"
    assert shot.stat().st_size > 10_000
