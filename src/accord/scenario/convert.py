"""A validated scenario as single-draw :class:`~accord.arrays.ScenarioArrays` (the models' input)."""

from __future__ import annotations

import numpy as np

from accord.arrays import OUTSIDE_KINDS, ROLES, ScenarioArrays
from accord.scenario.types import Scenario


def to_arrays(scenario: Scenario) -> ScenarioArrays:
    """Convert a (validated) scenario into single-draw arrays.

    An actor with no stance on an issue does not take part in it (``has_stance`` False); its
    position and salience there are placeholders (the status quo and 0) that nothing reads.
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
    trust = np.array([np.nan if a.trust is None else a.trust / 100.0 for a in actors])
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
        has_stance=has,
        veto=np.array([a.veto for a in actors], dtype=bool),
        role=np.array([ROLES.index(a.role) for a in actors], dtype=np.int8),
        outside_kind=outside_kind,
        trust=trust[None],
    )
