"""Dated versions (``updates``): applied in date order through the what-if machinery, with their
sources, evidence and notes; validated with located messages; forecast with ``as_of``."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from accord.errors import ParameterError, ScenarioError
from accord.runs.forecast import forecast
from accord.scenario import check_mapping, load, load_text
from accord.scenario.versions import version_at, versions

ROOT = Path(__file__).resolve().parents[2]
TOY = yaml.safe_load((ROOT / "tests" / "fixtures" / "valid" / "toy.yaml").read_text())

UPDATES = [
    {
        "as_of": "2026-02-01",
        "title": "drought declared",
        "sources": [{"id": "s2", "title": "wire, 30 January", "date": "2026-01-30"}],
        "set": {
            "actors.down.stances.share.salience": 100,
            "actors.up.stances.share.position": 40,  # outside its range [20, 35]
        },
        "evidence": [
            {
                "path": "actors.down.stances.share.salience",
                "source": "s2",
                "quote": "the river is at its lowest in a century",
                "note": "why 100",
            },
            {"path": "actors.up.stances.share.position", "source": "s2", "note": "why 40"},
        ],
        "notes": ["downstream now cares above all"],
    },
    {
        "as_of": "2026-02-10",
        "sources": [{"id": "s3", "title": "court filing", "language": "fr", "date": "2026-02-09"}],
        "set": {"actors.down.outside_option.value": 20},
        "evidence": [
            {
                "path": "actors.down.outside_option.value",
                "source": "s3",
                "quote": "la cour se déclare incompétente",
                "gloss": "the court declares itself without jurisdiction",
            }
        ],
    },
]


def toy_with(updates) -> dict:
    data = copy.deepcopy(TOY)
    data["updates"] = copy.deepcopy(updates)
    return data


def scenario(updates=UPDATES):
    return load_text(yaml.safe_dump(toy_with(updates), sort_keys=False), format="yaml")


def test_versions_apply_the_updates_in_date_order_cumulatively() -> None:
    sc = scenario()
    vs = versions(sc)
    assert [v.label for v in vs] == ["2026-01-15", "2026-02-01", "2026-02-10"]
    base, first, second = (v.scenario for v in vs)
    assert base.actor("down").stances["share"].salience == 95
    assert first.actor("down").stances["share"].salience == 100
    assert second.actor("down").stances["share"].salience == 100  # kept by the later version
    assert second.actor("down").outside_option.value == 20
    assert [str(v.scenario.as_of) for v in vs] == [v.label for v in vs]
    assert all(v.scenario.updates == [] for v in vs)  # a version knows nothing of later news
    # sources join from their version on
    assert [s.id for s in first.sources] == ["s1", "s2"]
    assert [s.id for s in second.sources] == ["s1", "s2", "s3"]
    # the notes say what changed, led by the date and title
    assert first.notes[-1] == "2026-02-01 (drought declared): downstream now cares above all"


def test_updates_go_through_the_what_if_machinery() -> None:
    v = version_at(scenario(), "2026-02-10")
    changes = {c.path: (c.value, c.origin) for c in v.whatif.changes}
    assert changes == {
        "actors.down.stances.share.salience": (100, "update:2026-02-01"),
        "actors.up.stances.share.position": (40, "update:2026-02-01"),
        "actors.down.outside_option.value": (20, "update:2026-02-10"),
    }
    # the position left its range and the range followed it (recorded as an adjustment)
    (adj,) = v.whatif.adjustments
    assert adj.path == "actors.up.stances.share.position_range"
    assert adj.reason == "range_follows_value" and adj.new == [35.0, 50.0]
    assert v.scenario.actor("up").stances["share"].position_range == (35.0, 50.0)
    assert v.whatif.original.updates  # the way from the scenario as written


def test_update_evidence_joins_the_record_holding_the_number() -> None:
    v = version_at(scenario(), "2026-02-10").scenario
    down = v.actor("down")
    salience = [e for e in down.stances["share"].evidence if e.source == "s2"]
    assert [(e.quote, e.supports) for e in salience] == [
        ("the river is at its lowest in a century", ["salience"])
    ]
    (court,) = [e for e in down.outside_option.evidence if e.source == "s3"]
    assert court.supports == ["value"] and court.gloss.startswith("the court")
    up = v.actor("up").stances["share"]
    assert [e.supports for e in up.evidence if e.source == "s2"] == [["position"]]


def test_version_at_picks_the_version_in_force() -> None:
    sc = scenario()
    assert version_at(sc, "2026-01-15").as_of.isoformat() == "2026-01-15"
    assert version_at(sc, "2026-02-05").as_of.isoformat() == "2026-02-01"
    assert version_at(sc, "2030-01-01").as_of.isoformat() == "2026-02-10"
    with pytest.raises(ParameterError, match="starts on 2026-01-15") as exc:
        version_at(sc, "2026-01-01")
    assert "2026-02-10" in exc.value.hint and exc.value.field == "as_of"
    with pytest.raises(ParameterError, match="is not a date"):
        version_at(sc, "15 February")


def test_forecast_as_of_records_the_version_and_its_changes() -> None:
    sc = scenario()
    fc = forecast(sc, "compromise", as_of="2026-02-05", runs=50, seed=1)
    ref = fc.record.scenario
    assert str(ref.as_of) == "2026-02-01"
    assert {c.origin for c in ref.changes} == {"update:2026-02-01"}
    assert [a.path for a in ref.adjustments] == ["actors.up.stances.share.position_range"]
    # the same version given as a scenario forecasts the same numbers
    direct = forecast(version_at(sc, "2026-02-01").scenario, "compromise", runs=50, seed=1)
    assert direct.record.results == fc.record.results
    assert direct.record.scenario.effective_hash == ref.effective_hash
    # a variant applies on top of the version
    both = forecast(sc, "compromise", as_of="2026-02-05", variant="drought", seed=1)
    assert both.record.scenario.variant == "drought"
    assert {c.origin for c in both.record.scenario.changes} == {
        "update:2026-02-01",
        "variant:drought",
    }


def problems(updates) -> list:
    return check_mapping(toy_with(updates), source="toy.yaml")


def messages(updates) -> str:
    return "\n".join(f"{p.path}: {p.message}" for p in problems(updates))


def test_updates_out_of_order_or_before_the_scenario_are_refused() -> None:
    late_first = [dict(UPDATES[1]), dict(UPDATES[0])]
    text = messages(late_first)
    assert "updates[1].as_of: update 2026-02-01 is not later than the update before it" in text
    early = [dict(UPDATES[0], as_of="2026-01-10")]
    assert "is not later than the scenario's as_of (2026-01-15)" in messages(early)


def test_update_sources_and_evidence_are_checked() -> None:
    bad = copy.deepcopy(UPDATES)
    bad[0]["sources"].append({"id": "s1", "title": "again"})  # the scenario's own id
    bad[0]["sources"].append({"id": "s9", "title": "from the future", "date": "2026-03-01"})
    bad[1]["evidence"].append({"path": "actors.down.outside_option.value", "source": "nope"})
    text = messages(bad)
    assert "source id 's1' is already used" in text
    assert "source 's9' is dated 2026-03-01, after the version it belongs to" in text
    assert "update 2026-02-10: evidence cites unknown source 'nope'" in text
    nowhere = copy.deepcopy(UPDATES)
    nowhere[1]["evidence"].append({"path": "actors.down.nothing", "source": "s3"})
    text = messages(nowhere)
    assert "evidence path 'actors.down.nothing' leads nowhere in this version" in text


def test_updates_that_do_not_apply_or_break_the_scenario_are_located(tmp_path) -> None:
    bad = copy.deepcopy(UPDATES)
    bad[1]["set"] = {"actors.nobody.capability": 3}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(toy_with(bad), sort_keys=False), encoding="utf-8")
    from accord.scenario import check_file

    found = check_file(str(path))
    (p,) = [p for p in found if "nobody" in p.message]
    assert p.path == 'updates[1].set["actors.nobody.capability"]' and p.line is not None
    assert "known ids: up, down, broker" in p.hint
    invalid = copy.deepcopy(UPDATES)
    invalid[1]["set"] = {"actors.down.stances.share.red_line.min": 90}  # excludes its position
    text = messages(invalid)
    assert (
        "update 2026-02-10 makes the scenario invalid at actors.down.stances.share.red_line" in text
    )


def test_each_version_is_checked_with_every_variant() -> None:
    # after the update the drought variant's change breaks the scenario: that version is invalid
    bad = [
        {
            "as_of": "2026-02-01",
            "set": {"actors.down.stances.share.salience_range": [50, 60]},
            "evidence": [],
        }
    ]
    bad[0]["set"]["actors.down.stances.share.salience"] = 55
    text = messages(bad)
    assert "version 2026-02-01" in text and "variant 'drought'" in text


def test_a_scenario_without_updates_has_one_version() -> None:
    sc = load(str(ROOT / "tests" / "fixtures" / "valid" / "toy.yaml"))
    (only,) = versions(sc)
    assert only.scenario == sc and only.update is None
    assert version_at(sc, "2027-01-01").scenario == sc


def test_a_broken_update_file_is_a_scenario_error_on_loading(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    data = toy_with([dict(UPDATES[0], as_of="2026-01-01")])
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load(str(path))
    first, second = exc.value.problems  # the date, and the source dated after it
    assert first.file and first.line is not None and first.path == "updates[0].as_of"
    assert second.path == "updates[0].sources.s2.date" and second.line > first.line
