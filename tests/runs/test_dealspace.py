"""The deal space of a run (accord.runs.dealspace) and what it would take (accord.runs.concessions)
on the Muscat scenario: the same draws as the models, the record, the words the section leads with,
the escalation threshold, and the trust and mediator variants."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord import deal
from accord.models import MODELS
from accord.outcome import analyse, utility
from accord.present import deal as words
from accord.runs.concessions import concessions
from accord.runs.dealspace import run_draws
from accord.runs.forecast import forecast
from accord.runs.records import RunRecord, validate_record_json
from accord.scenario.convert import to_arrays

MUSCAT = "us-iran-muscat-2026"
DROPS = "us-drops-missiles-proxies"


@pytest.fixture(scope="module")
def muscat():
    return accord.load(MUSCAT)


@pytest.fixture(scope="module")
def drops_fc(muscat):
    # several chunks, so the rebuilt draws must match the engine's chunk by chunk
    return forecast(muscat, "compromise,nash", variant=DROPS, runs=1200, seed=7, chunk_size=256)


def test_the_deal_space_sees_the_models_draws(muscat, drops_fc):
    # the draws rebuilt for the deal space are the engine's: the compromise model gives the same
    # outcome on them, draw by draw
    arrays = list(run_draws(drops_fc.scenario, runs=1200, seed=7, uncertainty=drops_fc.uncertainty,
                            chunk_size=256))  # fmt: skip
    assert len(arrays) == 5
    again = np.concatenate([MODELS["compromise"]().run(a).outcome for a in arrays])
    np.testing.assert_array_equal(again, drops_fc.models["compromise"].draws.outcome)
    # so a draw in which a model reaches agreement is one with a zone
    zone = drops_fc.deal.draws.exists
    for m in drops_fc.models.values():
        agreed = m.draws.status == 0
        assert not (agreed & ~zone).any(), m.name
    assert (drops_fc.models["nash"].draws.status == 0).mean() > 0.3


def test_every_mediators_package_is_accepted_under_the_agreement_rule(drops_fc):
    arrays = list(run_draws(drops_fc.scenario, runs=1200, seed=7, uncertainty=drops_fc.uncertainty,
                            chunk_size=256))  # fmt: skip
    for a in arrays:
        ds = deal.analyse(a)
        pkg = np.where(ds.exists[:, None], ds.package, a.status_quo)
        ok = analyse(a, pkg).accepts[:, ds.deciders].all(axis=1)
        assert ok[ds.exists].all()
        # and it lies inside the zone's extent on every issue
        inside = (ds.extent[..., 0] - 1e-9 <= ds.package) & (ds.package <= ds.extent[..., 1] + 1e-9)
        assert inside[ds.exists].all()


def test_the_base_answer_names_the_binding_red_line_pairs(muscat):
    fc = forecast(muscat, "nash", runs=2000, seed=1)
    d = fc.record.results.deal
    assert d.probability < 0.01
    pairs = {(r.issue, tuple(r.actors)): r.share for r in d.reasons if r.kind == "red_lines"}
    # the US minimum above Iran's maximum, on the agenda (50 vs 25) and on missiles (25 vs 10),
    # in nearly every draw (their ranges overlap only at the edges)
    assert pairs[("agenda", ("us", "iran"))] > 0.95 and pairs[("missiles", ("us", "iran"))] > 0.9
    line = words.headline(d, fc.scenario)
    assert line.startswith("No package that both deciders (United States and Iran) accept exists")
    assert "do not overlap on Scope of the agenda (United States ≥ 50 vs Iran ≤ 25, in " in line
    assert "Ballistic missile programme (United States ≥ 25 vs Iran ≤ 10, in " in line


def test_the_escalation_explanation_follows_its_input(muscat):
    # The split between escalation and stalemate is one comparison: the US values force (0.40)
    # above its utility of the status quo. Compute that utility by hand from the arrays, then move
    # the one input that flips it.
    def explained(sc):
        fc = forecast(sc, "compromise")
        d = fc.record.results.deal
        (threat,) = d.threats
        a = to_arrays(fc.scenario)
        u_sq = utility(a, a.status_quo[None])[0, list(a.actor_ids).index("us")]
        assert threat.status_quo.median == pytest.approx(u_sq)
        return fc, threat, words.escalation_lines(d, fc.scenario)

    fc, threat, lines = explained(muscat)
    assert threat.outside.median == pytest.approx(0.40) and threat.share == 1.0
    assert fc.models["compromise"].status == "escalation"
    assert f"at 0.40, above the {threat.status_quo.median:.2f}" in lines[0]
    assert "end in escalation under every model" in lines[1] and "not a model forecast" in lines[1]
    # a US missile position of 20 raises its status-quo utility above 0.40: the threat goes
    moved = muscat.with_changes({"actors.us.stances.missiles.position": 20})
    fc2, threat2, lines2 = explained(moved)
    assert threat2.status_quo.median > 0.40 and threat2.share == 0.0
    assert fc2.models["compromise"].status == "stalemate"
    assert f"at 0.40, below the {threat2.status_quo.median:.2f}" in lines2[0]
    assert "end in stalemate under every model" in lines2[1]


def test_the_deal_record_round_trips_and_follows_the_schema(drops_fc):
    text = drops_fc.record.model_dump_json()
    assert RunRecord.model_validate_json(text) == drops_fc.record
    validate_record_json(drops_fc.record.to_json())
    d = drops_fc.record.results.deal
    assert d.probability > 0.9 and d.mediator == "oman" and d.rule == "kalai-smorodinsky"
    assert [z.id for z in d.issues] == [i.id for i in drops_fc.scenario.issues]


def test_oman_stepping_back_leaves_the_zone_and_the_package_but_no_one_to_carry_it(muscat):
    base = forecast(muscat, "compromise", variant=DROPS, runs=300, seed=4).record.results.deal
    gone = forecast(
        muscat,
        "compromise",
        variant=DROPS,
        changes={"actors.oman.capability": 0, "actors.oman.capability_range": None},
        runs=300,
        seed=4,
    ).record.results.deal
    assert gone.mediator is None and base.mediator == "oman"
    assert gone.probability == base.probability
    assert [z.package for z in gone.issues] == [z.package for z in base.issues]
    assert any("No mediator carries the package" in t for t in words.package_lines(gone, muscat))
    # and the variant itself changes nothing in the base deal space
    a = forecast(muscat, "compromise", runs=300, seed=4).record.results.deal
    b = forecast(muscat, "compromise", variant="oman-steps-back", runs=300, seed=4)
    assert b.record.results.deal.reasons == a.reasons


def test_rebuilt_trust_moves_no_model_and_no_base_zone_but_raises_what_a_deal_is_worth(muscat):
    base = forecast(muscat, "all")
    rebuilt = forecast(muscat, "all", variant="trust-rebuilt")
    for name in base.models:  # positions, saliences and capabilities are untouched
        np.testing.assert_array_equal(
            base.models[name].result.outcome, rebuilt.models[name].result.outcome
        )
    assert rebuilt.record.results.deal.probability == 0.0  # the red lines still do not overlap
    # once the US drops its missile and proxy demands a zone exists: trust does not open it, but
    # the deciders value the package more
    low = forecast(muscat, "nash", variant=DROPS).record.results.deal
    high = forecast(
        muscat, "nash", variant=DROPS,
        changes={"actors.us.trust": 85, "actors.iran.trust": 80},
    ).record.results.deal  # fmt: skip
    for lo, hi in zip(low.actors, high.actors, strict=True):
        assert hi.value.median > lo.value.median


@pytest.fixture(scope="module")
def base_concessions(muscat):
    return concessions(muscat, runs=600, seed=2)


def test_what_it_would_take_is_ranked_and_every_share_is_on_the_same_draws(
    muscat, base_concessions
):
    r = base_concessions.results
    assert r.deal.probability < 0.01
    for items in (r.singles, r.pairs):
        opens = [c.opens for c in items]
        assert opens == sorted(opens, reverse=True)
    # one red line per side: the agenda and missile gaps each need one side to move
    top = r.pairs[r.cheapest_pair]
    assert {(lv.actor, lv.issue) for lv in top.levers} in (
        {("us", "agenda"), ("iran", "missiles")},
        {("us", "missiles"), ("iran", "agenda")},
    )
    assert top.opens > 0.9 and all(m.median > 0 for m in top.moves)
    # no single change bridges both gaps in most draws
    assert r.cheapest_single is None and all(c.opens < 0.1 for c in r.singles)
    # recompute the shares on the very same draws: every entry's 'at the median move'
    point = deal.terms(to_arrays(muscat))
    levers = {(lv.decider, lv.kind, lv.issue, lv.bound): lv for lv in deal.levers(point)}
    ids = list(point.deciders)
    order = [a.id for a in muscat.actors]
    issues = [i.id for i in muscat.issues]
    draws = list(run_draws(muscat, runs=600, seed=2, uncertainty=base_concessions.uncertainty))
    for c in [*r.singles, top]:
        moves = {}
        for ref, mv in zip(c.levers, c.moves, strict=True):
            key = (ids.index(order.index(ref.actor)), ref.kind,
                   issues.index(ref.issue) if ref.issue else None, ref.bound)  # fmt: skip
            moves[levers[key]] = mv.median
        share = np.mean(
            np.concatenate([deal.exists(deal.shifted(deal.terms(a), moves)) for a in draws])
        )
        assert share == pytest.approx(c.at_median, abs=1.5 / 600)


def test_concessions_record_round_trips_and_repeats_under_a_seed(muscat, base_concessions):
    rec = base_concessions.record
    assert RunRecord.model_validate_json(rec.model_dump_json()) == rec
    validate_record_json(rec.to_json())
    again = concessions(muscat, runs=600, seed=2).record
    assert again.reproducible_json() == rec.reproducible_json()


def test_concessions_compose_with_a_variant_and_changes(muscat):
    # With the US demands dropped a zone exists; then Iran's enrichment maximum is set to 25,
    # under the US minimum of 30: the red lines clash there, and moving either end opens the zone.
    res = concessions(
        muscat, variant=DROPS, changes={"actors.iran.stances.enrichment.red_line.max": 25},
        runs=300, seed=3,
    )  # fmt: skip
    ref = res.record.scenario
    assert ref.variant == DROPS and any(c.origin == "set" for c in ref.changes)
    r = res.results
    assert r.deal.probability < 0.5
    assert r.deal.reasons[0].kind == "red_lines" and r.deal.reasons[0].issue == "enrichment"
    best = r.singles[r.cheapest_single]
    assert best.levers[0].issue == "enrichment" and best.opens > 0.9
    assert best.moves[0].median >= 5 - 1e-9  # at least the 30 − 25 gap, as drawn


def test_nash_says_where_it_falls_back_and_why(muscat):
    from accord.present.narration import for_record

    # every decider bargains: the red lines do not overlap on the agenda and missiles
    fc = forecast(muscat, "nash", params={"nash": {"bargainers": "all_deciders"}})
    (mr,) = fc.record.results.models
    assert mr.account["infeasible"] == ["agenda", "missiles"]
    assert mr.account["issues"]["agenda"] == {"feasible": False, "why": "red_lines"}
    assert mr.account["issues"]["enrichment"]["feasible"] is True
    told = for_record(mr, fc.record.models[0], fc.scenario)
    assert (
        told is not None and "Scope of the agenda, Ballistic missile programme" in told.summary[0]
    )
    assert "falls back on the disagreement point, the status quo" in told.summary[0]
    # over a winning coalition (the default): Iran, a veto player, stands at the status quo on the
    # agenda, missiles and human rights, so no coalition can move them — the same outcome
    fc = forecast(muscat, "nash")
    (mr,) = fc.record.results.models
    assert mr.account["infeasible"] == []
    stays = [i for i, v in mr.account["issues"].items() if v["why"] == "no_winning_coalition"]
    assert stays == ["agenda", "missiles", "human_rights"]
    told = for_record(mr, fc.record.models[0], fc.scenario)
    assert "no winning coalition wants to move it" in told.summary[0]


def test_the_deal_space_does_not_depend_on_the_workers(muscat):
    from accord.runs.dealspace import analyse_run
    from accord.uncertainty import resolve_uncertainty

    sc = muscat.with_changes(muscat.variant(DROPS).set)
    kw = {"runs": 1000, "seed": 3, "uncertainty": resolve_uncertainty(None), "chunk_size": 250}
    assert analyse_run(sc, workers=1, **kw).record == analyse_run(sc, workers=2, **kw).record


@pytest.mark.parametrize("variant", [None, "iran-unrest-intensifies", DROPS])
def test_computing_moves_only_where_they_might_open_a_zone_loses_nothing(muscat, variant):
    from accord.runs.concessions import _move
    from accord.uncertainty import sample

    sc = muscat if variant is None else muscat.with_changes(muscat.variant(variant).set)
    arrays = sample(sc, 400, rng=8)
    t, ds = deal.terms(arrays), deal.analyse(arrays)
    found = [lv for lv in deal.levers(t) if lv.kind != "trust"]
    us = [lv for lv in found if lv.decider == 0]
    iran = [lv for lv in found if lv.decider == 1]
    for chosen in [(lv,) for lv in found] + [(a, b) for a in us[:3] for b in iran[:3]]:
        everywhere = deal.required_move(t, chosen)
        pruned = _move(t, ds, chosen)
        want = np.where(ds.exists[:, None], 0.0, everywhere.amount)
        np.testing.assert_allclose(pruned.amount, want, atol=1e-9)
