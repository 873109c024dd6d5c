"""Voting, coalitions, victory probabilities and the probabilistic Condorcet election (PCE).

The generic machinery of KTAB's ``kmodel`` (Wise, KAPSARC; MIT licence), re-implemented with numpy
over arbitrary leading axes (draws, actors whose queue is being resolved, ...). Sources, all in
lsyaseen/KTAB (the public fork of KAPSARC/KTAB): ``KTAB/kmodel/libsrc/kmodel.cpp``
(``Model::vote``, ``Model::coalitions``, ``Model::vProb``, ``Model::condPCE``,
``Model::markovUniformPCE``, ``Model::markovIncentivePCE``, ``Model::bigRfromProb``,
``Model::estNRA``) and B. Wise, "Markov Voting with Incentives in KTAB"
(``KTAB/kmodel/doc/markov-incentives.tex``).

Conventions: ``u[..., k, a]`` is the utility to voter ``k`` of option ``a``; ``w[..., k]`` the
voter's weight; a coalition matrix ``c[..., a, b]`` is the strength supporting ``a`` over ``b``;
``pv[..., a, b]`` the probability that ``a`` beats ``b``. An optional boolean ``mask[..., a]``
marks the options that exist (queues of different lengths are padded to one length); masked-out
options get probability 0 and take no part.

>>> import numpy as np
>>> u = np.array([[1.0, 0.0], [1.0, 0.5], [0.0, 1.0]])   # 3 voters, 2 options
>>> c = coalitions(u, np.array([1.0, 1.0, 1.0]), "Prop")
>>> np.round(victory_probabilities(c, "Linear"), 3).tolist()
[[0.5, 0.6], [0.4, 0.5]]
>>> np.round(pce(c, "Linear", "Conditional"), 3).tolist()
[0.6, 0.4]
"""

from __future__ import annotations

import numpy as np

from accord.models import kernels

VOTING_RULES = ("Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp")
VP_MODELS = ("Linear", "Square", "Quartic", "Octic", "Binary")
#: victory-probability models by the code the compiled loops use
VP_MODELS_CODE = {name: k for k, name in enumerate(VP_MODELS)}
PCE_MODELS = ("Conditional", "MarkovIncentive", "MarkovUniform")
BIG_R_RANGES = ("Min", "Mid", "Max")
BIG_R_ADJUSTS = ("None", "OneThird", "Half", "TwoThirds", "Full")

#: KTAB's floor on every coalition (kmodel.cpp ``Model::coalitions``): avoids 0/0
MIN_COALITION = 1e-8
#: the most numbers in one temporary when summing votes: beyond it, a block of voters at a time
BLOCK = 1 << 22
#: convergence tolerances of the Markov PCEs (kmodel.cpp)
MARKOV_UNIFORM_TOL = 1e-6
MARKOV_INCENTIVE_TOL = 1e-8
MARKOV_MAX_ITER = 1000


def vote(rule: str, w: np.ndarray | float, du: np.ndarray) -> np.ndarray:
    """Vote of weight ``w`` given a utility difference ``du = u(a) - u(b)`` (KTAB ``Model::vote``).

    Binary: ``w * clip(du / 1e-8, ±1)``; PropBin: ``w (0.8 du + 0.2 bin)``; Prop: ``w du``;
    PropCbc: ``w (0.5 du + 0.5 du³)``; Cubic: ``w du³``; ASymProsp: ``w du`` for losses and
    ``(2/3) w du`` for gains. KTAB refuses a zero weight; here it simply casts no vote.
    """
    if rule == "Prop":
        return w * du
    if rule == "Binary":
        return w * np.clip(du / 1e-8, -1.0, 1.0)
    if rule == "PropBin":
        return w * ((1 - 0.2) * du + 0.2 * np.clip(du / 1e-8, -1.0, 1.0))
    if rule == "PropCbc":
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    if rule == "Cubic":
        return w * (du * du * du)
    if rule == "ASymProsp":
        return np.where(du < 0.0, w * du, np.where(du > 0.0, (2.0 * w * du) / 3.0, 0.0))
    raise ValueError(f"unknown voting rule {rule!r}")


def coalitions(u: np.ndarray, w: np.ndarray, rule: str) -> np.ndarray:
    """Coalition strengths ``c[..., a, b] = 1e-8 + Σ_k max(0, v_k(a:b))`` (``Model::coalitions``).

    ``u`` is ``(..., K, O)``, ``w`` is ``(..., K)``; returns ``(..., O, O)`` with ``1e-8`` on the
    diagonal. Every ordered pair is voted on directly. (KTAB evaluates each vote once, for ``a``
    below ``b`` in option order, and takes the other direction from its negative part; for every
    rule but ASymProsp the vote is antisymmetric so that is the same thing, but under ASymProsp
    it makes the result depend on the order the actors are listed in — accord's departure,
    documented in docs/models/smp.md.)

    Voters are summed in order from the floor, as KTAB does (axis -3 is not the innermost axis, so
    numpy adds the voters' slices one after another). Past :data:`BLOCK` numbers the voters are
    taken a block at a time, each block's first vote added to the sum so far, so memory stays
    bounded and the additions keep their order.
    """
    n_k, n_opt = u.shape[-2:]
    work = u.size * n_opt  # numbers in the votes: problems × K × O²
    if work <= BLOCK and work < kernels.MIN_WORK:  # small: numpy in one go (the common case)
        return _coalitions_at_once(u, w, rule)
    lead = np.broadcast_shapes(u.shape[:-2], w.shape[:-1])
    n_p = int(np.prod(lead, dtype=np.int64))
    draws = u.shape[0] if u.ndim > 2 else 1  # a leading axis of draws
    if kernels.wanted(n_p * n_k * n_opt * n_opt, draws):  # compiled, the same additions in order
        ub = np.ascontiguousarray(np.broadcast_to(u, lead + (n_k, n_opt))).reshape(n_p, n_k, n_opt)
        wb = np.ascontiguousarray(np.broadcast_to(w, lead + (n_k,)), dtype=float).reshape(n_p, n_k)
        out = kernels.compiled().coalitions(kernels.rule_code(rule), ub, wb, MIN_COALITION)
        return out.reshape(lead + (n_opt, n_opt))
    per_voter = max(1, int(np.prod(lead, dtype=np.int64)) * n_opt * n_opt)
    step = max(1, min(n_k, BLOCK // per_voter))
    pos: np.ndarray | float = MIN_COALITION
    for start in range(0, n_k, step):
        ks = slice(start, min(n_k, start + step))
        ub = u[..., ks, :]
        du = ub[..., :, :, None] - ub[..., :, None, :]  # (..., k, O, O)
        wb = w[..., ks, None, None]
        v = np.multiply(du, wb, out=du) if rule == "Prop" else vote(rule, wb, du)
        v = np.maximum(v, 0.0, out=v)
        v[..., 0, :, :] += pos  # (sum so far + first vote) + second vote + ...
        pos = np.add.reduce(v, axis=-3)
    assert isinstance(pos, np.ndarray)
    idx = np.arange(n_opt)
    pos[..., idx, idx] = MIN_COALITION
    return pos


def _coalitions_at_once(u: np.ndarray, w: np.ndarray, rule: str) -> np.ndarray:
    """:func:`coalitions` with every voter's votes in one array (the same sums, in the same
    order: numpy adds the slices of axis -3 one after another)."""
    du = u[..., :, :, None] - u[..., :, None, :]  # (..., K, O, O)
    if rule == "Prop":
        v = np.multiply(du, w[..., :, None, None], out=du)
    else:
        v = vote(rule, w[..., :, None, None], du)
    # voters are summed in order, starting from the floor, as KTAB does (axis -3 is not the
    # innermost axis, so numpy adds the voters' slices one after another)
    pos = np.add.reduce(np.maximum(v, 0.0, out=v), axis=-3, initial=MIN_COALITION)
    idx = np.arange(u.shape[-1])
    pos[..., idx, idx] = MIN_COALITION
    return pos


def victory_probabilities(c: np.ndarray, vpm: str) -> np.ndarray:
    """``pv[..., a, b]`` = P[a beats b] from coalitions (``Model::vProb``); diagonal ½.

    Linear/Square/Quartic/Octic: ``c_ab^ν / (c_ab^ν + c_ba^ν)`` with ν = 1, 2, 4, 8. Binary: a
    strength ratio of 1.1 or more wins for sure (``1`` against ``1e-6``), with linear
    interpolation inside the ±10 % band. Like KTAB, each pair is evaluated once (a below b) and the
    reverse probability is its complement computed from the same two numbers.
    """
    s1 = c
    s2 = np.swapaxes(c, -1, -2)
    if vpm == "Linear":
        x1, x2 = s1, s2
    elif vpm == "Square":
        x1, x2 = s1 * s1, s2 * s2
    elif vpm == "Quartic":
        x1, x2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
    elif vpm == "Octic":
        q1, q2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
        x1, x2 = q1 * q1, q2 * q2
    elif vpm == "Binary":
        thresh, min_x = 1.10, 1e-6
        with np.errstate(invalid="ignore", divide="ignore"):
            r12 = s1 / (s1 + s2)
            p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
        x1 = np.where(s1 >= thresh * s2, 1.0, np.where(s2 >= thresh * s1, min_x, p12))
        x2 = np.where(s1 >= thresh * s2, min_x, np.where(s2 >= thresh * s1, 1.0, 1 - p12))
    else:
        raise ValueError(f"unknown victory-probability model {vpm!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        p1 = x1 / (x1 + x2)
        p2 = x2 / (x1 + x2)
    n_opt = c.shape[-1]
    lower = np.tri(n_opt, n_opt, -1, dtype=bool)
    pv = np.where(lower, p1, np.swapaxes(p2, -1, -2))
    idx = np.arange(n_opt)
    pv[..., idx, idx] = 0.5
    return pv


def conditional_pce(pv: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """P(a) ∝ Π_b P[a beats b] over the existing options (``Model::condPCE``)."""
    if mask is not None:
        pv = np.where(mask[..., None, :], pv, 1.0)
    # KTAB multiplies in order; numpy's multiply.reduce does the same (no pairwise scheme)
    p = np.multiply.reduce(pv, axis=-1)
    if mask is not None:
        p = np.where(mask, p, 0.0)
    total = p.sum(axis=-1, keepdims=True)
    bad = ~(total > 1e-280)
    if np.any(bad):
        # products that underflow (many options, lopsided contests): same result in log space
        with np.errstate(divide="ignore"):
            lg = np.log(pv).sum(axis=-1)
        if mask is not None:
            lg = np.where(mask, lg, -np.inf)
        lg = lg - lg.max(axis=-1, keepdims=True)
        alt = np.exp(lg)
        p = np.where(bad, alt, p)
        total = p.sum(axis=-1, keepdims=True)
    return p / total


def _n_options(shape: tuple[int, ...], mask: np.ndarray | None) -> np.ndarray:
    if mask is None:
        return np.full(shape[:-1] + (1,), float(shape[-1]))
    return mask.sum(axis=-1, keepdims=True).astype(float)


def markov_uniform_pce(pv: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Markov chain with uniform challenges (``Model::markovUniformPCE``).

    ``q_a = (1/M) Σ_b P[a beats b] (p_a + p_b)``, ``p ← (p + q)/2`` from uniform ``p`` until the
    largest change is below 1e-6; each problem stops on its own, as a separate KTAB call would.
    """
    m = _n_options(pv.shape[:-1], mask)
    if mask is not None:
        pv = np.where(mask[..., :, None] & mask[..., None, :], pv, 0.0)
        p = np.where(mask, 1.0 / m, 0.0)
    else:
        p = np.broadcast_to(1.0 / m, pv.shape[:-1]).copy()
    active = np.ones(pv.shape[:-2] + (1,), dtype=bool)
    for _ in range(MARKOV_MAX_ITER):
        q = (pv * (p[..., :, None] + p[..., None, :])).sum(axis=-1) / m
        change = np.abs(q - p).max(axis=-1, keepdims=True)
        p = np.where(active, (p + q) / 2.0, p)
        active = active & (change > MARKOV_UNIFORM_TOL)
        if not active.any():
            break
    return p


def markov_incentive_pce(
    c: np.ndarray, pv: np.ndarray, mask: np.ndarray | None = None
) -> np.ndarray:
    """Markov chain where challenges follow incentives (``Model::markovIncentivePCE``; Wise).

    Incentive of ``a`` to challenge ``b``: ``n[a→b] = c_ab P[a beats b]`` (+1e-10 on the
    diagonal); challenge probability ``P[a→b] = n[a→b] / Σ_α n[α→b]``; iterate
    ``q_a = Σ_b P[a beats b] (p_a P[b→a] + p_b P[a→b])``, ``p ← (p + q)/2`` until the largest
    change is below 1e-8.
    """
    n_opt = c.shape[-1]
    if mask is not None:
        both = mask[..., :, None] & mask[..., None, :]
        c = np.where(both, c, 0.0)
        pv = np.where(both, pv, 0.0)
    inc = c * pv
    idx = np.arange(n_opt)
    inc[..., idx, idx] += 1e-10
    chlg = inc / inc.sum(axis=-2, keepdims=True)  # chlg[a, b] = P[a challenges b]
    m = _n_options(c.shape[:-1], mask)
    if mask is not None:
        p = np.where(mask, 1.0 / m, 0.0)
    else:
        p = np.broadcast_to(1.0 / m, c.shape[:-1]).copy()
    chlg_t = np.swapaxes(chlg, -1, -2)
    active = np.ones(c.shape[:-2] + (1,), dtype=bool)
    for _ in range(MARKOV_MAX_ITER):
        ct = p[..., :, None] * chlg_t  # ct[a, b] = p_a P[b challenges a]
        q = (pv * (ct + np.swapaxes(ct, -1, -2))).sum(axis=-1)
        change = np.abs(q - p).max(axis=-1, keepdims=True)
        p = np.where(active, (p + q) / 2.0, p)
        active = active & (change > MARKOV_INCENTIVE_TOL)
        if not active.any():
            break
    return p


def pce(c: np.ndarray, vpm: str, pcem: str, mask: np.ndarray | None = None) -> np.ndarray:
    """Probability that each option wins the PCE, from coalitions ``c`` (``Model::probCE2``).

    The conditional PCE of a big batch runs as one compiled loop with the same arithmetic
    (:mod:`accord.models.kernels`); where its products underflow, numpy's log-space path runs."""
    n_opt = c.shape[-1]
    draws = c.shape[0] if c.ndim > 2 else 1
    if pcem == "Conditional" and kernels.wanted(c.size, draws):
        lead = c.shape[:-2]
        n_p = int(np.prod(lead, dtype=np.int64))
        cc = np.ascontiguousarray(c).reshape(n_p, n_opt, n_opt)
        mm = (
            np.ascontiguousarray(np.broadcast_to(mask, lead + (n_opt,))).reshape(n_p, n_opt)
            if mask is not None
            else np.ones((1, 1), dtype=bool)
        )
        out, bad = kernels.compiled().conditional_pce(cc, mm, mask is not None, VP_MODELS_CODE[vpm])
        if not bad:
            return out.reshape(lead + (n_opt,))
    pv = victory_probabilities(c, vpm)
    if pcem == "Conditional":
        return conditional_pce(pv, mask)
    if pcem == "MarkovUniform":
        return markov_uniform_pce(pv, mask)
    if pcem == "MarkovIncentive":
        return markov_incentive_pce(c, pv, mask)
    raise ValueError(f"unknown PCE model {pcem!r}")


def scalar_pce(
    u: np.ndarray, w: np.ndarray, rule: str, vpm: str, pcem: str, mask: np.ndarray | None = None
) -> np.ndarray:
    """Voters with utilities ``u[..., k, a]`` and weights ``w[..., k]`` elect among the options
    (``Model::scalarPCE``)."""
    return pce(coalitions(u, w, rule), vpm, pcem, mask)


def big_r_from_prob(p: np.ndarray, rr: str) -> np.ndarray:
    """Risk attitudes from win probabilities (``Model::bigRfromProb``), over the last axis.

    Min: ``(p − p_min)/(p_max − p_min)`` ∈ [0, 1]; Mid: ``(3p − (p_max + 2 p_min)) /
    (2 (p_max − p_min))`` ∈ [−½, 1]; Max: ``(2p − p_max − p_min)/(p_max − p_min)`` ∈ [−1, 1].
    Where every option is equally likely (e.g. all actors agree) KTAB divides by zero; here the
    attitudes are then 0 (risk neutral). Results are clipped to the range (only rounding noise,
    with a tiny spread, could leave it).
    """
    p_min = p.min(axis=-1, keepdims=True)
    p_max = p.max(axis=-1, keepdims=True)
    spread = p_max - p_min
    ok = spread > 1e-12
    den = np.where(ok, spread, 1.0)
    if rr == "Min":
        r, lowest = (p - p_min) / den, 0.0
    elif rr == "Mid":
        r, lowest = (3 * p - (p_max + 2 * p_min)) / (2 * den), -0.5
    elif rr == "Max":
        r, lowest = (2 * p - (p_max + p_min)) / den, -1.0
    else:
        raise ValueError(f"unknown BigRRange {rr!r}")
    # with a tiny spread, rounding can carry r a hair past its range; keep it inside
    return np.where(ok, np.clip(r, lowest, 1.0), 0.0)


def est_risk(rh: np.ndarray, ri: np.ndarray, ra: str) -> np.ndarray:
    """h's estimate of i's risk attitude (``Model::estNRA``): None r_h, OneThird (2r_h + r_i)/3,
    Half (r_h + r_i)/2, TwoThirds (r_h + 2r_i)/3, Full r_i."""
    if ra == "OneThird":
        return ((2.0 * rh) + ri) / 3.0
    if ra == "None":
        return rh + 0.0 * ri
    if ra == "Half":
        return (rh + ri) / 2
    if ra == "TwoThirds":
        return (rh + (2.0 * ri)) / 3.0
    if ra == "Full":
        return ri + 0.0 * rh
    raise ValueError(f"unknown BigRAdjust {ra!r}")
