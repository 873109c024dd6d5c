"""Validation: every rule, every problem at once, paths by id, lines where the file has them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.errors import ScenarioError
from accord.scenario import check, ensure_valid, load, load_text
from accord.scenario.validate import Locator, check_data, type_at

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "toy.yaml"


@pytest.fixture
def toy() -> dict[str, Any]:
    return yaml.safe_load(TOY.read_text(encoding="utf-8"))


def problems_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in check_data(data)[1]]


def paths(data: dict[str, Any]) -> list[str]:
    return [p for p, _ in problems_of(data)]


def actor(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(a for a in data["actors"] if a["id"] == ident)


def test_toy_is_valid(toy: dict[str, Any]) -> None:
    sc, problems = check_data(toy)
    assert problems == [] and sc is not None
    assert check(sc) == []
    assert ensure_valid(sc) is sc


def test_many_problems_reported_at_once() -> None:
    text = TOY.read_text(encoding="utf-8")
    for old, new in [
        ("    capability: 60\n", "    capability: -5\n"),  # type: out of range
        ("        salience: 95\n", "        salience: .inf\n"),  # type: not finite
        ("    role: mediator\n", "    role: referee\n"),  # type: not an allowed value
        ("red_line: {max: 55}", "red_line: {max: 15}"),  # meaning: excludes own position
        ("{source: s1,", "{source: s9,"),  # meaning: unknown source
        ("    status_quo: 20\n", "    status_quo: 120\n"),  # meaning: off the scale
    ]:
        assert old in text
        text = text.replace(old, new)
    with pytest.raises(ScenarioError) as err:
        load_text(text, source="many.yaml")
    got = {(p.path, p.line) for p in err.value.problems}
    assert got == {
        ("actors.up.capability", 18),
        ("actors.down.stances.share.salience", 38),
        ("actors.broker.role", 44),
        ("actors.up.stances.share.red_line", 26),
        ("actors.up.stances.share.evidence[0].source", 28),
        ("issues.share.status_quo", 12),
    }
    assert "6 problems found" in str(err.value)


def test_type_errors_of_every_record_in_one_pass(toy: dict[str, Any]) -> None:
    toy["actors"][0]["capability"] = "lots"
    toy["actors"][1]["stances"]["share"]["salience"] = 101
    toy["issues"][0]["status_quo"] = None
    toy["sources"][0]["date"] = "yesterday"
    toy["variants"][0].pop("rationale")
    assert set(paths(toy)) == {
        "actors.up.capability",
        "actors.down.stances.share.salience",
        "issues.share.status_quo",
        "sources.s1.date",
        "variants.drought.rationale",
    }


def test_semantic_checks_still_run_when_types_fail(toy: dict[str, Any]) -> None:
    toy["actors"][0]["capability"] = "lots"  # actor 'up' does not type
    actor(toy, "broker")["stances"]["shares"] = actor(toy, "broker")["stances"].pop("share")
    assert paths(toy) == ["actors.up.capability", "actors.broker.stances.shares"]


def test_unknown_key_hint_suggests_the_field(toy: dict[str, Any]) -> None:
    actor(toy, "up")["capabilty"] = actor(toy, "up").pop("capability")
    (p,) = check_data(toy)[1]
    assert p.path == "actors.up.capabilty"
    assert "did you mean `capability`" in p.hint


@pytest.mark.parametrize("kind", ["actors", "issues", "sources", "variants"])
def test_duplicate_ids(toy: dict[str, Any], kind: str) -> None:
    toy[kind].append(copy.deepcopy(toy[kind][0]))
    problems = [p for p in check_data(toy)[1] if "duplicate" in p.message]
    assert len(problems) == 1
    assert problems[0].path == f"{kind}.{toy[kind][0]['id']}.id"


def test_ids_must_not_break_paths(toy: dict[str, Any]) -> None:
    actor(toy, "broker")["id"] = "the.bank"
    (p,) = [p for p in check_data(toy)[1] if "contains a dot" in p.message]
    assert p.path == "actors[2].id"  # an id that cannot be a path segment shows as an index


def test_empty_and_stanceless(toy: dict[str, Any]) -> None:
    toy["variants"] = []  # the variant sets a stance: it would fail too
    for a in toy["actors"]:
        a["stances"] = {}
    assert problems_of(toy) == [("actors", "no actor has a stance on any issue")]
    toy["actors"] = []
    toy["issues"] = []
    assert paths(toy) == ["issues", "actors"]


def test_issue_nobody_takes_a_stance_on(toy: dict[str, Any]) -> None:
    toy["issues"].append(
        {"id": "fish", "name": "Fishing rights", "scale": {0: "a", 100: "b"}, "status_quo": 5}
    )
    assert problems_of(toy) == [("issues.fish", "no actor has a stance on issue 'fish'")]


def test_positions_and_red_lines_on_the_scale(toy: dict[str, Any]) -> None:
    st = actor(toy, "broker")["stances"]["share"]
    st["position"] = 120
    st["red_line"] = {"min": -10}
    got = paths(toy)
    assert "actors.broker.stances.share.position" in got
    assert "actors.broker.stances.share.red_line.min" in got


def test_red_lines(toy: dict[str, Any]) -> None:
    actor(toy, "down")["stances"]["share"]["red_line"] = {"min": 80}  # position is 70
    (p,) = check_data(toy)[1]
    assert p.path == "actors.down.stances.share.red_line"
    assert "[80, inf] excludes the actor's own position 70" in p.message


@pytest.mark.parametrize(
    ("where", "field", "value", "fragment"),
    [
        (("stances", "share"), "position_range", [35, 20], "reversed"),
        (("stances", "share"), "position_range", [30, 40], "does not contain the position 25"),
        (("stances", "share"), "position_range", [-5, 40], "goes beyond 0–100"),
        (("stances", "share"), "salience_range", [90, 100], "does not contain the salience 80"),
        ((), "capability_range", [70, 80], "does not contain the capability 60"),
        ((), "capability_range", [-1, 80], "goes beyond"),
    ],
)
def test_ranges(toy: dict[str, Any], where: tuple, field: str, value: list, fragment: str) -> None:
    rec = actor(toy, "up")
    for key in where:
        rec = rec[key]
    rec[field] = value
    (p,) = [p for p in check_data(toy)[1] if fragment in p.message]
    assert p.path == ".".join(("actors", "up", *where, field))


@pytest.mark.parametrize(
    ("red_line", "fragment"),
    [
        ({"max": 55, "max_range": [60, 70]}, "does not contain the red line maximum 55"),
        ({"max": 55, "max_range": [60, 50]}, "reversed"),
        ({"max": 55, "max_range": [50, 120]}, "goes beyond 0–100"),
        ({"max": 55, "min_range": [5, 10]}, "min_range given without a min"),
    ],
)
def test_red_line_ranges(toy: dict[str, Any], red_line: dict, fragment: str) -> None:
    actor(toy, "up")["stances"]["share"]["red_line"] = red_line
    (p,) = check_data(toy)[1]
    assert fragment in p.message
    assert p.path.startswith("actors.up.stances.share.red_line.m")


def test_outside_option_value_range(toy: dict[str, Any]) -> None:
    actor(toy, "down")["outside_option"]["value_range"] = [40, 50]  # value is 30
    assert paths(toy) == ["actors.down.outside_option.value_range"]


def test_evidence_supports_known_fields(toy: dict[str, Any]) -> None:
    actor(toy, "up")["stances"]["share"]["evidence"][0]["supports"] = ["postion"]
    (p,) = check_data(toy)[1]
    assert p.path == "actors.up.stances.share.evidence[0].supports[0]"
    assert "did you mean `position`" in p.hint


def test_variant_that_breaks_the_scenario(toy: dict[str, Any]) -> None:
    toy["variants"][0]["set"] = {"actors.down.stances.share.salience": 150}
    (p,) = check_data(toy)[1]
    assert p.path == 'variants.drought.set["actors.down.stances.share.salience"]'
    assert "variant 'drought' makes the scenario invalid" in p.message


def test_variant_expectation_on_unknown_issue(toy: dict[str, Any]) -> None:
    toy["variants"][0]["expect"] = {"issues.shares": "up", "agreement": "down"}
    (p,) = check_data(toy)[1]
    assert "unknown issue 'shares'" in p.message


def test_variant_problems_come_with_their_line() -> None:
    text = TOY.read_text(encoding="utf-8").replace(
        "salience: 100}", "salience: 100, actors.up.colour: red}"
    )
    with pytest.raises(ScenarioError) as err:
        load_text(text)
    (p,) = err.value.problems
    assert p.line == 52 and "has no field 'colour'" in p.message


def test_not_a_mapping_and_none() -> None:
    assert "empty" in check_data(None)[1][0].message
    assert "must be a mapping" in check_data([1, 2])[1][0].message


def test_locator_paths_and_lines() -> None:
    data = {"actors": [{"id": "us", "evidence": [{"source": "x"}]}, {"name": "no id"}]}
    where = Locator(data, {("actors", "0"): (3, 5)}, "f.yaml")
    assert where.path(("actors", 0, "evidence", 0, "source")) == "actors.us.evidence[0].source"
    assert where.path(("actors", 1, "capability")) == "actors[1].capability"
    p = where.problem(("actors", 0, "stances", "m", "salience"), "missing")
    assert (p.line, p.column, p.file) == (3, 5, "f.yaml")
    assert str(p).startswith("f.yaml:3:5 actors.us.stances.m.salience: missing")


def test_type_at() -> None:
    assert type_at(("actors", 0, "stances", "m", "salience")) is float
    assert type_at(("actors", 0, "nope")) is None


def test_scenario_object_check_has_paths_not_lines() -> None:
    sc = load(TOY)
    bad = sc.model_copy(update={"issues": [sc.issues[0].model_copy(update={"status_quo": 500})]})
    (p,) = check(bad)
    assert p.path == "issues.share.status_quo" and p.line is None
    with pytest.raises(ScenarioError):
        ensure_valid(bad)


def test_huge_scales_and_a_variant_called_base_are_refused(tmp_path):
    """Scale ends whose span overflows float arithmetic, and the reserved variant id 'base'."""
    from accord.scenario import check_file

    f = tmp_path / "big.yaml"
    f.write_text(
        "id: big\ntitle: big scale\nissues:\n"
        "  - {id: x, name: X, scale: {0: a, 1e308: b, -1e308: c}, status_quo: 0}\n"
        "actors:\n"
        "  - {id: a, name: A, capability: 1, stances: {x: {position: 1, salience: 50}}}\n"
        "  - {id: b, name: B, capability: 1, stances: {x: {position: 2, salience: 50}}}\n"
        "variants:\n  - {id: base, rationale: r, set: {actors.a.capability: 2}}\n",
        encoding="utf-8",
    )
    problems = {p.path: p for p in check_file(f)}
    assert set(problems) == {"issues.x.scale", "variants.base.id"}
    assert problems["issues.x.scale"].line == 4
    assert "reserved" in problems["variants.base.id"].message


def test_a_fifo_is_refused_instead_of_blocking(tmp_path):
    import os

    from accord.scenario import check_file

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (p,) = check_file(fifo)
    assert "not a regular file" in p.message


def test_a_single_actor_is_not_a_negotiation(tmp_path):
    from accord.scenario import check_file

    f = tmp_path / "one.yaml"
    f.write_text(
        "id: one\ntitle: one actor\nissues:\n  - {id: x, name: X, scale: {0: a, 100: b}, status_quo: 0}\n"
        "actors:\n  - {id: a, name: A, capability: 1, stances: {x: {position: 1, salience: 50}}}\n",
        encoding="utf-8",
    )
    (p,) = check_file(f)
    assert p.path == "actors" and "two actors" in p.message
