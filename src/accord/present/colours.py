"""One colour per actor, the same in every chart (and later the web page), and the colours of
the three outcome classes.

Actors take the palette in scenario order, so an actor keeps its colour across charts, models
and variants of one scenario.

>>> actor_colour(0), actor_colour(12) == actor_colour(0)
('#1f77b4', True)
"""

from __future__ import annotations

from collections.abc import Sequence

#: distinct, print-safe colours (matplotlib's tab10 with two more); cycles beyond 12 actors
ACTOR_PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#ad494a",
)
#: one colour per outcome class, shared by every chart and the HTML report
STATUS_COLOURS = {"agreement": "#2e7d32", "stalemate": "#f9a825", "escalation": "#c62828"}
#: models, where a chart shows several side by side: shades of grey and line styles, so that no
#: model is mistaken for an actor (colours belong to actors)
MODEL_PALETTE = ("#1a1a1a", "#6b6b6b", "#a3a3a3")
MODEL_LINESTYLES = ("-", "--", "-.")


def actor_colour(index: int) -> str:
    """The colour of the scenario's ``index``-th actor."""
    return ACTOR_PALETTE[index % len(ACTOR_PALETTE)]


def actor_colours(actor_ids: Sequence[str]) -> dict[str, str]:
    """Actor id -> colour, in scenario order."""
    return {a: actor_colour(k) for k, a in enumerate(actor_ids)}


def model_colour(index: int) -> str:
    return MODEL_PALETTE[index % len(MODEL_PALETTE)]


def model_linestyle(index: int) -> str:
    """Solid, dashed, dash-dot: the next three models after the first three greys (dotted is the
    status quo)."""
    return MODEL_LINESTYLES[(index // len(MODEL_PALETTE)) % len(MODEL_LINESTYLES)]


__all__ = ["ACTOR_PALETTE", "STATUS_COLOURS", "actor_colour", "actor_colours", "model_colour"]
