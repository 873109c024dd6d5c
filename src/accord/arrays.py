"""A scenario as numpy arrays with a leading draws axis: the only input a model sees.

Shapes (D draws, A actors, I issues):

=================  ============  ==========================================================
field              shape         meaning
=================  ============  ==========================================================
position           (D, A, I)     each actor's position, on the issue's own scale
salience           (D, A, I)     how much it cares, 0–1 (the scenario's 0–100 divided by 100)
capability         (D, A)        clout, >= 0 (only ratios matter)
red_low, red_high  (D, A, I)     the acceptable interval; the scale's ends where none is set
outside_value      (D, A)        utility (0–1) of the actor's outside option; NaN = status quo's
trust              (D, A)        confidence (0–1) that the other side carries out a deal; NaN = full
status_quo         (I,)          the status quo per issue
low, high          (I,)          the ends of each issue's scale
has_stance         (A, I)        who takes part: the actor holds a stance on the issue
veto               (A,)          whether the actor can block a deal
role               (A,)          index into :data:`ROLES` (principal, mediator, stakeholder)
outside_kind       (A,)          index into :data:`OUTSIDE_KINDS` (status quo, walk away, escalation)
=================  ============  ==========================================================

**Participation is data.** ``has_stance`` is the one definition of who takes part in an issue.
Where it is False, ``position`` and ``salience`` hold placeholders (the status quo and 0) only so
that every array is finite: no model, no analysis and no summary may read them. The conformance
check (:func:`accord.models.testing.check_model`) fills them with random numbers and requires
identical results. :meth:`ScenarioArrays.stance_salience` gives the salience with the placeholders
zeroed, for code that weights by it.

**Roles are data too**: :attr:`ScenarioArrays.deciders` is the one rule of whose consent a deal
needs (the veto players; else the principals; else everyone), used by the agreement analysis and
by the models that bargain among the deciders.

A single deterministic run is ``D = 1``; :mod:`accord.uncertainty` fills ``D > 1``. This module
needs numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

ROLES = ("principal", "mediator", "stakeholder")
OUTSIDE_KINDS = ("status_quo", "walk_away", "escalation")
PRINCIPAL, MEDIATOR, STAKEHOLDER = 0, 1, 2
ESCALATION = OUTSIDE_KINDS.index("escalation")

#: fields with a leading draws axis
DRAWN = ("position", "salience", "capability", "red_low", "red_high", "outside_value", "trust")
#: per-actor fields without a draws axis
PER_ACTOR = ("veto", "role", "outside_kind")


@dataclass(frozen=True, repr=False)
class ScenarioArrays:
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    position: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    red_low: np.ndarray
    red_high: np.ndarray
    outside_value: np.ndarray
    status_quo: np.ndarray
    low: np.ndarray
    high: np.ndarray
    has_stance: np.ndarray
    veto: np.ndarray
    role: np.ndarray
    outside_kind: np.ndarray
    trust: np.ndarray | None = None  # None: nobody's trust is given (NaN everywhere)

    def __post_init__(self) -> None:
        d, a, i = np.shape(self.position)
        if self.trust is None:
            object.__setattr__(self, "trust", np.full((d, a), np.nan))
        expect = {
            "salience": (d, a, i),
            "red_low": (d, a, i),
            "red_high": (d, a, i),
            "capability": (d, a),
            "outside_value": (d, a),
            "trust": (d, a),
            "status_quo": (i,),
            "low": (i,),
            "high": (i,),
            "has_stance": (a, i),
            "veto": (a,),
            "role": (a,),
            "outside_kind": (a,),
        }
        for name, shape in expect.items():
            got = np.shape(getattr(self, name))
            if got != shape:
                raise ValueError(f"ScenarioArrays.{name} has shape {got}, expected {shape}")
        if len(self.actor_ids) != a or len(self.issue_ids) != i:
            raise ValueError("ScenarioArrays: actor_ids/issue_ids do not match the arrays")

    def __repr__(self) -> str:
        return (
            f"ScenarioArrays({_n(self.n_draws, 'draw')} × {_n(self.n_actors, 'actor')} × "
            f"{_n(self.n_issues, 'issue')}; actors {_short(self.actor_ids)}; "
            f"issues {_short(self.issue_ids)})"
        )

    @property
    def n_draws(self) -> int:
        return self.position.shape[0]

    @property
    def n_actors(self) -> int:
        return self.position.shape[1]

    @property
    def n_issues(self) -> int:
        return self.position.shape[2]

    @property
    def principal(self) -> np.ndarray:
        """(A,) bool: the principals."""
        return self.role == PRINCIPAL

    @property
    def deciders(self) -> np.ndarray:
        """(A,) bool: whose consent a deal needs — the veto players; a scenario with none falls
        back on its principals, and one with neither on every actor."""
        if self.veto.any():
            return self.veto.copy()
        if self.principal.any():
            return self.principal.copy()
        return np.ones(self.n_actors, dtype=bool)

    def stance_salience(self) -> np.ndarray:
        """(D, A, I) salience with the placeholders of missing stances set to 0."""
        return np.where(self.has_stance[None], self.salience, 0.0)

    def take_actors(self, order) -> ScenarioArrays:
        """The same arrays with the actors in another order (used by the permutation tests)."""
        order = np.asarray(order)
        drawn = {f: getattr(self, f)[:, order] for f in DRAWN}
        per_actor = {f: getattr(self, f)[order] for f in PER_ACTOR}
        return replace(
            self,
            actor_ids=tuple(self.actor_ids[k] for k in order),
            has_stance=self.has_stance[order],
            **drawn,
            **per_actor,
        )

    def take_issues(self, idx) -> ScenarioArrays:
        """The arrays restricted to some issues (a list of indices), e.g. to run one issue alone."""
        idx = np.atleast_1d(np.asarray(idx))
        return replace(
            self,
            issue_ids=tuple(self.issue_ids[k] for k in idx),
            position=self.position[:, :, idx],
            salience=self.salience[:, :, idx],
            red_low=self.red_low[:, :, idx],
            red_high=self.red_high[:, :, idx],
            status_quo=self.status_quo[idx],
            low=self.low[idx],
            high=self.high[idx],
            has_stance=self.has_stance[:, idx],
        )

    def take_draws(self, sl) -> ScenarioArrays:
        return replace(self, **{f: getattr(self, f)[sl] for f in DRAWN})

    def repeat(self, draws: int) -> ScenarioArrays:
        """``draws`` identical copies of a single-draw array set."""
        if self.n_draws != 1:
            raise ValueError("repeat() expects a single-draw ScenarioArrays")
        return replace(self, **{f: np.repeat(getattr(self, f), draws, axis=0) for f in DRAWN})


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _short(ids: tuple[str, ...], n: int = 6) -> str:
    return ", ".join(ids[:n]) + (f", … ({len(ids)})" if len(ids) > n else "")


def from_table(
    actor_ids,
    capability,
    position,
    salience,
    *,
    status_quo=None,
    low=None,
    high=None,
    issue_ids=None,
    has_stance=None,
    veto=None,
    role=None,
) -> ScenarioArrays:
    """Build single- or multi-draw arrays straight from numbers (tests, benchmarks, imports).

    ``position``/``salience`` may be (A,), (A, I) or (D, A, I); ``capability`` (A,) or (D, A).
    Salience is on the 0–1 scale here. ``has_stance`` (A, I) defaults to everyone taking part;
    ``veto`` (A,) to nobody; ``role`` (A,) — role names or :data:`ROLES` indices — to stakeholder.

    >>> a = from_table(["a", "b"], [1, 3], [20, 80], [0.5, 0.9])
    >>> a
    ScenarioArrays(1 draw × 2 actors × 1 issue; actors a, b; issues issue0)
    """
    pos = np.asarray(position, dtype=float)
    sal = np.asarray(salience, dtype=float)
    if pos.ndim == 1:
        pos, sal = pos[:, None], (sal[:, None] if sal.ndim == 1 else sal)
    if pos.ndim == 2:
        pos, sal = pos[None], (sal[None] if sal.ndim == 2 else sal)
    cap = np.asarray(capability, dtype=float)
    if cap.ndim == 1:
        cap = np.broadcast_to(cap, (pos.shape[0], cap.shape[0])).copy()
    n_d, n_a, n_i = pos.shape
    lo = np.zeros(n_i) if low is None else np.broadcast_to(np.asarray(low, float), (n_i,)).copy()
    hi = (
        np.full(n_i, 100.0)
        if high is None
        else np.broadcast_to(np.asarray(high, float), (n_i,)).copy()
    )
    sq = (
        (lo + hi) / 2
        if status_quo is None
        else np.broadcast_to(np.asarray(status_quo, float), (n_i,)).copy()
    )
    has = (
        np.ones((n_a, n_i), dtype=bool)
        if has_stance is None
        else np.broadcast_to(np.asarray(has_stance, dtype=bool), (n_a, n_i)).copy()
    )
    if role is None:
        roles = np.full(n_a, STAKEHOLDER, dtype=np.int8)
    else:
        roles = np.array(
            [ROLES.index(r) if isinstance(r, str) else int(r) for r in role], dtype=np.int8
        )
    return ScenarioArrays(
        actor_ids=tuple(actor_ids),
        issue_ids=tuple(issue_ids or [f"issue{k}" for k in range(n_i)]),
        position=pos,
        salience=np.broadcast_to(sal, pos.shape).copy(),
        capability=cap,
        red_low=np.broadcast_to(lo, pos.shape).copy(),
        red_high=np.broadcast_to(hi, pos.shape).copy(),
        outside_value=np.full((n_d, n_a), np.nan),
        status_quo=sq,
        low=lo,
        high=hi,
        has_stance=has,
        veto=np.zeros(n_a, dtype=bool) if veto is None else np.asarray(veto, dtype=bool).copy(),
        role=roles,
        outside_kind=np.zeros(n_a, dtype=np.int8),
    )


__all__ = [
    "ESCALATION",
    "OUTSIDE_KINDS",
    "ROLES",
    "ScenarioArrays",
    "from_table",
]
