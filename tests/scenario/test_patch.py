"""What-if patches: dotted paths, command-line values, variants, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import ScenarioError, UnknownNameError
from accord.scenario import (
    PatchError,
    Scenario,
    apply_variant,
    load,
    parse_assignment,
    parse_value,
    with_changes,
)

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "toy.yaml"


@pytest.fixture(scope="module")
def toy() -> Scenario:
    return load(TOY)


def test_set_a_stance_field(toy: Scenario) -> None:
    alt = with_changes(toy, {"actors.up.stances.share.position": 30})
    assert alt.actor("up").stances["share"].position == 30
    assert toy.actor("up").stances["share"].position == 25  # the original is untouched
    assert toy.with_changes({"actors.up.stances.share.position": 30}) == alt


def test_issue_and_actor_fields(toy: Scenario) -> None:
    alt = with_changes(toy, {"issues.share.status_quo": 35, "actors.broker.capability": 5})
    assert alt.issue("share").status_quo == 35
    assert alt.actor("broker").capability == 5


UP = lambda sc: sc.actor("up")  # noqa: E731
SHARE = lambda sc: sc.actor("up").stances["share"]  # noqa: E731


@pytest.mark.parametrize(
    ("path", "text", "get", "expected"),
    [
        ("actors.broker.capability", "20", lambda sc: sc.actor("broker").capability, 20),
        ("actors.broker.veto", "true", lambda sc: sc.actor("broker").veto, True),
        ("actors.up.stances.share.red_line", "null", lambda sc: SHARE(sc).red_line, None),
        (
            "actors.up.stances.share.position_range",
            "[22, 30]",
            lambda sc: SHARE(sc).position_range,
            (22, 30),
        ),
        (
            "actors.up.name",
            "yes",
            lambda sc: UP(sc).name,
            "yes",
        ),  # text fields keep the text as typed
        ("actors.up.note", "42", lambda sc: UP(sc).note, "42"),
    ],
)
def test_command_line_values(toy: Scenario, path: str, text: str, get, expected: object) -> None:
    assert get(with_changes(toy, {path: text})) == expected


def test_parse_assignment_and_value() -> None:
    assert parse_assignment("actors.us.stances.missiles.position=20") == (
        "actors.us.stances.missiles.position",
        20,
    )
    assert parse_assignment(" a.b = {position: 5, salience: 6} ") == (
        "a.b",
        {"position": 5, "salience": 6},
    )
    assert (
        parse_value("2.5") == 2.5
        and parse_value("null") is None
        and parse_value("a: b: c") == "a: b: c"
    )
    with pytest.raises(PatchError, match="PATH=VALUE"):
        parse_assignment("actors.us.capability")


def test_red_line_created_when_missing(toy: Scenario) -> None:
    alt = with_changes(toy, {"actors.broker.stances.share.red_line.max": "60"})
    assert alt.actor("broker").stances["share"].red_line.max == 60


def test_item_by_index_and_scale_point(toy: Scenario) -> None:
    alt = with_changes(
        toy,
        {
            "actors.up.stances.share.evidence[0].note": "checked",
            "issues.share.scale.50": "half the flow",
        },
    )
    assert alt.actor("up").stances["share"].evidence[0].note == "checked"
    assert alt.issue("share").scale[50] == "half the flow"


def test_unknown_actor_lists_known_ids(toy: Scenario) -> None:
    with pytest.raises(PatchError) as err:
        with_changes(toy, {"actors.oman.capability": 3})
    assert "no item 'oman'" in err.value.message
    assert "up, down, broker" in err.value.hint
    assert err.value.key == "actors.oman.capability"


def test_unknown_field_suggests_one(toy: Scenario) -> None:
    with pytest.raises(PatchError) as err:
        with_changes(toy, {"actors.up.capabilty": 3})
    assert "did you mean `capability`" in err.value.hint


def test_stance_field_without_a_stance(toy: Scenario) -> None:
    data = toy.model_dump()  # a second issue, on which only 'up' takes a stance
    data["issues"].append(
        {"id": "fish", "name": "Fishing", "scale": {0: "a", 100: "b"}, "status_quo": 5}
    )
    data["actors"][0]["stances"]["fish"] = {"position": 5, "salience": 10}
    sc = Scenario.model_validate(data)
    with pytest.raises(PatchError) as err:
        with_changes(sc, {"actors.broker.stances.fish.position": 30})
    assert "has no stance on 'fish'" in err.value.message
    assert "{position: 50, salience: 40}" in err.value.hint
    alt = with_changes(sc, {"actors.broker.stances.fish": "{position: 30, salience: 20}"})
    assert alt.actor("broker").stances["fish"].position == 30


def test_stance_on_unknown_issue(toy: Scenario) -> None:
    with pytest.raises(PatchError, match="no issue 'fsh'") as err:
        with_changes(toy, {"actors.up.stances.fsh": {"position": 3, "salience": 4}})
    assert "known issues: share" in err.value.hint


def test_nothing_below_a_value(toy: Scenario) -> None:
    with pytest.raises(PatchError, match="single value"):
        with_changes(toy, {"actors.up.capability.low": 3})


def test_invalid_result_is_a_scenario_error(toy: Scenario) -> None:
    with pytest.raises(ScenarioError) as err:
        with_changes(
            toy,
            {
                "actors.up.stances.share.salience": "200",
                "actors.broker.stances.share.position": 150,
            },
        )
    got = {p.path for p in err.value.problems}
    assert got == {"actors.up.stances.share.salience", "actors.broker.stances.share.position"}
    assert all(p.line is None for p in err.value.problems)


def test_apply_variant(toy: Scenario) -> None:
    alt = apply_variant(toy, "drought")
    assert alt.actor("down").stances["share"].salience == 100
    with pytest.raises(UnknownNameError) as err:
        apply_variant(toy, "flood")
    assert "drought" in err.value.hint


def test_apply_variant_with_bad_path_names_the_variant(toy: Scenario) -> None:
    # model_copy skips validation, as a scenario built in code might
    bad = toy.variants[0].model_copy(update={"set": {"actors.nobody.capability": 1}})
    sc = toy.model_copy(update={"variants": [bad]})
    with pytest.raises(PatchError, match="variant 'drought'"):
        apply_variant(sc, "drought")


def test_null_removes_a_stance(toy: Scenario) -> None:
    alt = with_changes(toy, {"actors.broker.stances.share": "null"})
    assert "share" not in alt.actor("broker").stances


def test_a_what_if_moving_a_position_keeps_the_scenario_coherent():
    """--set actors.us.stances.missiles.position=20 (the issue's example) works on the built-in:
    the uncertainty range shifts with the value and the actor's own red line admits its new
    position; both adjustments are recorded as structured data (what moved, from what to what,
    because of which change), and the scenario's own notes are left alone."""
    from accord.scenario import load, whatif

    sc = load("us-iran-muscat-2026")
    before = sc.actor("us").stances["missiles"]
    assert before.red_line.min > 20 and not (min(before.position_range) <= 20)
    w = whatif(sc, {"actors.us.stances.missiles.position": "20"})
    alt = w.scenario
    st = alt.actor("us").stances["missiles"]
    assert st.position == 20
    width = max(before.position_range) - min(before.position_range)
    assert min(st.position_range) <= 20 <= max(st.position_range)
    assert max(st.position_range) - min(st.position_range) == pytest.approx(width)
    assert st.red_line.min == 20
    assert alt.notes == sc.notes
    assert [c.model_dump() for c in w.changes] == [
        {"path": "actors.us.stances.missiles.position", "value": 20, "origin": "set"}
    ]
    shifted, admitted = w.adjustments
    assert shifted.path == "actors.us.stances.missiles.position_range"
    assert shifted.old == list(before.position_range) and shifted.new == list(st.position_range)
    assert shifted.reason == "range_follows_value"
    assert admitted.path == "actors.us.stances.missiles.red_line.min"
    assert (admitted.old, admitted.new) == (before.red_line.min, 20)
    assert admitted.because == "actors.us.stances.missiles.position"
    assert "moved from 25 to 20" in admitted.text()
    # a move inside the range changes nothing else
    same = whatif(sc, {"actors.us.stances.missiles.position": 70})
    assert same.adjustments == ()
    assert same.scenario.actor("us").stances["missiles"].position_range == before.position_range


def test_fields_set_by_the_change_itself_are_left_as_given():
    from accord.errors import ScenarioError
    from accord.scenario import load

    sc = load("us-iran-muscat-2026")
    with pytest.raises(ScenarioError, match="position_range"):
        with_changes(
            sc,
            {
                "actors.us.stances.missiles.position": 20,
                "actors.us.stances.missiles.position_range": [60, 90],
            },
        )


@pytest.mark.parametrize(
    ("path", "value", "range_path"),
    [
        ("actors.us.capability", 50, "capability_range"),
        ("actors.us.outside_option.value", 90, "value_range"),
        ("actors.iran.stances.missiles.red_line.max", 35, "max_range"),
        ("actors.us.stances.missiles.salience", 20, "salience_range"),
    ],
)
def test_ranges_follow_every_moved_number(path, value, range_path):
    from accord.scenario import load

    sc = load("us-iran-muscat-2026")
    from accord.scenario import whatif

    w = whatif(sc, {path: value})
    holder = w.scenario.model_dump()
    parts = path.split(".")
    for key in parts[:-1]:
        holder = (
            next(x for x in holder if x["id"] == key) if isinstance(holder, list) else holder[key]
        )
    lo, hi = holder[range_path]
    assert holder[parts[-1]] == value and lo <= value <= hi
    assert any(a.path.endswith(range_path) and a.because == path for a in w.adjustments)


@pytest.mark.parametrize(
    "extra",
    [{"actors.us.id": "usa"}, {"actors.us.stances.missiles": None}],
)
def test_following_survives_changes_that_remove_what_it_follows(extra):
    """Moving a position together with renaming the actor or removing the stance: no crash;
    whatever is incoherent is reported as a validation problem."""
    from accord.errors import AccordError
    from accord.scenario import load

    sc = load("us-iran-muscat-2026")
    try:
        with_changes(sc, {"actors.us.stances.missiles.position": 20, **extra})
    except AccordError:
        pass  # a clear, located error is fine; a KeyError or StopIteration is not
