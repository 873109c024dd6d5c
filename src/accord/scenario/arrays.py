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
status_quo         (I,)          the status quo per issue
low, high          (I,)          the ends of each issue's scale
veto               (A,)          whether the actor can block a deal
outside_kind       (A,)          0 status quo, 1 walk away, 2 escalation (``OUTSIDE_KINDS``)
=================  ============  ==========================================================

A single deterministic run is ``D = 1``; :mod:`accord.uncertainty` fills ``D > 1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from accord.scenario.types import OUTSIDE_KINDS, Scenario


@dataclass(frozen=True)
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
    veto: np.ndarray
    outside_kind: np.ndarray
    has_stance: np.ndarray = field(default=None)  # (A, I) bool: False where the scenario gave none

    @property
    def n_draws(self) -> int:
        return self.position.shape[0]

    @property
    def n_actors(self) -> int:
        return self.position.shape[1]

    @property
    def n_issues(self) -> int:
        return self.position.shape[2]

    def take_actors(self, order) -> ScenarioArrays:
        """The same arrays with the actors in another order (used by the permutation tests)."""
        order = np.asarray(order)
        return replace(
            self,
            actor_ids=tuple(self.actor_ids[k] for k in order),
            position=self.position[:, order],
            salience=self.salience[:, order],
            capability=self.capability[:, order],
            red_low=self.red_low[:, order],
            red_high=self.red_high[:, order],
            outside_value=self.outside_value[:, order],
            veto=self.veto[order],
            outside_kind=self.outside_kind[order],
            has_stance=self.has_stance[order],
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
        return replace(
            self,
            position=self.position[sl],
            salience=self.salience[sl],
            capability=self.capability[sl],
            red_low=self.red_low[sl],
            red_high=self.red_high[sl],
            outside_value=self.outside_value[sl],
        )

    def repeat(self, draws: int) -> ScenarioArrays:
        """``draws`` identical copies of a single-draw array set."""
        if self.n_draws != 1:
            raise ValueError("repeat() expects a single-draw ScenarioArrays")
        rep = lambda a: np.repeat(a, draws, axis=0)  # noqa: E731
        return replace(
            self,
            position=rep(self.position),
            salience=rep(self.salience),
            capability=rep(self.capability),
            red_low=rep(self.red_low),
            red_high=rep(self.red_high),
            outside_value=rep(self.outside_value),
        )


def to_arrays(scenario: Scenario) -> ScenarioArrays:
    """Convert a (validated) scenario into single-draw arrays.

    An actor with no stance on an issue gets salience 0 there (it does not take part) and, so that
    every model sees a finite number, the status quo as its position.
    """
    actors, issues = scenario.actors, scenario.issues
    n_a, n_i = len(actors), len(issues)
    status_quo = np.array([i.status_quo for i in issues], dtype=float)
    low = np.array([i.low for i in issues], dtype=float)
    high = np.array([i.high for i in issues], dtype=float)

    position = np.tile(status_quo, (n_a, 1))
    salience = np.zeros((n_a, n_i))
    red_low = np.tile(low, (n_a, 1))
    red_high = np.tile(high, (n_a, 1))
    has = np.zeros((n_a, n_i), dtype=bool)
    for a, actor in enumerate(actors):
        for k, issue in enumerate(issues):
            st = actor.stances.get(issue.id)
            if st is None:
                continue
            has[a, k] = True
            position[a, k] = st.position
            salience[a, k] = st.salience / 100.0
            if st.red_line is not None:
                if st.red_line.min is not None:
                    red_low[a, k] = st.red_line.min
                if st.red_line.max is not None:
                    red_high[a, k] = st.red_line.max

    capability = np.array([a.capability for a in actors], dtype=float)
    outside_value = np.array(
        [
            a.outside_option.value / 100.0
            if a.outside_option is not None and a.outside_option.value is not None
            else np.nan
            for a in actors
        ]
    )
    outside_kind = np.array(
        [OUTSIDE_KINDS.index(a.outside_option.kind) if a.outside_option else 0 for a in actors],
        dtype=np.int8,
    )
    return ScenarioArrays(
        actor_ids=tuple(a.id for a in actors),
        issue_ids=tuple(i.id for i in issues),
        position=position[None],
        salience=salience[None],
        capability=capability[None],
        red_low=red_low[None],
        red_high=red_high[None],
        outside_value=outside_value[None],
        status_quo=status_quo,
        low=low,
        high=high,
        veto=np.array([a.veto for a in actors], dtype=bool),
        outside_kind=outside_kind,
        has_stance=has,
    )


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
) -> ScenarioArrays:
    """Build single- or multi-draw arrays straight from numbers (tests, benchmarks, imports).

    ``position``/``salience`` may be (A,), (A, I) or (D, A, I); ``capability`` (A,) or (D, A).
    Salience is on the 0–1 scale here.
    """
    pos = np.asarray(position, dtype=float)
    sal = np.asarray(salience, dtype=float)
    if pos.ndim == 1:
        pos, sal = pos[:, None], sal[:, None]
    if pos.ndim == 2:
        pos, sal = pos[None], sal[None]
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
        veto=np.zeros(n_a, dtype=bool),
        outside_kind=np.zeros(n_a, dtype=np.int8),
        has_stance=np.ones((n_a, n_i), dtype=bool),
    )
