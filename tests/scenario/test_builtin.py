"""The built-in scenarios: they load and validate, every number is backed by evidence, the Muscat
scenario quotes its seed verbatim, every named variant moves the forecast the way its rationale
says, and the base forecast follows the agreement rule of docs/outcome.md.

Run with ``pytest -s tests/scenario/test_builtin.py`` to see the base forecast printed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from accord.outcome import ESCALATION
from accord.runs.forecast import forecast
from accord.scenario import check_file, load
from accord.scenario.types import Actor, Issue, OutsideOption, Scenario, Stance
from accord.scenario.validate import check

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SEED = DATA / "seed" / "000_ffe160eaa71000c4.txt"  # copy of ../shared/seed/ (see its README)
SHARED_SEED = ROOT.parent / "shared" / "seed" / "000_ffe160eaa71000c4.txt"

MUSCAT = "us-iran-muscat-2026"
EC = "ec-car-emissions"
MODELS = ("compromise", "median", "condorcet", "nash")
TOL = 1e-9


@pytest.fixture(scope="module")
def muscat() -> Scenario:
    return load(MUSCAT)


@pytest.fixture(scope="module")
def ec() -> Scenario:
    return load(EC)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base_fc(muscat):
    return forecast(muscat, ",".join(MODELS))


# -- loading ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("ident", [MUSCAT, EC])
def test_builtin_loads_and_validates(ident: str) -> None:
    sc = load(ident)
    assert sc.id == ident
    assert check_file(ident) == []
    assert check(sc) == []  # includes applying every variant and re-validating


def test_seed_copy_is_the_shared_seed() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("../shared is not available; the project copy is used")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


# -- evidence ---------------------------------------------------------------------------------------
def numeric_fields(record) -> list[str]:
    """The fields of a record that hold numbers (set ones only, for the optional ones)."""
    if isinstance(record, Issue):
        return ["status_quo", "scale"]
    if isinstance(record, Actor):
        return ["capability"] + (
            ["capability_range"] if record.capability_range is not None else []
        )
    if isinstance(record, Stance):
        optional = ("position_range", "salience_range", "red_line")
        return ["position", "salience"] + [f for f in optional if getattr(record, f) is not None]
    if isinstance(record, OutsideOption):
        return [f for f in ("value", "value_range") if getattr(record, f) is not None]
    return []


def records(sc: Scenario):
    """(path, record) for every issue, actor, stance, outside option and variant."""
    for issue in sc.issues:
        yield f"issues.{issue.id}", issue
    for actor in sc.actors:
        yield f"actors.{actor.id}", actor
        for issue_id, stance in actor.stances.items():
            yield f"actors.{actor.id}.stances.{issue_id}", stance
        if actor.outside_option is not None:
            yield f"actors.{actor.id}.outside_option", actor.outside_option
    for variant in sc.variants:
        yield f"variants.{variant.id}", variant


def uncovered(record) -> list[str]:
    """Numeric fields of ``record`` that no evidence entry supports (empty supports = all)."""
    evidence = record.evidence
    if any(not e.supports for e in evidence):
        return []
    supported = {name for e in evidence for name in e.supports}
    return [f for f in numeric_fields(record) if f not in supported]


@pytest.mark.parametrize("ident", [MUSCAT, EC])
def test_every_number_is_backed_by_evidence_from_a_known_source(ident: str) -> None:
    sc = load(ident)
    sources = {s.id for s in sc.sources}
    missing, unknown = [], []
    for path, rec in records(sc):
        missing += [f"{path}.{f}" for f in uncovered(rec)]
        if numeric_fields(rec) and not rec.evidence:
            missing.append(f"{path} (no evidence at all)")
        unknown += [f"{path}: {e.source}" for e in rec.evidence if e.source not in sources]
        # every evidence entry explains itself
        assert all(e.note or e.gloss for e in rec.evidence), f"{path}: evidence without a note"
    assert not missing, "numbers without evidence: " + ", ".join(missing)
    assert not unknown, "evidence citing unknown sources: " + ", ".join(unknown)


def test_every_muscat_record_quotes_the_seed_verbatim(muscat, seed_text) -> None:
    lacking, not_found = [], []
    for path, rec in records(muscat):
        seed_quotes = [e.quote for e in rec.evidence if e.source == "seed" and e.quote]
        if not seed_quotes:
            lacking.append(path)
        not_found += [f"{path}: {q[:40]}…" for q in seed_quotes if q not in seed_text]
        # a seed citation always carries its quote and an English gloss
        for e in rec.evidence:
            if e.source == "seed":
                assert e.quote and e.gloss, f"{path}: seed evidence needs a quote and a gloss"
    assert not lacking, "records with no quote from the seed: " + ", ".join(lacking)
    assert not not_found, "quotes not found verbatim in the seed: " + "; ".join(not_found)


def test_outside_knowledge_is_sourced_and_the_misdated_exit_corrected(muscat) -> None:
    sources = {s.id: s for s in muscat.sources}
    assert sources["seed"].language == "ar"
    # the seed says the US left the JCPOA "in 2015": it was 8 May 2018 (NSPM-11)
    exit_source = sources["nspm11"]
    assert str(exit_source.date) == "2018-05-08"
    assert "2015" in exit_source.note and "2018" in exit_source.note
    assert any("2015" in n and "8 May 2018" in n for n in muscat.notes)
    # wherever the seed's 2015 sentence is quoted, the gloss or note flags the error
    for path, rec in records(muscat):
        for e in rec.evidence:
            if "2015" in e.quote:
                assert "2018" in e.gloss + e.note, f"{path}: the misdated exit is not corrected"
    # the enrichment anchors rest on the JCPOA text, cited as its own source
    enrichment = muscat.issue("enrichment")
    assert "3.67%" in enrichment.scale[25]
    assert any(e.source == "jcpoa" for e in enrichment.evidence)
    # notes cover the source quality and what is judgement
    text = " ".join(muscat.notes).lower()
    assert "crypto" in text and "judgement" in text


# -- the Muscat scenario encodes the system ---------------------------------------------------------
def test_muscat_encodes_the_actors_issues_and_red_lines(muscat) -> None:
    issues = {i.id for i in muscat.issues}
    assert {"agenda", "enrichment", "missiles", "proxies", "human_rights", "sanctions"} <= issues
    for issue in muscat.issues:
        assert issue.low == 0 and issue.high == 100 and 0 <= issue.status_quo <= 100
    roles = {a.id: a.role for a in muscat.actors}
    assert roles["us"] == roles["iran"] == "principal"
    assert roles["oman"] == "mediator"
    assert {roles[a] for a in ("israel", "uae", "arab_islamic")} == {"stakeholder"}
    # only the two principals must agree
    assert {a.id for a in muscat.actors if a.veto} == {"us", "iran"}

    us, iran, israel = muscat.actor("us"), muscat.actor("iran"), muscat.actor("israel")
    # opposed demands: Iran at the nuclear-only end, the US at the full agenda
    for k in ("agenda", "missiles", "proxies", "human_rights"):
        assert iran.stances[k].position < us.stances[k].position
    assert iran.stances["sanctions"].position > us.stances["sanctions"].position
    # red lines: Iran keeps its infrastructure and will not talk missiles; the US needs them addressed
    assert iran.stances["enrichment"].red_line.max is not None
    assert iran.stances["missiles"].red_line.max is not None
    assert us.stances["missiles"].red_line.min is not None
    assert us.stances["enrichment"].red_line.min is not None
    assert any(st.red_line is not None for st in israel.stances.values())
    # the missile red lines do not overlap: no outcome satisfies both principals
    assert us.stances["missiles"].red_line.min > iran.stances["missiles"].red_line.max
    # coercion: force if talks collapse, a credible (better than status quo) threat
    assert us.outside_option.kind == "escalation"
    assert iran.outside_option is not None and iran.outside_option.value is not None
    # domestic pressure: Iran cares about human rights (sovereignty) more than the US does
    assert iran.stances["human_rights"].salience > us.stances["human_rights"].salience
    # uncertain judgement carries ranges for Monte Carlo
    assert us.capability_range and iran.capability_range
    assert us.stances["enrichment"].position_range and iran.stances["enrichment"].position_range
    required = {
        "us-drops-missiles-proxies",
        "oman-steps-back",
        "iran-unrest-intensifies",
        "us-buildup-stops",
    }
    assert required <= {v.id for v in muscat.variants}
    for v in muscat.variants:
        assert v.rationale and v.set
        # each states how it moves the forecast, except trust-rebuilt: trust moves no model's
        # outcome and no zone while the red lines do not overlap (its rationale says so;
        # tests/runs/test_dealspace.py checks what it does change)
        assert v.expect or v.id == "trust-rebuilt"


# -- the base forecast ------------------------------------------------------------------------------
def expected_status(sc: Scenario, outcome: dict[str, float]) -> str:
    """The rule of docs/outcome.md, recomputed from the scenario records (not from the arrays)."""

    def u(actor: Actor, y: dict[str, float]) -> float:
        total = sum(st.salience for st in actor.stances.values())
        loss = sum(
            st.salience * abs(y[k] - st.position) / (sc.issue(k).high - sc.issue(k).low)
            for k, st in actor.stances.items()
        )
        return 1.0 - loss / total

    sq = {i.id: i.status_quo for i in sc.issues}
    deciders = [a for a in sc.actors if a.veto] or [a for a in sc.actors if a.role == "principal"]
    accepts, threat = [], False
    for a in deciders:
        u_sq = u(a, sq)
        oo = a.outside_option
        outside = oo.value / 100 if oo is not None and oo.value is not None else u_sq
        inside = all(
            (st.red_line is None)
            or (
                (st.red_line.min is None or outcome[k] >= st.red_line.min - TOL)
                and (st.red_line.max is None or outcome[k] <= st.red_line.max + TOL)
            )
            for k, st in a.stances.items()
        )
        accepts.append(inside and u(a, outcome) >= outside - TOL)
        threat |= oo is not None and oo.kind == "escalation" and outside >= u_sq - TOL
    if all(accepts):
        return "agreement"
    return "escalation" if threat else "stalemate"


def test_base_forecast_is_sensible(muscat, base_fc) -> None:
    fc = base_fc
    issues = fc.arrays.issue_ids
    print(f"\nbase forecast, {muscat.id}")
    print(
        f"{'model':11s}" + "".join(f"{k:>13s}" for k in issues) + "  status      margin  blockers"
    )
    for name, mf in fc.models.items():
        row = "".join(f"{fc.outcome(name, k):13.1f}" for k in issues)
        blockers = ", ".join(f"{b['actor']}:{b.get('issue', b['kind'])}" for b in mf.blockers)
        print(f"{name:11s}{row}  {mf.status:10s} {mf.analysis.margin[0]:+.3f}  {blockers}")

    iran, us = muscat.actor("iran"), muscat.actor("us")
    for name, mf in fc.models.items():
        y = {k: fc.outcome(name, k) for k in issues}
        # the classification follows the rule, recomputed independently
        assert mf.status == expected_status(fc.scenario, y), name
        # every outcome lies on its scale and within the span of the actors' positions
        for k in issues:
            positions = [a.stances[k].position for a in muscat.actors if k in a.stances]
            assert min(positions) - TOL <= y[k] <= max(positions) + TOL, (name, k)
        # The missile red lines exclude each other, so no model can find a deal both accept; the
        # US threat of force is credible, so a breakdown is an escalation.
        assert mf.status == "escalation", name
        assert mf.analysis.threatens[0, fc.arrays.actor_ids.index("us")]

    # the weighted compromise crosses Iran's missile red line, so Iran blocks
    comp = fc.models["compromise"]
    assert fc.outcome("compromise", "missiles") > iran.stances["missiles"].red_line.max
    assert any(
        (b["actor"], b["kind"], b.get("issue"), b.get("bound"))
        == ("iran", "red_line", "missiles", "max")
        for b in comp.blockers
    )
    # ... and lands between the principals on every issue (the US pulls harder: more clout)
    for k in issues:
        lo, hi = sorted((iran.stances[k].position, us.stances[k].position))
        assert lo < fc.outcome("compromise", k) < hi, k
    assert fc.outcome("compromise", "missiles") > 50  # nearer the US (and Israel) than Iran
    # Nash bargaining between the two veto players, status quo as disagreement point: on the files
    # where the status quo is Iran's own position (agenda, missiles, human rights) Iran gains nothing
    # from moving, so the bargain stays there and the US red lines on agenda/missiles block instead.
    for k in ("agenda", "missiles", "human_rights"):
        assert fc.outcome("nash", k) == pytest.approx(muscat.issue(k).status_quo)
    nash_blockers = {(b["actor"], b.get("issue")) for b in fc.models["nash"].blockers}
    assert ("us", "missiles") in nash_blockers and not any(a == "iran" for a, _ in nash_blockers)
    # enrichment lands inside the zone both red lines leave open
    assert us.stances["enrichment"].red_line.min - TOL <= fc.outcome("nash", "enrichment")
    assert fc.outcome("nash", "enrichment") <= iran.stances["enrichment"].red_line.max + TOL


# -- variants ---------------------------------------------------------------------------------------
def measure(fc, model: str, key: str):
    """The quantity an ``expect`` key is about, for one model (single deterministic run)."""
    mf = fc.models[model]
    if key == "agreement":
        return float(mf.analysis.margin[0])
    if key == "escalation":
        # the classification first, then how many deciders hold a credible escalatory threat
        return (int(mf.analysis.status[0] == ESCALATION), int(mf.analysis.threatens[0].sum()))
    assert key.startswith("issues."), key
    return fc.outcome(model, key.split(".", 1)[1])


def _cmp(a, b) -> int:
    """-1, 0 or 1: how ``b`` compares with ``a`` (numbers with a tolerance, tuples exactly)."""
    if isinstance(a, tuple):
        return (b > a) - (b < a)
    return 0 if abs(b - a) <= 1e-9 else (1 if b > a else -1)


# Where a model cannot respond to a variant, and why. An unchanged output is accepted only here;
# a move against the stated direction always fails; the compromise model must always respond.
_NASH_SQ = (
    "Nash bargains only between the veto players with the status quo as disagreement point; the "
    "status quo on this issue is Iran's own position, so Iran's individual rationality pins the "
    "bargain there whatever the other inputs"
)
_NASH_US_LINE = (
    "the Nash margin is set by the US red lines on agenda and missiles (the bargain stays at the "
    "status quo there), which this variant does not touch"
)
_PIVOT = (
    "a weighted median is an actor's position; the variant shifts weights without moving the pivot "
    "(the US holds the median on the contested files, Iran on human rights, already at the scale's "
    "end), so the outcome - and with it the margin - stays put"
)
_PIVOT_OMAN = _PIVOT + "; Oman's weight is too small to be pivotal"
_PIVOT_AGENDA = _PIVOT + "; its margin is Iran's excess on the agenda, where the US is the pivot"
CANNOT_RESPOND: dict[tuple[str, str, str], str] = {
    ("us-drops-missiles-proxies", "nash", "issues.agenda"): _NASH_SQ,
    ("us-drops-missiles-proxies", "nash", "issues.missiles"): _NASH_SQ,
    ("oman-steps-back", "nash", "agreement"): "Oman is not a veto player, so Nash ignores it",
    ("oman-steps-back", "median", "agreement"): _PIVOT_OMAN,
    ("oman-steps-back", "condorcet", "agreement"): _PIVOT_OMAN,
    ("iran-unrest-intensifies", "nash", "agreement"): _NASH_US_LINE,
    ("iran-unrest-intensifies", "nash", "issues.agenda"): _NASH_SQ,
    ("iran-unrest-intensifies", "nash", "issues.human_rights"): _NASH_SQ,
    ("iran-unrest-intensifies", "median", "agreement"): _PIVOT_AGENDA,
    ("iran-unrest-intensifies", "condorcet", "agreement"): _PIVOT_AGENDA,
    ("iran-unrest-intensifies", "median", "issues.agenda"): _PIVOT,
    ("iran-unrest-intensifies", "condorcet", "issues.agenda"): _PIVOT,
    ("iran-unrest-intensifies", "median", "issues.human_rights"): _PIVOT,
    ("iran-unrest-intensifies", "condorcet", "issues.human_rights"): _PIVOT,
    ("us-buildup-stops", "median", "issues.enrichment"): _PIVOT,
    ("us-buildup-stops", "condorcet", "issues.enrichment"): _PIVOT,
    ("us-buildup-stops", "median", "issues.missiles"): _PIVOT,
    ("us-buildup-stops", "condorcet", "issues.missiles"): _PIVOT,
    ("us-buildup-stops", "nash", "issues.missiles"): _NASH_SQ,
    ("us-buildup-stops", "nash", "issues.enrichment"): (
        "the Nash bargain on enrichment sits on the US red line (min 30), a corner that a change "
        "in capability cannot move"
    ),
}


@pytest.mark.parametrize("variant_id", [v.id for v in load(MUSCAT).variants])
def test_variant_moves_the_forecast_as_its_rationale_says(muscat, base_fc, variant_id) -> None:
    variant = muscat.variant(variant_id)
    fc = forecast(muscat, ",".join(MODELS), variant=variant_id)
    wrong, unexplained = [], []
    print(f"\n{variant_id}:")
    for key, direction in variant.expect.items():
        want = 1 if direction == "up" else -1
        for model in MODELS:
            before, after = measure(base_fc, model, key), measure(fc, model, key)
            got = _cmp(before, after)
            print(f"  {key:22s} {model:10s} {before} -> {after}")
            if got == -want:
                wrong.append(
                    f"{model}: {key} went {'down' if got < 0 else 'up'} ({before} -> {after})"
                )
            elif got == 0 and (
                model == "compromise" or (variant_id, model, key) not in CANNOT_RESPOND
            ):
                unexplained.append(f"{model}: {key} unchanged ({before})")
    assert not wrong, f"{variant_id} moved against its rationale: " + "; ".join(wrong)
    assert not unexplained, f"{variant_id} left outputs unchanged without a reason: " + "; ".join(
        unexplained
    )


def test_dropping_the_missile_demand_opens_a_nuclear_deal(muscat) -> None:
    """With the US red lines on agenda and missiles gone, the two principals' red lines overlap on
    every issue, and the Nash bargain between them is a nuclear-only deal both accept."""
    fc = forecast(muscat, "nash", variant="us-drops-missiles-proxies")
    assert fc.models["nash"].status == "agreement"
    assert fc.models["nash"].analysis.margin[0] > 0
    assert fc.outcome("nash", "missiles") <= muscat.actor("iran").stances["missiles"].red_line.max


# -- the EC car-emissions example -------------------------------------------------------------------
def test_ec_matches_the_published_table(ec) -> None:
    with (DATA / "ec_car_emissions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(ec.actors) == len(rows) == 10
    (issue,) = ec.issues
    for row in rows:
        actor = ec.actor(row["Actor"].lower())
        assert actor.capability == pytest.approx(100 * float(row["Capability"]))
        st = actor.stances[issue.id]
        assert st.position == pytest.approx(float(row["Position"]))
        assert st.salience == pytest.approx(100 * float(row["Salience"]))
        # unanimity in the EC-10 Council (Article 100 EEC): every member state holds a veto
        assert actor.veto and actor.role == "principal"
    assert issue.low == 0 and issue.high == 12 and issue.low <= issue.status_quo <= issue.high
    titles = " ".join(s.title for s in ec.sources)
    assert "p.78" in titles and "Table 1" in titles and "23(4)" in titles


def test_ec_compromise_and_median_reproduce_the_reference(ec) -> None:
    fc = forecast(ec, "compromise,median")
    # Scholz replication output (../shared/reference/scholz/ec_car_emissions.expected_10rounds.txt,
    # before round 1): "Median position: 7.0", "Mean position: 7.38995568685"
    assert fc.outcome("compromise", "delay") == pytest.approx(7.38995568685, abs=1e-9)
    assert fc.outcome("median", "delay") == 7.0


# -- the Muscat scenario's dated versions -----------------------------------------------------------
#: the versions are forecasts as they could have been made at the time: nothing reported later
LAST_DAY = "2026-02-26"


def test_muscat_has_dated_versions_up_to_26_february(muscat) -> None:
    from accord.scenario.versions import versions

    vs = versions(muscat)
    assert len(vs) >= 4  # the scenario as written and at least three dated versions
    dates = [v.as_of for v in vs]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert str(dates[0]) == "2026-02-06" and str(dates[-1]) <= LAST_DAY
    assert all(v.title for v in vs[1:])
    # every version changes something, and says in the notes what and why
    for v in vs[1:]:
        assert v.update.set and v.update.notes, v.label
        for note in v.update.notes:
            assert f"{v.label} ({v.title}): {note}" in v.scenario.notes


@pytest.mark.parametrize("as_of", [u.as_of for u in load(MUSCAT).updates])
def test_every_muscat_version_validates_and_backs_every_number(muscat, as_of) -> None:
    from accord.scenario.versions import version_at

    sc = version_at(muscat, as_of).scenario
    assert sc.as_of == as_of
    assert check(sc) == []  # with every variant applied to this version
    sources = {s.id for s in sc.sources}
    missing, unknown = [], []
    for path, rec in records(sc):
        missing += [f"{path}.{f}" for f in uncovered(rec)]
        unknown += [f"{path}: {e.source}" for e in rec.evidence if e.source not in sources]
        assert all(e.note or e.gloss for e in rec.evidence), f"{path}: evidence without a note"
    assert not missing, "numbers without evidence: " + ", ".join(missing)
    assert not unknown, "evidence citing unknown sources: " + ", ".join(unknown)


def test_every_update_change_cites_a_dated_source_with_its_quote(muscat, seed_text) -> None:
    known = {s.id: s for s in muscat.sources}
    for up in muscat.updates:
        day = up.as_of.isoformat()
        for src in up.sources:
            known[src.id] = src
            # dated, no later than the version (and never after 26 February), and findable
            assert src.date is not None and src.date <= up.as_of, (day, src.id)
            assert str(src.date) <= LAST_DAY and src.url and src.title, (day, src.id)
        cited = {e.path for e in up.evidence}
        assert set(up.set) <= cited, f"{day}: changes without evidence: {set(up.set) - cited}"
        for e in up.evidence:
            assert e.source in known, (day, e.path, e.source)
            assert e.quote and e.note, f"{day} {e.path}: evidence needs its quote and a note"
            if known[e.source].language != "en":
                assert e.gloss, f"{day} {e.path}: a quote not in English needs a gloss"
            if e.source == "seed":
                assert e.quote in seed_text, f"{day} {e.path}: seed quote not verbatim"
        # each source of an update is cited by it
        assert {s.id for s in up.sources} <= {e.source for e in up.evidence}, day


def test_the_forecast_moves_with_the_versions(muscat) -> None:
    """The rising US outside option (40 -> 45 -> 50) makes escalation more likely version by version
    on the same draws; the missile red lines still never overlap at the point values."""
    from accord.scenario.versions import versions

    esc = []
    for v in versions(muscat):
        fc = forecast(muscat, "compromise", as_of=v.as_of, runs=400, seed=1)
        esc.append(fc.models["compromise"].probabilities["escalation"])
        us, iran = v.scenario.actor("us"), v.scenario.actor("iran")
        assert us.stances["missiles"].red_line.min > iran.stances["missiles"].red_line.max
        assert fc.record.scenario.as_of == v.as_of
        assert all(c.origin.startswith("update:") for c in fc.record.scenario.changes)
    assert esc == sorted(esc) and esc[-1] > esc[0]
