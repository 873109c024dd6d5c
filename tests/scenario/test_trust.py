"""Trust: one entry in the catalogue of uncertain numbers, so that validation, what-ifs, sampling
and sensitivity all know it."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord.runs.sensitivity import sensitivity
from accord.scenario.convert import to_arrays
from accord.scenario.fields import BY_KEY, cells, match
from accord.scenario.validate import check_data
from accord.uncertainty import NO_UNCERTAINTY, Uncertainty, sample

MUSCAT = "us-iran-muscat-2026"


@pytest.fixture(scope="module")
def muscat():
    return accord.load(MUSCAT)


def test_trust_is_an_uncertain_number_of_the_actor(muscat):
    f, actor, issue = match("actors.iran.trust")
    assert f is BY_KEY["trust"] and (actor, issue) == ("iran", None)
    assert f.range_path("iran") == "actors.iran.trust_range" and f.array == "trust"
    # listed only where the scenario sets it: the two principals
    assert sorted(a.id for g, _, _, a, _ in cells(muscat) if g.key == "trust") == ["iran", "us"]
    arr = to_arrays(muscat)
    ids = list(arr.actor_ids)
    assert arr.trust[0, ids.index("iran")] == pytest.approx(0.35)
    assert np.isnan(arr.trust[0, ids.index("oman")])  # not given: full trust


def test_sampled_trust_stays_in_its_range_and_unset_trust_is_never_drawn(muscat):
    arr = sample(muscat, 3000, rng=5)
    ids = list(arr.actor_ids)
    iran = arr.trust[:, ids.index("iran")]
    assert iran.min() >= 0.20 and iran.max() <= 0.55 and iran.std() > 0.03
    # triangular with its mode at 35: more draws below 0.375 (the range's middle) than above
    assert (iran < 0.375).mean() > 0.5
    assert np.isnan(arr.trust[:, ids.index("oman")]).all()
    # without ranges a trust value varies by the default spread, and not at all without one
    no_ranges = sample(muscat, 500, rng=5, uncertainty=Uncertainty(ranges=False))
    t = no_ranges.trust[:, ids.index("iran")]
    assert t.min() >= 0.25 - 1e-12 and t.max() <= 0.45 + 1e-12
    fixed = sample(muscat, 5, rng=5, uncertainty=NO_UNCERTAINTY)
    assert (fixed.trust[:, ids.index("iran")] == 0.35).all()


def test_trust_is_checked_like_every_uncertain_number(muscat):
    data = muscat.model_dump(mode="json")
    iran = next(a for a in data["actors"] if a["id"] == "iran")
    iran["trust"], iran["trust_range"] = 120, [50, 20]
    problems = [(p.path, p.message) for p in check_data(data)[1]]
    assert any(path.endswith(".trust") and "100" in msg for path, msg in problems), problems
    iran["trust"], iran["trust_range"] = None, [20, 50]
    problems = [(p.path, p.message) for p in check_data(data)[1]]
    assert any(path.endswith("trust_range") and "without" in msg for path, msg in problems)


def test_a_what_if_on_trust_carries_its_range_along(muscat):
    from accord.scenario.patch import whatif

    w = whatif(muscat, {"actors.iran.trust": 80})
    assert w.scenario.actor("iran").trust == 80
    (adj,) = [a for a in w.adjustments if a.path == "actors.iran.trust_range"]
    assert adj.reason == "range_follows_value" and adj.new == [65.0, 100.0]


def test_trust_can_be_an_input_of_a_sensitivity_analysis(muscat):
    res = sensitivity(
        muscat,
        "nash",
        method="morris",
        output="agreement",
        inputs=["actors.iran.trust", "actors.us.trust"],
        variant="us-drops-missiles-proxies",
        n=4,
        seed=1,
    )
    assert {e.name for e in res.record.results.effects} == {
        "actors.iran.trust",
        "actors.us.trust",
    }
