"""Validation of scenarios: every problem at once, each with its path, line and a hint.

Two passes over the parsed data:

1. the types (pydantic): unknown keys, missing fields, wrong types, out-of-range numbers, NaN/inf —
   all type errors of all records in one go;
2. the meaning: duplicate or malformed ids, stances on unknown issues, evidence citing unknown
   sources, an empty scenario, positions/status quo/red lines off the issue's scale, red lines that
   exclude the actor's own position, ranges that are reversed or miss their value, variants whose
   ``set`` paths do not resolve or whose patched scenario is invalid.

The second pass also runs on the records that passed the first when others did not, so one run of
``accord validate`` shows both kinds.

Problems are located by the *loc* of the raw data (``('actors', 2, 'stances', 'missiles',
'salience')``), which :class:`Locator` turns into an id-based path
(``actors.iran.stances.missiles.salience``) and, when the parser recorded it, a line and column.
"""

from __future__ import annotations

import difflib
import math
import re
import types as _pytypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from accord.errors import Problem, ScenarioError
from accord.scenario.fields import UNCERTAIN
from accord.scenario.types import (
    Actor,
    Evidence,
    Issue,
    OutsideOption,
    Scenario,
    Source,
    Stance,
    Variant,
)

Loc = tuple[Any, ...]
Positions = Mapping[tuple[str, ...], tuple[int, int]]

# Ids appear in dotted paths (``actors.us.stances.missiles``) and in ``--set path=value``.
_BAD_ID = re.compile(r"[.=\n\r\t]")
_LISTS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "issues": Issue,
    "actors": Actor,
    "variants": Variant,
}
#: issue scales beyond this magnitude are refused (their span would overflow the arithmetic)
MAX_SCALE = 1e9

_KIND = {"sources": "source", "issues": "issue", "actors": "actor", "variants": "variant"}


# --------------------------------------------------------------------------------------------------
# Types along a path (for hints: allowed keys, what a field is)
# --------------------------------------------------------------------------------------------------
def _unwrap(t: Any) -> Any:
    """``X | None`` -> ``X``."""
    if get_origin(t) in (Union, _pytypes.UnionType):
        args = [a for a in get_args(t) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return t


def type_at(parts: Iterable[Any], root: Any = Scenario) -> Any:
    """The annotation found by following ``parts`` from ``root`` (``None`` if it leads nowhere).

    >>> type_at(("actors", 0, "stances", "missiles", "salience"))
    <class 'float'>
    """
    t = root
    for part in parts:
        t = _unwrap(t)
        if isinstance(t, type) and issubclass(t, BaseModel):
            f = t.model_fields.get(str(part))
            if f is None:
                return None
            t = f.annotation
        elif get_origin(t) in (list, tuple):
            t = get_args(t)[0]
        elif get_origin(t) is dict:
            t = get_args(t)[1]
        else:
            return None
    return _unwrap(t)


def model_fields_at(parts: Iterable[Any]) -> list[str]:
    """The keys allowed in the record at ``parts`` (empty if it is not a record)."""
    t = type_at(parts)
    if isinstance(t, type) and issubclass(t, BaseModel):
        return list(t.model_fields)
    return []


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"did you mean `x`? "`` for a close match, else ``""``."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`? " if close else ""


# --------------------------------------------------------------------------------------------------
# Locations
# --------------------------------------------------------------------------------------------------
def _segment(key: Any) -> str:
    s = str(key)
    if not s or "." in s or "[" in s or s != s.strip():
        return f'["{s}"]'
    return s


def _child(node: Any, key: Any) -> tuple[bool, Any]:
    """Look ``key`` up in a raw dict/list, forgiving int/str/float differences in dict keys."""
    if isinstance(node, (list, tuple)):
        if isinstance(key, int) and 0 <= key < len(node):
            return True, node[key]
        return False, None
    if isinstance(node, Mapping):
        if key in node:
            return True, node[key]
        for k, v in node.items():
            if str(k) == str(key):
                return True, v
    return False, None


@dataclass
class Locator:
    """Turns a raw-data loc into a :class:`Problem` with an id-based path and, if known, a line."""

    data: Any = None
    positions: Positions = field(default_factory=dict)
    file: str | None = None

    def path(self, loc: Loc) -> str:
        """``('actors', 2, 'stances', 'm', 'salience')`` -> ``actors.iran.stances.m.salience``."""
        out = ""
        node: Any = self.data
        for part in loc:
            if part == "[key]":
                continue
            if isinstance(part, str) and part.isdigit() and isinstance(node, (list, tuple)):
                part = int(part)  # raw paths from the parser spell list indices as text
            if isinstance(node, (list, tuple)) and isinstance(part, int):
                found, item = _child(node, part)
                ident = item.get("id") if found and isinstance(item, Mapping) else None
                if (
                    isinstance(ident, str)
                    and ident
                    and not _BAD_ID.search(ident)
                    and "[" not in ident
                    and ident == ident.strip()
                ):
                    out += ("." if out else "") + ident
                else:
                    out += f"[{part}]"
                node = item
                continue
            seg = _segment(part)
            out += seg if seg.startswith("[") or not out else "." + seg
            found, node = _child(node, part)
            if not found:
                node = None
        return out

    def where(self, loc: Loc) -> tuple[int | None, int | None]:
        """Line and column (1-based) of ``loc``, or of its nearest recorded ancestor."""
        key = tuple(str(p) for p in loc if p != "[key]")
        while True:
            if key in self.positions:
                return self.positions[key]
            if not key:
                return None, None
            key = key[:-1]

    def describe(self, loc: Loc) -> str:
        """A short reference to another place, for messages: ``line 12`` or a path."""
        line, _ = self.where(loc)
        return f"line {line}" if line is not None and self.positions else self.path(loc)

    def problem(self, loc: Loc, message: str, hint: str = "") -> Problem:
        line, column = self.where(loc)
        return Problem(
            message, path=self.path(loc), file=self.file, line=line, column=column, hint=hint
        )


# --------------------------------------------------------------------------------------------------
# Pass 1: types
# --------------------------------------------------------------------------------------------------
_RANGE_HINTS = {
    "salience": "salience is 0–100 (how much the actor cares); if yours are 0–1, multiply by 100",
    "capability": "capability is a number >= 0 (clout; only ratios between actors matter)",
    "value": "an outside option's value is on accord's 0–100 utility scale",
}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_problem(err: Mapping[str, Any], where: Locator) -> Problem:
    """One pydantic error as a Problem with a plain message and a hint."""
    loc: Loc = tuple(err["loc"])
    kind: str = err["type"]
    msg: str = err["msg"]
    value = err.get("input")
    name = str(loc[-1]) if loc else "scenario"
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        name = str(loc[-2])
    hint = ""
    got = True
    if kind == "missing":
        got = False
        if isinstance(loc[-1], int):
            message = f"{loc[-2]} needs two numbers, [low, high]"
            hint = f"write e.g. `{loc[-2]}: [20, 35]`"
        else:
            message = f"missing required field `{name}`"
            hint = f"add `{name}: ...` here"
            t = type_at(loc[:-1])
            if isinstance(t, type) and issubclass(t, BaseModel):
                desc = t.model_fields[name].description if name in t.model_fields else None
                if desc:
                    hint += f" ({desc})"
    elif kind == "extra_forbidden":
        got = False
        allowed = model_fields_at(loc[:-1])
        message = f"unknown key `{name}`"
        hint = did_you_mean(name, allowed)
        hint += ("allowed keys here: " + ", ".join(allowed)) if allowed else "remove it"
    elif kind == "finite_number":
        message = f"`{name}` must be a finite number, not {value!r}"
        hint = "NaN and infinity are refused; give a number, e.g. 50"
        got = False
    elif kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        message = f"`{name}` is out of range: {msg[0].lower()}{msg[1:]}"
        hint = _RANGE_HINTS.get(name, "")
    elif kind == "string_type":
        message = f"`{name}` must be text, not {type(value).__name__}"
        hint = (
            'quote it, e.g. `id: "2026"`: YAML reads bare numbers, dates and yes/no as other types'
        )
    elif kind.startswith(("float_", "int_")):
        message = f"`{name}`{' key' if is_key else ''} must be a number"
        hint = "give a plain number, e.g. 40"
    elif kind.startswith("bool_"):
        message = f"`{name}` must be true or false"
    elif kind.startswith(("date_", "datetime_")):
        message = f"`{name}` must be a date: {msg[0].lower()}{msg[1:]}"
        hint = "write dates as YYYY-MM-DD, e.g. 2026-02-06"
    elif kind == "literal_error":
        message = f"`{name}` must be one of {err.get('ctx', {}).get('expected', '')}"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = f"`{name}` must be a mapping of keys to values"
        fields = model_fields_at(loc)
        hint = (
            ("keys: " + ", ".join(fields))
            if fields
            else "write `key: value` lines, indented under it"
        )
    elif kind in ("list_type", "tuple_type"):
        message = f"`{name}` must be a list"
        hint = "write `- item` lines, or [a, b] for a range"
    elif kind in ("too_long", "too_short"):
        message = f"`{name}`: {msg[0].lower()}{msg[1:]}"
        hint = "a range is two numbers, [low, high]"
    elif kind == "value_error":
        message = f"`{name}`: {msg.removeprefix('Value error, ')}"
    else:
        message = f"`{name}`: {msg}"
    if got and value is not None and not isinstance(value, (dict, list)):
        message += f" (got {_shown(value)})"
    return where.problem(loc, message, hint)


def _merge_typos(errors: list[Any]) -> list[Any]:
    """Drop "missing `salience`" when the same record has the unknown key `salince`: one typo, one
    problem (the unknown key's hint names the field)."""
    typos = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            loc = tuple(e["loc"])
            close = difflib.get_close_matches(
                str(loc[-1]), model_fields_at(loc[:-1]), n=1, cutoff=0.6
            )
            if close:
                typos.add((*loc[:-1], close[0]))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in typos)]


# --------------------------------------------------------------------------------------------------
# Pass 2: meaning
# --------------------------------------------------------------------------------------------------
def _valid(model: type[BaseModel], value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


def _salvage_actor(raw: Any) -> Actor | None:
    """The parts of an actor that type, so its stances are still checked when, say, its capability
    is wrong. Evidence lists are kept whole or not at all (their indices are in the paths)."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        return None
    stances = {}
    if isinstance(raw.get("stances"), Mapping):
        for key, value in raw["stances"].items():
            st = _valid(Stance, value)
            if st is not None:
                stances[str(key)] = st
    cap = raw.get("capability")
    ok = (
        isinstance(cap, (int, float))
        and not isinstance(cap, bool)
        and math.isfinite(cap)
        and cap >= 0
    )
    rng = raw.get("capability_range")
    if not (
        isinstance(rng, (list, tuple))
        and len(rng) == 2
        and all(isinstance(x, (int, float)) and math.isfinite(x) for x in rng)
    ):
        rng = None
    evidence = (
        [_valid(Evidence, e) for e in raw.get("evidence") or []]
        if isinstance(raw.get("evidence"), list)
        else []
    )
    oo = raw.get("outside_option")
    return Actor.model_construct(
        id=raw["id"],
        name=str(raw.get("name", "")),
        capability=float(cap) if ok else None,
        capability_range=tuple(rng) if rng is not None else None,
        stances=stances,
        outside_option=_valid(OutsideOption, oo) if isinstance(oo, Mapping) else None,
        evidence=evidence if all(e is not None for e in evidence) else [],
    )


@dataclass
class _Parts:
    """The records that passed the type check (or the parts of them that did, for actors), with
    their index in the raw data."""

    id: str | None
    sources: list[tuple[int, Source]]
    issues: list[tuple[int, Issue]]
    actors: list[tuple[int, Actor]]
    variants: list[tuple[int, Variant]]

    @classmethod
    def of(cls, sc: Scenario) -> _Parts:
        return cls(
            sc.id,
            list(enumerate(sc.sources)),
            list(enumerate(sc.issues)),
            list(enumerate(sc.actors)),
            list(enumerate(sc.variants)),
        )

    @classmethod
    def partial(cls, data: Mapping[str, Any]) -> _Parts:
        got: dict[str, list] = {}
        for key, model in _LISTS.items():
            got[key] = []
            items = data.get(key)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                rec = _valid(model, item)  # its errors were reported by the full type check
                if rec is None and key == "actors":
                    rec = _salvage_actor(item)
                if rec is not None:
                    got[key].append((i, rec))
        ident = data.get("id")
        return cls(ident if isinstance(ident, str) else None, **got)


def _raw_ids(data: Mapping[str, Any], key: str) -> list[str]:
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [i["id"] for i in items if isinstance(i, Mapping) and isinstance(i.get("id"), str)]


def _known(ids: Iterable[str]) -> str:
    ids = list(ids)
    return ", ".join(ids) if ids else "none"


def _g(x: float) -> str:
    return f"{x:g}"


class _Checker:
    """Collects semantic problems of one scenario."""

    def __init__(self, data: Mapping[str, Any], parts: _Parts, where: Locator):
        self.data = data
        self.parts = parts
        self.where = where
        self.problems: list[Problem] = []
        self.issue_ids = _raw_ids(data, "issues")
        self.source_ids = _raw_ids(data, "sources")
        self.issues = {i.id: i for _, i in parts.issues}

    def add(self, loc: Loc, message: str, hint: str = "") -> None:
        self.problems.append(self.where.problem(loc, message, hint))

    def run(self) -> list[Problem]:
        self.ids()
        self.empty()
        for k, issue in self.parts.issues:
            self.issue(("issues", k), issue)
        for k, actor in self.parts.actors:
            self.actor(("actors", k), actor)
        for k, variant in self.parts.variants:
            self.variant(("variants", k), variant)
        self.models()
        return self.problems

    # -- model settings -------------------------------------------------------------------------
    def models(self) -> None:
        raw = self.data.get("models")
        if not isinstance(raw, Mapping):
            return  # missing, or a type problem already reported
        from pydantic import ValidationError as SettingsError

        from accord.models import MODELS
        from accord.models.base import settings_problems

        for name, given in raw.items():
            cls = MODELS.get(str(name))
            if cls is None:
                self.add(
                    ("models", name),
                    f"no model called {name!r}",
                    did_you_mean(str(name), MODELS) + "models: " + ", ".join(MODELS),
                )
                continue
            if not isinstance(given, Mapping):
                continue
            try:
                cls.Settings(**{str(k): v for k, v in given.items()})
            except SettingsError as exc:
                for key, message, hint in settings_problems(cls.Settings, exc):
                    self.add(("models", name, key) if key else ("models", name), message, hint)

    # -- ids ------------------------------------------------------------------------------------
    def _id_format(self, loc: Loc, ident: str, kind: str) -> None:
        if not ident.strip():
            self.add(loc, f"empty {kind} id", "give it a short id such as `us` or `missiles`")
        elif _BAD_ID.search(ident) or ident != ident.strip():
            self.add(
                loc,
                f"{kind} id {ident!r} contains a dot, '=', a line break or a tab, or starts or ends with a space",
                "ids are used in paths like actors.us.stances.missiles; use letters, digits, '-' or '_'",
            )

    def ids(self) -> None:
        if self.parts.id is not None:
            self._id_format(("id",), self.parts.id, "scenario")
        for key in _LISTS:
            kind = _KIND[key]
            first: dict[str, int] = {}
            for k, rec in getattr(self.parts, key):
                self._id_format((key, k, "id"), rec.id, kind)
                if key == "variants" and rec.id == "base":
                    self.add(
                        (key, k, "id"),
                        "'base' is reserved for the scenario itself (the first column of a comparison)",
                        "give the variant another id",
                    )
                if rec.id in first:
                    other = self.where.describe((key, first[rec.id]))
                    self.add(
                        (key, k, "id"),
                        f"duplicate {kind} id {rec.id!r} (first at {other})",
                        f"each {kind} needs its own id; rename or merge one of them",
                    )
                else:
                    first[rec.id] = k

    # -- empty ----------------------------------------------------------------------------------
    def empty(self) -> None:
        raw_issues, raw_actors = self.data.get("issues"), self.data.get("actors")
        if isinstance(raw_issues, list) and not raw_issues:
            self.add(
                ("issues",),
                "the scenario has no issues",
                "add at least one issue with id, name, scale (e.g. {0: ..., 100: ...}) and status_quo",
            )
        if isinstance(raw_actors, list) and len(raw_actors) < 2:
            self.add(
                ("actors",),
                "the scenario has no actors"
                if not raw_actors
                else "a negotiation needs two actors",
                "add at least two actors, each with id, name, capability and stances",
            )
        if not (
            isinstance(raw_issues, list)
            and raw_issues
            and isinstance(raw_actors, list)
            and raw_actors
        ):
            return
        taken: set[str] = set()
        for a in raw_actors:
            stances = a.get("stances") if isinstance(a, Mapping) else None
            if isinstance(stances, Mapping):
                taken.update(str(s) for s in stances)
        if not taken:
            self.add(
                ("actors",),
                "no actor has a stance on any issue",
                "give actors `stances: {<issue id>: {position: ..., salience: ...}}`",
            )
            return
        for k, ident in enumerate(_raw_ids(self.data, "issues")):
            if ident not in taken:
                self.add(
                    ("issues", k),
                    f"no actor has a stance on issue {ident!r}",
                    "give at least one actor a stance on it, or remove the issue",
                )

    # -- records --------------------------------------------------------------------------------
    def evidence(self, loc: Loc, items: list[Evidence], record: type[BaseModel]) -> None:
        fields = [f for f in record.model_fields if f != "evidence"]
        for e, ev in enumerate(items):
            if ev.source not in self.source_ids:
                self.add(
                    (*loc, "evidence", e, "source"),
                    f"evidence cites unknown source {ev.source!r}",
                    did_you_mean(ev.source, self.source_ids)
                    + f"add it under `sources:` (known sources: {_known(self.source_ids)})",
                )
            for s, name in enumerate(ev.supports):
                if name not in fields:
                    self.add(
                        (*loc, "evidence", e, "supports", s),
                        f"evidence supports unknown field {name!r}",
                        did_you_mean(name, fields) + "fields here: " + ", ".join(fields),
                    )

    def _range(
        self,
        loc: Loc,
        rng: tuple[float, float] | None,
        value: float | None,
        what: str,
        lo: float | None = None,
        hi: float | None = None,
    ) -> None:
        if rng is None:
            return
        a, b = rng
        if a > b:
            self.add(
                loc, f"{loc[-1]} [{_g(a)}, {_g(b)}] is reversed", f"write it as [{_g(b)}, {_g(a)}]"
            )
            a, b = b, a
        if (lo is not None and a < lo) or (hi is not None and b > hi):
            self.add(
                loc,
                f"{loc[-1]} [{_g(a)}, {_g(b)}] goes beyond {_g(lo)}–{_g(hi)}",
                f"keep the range within {_g(lo)}–{_g(hi)}",
            )
        if value is not None and not a <= value <= b:
            self.add(
                loc,
                f"{loc[-1]} [{_g(a)}, {_g(b)}] does not contain the {what} {_g(value)}",
                f"widen the range or change the {what}; the range is the uncertainty around it",
            )

    def issue(self, loc: Loc, issue: Issue) -> None:
        if max(abs(issue.low), abs(issue.high)) > MAX_SCALE:
            self.add(
                (*loc, "scale"),
                f"the scale {_g(issue.low)}–{_g(issue.high)} goes beyond ±{_g(MAX_SCALE)}",
                "use a scale such as 0–100 (scales are for positions, not raw quantities)",
            )
        if not issue.low <= issue.status_quo <= issue.high:
            self.add(
                (*loc, "status_quo"),
                f"status quo {_g(issue.status_quo)} is outside the scale {_g(issue.low)}–{_g(issue.high)}",
                "give a value between the scale's ends, or widen the scale",
            )
        self.evidence(loc, issue.evidence, Issue)

    def ranges(self, loc: Loc, actor: Actor | None, st: Stance | None, issue: Issue | None) -> None:
        """Every uncertainty range of the actor's own numbers (``st`` None) or of one stance: not
        reversed, within what the number can be, around the number, never without it."""
        for f in UNCERTAIN:
            if f.per_issue != (st is not None):
                continue
            rec = f.record(actor, st)  # type: ignore[arg-type]
            if rec is None:
                continue
            value, rng = getattr(rec, f.value), getattr(rec, f.range)
            rloc = (*loc, *f.holder, f.range)
            if value is None and f.key in ("position", "salience", "capability"):
                continue  # a required number that did not type: reported already
            if rng is not None and value is None:
                self.add(
                    rloc,
                    f"{f.range} given without a {f.value}",
                    f"give {f.value} too: the range is the uncertainty around it",
                )
            if f.per_issue and issue is None:
                lo, hi = None, None  # an unknown issue is reported on its own
            else:
                lo, hi = f.bounds(issue)
            self._range(rloc, rng, value, f.label, lo, hi)

    def actor(self, loc: Loc, actor: Actor) -> None:
        self.ranges(loc, actor, None, None)
        for issue_id, st in actor.stances.items():
            sloc = (*loc, "stances", issue_id)
            if issue_id not in self.issue_ids:
                self.add(
                    sloc,
                    f"stance on unknown issue {issue_id!r}",
                    did_you_mean(issue_id, self.issue_ids)
                    + f"known issues: {_known(self.issue_ids)}",
                )
            self.stance(sloc, st, self.issues.get(issue_id))
        oo = actor.outside_option
        if oo is not None:
            self.evidence((*loc, "outside_option"), oo.evidence, OutsideOption)
        self.evidence(loc, actor.evidence, Actor)

    def stance(self, loc: Loc, st: Stance, issue: Issue | None) -> None:
        lo, hi = (issue.low, issue.high) if issue is not None else (None, None)
        if issue is not None and not lo <= st.position <= hi:
            self.add(
                (*loc, "position"),
                f"position {_g(st.position)} is outside the scale of {issue.id!r} ({_g(lo)}–{_g(hi)})",
                "positions lie on the issue's scale; check the scale's ends or the number",
            )
        self.ranges(loc, None, st, issue)
        rl = st.red_line
        if rl is not None:
            rloc = (*loc, "red_line")
            if rl.min is not None and rl.max is not None and rl.min > rl.max:
                self.add(
                    rloc,
                    f"red line min {_g(rl.min)} is above its max {_g(rl.max)}",
                    "min is the lowest acceptable outcome, max the highest; swap them",
                )
            else:
                if (rl.min is not None and st.position < rl.min) or (
                    rl.max is not None and st.position > rl.max
                ):
                    shown = f"[{'-inf' if rl.min is None else _g(rl.min)}, {'inf' if rl.max is None else _g(rl.max)}]"
                    self.add(
                        rloc,
                        f"red line {shown} excludes the actor's own position {_g(st.position)}",
                        "an actor accepts its own position: move the red line or the position",
                    )
            if issue is not None:
                for end in ("min", "max"):
                    v = getattr(rl, end)
                    if v is not None and not lo <= v <= hi:
                        self.add(
                            (*rloc, end),
                            f"red line {end} {_g(v)} is outside the scale {_g(lo)}–{_g(hi)}",
                            "leave that end out if there is no limit on that side",
                        )
        self.evidence(loc, st.evidence, Stance)

    def variant(self, loc: Loc, v: Variant) -> None:
        for key in v.expect:
            if key.startswith("issues."):
                ident = key.split(".", 1)[1]
                if ident not in self.issue_ids:
                    self.add(
                        (*loc, "expect", key),
                        f"expectation on unknown issue {ident!r}",
                        did_you_mean(ident, self.issue_ids)
                        + f"known issues: {_known(self.issue_ids)}",
                    )
        self.evidence(loc, v.evidence, Variant)


def _check_variants(sc: Scenario, where: Locator) -> list[Problem]:
    """Apply each variant; report paths that do not resolve and problems the patch introduces
    (those the base scenario has already are reported once, for the base)."""
    from accord.scenario.patch import PatchError, apply_changes

    out: list[Problem] = []
    dumped = sc.model_dump()
    seen = {(p.path, p.message) for p in check_data(dumped, variants=False)[1]}
    for k, v in enumerate(sc.variants):
        vloc: Loc = ("variants", k, "set")
        try:
            patched = apply_changes(dumped, v.set)
        except PatchError as exc:
            out.append(
                where.problem(
                    (*vloc, exc.key) if exc.key else vloc,
                    f"variant {v.id!r}: {exc.message}",
                    exc.hint,
                )
            )
            continue
        _, found = check_data(patched, variants=False)
        for p in found:
            if (p.path, p.message) in seen:
                continue
            key = next((s for s in v.set if p.path == s or p.path.startswith(s + ".")), None)
            out.append(
                where.problem(
                    (*vloc, key) if key else vloc,
                    f"variant {v.id!r} makes the scenario invalid at {p.path}: {p.message}",
                    p.hint or "change the value this variant sets",
                )
            )
    return out


# --------------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------------
_TOP_KEYS = ", ".join(Scenario.model_fields)


def check_data(
    data: Any,
    *,
    file: str | None = None,
    positions: Positions | None = None,
    variants: bool = True,
) -> tuple[Scenario | None, list[Problem]]:
    """Validate raw data (as parsed from YAML/JSON); return the scenario (if it typed) and problems.

    ``positions`` maps raw paths (tuples of strings, list indices as digits) to (line, column), so
    problems carry lines. ``variants=False`` skips applying the variants.
    """
    where = Locator(data, positions or {}, file)
    if data is None:
        return None, [
            where.problem(
                (), "the scenario is empty", f"a scenario is a mapping with keys {_TOP_KEYS}"
            )
        ]
    if not isinstance(data, Mapping):
        return None, [
            where.problem(
                (),
                f"a scenario must be a mapping of keys to values, not a {type(data).__name__}",
                f"start with `id: ...`, `title: ...`, then issues and actors (keys: {_TOP_KEYS})",
            )
        ]
    problems: list[Problem] = []
    sc: Scenario | None = None
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        problems.extend(_type_problem(e, where) for e in _merge_typos(exc.errors()))
    parts = _Parts.of(sc) if sc is not None else _Parts.partial(data)
    problems.extend(_Checker(data, parts, where).run())
    if sc is not None and variants and sc.variants:
        problems.extend(_check_variants(sc, where))
    if sc is not None and variants and sc.updates:
        from accord.scenario.versions import check_updates

        found = check_updates(sc, apply=not problems)  # a broken base is reported once, above
        problems.extend(where.problem(loc, msg, hint) for loc, msg, hint in found)
    return (sc, problems)


def check(scenario: Scenario, *, variants: bool = True) -> list[Problem]:
    """Every semantic problem of a typed scenario (paths only: an object has no lines)."""
    _, problems = check_data(scenario.model_dump(), variants=variants)
    return problems


def ensure_valid(scenario: Scenario, source: str | None = None) -> Scenario:
    """Return ``scenario`` if it is valid, else raise :class:`ScenarioError` with every problem."""
    problems = check(scenario)
    if problems:
        raise ScenarioError(problems, source=source)
    return scenario


__all__ = ["Locator", "check", "check_data", "did_you_mean", "ensure_valid", "type_at"]
