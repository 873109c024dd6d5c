"""The Deal space section of `accord forecast` and `accord concessions`, run as the real command."""

from __future__ import annotations

import json

from accord.cli import main


def run_at(width: int, args: list[str], capsys, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def section(out: str) -> list[str]:
    """The Deal space section's lines, from its title on."""
    lines = out.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("Deal space:"))
    return lines[start:]


def flat(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def test_the_deal_section_leads_with_the_answer_and_the_binding_pairs(capsys, monkeypatch):
    out = run_at(
        100, ["forecast", "--runs", "1000", "--seed", "1", "-m", "nash"], capsys, monkeypatch
    )
    lines = section(out)
    assert lines[0] == "Deal space: is there a package both deciders accept?"
    # the first sentence (wrapped over a few lines) answers, and names the pairs with their shares
    first = flat(lines[1:5]).split(". ")[0]
    assert first.startswith("No package that both deciders (United States and Iran) accept exists")
    assert "Scope of the agenda (United States ≥ 50 vs Iran ≤ 25, in 9" in first
    assert "Ballistic missile programme (United States ≥ 25 vs Iran ≤ 10, in 9" in first
    text = flat(lines)
    assert "escalatory outside option at 0.40" in text and "not a model forecast" in text
    assert "accord concessions us-iran-muscat-2026" in text


def test_where_a_zone_exists_the_section_shows_it_and_the_mediators_package(capsys, monkeypatch):
    args = ["forecast", "--variant", "us-drops-missiles-proxies", "--runs", "500", "--seed", "1"]
    out = run_at(120, [*args, "-m", "nash"], capsys, monkeypatch)
    text = flat(section(out))
    assert "A package that both deciders (United States and Iran) accept exists in " in text
    assert (
        "Zone of agreement" in text
        and "mediator's package: Kalai–Smorodinsky, carried by Oman" in text
    )
    for issue in ("Scope of the agenda", "Sanctions relief"):
        assert issue in text
    assert "United States: the package is worth" in text and "Iran: the package is worth" in text
    data = json.loads(run_at(120, [*args, "-m", "nash", "--json"], capsys, monkeypatch))
    deal = data["results"]["deal"]
    assert deal["probability"] > 0.9 and len(deal["issues"]) == 6 and deal["mediator"] == "oman"


def test_concessions_fits_80_columns_and_names_the_cheapest_pair(capsys, monkeypatch):
    out = run_at(80, ["concessions", "--runs", "300", "--seed", "1"], capsys, monkeypatch)
    assert "…" not in out
    assert not [line for line in out.splitlines() if len(line) > 80]
    text = " ".join(out.split())
    assert "What it would take: one change alone" in text
    assert "Cheapest pair, one change per side: United States: red line on" in text
    assert "Every share is on the same 300 draws" in text


def test_concessions_json_composes_with_variant_and_set(capsys, monkeypatch):
    args = [
        "concessions",
        "--variant",
        "us-drops-missiles-proxies",
        "--set",
        "actors.iran.stances.enrichment.red_line.max=25",
        "--runs",
        "200",
        "--seed",
        "4",
        "--json",
    ]
    data = json.loads(run_at(100, args, capsys, monkeypatch))
    assert data["results"]["kind"] == "concessions"
    assert data["scenario"]["variant"] == "us-drops-missiles-proxies"
    assert any(c["origin"] == "set" for c in data["scenario"]["changes"])
    assert data["results"]["singles"][0]["levers"][0]["issue"] == "enrichment"


def test_plot_zone_writes_the_chart(capsys, monkeypatch, tmp_path):
    png = tmp_path / "zone.png"
    args = [
        "plot",
        "zone",
        "--variant",
        "us-drops-missiles-proxies",
        "--runs",
        "200",
        "--seed",
        "1",
    ]
    out = run_at(100, [*args, "-o", str(png)], capsys, monkeypatch)
    assert "wrote" in out and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
