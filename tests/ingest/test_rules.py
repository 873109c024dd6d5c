"""The rules on small made-up texts: subjects, directions, negation, red lines, venues, roles,
people by date, blocs, context aliases, dates and duplicates."""

from __future__ import annotations

import datetime as dt

from accord.ingest.draft import draft
from accord.ingest.read import article_from_bytes


def run(text: str, date: dt.date | None = None):
    return draft([article_from_bytes(text.encode("utf-8"), "t.txt")], date=date)


def stances(d) -> set[tuple[str, str, int]]:
    return {(a.id, i, f.direction) for a in d.actors for i, f in a.facts.items()}


def test_arabic_subject_follows_the_verb_and_contrast_splits_clauses():
    d = run(
        "طالبت حماس بوقف دائم لإطلاق النار، بينما رفضت إسرائيل إنهاء الحرب في المحادثات بين إسرائيل وحماس."
    )
    assert ("hamas", "ceasefire", 1) in stances(d)
    assert ("israel", "ceasefire", -1) in stances(d)


def test_refusal_and_not_negotiable_turn_the_direction():
    d = run(
        "Talks between Iran and the United States resumed. The United States wants Iran to give up "
        "enrichment. Iran said its right to enrich uranium is not negotiable."
    )
    assert ("us", "enrichment", 1) in stances(d)
    fact = d.actor("iran").facts["enrichment"]
    assert fact.direction == -1 and fact.red_line


def test_negation_before_the_term():
    d = run(
        "محادثات بين الولايات المتحدة وإيران. تصر إيران على أن الضغوط الخارجية لا ينبغي أن تفرض على سياساتها الداخلية."
    )
    assert ("iran", "human_rights", -1) in stances(d)


def test_still_is_not_a_negation_and_threats_make_outside_options():
    d = run(
        "محادثات بين الولايات المتحدة وإيران. تصر إيران على رفع العقوبات. لا تزال واشنطن مستعدة لاستخدام القوة إذا انهارت المفاوضات."
    )
    us = d.actor("us")
    assert us.threats and us.threats[0].what == "threat"


def test_a_city_that_hosts_is_a_venue_and_a_mediator_is_named_by_its_cue():
    d = run(
        "Talks between Egypt and Ethiopia were held in Geneva, mediated by the African Union. "
        "Egypt insists on a legally binding agreement on water releases during droughts."
    )
    roles = {a.id: a.role for a in d.actors}
    assert roles == {"egypt": "principal", "ethiopia": "principal", "au": "mediator"}
    assert {n.id: n.why for n in d.non_parties}["switzerland"] == "venue"


def test_a_person_stands_for_the_state_only_while_in_office():
    text = (
        "Zarif said Iran rejects any limits on enrichment in the talks between Iran and the P5+1."
    )
    on_2015 = run(text, dt.date(2015, 4, 1))
    assert ("iran", "enrichment", -1) in stances(on_2015)
    later = run(
        "Zarif rejects limits on enrichment. Talks between Iran and the United States go on.",
        dt.date(2023, 1, 1),
    )
    assert [name for name, _ in later.unmatched_people] == ["Mohammad Javad Zarif"]


def test_a_bloc_hands_its_stance_to_its_members_when_they_are_named():
    d = run(
        "France, Germany and the United Kingdom held talks with Iran. The E3 demanded that Iran "
        "allow inspectors back. Iran rejects the reimposition of sanctions."
    )
    ids = {a.id for a in d.actors}
    assert "e3" not in ids
    for member in ("france", "germany", "uk"):
        assert (member, "inspections", 1) in stances(d)
    alone = run(
        "Talks between the E3 and Iran: the E3 demanded access for inspectors, Iran refused inspections."
    )
    assert "e3" in {a.id for a in alone.actors}


def test_context_alias_the_army_only_in_a_text_about_sudan():
    sudan = run(
        "وقّع الجيش وقوات الدعم السريع اتفاقاً. وطالب الجيش بانسحاب قوات الدعم السريع من المستشفيات."
    )
    assert "saf" in {a.id for a in sudan.actors}
    other = run(
        "Talks between Israel and Hamas. The army demanded a withdrawal. Hamas insists on a ceasefire."
    )
    assert "saf" not in {a.id for a in other.actors}


def test_hashtags_are_not_read_as_actors():
    d = run("#USIranTalks محادثات بين قطر ومصر. طالبت قطر بوقف إطلاق النار.")
    assert {a.id for a in d.actors} == {"qatar", "egypt"}


def test_dates_without_a_year_resolve_against_the_article_date():
    text = "محادثات بين إيران والولايات المتحدة في روما يوم السبت 19 أبريل. تصر إيران على رفع العقوبات."
    undated = run(text)
    assert undated.as_of is None
    assert ("19 أبريل", None) in [(t, day) for t, day, _ in undated.sources[0].resolved_dates]
    dated = run(text, dt.date(2025, 4, 25))
    assert [day for _, day, _ in dated.sources[0].resolved_dates] == [dt.date(2025, 4, 19)]
    from accord.ingest.emit import scenario_data

    notes = scenario_data(dated)["notes"]
    assert any(n.startswith("DATE (s1): «19 أبريل» read as 2025-04-19") for n in notes)


def test_reworded_copy_is_folded_as_a_near_duplicate():
    a = "Iran insists that only nuclear issues be discussed in the talks between Iran and the United States."
    b = "Iran insists that only nuclear issues be discussed in the talks between Iran and the United States!"
    d = run(a + "\n" + b)
    assert len(d.sentences) == 1 and len(d.sentences[0].places) == 2


def test_every_issue_of_the_vocabulary_drafts_a_valid_issue():
    from accord.ingest.lexicon import lexicon
    from accord.scenario.types import Issue

    for i in lexicon().issues:
        issue = Issue(
            id=i["id"],
            name=i["name"],
            scale={k: str(v) for k, v in i["scale"].items()},
            status_quo=i["status_quo"],
        )
        assert issue.low == 0 and issue.high == 100 and 0 <= issue.status_quo <= 100
        assert all(isinstance(v, str) for v in i["scale"].values()), i["id"]
        assert set(i["reads"]) == {"support", "oppose"}
