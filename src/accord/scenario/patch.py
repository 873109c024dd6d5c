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
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import BaseModel

from accord.errors import AccordError, ScenarioError
from accord.scenario.types import Scenario
from accord.scenario.validate import check_data, did_you_mean, type_at


class PatchError(AccordError):
    """A ``--set`` / variant path that does not lead anywhere, or a value that cannot go there.

    ``key`` is the whole path as given, so callers can point at it.
    """

    def __init__(self, message: str, *, hint: str = "", key: str = ""):
        super().__init__(message, hint=hint)
        self.key = key


def parse_value(text: str) -> Any:
    """Read a command-line value with YAML's scalar rules; text that is not YAML stays text.

    >>> parse_value("20"), parse_value("true"), parse_value("null"), parse_value("[20, 35]")
    (20, True, None, [20, 35])
    """
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def parse_assignment(text: str) -> tuple[str, Any]:
    """``"actors.us.capability=40"`` -> ``("actors.us.capability", 40)`` (for ``--set``)."""
    path, sep, value = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise PatchError(
            f"--set {text!r} is not of the form PATH=VALUE",
            hint="e.g. --set actors.us.stances.missiles.position=20",
            key=text,
        )
    return path, parse_value(value.strip())


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


def _set_one(data: dict, path: str, value: Any) -> None:
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
                return
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
                return
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
                return
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
    out = copy.deepcopy(dict(data))
    for path, value in changes.items():
        _set_one(out, str(path).strip(), value)
    return out


# A what-if may move a number that carries an uncertainty range: (path pattern, range field,
# limits). "*" matches an id; the limits are those the number itself must respect.
_RANGED = (
    (("actors", "*", "stances", "*", "position"), "position_range", "scale"),
    (("actors", "*", "stances", "*", "salience"), "salience_range", (0.0, 100.0)),
    (("actors", "*", "stances", "*", "red_line", "min"), "min_range", "scale"),
    (("actors", "*", "stances", "*", "red_line", "max"), "max_range", "scale"),
    (("actors", "*", "capability"), "capability_range", (0.0, float("inf"))),
    (("actors", "*", "outside_option", "value"), "value_range", (0.0, 100.0)),
)


def _ranged(parts: list[str]) -> tuple[str, Any] | None:
    """(range field, limits) when ``parts`` names a number that carries a range."""
    for pattern, range_key, limits in _RANGED:
        if len(parts) == len(pattern) and all(
            p in ("*", q) for p, q in zip(pattern, parts, strict=True)
        ):
            return range_key, limits
    return None


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
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok else None


def _follow_moved_values(scenario: Scenario, data: dict, changes: Mapping[str, Any]) -> None:
    """Keep a what-if coherent: when it moves a number outside its uncertainty range, shift the
    range along with it (keeping its width, within the number's limits); when it moves a position
    beyond the actor's own red line, move that end of the red line to the new position. Fields
    the change sets itself are left as given. Each adjustment is recorded in the scenario's
    notes, so forecasts and reports show it."""
    given = {str(p).strip() for p in changes}
    original = scenario.model_dump()
    notes: list[str] = []
    for path in sorted(given):
        parts = path.split(".")
        match = _ranged(parts)
        if match is None:
            continue
        range_key, limits = match
        holder, before = _holder(data, parts), _holder(original, parts)
        if holder is None or before is None:
            continue  # the change removed or renamed what held it: validation reports the rest
        new, old = _number(holder.get(parts[-1])), _number(before.get(parts[-1]))
        if new is None or old is None:
            continue
        if limits == "scale":
            issue = next((i for i in scenario.issues if i.id == parts[3]), None)
            if issue is None:
                continue
            limits = (issue.low, issue.high)
        range_path = ".".join(parts[:-1] + [range_key])
        rng = holder.get(range_key)
        if rng and range_path not in given and not (min(rng) <= new <= max(rng)):
            delta = new - old
            shifted = [max(min(rng) + delta, limits[0]), min(max(rng) + delta, limits[1])]
            shifted = [min(shifted[0], new), max(shifted[1], new)]
            holder[range_key] = shifted
            notes.append(f"what-if: {range_path} shifted to {shifted} with the new value {new:g}")
        if parts[-1] == "position":
            notes += _red_line_admits(holder, parts, new, given)
    if notes:
        data["notes"] = list(data.get("notes") or []) + notes


def _red_line_admits(stance: dict, parts: list[str], new: float, given: set[str]) -> list[str]:
    """Move an end of the stance's red line that now excludes the actor's own new position."""
    prefix = ".".join(parts[:-1] + ["red_line"])
    red = stance.get("red_line")
    if not isinstance(red, dict) or any(g.startswith(prefix) for g in given):
        return []
    notes = []
    for end, sign in (("min", 1), ("max", -1)):
        bound = _number(red.get(end))
        if bound is None or sign * (bound - new) <= 0:  # the new position is inside this end
            continue
        red[end] = new
        rr = red.get(f"{end}_range")
        if rr:
            red[f"{end}_range"] = [min(min(rr), new), max(max(rr), new)]
        notes.append(
            f"what-if: {prefix}.{end} moved from {bound:g} to {new:g}, the actor's new position "
            "(an actor accepts its own position)"
        )
    return notes


def with_changes(
    scenario: Scenario, changes: Mapping[str, Any], *, source: str | None = None
) -> Scenario:
    """The scenario with values set at dotted paths, re-validated.

    Raises :class:`PatchError` for a path that does not resolve and :class:`ScenarioError` (every
    problem) when the result is invalid.

    >>> alt = with_changes(sc, {"actors.us.stances.missiles.position": 20})  # doctest: +SKIP
    """
    patched = apply_changes(scenario.model_dump(), changes)
    _follow_moved_values(scenario, patched, changes)
    sc, problems = check_data(patched, variants=False)
    if problems or sc is None:
        raise ScenarioError(problems, source=source or "the changed scenario")
    return sc


def apply_variant(scenario: Scenario, variant_id: str) -> Scenario:
    """The scenario with the named variant's ``set`` applied (UnknownNameError lists the variants)."""
    variant = scenario.variant(variant_id)
    try:
        return with_changes(
            scenario, variant.set, source=f"variant {variant_id!r} of {scenario.id!r}"
        )
    except PatchError as exc:
        raise PatchError(
            f"variant {variant_id!r}: {exc.message}", hint=exc.hint, key=exc.key
        ) from None


__all__ = [
    "PatchError",
    "apply_changes",
    "apply_variant",
    "parse_assignment",
    "parse_value",
    "with_changes",
]
