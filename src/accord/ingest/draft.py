"""``draft(articles)``: read, clean, split, extract and decide — the draft as data.

The result (:class:`Draft`) holds every fact with the sentences behind it; :mod:`accord.ingest.emit`
turns it into a scenario (and the review list), :mod:`accord.ingest.update` into a dated update of
an existing scenario. Nothing here writes files or prints.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from accord.ingest.clean import Paragraph, clean
from accord.ingest.dates import article_date, partial_dates
from accord.ingest.extract import Extraction, Mark, Stance, extract
from accord.ingest.facts import Flag, check
from accord.ingest.lexicon import lexicon
from accord.ingest.read import Article, read_article
from accord.ingest.sentences import Place, Sentence, detect_language, key, sentences

#: the cleaned text read per article: past this (about 60 pages) the rest is left unread, and said
MAX_DRAFT_CHARS = 300_000
ROLE_ORDER = {"principal": 0, "mediator": 1, "stakeholder": 2}
NON_PARTY_WHY = {
    "failed_venue": "a failed venue (talks there did not come about)",
    "venue": "a venue (where the talks are held)",
    "platform": "the platform that published the post",
    "source": "a news agency (a source, not a party)",
    "place": "named only as a place",
    "not_party": "said not to be a party",
}


@dataclass
class Source:
    id: str
    label: str
    title: str
    language: str
    date: dt.date | None
    date_precision: str  # day, month, given, none
    kind: str
    url: str = ""
    removed: list[tuple[int, str, str]] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    repeats: int = 0
    platforms: list[str] = field(default_factory=list)
    resolved_dates: list[tuple[str, dt.date | None, Sentence]] = field(default_factory=list)


@dataclass
class Fact:
    """One drafted stance: an actor's direction on an issue, with every sentence behind it."""

    actor: str
    issue: str
    direction: int
    strength: float
    confidence: float
    red_line: bool
    conditional: bool
    readings: list[Stance]
    conflicting: bool = False

    @property
    def sentences(self) -> list[Sentence]:
        seen, out = set(), []
        for r in self.readings:
            if r.sentence.id not in seen:
                seen.add(r.sentence.id)
                out.append(r.sentence)
        return out


@dataclass
class DraftActor:
    id: str
    name: str
    names: dict[str, str]
    kind: str
    role: str
    role_confidence: float
    role_marks: list[Mark]
    first_seen: int
    facts: dict[str, Fact] = field(default_factory=dict)
    threats: list[Mark] = field(default_factory=list)


@dataclass
class NonParty:
    id: str
    name: str
    why: str
    sentences: list[Sentence]


@dataclass
class Draft:
    sources: list[Source]
    sentences: list[Sentence]
    actors: list[DraftActor]
    non_parties: list[NonParty]
    flags: list[Flag]
    issues_named: dict[str, list[Sentence]]
    unmatched_people: list[tuple[str, Sentence]]
    as_of: dt.date | None
    title: str

    def actor(self, actor_id: str) -> DraftActor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    @property
    def issues(self) -> list[str]:
        order = [i["id"] for i in lexicon().issues]
        used = {i for a in self.actors for i in a.facts}
        return [i for i in order if i in used]

    @property
    def facts(self) -> list[Fact]:
        return [f for a in self.actors for f in a.facts.values()]


def _source_id(label: str, taken: set[str]) -> str:
    stem = os.path.splitext(os.path.basename(label))[0] or "article"
    base = re.sub(r"[^a-zA-Z0-9_-]+", "-", stem).strip("-")[:40] or "article"
    if not base[0].isalpha():
        base = "a-" + base
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}-{n}", n + 1
    taken.add(sid)
    return sid


def _prepare(article: Article, sid: str, date: dt.date | None) -> tuple[Source, list[Paragraph]]:
    cleaned = clean(article.text)
    kept, room = [], MAX_DRAFT_CHARS
    for p in cleaned.paragraphs:
        if len(p.text) > room:
            if room > 200:
                kept.append(Paragraph(p.line, p.text[: p.text.rfind(" ", 0, room) + 1 or room]))
            cleaned.repaired.append(
                f"only the first {MAX_DRAFT_CHARS:,} characters were read (the text is longer)"
            )
            break
        kept.append(p)
        room -= len(p.text)
    paras = [Paragraph(p.line, p.text, *detect_language(p.text)) for p in kept]
    langs = Counter()
    for p in paras:
        langs[p.lang] += len(p.text)
    language = langs.most_common(1)[0][0] if langs else "en"
    found = article_date([p.text for p in paras])
    if date is not None:
        day, precision = date, "given"
    elif article.date is not None:
        day, precision = article.date, "day"
    elif found is not None:
        day, precision = found.date, found.precision
    else:
        day, precision = None, "none"
    src = Source(
        id=sid,
        label=article.label,
        title=article.title or cleaned.title or "",
        language=language,
        date=day,
        date_precision=precision,
        kind=article.kind,
        url=article.url,
        removed=cleaned.removed,
        repaired=cleaned.repaired,
        platforms=cleaned.platforms,
    )
    return src, paras


def draft(articles: list[str | os.PathLike | Article], *, date: dt.date | None = None) -> Draft:
    """Draft one scenario from one or more articles (paths or :class:`Article`).

    ``date``: the publication date when the articles do not say (it anchors dates without a year
    and the people's roles).
    """
    taken: set[str] = set()
    sources: list[Source] = []
    all_sentences: list[Sentence] = []
    by_key: dict[str, Sentence] = {}
    for item in articles:
        art = item if isinstance(item, Article) else read_article(item)
        src, paras = _prepare(art, _source_id(art.label, taken), date)
        sents, repeats = sentences(paras)
        src.repeats = repeats
        for s in sents:
            for p in s.places:
                p.source = src.id
            k = key(s.text)
            if k in by_key:  # the same sentence in another article: one fact, more places
                by_key[k].places.extend(s.places)
                continue
            s.id = f"{src.id}:{s.id}" if len(articles) > 1 else s.id
            s.source = src.id
            by_key[k] = s
            all_sentences.append(s)
            for text, day in partial_dates(s.text, src.date):
                src.resolved_dates.append((text, day, s))
        sources.append(src)
    dated = [s.date for s in sources if s.date is not None]
    as_of = max(dated) if dated else None
    ex = extract(all_sentences, as_of)
    actors, non_parties = _decide(ex, all_sentences)
    for s in sources:
        for plat in s.platforms:
            if not any(n.id == plat for n in non_parties):
                e = lexicon().by_id.get(plat)
                non_parties.append(NonParty(plat, e.name if e else plat, "platform", []))
    title = next((s.title for s in sources if s.title), "") or (
        f"Draft from {os.path.basename(sources[0].label)}" if sources else "Draft"
    )
    return Draft(
        sources,
        all_sentences,
        actors,
        non_parties,
        check(all_sentences),
        ex.issues_named,
        ex.unmatched_people,
        as_of,
        title,
    )


def _named(ex: Extraction, actor: str) -> bool:
    """Named as itself (not only as a place, an object of a preposition or an adjective)."""
    return any(
        not m.place and not m.prep and m.form in {"name", "person", "capital"}
        for _, m in ex.mentions.get(actor, [])
    )


def _decide(ex: Extraction, sents: list[Sentence]) -> tuple[list[DraftActor], list[NonParty]]:
    lx = lexicon()
    order = {s.id: i for i, s in enumerate(sents)}
    marks: dict[str, list[Mark]] = {}
    for m in ex.marks:
        marks.setdefault(m.actor, []).append(m)
    stances: dict[str, list[Stance]] = {}
    for st in ex.stances:
        stances.setdefault(st.actor, []).append(st)
    candidates = [
        a
        for a in ex.mentions
        if lx.by_id.get(a) is not None and lx.by_id[a].kind not in {"platform", "source", "venue"}
    ]
    speaking = {"stakeholder", "threat", "walk_away", "mediator", "principal_pair"}
    included = [
        a
        for a in candidates
        if _named(ex, a) or a in stances or any(m.what in speaking for m in marks.get(a, []))
    ]
    roles: dict[str, tuple[str, float, list[Mark]]] = {}
    for a in included:
        ms = marks.get(a, [])
        med = [m for m in ms if m.what == "mediator"]
        pair = [m for m in ms if m.what == "principal_pair"]
        if med:
            roles[a] = ("mediator", max(m.confidence for m in med), med)
        elif pair:
            roles[a] = ("principal", max(m.confidence for m in pair), pair)
    principals = [a for a, r in roles.items() if r[0] == "principal"]
    if len(principals) < 2:
        ranked = sorted(
            (a for a in included if a not in roles and a in stances),
            key=lambda a: (-len(stances[a]), order[ex.mentions[a][0][0].id]),
        )
        for a in ranked[: 2 - len(principals)]:
            roles[a] = ("principal", 0.4, [])
    actors: list[DraftActor] = []
    for a in included:
        e = lx.by_id[a]
        role, conf, why = roles.get(
            a, ("stakeholder", 0.5, [m for m in marks.get(a, []) if m.what == "stakeholder"])
        )
        actors.append(
            DraftActor(
                a,
                e.name,
                dict(e.names),
                e.kind,
                role,
                conf,
                why,
                order[ex.mentions[a][0][0].id],
                threats=[m for m in marks.get(a, []) if m.what in {"threat", "walk_away"}],
            )
        )
    _facts(actors, stances)
    actors = _dissolve_blocs(actors)
    actors.sort(key=lambda x: (ROLE_ORDER[x.role], x.first_seen))
    party_ids = {x.id for x in actors}
    non_parties: list[NonParty] = []
    for a in candidates:
        if a in party_ids:
            continue
        ms = marks.get(a, [])
        why = next(
            (w for w in ("failed_venue", "venue", "not_party") if any(m.what == w for m in ms)),
            "place",
        )
        sents_ = [m.sentence for m in ms if m.what == why] or [ex.mentions[a][0][0]]
        non_parties.append(NonParty(a, lx.by_id[a].name, why, _unique(sents_)))
    for a, ms in marks.items():
        for w in ("platform", "source"):
            hits = [m for m in ms if m.what == w]
            if hits and not any(n.id == a for n in non_parties):
                non_parties.append(
                    NonParty(a, lx.by_id[a].name, w, _unique([m.sentence for m in hits]))
                )
    # venue cities name a country that may be a party elsewhere (Istanbul for Turkey): only the
    # countries that are no party are listed
    return actors, non_parties


def _unique(ss: list[Sentence]) -> list[Sentence]:
    seen, out = set(), []
    for s in ss:
        if s.id not in seen:
            seen.add(s.id)
            out.append(s)
    return out


def _facts(actors: list[DraftActor], stances: dict[str, list[Stance]]) -> None:
    for actor in actors:
        by_issue: dict[str, list[Stance]] = {}
        for st in stances.get(actor.id, []):
            by_issue.setdefault(st.issue, []).append(st)
        for issue, readings in by_issue.items():
            # one reading per sentence: the most confident
            best: dict[str, Stance] = {}
            for r in readings:
                if r.sentence.id not in best or r.confidence > best[r.sentence.id].confidence:
                    best[r.sentence.id] = r
            rs = list(best.values())
            score = sum(r.direction * r.confidence for r in rs)
            direction = 1 if score > 0 else -1 if score < 0 else rs[0].direction
            agree = [r for r in rs if r.direction == direction]
            conflicting = len(agree) < len(rs)
            top = max(r.confidence for r in agree)
            # more sentences saying the same make it likelier; a contradiction makes it less so
            conf = min(0.95, top + 0.1 * (len(agree) - 1)) * (0.6 if conflicting else 1.0)
            actor.facts[issue] = Fact(
                actor.id,
                issue,
                direction,
                max(r.strength for r in agree),
                round(conf, 2),
                any(r.red_line for r in agree),
                any(r.conditional for r in agree),
                rs,
                conflicting,
            )


def _dissolve_blocs(actors: list[DraftActor]) -> list[DraftActor]:
    """A bloc whose members are all in the draft (E3 and France, Germany, the UK) hands its
    stances to them and leaves; a bloc named alone stays an actor."""
    lx = lexicon()
    ids = {a.id for a in actors}
    out = []
    for a in actors:
        members = lx.by_id[a.id].members if a.id in lx.by_id else []
        if members and all(m in ids for m in members):
            for m in actors:
                if m.id in members:
                    for issue, fact in a.facts.items():
                        m.facts.setdefault(issue, fact)
            continue
        out.append(a)
    return out


__all__ = ["Draft", "DraftActor", "Fact", "NonParty", "Place", "Source", "draft"]
