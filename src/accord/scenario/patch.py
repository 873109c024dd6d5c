"""What-ifs as patches: set values at dotted paths, then re-validate.

A path names a field from the top of the scenario; list items are addressed by their id (or by
``[n]`` when they have none, e.g. evidence)::

    actors.us.stances.missiles.position     issues.sanctions.status_quo
    actors.oman.capability                  actors.us.stances.missiles.red_line.max
    actors.us.evidence.[0].note             actors.oman.stances.missiles   (a whole stance)

Values typed on a command line arrive as text and are read with YAML's scalar rules (``20`` ->
20, ``true``, ``null``, ``[20, 35]``, ``{position: 40, salience: 60}``), except where the field is
text (a name, a note), which keeps the text as typed. Setting a stance to ``null`` removes it.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from accord.budget import MAX_DEPTH, too_deep
from accord.errors import AccordError, ScenarioError
from accord.numbers import bounded, shown
from accord.scenario.fields import match
from accord.scenario.types import Scenario
from accord.scenario.validate import check_data, did_you_mean, type_at


class PatchError(AccordError):
    """A ``--set`` / variant path that does not lead anywhere, or a value that cannot go there.

    ``key`` is the whole path as given, so callers can point at it.
    """

    def __init__(self, message: str, *, hint: str = "", key: str = "", field: str = "set"):
        super().__init__(message, hint=hint, field=field)
        self.key = key


def parse_value(text: str) -> Any:
    """Read a command-line value with YAML's scalar rules, as the scenario reader does (checked
    integers, dates left as text for the field to read, nesting and aliases bounded); text that is
    not YAML stays text.

    >>> parse_value("20"), parse_value("true"), parse_value("null"), parse_value("[20, 35]")
    (20, True, None, [20, 35])
    """
    from accord.scenario.load import parse_value as read_value

    try:
        return read_value(text)
    except yaml.YAMLError:
        return text
    except ScenarioError as exc:
        problem = exc.problems[0]
        raise PatchError(
            f"the value {shown(text)}: {problem.message}", hint=problem.hint, key=text
        ) from None


def parse_assignment(text: str) -> tuple[str, Any]:
    """``"actors.us.capability=40"`` -> ``("actors.us.capability", 40)`` (for ``--set``)."""
    path, sep, value = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise PatchError(
            f"{shown(text)} is not of the form PATH=VALUE",
            hint="e.g. actors.us.stances.missiles.position=20",
            key=text,
        )
    try:
        return path, parse_value(value.strip())
    except PatchError as exc:
        raise PatchError(f"{path}: {exc.message}", hint=exc.hint, key=path) from None


def _is_text(t: Any) -> bool:
    return t is str


def _coerce(value: Any, t: Any) -> Any:
    if isinstance(value, str) and not _is_text(t):
        return parse_value(value)
    return value


def _segments(path: str) -> list[str]:
    # "evidence[0]" and "evidence.[0]" both mean item 0
    parts: list[str] = []
    for seg in path.split("."):
        head, bracket, rest = seg.partition("[")
        if bracket and head:
            parts.extend([head, "[" + rest])
        else:
            parts.append(seg)
    return parts


def _list_index(items: list, seg: str, where: str, path: str) -> int:
    """Index of the item with id ``seg`` (or of ``[n]``/``n`` when no item has that id)."""
    for n, item in enumerate(items):
        if isinstance(item, Mapping) and item.get("id") == seg:
            return n
    digits = seg[1:-1] if seg.startswith("[") and seg.endswith("]") else seg
    if digits.isdigit() and int(digits) < len(items):
        return int(digits)
    ids = [str(i["id"]) for i in items if isinstance(i, Mapping) and "id" in i]
    if ids:
        hint = did_you_mean(seg, ids) + "known ids: " + ", ".join(ids)
    else:
        hint = f"{where} has {len(items)} item(s); address them as [0], [1], ..."
    raise PatchError(f"{path}: no item {seg!r} in {where}", hint=hint, key=path)


def _set_one(data: dict, path: str, value: Any) -> Any:
    """Set ``value`` at ``path`` in raw data; returns the value as stored (typed by its field)."""
    parts = _segments(path)
    if not path or not all(parts):
        raise PatchError(
            f"{path!r} is not a valid path", hint="e.g. actors.us.capability", key=path
        )
    node: Any = data
    t: Any = Scenario
    done: list[str] = []
    for j, seg in enumerate(parts):
        last = j == len(parts) - 1
        where = ".".join(done) or "the scenario"
        if isinstance(t, type) and issubclass(t, BaseModel):
            if not isinstance(node, dict):
                raise PatchError(f"{path}: {where} is not a record", key=path)
            fields = list(t.model_fields)
            if seg not in fields:
                raise PatchError(
                    f"{path}: {where} has no field {seg!r}",
                    hint=did_you_mean(seg, fields) + "fields: " + ", ".join(fields),
                    key=path,
                )
            t_next = type_at([seg], t)
            if last:
                node[seg] = _coerce(value, t_next)
                return node[seg]
            child = node.get(seg)
            if child is None:
                if isinstance(t_next, type) and issubclass(t_next, BaseModel):
                    child = node[seg] = {}  # e.g. a red line that was not set yet
                else:
                    raise PatchError(
                        f"{path}: {'.'.join([*done, seg])} is not set",
                        key=path,
                        hint=f"set {'.'.join([*done, seg])} as a whole",
                    )
            elif isinstance(child, tuple):
                child = node[seg] = list(child)
            node, t = child, t_next
        elif isinstance(node, list):
            n = _list_index(node, seg, where, path)
            t_next = type_at([0], t)
            if last:
                node[n] = _coerce(value, t_next)
                return node[n]
            if isinstance(node[n], tuple):
                node[n] = list(node[n])
            node, t = node[n], t_next
        elif isinstance(node, dict):
            t_next = type_at([seg], t)
            key: Any = seg
            if key not in node:
                # non-text keys (an issue's scale points) are addressed by their number
                for k in node:
                    if str(k) == seg or (isinstance(k, float) and _num(seg) == k):
                        key = k
                        break
            if done and done[-1] == "stances" and len(done) == 3:
                _check_stance(data, done[1], seg, path, last, value, node)
            if last:
                new = _coerce(value, t_next)
                if new is None and isinstance(t_next, type) and issubclass(t_next, BaseModel):
                    node.pop(key, None)  # `stances.missiles=null` drops the stance
                else:
                    node[key] = new
                return new
            if key not in node and done == ["models"]:
                node[key] = {}  # `models.bdm.rounds=3` on a scenario without bdm settings yet
            if key not in node:
                raise PatchError(
                    f"{path}: {where} has no key {seg!r}",
                    key=path,
                    hint="known keys: " + (", ".join(map(str, node)) or "none"),
                )
            child = node[key]
            if isinstance(child, tuple):
                child = node[key] = list(child)
            node, t = child, t_next
        else:
            raise PatchError(
                f"{path}: {where} is a single value ({node!r}); there is nothing below it",
                hint=f"set {where} itself",
                key=path,
            )
        done.append(seg)


def _num(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _check_stance(
    data: dict, actor_id: str, issue_id: str, path: str, last: bool, value: Any, stances: dict
) -> None:
    """A stance may only be created whole, and only on an issue the scenario has."""
    if issue_id in stances:
        return
    issues = [str(i.get("id")) for i in data.get("issues", []) if isinstance(i, Mapping)]
    if issue_id not in issues:
        raise PatchError(
            f"{path}: the scenario has no issue {issue_id!r}",
            hint=did_you_mean(issue_id, issues) + "known issues: " + ", ".join(issues),
            key=path,
        )
    if not last or not isinstance(value, (Mapping, str, type(None))):
        raise PatchError(
            f"{path}: actor {actor_id!r} has no stance on {issue_id!r}",
            hint=(
                f"give the whole stance, e.g. actors.{actor_id}.stances.{issue_id}="
                "'{position: 50, salience: 40}'"
            ),
            key=path,
        )


def apply_changes(data: Mapping[str, Any], changes: Mapping[str, Any]) -> dict:
    """A patched deep copy of raw scenario data (no validation); :class:`PatchError` on a bad path."""
    return _apply(data, changes)[0]


def _apply(data: Mapping[str, Any], changes: Mapping[str, Any]) -> tuple[dict, dict[str, Any]]:
    """The patched copy and the value each path received (typed as its field needs)."""
    out = copy.deepcopy(dict(data))
    applied: dict[str, Any] = {}
    for path, value in changes.items():
        if not isinstance(path, str):
            raise PatchError(
                f"a path is text, such as 'actors.us.capability', not {type(path).__name__}",
                key=shown(path),
            )
        key = path.strip()
        if too_deep(value):
            raise PatchError(
                f"{key}: the value is nested more than {MAX_DEPTH} levels deep",
                hint="give a number, a text, or a small list or mapping",
                key=key,
            )
        try:
            applied[key] = _set_one(out, key, _bounded(value))
        except PatchError as exc:
            if exc.key == key:
                raise
            raise PatchError(f"{key}: {exc.message}", hint=exc.hint, key=key) from None
    return out, applied


def _bounded(value: Any) -> Any:
    """``value`` with every integer too large for a float made ±infinity (the checked path of
    :mod:`accord.numbers`; the depth is bounded already)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return bounded(value)
    if isinstance(value, Mapping):
        return {k: _bounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_bounded(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    """A value as JSON data (a YAML date read from ``--set`` becomes its ISO text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


class Change(BaseModel):
    """One what-if change as applied: the path, the value it received, and where it came from
    (``set`` for a ``--set`` / API change, ``variant:ID`` for a named variant's)."""

    model_config = ConfigDict(frozen=True)

    path: str
    value: Any
    origin: str = "set"

    @field_validator("value", mode="before")
    @classmethod
    def _json(cls, v: Any) -> Any:
        return _plain(v)

    def text(self) -> str:
        """As typed on a command line: ``path=value`` (``null``, ``true`` spelt as YAML)."""
        import json

        v = self.value
        shown = json.dumps(v) if v is None or isinstance(v, (bool, list, dict)) else str(v)
        return f"{self.path}={shown}"


class Adjustment(BaseModel):
    """A number a what-if moved along to keep the scenario coherent: the path, its old and new
    value, the change that caused it (``because``, a path) and why."""

    model_config = ConfigDict(frozen=True)

    path: str
    old: Any
    new: Any
    because: str
    reason: Literal["range_follows_value", "red_line_admits_position"]

    def text(self) -> str:
        if self.reason == "range_follows_value":
            return f"{self.path} shifted from {self.old} to {self.new} with {self.because}"
        return (
            f"{self.path} moved from {_g(self.old)} to {_g(self.new)}, the actor's new position "
            f"(an actor accepts its own position)"
        )


def _g(v: Any) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


@dataclass(frozen=True)
class WhatIf:
    """A scenario after what-if changes: the result, the changes as applied and the adjustments
    they made (structured data for the run record; :meth:`Change.text` and
    :meth:`Adjustment.text` put them in words)."""

    scenario: Scenario
    changes: tuple[Change, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    base: Scenario | None = None  # the scenario before any change (None: ``scenario`` itself)

    @property
    def original(self) -> Scenario:
        """The scenario before the changes."""
        return self.base if self.base is not None else self.scenario

    def then(self, other: WhatIf) -> WhatIf:
        """This what-if followed by ``other`` (applied to this one's scenario)."""
        return WhatIf(
            other.scenario,
            self.changes + other.changes,
            self.adjustments + other.adjustments,
            self.original,
        )


def _holder(data: Any, parts: list[str]) -> dict | None:
    """The mapping that holds the last part of ``parts`` in raw scenario data (lists by id)."""
    node = data
    for key in parts[:-1]:
        if isinstance(node, list):
            node = next((x for x in node if isinstance(x, dict) and x.get("id") == key), None)
        elif isinstance(node, dict):
            node = node.get(key)
        else:
            return None
    return node if isinstance(node, dict) else None


def _number(value: Any) -> float | None:
    """A finite number, else None (an infinite one is the validator's to report, not to follow)."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok and math.isfinite(value) else None


def _follow_moved_values(
    scenario: Scenario, data: dict, changes: Mapping[str, Any]
) -> list[Adjustment]:
    """Keep a what-if coherent: when it moves a number outside its uncertainty range, shift the
    range along with it (keeping its width, within the number's limits); when it moves a position
    beyond the actor's own red line, move that end of the red line to the new position. Fields
    the change sets itself are left as given. Returns what was adjusted."""
    given = {str(p).strip() for p in changes}
    original = scenario.model_dump()
    out: list[Adjustment] = []
    for path in sorted(given):
        parts = path.split(".")
        found = match(parts)
        if found is None:
            continue
        field, _, issue_id = found
        holder, before = _holder(data, parts), _holder(original, parts)
        if holder is None or before is None:
            continue  # the change removed or renamed what held it: validation reports the rest
        new, old = _number(holder.get(parts[-1])), _number(before.get(parts[-1]))
        if new is None or old is None:
            continue
        issue = None
        if field.per_issue:
            issue = next((i for i in scenario.issues if i.id == issue_id), None)
            if issue is None:
                continue
        limits = field.bounds(issue)
        range_path = ".".join(parts[:-1] + [field.range])
        rng = holder.get(field.range)
        if rng and range_path not in given and not (min(rng) <= new <= max(rng)):
            delta = new - old
            shifted = [max(min(rng) + delta, limits[0]), min(max(rng) + delta, limits[1])]
            shifted = [min(shifted[0], new), max(shifted[1], new)]
            holder[field.range] = shifted
            out.append(
                Adjustment(
                    path=range_path,
                    old=list(rng),
                    new=shifted,
                    because=path,
                    reason="range_follows_value",
                )
            )
        if field.key == "position":
            out += _red_line_admits(holder, parts, new, given)
    return out


def _red_line_admits(
    stance: dict, parts: list[str], new: float, given: set[str]
) -> list[Adjustment]:
    """Move an end of the stance's red line that now excludes the actor's own new position."""
    prefix = ".".join(parts[:-1] + ["red_line"])
    red = stance.get("red_line")
    if not isinstance(red, dict) or any(g.startswith(prefix) for g in given):
        return []
    out = []
    for end, sign in (("min", 1), ("max", -1)):
        bound = _number(red.get(end))
        if bound is None or sign * (bound - new) <= 0:  # the new position is inside this end
            continue
        red[end] = new
        rr = red.get(f"{end}_range")
        if rr:
            red[f"{end}_range"] = [min(min(rr), new), max(max(rr), new)]
        out.append(
            Adjustment(
                path=f"{prefix}.{end}",
                old=bound,
                new=new,
                because=".".join(parts),
                reason="red_line_admits_position",
            )
        )
    return out


def whatif(
    scenario: Scenario,
    changes: Mapping[str, Any],
    *,
    origin: str = "set",
    source: str | None = None,
) -> WhatIf:
    """The scenario with values set at dotted paths, re-validated, with the changes as applied
    and the adjustments they made.

    Raises :class:`PatchError` for a path that does not resolve and :class:`ScenarioError` (every
    problem) when the result is invalid.
    """
    if not isinstance(scenario, Scenario):
        raise PatchError(
            f"a what-if applies to a Scenario, not {type(scenario).__name__}", field=""
        )
    if not isinstance(changes, Mapping):
        raise PatchError(
            f"changes must map paths to values, not {type(changes).__name__}",
            hint="e.g. {'actors.us.stances.missiles.position': 20}",
            field="",  # an API call's argument, not a --set path
        )
    patched, applied = _apply(scenario.model_dump(), changes)
    adjustments = _follow_moved_values(scenario, patched, changes)
    sc, problems = check_data(patched, variants=False)
    if problems or sc is None:
        raise ScenarioError(problems, source=source or "the changed scenario")
    recorded = tuple(Change(path=p, value=v, origin=origin) for p, v in applied.items())
    return WhatIf(sc, recorded, tuple(adjustments), scenario)


def with_changes(
    scenario: Scenario, changes: Mapping[str, Any], *, source: str | None = None
) -> Scenario:
    """The scenario with values set at dotted paths, re-validated (:func:`whatif` without the
    account of what it did).

    >>> alt = with_changes(sc, {"actors.us.stances.missiles.position": 20})  # doctest: +SKIP
    """
    return whatif(scenario, changes, source=source).scenario


def variant_whatif(scenario: Scenario, variant_id: str) -> WhatIf:
    """The named variant's ``set`` applied (UnknownNameError lists the variants)."""
    variant = scenario.variant(variant_id)
    try:
        return whatif(
            scenario,
            variant.set,
            origin=f"variant:{variant_id}",
            source=f"variant {variant_id!r} of {scenario.id!r}",
        )
    except PatchError as exc:
        raise PatchError(
            f"variant {variant_id!r}: {exc.message}", hint=exc.hint, key=exc.key, field="variant"
        ) from None


def apply_variant(scenario: Scenario, variant_id: str) -> Scenario:
    """The scenario with the named variant's ``set`` applied."""
    return variant_whatif(scenario, variant_id).scenario


__all__ = [
    "Adjustment",
    "Change",
    "PatchError",
    "WhatIf",
    "variant_whatif",
    "whatif",
    "apply_changes",
    "apply_variant",
    "parse_assignment",
    "parse_value",
    "with_changes",
]
