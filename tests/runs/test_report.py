"""The HTML report: self-contained (nothing fetched), every chart embedded, inputs and sources shown."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from accord.cli import main
from accord.errors import ParameterError
from accord.present import formats
from accord.present.report import report_html, write_report
from accord.runs.forecast import forecast
from accord.runs.sensitivity import sensitivity
from accord.scenario import Scenario

ARABIC = "تصر إيران على أن يتم مناقشة القضايا النووية فقط"
TOY = {
    "id": "report-toy",
    "title": "Report toy <b>& friends</b>",
    "as_of": "2026-02-06",
    "description": "Two parties and a mediator.",
    "sources": [
        {
            "id": "wire",
            "title": "Wire report",
            "language": "en",
            "url": "https://example.org/story",
        },
        {"id": "ar", "title": "مقال", "language": "ar", "file": "article.txt"},
    ],
    "issues": [
        {
            "id": "scope",
            "name": "Scope",
            "scale": {0: "narrow", 100: "wide"},
            "status_quo": 0,
            "evidence": [
                {"source": "ar", "quote": ARABIC, "gloss": "Iran insists on nuclear issues only."}
            ],
        },
        {"id": "relief", "name": "Relief", "scale": {0: "none", 100: "all"}, "status_quo": 10},
    ],
    "actors": [
        {
            "id": "us",
            "name": "United States",
            "role": "principal",
            "veto": True,
            "capability": 100,
            "outside_option": {"kind": "escalation", "value": 40, "value_range": [30, 50]},
            "stances": {
                "scope": {
                    "position": 90,
                    "salience": 70,
                    "position_range": [70, 100],
                    "red_line": {"min": 40},
                    "evidence": [
                        {
                            "source": "wire",
                            "quote": "Washington wants everything on the table.",
                            "note": "why 90",
                        }
                    ],
                },
                "relief": {"position": 30, "salience": 50},
            },
        },
        {
            "id": "iran",
            "name": "Iran",
            "role": "principal",
            "veto": True,
            "capability": 50,
            "outside_option": {"kind": "walk_away", "value": 55},
            "stances": {
                "scope": {"position": 0, "salience": 90, "red_line": {"max": 30}},
                "relief": {"position": 90, "salience": 80},
            },
        },
        {
            "id": "oman",
            "name": "Oman",
            "role": "mediator",
            "capability": 10,
            "stances": {
                "scope": {"position": 30, "salience": 40},
                "relief": {"position": 50, "salience": 40},
            },
        },
    ],
    "variants": [
        {
            "id": "soft",
            "rationale": "the US softens",
            "set": {"actors.us.stances.scope.position": 75},
        }
    ],
}


class Refs(HTMLParser):
    """Collects every src/href and the ids of the figures."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.figures: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        d = dict(attrs)
        for k in ("src", "href", "srcset", "action", "poster", "data"):
            if k in d:
                self.refs.append((tag, k, d[k] or ""))
        if tag == "figure":
            self.figures.append(d.get("id", ""))


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Scenario.model_validate(TOY)


@pytest.fixture(scope="module")
def html(scenario: Scenario) -> str:
    fc = forecast(scenario, "compromise,bdm", runs=64, seed=5)
    sens = sensitivity(scenario, "compromise", method="morris", n=6, seed=5)
    return report_html(fc, sens)


def test_the_report_is_self_contained(html: str) -> None:
    p = Refs()
    p.feed(html)
    for tag, attr, value in p.refs:
        ok = value.startswith("#") or value.startswith("data:image/svg+xml;base64,")
        assert ok, f"<{tag} {attr}={value[:60]!r}> would load something from outside the file"
    assert not {"script", "link", "iframe", "object", "embed"} & set(p.tags)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "@import" not in html and not re.search(r"url\(", html)


def test_every_chart_is_embedded_and_is_valid_svg(html: str) -> None:
    p = Refs()
    p.feed(html)
    assert p.figures == [
        "plot-agreement",
        "plot-zone",
        "plot-distributions",
        "plot-bands-bdm",
        "plot-sensitivity",
    ]
    images = [v for tag, attr, v in p.refs if tag == "img"]
    assert len(images) == 5
    for uri in images:
        svg = base64.b64decode(uri.split(",", 1)[1])
        assert ET.fromstring(svg).tag.endswith("svg")


def test_inputs_sources_and_evidence_are_shown(html: str, scenario: Scenario) -> None:
    for actor in scenario.actors:
        assert actor.name in html
    for issue in scenario.issues:
        assert issue.name in html
    assert "70–100" in html  # a sampled range
    assert "red line 40–" in html and "red line –30" in html
    assert "Washington wants everything on the table." in html and "why 90" in html
    # the Arabic quote, marked so it renders right to left
    assert re.search(r'<p class="quote" dir="auto" lang="ar">' + ARABIC, html)
    assert "https://example.org/story" in html  # shown as text, not a link
    assert "the US softens" in html


def test_the_forecast_numbers_are_in_the_report(scenario: Scenario, html: str) -> None:
    fc = forecast(scenario, "compromise,bdm", runs=64, seed=5)
    isf = fc.models["bdm"].issues["scope"]
    lo, hi = isf.interval(0.8)
    # the numbers in the one format every interface uses (accord.present.formats)
    assert f"<strong>{formats.number(isf.median)}</strong> {formats.interval(lo, hi)}" in html
    p = fc.models["compromise"].probabilities["escalation"]
    assert formats.share(p) in html
    assert "64 draws" in html and "seed 5" in html


def test_text_is_escaped(html: str) -> None:
    assert "Report toy &lt;b&gt;&amp; friends&lt;/b&gt;" in html
    assert "<b>& friends</b>" not in html


def test_a_single_run_report(scenario: Scenario) -> None:
    fc = forecast(scenario, "compromise,bdm")
    text = report_html(fc)
    assert "one run on the scenario's own numbers" in text and 'id="plot-bands-bdm"' in text
    assert 'id="sensitivity"' not in text


def test_write_report_and_the_cli(scenario: Scenario, tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="html"):
        write_report(scenario, tmp_path / "report.pdf")
    out = write_report(
        scenario,
        tmp_path / "r.html",
        models="compromise",
        runs=32,
        seed=1,
        variant="soft",
        sensitivity_method="sobol",
        sensitivity_n=8,
    )
    text = out.read_text(encoding="utf-8")
    assert "variant <code>soft</code>" in text and 'id="plot-sensitivity"' in text
    target = tmp_path / "cli.html"
    code = main(
        [
            "report",
            "us-iran-muscat-2026",
            "-o",
            str(target),
            "--model",
            "compromise,bdm",
            "--runs",
            "50",
            "--seed",
            "2",
            "--sensitivity-model",
            "compromise",
            "--sensitivity-n",
            "4",
        ]
    )
    assert code == 0 and target.stat().st_size > 50_000
    assert main(["report", "-o", str(tmp_path / "x.txt")]) == 1


def test_a_stored_record_renders_the_same_report(scenario: Scenario) -> None:
    """The report is built from run records alone: one read back from JSON (as the store keeps
    it) gives the same page as the live forecast."""
    from accord.runs.records import RunRecord

    fc = forecast(scenario, "compromise,bdm", runs=64, seed=5)
    stored = RunRecord.model_validate_json(fc.record.model_dump_json())
    assert report_html(stored, scenario=fc.scenario) == report_html(fc)
    single = forecast(scenario, "smp,nash")
    stored = RunRecord.model_validate_json(single.record.model_dump_json())
    assert report_html(stored, scenario=single.scenario) == report_html(single)
