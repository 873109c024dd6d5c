"""Agreement analysis: does each decisive actor accept a predicted outcome, and if not, why not.

The rule (also in docs/outcome.md):

1. An actor's **utility** of an outcome y (one value per issue) is
   u_a(y) = 1 − Σ_k s_ak |y_k − x_ak| / (high_k − low_k) / Σ_k s_ak, on 0–1 (1 = every issue at its
   own position); issues where it has no stance do not count.
2. Its **outside option** is worth the value the scenario gives it, or else u_a(status quo).
3. A **deal** on y is worth v_a(y) = τ_a u_a(y) + (1 − τ_a) u_a(y′) to it, where τ_a is its trust
   that the other side carries out its part (1 where the scenario gives none) and y′ is what it gets
   if the other side does not: its own concessions carried out (the issues where y is further from
   its position than the status quo is keep y), the other side's withheld (the others stay at the
   status quo). With full trust v_a = u_a.
4. The **deciders** are the veto players; a scenario with none falls back on its principals, and one
   with neither on every actor (:attr:`accord.arrays.ScenarioArrays.deciders`).
5. A decider **accepts** y when y lies inside all its red lines and v_a(y) ≥ its outside option.
6. **Agreement** when every decider accepts. Otherwise the talks fail, and the result is
   **escalation** when a decider has an escalatory outside option (force, sanctions snap-back, ...)
   that it values at least as much as the status quo — a credible threat it then carries out —
   and **stalemate** otherwise.

Everything is vectorised over draws: ``analyse`` takes ``(D, I)`` outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.arrays import ScenarioArrays

AGREEMENT, STALEMATE, ESCALATION = 0, 1, 2
STATUS_NAMES = ("agreement", "stalemate", "escalation")
_TOL = 1e-9
#: how far (utility, or share of a scale past a red line) a decider may fall short and still accept
TOLERANCE = _TOL


def utility(arrays: ScenarioArrays, outcome: np.ndarray) -> np.ndarray:
    """u_a(outcome) for every draw and actor: ``outcome`` (D, I) -> (D, A) on 0–1."""
    span = np.where(arrays.high > arrays.low, arrays.high - arrays.low, 1.0)
    held = arrays.has_stance[None]
    # issues where it has no stance do not count (their placeholder position is never read)
    dist = np.where(held, np.abs(outcome[:, None, :] - arrays.position), 0.0) / span  # (D, A, I)
    s = arrays.stance_salience()
    total = s.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        loss = (s * dist).sum(axis=2) / total
    return np.where(total > 0, 1.0 - loss, 1.0)


def trust(arrays: ScenarioArrays) -> np.ndarray:
    """(D, A) each actor's trust τ on 0–1: its confidence that the other side carries out a deal
    (1, full confidence, where the scenario gives none)."""
    return np.where(np.isnan(arrays.trust), 1.0, arrays.trust)


def deal_value(arrays: ScenarioArrays, outcome: np.ndarray) -> np.ndarray:
    """v_a(outcome): what a deal on ``outcome`` (D, I) is worth to each actor (D, A), its utility
    discounted by its trust (rule 3 above): τ u(y) + (1 − τ) u(y′), y′ keeping y only on the issues
    where y is further from the actor's position than the status quo is."""
    span = np.where(arrays.high > arrays.low, arrays.high - arrays.low, 1.0)
    dist = np.abs(outcome[:, None, :] - arrays.position) / span  # (D, A, I)
    kept = np.maximum(dist, np.abs(arrays.status_quo - arrays.position) / span)  # y′'s distance
    s = arrays.stance_salience()
    total = s.sum(axis=2)
    tau = trust(arrays)
    with np.errstate(invalid="ignore", divide="ignore"):
        loss = (s * (tau[:, :, None] * dist + (1.0 - tau[:, :, None]) * kept)).sum(axis=2) / total
    return np.where(total > 0, 1.0 - loss, 1.0)


def outside_option(arrays: ScenarioArrays) -> np.ndarray:
    """(D, A) what each actor's outside option is worth: the value given, else u(status quo)."""
    sq = np.broadcast_to(arrays.status_quo, (arrays.n_draws, arrays.n_issues))
    return np.where(np.isnan(arrays.outside_value), utility(arrays, sq), arrays.outside_value)


@dataclass(frozen=True)
class Analysis:
    """Per-draw agreement analysis. Shapes: D draws, A actors, I issues."""

    status: np.ndarray  # (D,) AGREEMENT / STALEMATE / ESCALATION
    accepts: np.ndarray  # (D, A) bool (True for non-deciders: they cannot block)
    utility: np.ndarray  # (D, A) utility of the outcome
    outside: np.ndarray  # (D, A) value of the outside option
    value: np.ndarray  # (D, A) what a deal on the outcome is worth, trust considered
    below_red_line: np.ndarray  # (D, A, I) outcome under the actor's red-line minimum
    above_red_line: np.ndarray  # (D, A, I) outcome over its red-line maximum
    prefers_outside: np.ndarray  # (D, A) its outside option beats a deal on the outcome
    decider: np.ndarray  # (A,) bool
    threatens: np.ndarray  # (D, A) decider with a credible escalatory outside option
    margin: np.ndarray  # (D,) the tightest decider's surplus: >= 0 exactly when all accept

    @property
    def red_line_binds(self) -> np.ndarray:
        """(D, A, I): a decider's red line on that issue excludes the outcome."""
        return (self.below_red_line | self.above_red_line) & self.decider[None, :, None]

    @property
    def outside_binds(self) -> np.ndarray:
        """(D, A): a decider rejects because its outside option is better."""
        return self.prefers_outside & self.decider[None, :]

    def probabilities(self) -> dict[str, float]:
        return {name: float(np.mean(self.status == k)) for k, name in enumerate(STATUS_NAMES)}


def analyse(arrays: ScenarioArrays, outcome: np.ndarray) -> Analysis:
    """Analyse predicted ``outcome`` (D, I) against every decider's red lines and outside option."""
    outcome = np.asarray(outcome, dtype=float)
    u = utility(arrays, outcome)
    value = deal_value(arrays, outcome)
    sq = np.broadcast_to(arrays.status_quo, outcome.shape)
    u_sq = utility(arrays, sq)
    outside = np.where(np.isnan(arrays.outside_value), u_sq, arrays.outside_value)
    y = outcome[:, None, :]
    # only issues an actor has a stance on can carry its red line
    has = arrays.has_stance[None]
    # beyond a red line by more than a rounding tolerance, as a share of the scale (any units)
    span = np.where(arrays.high > arrays.low, arrays.high - arrays.low, 1.0)
    below = ((arrays.red_low - y) / span > _TOL) & has
    above = ((y - arrays.red_high) / span > _TOL) & has
    prefers_outside = outside > value + _TOL
    dec = arrays.deciders
    rejects = (below.any(axis=2) | above.any(axis=2) | prefers_outside) & dec[None, :]
    agreed = ~rejects.any(axis=1)
    # How far from a deal: a decider's surplus over its outside option, or, when the outcome lies
    # beyond one of its red lines, minus the largest excess (as a share of the scale). The tightest
    # decider sets the margin, so margin >= 0 exactly when everyone decisive accepts.
    excess = (
        (np.maximum(arrays.red_low - y, 0) + np.maximum(y - arrays.red_high, 0)) * has / span
    ).max(axis=2)
    gain = value - outside  # within the tolerance a decider accepts, so its surplus counts as 0
    surplus = np.where(excess > _TOL, -excess, np.where(gain >= -_TOL, np.maximum(gain, 0.0), gain))
    margin = np.where(dec[None, :], surplus, np.inf).min(axis=1)
    threatens = (
        (arrays.outside_kind == ESCALATION)[None, :] & dec[None, :] & (outside >= u_sq - _TOL)
    )
    status = np.where(agreed, AGREEMENT, np.where(threatens.any(axis=1), ESCALATION, STALEMATE))
    return Analysis(
        status=status.astype(np.int8),
        accepts=~rejects,
        utility=u,
        outside=outside,
        value=value,
        below_red_line=below,
        above_red_line=above,
        prefers_outside=prefers_outside,
        decider=dec,
        threatens=threatens,
        margin=margin,
    )


def blocking_counts(analysis: Analysis) -> tuple[np.ndarray, np.ndarray]:
    """Draws in which each decider's reasons to reject bind: red lines ``(A, I, 2)`` (``[..., 0]``
    below its minimum, ``[..., 1]`` above its maximum) and outside options ``(A,)``."""
    binds = analysis.red_line_binds
    red = np.stack([binds & analysis.below_red_line, binds & analysis.above_red_line], axis=-1)
    return red.sum(axis=0), analysis.outside_binds.sum(axis=0)


def blocking_reasons(
    arrays: ScenarioArrays,
    decider: np.ndarray,
    red_line: np.ndarray,
    outside: np.ndarray,
    n: int,
) -> list[dict]:
    """Why deals fail, ranked by the share of the ``n`` draws in which each reason binds.

    ``red_line`` (A, I, 2) and ``outside`` (A,) count the draws in which each binds
    (:func:`blocking_counts`, summed over chunks by the Monte Carlo service). Each reason:
    ``{"actor", "kind": "red_line" | "outside_option", "issue", "bound", "share"}`` (``issue`` and
    ``bound`` only for red lines: which end of the interval the outcome crossed).
    """
    reasons = []
    n = max(int(n), 1)
    for a, actor in enumerate(arrays.actor_ids):
        if not decider[a]:
            continue
        for k, issue in enumerate(arrays.issue_ids):
            for b, bound in enumerate(("min", "max")):
                hits = int(red_line[a, k, b])
                if hits:
                    reasons.append(
                        {
                            "actor": actor,
                            "kind": "red_line",
                            "issue": issue,
                            "bound": bound,
                            "share": hits / n,
                        }
                    )
        if outside[a]:
            reasons.append({"actor": actor, "kind": "outside_option", "share": int(outside[a]) / n})
    reasons.sort(key=lambda r: (-r["share"], r["actor"], r.get("issue", "")))
    return reasons
