"""A second article drafted into an existing scenario: a dated update proposing changes, never
overwriting a number silently.

The update record (written under the scenario's ``updates:`` list)::

    - as_of: 2026-02-15
      title: "..."
      sources: [{id: ..., title: ..., date: ..., url: ..., language: ...}]
      set: {actors.us.outside_option.value: 45}        # what-if paths, as variants' `set`
      evidence:
        - {path: actors.us.outside_option.value, source: ..., quote: "...", gloss: "...", note: "..."}
      notes: ["..."]

:func:`update_record` is the ONE place that builds it (switch it to the store's typed record when
that lands); :func:`check_update` validates it against the scenario: ``set`` applied with
:func:`accord.scenario.patch.whatif`, the rest checked here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from accord.errors import AccordError, ScenarioError
from accord.ingest.draft import Draft, Fact
from accord.ingest.emit import DRAFTED, _stance, places_text, reading, to_yaml
from accord.scenario.types import Scenario


def _mid(issue) -> float:
    return (issue.low + issue.high) / 2


def _on_scale(issue, pos: float) -> float:
    """A drafted 0–100 position on the issue's own scale."""
    v = issue.low + (issue.high - issue.low) * pos / 100
    return round(v, 6) if issue.high - issue.low < 10 else round(v)


def _ev(path: str, fact_or_sentence: Any, source: str, gloss: str, note: str) -> dict:
    s = fact_or_sentence
    ev = {"path": path, "source": source, "quote": s.text}
    if s.gloss:
        ev["gloss"] = s.gloss
    elif s.lang != "en":
        ev["gloss"] = f"[rule reading, not a translation] {gloss}"
    ev["note"] = f"{note}; appears at {places_text(s)}"
    return ev


def update_record(
    *,
    as_of: dt.date,
    title: str,
    sources: list[dict],
    set_: dict[str, Any],
    evidence: list[dict],
    notes: list[str],
) -> dict:
    """The dated update, in the store's format (the one place it is built)."""
    return {
        "as_of": as_of,
        "title": title,
        "sources": sources,
        "set": set_,
        "evidence": evidence,
        "notes": notes,
    }


def propose_update(scenario: Scenario, d: Draft, *, as_of: dt.date | None = None) -> dict:
    """What the draft changes in ``scenario``: proposals (``set``) where it reads a stance the
    other way, a stance the actor did not have, a role or an outside option that differs; evidence
    for what it confirms; notes for what cannot be set (a new actor or issue) and for flags."""
    taken = {s.id for s in scenario.sources}
    sources, rename = [], {}
    for s in d.sources:
        sid, n = s.id, 2
        while sid in taken:
            sid, n = f"{s.id}-{n}", n + 1
        taken.add(sid)
        rename[s.id] = sid
        src = {"id": sid, "title": s.title or s.label, "language": s.language}
        if s.date and s.date_precision in {"day", "given"}:
            src["date"] = s.date
        if s.url:
            src["url"] = s.url
        sources.append(src)  # exactly the keys of the store's update sources
    day = as_of or d.as_of or dt.date.today()
    set_: dict[str, Any] = {}
    evidence: list[dict] = []
    notes: list[str] = []
    issues = {i.id: i for i in scenario.issues}
    actors = {a.id: a for a in scenario.actors}

    def src_of(sentence) -> str:
        return rename.get(sentence.source, sources[0]["id"] if sources else "")

    for a in d.actors:
        old = actors.get(a.id)
        if old is None:
            quote = a.role_marks[0].sentence.text if a.role_marks else ""
            notes.append(
                f"new actor named: {a.name} [{a.id}] as {a.role}"
                + (f" («{quote}»)" if quote else "")
                + " — not in the scenario; add it by hand if it belongs"
            )
            continue
        if a.role != old.role and a.role_marks:
            path = f"actors.{a.id}.role"
            set_[path] = a.role
            m = a.role_marks[0]
            evidence.append(
                _ev(
                    path,
                    m.sentence,
                    src_of(m.sentence),
                    f"names {a.name} as {a.role}",
                    f"{DRAFTED}: the scenario has {old.role}; the article reads {a.role} («{m.note}»)",
                )
            )
        if a.threats and (old.outside_option is None or old.outside_option.kind == "status_quo"):
            path = f"actors.{a.id}.outside_option.kind"
            kind = "walk_away" if a.threats[0].what == "walk_away" else "escalation"
            set_[path] = kind
            t = a.threats[0]
            evidence.append(
                _ev(
                    path,
                    t.sentence,
                    src_of(t.sentence),
                    f"{a.name}: {kind} if talks fail",
                    f"{DRAFTED}: the article reads a {kind} («{t.note}»)",
                )
            )
        for issue_id, fact in a.facts.items():
            _fact_update(fact, a, old, issues.get(issue_id), set_, evidence, notes, src_of)
    for f in d.flags:
        notes.append(f"FLAG ({src_of(f.sentence)}): {f.text()}")
    title = d.title if d.title else f"Update from {', '.join(s['id'] for s in sources)}"
    return update_record(
        as_of=day, title=title, sources=sources, set_=set_, evidence=evidence, notes=notes
    )


def _fact_update(fact: Fact, a, old, issue, set_, evidence, notes, src_of) -> None:
    s = fact.sentences[0]
    text = reading(fact, a.name)
    if issue is None:
        notes.append(
            f"new issue read: {text} («{s.text}») — the scenario has no issue {fact.issue!r}; add it "
            "by hand if it belongs"
        )
        return
    drafted = _stance(fact, a)
    stance = old.stances.get(fact.issue)
    path = f"actors.{a.id}.stances.{fact.issue}"
    if stance is None:
        set_[path] = {
            "position": _on_scale(issue, drafted["position"]),
            "salience": drafted["salience"],
        }
        evidence.append(
            _ev(
                path,
                s,
                src_of(s),
                text,
                f"{DRAFTED}: a stance the scenario did not have (confidence {fact.confidence:.2f})",
            )
        )
        return
    mid = _mid(issue)
    old_dir = 1 if stance.position > mid else -1 if stance.position < mid else 0
    if old_dir == fact.direction:
        evidence.append(
            _ev(
                f"{path}.position",
                s,
                src_of(s),
                text,
                f"confirms the scenario's position {stance.position:g} (confidence {fact.confidence:.2f})",
            )
        )
        return
    new = _on_scale(issue, drafted["position"])
    set_[f"{path}.position"] = new
    evidence.append(
        _ev(
            f"{path}.position",
            s,
            src_of(s),
            text,
            f"{DRAFTED}: the scenario has {stance.position:g}; the article reads the other "
            f"way (confidence {fact.confidence:.2f}) — proposed {new:g}",
        )
    )


_PATH_HEAD = re.compile(r"^actors\.([^.]+)(?:\.|$)")


def check_update(scenario: Scenario, record: dict) -> tuple[dict, list[str]]:
    """The record with every ``set`` change that keeps the scenario valid, and why the others were
    dropped. Raises :class:`AccordError` for a malformed record (a bug)."""
    from accord.scenario.patch import PatchError, whatif

    problems: list[str] = []
    if not isinstance(record.get("as_of"), dt.date):
        raise AccordError("an update needs its as_of date", field="updates.as_of")
    known = {s.id for s in scenario.sources} | {s["id"] for s in record["sources"]}
    if len({s["id"] for s in record["sources"]}) != len(record["sources"]):
        raise AccordError("an update's sources repeat an id", field="updates.sources")
    for ev in record["evidence"]:
        if ev.get("source") not in known:
            raise AccordError(
                f"evidence cites an unknown source {ev.get('source')!r}", field="updates.evidence"
            )
    kept: dict[str, Any] = {}
    for path, value in record["set"].items():
        try:
            whatif(scenario, {**kept, path: value}, origin="update")
            kept[path] = value
        except (PatchError, ScenarioError) as exc:
            first = exc.problems[0] if isinstance(exc, ScenarioError) and exc.problems else exc
            problems.append(f"dropped {path}={value!r}: {first}")
    out = dict(record)
    out["set"] = kept
    ids = {a.id for a in scenario.actors}
    out["evidence"] = [
        ev
        for ev in record["evidence"]
        if (m := _PATH_HEAD.match(ev["path"])) is None or m.group(1) in ids
    ]
    if problems:
        out["notes"] = list(record["notes"]) + problems
    return out, problems


def append_update(text: str, record: dict) -> str:
    """The scenario file's text with the update added under ``updates:`` (comments and layout of
    the rest kept when the file has no ``updates:`` yet or ends with it)."""
    block = to_yaml({"updates": [record]})
    has = re.search(r"(?m)^updates:\s*$", text)
    if not has:
        return text.rstrip("\n") + "\n\n" + block
    after = text[has.end() :]
    if re.search(r"(?m)^[^\s#-][^:]*:", after):  # another top-level key follows: rebuild
        data = yaml.safe_load(text)
        data.setdefault("updates", []).append(record)
        return "# re-written by accord draft --into (comments were not kept)\n" + to_yaml(data)
    item = block.split("\n", 1)[1]
    # the new item takes the indentation of the list it joins
    first = re.search(r"(?m)^( *)- ", after)
    pad = first.group(1) if first else ""
    item = "".join(pad + line if line.strip() else line for line in item.splitlines(True))
    return text.rstrip("\n") + "\n" + item
