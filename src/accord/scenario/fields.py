"""The one catalogue of a scenario's uncertain numbers.

Seven kinds of number can vary from draw to draw: an actor's position and salience on an issue, the
two ends of its red line there, its capability, the value of its outside option, and its trust that
the other side carries out a deal. For each,
:data:`UNCERTAIN` says where it sits in a scenario (the dotted path ``--set`` uses and the record
that holds it), where its uncertainty range is written, what it can be (its limits), which slot of
:class:`~accord.arrays.ScenarioArrays` holds it (and in what unit), and which default spread of
:class:`~accord.uncertainty.Uncertainty` applies where the scenario gives no range.

The sampler (:mod:`accord.uncertainty`), sensitivity analysis, what-if patches
(:mod:`accord.scenario.patch`) and the validator all read this catalogue, so a number that can
vary is described once.

>>> [f.key for f in UNCERTAIN]
['position', 'salience', 'red_line.min', 'red_line.max', 'capability', 'outside_option.value', 'trust']
>>> entry, actor, issue = match("actors.us.stances.missiles.red_line.max")
>>> entry.array, entry.range, actor, issue
('red_high', 'max_range', 'us', 'missiles')
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from accord.scenario.types import Actor, Issue, Scenario, Stance


@dataclass(frozen=True)
class UncertainField:
    """One kind of uncertain number.

    ``key`` is its path below an actor (``capability``) or below a stance (``position``,
    ``red_line.min``); ``holder`` the attribute path from that actor or stance to the record that
    holds ``value`` and ``range`` (``("red_line",)``); ``limits`` what the number can be, None for
    the issue's own scale; ``array`` its :class:`~accord.arrays.ScenarioArrays` slot, holding the
    scenario's value / ``divisor`` (saliences and outside values are 0–1 there); ``spread`` the :class:`~accord.uncertainty.Uncertainty` setting
    of its default spread, applied as ``spread_of``: a percent of the issue's scale, points on
    the number's own 0–100 scale, or a fraction of the value.
    """

    key: str
    per_issue: bool
    holder: tuple[str, ...]
    value: str
    range: str
    limits: tuple[float, float] | None
    array: str
    divisor: float
    spread: str
    spread_of: Literal["scale", "points", "fraction"]
    label: str

    def pattern(self) -> tuple[str, ...]:
        """The path with ``*`` for the ids: ``("actors", "*", "stances", "*", "position")``."""
        head = ("actors", "*", "stances", "*") if self.per_issue else ("actors", "*")
        return (*head, *self.key.split("."))

    def path(self, actor: str, issue: str | None = None) -> str:
        """The concrete dotted path, e.g. ``actors.us.stances.missiles.position``."""
        if self.per_issue:
            return f"actors.{actor}.stances.{issue}.{self.key}"
        return f"actors.{actor}.{self.key}"

    def range_path(self, actor: str, issue: str | None = None) -> str:
        """The path of its range field, e.g. ``actors.us.stances.missiles.position_range``."""
        return self.path(actor, issue).rsplit(".", 1)[0] + "." + self.range

    def bounds(self, issue: Issue | None) -> tuple[float, float]:
        """What the number can be (the issue's scale for positions and red lines)."""
        if self.limits is not None:
            return self.limits
        if issue is None:
            return (-math.inf, math.inf)
        return (issue.low, issue.high)

    def record(self, actor: Actor, stance: Stance | None) -> Any:
        """The record that holds the number (None when it is not set, e.g. no red line)."""
        node: Any = stance if self.per_issue else actor
        for attr in self.holder:
            if node is None:
                return None
            node = getattr(node, attr)
        return node

    def get(self, actor: Actor, stance: Stance | None) -> tuple[float | None, Any]:
        """(value, range) as the scenario gives them; None where unset."""
        rec = self.record(actor, stance)
        if rec is None:
            return None, None
        return getattr(rec, self.value), getattr(rec, self.range)


UNCERTAIN: tuple[UncertainField, ...] = (
    UncertainField(
        "position", True, (), "position", "position_range", None, "position", 1.0, "position",
        "scale", "position",
    ),
    UncertainField(
        "salience", True, (), "salience", "salience_range", (0.0, 100.0), "salience", 100.0,
        "salience", "points", "salience",
    ),
    UncertainField(
        "red_line.min", True, ("red_line",), "min", "min_range", None, "red_low", 1.0,
        "red_line", "scale", "red line minimum",
    ),
    UncertainField(
        "red_line.max", True, ("red_line",), "max", "max_range", None, "red_high", 1.0,
        "red_line", "scale", "red line maximum",
    ),
    UncertainField(
        "capability", False, (), "capability", "capability_range", (0.0, math.inf),
        "capability", 1.0, "capability", "fraction", "capability",
    ),
    UncertainField(
        "outside_option.value", False, ("outside_option",), "value", "value_range",
        (0.0, 100.0), "outside_value", 100.0, "outside_value", "points", "outside-option value",
    ),
    UncertainField(
        "trust", False, (), "trust", "trust_range", (0.0, 100.0), "trust", 100.0, "trust",
        "points", "trust",
    ),
)  # fmt: skip

#: the catalogue by key
BY_KEY = {f.key: f for f in UNCERTAIN}
#: what can vary, for messages
SUPPORTED = ", ".join(f.path("ACTOR", "ISSUE") for f in UNCERTAIN)


def match(path: str | list[str] | tuple[str, ...]) -> tuple[UncertainField, str, str | None] | None:
    """(field, actor id, issue id or None) when ``path`` names an uncertain number, else None."""
    parts = path.split(".") if isinstance(path, str) else list(path)
    for f in UNCERTAIN:
        pat = f.pattern()
        if len(parts) == len(pat) and all(p in ("*", q) for p, q in zip(pat, parts, strict=True)):
            return f, parts[1], parts[3] if f.per_issue else None
    return None


def cells(
    scenario: Scenario,
) -> Iterator[tuple[UncertainField, int, int | None, Actor, Stance | None]]:
    """Every uncertain number the scenario sets: (field, actor index, issue index, actor, stance).

    Red-line ends, outside-option values and trust are listed only where the scenario sets them.
    """
    index = {i.id: k for k, i in enumerate(scenario.issues)}
    for a, actor in enumerate(scenario.actors):
        for f in UNCERTAIN:
            if f.per_issue:
                for issue_id, st in actor.stances.items():
                    if issue_id in index and f.get(actor, st)[0] is not None:
                        yield f, a, index[issue_id], actor, st
            elif f.get(actor, None)[0] is not None:
                yield f, a, None, actor, None


__all__ = ["BY_KEY", "SUPPORTED", "UNCERTAIN", "UncertainField", "cells", "match"]
