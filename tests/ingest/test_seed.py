"""Acceptance on the seed: who is a party and in what role, what is not, the issues, the stances'
directions, each fact once despite the body printed twice, the JCPOA date flagged, a valid file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from accord.ingest.draft import draft
from accord.ingest.emit import review_items, scenario_yaml
from accord.scenario import load_text

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "000_ffe160eaa71000c4.txt"


@pytest.fixture(scope="module")
def seed():
    return draft([SEED])


@pytest.fixture(scope="module")
def seed_yaml(seed):
    return scenario_yaml(seed)


def test_roles(seed):
    roles = {a.id: a.role for a in seed.actors}
    assert roles["us"] == roles["iran"] == "principal"
    assert roles["oman"] == "mediator"
    for stakeholder in ("israel", "uae", "arab_islamic"):
        assert roles[stakeholder] == "stakeholder"
    assert [a for a, r in roles.items() if r == "principal"] == ["us", "iran"]


def test_venues_and_the_platform_are_no_parties(seed):
    parties = {a.id for a in seed.actors}
    why = {n.id: n.why for n in seed.non_parties}
    assert why["turkey"] == "failed_venue" and why["italy"] == "failed_venue"  # "Turkey and Rome"
    assert why["gate"] == "platform"
    assert not {"turkey", "italy", "gate"} & parties
    # the venue sentence is the one that names them
    turkey = next(n for n in seed.non_parties if n.id == "turkey")
    assert "تركيا وروما" in turkey.sentences[0].text


def test_issues(seed):
    assert set(seed.issues) >= {
        "agenda",
        "enrichment",
        "missiles",
        "proxies",
        "human_rights",
        "sanctions",
    }


def test_agenda_stances_point_the_right_way(seed):
    us, iran = seed.actor("us"), seed.actor("iran")
    assert us.facts["agenda"].direction == 1  # widen the scope to missiles, proxies, human rights
    assert iran.facts["agenda"].direction == -1  # nuclear issues only
    assert iran.facts["enrichment"].direction == -1 and iran.facts["enrichment"].red_line
    assert iran.facts["missiles"].direction == -1 and iran.facts["missiles"].red_line
    assert us.facts["missiles"].direction == 1
    assert us.threats and us.threats[0].what == "threat"  # ready to use force if talks collapse


def test_each_fact_once_with_all_its_places(seed):
    assert seed.sources[0].repeats == 27  # the run-together first line repeats every sentence
    texts = [s.text for s in seed.sentences]
    assert len(texts) == len(set(texts)) == 27
    for fact in seed.facts:
        ids = [s.id for s in fact.sentences]
        assert len(ids) == len(set(ids))
        for s in fact.sentences:
            assert len(s.places) == 2 and s.places[0].line == 1 and s.places[1].line > 4


def test_jcpoa_date_flagged(seed, seed_yaml):
    flag = next(f for f in seed.flags if f.fact == "us_jcpoa_exit")
    assert flag.said == ["2015"] and str(flag.known) == "2018-05-08"
    assert "(JCPOA) في 2015" in flag.sentence.text
    data = yaml.safe_load(seed_yaml)
    assert any("FLAG" in n and "8 May 2018" in n for n in data["notes"])
    assert "8 May 2018" in data["sources"][0]["note"]


def test_yaml_is_a_valid_scenario_with_verbatim_quotes(seed_yaml):
    sc = load_text(seed_yaml, source="draft")
    article = SEED.read_text("utf-8")
    quotes = [ev.quote for a in sc.actors for st in a.stances.values() for ev in st.evidence] + [
        ev.quote for i in sc.issues for ev in i.evidence
    ]
    assert quotes
    for q in quotes:
        assert q in article  # verbatim, in the original language
    # an Arabic quote carries an English reading, marked as the rule's, not a translation
    ev = sc.actor("iran").stances["agenda"].evidence[0]
    assert ev.gloss.startswith("[rule reading") and "Iran" in ev.gloss


def test_numbers_are_marked_drafted_and_review_is_least_confident_first(seed, seed_yaml):
    sc = load_text(seed_yaml, source="draft")
    for a in sc.actors:
        assert a.note.startswith("DRAFTED")
        for st in a.stances.values():
            assert all("DRAFTED" in ev.note for ev in st.evidence)
    items = review_items(seed)
    confidences = [r.confidence for r in items]
    assert confidences == sorted(confidences)
    review_notes = [n for n in sc.notes if n.startswith("REVIEW")]
    assert len(review_notes) == len(items)
    assert review_notes[0].startswith("REVIEW [0.10]")  # the factual flag comes first
