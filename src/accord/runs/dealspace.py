"""The deal space of a run: :mod:`accord.deal` on the very draws the models saw, summarised into
the record (:class:`~accord.runs.records.DealResult`).

The draws are rebuilt chunk by chunk from the run's seed exactly as :mod:`accord.runs.montecarlo`
draws them (same chunks, same noise streams), so the deal space and every model's outcome are
paired draw by draw (common random numbers): a draw in which a model reaches agreement is one in
which a zone exists. A run of one draw uses the scenario's own numbers.

>>> import accord
>>> from accord.runs.forecast import forecast
>>> fc = forecast(accord.load("us-iran-muscat-2026"), "compromise", runs=500, seed=1)  # doctest: +SKIP
>>> fc.deal.record.probability, fc.deal.record.reasons[0]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from accord import deal
from accord.arrays import ScenarioArrays
from accord.runs import montecarlo as mc
from accord.runs import records as rec
from accord.scenario.convert import to_arrays
from accord.scenario.types import Scenario
from accord.uncertainty import Uncertainty, apply_noise, bounds, draw_noise


def run_draws(
    scenario: Scenario,
    *,
    runs: int,
    seed: int,
    uncertainty: Uncertainty | None,
    chunk_size: int | None = None,
) -> Iterator[ScenarioArrays]:
    """The run's draws, one chunk of arrays at a time, exactly as the Monte Carlo engine draws
    them for ``seed`` (``runs`` = 1: the scenario's own numbers)."""
    point = to_arrays(scenario)
    if runs <= 1 or uncertainty is None:
        yield point
        return
    bnds = bounds(scenario, uncertainty)
    a, i = point.n_actors, point.n_issues
    for ch in mc.chunks_of(int(runs), int(chunk_size or mc.chunk_for(a))):
        noise_seq, _ = mc.chunk_seed(seed, ch.index).spawn(2)
        yield apply_noise(point, bnds, draw_noise(a, i, ch.size, np.random.default_rng(noise_seq)))


@dataclass
class DealDraws:
    """The deal space over all draws of a run (D draws, m deciders, I issues): per-draw values
    where summaries need them, counts where they do not."""

    deciders: np.ndarray  # (m,) actor indices
    exists: np.ndarray  # (D,)
    overlap: np.ndarray  # (D,)
    tradeoff: np.ndarray  # (D,)
    margin: np.ndarray  # (D,) NaN where the red lines do not overlap
    package: np.ndarray  # (D, I) NaN without a zone
    extent: np.ndarray  # (D, I, 2)
    value: np.ndarray  # (D, m)
    utility: np.ndarray  # (D, m)
    ideal: np.ndarray  # (D, m)
    outside: np.ndarray  # (D, m)
    threat: np.ndarray  # (D, m)
    status_quo_utility: np.ndarray  # (D, m)
    conflict: np.ndarray  # (I, m, m) draws in which a's minimum lies above b's maximum on k
    clash: np.ndarray  # (I, m, m, 2) the sums of a's minimum and b's maximum over those draws
    short: np.ndarray  # (m,) draws in which a's outside option beats every package in the lines
    joint: int  # draws in which the outside options cannot be met together
    binding: np.ndarray  # (m,) of those, the draws in which a's outside option binds

    @property
    def n(self) -> int:
        return int(self.exists.shape[0])

    @classmethod
    def of(cls, p: deal.DealSpace) -> DealDraws:
        """One chunk's deal space, kept lean: single precision (plenty for the summaries, half the
        memory of a long run) and counts instead of per-draw reasons."""

        def lean(a: np.ndarray) -> np.ndarray:
            return a.astype(np.float32) if a.dtype == np.float64 else a

        c = p.conflict  # (D, I, a, b)
        low = np.moveaxis(p.red_low, 2, 1)[:, :, :, None]  # (D, I, a, 1)
        high = np.moveaxis(p.red_high, 2, 1)[:, :, None, :]  # (D, I, 1, b)
        return cls(
            deciders=p.deciders,
            exists=p.exists,
            overlap=p.overlap,
            tradeoff=p.needs_tradeoff,
            margin=p.margin,
            package=lean(p.package),
            extent=lean(p.extent),
            value=lean(p.value),
            utility=lean(p.utility),
            ideal=lean(p.ideal),
            outside=lean(p.outside),
            threat=p.threat,
            status_quo_utility=lean(p.status_quo_utility),
            conflict=c.sum(axis=0),
            clash=np.stack([(c * low).sum(axis=0), (c * high).sum(axis=0)], axis=-1),
            short=p.short.sum(axis=0),
            joint=int(p.joint.sum()),
            binding=p.binding.sum(axis=0),
        )

    @classmethod
    def merge(cls, parts: list[DealDraws]) -> DealDraws:
        """The chunks' deal spaces, in draw order, as one."""
        per_draw = ("exists", "overlap", "tradeoff", "margin", "package", "extent", "value",
                    "utility", "ideal", "outside", "threat", "status_quo_utility")  # fmt: skip
        counts = ("conflict", "clash", "short", "joint", "binding")
        return cls(
            deciders=parts[0].deciders,
            **{f: np.concatenate([getattr(p, f) for p in parts]) for f in per_draw},
            **{f: sum(getattr(p, f) for p in parts) for f in counts},
        )


def chunk_summary(arrays: ScenarioArrays) -> DealDraws:
    """The deal space of one chunk of draws (what a worker returns)."""
    return DealDraws.of(deal.analyse(arrays))


@dataclass(repr=False)
class DealAnalysis:
    """A run's deal space: the draws (:class:`DealDraws`) and their record."""

    draws: DealDraws
    record: rec.DealResult

    @property
    def probability(self) -> float:
        return self.record.probability

    def __repr__(self) -> str:
        r = self.record
        return (
            f"DealAnalysis(P(zone) {r.probability:.1%} over {r.draws:,} draws; "
            f"{len(r.reasons)} reasons; mediator {r.mediator})"
        )


def analyse_run(
    scenario: Scenario,
    *,
    runs: int,
    seed: int,
    uncertainty: Uncertainty | None,
    chunk_size: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> DealAnalysis:
    """The deal space of ``scenario`` on the run's draws (see :func:`run_draws`), chunk by chunk
    on ``workers`` local processes (joblib's loky; the results do not depend on how many)."""
    chunks = run_draws(
        scenario, runs=runs, seed=seed, uncertainty=uncertainty, chunk_size=chunk_size
    )
    n_chunks = -(-int(runs) // int(chunk_size or mc.chunk_for(len(scenario.actors))))
    if workers > 1 and n_chunks > 1:
        from joblib import Parallel, delayed

        par = Parallel(n_jobs=min(workers, n_chunks), backend="loky")
        parts = par(delayed(chunk_summary)(a) for a in chunks)
    else:
        parts = []
        for arrays in chunks:
            parts.append(chunk_summary(arrays))
            if progress is not None:
                progress(sum(p.n for p in parts), max(int(runs), 1))
    dd = DealDraws.merge(parts)
    return DealAnalysis(dd, deal_record(dd, scenario))


# -- the record ------------------------------------------------------------------------------


def stats(values: np.ndarray) -> rec.Stats | None:
    """A number's distribution over the draws (None over no draws)."""
    from accord.runs.forecast import intervals

    single = np.asarray(values).dtype == np.float32
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return None

    def num(x: float) -> float:  # single-precision draws carry 7 significant digits, no more
        return float(f"{x:.7g}") if single else float(x)

    return rec.Stats(
        median=num(np.median(values)),
        mean=num(np.mean(values)),
        intervals={k: (num(a), num(b)) for k, (a, b) in intervals(values).items()},
    )


def _red_lines(scenario: Scenario, actor_id: str) -> dict[str, tuple[float | None, float | None]]:
    actor = scenario.actor(actor_id)
    out = {}
    for issue in scenario.issues:
        st = actor.stances.get(issue.id)
        rl = st.red_line if st is not None else None
        if rl is not None and (rl.min, rl.max) != (None, None):
            out[issue.id] = (rl.min, rl.max)
    return out


def mediator_of(scenario: Scenario) -> str | None:
    """The actor that would carry a package: the first mediator with capability above zero."""
    for a in scenario.actors:
        if a.role == "mediator" and a.capability > 0:
            return a.id
    return None


def deal_record(dd: DealDraws, scenario: Scenario) -> rec.DealResult:
    """The record of a run's deal space (shares over all draws; the zone's numbers over the
    draws that have one)."""
    n = max(dd.n, 1)
    ids = [scenario.actors[a].id for a in dd.deciders]
    issues = [i.id for i in scenario.issues]
    reasons: list[rec.DealReason] = []
    for k, a, b in zip(*np.nonzero(dd.conflict), strict=True):
        lo = _red_lines(scenario, ids[a]).get(issues[k], (None, None))[0]
        hi = _red_lines(scenario, ids[b]).get(issues[k], (None, None))[1]
        reasons.append(
            rec.DealReason(
                kind="red_lines",
                actors=[ids[a], ids[b]],
                issue=issues[k],
                bounds=(lo, hi),
                clash=tuple(dd.clash[k, a, b] / dd.conflict[k, a, b]),
                share=int(dd.conflict[k, a, b]) / n,
            )
        )
    for j in np.flatnonzero(dd.short):
        reasons.append(
            rec.DealReason(kind="outside_option", actors=[ids[j]], share=int(dd.short[j]) / n)
        )
    if dd.joint:
        order = np.argsort(-dd.binding, kind="stable")
        who = [ids[j] for j in order if dd.binding[j] > 0]
        reasons.append(rec.DealReason(kind="joint", actors=who, share=dd.joint / n))
    reasons.sort(key=lambda r: (-r.share, r.kind, r.issue or ""))

    ex = dd.exists
    zone = []
    if ex.any():
        zone = [
            rec.ZoneIssue(
                id=issue,
                low=stats(dd.extent[ex, k, 0]),
                high=stats(dd.extent[ex, k, 1]),
                package=stats(dd.package[ex, k]),
            )
            for k, issue in enumerate(issues)
        ]
    actors = []
    for j, actor_id in enumerate(ids):
        t = scenario.actor(actor_id).trust
        actors.append(
            rec.DealActor(
                id=actor_id,
                red_lines=_red_lines(scenario, actor_id),
                trust=None if t is None else t / 100.0,
                outside=stats(dd.outside[:, j]),
                value=stats(dd.value[ex, j]),
                utility=stats(dd.utility[ex, j]),
                ideal=stats(dd.ideal[ex, j]),
            )
        )
    kinds = [scenario.actors[a].outside_option for a in dd.deciders]
    threats = [
        rec.Threat(
            actor=ids[j],
            outside=stats(dd.outside[:, j]),
            status_quo=stats(dd.status_quo_utility[:, j]),
            share=float(dd.threat[:, j].mean()),
        )
        for j, oo in enumerate(kinds)
        if oo is not None and oo.kind == "escalation"
    ]
    overlapping = np.isfinite(dd.margin)
    return rec.DealResult(
        deciders=ids,
        draws=dd.n,
        probability=float(ex.mean()),
        overlap=float(dd.overlap.mean()),
        tradeoff=float(dd.tradeoff.mean()),
        margin=stats(dd.margin[overlapping]),
        reasons=reasons,
        issues=zone,
        actors=actors,
        mediator=mediator_of(scenario),
        threats=threats,
        escalation=float(dd.threat.any(axis=1).mean()),
    )


__all__ = [
    "DealAnalysis",
    "DealDraws",
    "analyse_run",
    "chunk_summary",
    "deal_record",
    "mediator_of",
    "run_draws",
    "stats",
]
