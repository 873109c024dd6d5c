"""Every registered model passes the public conformance check, and the check catches real faults.

The check itself (:func:`accord.models.testing.check_model`) is documented there; here it runs on
every model in the registry, and on deliberately broken models to show that each fault is caught.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.models import MODELS
from accord.models.base import BargainingModel, static_result, weights
from accord.models.compromise import Compromise, weighted_mean
from accord.models.testing import check_model, random_arrays


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_registered_model_passes_check_model(name):
    done = check_model(MODELS[name])
    assert "missing stances" in done and "non-default settings" in done


def test_stochastic_smp_passes_check_model():
    check_model(MODELS["smp"], {"state_transitions": "Stochastic"})


class ReadsPlaceholders(Compromise):
    """A weighted mean that forgets who holds a stance: it weights by the raw salience array."""

    name = "reads-placeholders"

    def _run(self, arrays, rng):
        w = arrays.capability[:, :, None] * arrays.salience
        return static_result(self, arrays, weighted_mean(arrays.position, w, arrays.status_quo))


class LinksIssuesThroughStatusQuo(Compromise):
    """Weights actors far from the average status quo more: one issue's status quo moves all."""

    name = "links-status-quo"

    def _run(self, arrays, rng):
        far = 1.0 + (arrays.position - arrays.status_quo.mean()) ** 2 / 1e4
        out = weighted_mean(arrays.position, weights(arrays) * far, arrays.status_quo)
        return static_result(self, arrays, out)


class SecretlyRandom(Compromise):
    """Between the weighted mean and the first position, at random: uses the seed, says it doesn't."""

    name = "secretly-random"

    def _run(self, arrays, rng):
        mean = weighted_mean(arrays.position, weights(arrays), arrays.status_quo)
        e = rng.uniform(0, 1e-3, mean.shape)
        w = weights(arrays)
        top = np.take_along_axis(arrays.position, w.argmax(axis=1)[:, None], axis=1)[:, 0]
        return static_result(self, arrays, (1 - e) * mean + e * top)


class OrderDependent(Compromise):
    name = "order-dependent"

    def _run(self, arrays, rng):  # the first actor's position, whatever the weights
        return static_result(self, arrays, arrays.position[:, 0].copy())


class ClaimsToMove(Compromise):
    name = "claims-to-move"
    dynamic = True


@pytest.mark.parametrize(
    ("model", "check"),
    [
        (ReadsPlaceholders, "missing stances"),
        (SecretlyRandom, "stochastic"),
        (OrderDependent, "permutation"),
        (ClaimsToMove, "dynamic"),
    ],
)
def test_check_model_catches_each_fault(model, check):
    with pytest.raises(AssertionError, match=check):
        check_model(model)


def test_check_model_catches_status_quo_linking_issues():
    with pytest.raises(AssertionError, match="status quo moved another issue"):
        check_model(LinksIssuesThroughStatusQuo)


def test_random_arrays_with_missing_stances_keep_two_actors_per_issue():
    arrays = random_arrays(3, actors=6, issues=4, missing=0.6)
    assert (arrays.has_stance.sum(axis=0) >= 2).all()
    assert (arrays.has_stance.sum(axis=1) >= 1).all()
    assert not arrays.has_stance.all()
    # placeholders are what to_arrays leaves: the status quo and salience 0
    gaps = ~arrays.has_stance[None]
    assert np.all(np.where(gaps, arrays.salience, 0.0) == 0.0)
    sq = np.broadcast_to(arrays.status_quo, arrays.position.shape)
    assert np.all(np.where(gaps, arrays.position - sq, 0.0) == 0.0)


def test_status_quo_of_a_partly_held_issue_moves_no_other_issue_on_the_muscat_scenario():
    """The acceptance case, through the scenario as a user changes it: on the Muscat scenario four
    actors hold no stance on human rights; moving that issue's status quo from one end of its
    scale to the other (which moves the placeholders too) changes no model's other issues."""
    import accord
    from accord.models import get_model
    from accord.scenario import to_arrays

    sc = accord.load("us-iran-muscat-2026")
    k = [i.id for i in sc.issues].index("human_rights")
    assert not to_arrays(sc).has_stance[:, k].all()
    rest = [j for j in range(len(sc.issues)) if j != k]
    for name in MODELS:
        model = get_model(name)
        outs = []
        for sq in (0, 100):
            arrays = to_arrays(sc.with_changes({"issues.human_rights.status_quo": sq}))
            outs.append(model.run(arrays, rng=1).outcome[:, rest])
        np.testing.assert_array_equal(outs[0], outs[1], err_msg=name)


class ReadsEveryPosition(Compromise):
    """Weights every actor by how far it stands from the average position of all actors,
    placeholders included: a scenario's status quo leaks in through them."""

    name = "reads-every-position"

    def _run(self, arrays, rng):
        far = 1.0 + np.abs(arrays.position - arrays.position.mean(axis=(1, 2), keepdims=True)) / 100
        out = weighted_mean(arrays.position, weights(arrays) * far, arrays.status_quo)
        return static_result(self, arrays, out)


def test_check_model_catches_placeholders_moving_with_the_status_quo():
    with pytest.raises(AssertionError, match="missing stances"):
        check_model(ReadsEveryPosition)


def test_a_model_needs_settings_with_defaults():
    from pydantic import Field

    from accord.models.base import Settings

    class NeedsAValue(Settings):
        x: float = Field(description="no default")

    class Broken(BargainingModel):
        name = "broken"
        label = "broken"
        reference = ""
        Settings = NeedsAValue

    with pytest.raises(Exception, match="x"):
        check_model(Broken)
