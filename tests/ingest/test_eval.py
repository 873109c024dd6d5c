"""The evaluation set is well-formed, every article drafts a valid scenario, and the scores in
docs/ come from the scoring code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from accord.ingest.draft import draft
from accord.ingest.emit import scenario_yaml
from accord.ingest.evaluate import Counts, score_article
from accord.ingest.lexicon import actor_ids, lexicon

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
GOLD = yaml.safe_load((DATA / "ingest" / "gold.yaml").read_text("utf-8"))["articles"]


def test_the_set_has_at_least_twelve_articles_in_both_languages_and_both_splits():
    own = [g for g in GOLD if g["file"].startswith("ingest/")]
    assert len(own) >= 12
    assert {g["language"] for g in own} == {"ar", "en"}
    assert {g["split"] for g in GOLD} == {"dev", "heldout"}
    issues = {i["id"] for i in lexicon().issues}
    known = actor_ids() | {e.id for e in lexicon().entries}
    for g in GOLD:
        assert (DATA / g["file"]).exists(), g["file"]
        assert set(g["actors"]) <= known, g["file"]
        assert set(g["actors"].values()) <= {"principal", "mediator", "stakeholder"}
        for actor, issue, stance in g["stances"]:
            assert actor in g["actors"] and issue in issues and stance in {"support", "oppose"}, g[
                "file"
            ]


@pytest.mark.parametrize("gold", GOLD, ids=[Path(g["file"]).stem for g in GOLD])
def test_every_article_drafts_a_valid_scenario(gold):
    scenario_yaml(draft([DATA / gold["file"]]))  # validated inside: raises on any problem


def test_scores_count_what_they_say():
    c = Counts()
    c.add({1, 2, 3}, {2, 3, 4, 5})
    assert (c.tp, c.fp, c.fn) == (2, 2, 1)
    assert c.precision == 0.5 and c.recall == pytest.approx(2 / 3) and c.f1 == pytest.approx(4 / 7)
    seed = next(g for g in GOLD if "seed" in g["file"])
    s = score_article(DATA / seed["file"], seed)
    assert s.actors.fn == 0 and s.roles_right == s.roles_total == len(seed["actors"])
    assert s.non_parties_found == s.non_parties_total == 3


def test_the_report_in_docs_has_both_splits():
    text = (ROOT / "docs" / "ingest-eval.md").read_text("utf-8")
    assert "python scripts/eval_draft.py" in text
    for split in ("| dev |", "| heldout |"):
        assert split in text
