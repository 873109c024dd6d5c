"""The agreement rule (docs/outcome.md) on small cases worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from accord.arrays import from_table
from accord.outcome import (
    AGREEMENT,
    ESCALATION,
    STALEMATE,
    analyse,
    blocking_counts,
    blocking_reasons,
    utility,
)


def two_principals(**kw):
    a = from_table(
        ["us", "iran"],
        [1, 1],
        [[80.0, 60.0], [10.0, 20.0]],
        [[1.0, 0.5], [1.0, 0.5]],
        status_quo=[100, 0],
    )
    # status quo utilities: us 1 - (20 + .5*60)/150 = 2/3, iran 1 - (90 + .5*20)/150 = 1/3
    a.veto[:] = True
    return a


def test_utility_by_hand():
    a = two_principals()
    assert utility(a, np.array([[100.0, 0.0]]))[0] == pytest.approx([2 / 3, 1 / 3])
    # us at (80, 60) weights (1, .5): outcome (50, 50) -> loss (1*30 + .5*10)/100/1.5
    u = utility(a, np.array([[50.0, 50.0]]))
    assert u[0, 0] == pytest.approx(1 - (30 + 5) / 100 / 1.5)
    assert u[0, 1] == pytest.approx(1 - (40 + 15) / 100 / 1.5)


def test_agreement_when_everyone_gains_and_no_red_line_binds():
    a = two_principals()
    an = analyse(a, np.array([[45.0, 40.0]]))
    assert an.status[0] == AGREEMENT
    assert an.accepts.all() and an.margin[0] > 0


def reasons_of(an, a):
    return blocking_reasons(a, an.decider, *blocking_counts(an), an.status.shape[0])


def test_red_line_blocks_and_is_reported():
    a = two_principals()
    a.red_high[0, 1, 0] = 30.0  # iran accepts at most 30 on issue 0
    an = analyse(a, np.array([[45.0, 40.0]]))
    assert an.status[0] == STALEMATE
    assert not an.accepts[0, 1] and an.accepts[0, 0]
    assert an.margin[0] == pytest.approx(-0.15)  # 15 points beyond the red line on a 0–100 scale
    reasons = reasons_of(an, a)
    assert reasons == [
        {"actor": "iran", "kind": "red_line", "issue": "issue0", "bound": "max", "share": 1.0}
    ]


def test_outside_option_blocks():
    a = two_principals()
    a.outside_value[0, 0] = 0.95  # the US values its alternative above any compromise
    an = analyse(a, np.array([[45.0, 40.0]]))
    assert an.status[0] == STALEMATE
    assert an.outside_binds[0, 0] and not an.outside_binds[0, 1]
    assert reasons_of(an, a) == [{"actor": "us", "kind": "outside_option", "share": 1.0}]


def test_escalation_needs_a_credible_escalatory_outside_option():
    a = two_principals()
    a.red_high[0, 1, 0] = 30.0
    a.outside_kind[0] = 2  # the US escalates when talks fail...
    a.outside_value[0, 0] = 0.69  # ...and values that above the status quo (2/3)
    assert analyse(a, np.array([[45.0, 40.0]])).status[0] == ESCALATION
    a.outside_value[0, 0] = 0.1  # an escalation it values below the status quo is no threat
    assert analyse(a, np.array([[45.0, 40.0]])).status[0] == STALEMATE


def test_non_deciders_cannot_block():
    a = from_table(
        ["us", "iran", "israel"], [1, 1, 1], [80.0, 30.0, 100.0], [1.0, 1.0, 1.0], status_quo=0
    )
    a.veto[:2] = True
    a.red_low[0, 2, 0] = 90.0  # israel's red line is crossed, but israel is no veto player
    an = analyse(a, np.array([[40.0]]))
    assert an.status[0] == AGREEMENT and an.accepts[0, 2]
    assert not an.red_line_binds[0, 2].any()


def test_vectorised_over_draws():
    a = two_principals().repeat(3)
    a.red_high[1, 1, 0] = 30.0
    an = analyse(a, np.array([[45.0, 40.0]] * 3))
    assert list(an.status) == [AGREEMENT, STALEMATE, AGREEMENT]
    assert an.probabilities() == {
        "agreement": pytest.approx(2 / 3),
        "stalemate": pytest.approx(1 / 3),
        "escalation": 0.0,
    }
    assert reasons_of(an, a)[0]["share"] == pytest.approx(1 / 3)


@pytest.mark.parametrize("scale", [1e-6, 1.0, 100.0, 1e8])
def test_acceptance_and_margin_agree_on_any_scale(scale):
    """The sign of the margin and the acceptance use one tolerance, relative to the scale."""
    a = from_table(
        ["us", "iran"], [1, 1], [0.8 * scale, 0.1 * scale], [1.0, 1.0], status_quo=scale, high=scale
    )
    a.veto[1] = True  # iran decides alone: it gains from any move off the status quo (scale's top)
    a.red_high[0, 1, 0] = 0.3 * scale
    for y, agreed in ((0.3 * scale * (1 + 1e-12), True), (0.3 * scale + 1e-3 * scale, False)):
        an = analyse(a, np.array([[y]]))
        if agreed:
            assert not an.red_line_binds.any() and an.margin[0] >= 0
        else:
            assert an.red_line_binds[0, 1, 0] and an.margin[0] < 0
