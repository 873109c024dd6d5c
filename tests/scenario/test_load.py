"""Loading scenario files: formats, broken fixtures (path and line of each problem), refusals."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
import yaml

from accord.errors import AccordError, ScenarioError, UnknownNameError
from accord.scenario import (
    MAX_FILE_BYTES,
    Scenario,
    builtin_ids,
    check_file,
    load,
    load_text,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BROKEN = FIXTURES / "broken"
TOY = FIXTURES / "valid" / "toy.yaml"
DATA = Path(__file__).resolve().parents[1] / "data"


# -- the valid toy ----------------------------------------------------------------------------------
def test_toy_loads() -> None:
    sc = load(TOY)
    assert isinstance(sc, Scenario)
    assert sc.id == "toy-water-treaty"
    assert [a.id for a in sc.actors] == ["up", "down", "broker"]
    assert sc.issue("share").status_quo == 20
    assert sc.actor("up").stances["share"].red_line.max == 55
    assert sc.variant("drought").set == {"actors.down.stances.share.salience": 100}
    assert check_file(TOY) == []


def test_toy_as_json_loads(tmp_path: Path) -> None:
    data = yaml.safe_load(TOY.read_text(encoding="utf-8"))
    path = tmp_path / "toy.json"
    path.write_text(json.dumps(data, default=str, indent=2), encoding="utf-8")
    assert load(path) == load(TOY)


def test_str_path_and_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + TOY.read_bytes())
    assert load(str(path)).id == "toy-water-treaty"


# -- broken fixtures: one problem each, at the right place ------------------------------------------
# (file, path of the problem, line, a fragment of the message)
CASES = [
    ("syntax_error.yaml", "", 28, "YAML syntax error"),
    ("unknown_key.yaml", "actors.up.stances.share.salince", 25, "unknown key `salince`"),
    ("missing_field.yaml", "actors.down.capability", 30, "missing required field `capability`"),
    ("wrong_type.yaml", "actors.up.capability", 19, "must be a number"),
    ("salience_out_of_range.yaml", "actors.down.stances.share.salience", 39, "out of range"),
    ("nan.yaml", "actors.down.stances.share.position", 38, "finite number"),
    ("duplicate_id.yaml", "actors.up.id", 42, "duplicate actor id 'up'"),
    ("duplicate_key.yaml", "actors.down.stances.share.salience", 40, "duplicate key `salience`"),
    ("unknown_issue.yaml", "actors.broker.stances.shares", 48, "unknown issue 'shares'"),
    (
        "unknown_source.yaml",
        "actors.up.stances.share.evidence[0].source",
        29,
        "unknown source 's2'",
    ),
    (
        "red_line_excludes_position.yaml",
        "actors.up.stances.share.red_line",
        27,
        "excludes the actor's own position 25",
    ),
    (
        "red_line_reversed.yaml",
        "actors.down.stances.share.red_line",
        41,
        "min 40 is above its max 30",
    ),
    (
        "range_missing_value.yaml",
        "actors.up.stances.share.position_range",
        26,
        "does not contain the position 25",
    ),
    ("status_quo_off_scale.yaml", "issues.share.status_quo", 13, "outside the scale 0–100"),
    (
        "variant_bad_path.yaml",
        'variants.drought.set["actors.downstream.stances.share.salience"]',
        53,
        "no item 'downstream'",
    ),
    ("non_utf8.yaml", "", 31, "byte 0xE9"),
    ("alias_bomb.yaml", "", 5, "alias bomb"),
    ("tab_indent.yaml", "", 13, "YAML syntax error"),
    ("top_level_list.yaml", "", 2, "must be a mapping"),
    ("syntax_error.json", "", 4, "JSON syntax error"),
    ("wrong_type.json", "actors.down.stances.share.salience", 9, "must be a number"),
    ("bad_row.csv", "actors.luxembourg", 5, "row has 3 cells"),
    ("bad_value.csv", "actors.belgium.stances.issue.salience", 4, "must be a number"),
]


@pytest.mark.parametrize(("name", "path", "line", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_broken_fixture_names_its_problem(name: str, path: str, line: int, fragment: str) -> None:
    file = BROKEN / name
    problems = check_file(file)
    assert len(problems) == 1, "\n".join(map(str, problems))
    (p,) = problems
    assert p.path == path
    assert p.line == line
    assert p.column is not None
    assert fragment in p.message
    assert p.file == str(file)
    assert p.hint  # every problem says how to fix it
    with pytest.raises(ScenarioError) as err:
        load(file)
    assert err.value.problems == problems
    assert f"{file}:{line}:" in str(err.value)


def test_every_broken_fixture_is_covered() -> None:
    assert {p.name for p in BROKEN.iterdir()} <= {c[0] for c in CASES} | {"empty_scenario.yaml"}
    assert len(list(BROKEN.iterdir())) >= 14


def test_empty_scenario_reports_both_lists() -> None:
    problems = check_file(BROKEN / "empty_scenario.yaml")
    assert [(p.path, p.line) for p in problems] == [("issues", 4), ("actors", 5)]
    assert "no issues" in problems[0].message and "no actors" in problems[1].message


def test_syntax_error_column() -> None:
    (p,) = check_file(BROKEN / "syntax_error.json")
    assert (p.line, p.column) == (4, 3)


# -- refusals: size, alias bombs, recursion, encodings ----------------------------------------------
def test_fifty_megabyte_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    line = "# " + "x" * 97 + "\n"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("id: big\n")
        for _ in range(50 * 1024 * 1024 // len(line)):
            fh.write(line)
    assert big.stat().st_size >= 50 * 1024 * 1024 - 200
    (p,) = check_file(big)
    assert "limited to 10 MiB" in p.message
    assert "ACCORD_MAX_SCENARIO_MB" in p.hint


def test_size_limit_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "toy.yaml"
    path.write_bytes(TOY.read_bytes())
    size = path.stat().st_size
    assert "limited" in check_file(path, max_bytes=size - 1)[0].message
    assert check_file(path, max_bytes=size) == []
    monkeypatch.setenv("ACCORD_MAX_SCENARIO_MB", "0.0001")
    assert check_file(path)
    monkeypatch.setenv("ACCORD_MAX_SCENARIO_MB", "1")
    assert check_file(path) == []
    assert MAX_FILE_BYTES == 10 * 1024 * 1024


def test_alias_bomb_is_refused_before_expansion() -> None:
    with pytest.raises(ScenarioError) as err:
        load(BROKEN / "alias_bomb.yaml")
    (p,) = err.value.problems
    assert "aliases expand" in p.message


def test_a_few_aliases_are_fine() -> None:
    text = (
        TOY.read_text(encoding="utf-8")
        .replace(
            'outside_option: {kind: status_quo, note: "keeps building dams"}',
            'outside_option: &quo {kind: status_quo, note: "keeps building dams"}',
        )
        .replace("    kind: organisation\n", "    kind: organisation\n    outside_option: *quo\n")
    )
    sc = load_text(text)
    assert sc.actor("broker").outside_option == sc.actor("up").outside_option


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(ScenarioError, match="refers to itself"):
        load_text("id: x\nnotes: &n [*n]\n")


def test_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "u16.yaml"
    path.write_bytes(TOY.read_text(encoding="utf-8").encode("utf-16"))
    (p,) = check_file(path)
    assert "UTF-16" in p.message and "UTF-8" in p.hint


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("a: 1\n---\nb: 2\n", "single document", 2),
        ("a: !!python/object:os.system x\n", "constructor", 1),
        ("id: x\ntitle: \x00\n", "control characters", 2),
    ],
)
def test_yaml_refusals(text: str, fragment: str, line: int) -> None:
    with pytest.raises(ScenarioError) as err:
        load_text(text)
    (p,) = err.value.problems
    assert fragment in p.message and p.line == line


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing here\n", encoding="utf-8")
    (p,) = check_file(path)
    assert "empty" in p.message


# -- sources that are not files ---------------------------------------------------------------------
def test_missing_file_and_unknown_builtin() -> None:
    (p,) = check_file("no/such/scenario.yaml")
    assert "no such file" in p.message
    with pytest.raises(UnknownNameError) as err:
        load("no-such-builtin")
    assert "built-ins" in err.value.hint
    assert check_file("no-such-builtin")[0].message.startswith("no built-in scenario")


def test_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    assert "folder" in check_file(folder)[0].message


@pytest.mark.parametrize("ident", builtin_ids())
def test_builtins_are_valid(ident: str) -> None:
    assert check_file(ident) == []
    assert load(ident).id


# -- the plain CSV table ----------------------------------------------------------------------------
def test_plain_csv_ec_car_emissions() -> None:
    sc = load(DATA / "ec_car_emissions.csv")
    assert sc.id == "ec-car-emissions"
    (issue,) = sc.issues
    assert (issue.low, issue.high, issue.status_quo) == (0, 100, 50)
    nl = sc.actor("netherlands")
    assert nl.name == "Netherlands" and nl.capability == pytest.approx(0.08)
    # saliences were 0–1: read as 0–100
    assert nl.stances["issue"].salience == pytest.approx(80)
    assert nl.stances["issue"].position == 4
    assert len(sc.actors) == 10


def test_plain_csv_conventions(tmp_path: Path) -> None:
    path = tmp_path / "oil.csv"
    path.write_text(
        "# Oil prices, from a notebook\n"
        "# title: Oil price talks\n"
        "# issue: price\n"
        "# issue_name: Target oil price\n"
        "# status_quo: 14\n"
        "Salience,Actor,Position,Capability\n"  # any order, any case
        "40,Saudi Arabia,12,0.9\n"
        "\n"
        '85,"Iran, Islamic Republic",16,0.8\n',
        encoding="utf-8",
    )
    sc = load(path)
    assert sc.title == "Oil price talks"
    assert sc.issue("price").name == "Target oil price"
    assert sc.issue("price").status_quo == 14
    assert sc.actor("saudi-arabia").stances["price"].salience == 40  # > 1 somewhere: 0–100
    assert sc.actor("iran-islamic-republic").name == "Iran, Islamic Republic"


def test_plain_csv_scale_follows_positions_beyond_100(tmp_path: Path) -> None:
    path = tmp_path / "years.csv"
    path.write_text(
        "actor,capability,position,salience\nA,1,1990,0.5\nB,1,2020,0.5\n", encoding="utf-8"
    )
    issue = load(path).issues[0]
    assert (issue.low, issue.high, issue.status_quo) == (1990, 2020, 2005)
    path.write_text(
        "# scale: 1980 2030\n# salience_scale: 100\n" + path.read_text(), encoding="utf-8"
    )
    sc = load(path)
    assert (sc.issues[0].low, sc.issues[0].high) == (1980, 2030)
    assert sc.actor("a").stances["issue"].salience == 0.5


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("Netherlands,0.08,4,0.8\n", "no header", 1),
        ("actor,capability,position\nA,1,2\n", "missing column salience", 1),
        ("actor,capability,position,salience,colour\n", "unknown or repeated column `colour`", 1),
        (
            "# status-quo: 4\nactor,capability,position,salience\nA,1,2,3\nB,1,5,3\n",
            "unknown directive",
            1,
        ),
        ("actor,capability,position,salience\nA,1,2,3\nA,1,5,3\n", "duplicate actor id 'a'", 3),
        ("actor,capability,position,salience\nA,-1,2,3\nB,1,5,3\n", "out of range", 2),
        (
            "# scale: 100 0\nactor,capability,position,salience\nA,1,2,3\nB,1,5,3\n",
            "two increasing",
            1,
        ),
        ("", "empty", 1),
    ],
)
def test_plain_csv_problems(tmp_path: Path, text: str, fragment: str, line: int) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    problems = check_file(path)
    assert any(fragment in p.message and p.line == line for p in problems), problems


# -- KTAB dispatch (the readers live in accord.scenario.ktab) ---------------------------------------
def test_ktab_files_go_to_the_ktab_readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake(kind):
        def read(path):
            calls.append((kind, Path(path).name))
            return {
                "id": "k",
                "title": "KTAB",
                "issues": [
                    {"id": "d0", "name": "Dim 0", "scale": {0: "a", 100: "b"}, "status_quo": 50}
                ],
                "actors": [
                    {
                        "id": name,
                        "name": name.upper(),
                        "capability": 1,
                        "stances": {"d0": {"position": 3, "salience": 4}},
                    }
                    for name in ("x", "y")
                ],
            }

        return read

    module = types.ModuleType("accord.scenario.ktab")
    module.read_ktab_csv = fake("csv")
    module.read_ktab_xml = fake("xml")
    monkeypatch.setitem(sys.modules, "accord.scenario.ktab", module)
    csv_path = tmp_path / "k.csv"
    csv_path.write_text(
        "XYZ, XYZ Issue, 1, 1,\nActor, Description, Influence, P, S\nx, X, 1, 3, 4\n"
    )
    xml_path = tmp_path / "k.xml"
    xml_path.write_text("<Scenario/>")
    assert load(csv_path).id == "k"
    assert load(xml_path).id == "k"
    assert calls == [("csv", "k.csv"), ("xml", "k.xml")]


def test_ktab_reference_table_loads_or_says_why() -> None:
    path = (
        DATA.parent.parent.parent
        / "shared"
        / "reference"
        / "ktab"
        / "inputs"
        / "dummyData_3Dim.csv"
    )
    if not path.exists():
        pytest.skip("../shared/reference is not here")
    try:
        sc = load(path)
    except AccordError as exc:  # the KTAB reader is written separately; until then, a clear refusal
        assert "KTAB" in str(exc)
    else:
        assert len(sc.actors) == 7 and len(sc.issues) == 3


@pytest.mark.parametrize(("name", "path", "line", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_accord_validate_names_the_location_and_exits_1(
    name: str, path: str, line: int, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real command on each broken fixture: file:line:column and path, exit 1, no traceback."""
    from accord.cli import main

    file = BROKEN / name
    assert main(["validate", str(file)]) == 1
    captured = capsys.readouterr()
    text = " ".join(captured.err.split())  # undo the terminal's line wrapping
    assert f"{file}:{line}:" in text
    assert path in text and fragment in text
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.parametrize("value", ["inf", "1e400", "abc", "nan", "0", "-5"])
def test_a_bad_size_limit_in_the_environment_is_a_clear_error(monkeypatch, value):
    from accord.errors import AccordError

    monkeypatch.setenv("ACCORD_MAX_SCENARIO_MB", value)
    with pytest.raises(AccordError, match="ACCORD_MAX_SCENARIO_MB"):
        load(FIXTURES / "valid" / "toy.yaml")


def test_load_can_be_told_to_read_built_ins_only(tmp_path):
    """A name from a request goes to load(..., only="builtin"): no path of the server's can be
    read through it, however it is spelt."""
    import accord
    from accord.errors import AccordError, UnknownNameError

    assert accord.load("us-iran-muscat-2026", only="builtin").id == "us-iran-muscat-2026"
    secret = tmp_path / "secret.yaml"
    secret.write_text((DATA / "scenarios" / "two_issue.yaml").read_text())
    for name in (str(secret), "../../../etc/passwd", "us-iran-muscat-2026.yaml", "/etc/hosts", ""):
        with pytest.raises(UnknownNameError):
            accord.load(name, only="builtin")
    assert accord.load(secret, only="path").id == "test-two-issue"
    with pytest.raises(AccordError, match="not NoneType"):
        accord.load(None)
