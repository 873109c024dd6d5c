"""What it would take: the smallest concessions that open a zone of agreement, on a run's draws.

For every lever a decider holds (each red-line end it sets, its outside option, its trust where
it is below full) :mod:`accord.deal` finds, draw by draw, the smallest move that opens a zone with
everything else as drawn, and what that move costs the decider; then the same for pairs of levers,
one from each of two deciders, among the levers that block a zone most often. Every entry is
computed on the same draws (common random numbers, the draws :func:`accord.runs.dealspace.run_draws`
gives for the seed), so the shares compare like with like:

- ``opens``: the share of draws with a zone once the lever moves as far as each draw needs;
- ``at_median``: the share with a zone when the median move is applied to every draw (for one
  lever the zone grows with the move, so this is the share of draws needing at most that move);
- ``moves`` and ``cost``: over the draws without a zone in which the lever opens one.

Ranked by ``opens``, then by the median cost. The *cheapest* single change (pair) is the one whose
cost, over the draws without a zone, has the lowest median — counting a draw it cannot open as
infinitely costly, so only a change that opens a zone in at least half of them qualifies.

>>> import accord
>>> res = concessions(accord.load("us-iran-muscat-2026"), runs=500, seed=1)  # doctest: +SKIP
>>> res.record.results.pairs[res.record.results.cheapest_pair].levers  # doctest: +SKIP
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord import deal
from accord._version import __version__
from accord.budget import check_run
from accord.errors import ParameterError
from accord.runs import records as rec
from accord.runs.dealspace import DealAnalysis, DealDraws, deal_record, run_draws, stats
from accord.runs.forecast import RunFacts, deal_left_out, n_deciders, prepare, scenario_ref
from accord.runs.options import resolve_seed
from accord.scenario.convert import to_arrays
from accord.scenario.patch import WhatIf
from accord.scenario.types import Scenario
from accord.uncertainty import Uncertainty, resolve_uncertainty

#: draws by default: enough for shares to about a point
DEFAULT_RUNS = 2000


@dataclass(repr=False)
class Concessions(RunFacts):
    """The concessions that would open a zone: the record (``record``) and the deal space."""

    scenario: Scenario
    record: rec.RunRecord
    whatif: WhatIf
    deal: DealAnalysis
    uncertainty: Uncertainty | None = None  # None with one run

    @property
    def results(self) -> rec.ConcessionsResults:
        return self.record.results  # type: ignore[return-value]

    @property
    def variant(self) -> str | None:
        return self.record.scenario.variant

    def to_json(self) -> dict:
        return self.record.to_json()

    def __repr__(self) -> str:
        r = self.results
        return (
            f"Concessions({self.scenario.id!r}: P(zone) {r.deal.probability:.1%}, "
            f"{len(r.singles)} single changes, {len(r.pairs)} pairs, over {self.draws:,} draws)"
        )


def _lever_ref(point: deal.Terms, lv: deal.Lever, sc: Scenario) -> rec.LeverRef:
    """The lever as the record names it, with its value on the scenario's own numbers."""
    actor = sc.actors[int(point.deciders[lv.decider])].id
    if lv.kind == "red_line":
        end = point.red_low if lv.bound == "min" else point.red_high
        current = float(end[0, lv.decider, lv.issue])
        return rec.LeverRef(
            actor=actor,
            kind="red_line",
            issue=sc.issues[lv.issue].id,
            bound=lv.bound,
            current=current,
        )
    if lv.kind == "outside_option":
        return rec.LeverRef(
            actor=actor, kind="outside_option", current=float(point.outside[0, lv.decider])
        )
    return rec.LeverRef(actor=actor, kind="trust", current=float(point.trust[0, lv.decider]))


def _entry(
    point: deal.Terms,
    sc: Scenario,
    move: deal.Move,
    none: np.ndarray,
    at_median: float,
) -> rec.Concession:
    opened = move.opens & none  # draws without a zone that the levers open
    trust_only = all(lv.kind == "trust" for lv in move.levers)
    return rec.Concession(
        levers=[_lever_ref(point, lv, sc) for lv in move.levers],
        opens=float(move.opens.mean()),
        moves=[stats(move.amount[opened, e]) for e in range(len(move.levers))],
        cost=None if trust_only else stats(move.cost[opened]),
        at_median=at_median,
    )


def _cheapest(moves: list[deal.Move], none: np.ndarray) -> int | None:
    """The index of the move with the lowest median cost over the draws without a zone
    (infinite where it cannot open one); None when no move opens half of them."""
    if not none.any():
        return None
    best, best_cost = None, np.inf
    for i, mv in enumerate(moves):
        if all(lv.kind == "trust" for lv in mv.levers):
            continue  # no cost to compare: the other side earns trust
        cost = float(np.median(np.where(mv.opens[none], mv.cost[none], np.inf)))
        if cost < best_cost:
            best, best_cost = i, cost
    return best


def _move(t: deal.Terms, ds: deal.DealSpace, chosen: tuple[deal.Lever, ...]) -> deal.Move:
    """What it takes with the ``chosen`` levers, computed only in the draws where they might
    open a zone (:func:`accord.deal.could_open`, a necessary condition): nothing needs to move
    where a zone exists, and elsewhere no move of them opens one."""
    rows = np.flatnonzero(deal.could_open(t, ds, chosen))
    sub = t.take(rows)
    if chosen[0].kind == "trust":
        got = deal.required_trust(sub, chosen[0])
    else:
        got = deal.required_move(sub, chosen)
    amount = np.where(ds.exists[:, None], 0.0, np.inf) * np.ones((1, len(chosen)))
    cost = np.where(ds.exists, 0.0, np.inf)
    amount[rows], cost[rows] = got.amount, got.cost
    return deal.Move(got.levers, amount, cost)


def _merge(parts: list[deal.Move]) -> deal.Move:
    return deal.Move(
        parts[0].levers,
        np.concatenate([p.amount for p in parts]),
        np.concatenate([p.cost for p in parts]),
    )


def concessions(
    scenario: Scenario | str | os.PathLike,
    *,
    variant: str | None = None,
    changes: Mapping[str, Any] | None = None,
    runs: int = DEFAULT_RUNS,
    seed: int | None = None,
    uncertainty: Uncertainty | str | Mapping[str, Any] | None = None,
    chunk_size: int | None = None,
    per_side: int = 3,
    progress: Callable[[int, int], None] | None = None,
) -> Concessions:
    """What it would take to open a zone in ``scenario`` (after ``variant`` and ``changes``) on
    ``runs`` draws with ``seed`` (see the module). ``per_side``: how many of each decider's most
    often blocking levers enter the pairs."""
    started, t0 = rec.now(), time.perf_counter()
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or runs < 1:
        raise ParameterError(f"runs={runs!r} must be a whole number >= 1", field="runs")
    w = prepare(scenario, variant=variant, changes=changes)
    sc = w.scenario
    entropy = resolve_seed(seed)
    unc = resolve_uncertainty(uncertainty) if runs > 1 else None
    base = to_arrays(sc)
    deciders = n_deciders(base)
    why = deal_left_out(deciders)
    if why is not None:
        raise ParameterError(f"no deal space to work on: {why}", field="scenario")
    point = deal.terms(base)
    found = deal.levers(point)
    # pass 1 analyses the zone; pass 2 solves about one program per lever and draw
    check_run(
        base.n_actors,
        base.n_issues,
        [],
        draws=runs,
        columns=1 + len(found),
        chunk=chunk_size,
        deal_deciders=deciders,
    )

    def draws() -> Iterator[Any]:
        return run_draws(sc, runs=runs, seed=entropy, uncertainty=unc, chunk_size=chunk_size)

    total = 3 * int(runs)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done, total), total)

    # pass 1: the zone, and how often each lever blocks one
    spaces, full, blocking = [], [], {lv: 0 for lv in found if lv.kind != "trust"}
    for arrays in draws():
        t = deal.terms(arrays)
        ds = deal.analyse(arrays)
        spaces.append(DealDraws.of(ds))
        full.append(ds)
        for lv in blocking:
            blocking[lv] += int(deal.involvement(t, ds, lv).sum())
        tick(arrays.n_draws)
    dd = DealDraws.merge(spaces)
    none = ~dd.exists
    tops: dict[int, list[deal.Lever]] = {}
    for lv in sorted(blocking, key=lambda v: -blocking[v]):
        if blocking[lv] > 0 and len(tops.setdefault(lv.decider, [])) < per_side:
            tops[lv.decider].append(lv)
    sides = sorted(tops)
    pair_levers = [
        (a, b)
        for x, ja in enumerate(sides)
        for jb in sides[x + 1 :]
        for a in tops[ja]
        for b in tops[jb]
    ]

    # pass 2: the smallest moves, draw by draw — in the draws without a zone only (elsewhere
    # nothing needs to move)
    single_parts: list[list[deal.Move]] = [[] for _ in found]
    pair_parts: list[list[deal.Move]] = [[] for _ in pair_levers]
    if none.any():
        for arrays, ds in zip(draws(), full, strict=True):
            t = deal.terms(arrays)
            for i, lv in enumerate(found):
                single_parts[i].append(_move(t, ds, (lv,)))
            for i, pair in enumerate(pair_levers):
                pair_parts[i].append(_move(t, ds, pair))
            tick(arrays.n_draws)
    singles = [_merge(p) for p in single_parts if p]
    pairs = [_merge(p) for p in pair_parts if p]

    # pass 3: a pair's median moves applied to every draw (a single's follows from its moves)
    def median_moves(mv: deal.Move) -> dict[deal.Lever, float]:
        opened = mv.opens & none
        return {
            lv: float(np.median(mv.amount[opened, e])) if opened.any() else 0.0
            for e, lv in enumerate(mv.levers)
        }

    pair_at = np.zeros(len(pairs))
    if pairs:
        counts = np.zeros(len(pairs))
        meds = [median_moves(mv) for mv in pairs]
        for arrays in draws():
            t = deal.terms(arrays)
            for i, m in enumerate(meds):
                counts[i] += int(deal.exists(deal.shifted(t, m)).sum())
            tick(arrays.n_draws)
        pair_at = counts / max(dd.n, 1)

    def single_at(mv: deal.Move) -> float:
        med = median_moves(mv)[mv.levers[0]]
        tol = 1e-9 * (
            1.0 if mv.levers[0].kind != "red_line" else float(point.span[mv.levers[0].issue])
        )
        return float(((mv.amount[:, 0] <= med + tol) | dd.exists).mean())

    single_entries = [
        (mv, _entry(point, sc, mv, none, single_at(mv)))
        for mv in singles
        if (mv.opens & none).any()
    ]
    # a pair is a pair where both sides move (in the median draw it opens) and it opens more
    # draws than either change alone
    alone = {mv.levers[0]: int(mv.opens.sum()) for mv in singles}

    def both_move(mv: deal.Move) -> bool:
        return all(v > 0 for v in median_moves(mv).values())

    pair_entries = [
        (mv, _entry(point, sc, mv, none, float(pair_at[i])))
        for i, mv in enumerate(pairs)
        if both_move(mv) and int(mv.opens.sum()) > max(alone.get(lv, 0) for lv in mv.levers)
    ]

    def rank(items):
        return sorted(
            items,
            key=lambda it: (
                -it[1].opens,
                it[1].cost.median if it[1].cost is not None else np.inf,
            ),
        )

    single_entries, pair_entries = rank(single_entries), rank(pair_entries)
    cheap_single = _cheapest([mv for mv, _ in single_entries], none)
    cheap_pair = _cheapest([mv for mv, _ in pair_entries], none)
    deal_rec = deal_record(dd, sc)
    results = rec.ConcessionsResults(
        deal=deal_rec,
        singles=[e for _, e in single_entries],
        pairs=[e for _, e in pair_entries],
        cheapest_single=cheap_single,
        cheapest_pair=cheap_pair,
    )
    record = rec.RunRecord(
        accord_version=__version__,
        scenario=scenario_ref(w, variant),
        models=[],
        seed=entropy,
        runs=int(runs),
        draws=dd.n,
        uncertainty=rec.UncertaintySettings(**unc.as_dict()) if unc is not None else None,
        chunk_size=(chunk_size or _chunk(sc)) if runs > 1 else None,
        started=started,
        finished=rec.now(),
        seconds=time.perf_counter() - t0,
        results=results,
    )
    return Concessions(sc, record, w, DealAnalysis(dd, deal_rec), unc)


def _chunk(sc: Scenario) -> int:
    from accord.runs.montecarlo import chunk_for

    return chunk_for(len(sc.actors))


__all__ = ["DEFAULT_RUNS", "Concessions", "concessions"]
