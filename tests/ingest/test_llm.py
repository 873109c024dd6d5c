"""The optional LLM backend against a local OpenAI-compatible server started on loopback: what it
says is kept only when its quotes are in the article; nothing is sent unless configured."""

from __future__ import annotations

from pathlib import Path

import yaml

from accord.cli import main
from accord.ingest.draft import draft
from accord.ingest.emit import scenario_yaml
from accord.ingest.llm import LLMConfig, enrich

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "000_ffe160eaa71000c4.txt"
US_ENRICHMENT = "تواصل الولايات المتحدة التأكيد على أن الاتفاق الشامل يجب أن يتضمن قيودًا على القدرات العسكرية الأوسع لإيران"

ANSWER = {
    "actors": [
        {
            "id": "qatar",
            "name": "Qatar",
            "role": "mediator",
            "sentence": "s20",
            "quote": "Qatar mediates every round",
        },  # invented
        {
            "id": "gate",
            "name": "Gate",
            "role": "stakeholder",
            "sentence": "s1",
            "quote": "دخلت العملية الدبلوماسية الطويلة",
        },  # the platform
    ],
    "stances": [
        # a claim the rules miss, quoted verbatim: kept
        {
            "actor": "us",
            "issue": "enrichment",
            "stance": "support",
            "red_line": False,
            "sentence": "s24",
            "quote": US_ENRICHMENT,
            "gloss": "The US keeps insisting a deal must limit Iran's wider military capabilities",
        },
        # a fabricated quote: dropped
        {
            "actor": "iran",
            "issue": "sanctions",
            "stance": "support",
            "sentence": "s16",
            "quote": "Iran demands that all sanctions be lifted at once",
        },
        # an issue outside the vocabulary: dropped
        {
            "actor": "iran",
            "issue": "weather",
            "stance": "oppose",
            "sentence": "s3",
            "quote": "تصر إيران على أن يتم مناقشة القضايا النووية فقط",
        },
    ],
    "glosses": [
        {
            "sentence": "s3",
            "gloss": "Iran insists that only nuclear issues be discussed, while the United States seeks to widen the scope.",
        }
    ],
}


def test_claims_are_kept_only_with_verbatim_quotes(fake_llm):
    d = draft([SEED])
    assert "enrichment" not in d.actor("us").facts  # the rules alone miss it
    server = fake_llm(ANSWER)
    rep = enrich(d, LLMConfig(server.url, "test-model"))
    assert len(server.requests) == 1
    req = server.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["body"]["model"] == "test-model"
    sent = req["body"]["messages"][1]["content"]
    assert "[s3] تصر إيران" in sent and "Gate" not in sent  # cleaned, numbered sentences only
    assert sent.count("تصر إيران على أن يتم مناقشة") == 1  # the duplicated body is sent once
    fact = d.actor("us").facts["enrichment"]
    assert fact.direction == 1 and fact.readings[0].cue == "llm"
    assert "qatar" not in {a.id for a in d.actors} and "gate" not in {a.id for a in d.actors}
    assert any("not in the article" in x for x in rep.dropped)
    assert any("gate" in x and "platform" in x for x in rep.dropped)
    assert any("weather" in x for x in rep.dropped)
    assert (
        "sanctions" in d.actor("iran").facts
        and d.actor("iran").facts["sanctions"].readings[0].cue != "llm"
    )
    # same output format: the model's gloss replaces the rule reading, provenance unchanged
    data = yaml.safe_load(scenario_yaml(d))
    iran = next(a for a in data["actors"] if a["id"] == "iran")
    ev = iran["stances"]["agenda"]["evidence"]
    gl = [e for e in ev if e["quote"].startswith("تصر إيران")][0]
    assert gl["gloss"].startswith("Iran insists") and "gloss by test-model" in gl["note"]
    assert "appears at" in gl["note"]


def test_a_failing_endpoint_leaves_the_rule_draft(fake_llm):
    d = draft([SEED])
    before = {(a.id, i) for a in d.actors for i in a.facts}
    rep = enrich(d, LLMConfig(fake_llm("not json at all").url, "m"))
    assert "not the JSON asked for" in rep.warning
    assert {(a.id, i) for a in d.actors for i in a.facts} == before
    rep = enrich(d, LLMConfig(fake_llm(ANSWER, status=500).url, "m"))
    assert "HTTP 500" in rep.warning


def test_cli_sends_nothing_unless_configured(tmp_path, capsys, monkeypatch, fake_llm):
    server = fake_llm(ANSWER)
    assert main(["draft", str(SEED), "-o", str(tmp_path / "a.yaml")]) == 0
    assert server.requests == []  # off by default
    monkeypatch.setenv("TEST_LLM_KEY", "sekrit")
    code = main(
        [
            "draft",
            str(SEED),
            "-o",
            str(tmp_path / "b.yaml"),
            "--llm-url",
            server.url,
            "--llm-model",
            "m",
            "--llm-key-env",
            "TEST_LLM_KEY",
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert len(server.requests) == 1
    assert server.requests[0]["headers"]["Authorization"] == "Bearer sekrit"
    assert "claims kept" in err and "dropped" in err
    b = yaml.safe_load((tmp_path / "b.yaml").read_text("utf-8"))
    us = next(a for a in b["actors"] if a["id"] == "us")
    assert "enrichment" in us["stances"]
    assert main(["draft", str(SEED), "--llm-url", "http://127.0.0.1:9/v1"]) == 1  # no model named
