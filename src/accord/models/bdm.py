"""Bueno de Mesquita's expected-utility ("challenge") model, as replicated by Scholz et al.

Sources: Bueno de Mesquita (1985) APSR 79(1):156–177; Bueno de Mesquita (1994) "Political
Forecasting: An Expected Utility Method", in Bueno de Mesquita & Stokman (eds.), *European
Community Decision Making*, Yale UP; Scholz, Calbert & Smith (2011) "Unravelling Bueno De
Mesquita's Group Decision Model", J. Theoretical Politics 23(4):510ff. Where the paper and Scholz's
code disagree the defaults follow the code, as documented by jmckib's replication
(github.com/jmckib/bdm-scholz-expected-utility-model @55f63e9, which reproduces the published
EC car-emissions run); each disagreement is a named option (project notes: MODELS.md §2a).

The model runs **issue by issue**: every issue of a scenario is an independent one-dimensional
game. Issues and draws are both batch axes, so one call handles every draw and every issue at
once; the only Python loop is over rounds.

One round, for every (draw, issue):

1. Risk. With every exponent r = 1, compute each actor's "danger" Σ_{j≠i} E(U_ji) (what the others
   expect to gain by challenging it), R_i = (2 danger_i − max − min) / (max − min) over the actors,
   and r_i = (1 − R_i/3) / (1 + R_i/3) ∈ [0.5, 2] (Scholz's cross-actor version; R_i = 0 when all
   dangers are equal).
2. Votes and P(success). Voter k casts w_k [(|x_k − x_j|/R)^{r_k} − (|x_k − x_i|/R)^{r_k}] for i
   over j (w = capability × salience, R = range of the initial positions). P_ij is the sum of the
   votes for i over j (negative votes dropped), divided by
   ``probability="scholz_code"`` (default): the sum of |votes| over every voter and every ordered
   pair of actors — a global normaliser, so P_ij + P_ji ≠ 1 (Scholz's code per jmckib);
   ``probability="paper"``: the pairwise sum |votes for i over j|, so P_ij + P_ji = 1 (Scholz et
   al.'s printed equation, BDM 1994). P = 0 when x_i = x_j.
3. Expected utilities, from each receiver i's point of view (i's exponent r_i for both sides):
   E(U_ab) = s_b [P_ab U_s + (1 − P_ab) U_f] + (1 − s_b) U_s − Q U_sq − (1 − Q)[T U_b + (1 − T) U_w]
   with U_s = 2 − 4(½ − ½δ)^r, U_f = 2 − 4(½ + ½δ)^r, U_sq = 2 − 4(½)^r,
   U_b = 2 − 4(½ − ¼(|x_a − μ| + |x_a − x_b|)/R)^r, U_w = 2 − 4(½ + ¼(…)/R)^r, δ = |x_a − x_b|/R,
   μ = the median voter. Q = ``q``, T = ``t``; with the default Q = 1 the U_b/U_w term drops out
   (jmckib implements Q only; the sign of the (1 − Q) term is the paper's, dmasad's code has it
   flipped).
4. Offers. With x = E^i(U_ij) and y = E^i(U_ji): y > x > 0 is a conflict i loses (i moves to x_j);
   x < 0 < y with y > |x| a compromise (i moves to x_i + (x_j − x_i)|x/y|); x < 0 < y with y < |x|
   a capitulation (i moves to x_j) — only with ``capitulation="paper"``: in Scholz's code the
   branch is unreachable (jmckib L200 keeps that typo), so the default has no capitulations.
5. Choice among offers. ``offer_selection="scholz_code"`` (default): any conflict first, the
   nearest; else the compromise with the smallest |EU|-weighted position
   (|x| x_i + |y| x_j)/(|x| + |y|); else the nearest capitulation (jmckib ``best_offer``).
   ``"smallest_move"``: the offer needing the smallest move (BDM 1994; Scholz et al.'s text).
   Exact ties go to the lower new position, then to the kind in that order (conflict first),
   then to the lower actor index, so relabelling actors cannot change a move. All moves are applied at once at the end of the round.

The forecast is the median voter of the positions (BDM 1994; :func:`accord.models.median.median_voter`,
ties to the lower position): the candidate position with the smallest Σ_k w_k |x_k − a|. jmckib's
``median_position`` walks the set of distinct positions in Python 2 hash order and switches when
the risk-neutral vote margin, (D(old) − D(new))/R, is positive, so it returns the same argmin
whenever it is unique; only exact ties depend on hash order, which has no meaning, hence the
lower-position rule. In the EC run the argmin is unique in every round (the closest runner-up is
1.9e-4 behind, rounds 3–5), so all eleven published medians are reproduced. Stopping: a fixed
number of ``rounds`` (Scholz et al.), or, with ``tolerance`` set, a (draw, issue) stops as soon as
its median voter moves by at most ``tolerance`` in a round (BDM, *Predicting Politics* 2002); the
loop ends when every one has stopped or ``rounds`` is reached, stopped ones keep their positions.

Actors without a stance on an issue (``arrays.has_stance`` False) are left out of that issue's
game: they neither vote, send nor receive offers, and do not move.

``Result.details`` (shapes with D draws, n rounds, A actors, I issues; round k of the model is
index k − 1; entries for rounds a stopped (draw, issue) did not run are NaN / kind 0):

- ``risk`` (D, n, A, I): the exponents r_i used in each round.
- ``eu_ij``, ``eu_ji`` (D, n, A, A, I), only with ``record_dyads=True``: E^i(U_ij) and E^i(U_ji),
  row i = the receiver whose perspective is taken (the quadrant-chart coordinates); ``prob``
  (D, n, A, A, I): P_ij. NaN on the diagonal. Memory: 3 × 8·D·n·A²·I bytes, so pass
  ``record_dyads=False`` for large Monte Carlo runs (the per-move values below are always kept).
- ``move_kind`` (D, n, A, I) int8: 0 none, 1 conflict lost, 2 compromise, 3 capitulation
  (names in ``kind_names``); ``move_counterpart`` (D, n, A, I) int16, −1 for none;
  ``move_position`` (D, n, A, I): the position after the round; ``move_eu_own`` and
  ``move_eu_other`` (D, n, A, I): x and y of the chosen offer (NaN for none).
- ``rounds_run`` (D, I): rounds each (draw, issue) ran; ``position_range`` (D, I): R.

>>> from accord.arrays import from_table
>>> a = from_table(["a", "b", "c"], [1, 1, 1], [10, 40, 90], [0.5, 0.5, 0.5])
>>> res = BDM(rounds=3).run(a)
>>> res.history.shape, res.outcome.shape
((1, 4, 3, 1), (1, 1))
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field

from accord.arrays import ScenarioArrays
from accord.models import kernels
from accord.models.base import BargainingModel, Result, Settings
from accord.models.compromise import weighted_mean
from accord.models.median import median_voter

NONE, CONFLICT, COMPROMISE, CAPITULATION = 0, 1, 2, 3
KIND_NAMES: tuple[str, ...] = ("none", "conflict", "compromise", "capitulation")

# Relative size below which two offer keys count as a tie (they differ by rounding only).
_TIE = 1e-12
# Up to this many actors, reductions over an actor axis run as a loop over its entries: numpy
# reduces a short innermost axis slowly, one tiny row at a time.
_FEW = 16


def _min_last(a: np.ndarray) -> np.ndarray:
    """``a.min(axis=-1, keepdims=True)`` (the minimum is exact in any order)."""
    if a.shape[-1] > _FEW:
        return a.min(axis=-1, keepdims=True)
    out = a[..., 0].copy()
    for j in range(1, a.shape[-1]):
        np.minimum(out, a[..., j], out=out)
    return out[..., None]


def _argmin_last(a: np.ndarray) -> np.ndarray:
    """``np.argmin(a, axis=-1)``: the first position of the minimum."""
    if a.shape[-1] > _FEW:
        return np.argmin(a, axis=-1)
    best = a[..., 0].copy()
    pick = np.zeros(best.shape, dtype=np.intp)
    for j in range(1, a.shape[-1]):
        lower = a[..., j] < best
        pick[lower] = j
        np.minimum(best, a[..., j], out=best)
    return pick


# --------------------------------------------------------------------------------------------
# Building blocks. Every array has a flat batch axis first (draw × issue) and actors last.
# --------------------------------------------------------------------------------------------


def _count_left(xs: np.ndarray, mid: np.ndarray) -> np.ndarray:
    """For each ``mid[b, p]``, how many of the sorted ``xs[b, :]`` lie strictly below it.

    A batched searchsorted: merge both lists with one stable argsort (the midpoints first, so a
    voter exactly at a midpoint counts as not below) — O(n² log n) per batch row; with few voters
    a direct count is quicker.
    """
    n_mid = mid.shape[-1]
    if xs.shape[-1] <= _FEW:  # few voters: compare each with every midpoint (exact counts too)
        counts = np.zeros(mid.shape, dtype=np.int32)
        for k in range(xs.shape[-1]):
            counts += xs[..., k : k + 1] < mid
        return counts
    merged = np.concatenate([mid, xs], axis=-1)
    order = np.argsort(merged, axis=-1, kind="stable")
    n_x_so_far = np.cumsum(order >= n_mid, axis=-1, dtype=np.int32)
    counts = np.empty_like(n_x_so_far)
    np.put_along_axis(counts, order, n_x_so_far, axis=-1)
    return counts[..., :n_mid]


class _Pairs:
    """Per-round geometry shared by both vote passes: distances, voter order, midpoint counts.

    A voter prefers i over j exactly when it lies on i's side of the midpoint of x_i and x_j, so
    with the voters sorted by position every vote total is a difference of two prefix sums. That
    turns the naive O(n³) triple sum into O(n² log n) time and O(n²) memory per batch row.
    """

    def __init__(self, x: np.ndarray, width: np.ndarray, compiled: bool = False):
        n_b, n_a = x.shape
        self.shape = (n_b, n_a)
        self.compiled = compiled
        if compiled:  # the same geometry in one compiled loop; its votes walk the voters in order
            geometry = kernels.compiled().bdm_pairs(x, width)
            self.dist, self.order, self.left, self.below, self.same = geometry
            return
        self.dist = np.abs(x[:, :, None] - x[:, None, :]) / width[:, None, None]  # [b, k, a]
        order = np.argsort(x, axis=-1, kind="stable")
        xs = np.take_along_axis(x, order, axis=-1)
        mid = 0.5 * (x[:, :, None] + x[:, None, :])
        left = _count_left(xs, mid.reshape(n_b, n_a * n_a)).reshape(n_b, n_a, n_a)
        self.below = x[:, :, None] < x[:, None, :]
        self.same = x[:, :, None] == x[:, None, :]
        rows = np.arange(n_b)[:, None, None] * ((n_a + 1) * n_a)
        col = np.arange(n_a)
        # flat indices into the (B, A+1, A) prefix sums: cum[b, left[i, j], j] and cum[b, left, i]
        self.take_j = (rows + left * n_a + col[None, None, :]).ravel()
        self.take_i = (rows + left * n_a + col[None, :, None]).ravel()
        # voters in position order, as flat indices into a (B, K, A) array
        self.sort_k = (
            np.arange(n_b)[:, None, None] * (n_a * n_a) + order[:, :, None] * n_a + col
        ).ravel()

    def votes(self, w: np.ndarray, r: np.ndarray | None) -> np.ndarray:
        """N[b, i, j] = Σ_k max(0, w_k [(|x_k − x_j|/R)^{r_k} − (|x_k − x_i|/R)^{r_k}])."""
        n_b, n_a = self.shape
        d = self.dist if r is None else self.dist ** r[:, :, None]
        if self.compiled:
            return kernels.compiled().bdm_votes(w, d, self.order, self.left, self.below, self.same)
        m = w[:, :, None] * d  # m[b, k, a]: voter k's weighted distance from a
        cum = np.zeros((n_b, n_a + 1, n_a))
        sorted_m = m.ravel().take(self.sort_k).reshape(n_b, n_a, n_a)
        np.cumsum(sorted_m, axis=1, out=cum[:, 1:])
        total = cum[:, -1]  # total[b, a] = Σ_k m[b, k, a]
        flat = cum.ravel()
        # v[i, j] = Σ_{voters left of the midpoint} (m[k, j] − m[k, i])
        v = (flat.take(self.take_j) - flat.take(self.take_i)).reshape(n_b, n_a, n_a)
        # i below j: its supporters are the voters left of the midpoint; i above j: those right
        n = np.where(self.below, v, total[:, None, :] - total[:, :, None] - v)
        n = np.maximum(n, 0.0)
        n[self.same] = 0.0
        return n


def _probability(
    votes: np.ndarray,
    same: np.ndarray,
    pair: np.ndarray | None,
    method: str,
    compiled: bool = False,
) -> np.ndarray:
    """P[b, i, j]: the probability that i's position beats j's (MODELS.md §2a item 1).

    ``votes`` from :meth:`_Pairs.votes` (already 0 where x_i = x_j); ``pair`` masks the pairs of
    participants (None when everyone takes part). ``compiled``: the same arithmetic (and the
    same order of the sum) in a compiled loop.
    """
    if compiled:
        masked = pair is not None
        return kernels.compiled().bdm_probability(
            votes, same, pair if masked else same, masked, method == "paper"
        )
    if pair is not None:
        votes = np.where(pair, votes, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "paper":
            both = votes + np.swapaxes(votes, 1, 2)
            p = np.where(both > 0, votes / both, 0.5)
            p[same] = 0.0
        else:
            # Σ_k Σ_{a,b} |vote_k(a, b)| = Σ_{a,b} (N_ab + N_ba) = 2 Σ_{a,b} N_ab
            denom = 2.0 * votes.sum(axis=(1, 2))[:, None, None]
            p = np.where(denom > 0, votes / denom, 0.0)
    if pair is not None:
        p = np.where(pair, p, 0.0)
    return p


def _utility(base: np.ndarray, r: np.ndarray | None) -> np.ndarray:
    """2 − 4·base^r, base clipped at 0 against rounding just outside the initial range."""
    base = np.maximum(base, 0.0)
    return 2.0 - 4.0 * (base if r is None else base**r)


def _expected_utilities(
    x: np.ndarray,
    s: np.ndarray,
    p: np.ndarray,
    r: np.ndarray | None,
    width: np.ndarray,
    delta: np.ndarray,
    mu: np.ndarray,
    q: float,
    t: float,
    want_x: bool = True,
    compiled: bool = False,
) -> tuple[np.ndarray | None, np.ndarray]:
    """X[b, i, j] = E^i(U_ij) and Y[b, i, j] = E^i(U_ji), both with the viewer i's exponent r_i.

    ``delta`` = |x_i − x_j| / R. s_b[P U_s + (1 − P) U_f] + (1 − s_b) U_s is computed as
    U_s − s_b (1 − P)(U_s − U_f). X is skipped (None) when ``want_x`` is False. ``compiled``:
    the same arithmetic in a compiled loop (:mod:`accord.models.kernels`), after numpy's powers.
    """
    rr = None if r is None else r[:, :, None]
    if compiled and q >= 1.0:  # no U_b/U_w term: the arithmetic after the powers, compiled
        pw_s = np.maximum(0.5 - 0.5 * delta, 0.0)
        pw_f = np.maximum(0.5 + 0.5 * delta, 0.0)
        if rr is not None:
            pw_s, pw_f = pw_s**rr, pw_f**rr
        u_sq_ = np.broadcast_to(2.0 - 4.0 * (0.5 if r is None else 0.5**r), s.shape)
        ex, ey = kernels.compiled().bdm_expected(
            pw_s, pw_f, np.ascontiguousarray(u_sq_), p, s, q, want_x
        )
        return (ex if want_x else None), ey
    u_s = _utility(0.5 - 0.5 * delta, rr)
    gap = u_s - _utility(0.5 + 0.5 * delta, rr)  # U_s − U_f
    u_sq = 2.0 - 4.0 * (0.5 if r is None else 0.5**rr)
    base = u_s - q * u_sq
    eu_y = base - s[:, :, None] * (1.0 - np.swapaxes(p, 1, 2)) * gap
    eu_x = base - s[:, None, :] * (1.0 - p) * gap if want_x else None
    if q < 1.0:
        # the challenger's distance to the median voter μ enters U_b / U_w
        to_mu = np.abs(x - mu[:, None]) / width[:, None]
        for eu, far in ((eu_x, to_mu[:, :, None]), (eu_y, to_mu[:, None, :])):
            if eu is None:
                continue
            spread = 0.25 * (far + delta)
            u_b = _utility(0.5 - spread, rr)
            u_w = _utility(0.5 + spread, rr)
            eu -= (1.0 - q) * (t * u_b + (1.0 - t) * u_w)
    return eu_x, eu_y


def _risk_exponents(danger: np.ndarray, part: np.ndarray) -> np.ndarray:
    """r_i from each actor's danger Σ_{j≠i} E(U_ji) (Scholz; MODELS.md §2a item 4)."""
    hi = np.where(part, danger, -np.inf).max(axis=1, keepdims=True)
    lo = np.where(part, danger, np.inf).min(axis=1, keepdims=True)
    spread = hi - lo
    # equal dangers (e.g. two mirror-image actors) leave everyone risk-neutral instead of
    # amplifying rounding noise into r = 0.5 or 2
    flat = ~(spread > _TIE * np.maximum(np.abs(hi), np.abs(lo)))
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(flat, 0.0, (2.0 * danger - hi - lo) / np.where(flat, 1.0, spread))
    big_r = np.where(part, big_r, 0.0)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def classify(eu_x: np.ndarray, eu_y: np.ndarray, capitulation: str = "scholz_code") -> np.ndarray:
    """The receiver's reading of each offer from x = E^i(U_ij), y = E^i(U_ji) (MODELS.md §2a.5):
    conflict it loses (y > x > 0), compromise (x < 0 < y, y > |x|), capitulation (x < 0 < y,
    y < |x|; only with ``capitulation="paper"``), else none. Returns the kind codes (int8)."""
    conflict = (eu_y > eu_x) & (eu_x > 0)
    gives = (eu_y > 0) & (eu_x < 0)
    ax = np.abs(eu_x)
    compromise = gives & (eu_y > ax)
    kinds = np.zeros(np.shape(conflict), dtype=np.int8)
    if capitulation == "paper":  # Scholz's code tests y < |y|: never true
        kinds[gives & (eu_y < ax)] = CAPITULATION
    kinds[compromise] = COMPROMISE
    kinds[conflict] = CONFLICT  # the first that applies wins
    return kinds


def _choose(
    x: np.ndarray,
    eu_x: np.ndarray,
    eu_y: np.ndarray,
    part: np.ndarray,
    width: np.ndarray,
    selection: str,
    capitulation: str,
    compiled: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each receiver's response: (kind, counterpart, new position), each (B, A)."""
    if compiled:
        return kernels.compiled().bdm_choose(
            x, eu_x, eu_y, part, width, selection == "smallest_move", capitulation == "paper"
        )
    xi, xj = x[:, :, None], x[:, None, :]
    ok = part[:, :, None] & part[:, None, :] & (xi != xj)
    kind = classify(eu_x, eu_y, capitulation) * ok
    with np.errstate(invalid="ignore", divide="ignore"):
        new = np.where(kind == COMPROMISE, xi + (xj - xi) * np.abs(eu_x / eu_y), xj)
    move = np.abs(new - xi)
    if selection == "smallest_move":
        rank = np.where(kind > 0, 0, 1)
        key = move
    else:
        rank = np.where(kind > NONE, kind - CONFLICT, 3)  # conflict 0, compromise 1, capitulation 2
        ax, ay = np.abs(eu_x), np.abs(eu_y)
        with np.errstate(invalid="ignore", divide="ignore"):
            weighted = (ax * xi + ay * xj) / (ax + ay)
        key = np.where(kind == COMPROMISE, weighted, np.abs(xj - xi))
    # lexicographic choice: best rank, then smallest key (ties within rounding), then lower
    # new position, then kind (conflict < compromise < capitulation), then lower index
    cand = rank == _min_last(rank)
    key = np.where(cand, key, np.inf)
    best = _min_last(key)
    cand &= key <= best + _TIE * (np.abs(best) + width[:, None, None])
    pos_key = np.where(cand, new, np.inf)
    cand &= pos_key == _min_last(pos_key)
    pick = _argmin_last(np.where(cand, kind, CAPITULATION + 1))  # the first one
    chosen_kind = np.take_along_axis(kind, pick[:, :, None], axis=2)[:, :, 0]
    chosen_new = np.take_along_axis(new, pick[:, :, None], axis=2)[:, :, 0]
    moved = chosen_kind > 0
    return (
        chosen_kind.astype(np.int8),
        np.where(moved, pick, -1).astype(np.int16),
        np.where(moved, chosen_new, x),
    )


def _median(x: np.ndarray, w: np.ndarray, part: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """The median voter over the participants of each batch row (B,)."""
    # non-participants must not be candidates: give them the position of a participant
    first = np.argmax(part, axis=1)
    filler = np.take_along_axis(x, first[:, None], axis=1)
    xc = np.where(part, x, filler)
    return median_voter(xc[:, :, None], w[:, :, None], fallback[:, None])[:, 0]


def _mean(x: np.ndarray, w: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    return weighted_mean(x[:, :, None], w[:, :, None], fallback[:, None])[:, 0]


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


_SCHOLZ = "Scholz, Calbert & Smith 2011; Scholz's code as replicated by jmckib @55f63e9"


class BDMSettings(Settings):
    rounds: int = Field(
        10,
        ge=0,
        le=10_000,
        description="rounds of challenges (the most, with a tolerance)",
        json_schema_extra={"source": "Scholz et al. 2011 run 10 rounds"},
    )
    tolerance: float | None = Field(
        None,
        ge=0,
        description="stop an issue once its median voter moves by at most this in a round "
        "(None: a fixed number of rounds)",
        json_schema_extra={"source": "Bueno de Mesquita, Predicting Politics (2002)"},
    )
    probability: Literal["scholz_code", "paper"] = Field(
        "scholz_code",
        description="P(success) normaliser: global over all pairs (code) or pairwise (paper)",
        json_schema_extra={"source": _SCHOLZ + "; MODELS.md §2a.1"},
    )
    offer_selection: Literal["scholz_code", "smallest_move"] = Field(
        "scholz_code",
        description="which offer an actor takes: conflicts first (code) or the smallest move",
        json_schema_extra={"source": _SCHOLZ + "; Bueno de Mesquita 1994"},
    )
    capitulation: Literal["scholz_code", "paper"] = Field(
        "scholz_code",
        description="capitulations: unreachable in Scholz's code, or as the paper states",
        json_schema_extra={"source": _SCHOLZ + " (L200)"},
    )
    q: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Q: probability the target keeps its position absent a challenge",
        json_schema_extra={"source": "Scholz et al. 2011 (Q = 1 in the EC run)"},
    )
    t: float = Field(
        1.0,
        ge=0,
        le=1,
        description="T: probability such a change is toward the challenger",
        json_schema_extra={"source": "Scholz et al. 2011 (T = 1 in the EC run)"},
    )
    record_dyads: bool = Field(
        True,
        description="keep every round's dyadic table (output only; memory 3·8·D·n·A²·I bytes)",
        json_schema_extra={"source": "accord"},
    )


class BDM(BargainingModel):
    """Bueno de Mesquita's expected-utility model (Scholz et al. 2011 replication), issue by issue.

    Parameters: ``rounds`` (10), ``tolerance`` (None = fixed rounds), ``probability``
    ("scholz_code" | "paper"), ``offer_selection`` ("scholz_code" | "smallest_move"),
    ``capitulation`` ("scholz_code" | "paper"), ``q`` (1.0), ``t`` (1.0), ``record_dyads`` (True).
    See the module docstring for the equations, sources and ``details``.
    """

    name = "bdm"
    label = "Bueno de Mesquita expected utility (Scholz et al. replication)"
    reference = (
        "Bueno de Mesquita 1985, APSR 79(1); 1994, European Community Decision Making (Yale UP); "
        "Scholz, Calbert & Smith 2011, J. Theoretical Politics 23(4)"
    )
    Settings = BDMSettings
    dynamic = True

    def describe(self, result: Result, arrays: ScenarioArrays, draw: int = 0) -> dict:
        """Per issue: how many rounds ran, every move, and every round's dyadic table (the
        record's ``account``; :mod:`accord.present.narration` tells it) unless it has more than
        :data:`ACCOUNT_DYADS` rows, when ``dyads_left_out`` counts them instead."""
        out = {}
        for k, issue in enumerate(arrays.issue_ids):
            ran = int(result.details["rounds_run"][draw, k])
            part = int(arrays.has_stance[:, k].sum())
            entry: dict[str, Any] = {"rounds_run": ran, "moves": moves(result, arrays, draw, k)}
            if ran * part * (part - 1) <= ACCOUNT_DYADS:
                entry["dyads"] = dyads(result, arrays, draw, k)
            else:
                entry["dyads"] = []
                entry["dyads_left_out"] = ran * part * (part - 1)
            out[issue] = entry
        return {"issues": out}

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:
        p = self.params
        n_rounds = int(p["rounds"])
        tol = p["tolerance"]
        q, t = float(p["q"]), float(p["t"])
        record = bool(p["record_dyads"])
        n_d, n_a, n_i = arrays.position.shape
        n_b = n_d * n_i

        # flat batch b = draw * I + issue, actors last
        def flat(a: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(np.moveaxis(a, 2, 1)).reshape(n_b, n_a)

        x = flat(arrays.position.astype(float))
        s = flat(arrays.salience.astype(float))
        cap = np.repeat(arrays.capability.astype(float), n_i, axis=0)
        stance = arrays.has_stance
        part = np.broadcast_to(stance.T[None], (n_d, n_i, n_a)).reshape(n_b, n_a)
        w = np.where(part, cap * s, 0.0)
        sq = np.tile(np.asarray(arrays.status_quo, dtype=float), n_d)
        lo = np.where(part, x, np.inf).min(axis=1)
        hi = np.where(part, x, -np.inf).max(axis=1)
        span = hi - lo
        # width = R, the range of the initial positions; where it is 0 (or nobody takes part)
        # nothing can move and any positive number keeps the arithmetic finite
        width = np.where(np.isfinite(span) & (span > 0), span, 1.0)

        history = np.empty((n_b, n_rounds + 1, n_a))
        history[:, 0] = x
        med = np.empty((n_b, n_rounds + 1))
        mean = np.empty((n_b, n_rounds + 1))
        med[:, 0] = _median(x, w, part, sq)
        mean[:, 0] = _mean(x, w, sq)
        risk = np.full((n_b, n_rounds, n_a), np.nan)
        kind = np.zeros((n_b, n_rounds, n_a), dtype=np.int8)
        counter = np.full((n_b, n_rounds, n_a), -1, dtype=np.int16)
        eu_own = np.full((n_b, n_rounds, n_a), np.nan)
        eu_other = np.full((n_b, n_rounds, n_a), np.nan)
        if record:
            dy_x = np.full((n_b, n_rounds, n_a, n_a), np.nan)
            dy_y = np.full((n_b, n_rounds, n_a, n_a), np.nan)
            dy_p = np.full((n_b, n_rounds, n_a, n_a), np.nan)
        rounds_run = np.zeros(n_b, dtype=np.int32)
        active = np.ones(n_b, dtype=bool)
        everyone = bool(part.all())
        diag = np.eye(n_a, dtype=bool)

        # rows in which no actor moved in a round: the next round sees the same state, so it
        # repeats that round exactly (same risks, no moves); they are copied, not recomputed
        still = np.zeros(n_b, dtype=bool)
        for k in range(n_rounds):
            # only the rows still running are computed (all of them without a tolerance)
            live = active & ~still
            rows = slice(None) if live.all() else np.flatnonzero(live)
            again = np.flatnonzero(active & still)
            if again.size:
                risk[again, k] = risk[again, k - 1]
                if record:
                    for dy in (dy_x, dy_y, dy_p):
                        dy[again, k] = dy[again, k - 1]
            if not live.any():
                rounds_run[active] += 1
                history[:, k + 1] = x
                med[:, k + 1] = med[:, k]
                mean[:, k + 1] = mean[:, k]
                continue
            xa, sa, wa, pa, ra = x[rows], s[rows], w[rows], part[rows], width[rows]
            mu = med[rows, k]

            # 1. risk exponents from the r = 1 expected utilities
            fast = kernels.wanted(xa.shape[0] * n_a * n_a, n_d)  # compiled loops, same numbers
            pairs = _Pairs(xa, ra, fast)
            pair = None if everyone else pa[:, :, None] & pa[:, None, :]
            p1 = _probability(pairs.votes(wa, None), pairs.same, pair, p["probability"], fast)
            _, y1 = _expected_utilities(
                xa, sa, p1, None, ra, pairs.dist, mu, q, t, want_x=False, compiled=fast
            )
            # danger_i = Σ_{j≠i} E(U_ji); y1[i, j] = E(U_ji) (perspective is moot at r = 1)
            if fast:
                danger = kernels.compiled().bdm_danger(y1, pa)
            else:
                danger = np.where(pa[:, None, :] & ~diag, y1, 0.0).sum(axis=2)
            r = np.where(pa, _risk_exponents(danger, pa), 1.0)

            # 2-3. votes, probabilities and expected utilities with the new exponents
            pr = _probability(pairs.votes(wa, r), pairs.same, pair, p["probability"], fast)
            ex, ey = _expected_utilities(xa, sa, pr, r, ra, pairs.dist, mu, q, t, compiled=fast)

            # 4-5. responses, applied simultaneously
            kd, cp, new = _choose(
                xa, ex, ey, pa, ra, p["offer_selection"], p["capitulation"], compiled=fast
            )
            got = np.maximum(cp, 0)[:, :, None]
            moved = kd > 0
            risk[rows, k] = r
            kind[rows, k] = kd
            counter[rows, k] = cp
            eu_own[rows, k] = np.where(moved, np.take_along_axis(ex, got, axis=2)[:, :, 0], np.nan)
            eu_other[rows, k] = np.where(
                moved, np.take_along_axis(ey, got, axis=2)[:, :, 0], np.nan
            )
            if record:
                off = pa[:, :, None] & pa[:, None, :] & ~diag
                dy_x[rows, k] = np.where(off, ex, np.nan)
                dy_y[rows, k] = np.where(off, ey, np.nan)
                dy_p[rows, k] = np.where(off, pr, np.nan)

            x[rows] = new
            history[:, k + 1] = x
            med[:, k + 1] = med[:, k]
            mean[:, k + 1] = mean[:, k]
            med[rows, k + 1] = _median(new, wa, pa, sq[rows])
            mean[rows, k + 1] = _mean(new, wa, sq[rows])
            rounds_run[active] += 1
            still[np.arange(n_b)[rows][~moved.any(axis=1)]] = True
            if tol is not None:
                active &= ~(np.abs(med[:, k + 1] - med[:, k]) <= tol)
                if not active.any():
                    # the rest of the history stays where it stopped
                    history[:, k + 2 :] = x[:, None]
                    med[:, k + 2 :] = med[:, k + 1 : k + 2]
                    mean[:, k + 2 :] = mean[:, k + 1 : k + 2]
                    break

        def out(a: np.ndarray) -> np.ndarray:
            # (B, ...) -> (D, ..., I): the issue axis goes last, as everywhere in accord
            return np.moveaxis(a.reshape(n_d, n_i, *a.shape[1:]), 1, -1)

        details: dict[str, Any] = {
            "risk": out(risk),
            "move_kind": out(kind),
            "move_counterpart": out(counter),
            "move_position": out(history[:, 1:]),
            "move_eu_own": out(eu_own),
            "move_eu_other": out(eu_other),
            "rounds_run": out(rounds_run),
            "position_range": out(width),
            "kind_names": KIND_NAMES,
        }
        if record:
            details.update(eu_ij=out(dy_x), eu_ji=out(dy_y), prob=out(dy_p))
        hist = out(history)
        return Result(
            model=self.name,
            params=dict(p),
            outcome=out(med)[:, -1],
            history=hist,
            series={"median": out(med), "mean": out(mean)},
            details=details,
        )


def dyads(result: Result, arrays: ScenarioArrays, draw: int = 0, issue: int = 0) -> list[dict]:
    """The dyadic table of every round (needs ``record_dyads=True``): for each ordered pair, the
    receiver ``actor``, the ``counterpart`` whose offer it weighs, ``eu_own`` = E^i(U_ij) and
    ``eu_other`` = E^i(U_ji) (both from the receiver's perspective: the quadrant-chart
    coordinates) and how it reads the offer (``conflict``, ``compromise``, ``capitulation`` or
    ``none``), whether or not it was the offer the actor took."""
    d = result.details
    if "eu_ij" not in d:
        return []
    ids = arrays.actor_ids
    x, y = d["eu_ij"][draw, ..., issue], d["eu_ji"][draw, ..., issue]  # (n, A, A)
    kinds = classify(x, y, result.params["capitulation"])
    ran = int(d["rounds_run"][draw, issue])
    rows = []
    for k, i, j in zip(*np.nonzero(np.isfinite(x[:ran]) & np.isfinite(y[:ran])), strict=True):
        rows.append(
            {
                "round": int(k) + 1,
                "actor": ids[i],
                "counterpart": ids[j],
                "eu_own": float(x[k, i, j]),
                "eu_other": float(y[k, i, j]),
                "offer": KIND_NAMES[int(kinds[k, i, j])] if kinds[k, i, j] else "none",
            }
        )
    return rows


#: the most rows of one issue's dyadic tables an account holds (rounds × ordered pairs); beyond
#: it the account says how many were left out (the quadrant chart reads the run, not the account)
ACCOUNT_DYADS = 10_000


# --------------------------------------------------------------------------------------------
# Accounts of a run
# --------------------------------------------------------------------------------------------


def moves(result: Result, arrays: ScenarioArrays, draw: int = 0, issue: int = 0) -> list[dict]:
    """Every move of one draw and issue, round by round, actors in scenario order.

    Each entry: ``round`` (1-based), ``actor`` and ``counterpart`` (ids), ``kind`` ("conflict",
    "compromise" or "capitulation"), ``eu_own`` = E^i(U_ij) (the mover's expected utility of
    challenging the counterpart), ``eu_other`` = E^i(U_ji) (the counterpart's, as the mover sees
    it), ``old_position`` and ``new_position``.
    """
    d = result.details
    kinds = d["move_kind"][draw, :, :, issue]
    out: list[dict] = []
    ids = arrays.actor_ids
    for k, a in zip(*np.nonzero(kinds), strict=True):
        j = int(d["move_counterpart"][draw, k, a, issue])
        out.append(
            {
                "round": int(k) + 1,
                "actor": ids[a],
                "kind": KIND_NAMES[int(kinds[k, a])],
                "counterpart": ids[j],
                "eu_own": float(d["move_eu_own"][draw, k, a, issue]),
                "eu_other": float(d["move_eu_other"][draw, k, a, issue]),
                "old_position": float(result.history[draw, k, a, issue]),
                "new_position": float(result.history[draw, k + 1, a, issue]),
            }
        )
    return out
