"""One budget for how big an input or a run may be, checked up front with a clear message.

Every reader and every run asks here before doing work that grows with its input, so nothing hangs
or runs out of memory on a large (or hostile) input: it is refused at once, saying what is too big,
by how much, and what to change; a run that will merely take long is announced with its estimate.

**Inputs.** A scenario has at most :data:`MAX_ACTORS` actors and :data:`MAX_ISSUES` issues (KTAB
dimensions are issues), and ``(1 + variants) × (actors + issues + stances)`` — what validating it
costs, every variant being checked as a whole scenario — is at most :data:`MAX_CELLS`. No input
nests lists and mappings deeper than :data:`MAX_DEPTH` levels (a scenario needs about ten). The
file size limit is the reader's (:data:`accord.scenario.load.MAX_FILE_BYTES`).

**Runs.** :func:`check_run` estimates, for every model, the seconds and the peak memory of a run
from the scenario's shape (``A`` actors, ``I`` issues), the model's steps and the draws — the
costs that grow faster than the input live here: Bueno de Mesquita's model compares every pair of
actors on every issue each round (``A²·I`` per round), SMP's probabilistic Condorcet elections
weigh every actor's vote on every pair of options each turn (``A³``), the median voter compares
every pair of positions (``A²·I``). The constants are measured by ``bench/bench_budget.py``
(results in ``bench/results/budget.md``); a model without an entry here is costed as linear in
``A·I`` per step. A run whose working memory would exceed the memory available, or whose estimate
exceeds :data:`MAX_RUN_HOURS` (``ACCORD_MAX_RUN_HOURS`` overrides it), is refused with a
:class:`~accord.errors.ParameterError`; one estimated at more than :data:`WARN_SECONDS` goes ahead
after a :class:`CostWarning` (the CLI prints it as a note: the run can be stopped with Ctrl-C).

>>> check_shape({"actors": [{}] * 6000, "issues": []})[0][1]
'the scenario has 6,000 actors; accord takes at most 5,000'
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.errors import AccordError, ParameterError

MAX_ACTORS = 5_000
MAX_ISSUES = 1_000
#: (1 + variants) × (actors + issues + stances) of a scenario
MAX_CELLS = 500_000
#: levels of nested lists and mappings in any input (a scenario with variants needs about ten)
MAX_DEPTH = 64
#: runs estimated to take longer than this (on the workers given) are announced
WARN_SECONDS = 60.0
#: runs estimated to take longer than this (hours, on the workers given) are refused
MAX_RUN_HOURS = 24.0


#: the deal space (:mod:`accord.deal`) is worked out for at most this many deciders: it solves a
#: linear programme per decider, each with a row per decider (about 0.1 s a draw at 50 deciders on
#: 6 issues); a body larger than this decides by vote, and the record says why it is left out
MAX_DEAL_DECIDERS = 60

#: the turns SMP's time is estimated for (its stop rule ends most runs by then)
SMP_TYPICAL_TURNS = 40


class CostWarning(UserWarning):
    """A run that will take long (its estimate is in the message); it goes ahead."""


# -- inputs ---------------------------------------------------------------------------------------

Loc = tuple[Any, ...]


def check_shape(data: Mapping[str, Any]) -> list[tuple[Loc, str, str]]:
    """(loc, message, hint) for each way raw scenario data is too big, before anything is typed or
    built from it; empty when it fits."""
    out: list[tuple[Loc, str, str]] = []
    actors, issues, variants = (data.get(k) for k in ("actors", "issues", "variants"))
    actors = actors if isinstance(actors, list) else []
    issues = issues if isinstance(issues, list) else []
    n_var = len(variants) if isinstance(variants, list) else 0
    for key, items, limit in (("actors", actors, MAX_ACTORS), ("issues", issues, MAX_ISSUES)):
        if len(items) > limit:
            out.append(
                (
                    (key,),
                    f"the scenario has {len(items):,} {key}; accord takes at most {limit:,}",
                    f"a negotiation model needs the {key} that matter: merge or drop the rest",
                )
            )
    stances = sum(len(a["stances"]) for a in actors if _has_mapping(a, "stances"))
    cells = (1 + n_var) * (len(actors) + len(issues) + stances)
    if not out and cells > MAX_CELLS:
        out.append(
            (
                (),
                f"the scenario is too large to check: (1 + {n_var:,} variants) × ({len(actors):,} "
                f"actors + {len(issues):,} issues + {stances:,} stances) = {cells:,}, over "
                f"{MAX_CELLS:,}",
                "use fewer variants (each is checked as a whole scenario) or fewer actors",
            )
        )
    return out


def _has_mapping(item: Any, key: str) -> bool:
    return isinstance(item, Mapping) and isinstance(item.get(key), Mapping)


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests lists, tuples and mappings more than ``limit`` levels (an iterative
    walk that stops at the first place too deep: nothing recurses)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Mapping):
            children: Iterable[Any] = node.values()
        elif isinstance(node, (list, tuple)):
            children = node
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((c, depth + 1) for c in children)
    return False


def check_count(what: str, n: int, limit: int, field: str = "") -> None:
    """A :class:`ParameterError` when a declared count (``n`` dimensions, say) is over ``limit``."""
    if n > limit:
        raise ParameterError(
            f"{n:,} {what} is more than accord takes ({limit:,})",
            hint=f"use fewer {what}",
            field=field,
        )


# -- runs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cost:
    """What one model costs on a scenario: seconds on one core and peak bytes per draw, and the
    seconds of each run whatever its draws (a dynamic model's loop over its steps)."""

    seconds: float
    memory: float
    fixed: float = 1e-3


def _steps(params: Mapping[str, Any], key: str, default: int) -> int:
    value = params.get(key, default)
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else default


def model_cost(name: str, params: Mapping[str, Any], n_actors: int, n_issues: int) -> Cost:
    """The cost of one draw of model ``name`` with ``params`` (measured: bench/bench_budget.py)."""
    a, i = float(max(n_actors, 1)), float(max(n_issues, 1))
    if name == "compromise":
        return Cost(3e-8 * a * i, 40 * a * i)
    if name == "median":
        return Cost(7e-8 * a * i, 48 * a * i)
    if name == "condorcet":
        return Cost(3e-8 * a * a * i, 24 * a * a * i)
    if name == "nash":
        return Cost(6e-7 * a * i, 80 * a * i)
    if name == "bdm":
        rounds = _steps(params, "rounds", 10)
        memory = 160 * a * a * i + 64 * (rounds + 1) * a * i
        if params.get("record_dyads", True):
            memory += 24 * rounds * a * a * i
        return Cost(3.5e-7 * rounds * a * a * i, memory, fixed=4e-4 * rounds)
    if name == "smp":
        # SMP stops once positions settle: KTAB's examples take 20 to 50 turns, rarely all of them
        turns = min(_steps(params, "max_turns", 100), SMP_TYPICAL_TURNS)
        most = _steps(params, "max_turns", 100)
        seconds = 5e-8 * turns * a**3 + 1e-6 * turns * a * i
        return Cost(seconds, 56 * a**3 + 64 * most * a * i, fixed=1e-3 * turns)
    steps = max(_steps(params, "rounds", 1), _steps(params, "max_turns", 1))
    return Cost(1e-6 * steps * a * i, 100 * steps * a * i, fixed=1e-3 * steps)


def deal_cost(n_deciders: int, n_issues: int) -> Cost:
    """The cost of the deal space of one draw (measured: ``m`` deciders, ``I`` issues; 16 ms at
    50 deciders on one issue, 21 ms at 30 on six)."""
    m, i = float(max(n_deciders, 1)), float(max(n_issues, 1))
    return Cost(1.5e-7 * m**3 * i + 2e-5 * m * i, 64 * i * m * m + 800 * m * i, fixed=1e-2)


@dataclass(frozen=True)
class Estimate:
    """A run's estimate: seconds (wall clock on the workers), peak working memory in bytes, and
    the seconds of each model."""

    seconds: float
    memory: float
    per_model: dict[str, float]


def _max_hours() -> float:
    env = os.environ.get("ACCORD_MAX_RUN_HOURS")
    if not env:
        return MAX_RUN_HOURS
    try:
        hours = float(env)
    except ValueError:
        hours = math.nan
    if not (math.isfinite(hours) and hours > 0):
        raise AccordError(
            f"ACCORD_MAX_RUN_HOURS={env!r} is not a number of hours",
            hint="set it to a positive number such as 48, or unset it for the 24-hour default",
        )
    return hours


def duration(seconds: float) -> str:
    """``seconds`` in words: ``40 s``, ``12 min``, ``3.5 h``, ``9 days``."""
    if seconds < 90:
        return f"{max(seconds, 1):.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    days = seconds / 86400
    return f"{days:,.0f} days" if days < 1e6 else "more than a thousand years"


def _bytes(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB" if n >= 2**30 else f"{n / 2**20:,.0f} MiB"


def check_run(
    n_actors: int,
    n_issues: int,
    models: Sequence[Any],
    *,
    draws: int = 1,
    columns: int = 1,
    chunk: int | None = None,
    workers: int | None = None,
    available: int | None = None,
    extra_memory: float = 0.0,
    deal_deciders: int = 0,
) -> Estimate:
    """Estimate a run and refuse it (:class:`ParameterError`) or announce it (:class:`CostWarning`).

    ``models`` are model instances (their ``name`` and ``params`` set the cost); ``draws`` the
    sampled draws besides the point run (0 or 1: just the point run), on ``columns`` versions of the
    scenario, in chunks of ``chunk`` draws (None: one chunk of all draws), on ``workers`` processes;
    ``available`` is the memory to fit in (None: what the machine has free now);
    ``extra_memory`` what the run holds besides the models' working memory (a sensitivity
    analysis's sample, say); ``deal_deciders`` the deciders of a deal space worked out on the same
    draws (0: none).
    """
    from accord.runs.montecarlo import available_memory, monte_carlo_params

    draws = int(draws) if draws > 1 else 0
    per_chunk = min(int(chunk), draws) if chunk else draws
    chunks = -(-draws // max(per_chunk, 1)) if draws else 0
    seconds: dict[str, float] = {}
    peak, worst = 0.0, ""
    for model in models:
        name, params = model.name, dict(model.params)
        point = model_cost(name, params, n_actors, n_issues)
        sampled = model_cost(name, monte_carlo_params(name, params), n_actors, n_issues)
        once = point.fixed + point.seconds
        seconds[name] = columns * (once + chunks * sampled.fixed + draws * sampled.seconds)
        for memory in (point.memory, per_chunk * sampled.memory):
            if memory > peak:
                peak, worst = memory, name
    if deal_deciders > 0:
        cost = deal_cost(deal_deciders, n_issues)
        seconds["deal space"] = cost.fixed + max(draws, 1) * cost.seconds
        memory = max(per_chunk, 1) * cost.memory
        if memory > peak:
            peak, worst = memory, "the deal space"
    if extra_memory > 0:
        peak += extra_memory
    parallel = max(min(int(workers or 1), max(draws // max(per_chunk, 1), 1)), 1)
    wall = sum(seconds.values()) / parallel
    est = Estimate(wall, peak, seconds)
    shape = f"{n_actors:,} actors × {n_issues:,} issues"
    have = available if available is not None else available_memory()
    if have is not None and peak > have:
        raise ParameterError(
            f"{worst} on {shape} would need about {_bytes(peak)} of working memory"
            + (f" ({per_chunk:,} draws at a time)" if per_chunk > 1 else "")
            + f", more than the {_bytes(have)} available",
            hint=_advice(worst, per_chunk > 1),
            field="runs" if per_chunk > 1 else "model",
        )
    limit = _max_hours() * 3600
    slowest = max(seconds, key=seconds.__getitem__) if seconds else ""
    if wall > limit:
        raise ParameterError(
            f"this run would take about {duration(wall)} ({slowest} on {shape}"
            + (f", {draws:,} draws" if draws else "")
            + f"), more than the {_max_hours():g}-hour limit",
            hint=_advice(slowest, draws > 0) + "; or set ACCORD_MAX_RUN_HOURS to allow it",
            field="runs" if draws else "model",
        )
    if wall > WARN_SECONDS:
        parts = ", ".join(f"{m} {duration(s / parallel)}" for m, s in seconds.items() if s > 1)
        warnings.warn(
            CostWarning(
                f"this run is estimated to take about {duration(wall)} ({parts}) on {shape}"
                + (f" with {draws:,} draws" if draws else "")
                + "; Ctrl-C stops it"
            ),
            stacklevel=3,
        )
    return est


def _advice(model: str, sampled: bool) -> str:
    fewer = "use fewer draws (--runs), " if sampled else ""
    if model == "bdm":
        return fewer + "fewer actors or rounds, or a one-shot model (compromise, median, nash)"
    if model == "smp":
        return fewer + "fewer actors (SMP's cost grows with their cube), or another model"
    return fewer + "fewer actors or issues, or another model"


__all__ = [
    "MAX_ACTORS",
    "MAX_DEAL_DECIDERS",
    "MAX_CELLS",
    "MAX_DEPTH",
    "MAX_ISSUES",
    "MAX_RUN_HOURS",
    "WARN_SECONDS",
    "Cost",
    "CostWarning",
    "Estimate",
    "check_count",
    "check_run",
    "check_shape",
    "deal_cost",
    "duration",
    "model_cost",
    "too_deep",
]
