"""Rules: who is named, in what role, and who stands where on which issue — each with the sentence.

Per sentence (folded for matching, see :mod:`accord.ingest.text`):

- **mentions** of gazetteer entries, longest match first; a person counts for the actor whose role
  they hold on the article's date; a mention after a preposition (في، مع، من، with, in, …) or a
  clitic ب/ل is an object, never a subject; after "in"/"في" or in "the Omani capital" it is a place;
- **clauses**: the sentence cut at contrast connectives (بينما، في حين، while, whereas, but);
- **stance cues** (demand, reject, accept, "not negotiable"), each with a **subject** — the actor
  right after an Arabic verb, else the nearest actor before the cue, else the subject of the
  previous cue (reported speech) — and the **issue terms** in the cue's scope; direction =
  cue × term (``against`` terms and ``flip`` words such as "the right to" turn it) × negation;
- **red lines**, **threats and outside options**, **mediators** (بوساطة X، X-brokered, hosted by),
  **venues** (a place named where the talks are, and "failed" venues), platforms and news agencies.

Roles: mediators from their cues; principals are actors named together as the parties of the talks
("A and B held talks", "between A and B"); everyone else named as more than a place is a
stakeholder. What is named but no party is kept, with its reason, for the review list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from accord.ingest.clean import for_matching
from accord.ingest.lexicon import Entry, lexicon
from accord.ingest.sentences import Sentence
from accord.ingest.text import fold

_CONTRAST = re.compile(
    r"(?:،|,)?\s*(?<![^\W\d_])(?:بينما|في حين|فيما|بالمقابل|في المقابل|ومع ذلك|while|whereas|but)(?![^\W\d_])"
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LIST_GAP = re.compile(r"^\s*(?:,|،)?\s*(?:and|و|or|أو)?\s*(?:the\s+)?$", re.I)
_AR_CLITIC_PREP = set("بلك")


@dataclass
class Mention:
    actor: str  # actor id (for a person: the actor they stand for on the date)
    entry: Entry
    form: str  # name, capital, demonym, person, venue, platform, source
    start: int
    end: int
    pre: str  # the clitics before it (Arabic)
    prep: bool = False  # object of a preposition
    place: bool = False  # named as a place
    group: int = -1  # index of its coordinated list in the sentence

    @property
    def kind(self) -> str:
        return self.entry.kind


@dataclass
class Stance:
    actor: str
    issue: str
    direction: int  # +1 support, -1 oppose
    sentence: Sentence
    cue: str
    strength: float
    confidence: float
    red_line: bool = False
    conditional: bool = False
    term: str = ""
    how: str = ""  # how the rule read it, for the review list


@dataclass
class Mark:
    """Something said about an actor that is not a stance: a role cue, a threat, a venue."""

    actor: str
    what: str  # mediator, principal_pair, venue, failed_venue, place, threat, walk_away, stakeholder, platform, source, not_party
    sentence: Sentence
    confidence: float = 0.6
    note: str = ""


@dataclass
class Extraction:
    mentions: dict[str, list[tuple[Sentence, Mention]]] = field(default_factory=dict)
    stances: list[Stance] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    issues_named: dict[str, list[Sentence]] = field(default_factory=dict)
    unmatched_people: list[tuple[str, Sentence]] = field(default_factory=list)


def _all(rx: re.Pattern | None, text: str) -> list[re.Match]:
    return list(rx.finditer(text)) if rx is not None else []


def _mentions(sentence: Sentence, on: dt.date | None, out: Extraction) -> list[Mention]:
    f = fold(for_matching(sentence.text))
    lx = lexicon()
    found: list[Mention] = []
    for mt in lx.matchers:
        for m in mt.regex.finditer(f.cased if mt.case else f.text):
            suf = m.group("suf") or ""
            for e, form in mt.lookup(m.group("body")):
                if form == "name" and suf and e.kind == "state" and not suf.startswith(("'", "’")):
                    form = "demonym"  # إيران + ية: the adjective
                found.append(Mention(e.id, e, form, m.start(), m.end(), m.group("pre") or ""))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    chosen: list[Mention] = []
    last = -1
    for m in found:
        if m.start < last:
            continue
        if m.entry.kind == "person":
            role = next((r for r in m.entry.roles if r.holds(on)), None)
            if role is None:
                out.unmatched_people.append((m.entry.name, sentence))
                last = m.end
                continue
            m.actor, m.form = role.actor, "person"
        elif m.entry.kind == "venue":
            m.form = "venue"
        elif m.entry.kind in {"platform", "source"}:
            m.form = m.entry.kind
        chosen.append(m)
        last = m.end
    text = f.text
    lx_c = lx.cues
    for m in chosen:
        before = text[: m.start].split()
        prev = before[-1] if before else ""
        both = len(before) >= 2 and before[-2:] == ["كل", "من"]  # "كل من A و B" = both A and B
        m.prep = bool(set(m.pre) & _AR_CLITIC_PREP) or (prev in lx_c["preposition"] and not both)
        locative = bool(m.pre and m.pre[-1] == "ب") or (prev in lx_c["locative"] and not both)
        after = text[m.end : m.end + 12]
        m.place = (
            m.form in {"capital", "venue"}
            and locative
            or any(
                x.end() == m.start - 1 or x.end() == m.start
                for x in _all(lx_c["place_before"], text[: m.start + 1])
            )
            or bool(re.match(r"\s*capital\b", after))
            or bool(lx_c["venue"].search(text[max(0, m.start - 16) : m.start]))
            or (m.form != "demonym" and locative)
        )
    # coordinated lists: mentions separated by nothing but commas and "and"
    group = 0
    for i, m in enumerate(chosen):
        if (
            i
            and _LIST_GAP.match(text[chosen[i - 1].end : m.start])
            and not (m.pre and "و" not in m.pre and m.pre != chosen[i - 1].pre)
        ):
            m.group = chosen[i - 1].group
            if chosen[i - 1].place and text[chosen[i - 1].end : m.start].strip() in {",", "،"}:
                m.place = True  # "في مسقط، عمان": the country after the city is the place too
            if chosen[i - 1].prep:
                m.prep = True
        else:
            group += 1
            m.group = group
    return chosen


@dataclass
class _Cue:
    cls: str  # demand, reject, accept, keep, report
    start: int
    end: int
    polarity: int
    strength: float
    text: str


def _cues(text: str, clause: tuple[int, int]) -> list[_Cue]:
    lx = lexicon().cues
    cues: list[_Cue] = []
    for cls, (rx, strength) in lx["stance"].items():
        for m in rx.finditer(text, clause[0], clause[1]):
            cues.append(
                _Cue(cls, m.start(), m.end(), -1 if cls == "reject" else 1, strength, m.group())
            )
    for m in lx["report"].finditer(text, clause[0], clause[1]):
        cues.append(_Cue("report", m.start(), m.end(), 1, 0.0, m.group()))
    cues.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[_Cue] = []
    for c in cues:  # overlapping cues: keep the first, longest
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


def _negated(text: str, start: int, end: int) -> bool:
    lx = lexicon().cues
    window = text[start:end]
    window = lx["not_negation"].sub(" ", window)
    return bool(lx["negation"].search(window))


_STOP = re.compile(
    r"[.;:!?؟]|(?<![^\W\d_])(?:in|at|on|between|with|for|to|that|which|who|في|بين|مع|على|عن|ضد|الذي|التي)(?![^\W\d_])"
)


def _segment_end(text: str, start: int, words: int = 12) -> int:
    """Where the phrase after a cue ends: a preposition, punctuation, or after ``words`` words."""
    stop = _STOP.search(text, start)
    limit = [m.end() for m in _WORD.finditer(text, start)][:words]
    end = limit[-1] if len(limit) == words else len(text)
    return min(stop.start() if stop else len(text), end)


def _word_start(text: str, pos: int, n: int) -> int:
    """Where the n words before ``pos`` begin."""
    starts = [m.start() for m in _WORD.finditer(text, 0, pos)]
    return starts[-n] if len(starts) >= n else 0


def _words_between(text: str, a: int, b: int) -> int:
    return len(_WORD.findall(text[a:b]))


def _subjects(
    ms: list[Mention],
    cue_start: int,
    cue_end: int,
    clause: tuple[int, int],
    text: str,
    arabic: bool,
) -> list[Mention]:
    eligible = [
        m
        for m in ms
        if clause[0] <= m.start < clause[1]
        and not m.prep
        and not m.place
        and m.form not in {"platform", "source", "venue"}
    ]
    if arabic:
        gap = lexicon().cues["subject_gap"]
        after = [
            m
            for m in eligible
            if m.start >= cue_end
            and all(w in gap for w in _WORD.findall(text[cue_end : m.start]))
            and _words_between(text, cue_end, m.start) <= 2
        ]
        if after:
            first = after[0]
            return [m for m in eligible if m.group == first.group]
    before = [m for m in eligible if m.end <= cue_start]
    if before:
        last = before[-1]
        return [m for m in eligible if m.group == last.group]
    if not arabic:
        after = [
            m
            for m in eligible
            if m.start >= cue_end and _words_between(text, cue_end, m.start) <= 3
        ]
        if after:
            return [m for m in eligible if m.group == after[0].group]
    return []


def _issue_terms(text: str, a: int, b: int) -> list[tuple[str, int, int, int, str]]:
    """(issue, direction of the term, start, end, term text) for the issue terms in text[a:b]."""
    lx = lexicon()
    hits = []
    for issue in lx.issues:
        rx = lx.issue_rx[issue["id"]]
        spans = []
        for key, sign in (("against", -1), ("terms", 1), ("weak", 1)):
            for m in _all(rx[key], text):
                if not a <= m.start() < b:
                    continue
                if any(s <= m.start() < e for s, e, _ in spans):
                    continue
                if key == "weak":
                    near = text[max(a, m.start() - 30) : min(b, m.end() + 30)]
                    if not any(rx[k] is not None and rx[k].search(near) for k in ("flip", "boost")):
                        continue
                spans.append((m.start(), m.end(), sign))
                direction = sign
                if sign == 1 and rx["flip"] is not None:
                    near = text[max(a, m.start() - 30) : min(b, m.end() + 30)]
                    if rx["flip"].search(near) and not (rx["boost"] and rx["boost"].search(near)):
                        direction = -1
                hits.append((issue["id"], direction, m.start(), m.end(), m.group()))
    hits.sort(key=lambda h: h[2])
    # one hit per issue: the first
    seen: set[str] = set()
    out = []
    for h in hits:
        if h[0] not in seen:
            seen.add(h[0])
            out.append(h)
    return out


def extract(sentences: list[Sentence], on: dt.date | None) -> Extraction:
    out = Extraction()
    lexicon()
    per_sentence: list[tuple[Sentence, list[Mention]]] = []
    folded: dict[str, str] = {}
    for s in sentences:
        ms = _mentions(s, on, out)
        folded[s.id] = fold(for_matching(s.text)).text
        per_sentence.append((s, ms))
    named = {m.actor for _, ms in per_sentence for m in ms}
    for s, ms in per_sentence:
        # aliases limited to a context ("the army" in a text about Sudan)
        ms[:] = [m for m in ms if not m.entry.context or set(m.entry.context) & (named - {m.actor})]
        for m in ms:
            out.mentions.setdefault(m.actor, []).append((s, m))
        _sentence_rules(s, ms, folded[s.id], out)
    return out


def _sentence_rules(s: Sentence, ms: list[Mention], text: str, out: Extraction) -> None:
    lx = lexicon()
    cues = lx.cues
    arabic = s.lang in {"ar", "fa", "ur"}
    bounds = [0] + [m.start() for m in _CONTRAST.finditer(text)] + [len(text)]
    clauses = [
        (bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i + 1] > bounds[i]
    ]
    red = bool(cues["red_line"].search(text))
    talks = bool(cues["talks"].search(text))
    conditional_s = bool(cues["condition"].search(text))
    for issue, _, _, _, _ in _issue_terms(text, 0, len(text)):
        out.issues_named.setdefault(issue, []).append(s)
    # non-parties and places
    for m in ms:
        if m.form == "platform":
            out.marks.append(Mark(m.entry.id, "platform", s, 0.9))
        elif m.form == "source":
            out.marks.append(Mark(m.entry.id, "source", s, 0.9))
        elif m.place:
            failed = bool(cues["failed"].search(text[max(0, m.start - 60) : m.start]))
            framed = bool(cues["venue"].search(text[max(0, m.start - 16) : m.start]))
            venue_like = (
                m.form in {"capital", "venue"}
                or framed
                or bool(re.match(r"\s*capital\b", text[m.end : m.end + 12]))
            )
            what = "place"
            # a venue is where the talks are: "talks in X", "held in X", "المفاوضات ... في مسقط"
            near_talks = bool(cues["talks"].search(text[_word_start(text, m.start, 7) : m.start]))
            if talks and venue_like and (near_talks or failed or framed):
                what = "failed_venue" if failed else "venue"
            out.marks.append(Mark(m.actor, what, s, 0.7))
        elif m.form == "venue":
            out.marks.append(Mark(m.actor, "venue" if talks else "place", s, 0.6))
    # mediators
    mediated: set[int] = set()
    for m in cues["mediator_before"].finditer(text):
        by = re.match(r"\s*by\b", text[m.end() : m.end() + 5]) is not None or bool(
            re.search(r"\b(?:by|of)$", m.group().strip())
        )
        if arabic or by:
            stop = _segment_end(text, m.end())
            targets = [x for x in ms if m.end() <= x.start < stop and not x.place]
        else:
            before = [
                x
                for x in ms
                if x.end <= m.start() and not x.prep and _words_between(text, x.end, m.start()) <= 4
            ]
            targets = [x for x in ms if before and x.group == before[-1].group]
        for x in targets:
            if x.form in {"platform", "source"}:
                continue
            if x.form in {"capital", "venue"} or x.place:
                out.marks.append(Mark(x.actor, "venue", s, 0.6, "hosted the talks"))
            else:
                out.marks.append(Mark(x.actor, "mediator", s, 0.7, m.group().strip()))
                mediated.add(id(x))
    for m in cues["mediator_after"].finditer(text):
        before = [
            x for x in ms if x.end <= m.start() and _words_between(text, x.end, m.start()) <= 4
        ]
        if before and before[-1].form not in {"capital", "venue", "platform", "source"}:
            out.marks.append(Mark(before[-1].actor, "mediator", s, 0.7, m.group().strip()))
            mediated.add(id(before[-1]))
    # principals named together ("A and B held talks"; "between A and B")
    groups: dict[int, list[Mention]] = {}
    for m in ms:
        groups.setdefault(m.group, []).append(m)
    for g in groups.values():
        actors = {m.actor for m in g if m.form not in {"platform", "source", "venue"}}
        if len(actors) < 2 or any(m.place for m in g) or any(id(m) in mediated for m in g):
            continue
        first = g[0]
        after_between = bool(cues["between"].search(text[max(0, first.start - 10) : first.start]))
        if (talks and not first.prep) or (after_between and talks):
            for a in actors:
                why = "between A and B" if after_between else "A and B as the parties of the talks"
                out.marks.append(Mark(a, "principal_pair", s, 0.7 if after_between else 0.6, why))
    for m in cues["not_party"].finditer(text):
        before = [x for x in ms if x.end <= m.start()]
        if before:
            out.marks.append(Mark(before[-1].actor, "not_party", s, 0.7, m.group()))
    # stances, threats, stakeholders, per clause
    subject: list[Mention] = []
    for clause in clauses:
        subject = _clause_rules(s, ms, text, clause, arabic, red, conditional_s, out, subject)


def _clause_rules(s, ms, text, clause, arabic, red, conditional_s, out, subject) -> list:
    """The stances, threats and stakeholder cues of one clause; returns the last subject (a
    clause with none of its own carries the previous one: "ومع ذلك يعترفون ...")."""
    cues = lexicon().cues
    found = _cues(text, clause)
    inherited = bool(subject)
    i = 0
    while i < len(found):
        c = found[i]
        j = i
        polarity, strength = c.polarity, c.strength
        cls = c.cls
        # a cue right after another composes with it: "رفضت الالتزام ب" = refuses to commit to
        while (
            j + 1 < len(found)
            and found[j + 1].cls != "report"
            and _words_between(text, found[j].end, found[j + 1].start) <= 1
            and cls != "report"
        ):
            j += 1
            polarity *= found[j].polarity
            strength = max(strength, found[j].strength)
        subj = _subjects(ms, c.start, c.end, clause, text, arabic)
        if subj:
            subject, inherited = subj, False
        elif subject:
            inherited = True
        end = found[j].end
        nxt = next((k for k in found[j + 1 :] if k.cls != "report"), None)
        scope_end = nxt.start if nxt is not None else clause[1]
        i = j + 1
        if cls == "report" or not subject:
            continue
        terms = _issue_terms(text, end, scope_end)
        before = False
        if cls == "keep" or (not terms and lexicon().cues["lookback"].fullmatch(c.text.strip())):
            prev_end = max([k.end for k in found[: found.index(c)]] + [clause[0]])
            back = _issue_terms(text, prev_end, c.start)
            if back:
                terms, before = back, True
        negated = _negated(text, max(clause[0], c.start - 14), c.start)
        for issue, tdir, ts, _te, ttext in terms:
            near_neg = (
                _negated(text, max(end, _word_start(text, ts, 6)), ts) if not before else False
            )
            direction = polarity * tdir * (-1 if negated else 1) * (-1 if near_neg else 1)
            conf = strength * (0.8 if inherited else 1.0) * (0.85 if before else 1.0)
            if any(m.form == "demonym" for m in subject):
                conf *= 0.9
            for m in subject:
                if m.form in {"platform", "source", "venue"}:
                    continue
                out.stances.append(
                    Stance(
                        m.actor,
                        issue,
                        1 if direction > 0 else -1,
                        s,
                        c.text.strip(),
                        strength,
                        round(conf, 2),
                        red_line=red,
                        conditional=conditional_s,
                        term=ttext.strip(),
                        how=f"{'subject carried over; ' if inherited else ''}cue «{c.text.strip()}» "
                        f"({cls}{', negated' if negated or near_neg else ''}) + term «{ttext.strip()}»"
                        f"{' before the cue' if before else ''}",
                    )
                )
    # threats and outside options
    for key in ("threat", "walk_away"):
        for m in cues[key].finditer(text, clause[0], clause[1]):
            subj = _subjects(ms, m.start(), m.end(), clause, text, arabic) or subject
            for x in subj:
                out.marks.append(Mark(x.actor, key, s, 0.5, m.group().strip()))
            break
    # an actor hurt by sanctions wants them lifted (an inference: low confidence)
    for m in cues["harmed_by_sanctions"].finditer(text, clause[0], clause[1]):
        if not re.search(r"عقوبات|sanction", text[clause[0] : m.start()]):
            continue
        after = [x for x in ms if x.start >= m.end() and x.start - m.end() < 40]
        for x in after[:1]:
            out.stances.append(
                Stance(
                    x.actor,
                    "sanctions",
                    1,
                    s,
                    m.group().strip(),
                    0.3,
                    0.3,
                    term="sanctions",
                    how=f"inferred: the sanctions hurt it («{m.group().strip()}»)",
                )
            )
    for m in cues["stakeholder"].finditer(text, clause[0], clause[1]):
        for x in _subjects(ms, m.start(), m.end(), clause, text, arabic):
            out.marks.append(Mark(x.actor, "stakeholder", s, 0.5, m.group().strip()))
    return subject
