"""Facts that contradict known ones: flagged with the sentence and the known date, never fixed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from accord.ingest.sentences import Sentence
from accord.ingest.text import compile_patterns, fold

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class Flag:
    fact: str
    what: str
    known: dt.date
    source: str
    said: list[str]  # the years the article gives
    sentence: Sentence

    def text(self) -> str:
        return (
            f"the article puts {self.what} in {', '.join(self.said)}; it was on "
            f"{self.known.day} {self.known:%B %Y} ({self.source})"
        )


@lru_cache(maxsize=1)
def _facts() -> list[tuple[dict, list]]:
    raw = yaml.safe_load(
        resources.files("accord.ingest").joinpath("data").joinpath("facts.yaml").read_text("utf-8")
    )
    return [(f, [compile_patterns(group, case=False) for group in f["all"]]) for f in raw["facts"]]


def check(sentences: list[Sentence]) -> list[Flag]:
    flags = []
    for s in sentences:
        f = fold(s.text)
        years = _YEAR.findall(s.text)
        if not years:
            continue
        for fact, groups in _facts():
            if all(g is not None and (g.search(f.text) or g.search(f.cased)) for g in groups):
                known = (
                    fact["date"]
                    if isinstance(fact["date"], dt.date)
                    else dt.date.fromisoformat(str(fact["date"]))
                )
                if str(known.year) not in years:
                    flags.append(
                        Flag(fact["id"], fact["what"], known, fact["source"], sorted(set(years)), s)
                    )
    return flags
