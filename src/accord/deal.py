"""Is there a deal every decider can accept, and what would it take? The deal space of a scenario.

A **package** settles every issue at once (one outcome per issue). The **zone of possible
agreement** (ZOPA; Fearon 1995's "bargaining range", Raiffa 1982's zone of agreement) is the set of
packages every decider accepts under the agreement rule of :mod:`accord.outcome`: inside all its red
lines, and worth at least its outside option to it — its utility discounted by its trust, the
saliences weighing the issues against each other, so that what a decider gives up on one issue can
be made up on another. This module asks, for every draw at once:

- **Is the zone empty, and why?** The deciders' red lines may not overlap on an issue (the pair is
  named), a decider's outside option may beat every package inside the red lines, or the outside
  options may be met one at a time but not together.
- **Where is it?** Its extent per issue (the smallest and largest outcome of any acceptable
  package), whether it needs a trade across issues (no acceptable package moves only one issue from
  the status quo), and the **mediator's package** (below).
- **What would it take** to open a zone that is empty (:func:`required_move`,
  :func:`required_trust`; ranked over a run by :mod:`accord.runs.concessions`): how far each
  decider's red-line end, outside-option value or trust must move, per draw, and what that costs
  it; the same for pairs of changes, one per side.

**The mediator's package** is the Kalai–Smorodinsky point of the zone (Kalai & Smorodinsky 1975,
*Econometrica* 43(3):513–518; proposed earlier by Raiffa 1953 as an arbitration scheme): every
decider gets the same share of the most it could gain over its outside option in any acceptable
package, as far as the zone allows; ties are broken towards the largest total value. Like Nash's
solution it does not depend on how each decider's utility is scaled; unlike it, it is the solution
of a linear program for any number of deciders. A mediator in accord carries the package, it does
not change it: what the deciders accept depends on their red lines, outside options and trust
alone (a facilitative mediator, keeping channels open, in the terms of the mediation literature),
so a mediator stepping back leaves the zone and the package unchanged.

**How.** Each decider's deal value is concave and piecewise linear in every issue (a sum of
salience-weighted absolute distances, with one more kink per issue where trust makes a withheld
concession count). Splitting every issue's range between its red lines at all the kinks turns the
value into a linear function of how far each segment is filled, and because every decider's loss
is convex, filling the segments in order costs nobody anything a linear program could save — so
each question is a small linear program per draw: a row per decider, a column per segment. All
draws are solved together by a batched simplex (:mod:`accord.simplex`); nothing loops over draws.

- Maximin: the largest margin ``s`` by which every decider's deal value can beat its outside option
  (``s ≥ 0`` exactly when a zone exists; the tolerance is :data:`accord.outcome.TOLERANCE`).
- From that point (warm starts): the extent per issue (two programs each), each decider's best
  value inside the zone, the Kalai–Smorodinsky share ``λ``, and the tie-break.
- The single-issue checks (others at the status quo) are closed form.

>>> import accord
>>> from accord.scenario.convert import to_arrays
>>> sc = accord.load("us-iran-muscat-2026")
>>> ds = analyse(to_arrays(sc))
>>> bool(ds.exists[0]), [sc.issues[k].id for k in np.flatnonzero(ds.conflict[0].any(axis=(1, 2)))]
(False, ['agenda', 'missiles'])
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from accord.arrays import ScenarioArrays
from accord.outcome import TOLERANCE, outside_option, trust
from accord.outcome import analyse as analyse_outcome
from accord.simplex import Batch

#: the maximin margin's box: far beyond any utility difference (values lie in 0–1)
_M = 4.0
#: how much slack counts as a tight row (a binding outside option)
_TIGHT = 1e-9


# -- the deciders' terms -----------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """The agreement rule for the deciders in piecewise-linear form (D draws, m deciders, I
    issues): a decider's deal value is ``1 − Σ_k weight·(τ·|y_k − x| + (1 − τ)·max(|y_k − x|,
    reach))`` (:func:`accord.outcome.deal_value`), and it accepts inside ``[red_low, red_high]``
    with a value of at least ``outside``."""

    deciders: np.ndarray  # (m,) actor indices
    weight: np.ndarray  # (D, m, I) value lost per unit of the scale (0 where no stance)
    position: np.ndarray  # (D, m, I)
    reach: np.ndarray  # (D, m, I) |status quo − position|: a withheld concession's distance
    trust: np.ndarray  # (D, m) on 0–1
    outside: np.ndarray  # (D, m) the outside option's value
    red_low: np.ndarray  # (D, m, I) the scale's low end where none is set or no stance
    red_high: np.ndarray  # (D, m, I)
    low: np.ndarray  # (I,)
    high: np.ndarray  # (I,)
    status_quo: np.ndarray  # (I,)

    @property
    def span(self) -> np.ndarray:
        return np.where(self.high > self.low, self.high - self.low, 1.0)

    @property
    def n_draws(self) -> int:
        return self.weight.shape[0]

    def loss(self, y: np.ndarray) -> np.ndarray:
        """(D, m, I) each decider's loss on each issue at package ``y`` (D, I)."""
        dist = np.abs(y[:, None, :] - self.position)
        tau = self.trust[:, :, None]
        return self.weight * (tau * dist + (1.0 - tau) * np.maximum(dist, self.reach))

    def value(self, y: np.ndarray) -> np.ndarray:
        """(D, m) each decider's deal value of package ``y`` (D, I)."""
        return 1.0 - self.loss(y).sum(axis=2)

    def take(self, rows: np.ndarray) -> Terms:
        """The terms of some draws only (``rows``: indices or a mask)."""
        drawn = ("weight", "position", "reach", "trust", "outside", "red_low", "red_high")
        return replace(self, **{name: getattr(self, name)[rows] for name in drawn})

    def box(self) -> tuple[np.ndarray, np.ndarray]:
        """(D, I) the outcomes inside every decider's red lines: [low end, high end] (the low end
        may lie above the high end: the red lines do not overlap there)."""
        return self.red_low.max(axis=1), self.red_high.min(axis=1)


def terms(arrays: ScenarioArrays) -> Terms:
    """The deciders' terms, read off the arrays through :mod:`accord.outcome`'s definitions."""
    dec = np.flatnonzero(arrays.deciders)
    has = arrays.has_stance[dec][None]  # (1, m, I)
    span = np.where(arrays.high > arrays.low, arrays.high - arrays.low, 1.0)
    s = arrays.stance_salience()[:, dec]
    total = s.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.where(total > 0, s / total, 0.0) / span
    position = np.where(has, arrays.position[:, dec], arrays.status_quo)
    return Terms(
        deciders=dec,
        weight=weight,
        position=position,
        reach=np.abs(arrays.status_quo - position),
        trust=trust(arrays)[:, dec],
        outside=outside_option(arrays)[:, dec],
        red_low=np.where(has, arrays.red_low[:, dec], arrays.low),
        red_high=np.where(has, arrays.red_high[:, dec], arrays.high),
        low=arrays.low,
        high=arrays.high,
        status_quo=arrays.status_quo,
    )


# -- the segment program -----------------------------------------------------------------------


@dataclass(frozen=True)
class Program:
    """The deal space of every draw as a linear program (see the module): columns are the
    segments (N), the margin ``s``, the Kalai–Smorodinsky share ``λ`` and one relaxation ``e`` per
    decider's outside option; rows are the deciders' value constraints."""

    lp: Batch
    start: np.ndarray  # (D, N) where each segment starts on its issue's scale
    length: np.ndarray  # (D, N)
    slope: np.ndarray  # (D, m, N) each decider's loss per unit of the segment
    issue: np.ndarray  # (D, N) the issue of each segment
    base: np.ndarray  # (D, I) the low end of each issue's range (segments fill up from it)
    base_value: np.ndarray  # (D, m) each decider's value at ``base``

    @property
    def n_segments(self) -> int:
        return self.issue.shape[1]

    @property
    def s(self) -> int:  # column of the margin
        return self.n_segments

    @property
    def lam(self) -> int:  # column of the Kalai–Smorodinsky share
        return self.n_segments + 1

    def relax(self, j: int) -> int:  # column relaxing decider j's outside option
        return self.n_segments + 2 + j

    def package(self) -> np.ndarray:
        """(D, I) the package at the current point: each issue's base plus its filled segments."""
        fill = self.lp.x[:, : self.n_segments]
        y = self.base.copy()
        for k in range(self.base.shape[1]):
            y[:, k] += np.where(self.issue == k, fill, 0.0).sum(axis=1)
        return y

    def on_issue(self, k: int) -> np.ndarray:
        """(D, n) the objective row of issue ``k``'s outcome (its segments' fill, counted)."""
        c = np.zeros(self.lp.x.shape)
        c[:, : self.n_segments] = self.issue == k
        return c

    def unit(self, col: int) -> np.ndarray:
        """(D, n) the objective row of one column."""
        c = np.zeros(self.lp.x.shape)
        c[:, col] = 1.0
        return c

    def value_objective(self, weights: np.ndarray) -> np.ndarray:
        """(D, n) the objective Σ_j weights_j · (decider j's value), up to a constant."""
        c = np.zeros(self.lp.x.shape)
        c[:, : self.n_segments] = -np.einsum("dm,dmn->dn", weights, self.slope)
        return c


def _segments(t: Terms, lo: np.ndarray, hi: np.ndarray, extra: np.ndarray | None = None):
    """Split each issue's range [lo, hi] (D, I) at every kink of every decider's loss (and at the
    ``extra`` points (D, I, E)): segment starts, lengths and slopes, flattened over issues."""
    kinks = [lo[:, None, :], hi[:, None, :], t.position]
    if (t.trust < 1).any():
        kinks += [t.position - t.reach, t.position + t.reach]
    points = np.concatenate(kinks, axis=1)  # (D, P, I)
    if extra is not None:
        points = np.concatenate([points, np.moveaxis(extra, 2, 1)], axis=1)
    points = np.sort(np.clip(points, lo[:, None, :], hi[:, None, :]), axis=1)
    start, end = points[:, :-1, :], points[:, 1:, :]  # (D, P-1, I)
    mid = 0.5 * (start + end)
    d = mid[:, None, :, :] - t.position[:, :, None, :]  # (D, m, P-1, I)
    kinked = np.abs(d) > t.reach[:, :, None, :]
    tau = t.trust[:, :, None, None]
    slope = t.weight[:, :, None, :] * np.sign(d) * (tau + (1.0 - tau) * kinked)
    n_i = lo.shape[1]
    n_p = start.shape[1]
    # flatten issue-major: segment n = k * (P-1) + p
    start = np.swapaxes(start, 1, 2).reshape(lo.shape[0], n_i * n_p)
    length = np.swapaxes(end, 1, 2).reshape(lo.shape[0], n_i * n_p) - start
    slope = np.swapaxes(slope, 2, 3).reshape(lo.shape[0], t.weight.shape[1], n_i * n_p)
    issue = np.repeat(np.arange(n_i), n_p)
    return start, np.maximum(length, 0.0), slope, issue


def program(t: Terms, lo: np.ndarray, hi: np.ndarray, extra: np.ndarray | None = None) -> Program:
    """The linear program of the deal space over the ranges [lo, hi] (D, I), which must not be
    empty. The starting point (every segment empty, margin −M) is feasible by construction."""
    start, length, slope, issue = _segments(t, lo, hi, extra)
    # most segments are empty in a given draw (kinks outside the range, coinciding kinks): keep,
    # draw by draw, only the non-empty ones, in as many columns as the fullest draw needs
    order = np.argsort(length <= 0, axis=1, kind="stable")
    keep = max(int((length > 0).sum(axis=1).max()), 1)
    order = order[:, :keep]
    start = np.take_along_axis(start, order, axis=1)
    length = np.take_along_axis(length, order, axis=1)
    slope = np.take_along_axis(slope, order[:, None, :], axis=2)
    issue = issue[order]
    d, m, n = slope.shape
    base_value = t.value(lo)
    # row j: Σ slope·fill + s − e_j ≤ value(lo) − outside  (value − outside ≥ s once relaxed by e)
    A = np.zeros((d, m, n + 2 + m))
    A[:, :, :n] = slope
    A[:, :, n] = 1.0
    A[:, np.arange(m), n + 2 + np.arange(m)] = -1.0
    b = base_value - t.outside
    lo_c = np.zeros((d, n + 2 + m))
    hi_c = np.zeros((d, n + 2 + m))
    hi_c[:, :n] = length
    lo_c[:, n], hi_c[:, n] = -_M, _M
    lp = Batch(A, b, lo_c, hi_c)
    return Program(lp, start, length, slope, issue, lo, base_value)


# -- the zone ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DealSpace:
    """The deal space of every draw (D draws, m deciders — :attr:`deciders` are their actor
    indices —, I issues). Per-draw values are NaN where they do not apply (no zone)."""

    deciders: np.ndarray  # (m,)
    exists: np.ndarray  # (D,) a package every decider accepts exists
    conflict: np.ndarray  # (D, I, m, m) [k, a, b]: a's red-line minimum lies above b's maximum
    red_low: np.ndarray  # (D, m, I) each decider's red lines, as drawn
    red_high: np.ndarray  # (D, m, I)
    short: np.ndarray  # (D, m) red lines overlap, but even a's best package there < its outside
    joint: np.ndarray  # (D,) each outside option can be met alone, not all together
    binding: np.ndarray  # (D, m) a's value constraint is tight at the maximin package
    margin: np.ndarray  # (D,) the maximin margin (NaN where the red lines do not overlap)
    extent: np.ndarray  # (D, I, 2) the zone's smallest and largest outcome per issue
    package: np.ndarray  # (D, I) the mediator's package
    value: np.ndarray  # (D, m) each decider's deal value of the package
    utility: np.ndarray  # (D, m) each decider's utility of the package (no trust discount)
    outside: np.ndarray  # (D, m) each decider's outside option
    ideal: np.ndarray  # (D, m) the most each decider gets in any acceptable package
    share: np.ndarray  # (D,) the Kalai–Smorodinsky share λ of each decider's possible gain
    single: np.ndarray  # (D, I) an acceptable package moves only this issue from the status quo
    threat: np.ndarray  # (D, m) a's escalatory outside option is worth >= the status quo
    status_quo_utility: np.ndarray  # (D, m)

    @property
    def n_draws(self) -> int:
        return self.exists.shape[0]

    @property
    def needs_tradeoff(self) -> np.ndarray:
        """(D,) a zone exists, but every acceptable package moves more than one issue."""
        return self.exists & ~self.single.any(axis=1)

    @property
    def overlap(self) -> np.ndarray:
        """(D,) the deciders' red lines overlap on every issue."""
        return ~self.conflict.any(axis=(1, 2, 3))


def _conflicts(t: Terms) -> np.ndarray:
    """(D, I, m, m): decider a's red-line minimum lies above decider b's maximum on issue k."""
    gap = (t.red_low[:, :, None, :] - t.red_high[:, None, :, :]) / t.span  # (D, a, b, I)
    return np.moveaxis(gap > TOLERANCE, 3, 1)


def _radius(budget: np.ndarray, t: Terms) -> np.ndarray:
    """(D, m, I) how far from its position an issue may go, for a decider whose other issues are
    settled, before that issue's loss exceeds ``budget`` (D, m, I); −1 where not even its position
    fits, +inf where the issue costs it nothing."""
    w, tau, r = t.weight, t.trust[:, :, None], t.reach
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = budget / w
        inner = np.where(tau > 0, (beta - (1.0 - tau) * r) / tau, np.where(beta >= r, r, -1.0))
        rad = np.where(beta >= r, beta, np.where(beta >= (1.0 - tau) * r, inner, -1.0))
    return np.where(w > 0, rad, np.where(budget >= -TOLERANCE, np.inf, -1.0))


def _single_issue(t: Terms, lo: np.ndarray, hi: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """(D, I): some acceptable package moves only issue k, every other issue at the status quo."""
    sq = np.broadcast_to(t.status_quo, lo.shape)
    in_box = (sq >= lo - TOLERANCE * t.span) & (sq <= hi + TOLERANCE * t.span)  # (D, I)
    loss_sq = t.loss(sq)  # (D, m, I)
    # the budget issue k leaves a decider: its margin with every other issue at the status quo
    budget = (1.0 - t.outside)[:, :, None] - (loss_sq.sum(axis=2, keepdims=True) - loss_sq)
    budget = budget + TOLERANCE
    rad = _radius(budget, t)
    a = np.maximum((t.position - rad).max(axis=1), lo)  # (D, I)
    b = np.minimum((t.position + rad).min(axis=1), hi)
    fits = (rad >= 0).all(axis=1) & (a <= b + TOLERANCE * t.span)
    others_in_box = in_box.sum(axis=1, keepdims=True) - in_box >= lo.shape[1] - 1
    return ok[:, None] & fits & others_in_box


def analyse(arrays: ScenarioArrays) -> DealSpace:
    """The deal space of every draw of ``arrays`` (see the module)."""
    t = terms(arrays)
    d, m = t.outside.shape
    n_i = t.low.size
    lo, hi = t.box()
    conflict = _conflicts(t)
    overlap = ~conflict.any(axis=(1, 2, 3))
    hi_ok = np.maximum(hi, lo)  # a range of one point where the red lines do not overlap
    best = _best_in_box(t, lo, hi_ok)
    short = overlap[:, None] & (best < t.outside - TOLERANCE)

    prog = program(t, lo, hi_ok)
    lp = prog.lp
    margin = lp.solve(prog.unit(prog.s))
    exists = overlap & (margin >= -TOLERANCE)
    binding = overlap[:, None] & (lp.slack < _TIGHT)
    joint = overlap & ~short.any(axis=1) & ~exists
    margin = np.where(overlap, margin, np.nan)

    extent = np.full((d, n_i, 2), np.nan)
    ideal = np.full((d, m), np.nan)
    share = np.full(d, np.nan)
    package = np.full((d, n_i), np.nan)
    if exists.any():
        # from the maximin point on, keep every decider at or above its outside option
        lp.set_bounds(prog.s, np.minimum(np.nan_to_num(margin), 0.0), _M, exists)
        for k in range(n_i):
            top = lp.solve(prog.on_issue(k), active=exists)
            bottom = -lp.solve(-prog.on_issue(k), active=exists)
            extent[:, k, 0] = prog.base[:, k] + bottom
            extent[:, k, 1] = prog.base[:, k] + top
        for j in range(m):
            unit = np.zeros((d, m))
            unit[:, j] = 1.0
            ideal[:, j] = prog.base_value[:, j] + lp.solve(prog.value_objective(unit), exists)
        # Kalai–Smorodinsky: value_j − outside_j ≥ λ (ideal_j − outside_j) for every decider
        gain = np.maximum(np.nan_to_num(ideal - t.outside), 0.0)
        col = np.zeros((d, m))
        col[:] = gain
        lp.set_column(prog.lam, col, exists)
        lp.set_bounds(prog.lam, 0.0, 1.0, exists)
        share = lp.solve(prog.unit(prog.lam), active=exists)
        lam = np.where(exists, lp.x[:, prog.lam], 0.0)
        lp.set_bounds(prog.lam, lam, lam, exists)
        lp.solve(prog.value_objective(np.ones((d, m))), active=exists)  # the largest total value
        package = np.where(exists[:, None], prog.package(), np.nan)

    value = np.where(exists[:, None], t.value(np.nan_to_num(package)), np.nan)
    full = replace(t, trust=np.ones_like(t.trust))
    utility = np.where(exists[:, None], full.value(np.nan_to_num(package)), np.nan)
    single = _single_issue(t, lo, hi_ok, exists)

    sq = np.broadcast_to(arrays.status_quo, (d, n_i))
    at_sq = analyse_outcome(arrays, sq)
    return DealSpace(
        deciders=t.deciders,
        exists=exists,
        conflict=conflict,
        red_low=t.red_low,
        red_high=t.red_high,
        short=short,
        joint=joint,
        binding=binding & joint[:, None],
        margin=margin,
        extent=extent,
        package=package,
        value=value,
        utility=utility,
        outside=t.outside,
        ideal=ideal,
        share=share,
        single=single,
        threat=at_sq.threatens[:, t.deciders],
        status_quo_utility=at_sq.utility[:, t.deciders],
    )


def _best_in_box(t: Terms, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """(D, m) each decider's best value inside the red lines: every issue at its own position,
    moved into the range (its loss grows with the distance from its position)."""
    y = np.clip(t.position, lo[:, None, :], hi[:, None, :])  # (D, m, I)
    dist = np.abs(y - t.position)
    tau = t.trust[:, :, None]
    loss = t.weight * (tau * dist + (1.0 - tau) * np.maximum(dist, t.reach))
    return 1.0 - loss.sum(axis=2)


def exists(t: Terms) -> np.ndarray:
    """(D,) whether a zone exists, for terms ``t`` (the maximin program alone)."""
    if t.n_draws == 0:
        return np.zeros(0, dtype=bool)
    lo, hi = t.box()
    overlap = ~_conflicts(t).any(axis=(1, 2, 3))
    prog = program(t, lo, np.maximum(hi, lo))
    return overlap & (prog.lp.solve(prog.unit(prog.s)) >= -TOLERANCE)


# -- what it would take ----------------------------------------------------------------------

Bound = Literal["min", "max"]
Kind = Literal["red_line", "outside_option", "trust"]


@dataclass(frozen=True)
class Lever:
    """One number a decider could move to open a zone: the ``bound`` end of its red line on
    ``issue``, its outside option's value (lowered: it settles for less than it could get
    without a deal), or its trust (raised: the other side makes its commitment credible)."""

    decider: int  # index among the deciders
    kind: Kind
    issue: int | None = None
    bound: Bound | None = None


def levers(t: Terms) -> list[Lever]:
    """Every lever the deciders have: each red-line end set in some draw, each outside option,
    and the trust of those that do not fully trust in some draw."""
    span = t.span
    out = []
    for j in range(t.outside.shape[1]):
        for k in range(t.low.size):
            if ((t.red_low[:, j, k] - t.low[k]) / span[k] > TOLERANCE).any():
                out.append(Lever(j, "red_line", k, "min"))
            if ((t.high[k] - t.red_high[:, j, k]) / span[k] > TOLERANCE).any():
                out.append(Lever(j, "red_line", k, "max"))
        out.append(Lever(j, "outside_option"))
        if (t.trust[:, j] < 1).any():
            out.append(Lever(j, "trust"))
    return out


@dataclass(frozen=True)
class Move:
    """What it takes, per draw, to open a zone with ``levers`` moved (D draws, L levers): the
    smallest move of each (scale points for a red line, value 0–1 for an outside option, 0–1 for
    trust; 0 where a zone exists already; inf where these levers alone cannot open one) and its
    cost to the conceding deciders (value 0–1; NaN for trust, which the other side must earn)."""

    levers: tuple[Lever, ...]
    amount: np.ndarray  # (D, L)
    cost: np.ndarray  # (D,)

    @property
    def opens(self) -> np.ndarray:
        """(D,) the levers, moved as far as needed, open a zone."""
        return np.isfinite(self.amount).all(axis=1)


def unit_cost(t: Terms, lever: Lever) -> np.ndarray:
    """(D,) what a unit move of ``lever`` costs its decider: the value it loses per scale point an
    outcome may move past its old red line (its weight there), or 1 per point of outside value."""
    if lever.kind == "red_line":
        return t.weight[:, lever.decider, lever.issue]
    return np.ones(t.n_draws)


def _without(t: Terms, lever: Lever) -> Terms:
    """The terms with a red-line end removed (moved to the end of the scale)."""
    j, k = lever.decider, lever.issue
    if lever.bound == "min":
        red = t.red_low.copy()
        red[:, j, k] = t.low[k]
        return replace(t, red_low=red)
    red = t.red_high.copy()
    red[:, j, k] = t.high[k]
    return replace(t, red_high=red)


def shifted(t: Terms, moves: dict[Lever, np.ndarray | float]) -> Terms:
    """The terms with each lever moved by its amount: a red-line end outwards by that many scale
    points, an outside option down by that much value, trust up by that much."""
    red_low, red_high = t.red_low.copy(), t.red_high.copy()
    outside, tau = t.outside.copy(), t.trust.copy()
    for lv, amount in moves.items():
        j = lv.decider
        if lv.kind == "red_line" and lv.bound == "min":
            red_low[:, j, lv.issue] = np.maximum(red_low[:, j, lv.issue] - amount, t.low[lv.issue])
        elif lv.kind == "red_line":
            red_high[:, j, lv.issue] = np.minimum(
                red_high[:, j, lv.issue] + amount, t.high[lv.issue]
            )
        elif lv.kind == "outside_option":
            outside[:, j] = outside[:, j] - amount
        else:
            tau[:, j] = np.minimum(tau[:, j] + amount, 1.0)
    return replace(t, red_low=red_low, red_high=red_high, outside=outside, trust=tau)


def required_move(t: Terms, chosen: tuple[Lever, ...]) -> Move:
    """The cheapest moves of the ``chosen`` levers (red lines and outside options; trust: see
    :func:`required_trust`) that open a zone in each draw: one maximin program with those
    constraints lifted (is there a zone at all?), then, from its point, the program that
    minimises the total cost of the moves."""
    if t.n_draws == 0:
        return Move(tuple(chosen), np.zeros((0, len(chosen))), np.zeros(0))
    t2 = t
    for lv in chosen:
        if lv.kind == "red_line":
            t2 = _without(t2, lv)
    lo, hi = t2.box()
    overlap = ~_conflicts(t2).any(axis=(1, 2, 3))
    hi = np.maximum(hi, lo)
    # the old red-line ends become break points, so a segment lies wholly on one side of each
    old = [lv for lv in chosen if lv.kind == "red_line"]
    extra = None
    if old:
        extra = np.repeat(lo[:, :, None], len(old), axis=2)
        for e, lv in enumerate(old):
            end = t.red_low if lv.bound == "min" else t.red_high
            extra[:, lv.issue, e] = end[:, lv.decider, lv.issue]
    prog = program(t2, lo, hi, extra)
    lp = prog.lp
    d, n = t.n_draws, prog.n_segments
    for lv in chosen:
        if lv.kind == "outside_option":
            lp.set_bounds(prog.relax(lv.decider), 0.0, 2.0, np.ones(d, dtype=bool))
    margin = lp.solve(prog.unit(prog.s))
    ok = overlap & (margin >= -TOLERANCE)
    lp.set_bounds(prog.s, np.minimum(np.nan_to_num(margin), 0.0), _M, ok)
    # minimise the cost of the moves: the value of an outside option given up, and the
    # salience-weighted distance the package lies past each old red-line end
    c = np.zeros(lp.x.shape)
    for lv in chosen:
        w = unit_cost(t, lv) if len(chosen) > 1 else np.ones(d)
        if lv.kind == "outside_option":
            c[:, prog.relax(lv.decider)] -= w
            continue
        end = (t.red_low if lv.bound == "min" else t.red_high)[:, lv.decider, lv.issue]
        on = prog.issue == lv.issue
        if lv.bound == "min":  # every point filled below the old minimum is a point less moved
            sel = on & (prog.start + prog.length <= end[:, None] + 1e-12 * t.span[lv.issue])
            c[:, :n] += np.where(sel, w[:, None], 0.0)
        else:  # every point filled above the old maximum is a point more moved
            sel = on & (prog.start >= end[:, None] - 1e-12 * t.span[lv.issue])
            c[:, :n] -= np.where(sel, w[:, None], 0.0)
    lp.solve(c, active=ok)
    amount = np.full((d, len(chosen)), np.inf)
    y = prog.package()
    for e, lv in enumerate(chosen):
        if lv.kind == "outside_option":
            got = lp.x[:, prog.relax(lv.decider)]
        else:  # how far the package lies past the old end (which may lie beyond the range)
            end = (t.red_low if lv.bound == "min" else t.red_high)[:, lv.decider, lv.issue]
            got = end - y[:, lv.issue] if lv.bound == "min" else y[:, lv.issue] - end
        amount[:, e] = np.where(ok, np.maximum(got, 0.0), np.inf)
    cost = sum(unit_cost(t, lv) * amount[:, e] for e, lv in enumerate(chosen))
    return Move(tuple(chosen), amount, np.where(ok, cost, np.inf))


def required_trust(t: Terms, lever: Lever, steps: int = 16) -> Move:
    """How far decider ``lever.decider``'s trust must rise to open a zone, per draw: the zone
    grows with trust (a deal's value does), so bisection between its trust and full trust finds
    the least that opens it, to within 2⁻``steps`` of the gap."""
    if t.n_draws == 0:
        return Move((lever,), np.zeros((0, 1)), np.zeros(0))
    j = lever.decider
    now = t.trust[:, j]
    lo, hi = now.copy(), np.ones_like(now)
    opened = exists(t)
    full = exists(shifted(t, {lever: 1.0}))
    need = full & ~opened
    for _ in range(steps):
        if not need.any():
            break
        mid = 0.5 * (lo + hi)
        ok = exists(shifted(t, {lever: np.where(need, mid - now, 0.0)}))
        hi = np.where(need & ok, mid, hi)
        lo = np.where(need & ~ok, mid, lo)
    amount = np.where(opened, 0.0, np.where(full, hi - now, np.inf))
    return Move((lever,), amount[:, None], np.full(t.n_draws, np.nan))


def involvement(t: Terms, ds: DealSpace, lever: Lever) -> np.ndarray:
    """(D,) the draws without a zone in which ``lever`` is part of what blocks one: its red-line
    end in a pair that does not overlap, or sitting at the end of the range where the red lines
    do overlap; its outside option beyond reach or binding."""
    none = ~ds.exists
    j = lever.decider
    if lever.kind == "red_line":
        k = lever.issue
        if lever.bound == "min":
            pair = ds.conflict[:, k, j, :].any(axis=1)
            edge = t.red_low[:, j, k] >= t.box()[0][:, k] - TOLERANCE * t.span[k]
        else:
            pair = ds.conflict[:, k, :, j].any(axis=1)
            edge = t.red_high[:, j, k] <= t.box()[1][:, k] + TOLERANCE * t.span[k]
        return none & (pair | (ds.overlap & edge))
    if lever.kind == "outside_option":
        return none & (ds.short[:, j] | ds.binding[:, j])
    return none & ds.overlap


def could_open(t: Terms, ds: DealSpace, chosen: tuple[Lever, ...]) -> np.ndarray:
    """(D,) the draws without a zone in which moving the ``chosen`` levers might open one — a
    necessary condition, so that the programs need only run there: every pair of red lines that
    does not overlap has one of its ends among the levers, and some lever is part of what blocks
    a zone (:func:`involvement`). Elsewhere no move of those levers can open a zone."""
    fixed = np.zeros(ds.conflict.shape[1:], dtype=bool)  # (I, a, b)
    for lv in chosen:
        if lv.kind == "red_line" and lv.bound == "min":
            fixed[lv.issue, lv.decider, :] = True
        elif lv.kind == "red_line":
            fixed[lv.issue, :, lv.decider] = True
    covered = ~(ds.conflict & ~fixed).any(axis=(1, 2, 3))
    involved = np.zeros(ds.n_draws, dtype=bool)
    for lv in chosen:
        involved |= involvement(t, ds, lv)
    return ~ds.exists & covered & involved


__all__ = [
    "DealSpace",
    "Lever",
    "Move",
    "Program",
    "Terms",
    "analyse",
    "could_open",
    "exists",
    "involvement",
    "levers",
    "program",
    "required_move",
    "required_trust",
    "shifted",
    "terms",
    "unit_cost",
]
