"""Case files: the built-in cases, a user's own case file through `accord validate`, round trips
and located problems."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from accord.errors import ScenarioError
from accord.scenario.case import (
    builtin_case_ids,
    check_case_file,
    dump_case,
    is_case_file,
    load_case,
)

USER_CASE = textwrap.dedent(
    """\
    id: fishing-quota-2019
    title: A fishing-quota negotiation (a user's own case)
    group: fisheries
    tags: {procedure: CNS}
    scenario:
      id: fishing-quota
      title: Fishing quota
      sources:
        - {id: minutes, title: Council minutes}
      issues:
        - id: quota
          name: Total allowable catch cut (%)
          scale: {0: no cut, 100: fishery closed}
          status_quo: 0
      actors:
        - id: north
          name: North
          capability: 30
          stances: {quota: {position: 40, salience: 80}}
        - id: south
          name: South
          capability: 20
          stances: {quota: {position: 10, salience: 60}}
    outcome:
      agreement: true
      date: 2019-12-17
      issues:
        quota:
          value: 22
          evidence: [{source: minutes, note: the cut agreed}]
    """
)


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "accord", *args], capture_output=True, text=True, timeout=120
    )


def test_builtin_cases_load_with_their_scenarios():
    assert builtin_case_ids() == ["ec-car-emissions", "us-iran-muscat-2026"]
    ec, muscat = (load_case(c) for c in builtin_case_ids())
    assert ec.scenario.id == "ec-car-emissions" and ec.outcome.reached is True
    assert ec.outcome.value("delay") is None  # not verified, so not invented
    assert muscat.outcome.reached is False and muscat.outcome.status == "escalation"
    assert all(v.value is None for v in muscat.outcome.issues.values())
    for case in (ec, muscat):
        cited = {e.source for e in case.outcome.evidence}
        assert cited and cited <= {s.id for s in case.sources} | {
            s.id for s in case.scenario.sources
        }
        assert all(s.url for s in case.sources)


def test_a_users_case_file_validates_and_round_trips(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_CASE, encoding="utf-8")
    assert is_case_file(path) and not is_case_file(tmp_path / "nope.yaml")
    done = run_cli("validate", str(path))
    assert done.returncode == 0, done.stderr
    assert "valid case file" in done.stdout
    case = load_case(path)
    assert case.outcome.value("quota") == 22 and case.group_id == "fisheries"
    again = tmp_path / "again.yaml"
    again.write_text(dump_case(case), encoding="utf-8")
    assert run_cli("validate", str(again)).returncode == 0
    assert load_case(again) == case


def test_a_case_can_name_its_scenario_by_path(tmp_path):
    (tmp_path / "sc").mkdir()
    (tmp_path / "sc" / "toy.yaml").write_text(
        textwrap.dedent(
            """\
            id: toy
            title: Toy
            issues: [{id: x, name: X, scale: {0: a, 100: b}, status_quo: 50}]
            actors:
              - {id: a, name: A, capability: 1, stances: {x: {position: 20, salience: 50}}}
              - {id: b, name: B, capability: 1, stances: {x: {position: 80, salience: 50}}}
            """
        )
    )
    path = tmp_path / "case.yaml"
    path.write_text("id: c\nscenario: sc/toy.yaml\noutcome: {issues: {x: {value: 55}}}\n")
    case = load_case(path)
    assert case.scenario.id == "toy" and case.outcome.reached is None
    assert load_case(tmp_path / "case.yaml") == case


def test_problems_come_with_file_line_and_path(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            id: bad
            scenario: ec-car-emissions
            outcome:
              agreement: true
              status: stalemate
              issues:
                delai: {value: 5}
                delay:
                  value: 40
                  evidence: [{source: nowhere}]
            """
        )
    )
    problems = check_case_file(path)
    where = {(p.line, p.path): p.message for p in problems}
    assert (5, "outcome.status") in where and "contradicts" in where[(5, "outcome.status")]
    assert (7, "outcome.issues.delai") in where
    assert "off the issue's scale" in where[(9, "outcome.issues.delay.value")]
    assert "unknown source" in where[(10, "outcome.issues.delay.evidence[0].source")]
    done = run_cli("validate", str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}:7:5" in done.stderr


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("id: x\nscenario: no-such-scenario\noutcome: {agreement: true}\n", "no built-in scenario"),
        ("id: x\nscenario: ec-car-emissions\noutcome: {}\n", "neither"),
        ("id: x\nscenario: ec-car-emissions\noutcome: {agreement: maybe}\n", "boolean"),
        (
            "id: x\nscenario: {id: s, title: t, issues: [], actors: []}\noutcome: {agreement: true}\n",
            "scenario",
        ),
        (
            "id: x\nscenario: ec-car-emissions\noutcome: {agreement: true}\nextra: 1\n",
            "unknown key",
        ),
    ],
)
def test_broken_case_files_are_refused(tmp_path, text, found):
    path = tmp_path / "case.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=found):
        load_case(path)
