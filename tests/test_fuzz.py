"""Property tests: every input loads (and forecasts) or is refused with accord's own error, within
its time budget — for mutations of the built-in scenarios and the test fixtures in every format,
for arbitrary text and bytes, for random ``--set`` and ``--param`` values, and for scenarios
hypothesis builds from parts. The long seeded run is ``scripts/fuzz.py`` (results in
bench/results/fuzz.md); the cases here are the same kind (:mod:`accord.fuzz`), a few hundred.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord import fuzz
from accord.errors import AccordError
from accord.scenario import load_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = fuzz.corpus([ROOT / "tests" / "fixtures", ROOT / "tests" / "data"])
#: generous for a shared machine: this catches hangs, it does not measure speed (bench/ does)
BUDGET = 5.0
FUZZ = settings(
    deadline=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def passes(case: fuzz.Case, **kw) -> fuzz.Outcome:
    out = fuzz.check(case, budget=BUDGET, **kw)
    assert out.status in ("ok", "refused"), f"{case.describe()}: {out.detail}"
    assert not out.over_budget, f"{case.describe()}: {out.seconds:.2f} s of {out.budget:.2f}"
    return out


def test_the_corpus_has_every_file_format_and_valid_seeds():
    assert {f for f, items in SEEDS.items() if items} == set(fuzz.SUFFIX)
    assert all(any(valid for _, _, valid in SEEDS[f]) for f in fuzz.SUFFIX)


@pytest.mark.parametrize("fmt", list(fuzz.SUFFIX))
@FUZZ
@given(seed=st.integers(0, 2**32 - 1), index=st.integers(1, 10**6))
def test_mutated_files_load_or_are_refused(fmt, seed, index):
    passes(fuzz.make_case(seed, index, SEEDS, [fmt]))


@pytest.mark.parametrize("fmt", ["set", "param"])
@FUZZ
@given(seed=st.integers(0, 2**32 - 1), index=st.integers(1, 10**6))
def test_random_set_and_param_values(fmt, seed, index):
    passes(fuzz.make_case(seed, index, SEEDS, [fmt]))


@settings(deadline=None, max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_a_sample_through_the_cli(seed):
    """Exit 0 or 1, no control character on the terminal, strict JSON (see fuzz._cli)."""
    case = fuzz.make_case(seed, seed % 97 + 1, SEEDS, fuzz.FORMATS)
    passes(case, cli=True)


@FUZZ
@given(text=st.text(max_size=400), fmt=st.sampled_from(["yaml", "json", "csv"]))
def test_arbitrary_text(text, fmt):
    try:
        load_text(text, format=fmt)
    except AccordError:
        pass


@FUZZ
@given(data=st.binary(max_size=400), fmt=st.sampled_from(list(fuzz.SUFFIX)))
def test_arbitrary_bytes(data, fmt):
    case = fuzz.Case(0, 1, fmt, "bytes", data)
    passes(case)


# -- scenarios hypothesis builds -----------------------------------------------------------------

NUMBER = st.one_of(
    st.floats(min_value=0, max_value=100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([0, 1e15, 1e16, 1e308, 5e-324, -1e-320]),
)
SANE = st.floats(min_value=0, max_value=100)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12
) | st.sampled_from(fuzz.TEXT_TOKENS)


@st.composite
def scenarios(draw) -> dict:
    """Scenario data, mostly sane, with a wild number or text now and then."""
    wild = draw(st.booleans())
    num = NUMBER if wild else SANE
    n_i = draw(st.integers(1, 3))
    issues = [
        {
            "id": f"i{k}",
            "name": draw(TEXT),
            "scale": {0: draw(TEXT), 100: "b"},
            "status_quo": draw(num),
        }
        for k in range(n_i)
    ]
    actors = []
    for j in range(draw(st.integers(2, 7))):
        stances = {}
        for k in range(n_i):
            if draw(st.booleans()) or j < 2:
                st_ = {"position": draw(num), "salience": draw(num)}
                if draw(st.booleans()):
                    st_["red_line"] = {draw(st.sampled_from(["min", "max"])): draw(num)}
                stances[f"i{k}"] = st_
        actor = {
            "id": f"a{j}",
            "name": draw(TEXT),
            "capability": draw(num),
            "role": draw(st.sampled_from(["principal", "mediator", "stakeholder"])),
            "veto": draw(st.booleans()),
            "stances": stances,
        }
        if draw(st.booleans()):
            actor["outside_option"] = {
                "kind": draw(st.sampled_from(["status_quo", "walk_away", "escalation"])),
                "value": draw(num),
            }
        actors.append(actor)
    return {"id": "h", "title": draw(TEXT), "issues": issues, "actors": actors}


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios(), as_json=st.booleans())
def test_built_scenarios_load_and_forecast_or_are_refused(data, as_json):
    if as_json:
        raw = json.dumps(data).encode("utf-8")
        case = fuzz.Case(0, 4, "structured", "json", raw)  # index 4: a few draws too
    else:
        raw = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
        case = fuzz.Case(0, 4, "structured", "yaml", raw)
    passes(case)


@settings(deadline=None, max_examples=40)
@given(
    caps=st.lists(st.sampled_from([0.0, 1e-300, 5e-324, 1.0, 1e10, 1e15]), min_size=3, max_size=3)
)
def test_extreme_capabilities_never_give_nan(caps):
    """Capabilities at the edges of what is accepted: finite outcomes, strict JSON, or refusal."""
    text = (ROOT / "tests" / "fixtures" / "valid" / "toy.yaml").read_text()
    for old, new in zip(("capability: 60", "capability: 40", "capability: 20"), caps, strict=True):
        text = text.replace(old, f"capability: {new!r}")
    out = passes(fuzz.Case(0, 4, "structured", "yaml", text.encode()))
    assert out.status == "ok" or "capabilit" in out.detail or "finite" in out.detail
    assert not math.isnan(out.seconds)
