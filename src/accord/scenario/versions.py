"""Dated versions of a scenario: the picture as it stood on each date of its ``updates``.

A scenario describes the situation on its ``as_of`` date; its ``updates`` (see
:class:`~accord.scenario.types.Update`) say what changed later, each dated and sourced. The
version at date D is the scenario with every update dated on or before D applied in date order:
each update's ``set`` goes through :func:`accord.scenario.patch.whatif` (so ranges follow moved
values and the changes and adjustments are recorded, with origin ``update:DATE``), its sources
join the scenario's, its evidence joins the record that holds each changed number (``supports``
naming the field), its notes join the scenario's notes, and ``as_of`` becomes the update's date.
A version carries no ``updates`` of its own: it is the forecast as it could be made that day.

>>> from accord.scenario import load
>>> sc = load("us-iran-muscat-2026")
>>> [v.label for v in versions(sc)]  # doctest: +SKIP
['2026-02-06', '2026-02-08', '2026-02-15', '2026-02-20', '2026-02-26']
>>> version_at(sc, "2026-02-17").as_of.isoformat()  # doctest: +SKIP
'2026-02-15'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from accord.errors import ParameterError, Problem, ScenarioError
from accord.scenario.patch import PatchError, WhatIf, whatif
from accord.scenario.types import Scenario, Update


@dataclass(frozen=True)
class Version:
    """The scenario as of one date: ``scenario`` (no updates of its own), and ``whatif``, the way
    from the scenario as written to it (changes with origin ``update:DATE``, adjustments)."""

    as_of: dt.date | None
    title: str
    scenario: Scenario
    whatif: WhatIf
    update: Update | None = None  # None for the scenario as written

    @property
    def label(self) -> str:
        return self.as_of.isoformat() if self.as_of else "as written"


def _strip(sc: Scenario) -> Scenario:
    return sc.model_copy(update={"updates": []}) if sc.updates else sc


def parse_date(value: dt.date | str, field: str = "as_of") -> dt.date:
    """A date from ``YYYY-MM-DD`` text (or a date); :class:`ParameterError` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError(
            f"{value!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2026-02-15", field=field
        ) from None


# -- walking raw scenario data ------------------------------------------------------------------


def _parts(path: str) -> list[str]:
    out: list[str] = []
    for seg in str(path).strip().split("."):
        head, bracket, rest = seg.partition("[")
        out.extend([head, "[" + rest] if bracket and head else [seg])
    return out


def _child(node: Any, seg: str) -> tuple[bool, Any]:
    """The item ``seg`` names below ``node`` in raw data: a key, a list item's id or ``[n]``."""
    if isinstance(node, Mapping):
        for k, v in node.items():
            if str(k) == seg or k == seg:
                return True, v
        try:
            num = float(seg)
        except ValueError:
            return False, None
        for k, v in node.items():
            if isinstance(k, (int, float)) and k == num:
                return True, v
        return False, None
    if isinstance(node, list):
        for item in node:
            if isinstance(item, Mapping) and item.get("id") == seg:
                return True, item
        digits = seg[1:-1] if seg.startswith("[") and seg.endswith("]") else seg
        if digits.isdigit() and int(digits) < len(node):
            return True, node[int(digits)]
    return False, None


def resolves(data: Any, path: str) -> bool:
    """Whether ``path`` names something set in raw scenario data."""
    node = data
    for seg in _parts(path):
        found, node = _child(node, seg)
        if not found or node is None:
            return False
    return True


def _evidence_holder(data: dict, path: str) -> tuple[dict, str] | None:
    """The deepest record along ``path`` that keeps evidence, and the field below it the path goes
    through (what the evidence ``supports``)."""
    from accord.scenario.validate import type_at

    parts = _parts(path)
    node: Any = data
    best = None
    for j, seg in enumerate(parts):
        t = type_at(parts[:j])
        if (
            isinstance(node, dict)
            and isinstance(t, type)
            and issubclass(t, BaseModel)
            and "evidence" in t.model_fields
            and seg != "evidence"
        ):
            best = (node, seg)
        found, node = _child(node, seg)
        if not found or node is None:
            break
    return best


# -- applying updates ---------------------------------------------------------------------------


def apply_update(scenario: Scenario, update: Update, *, source: str | None = None) -> WhatIf:
    """``scenario`` (as of an earlier date) moved to ``update.as_of``: its ``set`` applied with
    :func:`~accord.scenario.patch.whatif`, then its sources, evidence and notes merged in.

    Raises :class:`PatchError` or :class:`ScenarioError` (naming the update) when it does not
    apply or leaves the scenario invalid."""
    label = source or f"update {update.as_of.isoformat()} of {scenario.id!r}"
    base = _strip(scenario)
    w = whatif(base, update.set, origin=f"update:{update.as_of.isoformat()}", source=label)
    data = w.scenario.model_dump()
    data["as_of"] = update.as_of
    data["sources"] = list(data.get("sources") or []) + [s.model_dump() for s in update.sources]
    for ev in update.evidence:
        if not resolves(data, ev.path):
            continue  # removed by the update, or a wrong path (the validator says which)
        held = _evidence_holder(data, ev.path)
        if held is None:
            continue  # a top-level field (title, description): the update itself keeps it
        node, field = held
        node.setdefault("evidence", [])
        node["evidence"] = list(node["evidence"] or []) + [
            {
                "source": ev.source,
                "quote": ev.quote,
                "gloss": ev.gloss,
                "note": ev.note,
                "supports": [field],
            }
        ]
    head = f"{update.as_of.isoformat()}" + (f" ({update.title})" if update.title else "")
    data["notes"] = list(data.get("notes") or []) + [f"{head}: {n}" for n in update.notes]
    data["updates"] = []
    from accord.scenario.validate import check_data

    sc, problems = check_data(data, variants=False)
    if problems or sc is None:
        raise ScenarioError(problems, source=label)
    return WhatIf(sc, w.changes, w.adjustments, scenario)


def versions(scenario: Scenario) -> list[Version]:
    """The scenario as written, then one version per update, in date order (each cumulative)."""
    base = _strip(scenario)
    first = Version(scenario.as_of, "as written", base, WhatIf(base, base=scenario))
    out = [first]
    w = first.whatif
    for update in sorted(scenario.updates, key=lambda u: u.as_of):
        w = w.then(apply_update(w.scenario, update))
        w = WhatIf(w.scenario, w.changes, w.adjustments, scenario)
        out.append(Version(update.as_of, update.title, w.scenario, w, update))
    return out


def version_at(scenario: Scenario, as_of: dt.date | str) -> Version:
    """The version in force on ``as_of``: the scenario with every update dated on or before it.

    A date before the scenario's own ``as_of`` is an error (nothing is known of that day)."""
    day = parse_date(as_of)
    if scenario.as_of is not None and day < scenario.as_of:
        raise ParameterError(
            f"scenario {scenario.id!r} starts on {scenario.as_of.isoformat()}; there is no "
            f"version as of {day.isoformat()}",
            hint="dated versions: " + ", ".join(v.label for v in versions(scenario)),
            field="as_of",
        )
    if not scenario.updates:
        return versions(scenario)[0]
    chosen = [u for u in scenario.updates if u.as_of <= day]
    v = versions(scenario.model_copy(update={"updates": chosen}))[-1]
    w = WhatIf(v.scenario, v.whatif.changes, v.whatif.adjustments, scenario)
    return Version(v.as_of, v.title, v.scenario, w, v.update)


# -- validation -----------------------------------------------------------------------------------


def check_updates(
    scenario: Scenario, *, apply: bool = True
) -> list[tuple[tuple[Any, ...], str, str]]:
    """Every problem of the scenario's updates as ``(loc, message, hint)`` in the raw data
    (``("updates", k, "set", path)``), for :mod:`accord.scenario.validate` to locate: dates out of
    order, sources repeated or dated after their version, evidence citing an unknown source or a
    path that leads nowhere, paths that do not apply, and versions that do not validate (with
    every variant applied to each). ``apply=False`` checks only dates, sources and citations
    (for a scenario whose own problems are reported already)."""
    from accord.scenario.validate import _BAD_ID, check, did_you_mean

    out: list[tuple[tuple[Any, ...], str, str]] = []
    if scenario.as_of is None:
        out.append(
            (
                ("updates",),
                "a scenario with dated updates needs its own `as_of`",
                "give the date the scenario as written describes, e.g. as_of: 2026-02-06",
            )
        )
    known = [s.id for s in scenario.sources]
    previous = scenario.as_of
    current = _strip(scenario)
    broken = not apply
    for k, up in enumerate(scenario.updates):
        day = up.as_of.isoformat()
        if previous is not None and up.as_of <= previous:
            what = "the scenario's as_of" if k == 0 else "the update before it"
            out.append(
                (
                    ("updates", k, "as_of"),
                    f"update {day} is not later than {what} ({previous.isoformat()})",
                    "updates come after the scenario's own date, in date order",
                )
            )
        previous = max(previous, up.as_of) if previous else up.as_of
        for s, src in enumerate(up.sources):
            loc = ("updates", k, "sources", s)
            if src.id in known:
                out.append(
                    (
                        (*loc, "id"),
                        f"update {day}: source id {src.id!r} is already used",
                        "each source needs its own id; cite the existing one instead",
                    )
                )
            elif _BAD_ID.search(src.id) or not src.id.strip():
                out.append(((*loc, "id"), f"update {day}: bad source id {src.id!r}", ""))
            if src.date is not None and src.date > up.as_of:
                out.append(
                    (
                        (*loc, "date"),
                        f"update {day}: source {src.id!r} is dated {src.date.isoformat()}, "
                        "after the version it belongs to",
                        "a dated version may only use what was known on its date",
                    )
                )
            known.append(src.id)
        if not broken:
            try:
                nxt = apply_update(current, up).scenario
            except PatchError as exc:
                key = exc.key if exc.key in up.set else None
                loc = ("updates", k, "set", key) if key else ("updates", k, "set")
                out.append((loc, f"update {day}: {exc.message}", exc.hint))
                broken = True
            except ScenarioError as exc:
                for p in exc.problems:
                    key = next(
                        (s for s in up.set if p.path == s or p.path.startswith(s + ".")), None
                    )
                    loc = ("updates", k, "set", key) if key else ("updates", k, "set")
                    out.append(
                        (
                            loc,
                            f"update {day} makes the scenario invalid at {p.path}: {p.message}",
                            p.hint,
                        )
                    )
                broken = True
        for e, ev in enumerate(up.evidence):
            loc = ("updates", k, "evidence", e)
            if ev.source not in known:
                out.append(
                    (
                        (*loc, "source"),
                        f"update {day}: evidence cites unknown source {ev.source!r}",
                        did_you_mean(ev.source, known)
                        + "add it to this update's `sources:` or the scenario's",
                    )
                )
            target = nxt.model_dump() if not broken else None
            if target is not None and not resolves(target, ev.path) and ev.path not in up.set:
                out.append(
                    (
                        (*loc, "path"),
                        f"update {day}: evidence path {ev.path!r} leads nowhere in this version",
                        "use a path as in `set`, e.g. actors.us.outside_option.value",
                    )
                )
        if not broken:
            for p in check(nxt):  # the version itself, with every variant applied to it
                out.append((("updates", k), f"version {day}: {p.path}: {p.message}", p.hint))
            current = nxt
    return out


def problems_of(scenario: Scenario) -> list[Problem]:
    """:func:`check_updates` as problems with paths (for a scenario object, which has no lines)."""
    from accord.scenario.validate import Locator

    where = Locator(scenario.model_dump(mode="json"))
    return [where.problem(loc, msg, hint) for loc, msg, hint in check_updates(scenario)]


__all__ = [
    "Version",
    "apply_update",
    "check_updates",
    "parse_date",
    "problems_of",
    "resolves",
    "version_at",
    "versions",
]
