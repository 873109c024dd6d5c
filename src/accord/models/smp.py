"""KTAB's Spatial Model of Politics (SMP), vectorised over draws, actor pairs and third parties.

A faithful re-implementation of ``smpc`` from the KAPSARC Toolkit for Behavioral Analysis (KTAB,
MIT licence; read in lsyaseen/KTAB: ``examples/smp/libsrc/smp.cpp``, ``smpbcn.cpp``, ``smp.h``
and ``KTAB/kmodel/libsrc/kmodel.cpp``; see also Wise, "An Introduction to KTAB" and
"Multidimensional Bargaining using KTAB", KAPSARC discussion papers). With the default switches it
reproduces KTAB's reference runs of 2017-05-30 (``tests/models/test_smp.py``).

One turn, for every draw at once (positions and saliences on a 0–1 scale):

1. *Distance* ``d_ij = sqrt(Σ_k (s_ik (x_ik − x_jk))² / Σ_k s_ik²)`` (i's salience weights).
2. *Risk attitudes*: a PCE over the actors' positions with risk-neutral utilities ``1 − d`` and
   capability weights gives win probabilities ``p_i``; ``big_r_range`` maps them to ``R_i``.
3. *Utilities* ``u(d, R) = (1 − d)(1 + d R)``; actor h sees actor i with attitude
   ``big_r_adjust(R_h, R_i)`` (``aUtil[h](i, j)``).
4. *Challenges*: i's expected gain from challenging j, with j resisting with probability
   ``S_j = Σ_k s_jk`` and every third party joining the side it prefers after weighing a "little
   conflict" (``third_party_commit``); i targets the best j if the gain exceeds 1e-5.
5. *Bargains*: the interpolated point ``inter_vec_brgn`` (S2P2: weights ``s² p²``, rounded to 4
   decimals), offered as ``bargn_model`` says.
6. *Resolution*: each actor's queue (its status quo plus every bargain it is party to) goes to a
   PCE of all actors (weights = capability, rule ``voting_rule``); the actor adopts the most
   probable bargain (``state_transitions``: Deterministic) or a sampled one (Stochastic).
7. *Stop* when ``Σ_i ‖x_i(t) − x_i(t−1)‖ / (Σ_i ‖x_i(1) − x_i(0)‖ + 1e-4) < 0.02`` from turn 2 on,
   or after 100 turns.

Choices where KTAB is silent or cannot run (documented in ``docs/models/smp.md``):

* **Outcome** (``Result.outcome``): with ``outcome="winner"`` (default) the final state's most
  probable position in a probabilistic Condorcet election among the distinct positions (KTAB's
  end-of-run table: capability weights, the model's voting rule, victory and PCE models). Positions
  closer than ``pos_tol`` count as one — grouped transitively, so the result does not depend on
  actor order as KTAB's greedy grouping does — and a group stands at its members'
  capability-weighted mean. ``outcome="expected"`` gives the probability-weighted mean of the
  groups instead. Both are in ``Result.series`` per step; ``details["win_prob"]`` keeps KTAB's own
  table.
* **Saliences**: KTAB needs ``Σ_k s_ik ≤ 1`` (``S_j`` is a probability). Accord scenarios rate each
  issue 0–100 independently, so an actor whose saliences sum to more than 1 (after /100) has them
  divided by their sum; KTAB inputs (sums ≤ 100) are left untouched.
* **Scales**: positions are mapped to 0–1 with each issue's ``low``/``high`` and mapped back.
* **Missing stances** (``arrays.has_stance`` False; KTAB has none): an actor takes no part in an
  issue it holds no stance on. It has no salience there, its coordinate on that issue never moves
  and is never read: whoever measures a distance to its position, a bargain it is party to or a
  group it belongs to counts 0 on that issue (the actor would accept anything there), the
  bargain's coordinate comes from the party that holds a stance, and the outcome on an issue
  nobody holds a stance on is its status quo.
* **Degenerate cases KTAB aborts on**: zero weights cast no vote (KTAB throws), an actor with no
  salience anywhere is indifferent (distance 0), and equal win probabilities for all actors give
  risk-neutral attitudes (KTAB divides by zero).
* Two KTAB quirks are reproduced on purpose because they shape the non-default bargain models:
  the target's bargain (``InitRcvrInterp``, ``PWCompInterp``) uses the target's *expected gain* in
  place of a probability, and the power-weighted compromise weighs the target's bargain with the
  initiator's capability.
* Queues list the status quo first, then bargains by initiator; KTAB's 2017 build filled them in
  thread order, which only matters for exact ties.

Memory: the third-party arrays hold ``A³`` numbers per draw, so draws are processed in blocks of at
most ``_BLOCK_ELEMENTS / A³`` (a loop over blocks, not over draws); results do not depend on it.

>>> from accord.arrays import from_table
>>> a = from_table(["a", "b", "c"], [10, 10, 10], [20, 50, 80], [0.5, 0.5, 0.5])
>>> r = SMP().run(a)
>>> r.history.shape[2:], bool(abs(r.outcome[0, 0] - 50) < 1e-9)
((3, 1), True)
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field

from accord.arrays import ScenarioArrays
from accord.models import kernels
from accord.models.base import BargainingModel, Result, Settings
from accord.models.pce import (
    BIG_R_ADJUSTS,
    BIG_R_RANGES,
    PCE_MODELS,
    VOTING_RULES,
    VP_MODELS,
    big_r_from_prob,
    coalitions,
    est_risk,
    pce,
    vote,
)

THIRD_PARTY_COMMITS = ("NoCommit", "SemiCommit", "FullCommit")
INTER_VEC_BRGNS = ("S1P1", "S2P2", "S2PMax")
BARGN_MODELS = ("InitOnlyInterp", "InitRcvrInterp", "PWCompInterp")
STATE_TRANSITIONS = ("Deterministic", "Stochastic")

#: KTAB's XML element name -> accord parameter name (``smpread.cpp``, ``ModelParameters``)
KTAB_SWITCHES = {
    "VictoryProbModel": "victory_prob_model",
    "VotingRule": "voting_rule",
    "PCEModel": "pce_model",
    "StateTransitions": "state_transitions",
    "BigRRange": "big_r_range",
    "BigRAdjust": "big_r_adjust",
    "ThirdPartyCommit": "third_party_commit",
    "InterVecBrgn": "inter_vec_brgn",
    "BargnModel": "bargn_model",
}

#: minimum expected gain for a challenge (smpbcn.cpp ``bestChallenge``)
MIN_SIG_EDU = 1e-5
#: floor of each side's strength in a challenge (smpbcn.cpp ``probEduChlg``)
MIN_CLTN = 1e-10
#: A³-sized arrays per block of draws (32 MiB each in float64)
_BLOCK_ELEMENTS = 1 << 22
#: numbers per temporary in the third-party sums: small enough to stay in cache
_THIRD_PARTY_BLOCK = 1 << 20


# -- elementary pieces ----------------------------------------------------------------------------


def bs_util(sd: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """Utility of a normalised distance ``sd`` with risk attitude ``r`` (smp.cpp ``bsUtil``):
    ``(1 − sd)(1 + sd·r)``; beyond 1 (round-off) the curve continues as ``(1 − sd)(1 + r)``."""
    one_m = 1 - sd
    out = sd * r
    out += 1
    out *= one_m
    over = sd > 1
    if over.any():
        out = np.where(over, one_m * (1 + r), out)
    return out


def _round4(x: np.ndarray) -> np.ndarray:
    # KTAB: (int)(0.5 + x*1e4) / 1e4, a cast that truncates toward zero
    return np.trunc(0.5 + (x * 10000.0)) / 10000.0


def interpolate_bargain(
    ti: np.ndarray,
    si: np.ndarray,
    pi: np.ndarray,
    tj: np.ndarray,
    sj: np.ndarray,
    pj: np.ndarray,
    ivb: str,
) -> tuple[np.ndarray, np.ndarray]:
    """The positions i and j are offered (smp.cpp ``interpBrgnSnPm``, ``interpBrgnS2PMax``).

    Per dimension, S2P2: ``w_i = s_i² p_i²``, ``w_j = s_j² p_j²``, ``b = (w_i t_i + w_j t_j) /
    (w_i + w_j)`` with 1e-6 added to the own side's weight (so that two indifferent actors keep their
    positions) and rounded to 4 decimals; S1P1 uses ``s p``; S2PMax moves each toward the other by
    the other's probability advantage. ``pi``/``pj`` broadcast against the positions.
    """
    if ivb in ("S1P1", "S2P2"):
        n = 1 if ivb == "S1P1" else 2
        wi = si**n * pi**n if n == 1 else (si * si) * (pi * pi)
        wj = sj**n * pj**n if n == 1 else (sj * sj) * (pj * pj)
        min_w = 1e-6
        bi = _round4(((wi + min_w) * ti + wj * tj) / (wi + min_w + wj))
        bj = _round4((wi * ti + (min_w + wj) * tj) / (wi + min_w + wj))
        # rounding may step just past the segment between the two positions; keep it inside
        lo, hi = np.minimum(ti, tj), np.maximum(ti, tj)
        return np.clip(bi, lo, hi), np.clip(bj, lo, hi)
    if ivb == "S2PMax":
        di = np.maximum(pj - pi, 0.0)
        dj = np.maximum(pi - pj, 0.0)
        si2, sj2 = si * si, sj * sj
        min_w = 1e-6
        dik = (di * sj2) / ((di * sj2) + min_w + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + min_w + ((1 - dj) * sj2))
        return ti + dik * (tj - ti), tj + djk * (ti - tj)
    raise ValueError(f"unknown InterVecBrgn {ivb!r}")


def _seq_sum(x: np.ndarray, axis: int) -> np.ndarray:
    """Sum over ``axis`` one term after another, as KTAB's loops do (numpy sums an outer axis of a
    C-ordered array slice by slice; an inner one would use pairwise summation)."""
    return np.add.reduce(np.ascontiguousarray(np.moveaxis(x, axis, 0)), axis=0)


def _third_party_strengths(vr, chij, chji, uni, unj, unn, wn, third):
    """Both sides' strengths after every third party joined (SemiCommit), summed in KTAB's order.

    The third parties (axis 1 of ``uni``, ``unj``, ``unn``, ``wn``, ``third``; ``unj`` may be a
    function of a slice of third parties that returns their block) are taken a block at a time (:data:`_THIRD_PARTY_BLOCK` numbers per temporary), so memory stays bounded and the
    temporaries stay in cache; each side's running sum carries from block to block, so the terms
    are still added one third party after another, as KTAB does (``Actor::vProbLittle``,
    ``Actor::thirdPartyVoteSU``, operation for operation).
    """
    a_ij = chij[:, None]
    a_ji = chji[:, None]
    n_n = uni.shape[1]  # the third parties
    per_party = chij.size  # numbers per third party: one per draw and pair (i, j)
    step = max(1, _THIRD_PARTY_BLOCK // max(per_party, 1))
    s_ij, s_ji = chij, chji

    def part(a: Any, sl: slice) -> np.ndarray:
        if callable(a):  # computed a block at a time (U_i(n, j) holds A³ numbers per draw)
            return a(sl)
        return a[:, sl] if a.shape[1] != 1 else a

    for start in range(0, n_n, step):
        sl = slice(start, min(n_n, start + step))
        vk = _third_party_votes(
            vr, a_ij, a_ji, part(uni, sl), part(unj, sl), part(unn, sl), part(wn, sl)
        )
        np.copyto(vk, 0.0, where=~part(third, sl))
        # each side adds the third parties in order to the principals' strength: the sum so far
        # goes into the block's first term, and numpy reduces the outer axis slice by slice
        gain = np.maximum(vk, 0.0)
        gain[:, 0] += s_ij
        s_ij = np.add.reduce(gain, axis=1)
        loss = np.maximum(np.negative(vk, out=vk), 0.0, out=vk)
        loss[:, 0] += s_ji
        s_ji = np.add.reduce(loss, axis=1)
    return s_ij, s_ji


def _third_party_votes(vr, a_ij, a_ji, uni, unj, unn, wn):
    """Each third party's vote in the challenge of i by j (one block of third parties).

    Written with in-place operations to keep few temporaries; the arithmetic is KTAB's."""
    vn = vote(vr, wn, uni - unj)  # n's vote in the little conflict
    cni = np.maximum(vn, 0.0)
    cni += a_ij  # a_ij + max(vn, 0): adding a zero is exact
    cnj = np.minimum(vn, 0.0, out=vn if vn.shape == cni.shape else None)
    np.subtract(a_ji, cnj, out=cnj)
    np.add(cni, cnj, out=cnj)
    pin = np.divide(cni, cnj, out=cni)  # n's estimate that i wins with n on its side
    del cnj, vn
    pjn = 1.0 - pin
    u_ik_def_j = uni + uni + unn  # small: (D, N, I, 1)
    u_i_def_jk = uni + uni + uni
    two = unj + unj
    u_j_def_ik = two + unj
    np.add(two, unn, out=two)  # u_jk_def_i
    u_ik_j = pin * u_ik_def_j
    np.multiply(pjn, u_j_def_ik, out=u_j_def_ik)
    np.add(u_ik_j, u_j_def_ik, out=u_ik_j)
    del u_j_def_ik
    u_i_jk = np.multiply(pin, u_i_def_jk, out=pin)
    np.multiply(pjn, two, out=two)
    np.add(u_i_jk, two, out=u_i_jk)
    del two, pjn
    du = np.subtract(u_ik_j, u_i_jk, out=u_ik_j)
    del u_i_jk
    return np.multiply(wn, du, out=du) if vr == "Prop" else vote(vr, wn, du)


def challenge_value(
    vr: str,
    tpc: str,
    uii: np.ndarray,
    uij: np.ndarray,
    uji: np.ndarray,
    ujj: np.ndarray,
    uki: np.ndarray,
    ukj: np.ndarray,
    wi: np.ndarray,
    wj: np.ndarray,
    sj: np.ndarray,
    uni: np.ndarray,
    unj: np.ndarray,
    unn: np.ndarray,
    wn: np.ndarray,
    third: np.ndarray,
    strengths: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """h's estimate that i beats j and of k's expected gain from i challenging j (smpbcn.cpp
    ``probEduChlg``), for any batch of (h, k, i, j).

    Principal arrays have shape ``(D, *rest)``; third-party arrays ``(D, N, *rest)`` with the third
    party on axis 1; ``third`` (broadcastable to the latter) says which n are third parties
    (n ∉ {i, j}). All utilities are h's estimates (``aUtil[h]``): ``uii = u_h(i, i)`` etc.

    The principals vote with weight ``c·Σs``; each third party n weighs the little conflict in which
    it joins the side it prefers (``Actor::vProbLittle``) and votes on the sum of utilities of the
    two outcomes (``Actor::thirdPartyVoteSU``, with commitment ``tpc``). With
    ``p = C_ij / (C_ij + C_ji)``: ``EU_chlg = (1 − S_j)·2u_ki + S_j·(p·2u_ki + (1 − p)·2u_kj)``,
    gain ``= EU_chlg − (u_ki + u_kj)``. ``strengths`` replaces :func:`_third_party_strengths`
    (same signature and result; the compiled loop for big scenarios).
    """
    ci = vote(vr, wi, uii - uij)
    cj = vote(vr, wj, uji - ujj)
    chij = (MIN_CLTN + np.where(ci > 0.0, ci, 0.0)) + np.where(cj > 0.0, cj, 0.0)
    chji = (MIN_CLTN - np.where(ci < 0.0, ci, 0.0)) - np.where(cj < 0.0, cj, 0.0)
    if tpc in ("NoCommit", "FullCommit"):
        # with either commitment KTAB's two sums of utilities are the same expression, so every
        # third party's vote is exactly zero and only the principals count
        pass
    elif tpc == "SemiCommit":
        chij, chji = (strengths or _third_party_strengths)(vr, chij, chji, uni, unj, unn, wn, third)
    else:
        raise ValueError(f"unknown ThirdPartyCommit {tpc!r}")
    phij = chij / (chij + chji)
    phji = chji / (chij + chji)
    eu_vict = uki + uki
    eu_cntst = phij * eu_vict + phji * (ukj + ukj)
    eu_chlg = (1 - sj) * eu_vict + sj * eu_cntst
    return phij, eu_chlg - (uki + ukj)


# -- the model ------------------------------------------------------------------------------------


def _lit(choices: tuple[str, ...]) -> Any:
    return Literal[choices]  # type: ignore[valid-type]


_KTAB = "KTAB smpc defaults (smp.h, kmodel.h)"


def _switch(default: str, description: str, ktab: str) -> Any:
    return Field(
        default,
        description=description,
        json_schema_extra={"source": f"{_KTAB}; XML <{ktab}>"},
    )


class SMPSettings(Settings):
    """KTAB's switches (XML element names in brackets) and stop rule; KTAB's defaults."""

    victory_prob_model: _lit(VP_MODELS) = _switch(
        "Linear", "victory probability from coalition strengths", "VictoryProbModel"
    )
    pce_model: _lit(PCE_MODELS) = _switch(
        "Conditional", "probabilistic Condorcet election", "PCEModel"
    )
    state_transitions: _lit(STATE_TRANSITIONS) = _switch(
        "Deterministic", "adopt the most probable bargain, or sample one", "StateTransitions"
    )
    voting_rule: _lit(VOTING_RULES) = _switch(
        "Prop", "how a utility difference becomes a vote", "VotingRule"
    )
    big_r_adjust: _lit(BIG_R_ADJUSTS) = _switch(
        "OneThird", "how an actor estimates another's risk attitude", "BigRAdjust"
    )
    big_r_range: _lit(BIG_R_RANGES) = _switch(
        "Mid", "range of the risk attitudes inferred from win probabilities", "BigRRange"
    )
    third_party_commit: _lit(THIRD_PARTY_COMMITS) = _switch(
        "SemiCommit", "how third parties join a challenge", "ThirdPartyCommit"
    )
    inter_vec_brgn: _lit(INTER_VEC_BRGNS) = _switch(
        "S2P2", "how the bargain point is interpolated", "InterVecBrgn"
    )
    bargn_model: _lit(BARGN_MODELS) = _switch(
        "InitOnlyInterp", "whose view sets the bargain", "BargnModel"
    )
    max_turns: int = Field(
        100, ge=1, le=10_000, description="the most turns", json_schema_extra={"source": _KTAB}
    )
    min_turns: int = Field(
        2,
        ge=1,
        le=10_000,
        description="turns before the stop rule applies",
        json_schema_extra={"source": _KTAB},
    )
    min_delta_ratio: float = Field(
        0.02,
        ge=0,
        description="stop when a turn's change falls below this share of the first's",
        json_schema_extra={"source": _KTAB},
    )
    min_sig_delta: float = Field(
        1e-4,
        gt=0,
        description="added to the first turn's change (guards its 0/0)",
        json_schema_extra={"source": _KTAB},
    )
    pos_tol: float = Field(
        1e-3,
        ge=0,
        description="positions closer than this (0–1 scale) count as one",
        json_schema_extra={"source": _KTAB},
    )
    record_turns: bool = Field(
        True,
        description="keep every turn's winning probabilities, risk attitudes, targets and stop "
        "ratio (the account; off in Monte Carlo runs: memory)",
        json_schema_extra={"source": "accord"},
    )
    outcome: Literal["winner", "expected"] = Field(
        "winner",
        description="the forecast: the most probable position, or the probability-weighted mean",
        json_schema_extra={"source": "accord (KTAB reports the table, not one outcome)"},
    )


class SMP(BargainingModel):
    """KTAB's Spatial Model of Politics. Parameters (KTAB default first; see module docstring):

    ``victory_prob_model`` Linear | Square | Quartic | Octic | Binary;
    ``pce_model`` Conditional | MarkovIncentive | MarkovUniform;
    ``state_transitions`` Deterministic | Stochastic;
    ``voting_rule`` Prop | Binary | PropBin | PropCbc | Cubic | ASymProsp;
    ``big_r_adjust`` OneThird | None | Half | TwoThirds | Full;
    ``big_r_range`` Mid | Min | Max;
    ``third_party_commit`` SemiCommit | NoCommit | FullCommit;
    ``inter_vec_brgn`` S2P2 | S1P1 | S2PMax;
    ``bargn_model`` InitOnlyInterp | InitRcvrInterp | PWCompInterp;
    stop rule ``max_turns`` 100, ``min_turns`` 2, ``min_delta_ratio`` 0.02, ``min_sig_delta``
    1e-4; ``pos_tol`` 1e-3 (0–1 scale: positions closer than this are one position in the
    winning-probability table); ``outcome`` winner | expected.

    ``Result.details``: ``win_prob`` (D, steps, A) each actor's position's probability of winning
    the PCE over the unique positions (KTAB's "History of actors' winning probabilities");
    ``fractional_change`` (D, steps − 1) the stop-criterion series (NaN after a draw stopped);
    ``n_turns`` (D,); ``stopped_early`` (D,) whether the ratio (not ``max_turns``) stopped it;
    ``risk`` (D, steps, A) the inferred risk attitudes; ``target`` (D, steps − 1, A) each actor's
    target (−1: none); ``winner_prob`` (D, steps) the probability of the most likely outcome;
    ``salience_scaled`` (D, A) whether the actor's saliences were rescaled. With
    ``record_turns=False`` (what Monte Carlo runs use) only ``n_turns``, ``stopped_early`` and
    ``salience_scaled`` are kept: the per-turn tables serve the account of one run.
    Draws that stop early repeat their final state up to the longest run.
    """

    name = "smp"
    label = "Spatial Model of Politics (KTAB SMP)"
    reference = (
        "KAPSARC Toolkit for Behavioral Analysis (KTAB), smpc (MIT); B. Wise, 'An Introduction to "
        "KTAB' and 'Multidimensional Bargaining using KTAB', KAPSARC discussion papers"
    )
    Settings = SMPSettings
    dynamic = True

    @property
    def stochastic(self) -> bool:
        return self.params["state_transitions"] == "Stochastic"

    # -- driver ---------------------------------------------------------------------------------
    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:
        p = self.params
        n_d, n_a, n_i = arrays.position.shape
        low, high = arrays.low.astype(float), arrays.high.astype(float)
        span = np.where(high > low, high - low, 1.0)
        x0 = (arrays.position - low) / span
        has = np.asarray(arrays.has_stance, dtype=bool)
        sal = np.clip(np.asarray(arrays.stance_salience(), dtype=float), 0.0, None)
        total = _seq_sum(sal, 2)
        scaled = total > 1.0 + 1e-12
        sal = np.where(scaled[:, :, None], sal / np.where(scaled, total, 1.0)[:, :, None], sal)
        cap = np.clip(np.asarray(arrays.capability, dtype=float), 0.0, None)
        sq01 = (np.asarray(arrays.status_quo, dtype=float) - low) / span
        max_turns = int(p["max_turns"])
        # one uniform per draw, turn and actor, drawn up front so that blocks do not matter
        uniforms = (
            rng.random((n_d, max_turns, n_a)) if p["state_transitions"] == "Stochastic" else None
        )

        keep = bool(p["record_turns"])
        block = max(1, _BLOCK_ELEMENTS // max(1, n_a**3))
        traces = []
        for start in range(0, n_d, block):
            sl = slice(start, min(n_d, start + block))
            traces.append(
                _simulate(
                    x0[sl],
                    sal[sl],
                    cap[sl],
                    has,
                    sq01,
                    p,
                    None if uniforms is None else uniforms[sl],
                    keep,
                )
            )
        # every block writes its rows into arrays sized for the longest run: a draw that stopped
        # repeats its last state (per-turn values get -1 / NaN)
        n_steps = max(len(tr.evals) for tr in traces)
        starts = range(0, n_d, block)
        hist01 = np.empty((n_d, n_steps, n_a, n_i))
        for start, tr in zip(starts, traces, strict=True):
            tr.fill_history(hist01, start)

        def per_state(key: str, tail: tuple[int, ...]) -> np.ndarray:
            out = np.empty((n_d, n_steps) + tail)
            for start, tr in zip(starts, traces, strict=True):
                tr.fill_state(out, start, key)
            return out

        def per_turn(key: str, tail: tuple[int, ...], fill: float) -> np.ndarray:
            dtype = float if isinstance(fill, float) else int
            out = np.full((n_d, n_steps - 1) + tail, fill, dtype=dtype)
            for start, tr in zip(starts, traces, strict=True):
                tr.fill_turns(out, start, key)
            return out

        # back to each issue's scale, in place (hist01 * span + low is low + hist01 * span)
        history = np.add(np.multiply(hist01, span, out=hist01), low, out=hist01)
        winner = per_state("winner", (n_i,))
        winner = np.add(np.multiply(winner, span, out=winner), low, out=winner)
        expected = per_state("expected", (n_i,))
        expected = np.add(np.multiply(expected, span, out=expected), low, out=expected)
        outcome = (winner if p["outcome"] == "winner" else expected)[:, -1].copy()
        details: dict[str, Any] = {
            "n_turns": np.concatenate([tr.n_turns for tr in traces]),
            "stopped_early": np.concatenate([tr.stopped_early for tr in traces]),
            "salience_scaled": scaled,
        }
        if keep:
            details.update(
                win_prob=per_state("win", (n_a,)),
                fractional_change=per_turn("fraction", (), np.nan),
                risk=per_state("risk", (n_a,)),
                winner_prob=per_state("winner_prob", ()),
                target=per_turn("target", (n_a,), -1),
            )
        return Result(
            model=self.name,
            params=dict(p),
            outcome=outcome,
            history=history,
            series={"winner": winner, "expected": expected},
            details=details,
        )

    def describe(self, result: Result, arrays: ScenarioArrays, draw: int = 0) -> dict:
        """One draw's account (the record's ``account``; :mod:`accord.present.narration` tells it):
        turns run, whether the ratio stopped it, each actor's position per turn on each issue it
        holds a stance on, its winning probability per turn, its target per turn (None: none) and
        the stop series."""
        d = result.details
        turns = int(d["n_turns"][draw])
        ids = arrays.actor_ids
        if "win_prob" not in d:  # record_turns=False: positions only
            return {
                "turns": turns,
                "stopped_early": bool(d["stopped_early"][draw]),
                "positions": _positions(result, arrays, draw, turns),
            }
        return {
            "turns": turns,
            "stopped_early": bool(d["stopped_early"][draw]),
            "positions": _positions(result, arrays, draw, turns),
            "win_prob": {
                actor: d["win_prob"][draw, : turns + 1, a].tolist() for a, actor in enumerate(ids)
            },
            "target": {
                actor: [ids[j] if j >= 0 else None for j in d["target"][draw, :turns, a]]
                for a, actor in enumerate(ids)
            },
            "fractional_change": d["fractional_change"][draw, :turns].tolist(),
        }


def _positions(result: Result, arrays: ScenarioArrays, draw: int, turns: int) -> dict:
    """Each actor's position per turn on each issue it holds a stance on."""
    return {
        actor: {
            issue: result.history[draw, : turns + 1, a, k].tolist()
            for k, issue in enumerate(arrays.issue_ids)
            if arrays.has_stance[a, k]
        }
        for a, actor in enumerate(arrays.actor_ids)
    }


# -- one block of draws -------------------------------------------------------------------------


class _Static:
    """Per-draw constants of a block, restricted to the draws still running."""

    def __init__(self, sal: np.ndarray, cap: np.ndarray, has: np.ndarray, sq: np.ndarray):
        self.sal = sal
        self.cap = cap
        self.has = has  # (A, I): who holds a stance on each issue
        self.full = bool(has.all())  # everyone takes part everywhere (KTAB's case): no masking
        self.sq = sq  # (I,) the status quo on 0–1
        sal_t = np.ascontiguousarray(np.moveaxis(sal, 2, 0))  # (I, D, A): dims summed in order
        self.sal_t = sal_t
        self.ssq = np.add.reduce(sal_t * sal_t, axis=0)  # Σ_k s_ik², (D, A)
        self.sal_sum = np.add.reduce(sal_t, axis=0)  # S_i, (D, A)
        self.weight = self.sal_sum * cap  # c_i S_i, the principals' and third parties' weight

    def take(self, idx: np.ndarray) -> _Static:
        out = _Static.__new__(_Static)
        out.has, out.full, out.sq = self.has, self.full, self.sq
        for key in ("sal", "cap", "ssq", "sal_sum", "weight"):
            setattr(out, key, getattr(self, key)[idx])
        out.sal_t = self.sal_t[:, idx]
        return out


def _distances(x: np.ndarray, st: _Static) -> tuple[np.ndarray, np.ndarray]:
    """Salience-weighted distances d[i, j] from i's ideal (= position) to j's position (smp.cpp
    ``bvDiff``) and the plain Euclidean distances used to spot equal positions."""
    xt = np.moveaxis(x, 2, 0)  # (I, D, A)
    diff = xt[:, :, :, None] - xt[:, :, None, :]  # (I, D, A, A)
    has_t = st.has.T[:, None]  # (I, 1, A)
    if not st.full:
        # i's distance to j counts no issue j holds no stance on (i's own salience zeroes the rest)
        diff = np.where(has_t[:, :, None, :], diff, 0.0)
    n_d, n_a, n_i = x.shape
    if kernels.wanted(n_d * n_a * n_a * n_i, n_d):  # _sal_dist(x, x, has), compiled
        d = _sal_dist(x, x, st, np.broadcast_to(st.has, x.shape))
    else:
        ds = diff * st.sal_t[:, :, :, None]
        dsq = np.add.reduce(ds * ds, axis=0)
        ssq = st.ssq[:, :, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            d = np.sqrt(dsq / ssq)
        d = np.where(ssq > 0, d, 0.0)  # no salience anywhere: indifferent
    if not st.full:  # two positions are the same where both hold stances
        diff = np.where(has_t[:, :, :, None], diff, 0.0)
    euclid = np.sqrt(np.add.reduce(diff * diff, axis=0))
    return d, euclid


def _sal_dist(
    x: np.ndarray,
    b: np.ndarray,
    st: _Static,
    b_has: np.ndarray | None = None,
    r: np.ndarray | None = None,
) -> np.ndarray:
    """``d[n, b]``: distance from actor n's position to point b with n's salience weights
    (smp.cpp ``bvDiff``, as in ``SMPActor::posUtil``); ``x`` (D, N, I), ``b`` (D, B, I).

    ``b_has`` (D, B, I) says on which issues point b is held (its owner holds a stance there, or
    its group has a member that does); elsewhere the issue counts 0. None: everywhere.
    ``r`` (D, N): return ``bs_util(d, r)`` instead (n's utility of point b)."""
    if kernels.wanted(x.shape[0] * x.shape[1] * b.shape[1] * x.shape[2], x.shape[0]):
        masked = b_has is not None and not st.full
        return kernels.compiled().sal_dist(
            x,
            b,
            st.sal,
            st.ssq,
            b_has if masked else np.ones((1, 1, 1), dtype=bool),
            masked,
            np.zeros((1, 1)) if r is None else np.broadcast_to(r, x.shape[:2]),
            r is not None,
        )
    d = _sal_dist_numpy(x, b, st, b_has)
    return d if r is None else bs_util(d, r[:, :, None])


def _sal_dist_numpy(
    x: np.ndarray, b: np.ndarray, st: _Static, b_has: np.ndarray | None
) -> np.ndarray:
    diff = np.moveaxis(x, 2, 0)[:, :, :, None] - np.moveaxis(b, 2, 0)[:, :, None, :]
    if b_has is not None and not st.full:
        diff = np.where(np.moveaxis(b_has, 2, 0)[:, :, None, :], diff, 0.0)
    ds = diff * st.sal_t[:, :, :, None]
    dsq = np.add.reduce(ds * ds, axis=0)
    ssq = st.ssq[:, :, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ssq > 0, np.sqrt(dsq / ssq), 0.0)


def _unique_reps(euclid: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """KTAB's greedy unique positions (kutils ``ueIndices``): actor i represents a new position
    unless an earlier representative is within ``tol``. Returns (rep (D, A), owner (D, A)): owner[i]
    is the last representative within ``tol`` of i (``State::posProb``)."""
    n_a = euclid.shape[-1]
    eq = euclid < tol
    earlier = eq & np.tri(n_a, n_a, -1, dtype=bool)
    rep = np.ones(eq.shape[:-1], dtype=bool)
    # the greedy rule is a triangular recursion; iterating it reaches its fixed point in ≤ A steps
    for _ in range(n_a):
        new = ~np.any(earlier & rep[:, None, :], axis=-1)
        if np.array_equal(new, rep):
            break
        rep = new
    near = eq & rep[:, None, :]
    owner = n_a - 1 - np.argmax(near[:, :, ::-1], axis=-1)
    return rep, owner


def _components(near: np.ndarray) -> np.ndarray:
    """Label each actor with the smallest index of its connected component in ``near`` (D, A, A)."""
    n_a = near.shape[-1]
    label = np.broadcast_to(np.arange(n_a), near.shape[:-1]).copy()
    for _ in range(n_a):
        new = np.where(near, label[:, None, :], n_a).min(axis=-1)
        if np.array_equal(new, label):
            break
        label = new
    return label


def _state_utilities(x: np.ndarray, st: _Static, p: dict) -> dict[str, np.ndarray]:
    """Everything KTAB derives from a state before bargaining (smp.cpp ``setAllAUtil``) and its
    winning-probability table (``SMPState::pDist(-1)``, ``State::posProb``)."""
    n_d, n_a, _ = x.shape
    d, euclid = _distances(x, st)
    # risk-neutral PCE over all actors' positions, capability-weighted
    rn = bs_util(d, 0.0)
    c = coalitions(rn, st.cap, p["voting_rule"])
    prob = pce(c, p["victory_prob_model"], p["pce_model"])
    risk = big_r_from_prob(prob, p["big_r_range"])
    # aUtil[h](i, j) with h's estimate of i's risk attitude
    r_hi = est_risk(risk[:, :, None], risk[:, None, :], p["big_r_adjust"])  # (D, H, I)
    ar = np.arange(n_a)
    # aUtil[h](i, j) = bs_util(d_ij, r_hi) holds A³ numbers per draw: it is never built whole,
    # only the pieces each step needs (_util); own[d, i, j] = aUtil[i](i, j)
    own = bs_util(d, r_hi[:, ar, ar][:, :, None])
    # KTAB's table: a PCE over the unique positions, capability weights
    rep, owner = _unique_reps(euclid, p["pos_tol"])
    # KTAB's 2017 reference runs use the model's voting rule here (later code hard-codes Prop;
    # the two agree for the default rule, and the table does not feed back into the dynamics)
    cw = coalitions(own, st.cap, p["voting_rule"])
    pw = pce(cw, p["victory_prob_model"], p["pce_model"], mask=rep)
    win = np.take_along_axis(pw, owner, axis=-1)
    # KTAB's grouping of equal positions is greedy, so which actors share a "unique position" (and
    # hence the table above) can depend on their order. The outcome uses an order-free grouping:
    # connected components of "closer than pos_tol", each standing at its members'
    # capability-weighted mean, and its own PCE among those groups (same rule, weights and models)
    comp = _components(euclid < p["pos_tol"])
    member = comp[:, :, None] == np.arange(n_a)[None, None, :]  # (D, actor, group)
    exists = member.any(axis=1)
    w_m = np.where(member, st.cap[:, :, None] + 0.0, 0.0)
    tot = w_m.sum(axis=1, keepdims=True)
    n_m = np.maximum(member.sum(axis=1, keepdims=True), 1)
    w_m = np.where(tot > 0, w_m / np.where(tot > 0, tot, 1.0), member / n_m)
    centre = np.einsum("dag,dai->dgi", w_m, x)  # (D, group, I)
    if st.full:
        centre_u, grp_has = centre, None
    else:  # on each issue a group stands where its members that hold a stance there stand
        mh = member[:, :, :, None] & st.has[None, :, None, :]  # (D, A, G, I)
        w_h = np.where(mh, st.cap[:, :, None, None] + 0.0, 0.0)
        tot_h = w_h.sum(axis=1, keepdims=True)
        n_h = np.maximum(mh.sum(axis=1, keepdims=True), 1)
        w_h = np.where(tot_h > 0, w_h / np.where(tot_h > 0, tot_h, 1.0), mh / n_h)
        centre_u = np.einsum("dagi,dai->dgi", w_h, x)
        grp_has = mh.any(axis=1)  # (D, G, I)
    r_own = est_risk(risk, risk, p["big_r_adjust"])  # as on the diagonal of aUtil
    u_grp = _sal_dist(x, centre_u, st, grp_has, r=r_own)
    p_grp = pce(
        coalitions(u_grp, st.cap, p["voting_rule"]),
        p["victory_prob_model"],
        p["pce_model"],
        mask=exists,
    )
    best = np.argmax(p_grp, axis=-1)
    rows = np.arange(n_d)
    winner_prob = p_grp[rows, best]
    # An actor with no salience on an issue (no stance) does not take part in it: on each issue a
    # group stands at its participants' capability-weighted mean, and the outcome comes from the
    # groups that have participants there (KTAB has no such actors; its runs are unchanged).
    part = (st.sal > 0) & (st.cap[:, :, None] > 0)  # (D, A, I): holds a stance with some weight
    w_part = member[:, :, :, None] * (
        st.cap[:, :, None, None] * part[:, :, None, :]
    )  # (D, A, G, I)
    tot_part = w_part.sum(axis=1)  # (D, G, I)
    has = (member[:, :, :, None] & part[:, :, None, :]).any(axis=1)  # (D, G, I)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre_part = np.einsum("dagi,dai->dgi", w_part, x) / tot_part
    n_part = np.maximum((member[:, :, :, None] & part[:, :, None, :]).sum(axis=1), 1)
    plain = np.einsum("dagi,dai->dgi", member[:, :, :, None] & part[:, :, None, :], x) / n_part
    sq = np.broadcast_to(st.sq, centre.shape)
    centre_i = np.where(tot_part > 0, centre_part, np.where(has, plain, sq))
    p_has = np.where(has & exists[:, :, None], p_grp[:, :, None], -1.0)  # (D, G, I)
    best_i = np.argmax(p_has, axis=1)  # (D, I)
    anyone = has.any(axis=1)  # (D, I): somebody with weight cares about the issue
    # an issue nobody with weight cares about stays at its status quo (a position nobody holds is
    # never read, and no tie among weightless groups is broken by the order of the actors)
    nobody = np.broadcast_to(st.sq, (n_d, st.sq.shape[0]))
    winner = np.where(
        anyone,
        np.take_along_axis(centre_i, best_i[:, None, :], axis=1)[:, 0, :],
        nobody,
    )
    p_w = np.where(has, p_grp[:, :, None], 0.0)
    mass = p_w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected_part = np.einsum("dgi,dgi->di", p_w, centre_i) / mass
    expected = np.where(mass > 0, expected_part, nobody)
    return {
        "dist": d,
        "r_hi": r_hi,
        "own": own,
        "risk": risk,
        "win": win,
        "winner": winner,
        "expected": expected,
        "winner_prob": winner_prob,
    }


def _best_challenges(su: dict, st: _Static, p: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each actor's best target (smpbcn.cpp ``bestChallengeUtils``, ``bestChallenge``): the j that
    maximises i's own estimate of its gain from challenging j, if above 1e-5.

    Returns (target (D, A) int, has (D, A) bool, p_win (D, A) i's estimate that it beats target).
    """
    dist, r_hi = su["dist"], su["r_hi"]
    n_a = dist.shape[-1]
    ar = np.arange(n_a)
    own = su["own"]  # own[d, i, m] = U_i(i, m)
    u_diag = bs_util(dist[:, ar, ar][:, None, :], r_hi)  # u_diag[d, h, n] = U_h(n, n)
    u_hni = bs_util(np.swapaxes(dist, 1, 2), r_hi)  # [d, h, n] = U_h(n, h)
    uii = own[:, ar, ar][:, :, None]  # U_i(i, i)
    uij = own  # U_i(i, j)
    uji = u_hni  # U_i(j, i)
    ujj = u_diag  # U_i(j, j)
    # third parties on axis 1: [d, n, i, j]
    uni = np.moveaxis(u_hni, 1, 2)[:, :, :, None]  # U_i(n, i)
    unn = np.moveaxis(u_diag, 1, 2)[:, :, :, None]  # U_i(n, n)

    def unj(sl: slice) -> np.ndarray:  # U_i(n, j) for a block of third parties n: [d, n, i, j]
        return np.moveaxis(bs_util(dist[:, None, sl, :], r_hi[:, :, sl, None]), 2, 1)

    w = st.weight
    third = (ar[:, None, None] != ar[None, :, None]) & (ar[:, None, None] != ar[None, None, :])
    strengths = None
    if kernels.wanted(dist.shape[0] * n_a**3, dist.shape[0]):  # compiled, U_i(n, j) in place

        def strengths(vr, chij, chji, *_):
            return kernels.compiled().third_party_strengths(
                kernels.rule_code(vr), chij, chji, dist, r_hi, w
            )

    phij, edu = challenge_value(
        p["voting_rule"],
        p["third_party_commit"],
        uii,
        uij,
        uji,
        ujj,
        uii,
        uij,
        w[:, :, None],
        w[:, None, :],
        st.sal_sum[:, None, :],
        uni,
        unj,
        unn,
        w[:, :, None, None],
        third[None],
        strengths,
    )
    valid = (edu > MIN_SIG_EDU) & ~np.eye(n_a, dtype=bool)
    target = np.argmax(np.where(valid, edu, -np.inf), axis=-1)
    has = valid.any(axis=-1)
    p_win = np.take_along_axis(phij, target[:, :, None], axis=-1)[:, :, 0]
    return target, has, p_win


def _util(su: dict, h: np.ndarray, n: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``aUtil[h](n, m) = bs_util(d_nm, r̂_h(n))`` (h's estimate of n's utility of m's position)
    for index arrays ``h``, ``n``, ``m`` that broadcast against ``(D, ...)``."""
    dist, r_hi = su["dist"], su["r_hi"]
    shape = np.broadcast_shapes(np.shape(h), np.shape(n), np.shape(m))
    dd = np.arange(dist.shape[0]).reshape((-1,) + (1,) * (len(shape) - 1))
    return bs_util(dist[dd, n, m], r_hi[dd, h, n])


def _target_view_gain(su: dict, st: _Static, p: dict, target: np.ndarray) -> np.ndarray:
    """The target's estimate of the initiator's gain, ``probEduChlg(j, i, i, j)``; KTAB uses it in
    place of the target's win probability when it interpolates the target's bargain."""
    n_d, n_a = target.shape
    ai = np.arange(n_a)[None, :]
    tj = target
    uii = _util(su, tj, ai, ai)  # U_{j(i)}(i, i)
    uij = _util(su, tj, ai, tj)
    uji = _util(su, tj, tj, ai)
    ujj = _util(su, tj, tj, tj)
    nn = np.arange(n_a)[None, :, None]  # third parties on axis 1: (D, N, I)
    uni = _util(su, tj[:, None, :], nn, ai[:, None, :])  # U_j(n, i)
    unj = _util(su, tj[:, None, :], nn, tj[:, None, :])  # U_j(n, j)
    unn = _util(su, tj[:, None, :], nn, nn)  # U_j(n, n)
    w = st.weight
    wj = np.take_along_axis(w, tj, axis=1)
    sj = np.take_along_axis(st.sal_sum, tj, axis=1)
    third = (nn != ai[:, None, :]) & (nn != tj[:, None, :])
    _, edu = challenge_value(
        p["voting_rule"],
        p["third_party_commit"],
        uii,
        uij,
        uji,
        ujj,
        uii,
        uij,
        w,
        wj,
        sj,
        uni,
        unj,
        unn,
        w[:, :, None],
        third,
    )
    return edu


def _bargains(x: np.ndarray, su: dict, st: _Static, p: dict, target, p_win):
    """The bargains on the table (smpbcn.cpp ``doBCN``): per initiator, one (or two) pairs of
    positions (for the initiator, for the target). Returns (pos_init, pos_rcvr) of shape
    (D, A, m, I)."""
    ivb = p["inter_vec_brgn"]
    sal = st.sal
    tj = target[:, :, None]
    xj = np.take_along_axis(x, tj, axis=1)
    sj = np.take_along_axis(sal, tj, axis=1)
    if not st.full:
        # a party holds no position on an issue it has no stance on: take the other party's
        hi = st.has[None]
        hj = st.has[target]  # (D, A, I)
        x = np.where(hi, x, xj)
        xj = np.where(hj, xj, x)
    pw = p_win[:, :, None]
    b_ii, b_ij = interpolate_bargain(x, sal, pw, xj, sj, 1 - pw, ivb)
    mode = p["bargn_model"]
    if mode == "InitOnlyInterp":
        return b_ii[:, :, None], b_ij[:, :, None]
    edu_j = _target_view_gain(su, st, p, target)[:, :, None]
    b_ji, b_jj = interpolate_bargain(x, sal, edu_j, xj, sj, 1 - edu_j, ivb)
    if mode == "InitRcvrInterp":
        return np.stack([b_ii, b_ji], axis=2), np.stack([b_ij, b_jj], axis=2)
    # power-weighted compromise; KTAB weighs the target's view with the initiator's capability
    wi = (st.cap * st.sal_sum)[:, :, None]
    wj = (st.cap * np.take_along_axis(st.sal_sum, target, axis=1))[:, :, None]
    bi = (wi * b_ii + wj * b_ji) / (wi + wj)
    bj = (wi * b_ij + wj * b_jj) / (wi + wj)
    return bi[:, :, None], bj[:, :, None]


def _resolve(x, su, st, p, target, has, pos_init, pos_rcvr, uniforms):
    """Every actor picks from its queue (smpbcn.cpp ``doBCN``, second half): options are the status
    quo (index 0) and the bargains (initiator-major); each is valued by every actor as the average
    utility of the state in which only its two parties move; a PCE over the actor's queue decides."""
    n_d, n_a, n_i = x.shape
    m = pos_init.shape[2]
    n_b = n_a * m
    pi = pos_init.reshape(n_d, n_b, n_i)
    pr = pos_rcvr.reshape(n_d, n_b, n_i)
    init = np.repeat(np.arange(n_a), m)[None, :].repeat(n_d, 0)  # (D, B)
    rcvr = np.repeat(target, m, axis=1)
    valid = np.repeat(has, m, axis=1)

    # posUtil(n, b): own risk attitude, own saliences, distance from own position
    def pos_util(b, owner):
        held = None if st.full else st.has[owner]  # (D, B, I)
        return _sal_dist(x, b, st, held, r=su["risk"])

    u_init = pos_util(pi, init)
    u_rcvr = pos_util(pr, rcvr)
    own = su["own"]  # (D, N, M)
    ar = np.arange(n_a)
    # terms in KTAB's order: 0 + u(init) + u(rcvr) + Σ_m unchanged positions, m ascending
    if kernels.wanted(n_d * n_a * n_b * n_a, n_d):  # N × B × M numbers per draw
        total = kernels.compiled().bargain_sums(u_init, u_rcvr, own, init, rcvr)
    else:
        # the summed axis comes first so that numpy adds the terms one after another; a block
        # of positions at a time (A³ numbers per draw in all), each block's first term taking
        # the sum so far
        total = u_init + u_rcvr
        keep = (ar[None, None, :] != init[:, :, None]) & (ar[None, None, :] != rcvr[:, :, None])
        own_t, keep_t = np.moveaxis(own, 2, 0), np.moveaxis(keep, 2, 0)  # keep: (M, D, B)
        step = max(1, _THIRD_PARTY_BLOCK // max(1, n_d * n_a * n_b))
        for start in range(0, n_a, step):
            ms = slice(start, min(n_a, start + step))
            terms = own_t[ms, :, :, None] * keep_t[ms, :, None, :]
            terms[0] += total
            total = np.add.reduce(terms, axis=0)
    u_brg = total / n_a  # (D, N, B)
    u_sq = _seq_sum(own, 2) / n_a  # (D, N)
    u_opt = np.concatenate([u_sq[:, :, None], u_brg], axis=2)  # (D, N, 1 + B)

    c = coalitions(u_opt, st.cap, p["voting_rule"])  # (D, O, O)
    # queue of actor k: the status quo and every valid bargain it is party to, in option order
    member = np.zeros((n_d, n_a, 1 + n_b), dtype=bool)
    member[:, :, 0] = True
    dd_b, col = np.arange(n_d)[:, None], np.arange(1, 1 + n_b)[None, :]
    member[dd_b, init, col] = valid  # each bargain's two parties (one column per bargain)
    member[dd_b, rcvr, col] |= valid
    q_len = int(member.sum(axis=-1).max())
    qidx = np.argsort(~member, axis=-1, kind="stable")[:, :, :q_len]  # (D, K, Q)
    qmask = np.take_along_axis(member, qidx, axis=-1)
    dd = np.arange(n_d)[:, None, None, None]
    cq = c[dd, qidx[:, :, :, None], qidx[:, :, None, :]]  # (D, K, Q, Q)
    prob = pce(cq, p["victory_prob_model"], p["pce_model"], mask=qmask)
    if uniforms is None:
        choice = np.argmax(prob, axis=-1)
    else:
        cum = np.cumsum(prob, axis=-1)
        u = uniforms[:, :, None] * cum[:, :, -1:]
        choice = np.minimum(np.sum(cum <= u, axis=-1), qmask.sum(axis=-1) - 1)
    opt = np.take_along_axis(qidx, choice[:, :, None], axis=-1)[:, :, 0]  # (D, K)
    b = np.maximum(opt - 1, 0)
    d2 = np.arange(n_d)[:, None]
    new_init = pi[d2, b]  # (D, K, I)
    new_rcvr = pr[d2, b]
    is_init = init[d2, b] == ar[None, :]
    new = np.where(is_init[:, :, None], new_init, new_rcvr)
    new = np.where((opt == 0)[:, :, None], x, new)
    if not st.full:  # a coordinate without a stance behind it never moves
        new = np.where(st.has[None], new, x)
    return new


def _state_dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Σ_i ‖a_i − b_i‖ (smp.cpp ``SMPModel::stateDist``)."""
    diff = a - b
    norms = np.sqrt(_seq_sum(diff * diff, 2))
    return _seq_sum(norms, 1)


class _Trace:
    """What one block of draws did, kept for the draws that took part in each step only: a draw
    that stopped repeats its last state, so its later rows are filled in once, at the end."""

    STATE_KEYS = ("win", "risk", "winner", "expected", "winner_prob")

    def __init__(self, x0: np.ndarray, keep_turns: bool):
        self.x0 = x0
        self.keep = keep_turns
        self.state_keys = self.STATE_KEYS if keep_turns else ("winner", "expected")
        self.evals: list[tuple[np.ndarray, dict[str, np.ndarray]]] = []  # per state
        self.moves: list[tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]] = []  # per turn
        self.last: dict[str, np.ndarray] = {}  # each draw's values at its last state
        self.final = x0
        self.n_turns = np.zeros(x0.shape[0], dtype=int)
        self.stopped_early = np.zeros(x0.shape[0], dtype=bool)

    def state(self, idx: np.ndarray, su: dict[str, np.ndarray]) -> None:
        vals = {k: su[k] for k in self.state_keys}
        for k, v in vals.items():
            if k not in self.last:
                self.last[k] = np.zeros((self.x0.shape[0],) + v.shape[1:])
            self.last[k][idx] = v
        self.evals.append((idx, vals))

    def turn(self, sel: np.ndarray, new: np.ndarray, **per_turn: np.ndarray) -> None:
        self.moves.append((sel, new, per_turn if self.keep else {}))

    def fill_history(self, out: np.ndarray, start: int) -> None:
        rows = slice(start, start + self.x0.shape[0])
        out[rows] = self.final[:, None]
        out[rows, 0] = self.x0
        for t, (sel, new, _) in enumerate(self.moves, 1):
            out[start + sel, t] = new

    def fill_state(self, out: np.ndarray, start: int, key: str) -> None:
        rows = slice(start, start + self.x0.shape[0])
        out[rows] = self.last[key][:, None]
        for k, (idx, vals) in enumerate(self.evals):
            out[start + idx, k] = vals[key]

    def fill_turns(self, out: np.ndarray, start: int, key: str) -> None:
        for t, (sel, _, vals) in enumerate(self.moves):
            out[start + sel, t] = vals[key]


def _simulate(
    x0: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    has: np.ndarray,
    sq: np.ndarray,
    p: dict,
    uniforms,
    keep_turns: bool = True,
) -> _Trace:
    """Run one block of draws to their stop (smp.cpp ``smpStopFn``, ``configExec``)."""
    n_d = x0.shape[0]
    st_all = _Static(sal, cap, has, sq)
    max_turns = int(p["max_turns"])
    min_turns = int(p["min_turns"])
    cur = x0.copy()
    trace = _Trace(x0, keep_turns)
    d01 = np.zeros(n_d)
    active = np.arange(n_d)  # draws whose current state still needs evaluating
    running = np.ones(n_d, dtype=bool)  # draws that still take turns
    t = 0
    while active.size:
        st = st_all.take(active)
        x = cur[active]
        su = _state_utilities(x, st, p)
        trace.state(active, su)
        go = running[active]
        if not go.any():
            break
        sel = active[go]
        if not go.all():
            st = st.take(np.flatnonzero(go))
            x = x[go]
            su = {k: v[go] for k, v in su.items()}
        target, has_t, p_win = _best_challenges(su, st, p)
        pos_init, pos_rcvr = _bargains(x, su, st, p, target, p_win)
        unif = None if uniforms is None else uniforms[sel, t]
        new = _resolve(x, su, st, p, target, has_t, pos_init, pos_rcvr, unif)
        t += 1
        cur[sel] = new
        step = _state_dist(new, x)
        if t == 1:
            d01[sel] = step + p["min_sig_delta"]
        ratio = step / d01[sel]
        trace.turn(sel, new, target=np.where(has_t, target, -1), fraction=ratio)
        trace.n_turns[sel] = t
        quiet = (t >= min_turns) & (ratio < p["min_delta_ratio"])
        stop = quiet | (t >= max_turns)
        trace.stopped_early[sel[quiet]] = True
        running[sel[stop]] = False
        active = sel  # the stopped ones still get their final state evaluated
    trace.final = cur
    return trace
