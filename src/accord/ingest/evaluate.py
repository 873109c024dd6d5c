"""Scoring ``accord draft`` against hand-annotated articles (tests/data/ingest/gold.yaml).

Actors: the set of (article, actor) pairs the draft lists as parties, against the gold actors;
role accuracy over the actors found. Stances: (article, actor, issue, direction) triples; also
(article, actor, issue) pairs. Non-parties: how many of the gold venues, platforms and sources the
draft lists as no party (and not as an actor). Micro-averaged over the articles of a split.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from accord.ingest.draft import draft


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ArticleScore:
    file: str
    split: str
    language: str
    actors: Counts
    stances: Counts
    pairs: Counts
    roles_right: int
    roles_total: int
    non_parties_found: int
    non_parties_total: int
    seconds: float
    missed_actors: list[str] = field(default_factory=list)
    extra_actors: list[str] = field(default_factory=list)
    wrong_roles: list[str] = field(default_factory=list)
    missed_stances: list[str] = field(default_factory=list)
    extra_stances: list[str] = field(default_factory=list)


@dataclass
class SplitScore:
    split: str
    articles: list[ArticleScore]

    def total(self, key: str) -> Counts:
        c = Counts()
        for a in self.articles:
            x = getattr(a, key)
            c.tp, c.fp, c.fn = c.tp + x.tp, c.fp + x.fp, c.fn + x.fn
        return c

    @property
    def role_accuracy(self) -> float:
        n = sum(a.roles_total for a in self.articles)
        return sum(a.roles_right for a in self.articles) / n if n else 0.0

    @property
    def non_party_recall(self) -> float:
        n = sum(a.non_parties_total for a in self.articles)
        return sum(a.non_parties_found for a in self.articles) / n if n else 1.0


def score_article(path: Path, gold: dict) -> ArticleScore:
    t = time.perf_counter()
    d = draft([path])
    seconds = time.perf_counter() - t
    pred_roles = {a.id: a.role for a in d.actors}
    gold_roles: dict[str, str] = dict(gold.get("actors") or {})
    actors = Counts()
    actors.add(set(gold_roles), set(pred_roles))
    found = set(gold_roles) & set(pred_roles)
    right = sum(1 for a in found if gold_roles[a] == pred_roles[a])
    pred_st = {
        (a.id, i, "support" if f.direction > 0 else "oppose")
        for a in d.actors
        for i, f in a.facts.items()
    }
    gold_st = {tuple(x) for x in gold.get("stances") or []}
    stances, pairs = Counts(), Counts()
    stances.add(gold_st, pred_st)
    pairs.add({x[:2] for x in gold_st}, {x[:2] for x in pred_st})
    np_gold = set(gold.get("not_parties") or {})
    np_pred = {n.id for n in d.non_parties}
    return ArticleScore(
        file=gold["file"],
        split=gold["split"],
        language=gold["language"],
        actors=actors,
        stances=stances,
        pairs=pairs,
        roles_right=right,
        roles_total=len(found),
        non_parties_found=len((np_gold & np_pred) - set(pred_roles)),
        non_parties_total=len(np_gold),
        seconds=seconds,
        missed_actors=sorted(set(gold_roles) - set(pred_roles)),
        extra_actors=sorted(set(pred_roles) - set(gold_roles)),
        wrong_roles=sorted(
            f"{a} {pred_roles[a]}≠{gold_roles[a]}" for a in found if gold_roles[a] != pred_roles[a]
        ),
        missed_stances=sorted("/".join(x) for x in gold_st - pred_st),
        extra_stances=sorted("/".join(x) for x in pred_st - gold_st),
    )


def evaluate(gold_file: Path, splits: tuple[str, ...] = ("dev", "heldout")) -> list[SplitScore]:
    gold = yaml.safe_load(gold_file.read_text("utf-8"))
    root = gold_file.parent.parent  # files are relative to tests/data/
    out = []
    for split in splits:
        arts = [g for g in gold["articles"] if g["split"] == split]
        out.append(SplitScore(split, [score_article(root / g["file"], g) for g in arts]))
    return out
