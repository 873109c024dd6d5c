"""The procedural model on games solved by hand, and Nash over a winning coalition."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord.arrays import from_table
from accord.errors import ParameterError
from accord.models.nash import NashBargaining, coalition_mask
from accord.models.procedural import Procedural
from accord.models.testing import check_model, random_arrays

# Council members x1..x5 (equal votes), Commission and Parliament; status quo 0.
COUNCIL = [10, 30, 50, 70, 90]


def game(com=None, ep=None, sq=0.0, caps=None, veto=None):
    ids, pos = [f"m{k}" for k in range(5)], list(COUNCIL)
    if com is not None:
        ids.append("com")
        pos.append(com)
    if ep is not None:
        ids.append("ep")
        pos.append(ep)
    caps = caps or [1.0] * len(ids)
    return from_table(ids, caps, pos, [0.5] * len(ids), status_quo=sq, veto=veto)


def run(arrays, **settings):
    settings.setdefault("agenda_setter", "com" if "com" in arrays.actor_ids else None)
    settings.setdefault("parliament", "ep" if "ep" in arrays.actor_ids else None)
    return float(Procedural(**settings).run(arrays).outcome[0, 0])


def test_pivots_and_gridlock():
    # quota 0.6 of 5 equal votes = 3 members: a move right needs m2 (50), a move left m2 too
    assert run(game(sq=50.0), quota=0.6) == 50.0  # the status quo is the core: gridlock
    # quota 0.8 = 4 members: the core is [30, 70]; a status quo inside it cannot move
    assert run(game(com=100, sq=40.0), quota=0.8) == 40.0
    assert run(game(sq=0.0), quota=0.8, voting_rule="unanimity") == 10.0  # no setter: the pivot


def test_consultation_the_commission_gets_what_the_pivot_accepts():
    # quota 0.8: the pivot for a move right is m1 (30), who accepts up to 60
    assert run(game(com=100), quota=0.8) == 60.0  # the reflection 2p − SQ
    assert run(game(com=45), quota=0.8) == 45.0  # inside what the pivot accepts
    # the Commission prefers the status quo to anything the Council would pass
    assert run(game(com=-0.0, sq=0.0), quota=0.8) == 0.0
    # unanimity: the pivot is m0 (10), acceptable [0, 20]
    assert run(game(com=100), voting_rule="unanimity") == 20.0


def test_consultation_stays_within_what_the_council_would_not_amend():
    # quota 0.6: pivot m2 (50) accepts up to 100, but beyond 90 every member prefers 90
    assert run(game(com=100), quota=0.6) == 90.0


def test_codecision_splits_between_pivot_and_parliament():
    # pivot m1 (30) accepts [0, 60]; the Parliament at 80 accepts [0, 160]: the segment from
    # the pivot to the Parliament within both is [30, 60]; half-way is 45
    arrays = game(ep=80)
    assert run(arrays, quota=0.8, procedure="codecision") == 45.0
    assert run(arrays, quota=0.8, procedure="codecision", split=0.0) == 30.0
    assert run(arrays, quota=0.8, procedure="codecision", split=1.0) == 60.0
    # a Parliament on the other side of the status quo wants no move: the status quo stands
    assert run(game(ep=-20.0, sq=0.0), quota=0.8, procedure="codecision") == 0.0
    # the Commission has no formal role under co-decision
    assert run(game(com=100, ep=80), quota=0.8, procedure="codecision") == 45.0


def test_veto_players_among_the_voters_bind():
    # m0 (10) holds a veto: a move right is limited to 20 whatever the quota
    veto = [True, False, False, False, False, False]
    assert run(game(com=100, veto=veto), quota=0.6) == 20.0


def test_capability_weights_the_votes():
    # m4 (90) holds 10 of 14 votes: with quota 0.7 it carries a move alone
    arrays = game(com=100, caps=[1, 1, 1, 1, 10, 1])
    assert run(arrays, quota=0.7) == 90.0


def test_unknown_actor_is_a_parameter_error():
    with pytest.raises(ParameterError, match="agenda_setter") as exc:
        Procedural(agenda_setter="commission").run(game(com=50))
    assert exc.value.field == "procedural.agenda_setter"


@pytest.mark.parametrize(
    "settings",
    [
        {"agenda_setter": "a0", "parliament": "a1"},
        {"agenda_setter": "a0", "parliament": "a1", "procedure": "codecision"},
        {"parliament": "a1", "procedure": "codecision", "voting_rule": "unanimity"},
    ],
)
def test_procedural_passes_check_model_with_institutions(settings):
    assert "missing stances" in check_model(Procedural, settings)


def test_describe_reports_core_and_gridlock():
    arrays = game(com=100, sq=40.0)
    model = Procedural(agenda_setter="com", quota=0.8)
    account = model.describe(model.run(arrays), arrays)
    issue = account["issues"]["issue0"]
    assert issue["core"] == [30.0, 70.0] and issue["gridlock"] and issue["outcome"] == 40.0


# -- Nash over a winning coalition -------------------------------------------------------------


def test_nash_no_longer_collapses_when_actors_sit_on_both_sides():
    # a (10) and b (-) on opposite sides of the status quo 40; c, d, e to the right hold 3 of 4
    # of the votes with quota 0.7: they move it, and a need not gain
    arrays = from_table(
        ["a", "c", "d", "e"], [1, 1, 1, 1], [10, 60, 70, 80], [1.0] * 4, status_quo=40
    )
    old = NashBargaining(bargainers="all_deciders").run(arrays).outcome[0, 0]
    assert old == 40.0  # everyone must gain: a cannot, so nothing moves
    mask = coalition_mask(arrays, 0.7)
    assert mask[0, :, 0].tolist() == [False, True, True, True]
    new = NashBargaining(quota=0.7).run(arrays).outcome[0, 0]
    assert 40.0 < new <= 80.0  # inside what the coalition's pivot c (60) accepts: [40, 80]
    # the coalition solution is the all-gain Nash solution of c, d, e alone
    alone = from_table(["c", "d", "e"], [1, 1, 1], [60, 70, 80], [1.0] * 3, status_quo=40)
    assert new == pytest.approx(NashBargaining(bargainers="all_deciders").run(alone).outcome[0, 0])


def test_nash_without_a_qualified_majority_keeps_the_status_quo():
    arrays = from_table(["a", "b"], [1, 1], [20, 80], [1.0, 1.0], status_quo=50)
    assert NashBargaining().run(arrays).outcome[0, 0] == 50.0
    assert not coalition_mask(arrays, 0.74).any()


@pytest.mark.parametrize("scenario", ["us-iran-muscat-2026", "ec-car-emissions"])
def test_with_veto_players_the_coalition_rule_changes_nothing(scenario):
    arrays = accord.to_arrays(accord.load(scenario))
    assert arrays.veto.any()
    new = NashBargaining().run(arrays).outcome
    old = NashBargaining(bargainers="all_deciders").run(arrays).outcome
    np.testing.assert_array_equal(new, old)


@pytest.mark.parametrize("seed", range(6))
def test_quota_one_is_the_all_deciders_rule(seed):
    arrays = random_arrays(seed, draws=4, actors=6, issues=3, missing=0.3 * (seed % 2))
    np.testing.assert_allclose(
        NashBargaining(quota=1.0).run(arrays).outcome,
        NashBargaining(bargainers="all_deciders").run(arrays).outcome,
        atol=1e-9,
    )
