"""Optional: an LLM behind any OpenAI-compatible endpoint reads what the rules cannot.

Off unless a URL and a model are given; then the cleaned, de-duplicated, numbered sentences (not
the raw page) go to ``POST {url}/chat/completions`` with the actors the rules found and the issue
vocabulary, and the model answers in JSON: stances, actors with roles, English glosses. Nothing it
says is kept unless its quote occurs **verbatim** in a sentence of the article, its actor and issue
are known or well-formed, and its labels are among the allowed ones; everything dropped is listed.
Kept claims join the rule draft with the same provenance (sentence, places) and are marked as the
model's. A failing endpoint leaves the rule draft as it is, with a warning.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from accord.errors import AccordError
from accord.ingest.draft import Draft, DraftActor, Fact
from accord.ingest.extract import Mark, Stance
from accord.ingest.lexicon import lexicon
from accord.ingest.sentences import Sentence

MAX_RESPONSE_BYTES = 2 * 2**20
_ID = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_ROLES = {"principal", "mediator", "stakeholder"}


@dataclass(frozen=True)
class LLMConfig:
    url: str
    model: str
    api_key: str = ""
    timeout: float = 300.0

    def endpoint(self) -> str:
        u = self.url.rstrip("/")
        return u if u.endswith("/chat/completions") else u + "/chat/completions"


@dataclass
class LLMReport:
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    warning: str = ""


def _prompt(d: Draft) -> list[dict]:
    vocab = "\n".join(
        f"- {i['id']}: support = {i['reads']['support']}; oppose = {i['reads']['oppose']}"
        for i in lexicon().issues
    )
    found = ", ".join(f"{a.id} ({a.name}, {a.role})" for a in d.actors) or "none"
    numbered = "\n".join(f"[{s.id}] {s.text}" for s in d.sentences)
    system = (
        "You read news about negotiations and extract who negotiates, in what role, and who "
        "stands where on which issue. Answer with one JSON object only, with keys: "
        '"actors": [{"id", "name", "role": "principal|mediator|stakeholder", "sentence", "quote"}], '
        '"stances": [{"actor", "issue", "stance": "support|oppose", "red_line": true|false, '
        '"sentence", "quote", "gloss"}], "glosses": [{"sentence", "gloss"}]. '
        "Every quote must be copied exactly, character for character, from the sentence it cites "
        "(in the article's language); gloss is its English translation. Use the issue ids given. "
        "Venues, news agencies and the publishing platform are not actors."
    )
    user = (
        f"Issues:\n{vocab}\n\nActors found so far: {found}\n\nSentences:\n{numbered}\n\n"
        "Give English glosses for the sentences that are not in English."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def ask(config: LLMConfig, d: Draft) -> dict:
    """The model's JSON answer (raises AccordError, field ``llm``, when there is none)."""
    body = json.dumps(
        {
            "model": config.model,
            "messages": _prompt(d),
            "temperature": 0,
            "response_format": {"type": "json_object"},
        }
    ).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    req = urllib.request.Request(config.endpoint(), data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=config.timeout) as resp:  # noqa: S310 - user's URL
            raw = resp.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise AccordError(f"the LLM endpoint answered HTTP {exc.code}", field="llm") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise AccordError(
            f"the LLM endpoint could not be reached ({getattr(exc, 'reason', exc)})", field="llm"
        ) from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise AccordError("the LLM's answer is over 2 MiB", field="llm")
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
        content = re.sub(r"^\s*```(?:json)?|```\s*$", "", content.strip())
        answer = json.loads(content)
    except (ValueError, KeyError, IndexError, TypeError):
        raise AccordError("the LLM's answer is not the JSON asked for", field="llm") from None
    if not isinstance(answer, dict):
        raise AccordError("the LLM's answer is not a JSON object", field="llm")
    return answer


def _where(d: Draft, sid: object, quote: object) -> Sentence | None:
    """The sentence that holds the quote verbatim (the cited one first), else None."""
    if not isinstance(quote, str) or len(quote.strip()) < 8:
        return None
    q = quote.strip()
    cited = [s for s in d.sentences if s.id == sid]
    for s in cited + d.sentences:
        if q in s.text:
            return s
    return None


def merge(d: Draft, answer: dict, model: str) -> LLMReport:
    """Keep the claims whose quotes check out; change ``d`` in place."""
    rep = LLMReport()
    lx = lexicon()
    issues = {i["id"] for i in lx.issues}
    for g in answer.get("glosses") or []:
        if not isinstance(g, dict):
            continue
        s = next((x for x in d.sentences if x.id == g.get("sentence")), None)
        if s is not None and isinstance(g.get("gloss"), str) and g["gloss"].strip():
            s.gloss = g["gloss"].strip()
            s.gloss_by = model
    for a in answer.get("actors") or []:
        if not isinstance(a, dict):
            continue
        aid, role = str(a.get("id", "")), a.get("role")
        s = _where(d, a.get("sentence"), a.get("quote"))
        if s is None:
            rep.dropped.append(f"actor {aid!r}: its quote is not in the article")
            continue
        if not _ID.match(aid) or role not in _ROLES:
            rep.dropped.append(f"actor {aid!r}: malformed id or role {role!r}")
            continue
        e = lx.by_id.get(aid)
        if e is not None and e.kind in {"platform", "source", "venue"}:
            rep.dropped.append(f"actor {aid!r}: a {e.kind}, not a party")
            continue
        mark = Mark(
            aid,
            "mediator"
            if role == "mediator"
            else "principal_pair"
            if role == "principal"
            else "stakeholder",
            s,
            0.5,
            f"{model}: {a.get('quote')}",
        )
        old = d.actor(aid)
        if old is None:
            name = e.name if e else str(a.get("name") or aid)
            d.actors.append(
                DraftActor(
                    aid,
                    name,
                    dict(e.names) if e else {},
                    e.kind if e else "other",
                    role,
                    0.45,
                    [mark],
                    len(d.sentences),
                )
            )
            rep.kept.append(f"actor {aid} as {role}")
        elif old.role != role:
            rep.kept.append(
                f"role of {aid}: the model reads {role}, the rules {old.role} (kept the rules', for review)"
            )
            old.role_confidence = min(old.role_confidence, 0.4)
    for st in answer.get("stances") or []:
        if not isinstance(st, dict):
            continue
        aid, issue, stance = str(st.get("actor", "")), st.get("issue"), st.get("stance")
        s = _where(d, st.get("sentence"), st.get("quote"))
        label = f"stance {aid}/{issue}/{stance}"
        if s is None:
            rep.dropped.append(f"{label}: its quote is not in the article")
            continue
        if issue not in issues or stance not in {"support", "oppose"}:
            rep.dropped.append(f"{label}: unknown issue or stance")
            continue
        actor = d.actor(aid)
        if actor is None:
            rep.dropped.append(f"{label}: {aid!r} is no actor of the draft")
            continue
        direction = 1 if stance == "support" else -1
        reading = Stance(
            aid,
            issue,
            direction,
            s,
            "llm",
            0.5,
            0.5,
            bool(st.get("red_line")),
            False,
            str(st.get("quote")),
            f"the model {model}'s reading; its quote checked verbatim",
        )
        fact = actor.facts.get(issue)
        if fact is None:
            actor.facts[issue] = Fact(
                aid, issue, direction, 0.5, 0.5, reading.red_line, False, [reading]
            )
            rep.kept.append(label)
        elif fact.direction != direction:
            fact.readings.append(reading)
            fact.conflicting, fact.confidence = True, min(fact.confidence, 0.35)
            rep.kept.append(f"{label}: disagrees with the rules (kept both, for review)")
        else:
            fact.readings.append(reading)
            fact.confidence = min(0.95, fact.confidence + 0.1)
            rep.kept.append(f"{label}: agrees with the rules")
    return rep


def enrich(d: Draft, config: LLMConfig) -> LLMReport:
    """Ask the model and merge what checks out; a failing endpoint leaves the draft as it is."""
    try:
        answer = ask(config, d)
    except AccordError as exc:
        return LLMReport(warning=f"{exc.message}; the draft is the rules' alone")
    return merge(d, answer, config.model)
