"""Every public API function rejects each wrong argument type with the project's error.

The walk takes each function with arguments that work, then replaces one argument at a time by
values of every kind (None, a bool, a negative or fractional or huge number, NaN, text, bytes, a
list, a mapping, a bare object). A value the parameter's annotation does not admit must raise an
:class:`~accord.errors.AccordError`; one it admits may work or raise an AccordError — nothing may
raise anything else (a TypeError, a KeyError, a ValueError...).
"""

from __future__ import annotations

import collections.abc as cabc
import inspect
import math
import os
import types
import typing
from pathlib import Path

import numpy as np
import pytest

import accord
from accord.errors import AccordError
from accord.models import MODELS
from accord.scenario import check_file, check_mapping

ROOT = Path(__file__).resolve().parents[1]
TOY = ROOT / "tests" / "fixtures" / "valid" / "toy.yaml"

WRONG = {
    "None": None,
    "True": True,
    "-1": -1,
    "1.5": 1.5,
    "nan": math.nan,
    "huge": 10**400,
    "text": "x",
    "bytes": b"x",
    "list": [],
    "dict": {},
    "object": object(),
    "function": len,
}


def admits(annotation, value) -> bool:
    """Whether ``value`` is of a type ``annotation`` names (bools are not numbers here)."""
    if annotation in (inspect.Parameter.empty, typing.Any):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:  # StrictStr and the like: the type is the first argument
        return admits(typing.get_args(annotation)[0], value)
    if origin in (typing.Union, types.UnionType):
        return any(admits(a, value) for a in typing.get_args(annotation))
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    if annotation is type(None):
        return value is None
    if annotation in (int, float):
        ok = isinstance(value, (int, float) if annotation is float else int)
        return ok and not isinstance(value, bool)
    if origin in (cabc.Callable,) or annotation is cabc.Callable:
        return callable(value)
    if origin is not None:
        annotation = origin
    if annotation in (cabc.Sequence, list, tuple) and isinstance(value, (str, bytes)):
        return False
    try:
        return isinstance(value, annotation)
    except TypeError:
        return True  # an annotation this walk cannot check: anything may pass


def hints_for(func) -> dict:
    """``func``'s type hints, with the names its module exports lazily (PEP 562) resolved."""
    import sys

    module = sys.modules[func.__module__]
    lazy = {n: getattr(module, n) for n in getattr(module, "__all__", ())}
    return typing.get_type_hints(func, localns=lazy)


def walk(func, base: dict, hints_of=None, skip=()):
    """Call ``func(**base)`` with each parameter replaced by each wrong value; return failures."""
    hints = hints_for(hints_of or func)
    failures = []
    for name in base:
        if name in skip:
            continue
        for label, value in WRONG.items():
            kwargs = {**base, name: value}
            try:
                func(**kwargs)
            except AccordError:
                continue
            except Exception as exc:  # noqa: BLE001 - what the walk is looking for
                failures.append(f"{name}={label}: {type(exc).__name__}: {exc}"[:200])
                continue
            if not admits(hints.get(name, inspect.Parameter.empty), value):
                failures.append(f"{name}={label}: accepted silently")
    return failures


@pytest.fixture(scope="module")
def sc():
    return accord.load(str(TOY))


def test_load(sc):
    assert walk(accord.load, {"source": str(TOY), "only": None, "max_bytes": None}) == []


def test_load_text():
    base = {"text": TOY.read_text(), "format": "yaml", "source": None, "max_bytes": None}
    assert walk(accord.load_text, base) == []


def test_check_file_and_mapping(sc):
    assert walk(check_file, {"path": str(TOY), "max_bytes": None}) == []
    assert walk(check_mapping, {"data": sc.model_dump(), "source": None}) == []


def test_forecast(sc):
    base = {
        "scenario": sc,
        "models": "compromise",
        "variant": None,
        "changes": None,
        "params": None,
        "runs": 1,
        "seed": 1,
        "uncertainty": None,
        "engine": "local",
        "workers": None,
        "address": None,
        "progress": None,
        "chunk_size": None,
    }
    assert walk(accord.forecast, base) == []
    assert walk(accord.forecast, {**base, "runs": 3}, skip=("scenario",)) == []


def test_compare(sc):
    base = {"scenario": sc, "variants": None, "models": "compromise", "runs": 2, "seed": 1}
    assert walk(accord.compare, base) == []


def test_sensitivity(sc):
    base = {
        "scenario": sc,
        "model": "compromise",
        "method": "morris",
        "output": "agreement",
        "inputs": ["actors.up.capability"],
        "bounds": None,
        "n": 2,
        "seed": 1,
        "params": None,
        "uncertainty": None,
        "conf_level": 0.95,
        "variant": None,
        "changes": None,
    }
    assert walk(accord.sensitivity, base) == []


def test_get_model_and_every_constructor_and_setting():
    assert walk(accord.get_model, {"name": "bdm"}) == []
    for name, cls in MODELS.items():
        assert walk(cls, {"settings": None}) == [], name
        for setting in cls.defaults:

            def build(value, cls=cls, setting=setting):
                return cls(**{setting: value})

            hints = {"value": cls.Settings.model_fields[setting].annotation}
            failures = []
            for label, value in WRONG.items():
                try:
                    build(value)
                except AccordError:
                    continue
                except Exception as exc:  # noqa: BLE001
                    failures.append(f"{label}: {type(exc).__name__}: {exc}"[:200])
                    continue
                if not admits(hints["value"], value):
                    failures.append(f"{label}: accepted silently")
            assert failures == [], f"{name}.{setting}"


def test_model_run_and_to_arrays(sc):
    arrays = accord.to_arrays(sc)
    for cls in MODELS.values():
        model = cls()
        base = {"arrays": arrays, "rng": 1, "known": {}}
        assert walk(model.run, base, hints_of=cls.run) == [], cls.name
    assert walk(accord.to_arrays, {"scenario": sc}) == []


def test_scenario_methods(sc):
    assert walk(sc.with_changes, {"changes": {"title": "x"}}, hints_of=type(sc).with_changes) == []
    for method, ident in (("actor", "up"), ("issue", "share"), ("variant", "drought")):
        func = getattr(sc, method)
        assert walk(func, {f"{method}_id": ident}, hints_of=getattr(type(sc), method)) == []


def test_result_methods(sc):
    fc = accord.forecast(sc, "compromise", runs=20, seed=1)
    assert walk(fc.outcome, {"model": "compromise", "issue": "share"}, type(fc).outcome) == []
    isf = fc.issues["share"]
    for method, arg, value in (("interval", "level", 0.8), ("quantile", "q", 0.5)):
        func = getattr(isf, method)
        assert walk(func, {arg: value}, getattr(type(isf), method)) == [], method
    assert walk(isf.histogram, {"bins": 20}, type(isf).histogram) == []
    cmp = accord.compare(sc, None, "compromise", runs=20, seed=1)
    for method, base in (
        ("issue_delta", {"column": "drought", "issue": "share"}),
        ("probability_delta", {"column": "drought", "status": "agreement"}),
        ("utility_delta", {"column": "drought", "actor": "up"}),
    ):
        mc = cmp.models["compromise"]
        assert walk(getattr(mc, method), base, getattr(type(mc), method)) == [], method
    assert (
        walk(cmp.expectations, {"model": "compromise", "column": "drought"}, type(cmp).expectations)
        == []
    )
    res = accord.sensitivity(
        sc, "compromise", method="morris", n=2, seed=1, inputs=["actors.up.capability"]
    )
    assert walk(res.effect, {"name": "actors.up.capability"}, type(res).effect) == []


def test_the_walk_finds_what_it_looks_for():
    """The walk itself: a function that raises a TypeError, or takes anything, is caught."""

    def bad(x: int = 1) -> None:
        if not isinstance(x, int):
            raise TypeError("not an int")

    def lax(x: int = 1) -> None:
        return None

    assert any("TypeError" in f for f in walk(bad, {"x": 1}))
    assert any("accepted silently" in f for f in walk(lax, {"x": 1}))
    assert admits(int | None, None) and not admits(int, True) and admits(os.PathLike | str, "a")
    assert not admits(list[str], "abc") and admits(np.random.Generator | int | None, 3)
