"""The static charts: PNG and SVG files written, non-empty, the size asked for, nothing at import."""

from __future__ import annotations

import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from accord.errors import ParameterError
from accord.present.plots._figure import DPI, render
from accord.present.plots.agreement import agreement_chart, agreement_figure
from accord.present.plots.bands import band_quantiles, bands_chart, bands_figure
from accord.present.plots.distributions import deciders, distributions_chart
from accord.present.plots.sensitivity import sensitivity_chart
from accord.runs.sensitivity import SensitivityProblem, analyse_function
from accord.scenario import Scenario

SCENARIO = Scenario.model_validate(
    {
        "id": "plots",
        "title": "Plot test",
        "issues": [
            {"id": "x", "name": "Issue X", "scale": {0: "none", 100: "all"}, "status_quo": 10},
            {"id": "y", "name": "Issue Y", "scale": {0: "none", 10: "all"}, "status_quo": 5},
        ],
        "actors": [
            {
                "id": "a",
                "name": "Alpha",
                "role": "principal",
                "capability": 2,
                "stances": {
                    "x": {"position": 20, "salience": 50},
                    "y": {"position": 2, "salience": 50},
                },
            },
            {
                "id": "b",
                "name": "Beta",
                "role": "principal",
                "capability": 1,
                "stances": {"x": {"position": 80, "salience": 50}},
            },
            {
                "id": "c",
                "name": "Gamma",
                "capability": 1,
                "stances": {"y": {"position": 8, "salience": 20}},
            },
        ],
    }
)
RNG = np.random.default_rng(0)
OUTCOMES = {
    "m1": np.column_stack([RNG.normal(40, 5, 200), RNG.uniform(0, 10, 200)]),
    "m2": np.column_stack([RNG.normal(60, 5, 200), RNG.uniform(0, 10, 200)]),
}
HISTORY = RNG.uniform(0, 10, (50, 6, 3, 2))  # (draws, steps, actors, issues)
PROBS = {"m1": {"agreement": 0.5, "stalemate": 0.3, "escalation": 0.2}, "m2": {"agreement": 1.0}}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def svg_root(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert root.tag.endswith("svg")
    return root


@pytest.fixture(scope="module")
def sens_results():
    prob = SensitivityProblem.of({"x1": (0, 1), "x2": (0, 2), "x3": (0, 1)})
    f = lambda X: 3 * X[:, 0] + X[:, 1] * X[:, 2]  # noqa: E731
    return {
        "sobol": analyse_function(prob, f, method="sobol", n=64, seed=0),
        "morris": analyse_function(prob, f, method="morris", n=10, seed=0),
    }


#: pixels at DPI 100: panels are 4.2 × 3 inches (at least 6.4 wide), bars 0.55 (agreement) or
#: 0.32 (sensitivity) inches per row, plus room for titles and legends
SIZES = {
    "distributions": (840, 380),
    "distributions-one": (640, 380),
    "bands": (840, 370),
    "agreement": (800, 230),
    "sobol": (800, 246),
    "morris": (800, 246),
    "tornado": (800, 246),
}


def _charts(sens_results):
    return {
        "distributions": lambda p: distributions_chart(SCENARIO, OUTCOMES, p),
        "distributions-one": lambda p: distributions_chart(
            SCENARIO, OUTCOMES["m1"], p, issues=["y"]
        ),
        "bands": lambda p: bands_chart(
            HISTORY, ["a", "b", "c"], ["x", "y"], p, outcome=HISTORY[:, :, 0, :]
        ),
        "agreement": lambda p: agreement_chart(PROBS, p, runs=200),
        "sobol": lambda p: sensitivity_chart(sens_results["sobol"], p),
        "morris": lambda p: sensitivity_chart(sens_results["morris"], p),
        "tornado": lambda p: sensitivity_chart(sens_results["sobol"], p, kind="tornado"),
    }


@pytest.mark.parametrize(
    "chart",
    ["distributions", "distributions-one", "bands", "agreement", "sobol", "morris", "tornado"],
)
def test_png_and_svg_are_written_at_the_figure_size(
    chart: str, sens_results, tmp_path: Path
) -> None:
    draw = _charts(sens_results)[chart]
    png, svg = tmp_path / f"{chart}.png", tmp_path / f"{chart}.svg"
    assert draw(png) == png and draw(svg) == svg
    w, h = png_size(png)
    root = svg_root(svg)
    # the SVG is w × h in points (72 per inch), the PNG the same inches at DPI pixels per inch
    sw, sh = (float(root.get(k).removesuffix("pt")) for k in ("width", "height"))
    assert (w, h) == (round(sw / 72 * DPI), round(sh / 72 * DPI))
    assert (w, h) == SIZES[chart]
    assert png.stat().st_size > 5_000 and svg.stat().st_size > 5_000


def test_panel_layout_grows_with_the_issues(tmp_path: Path) -> None:
    one = distributions_chart(SCENARIO, OUTCOMES, tmp_path / "one.png", issues=["x"])
    two = distributions_chart(SCENARIO, OUTCOMES, tmp_path / "two.png")
    assert png_size(two)[0] > png_size(one)[0]


def test_unknown_image_types_are_refused_before_drawing(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"\.png or \.svg"):
        agreement_chart(PROBS, tmp_path / "chart.pdf")
    assert not (tmp_path / "chart.pdf").exists()


def test_svg_output_is_deterministic() -> None:
    assert render(agreement_figure(PROBS), "svg") == render(agreement_figure(PROBS), "svg")


def test_bands_from_history_or_from_quantiles_agree() -> None:
    q = band_quantiles(HISTORY)
    assert sorted(q) == [0.1, 0.5, 0.9] and q[0.5].shape == (6, 3, 2)
    np.testing.assert_allclose(q[0.5], np.median(HISTORY, axis=0))
    a = render(bands_figure(HISTORY, ["a", "b", "c"], ["x", "y"]), "svg")
    b = render(bands_figure(q, ["a", "b", "c"], ["x", "y"]), "svg")
    assert a == b


def test_bands_hide_actors_without_a_stance() -> None:
    has = np.array([[True, True], [True, False], [False, True]])
    fig = bands_figure(HISTORY, ["a", "b", "c"], ["x", "y"], has_stance=has)
    labels = [[line.get_label() for line in ax.get_lines()] for ax in fig.axes]
    assert labels == [["a", "b"], ["a", "c"]]


def test_the_deciders_are_marked_by_the_one_rule() -> None:
    """Veto players if any, else principals, else everyone (ScenarioArrays.deciders)."""
    from accord.scenario import to_arrays

    assert [a.id for a in deciders(SCENARIO)] == ["a", "b"]  # principals, no veto player
    vetoed = SCENARIO.with_changes({"actors.b.veto": True})
    assert [a.id for a in deciders(vetoed)] == ["b"]
    arrays = to_arrays(vetoed)
    assert [a for a, d in zip(arrays.actor_ids, arrays.deciders, strict=True) if d] == ["b"]


def test_importing_the_plot_modules_does_not_import_matplotlib() -> None:
    code = (
        "import sys, accord.present.plots.distributions, accord.present.plots.bands, accord.present.plots.agreement, "
        "accord.present.plots.sensitivity; print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
