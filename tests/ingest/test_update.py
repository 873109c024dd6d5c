"""A second article drafted into an existing scenario: a dated update that proposes changes and
adds evidence, checked against the scenario; the scenario file itself never changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from accord.cli import main
from accord.ingest.draft import draft
from accord.ingest.read import article_from_bytes
from accord.ingest.update import append_update, check_update, propose_update
from accord.scenario import builtin_path, load, whatif

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "ingest" / "articles"
MUSCAT = builtin_path("us-iran-muscat-2026")


def _draft(text: str):
    return draft([article_from_bytes(text.encode("utf-8"), "news.txt")], date=dt.date(2026, 2, 15))


def test_confirmations_become_evidence_and_reversals_proposals():
    sc = load(MUSCAT)
    # Iran now asks for a wider agenda (the scenario has it at the nuclear-only end), Oman is
    # named as mediator again, Qatar is new
    d = _draft(
        "Talks between Iran and the United States resumed in Muscat, mediated by Oman. "
        "Iran now seeks to widen the agenda of the talks, while the United States insists on "
        "limits on enrichment. Qatar welcomed the talks."
    )
    record, dropped = check_update(sc, propose_update(sc, d))
    assert dropped == []
    assert record["as_of"] == dt.date(2026, 2, 15)
    old = sc.actor("iran").stances["agenda"].position
    assert old < 50 and record["set"]["actors.iran.stances.agenda.position"] > 50
    paths = {e["path"]: e for e in record["evidence"]}
    assert "reads the other way" in paths["actors.iran.stances.agenda.position"]["note"]
    assert "confirms" in paths["actors.us.stances.enrichment.position"]["note"]
    assert (
        "actors.us.stances.enrichment.position" not in record["set"]
    )  # a confirmation changes nothing
    assert any("Qatar" in n and "new actor" in n for n in record["notes"])
    # the proposals apply as a what-if and keep the scenario valid
    assert whatif(sc, record["set"]).scenario.actor("iran").stances["agenda"].position > 50
    # every source the evidence cites is in the update
    assert {e["source"] for e in record["evidence"]} <= {s["id"] for s in record["sources"]}


def test_a_change_that_would_break_the_scenario_is_dropped_with_its_reason():
    sc = load(MUSCAT)
    d = _draft("Talks between Iran and the United States. Iran rejects limits on enrichment.")
    record = propose_update(sc, d)
    record["set"]["actors.iran.stances.agenda.salience"] = 250  # out of range
    kept, dropped = check_update(sc, record)
    assert "actors.iran.stances.agenda.salience" not in kept["set"]
    assert dropped and "actors.iran.stances.agenda.salience" in dropped[0]
    assert dropped[0] in kept["notes"]


def test_cli_into_writes_a_new_file_with_the_update_and_keeps_the_original(tmp_path, capsys):
    original = MUSCAT.read_text("utf-8")
    target = tmp_path / "muscat.yaml"
    target.write_text(original, encoding="utf-8")
    out = tmp_path / "muscat-updated.yaml"
    into = ["draft", str(ARTICLES / "h8_iran_us_rome_2025.txt"), "--into", str(target)]
    # dated after the scenario's last update (26 February 2026), as the format requires
    code = main([*into, "-o", str(out), "--date", "2026-03-01"])
    assert code == 0, capsys.readouterr().err
    assert target.read_text("utf-8") == original  # never overwritten
    text = out.read_text("utf-8")
    assert text.startswith(original.rstrip("\n"))  # comments and layout kept
    update = yaml.safe_load(text)["updates"][-1]
    assert set(update) == {"as_of", "title", "sources", "set", "evidence", "notes"}
    assert update["as_of"] == dt.date(2026, 3, 1)
    from accord.scenario import load

    assert load(out).updates[-1].as_of == dt.date(2026, 3, 1)  # the typed format reads it
    assert update["evidence"] and all(
        e["quote"] in (ARTICLES / "h8_iran_us_rome_2025.txt").read_text("utf-8")
        for e in update["evidence"]
    )
    # refuses to write over the scenario it updates
    code = main([*into, "-o", str(target)])
    assert code == 1 and "--output is the --into file" in capsys.readouterr().err
    assert target.read_text("utf-8") == original


def test_append_to_a_file_that_already_has_updates():
    base = "id: x\ntitle: y\nupdates:\n- as_of: 2026-01-01\n  title: first\n"
    rec = {
        "as_of": dt.date(2026, 2, 1),
        "title": "second",
        "sources": [],
        "set": {},
        "evidence": [],
        "notes": [],
    }
    text = append_update(base, rec)
    assert [u["title"] for u in yaml.safe_load(text)["updates"]] == ["first", "second"]
    assert text.startswith(base)
