"""A :class:`~accord.ingest.draft.Draft` as an accord scenario: every number marked as drafted,
every fact with its sentence, a review list (least confident first), what is no party, and the
facts that contradict known ones.

The scenario format has no field for review items, so they go where a reader of the file looks:
``notes`` (the review list, the non-parties, the flags, the clean-up) and each record's ``note``
and ``evidence``. The file passes ``accord validate``; :func:`scenario_yaml` checks that it does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from accord.errors import AccordError
from accord.ingest.draft import Draft, DraftActor, Fact
from accord.ingest.lexicon import lexicon
from accord.ingest.sentences import Sentence

DRAFTED = "DRAFTED"
#: the placeholder clout of a drafted actor, by kind (the article says nothing about it)
CAPABILITY = {"state": 50, "organisation": 30, "bloc": 40, "group": 20, "government": 40}


@dataclass(frozen=True)
class ReviewItem:
    confidence: float
    path: str
    text: str

    def line(self) -> str:
        return f"REVIEW [{self.confidence:.2f}] {self.path}: {self.text}"


def _english(s: Sentence) -> bool:
    return s.lang == "en"


def places_text(s: Sentence) -> str:
    places = []
    for p in s.places:
        src = p.source
        places.append(f"{src + ' ' if src else ''}{p.text()}")
    return "; ".join(places)


def _issue_name(issue: str) -> str:
    return next(i["name"] for i in lexicon().issues if i["id"] == issue)


def reading(fact: Fact, actor_name: str) -> str:
    """The rule's reading of a fact in English (stands in for a gloss: no translation offline)."""
    reads = next(i["reads"] for i in lexicon().issues if i["id"] == fact.issue)
    extra = " (a red line)" if fact.red_line else ""
    return f"{actor_name} {reads['support' if fact.direction > 0 else 'oppose']}{extra}"


def _evidence(
    s: Sentence, source: str, gloss: str, note: str, supports: list[str] | None = None
) -> dict:
    ev: dict[str, Any] = {"source": source, "quote": s.text}
    if s.gloss:
        ev["gloss"] = s.gloss
        note += f"; gloss by {s.gloss_by}"
    elif not _english(s):
        ev["gloss"] = f"[rule reading, not a translation] {gloss}"
    ev["note"] = f"{note}; appears at {places_text(s)}"
    if supports:
        ev["supports"] = supports
    return ev


def _clip(x: float, lo: float = 0, hi: float = 100) -> float:
    return max(lo, min(hi, x))


def _stance(fact: Fact, actor: DraftActor) -> dict:
    strong = fact.red_line or fact.strength >= 0.7
    position = (90 if strong else 75) if fact.direction > 0 else (10 if strong else 25)
    salience = round(40 + 50 * fact.strength * (1.2 if fact.red_line else 1.0))
    salience = int(_clip(salience, 10, 95))
    width = 15 + round(20 * (1 - fact.confidence))
    out: dict[str, Any] = {
        "position": position,
        "salience": salience,
        "position_range": [_clip(position - width), _clip(position + width)],
        "salience_range": [_clip(salience - 20), _clip(salience + 15)],
    }
    if fact.red_line:
        bound = (
            {"max": _clip(position + 20)} if fact.direction < 0 else {"min": _clip(position - 20)}
        )
        out["red_line"] = {
            **bound,
            "note": f"{DRAFTED}: the article calls it a red line; where the line lies is a guess",
        }
    out["evidence"] = [
        _evidence(
            r.sentence,
            r.sentence.source,
            reading(fact, actor.name),
            f"{DRAFTED} position {position}, salience {salience} (confidence {fact.confidence:.2f}) "
            f"from {r.how}",
            ["position", "salience"],
        )
        for r in _one_per_sentence(fact)
    ]
    return out


def _one_per_sentence(fact: Fact):
    seen: set[str] = set()
    for r in fact.readings:
        if r.direction == fact.direction and r.sentence.id not in seen:
            seen.add(r.sentence.id)
            yield r


def _actor(a: DraftActor, issues: set[str]) -> dict:
    cap = CAPABILITY.get(a.kind, 30)
    role_why = "; ".join(sorted({f"«{m.note}»" for m in a.role_marks if m.note})) or (
        "named, with no cue for another role"
    )
    out: dict[str, Any] = {"id": a.id, "name": a.name}
    if a.names:
        out["names"] = a.names
    out.update(
        {
            "kind": a.kind,
            "role": a.role,
            "capability": cap,
            "capability_range": [_clip(cap - 30), _clip(cap + 30)],
            "veto": a.role == "principal",
            "note": f"{DRAFTED}: role {a.role} (confidence {a.role_confidence:.2f}, from {role_why}); "
            f"capability {cap} is a placeholder for a {a.kind}: the article says nothing about clout",
        }
    )
    role_ev = [m for m in a.role_marks][:2]
    if role_ev:
        out["evidence"] = [
            _evidence(
                m.sentence,
                m.sentence.source,
                f"names {a.name} as {a.role}",
                f"{DRAFTED} role {a.role} from «{m.note or m.what}»",
                ["role"],
            )
            for m in role_ev
        ]
    if a.threats:
        t = a.threats[0]
        kind = "walk_away" if t.what == "walk_away" else "escalation"
        out["outside_option"] = {
            "kind": kind,
            "note": f"{DRAFTED}: {kind} if talks fail, from «{t.note}»; its value is for a person to set",
            "evidence": [
                _evidence(
                    t.sentence,
                    t.sentence.source,
                    f"{a.name}: {kind} if talks fail",
                    f"{DRAFTED} outside option from «{t.note}»",
                )
            ],
        }
    stances = {i: _stance(f, a) for i, f in a.facts.items() if i in issues}
    if stances:
        out["stances"] = stances
    return out


def review_items(d: Draft) -> list[ReviewItem]:
    """What a person must judge, least confident first."""
    items: list[ReviewItem] = []
    names = {a.id: a.name for a in d.actors}
    for a in d.actors:
        for issue, f in a.facts.items():
            what = reading(f, a.name)
            if f.conflicting:
                what += "; the article also reads the other way"
            if f.conditional:
                what += "; the sentence has a condition"
            items.append(ReviewItem(f.confidence, f"actors.{a.id}.stances.{issue}", what))
        items.append(ReviewItem(a.role_confidence, f"actors.{a.id}.role", f"{a.name} as {a.role}"))
        if a.threats:
            items.append(
                ReviewItem(
                    0.5,
                    f"actors.{a.id}.outside_option",
                    f"{a.name}: {a.threats[0].what} «{a.threats[0].note}»",
                )
            )
    if d.actors:
        items.append(
            ReviewItem(
                0.2,
                "actors.*.capability",
                "every capability is a placeholder by kind of actor: set each actor's clout",
            )
        )
    for f in d.flags:
        items.append(ReviewItem(0.1, "sources", "FLAG " + f.text()))
    for name, s in d.unmatched_people:
        items.append(
            ReviewItem(
                0.3,
                "actors",
                f"{name} is named ({s.id}) but holds no role the gazetteer knows on {d.as_of or 'an unknown date'}",
            )
        )
    for issue, ss in d.issues_named.items():
        if issue not in d.issues:
            items.append(
                ReviewItem(
                    0.35,
                    "issues",
                    f"{_issue_name(issue)} is mentioned ({ss[0].id}) but no actor's stance on it was read",
                )
            )
    for s in d.sources:
        if s.date_precision in {"month", "none"}:
            items.append(
                ReviewItem(
                    0.3,
                    "as_of",
                    f"{s.id}: {'only a month' if s.date_precision == 'month' else 'no date'} found; give --date",
                )
            )
        for text, day, sent in s.resolved_dates:
            if day is None:
                items.append(
                    ReviewItem(
                        0.3,
                        "as_of",
                        f"{s.id}: «{text}» ({sent.id}) has no year and the article no date to resolve it",
                    )
                )
    del names
    items.sort(key=lambda r: (r.confidence, r.path))
    return items


def scenario_data(d: Draft, *, scenario_id: str | None = None) -> dict:
    issues = set(d.issues)
    if len([a for a in d.actors]) < 2 or not issues:
        raise AccordError(
            f"too little to draft a scenario from: {len(d.actors)} actor(s) and "
            f"{len(d.facts)} stance(s) found",
            hint="is the article about a negotiation? rules read only what they know; try "
            "--llm-url with a model, or write the scenario by hand",
            field="article",
        )
    vocab = {i["id"]: i for i in lexicon().issues}
    sources = []
    for s in d.sources:
        src: dict[str, Any] = {"id": s.id, "title": s.title or s.label, "language": s.language}
        if s.date and s.date_precision in {"day", "given"}:
            src["date"] = s.date
        src["file"] = s.label
        if s.url:
            src["url"] = s.url
        note = [f"drafted by accord draft from {'an HTML' if s.kind != 'text' else 'a text'} file"]
        if s.repeats:
            note.append(f"{s.repeats} repeated sentences (a body printed twice) counted once")
        note += s.repaired
        if s.removed:
            note.append("dropped: " + "; ".join(sorted({w for _, w, _ in s.removed})))
        for f in d.flags:
            if f.sentence.source == s.id:
                note.append("FLAG " + f.text())
        src["note"] = ". ".join(note)
        sources.append(src)
    out_issues = []
    for issue in d.issues:
        v = vocab[issue]
        first = next(f for f in d.facts if f.issue == issue)
        s0 = first.sentences[0]
        out_issues.append(
            {
                "id": issue,
                "name": v["name"],
                "description": f"{DRAFTED}: from the issue vocabulary of accord draft; the scale's "
                "ends and the status quo are defaults for a person to set",
                "scale": {k: str(t) for k, t in v["scale"].items()},
                "status_quo": v["status_quo"],
                "evidence": [
                    _evidence(
                        s0,
                        s0.source,
                        f"names {v['name'].lower()}",
                        f"{DRAFTED}: the issue is named here",
                        ["scale"],
                    )
                ],
            }
        )
    notes = [
        f"{DRAFTED} by accord draft (rules, offline) from {len(d.sources)} article(s): every number "
        "is a draft for a person to review; quotes are verbatim (after mojibake repair), glosses "
        "marked 'rule reading' are the rule's English reading, not translations."
    ]
    notes += [r.line() for r in review_items(d)]
    for n in d.non_parties:
        where = f" ({n.sentences[0].id})" if n.sentences else ""
        notes.append(f"NOT A PARTY: {n.name} [{n.id}] — {_why(n.why)}{where}")
    for f in d.flags:
        notes.append(f"FLAG ({f.sentence.id}): {f.text()}; quote: «{f.sentence.text}»")
    for src in d.sources:
        for text, day, sent in src.resolved_dates:
            if day is not None:
                notes.append(
                    f"DATE ({sent.id}): «{text}» read as {day:%Y-%m-%d}, against the article's date"
                )
    data: dict[str, Any] = {
        "id": scenario_id or _slug(d.title) or f"draft-{d.sources[0].id}",
        "title": d.title,
    }
    if d.as_of:
        data["as_of"] = d.as_of
    data.update(
        {
            "description": f"{DRAFTED} from {', '.join(s.id for s in d.sources)}: "
            + "; ".join(f"{a.name} ({a.role})" for a in d.actors),
            "sources": sources,
            "issues": out_issues,
            "actors": [_actor(a, issues) for a in d.actors],
            "notes": notes,
        }
    )
    return data


def _why(why: str) -> str:
    from accord.ingest.draft import NON_PARTY_WHY

    return NON_PARTY_WHY.get(why, why)


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return ("draft-" + s) if s else ""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # noqa: ARG002 - a repeated date is written out, not aliased
        return True


def _str(dumper: yaml.SafeDumper, value: str):
    style = (
        ">" if len(value) > 100 and "\n" not in value and not value.startswith(("«", "[")) else None
    )
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(data: dict, header: str = "") -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return header + body


def scenario_yaml(d: Draft, *, scenario_id: str | None = None) -> str:
    """The draft as scenario YAML, validated (an invalid draft is a bug: it raises)."""
    from accord.scenario import load_text

    data = scenario_data(d, scenario_id=scenario_id)
    header = (
        f"# {DRAFTED} by `accord draft` on {dt.date.today():%Y-%m-%d} from: "
        + ", ".join(s.label for s in d.sources)
        + "\n# Every number is a draft. Read the REVIEW lines in `notes` (least confident first)\n"
        "# and each evidence entry's quote before using this scenario.\n"
    )
    text = to_yaml(data, header)
    load_text(text, source="the drafted scenario")  # raises ScenarioError listing any problem
    return text
