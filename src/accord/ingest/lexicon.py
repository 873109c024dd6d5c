"""The gazetteer, issue vocabulary and cue lists of ``data/``, compiled once per process."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from accord.ingest.text import compile_patterns, fold_text, is_arabic

_PRE = r"(?P<pre>[وف]?[بكل]?)"  # conjunction, then preposition clitics
_NISBA = r"(?P<suf>يه|يون|يين|يان|يتين|ي|يا)?"
# a demonym stem already ends in ي (صيني): its endings are the feminine and plural ones
_DEMONYM = r"(?P<suf>يه|يون|يين|يان|يتين|ي|يا|ه|ون|ين|ان|تين)?"
_PLAIN_SUF = r"(?P<suf>)"


def _data(name: str) -> Any:
    return yaml.safe_load(
        resources.files("accord.ingest").joinpath("data").joinpath(name).read_text("utf-8")
    )


@dataclass(frozen=True)
class Role:
    """A person's role: the actor a name stands for between two dates (either may be open)."""

    actor: str
    title: str
    start: dt.date | None = None
    end: dt.date | None = None

    def holds(self, on: dt.date | None) -> bool:
        if on is None:
            return self.end is None  # undated text: the current holder
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass
class Entry:
    """Something a text can name: an actor, a person (standing for an actor), a platform, a news
    agency or a venue city; with its aliases compiled into two regexes (Arabic, Latin)."""

    id: str
    name: str
    kind: str  # state, organisation, bloc, group, government, person, platform, source, venue
    names: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    case_aliases: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    country: str = ""  # venue cities: the country they are in


def _arabic_bodies(word: str) -> set[str]:
    f = " ".join(fold_text(word.strip()).split())
    if not f:
        return set()
    if f.startswith("ال"):
        return {f, "ل" + f[2:]}  # للولايات = ل + لولايات
    return {f, "ال" + f}


@dataclass
class Matcher:
    """One regex for every alias of one kind (Arabic names, Arabic demonyms, …); the matched body
    is looked up in ``bodies`` for the entries (and forms) it names."""

    regex: re.Pattern
    case: bool
    bodies: dict[str, list[tuple[Entry, str]]]

    def lookup(self, body: str) -> list[tuple[Entry, str]]:
        key = " ".join(body.split())
        return self.bodies.get(key if self.case else key.lower(), [])


def _alternation(bodies: dict[str, list]) -> str:
    return "|".join(
        re.escape(b).replace(r"\ ", r"\s+") for b in sorted(bodies, key=len, reverse=True)
    )


def _matchers(entries: list[Entry]) -> list[Matcher]:
    kinds: dict[str, dict[str, list[tuple[Entry, str]]]] = {
        k: {} for k in ("ar_name", "ar_capital", "ar_demonym", "latin", "latin_case")
    }
    for e in entries:
        for form, words in (("name", e.aliases), ("capital", e.capitals), ("demonym", e.demonyms)):
            for w in words:
                if is_arabic(w):
                    kind = {"name": "ar_name", "capital": "ar_capital", "demonym": "ar_demonym"}[
                        form
                    ]
                    for b in _arabic_bodies(w):
                        kinds[kind].setdefault(b, []).append((e, form))
                elif re.fullmatch(r"[A-Z0-9.+&-]+", w.strip()) or (
                    form == "name" and w in e.case_aliases
                ):
                    kinds["latin_case"].setdefault(" ".join(w.split()), []).append((e, form))
                else:
                    kinds["latin"].setdefault(" ".join(w.lower().split()), []).append((e, form))
        for w in e.case_aliases:
            if w not in e.aliases:
                kinds["latin_case"].setdefault(" ".join(w.split()), []).append((e, "name"))
    out = []
    suffix = {"ar_name": _NISBA, "ar_capital": _PLAIN_SUF, "ar_demonym": _DEMONYM}
    for kind, bodies in kinds.items():
        if not bodies:
            continue
        alt = _alternation(bodies)
        if kind.startswith("ar_"):
            rx = re.compile(rf"(?<![^\W\d_]){_PRE}(?P<body>{alt}){suffix[kind]}(?![^\W\d_])")
            out.append(Matcher(rx, False, bodies))
        else:
            case = kind == "latin_case"
            rx = re.compile(
                rf"(?<![\w])(?P<pre>)(?P<body>{alt})(?P<suf>['’]s)?(?![\w])", 0 if case else re.I
            )
            out.append(Matcher(rx, case, bodies))
    return out


def _date(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


@dataclass
class Lexicon:
    entries: list[Entry]
    by_id: dict[str, Entry]
    issues: list[dict]
    issue_rx: dict[str, dict[str, re.Pattern | None]]
    cues: dict[str, Any]
    matchers: list[Matcher]


def _cue(patterns: list[str]) -> re.Pattern:
    return compile_patterns(patterns) or re.compile("(?!)")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Everything ``data/`` holds, compiled (about 0.1 s, once)."""
    hand = _data("actors.yaml")
    countries = {c["id"]: c for c in _data("countries.yaml")["countries"]}
    entries: list[Entry] = []
    by_id: dict[str, Entry] = {}
    for cid, c in countries.items():
        extra = (hand.get("countries") or {}).get(cid) or {}
        e = Entry(
            id=cid,
            name=c["en"],
            kind="state",
            names={"ar": c["ar"]},
            aliases=[c["en"], c["ar"], *(extra.get("aliases") or [])],
            demonyms=list(extra.get("demonyms") or []),
            case_aliases=list(extra.get("case_aliases") or []),
            capitals=list(extra.get("capitals") or []),
        )
        entries.append(e)
        by_id[cid] = e
    for o in hand.get("others") or []:
        if o["id"] in by_id and "name" not in o:  # extra aliases (with a context) for an actor
            entries.append(
                Entry(
                    id=o["id"],
                    name=by_id[o["id"]].name,
                    kind=by_id[o["id"]].kind,
                    aliases=list(o.get("aliases") or []),
                    context=list(o.get("context") or []),
                )
            )
            continue
        e = Entry(
            id=o["id"],
            name=o["name"],
            kind=o.get("kind", "organisation"),
            names=dict(o.get("names") or {}),
            aliases=list(o.get("aliases") or []),
            members=list(o.get("members") or []),
            context=list(o.get("context") or []),
        )
        entries.append(e)
        by_id[e.id] = e
    for p in hand.get("people") or []:
        roles = [
            Role(r["actor"], r["title"], _date(r.get("from")), _date(r.get("to")))
            for r in p["roles"]
        ]
        entries.append(
            Entry(
                id=roles[0].actor,
                name=p["names"][0],
                kind="person",
                aliases=list(p["names"]),
                roles=roles,
            )
        )
    for kind in ("platforms", "sources"):
        for s in hand.get(kind) or []:
            e = Entry(
                id=s["id"],
                name=s["name"],
                kind=kind[:-1],
                aliases=list(s.get("aliases") or []),
                case_aliases=list(s.get("case_aliases") or []),
            )
            entries.append(e)
            by_id[e.id] = e
    for v in hand.get("venues") or []:
        entries.append(
            Entry(
                id=v["country"],
                name=v["aliases"][0],
                kind="venue",
                aliases=list(v["aliases"]),
                country=v["country"],
            )
        )
    matchers = _matchers(entries)
    issues = _data("issues.yaml")["issues"]
    issue_rx = {
        i["id"]: {
            k: compile_patterns(i.get(k) or [])
            for k in ("terms", "against", "weak", "flip", "boost")
        }
        for i in issues
    }
    raw = _data("cues.yaml")
    cues: dict[str, Any] = {"stance": {}}
    for cls, spec in raw["stance"].items():
        cues["stance"][cls] = (_cue(spec["patterns"]), float(spec["strength"]))
    for key in (
        "red_line",
        "threat",
        "walk_away",
        "condition",
        "negation",
        "report",
        "venue",
        "failed",
        "talks",
        "between",
        "stakeholder",
        "not_party",
        "not_negation",
        "harmed_by_sanctions",
        "place_before",
        "place_after",
        "lookback",
    ):
        cues[key] = _cue(raw[key])
    cues["locative"] = {fold_text(w) for w in raw["locative"]}
    cues["subject_gap"] = {fold_text(w) for w in raw["subject_gap"]}
    cues["preposition"] = {fold_text(w) for w in raw["preposition"]}
    cues["mediator_before"] = _cue(raw["mediator"]["before"])
    cues["mediator_after"] = _cue([p.lstrip("-") for p in raw["mediator"]["after"]])
    return Lexicon(entries, by_id, issues, issue_rx, cues, matchers)


def actor_ids() -> set[str]:
    lx = lexicon()
    return {e.id for e in lx.entries if e.kind not in {"platform", "source", "venue", "person"}} | {
        r.actor for e in lx.entries for r in e.roles
    }
