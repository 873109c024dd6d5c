"""The conformance check every bargaining model passes, in the spirit of scikit-learn's
``check_estimator``: run it on a model class you write, and it tells you (with an
``AssertionError`` naming the check) what breaks the contract.

>>> from accord.models.compromise import Compromise
>>> check_model(Compromise)  # doctest: +ELLIPSIS
[...'shapes', ...]

The checks, each on small random scenarios:

``settings``
    ``Settings`` is a pydantic model whose every field has a default; an unknown setting is a
    :class:`~accord.errors.ParameterError`; the result records the settings it ran with.
``shapes``, ``bounds``
    outcome ``(D, I)``, history ``(D, S, A, I)`` starting at the positions, series
    ``(D, S, I)``; outcomes and positions finite and within the span of the positions and the
    status quo.
``permutation``
    reordering the actors reorders the history and leaves the outcome alone (skipped for a
    stochastic model, whose random numbers are drawn per actor).
``determinism``, ``stochastic``
    the same seed gives the same run; a model that declares itself not stochastic gives the same
    run under any seed, one that does gives another run under some other seed.
``dynamic``
    a one-shot model (``dynamic = False``) has a single step; a dynamic one moves.
``unanimity``
    when everyone stands at one point, that point wins.
``batch``
    a single draw gives what the same draw gives inside a batch (skipped for a stochastic model,
    whose random numbers are drawn for the whole batch).
``missing stances``
    where an actor holds no stance (``has_stance`` False) the placeholders can be anything: random
    positions and saliences there change nothing; and moving the status quo of an issue that some
    actors hold no stance on (and with it the placeholders, as a scenario's conversion sets them)
    changes no other issue's outcome.
``non-default settings``
    every choice of every setting passes ``shapes``, ``bounds``, ``permutation`` and ``missing
    stances``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from accord.arrays import ScenarioArrays, from_table
from accord.errors import ParameterError
from accord.models.base import BargainingModel, Settings

_TOL = dict(rtol=1e-9, atol=1e-9)


def random_arrays(
    seed: int,
    draws: int = 3,
    actors: int = 5,
    issues: int = 2,
    *,
    missing: float = 0.0,
    veto: bool = False,
) -> ScenarioArrays:
    """Random arrays for checks: positions 0–100, saliences summing to ≤ 1, capabilities 1–100.

    With ``missing`` > 0 about that share of the (actor, issue) stances is left out (each issue
    keeps at least two actors that hold a stance on it, every actor at least one), and their
    placeholders are the status quo and salience 0, as :func:`accord.scenario.to_arrays` leaves
    them.
    """
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0, 100, (draws, actors, issues))
    sal = rng.uniform(0.1, 1.0, (draws, actors, issues)) / issues
    cap = rng.uniform(1, 100, (draws, actors))
    sq = rng.uniform(0, 100, issues)
    has = np.ones((actors, issues), dtype=bool)
    if missing > 0:
        has = rng.random((actors, issues)) >= missing
        for k in range(issues):  # at least two actors per issue
            if has[:, k].sum() < 2:
                has[rng.choice(actors, 2, replace=False), k] = True
        for a in range(actors):  # at least one issue per actor
            if not has[a].any():
                has[a, rng.integers(issues)] = True
        pos = np.where(has[None], pos, sq[None, None, :])
        sal = np.where(has[None], sal, 0.0)
    roles = ["principal", "principal"] + ["stakeholder"] * (actors - 2)
    return from_table(
        [f"a{k}" for k in range(actors)],
        cap,
        pos,
        sal,
        status_quo=sq,
        has_stance=has,
        veto=[veto and k < 2 for k in range(actors)],
        role=roles,
    )


def _settings_variants(cls: type[BargainingModel]) -> list[dict[str, Any]]:
    """One settings dict per non-default choice of every setting (one change at a time)."""
    out = []
    for key, choices in cls.choices.items():
        for value in choices:
            if value != cls.defaults[key]:
                out.append({key: value})
    return out


def _check_shapes(model: BargainingModel, arrays: ScenarioArrays, what: str) -> None:
    res = model.run(arrays, rng=0)
    d, a, i = arrays.position.shape
    assert res.outcome.shape == (d, i), f"{what}: outcome shape {res.outcome.shape} != {(d, i)}"
    assert res.history.ndim == 4 and res.history.shape[0] == d, f"{what}: history shape"
    assert res.history.shape[2:] == (a, i), f"{what}: history shape {res.history.shape}"
    np.testing.assert_allclose(
        res.history[:, 0], arrays.position, err_msg=f"{what}: history[:, 0] must be the positions"
    )
    for name, series in res.series.items():
        assert series.shape == (d, res.n_steps, i), f"{what}: series {name!r} shape"
    assert res.model == model.name, f"{what}: Result.model is {res.model!r}"
    assert res.params == model.params, f"{what}: Result.params must be the settings it ran with"


def _check_bounds(model: BargainingModel, arrays: ScenarioArrays, what: str) -> None:
    res = model.run(arrays, rng=0)
    assert np.all(np.isfinite(res.outcome)), f"{what}: non-finite outcome"
    # the span of the positions actors hold and the status quo
    pos = np.where(arrays.has_stance[None], arrays.position, np.nan)
    sq = np.broadcast_to(arrays.status_quo, (arrays.n_draws, 1, arrays.n_issues))
    pts = np.concatenate([pos, sq], axis=1)
    lo, hi = np.nanmin(pts, axis=1) - 1e-9, np.nanmax(pts, axis=1) + 1e-9
    assert np.all(res.outcome >= lo) and np.all(res.outcome <= hi), f"{what}: outcome out of span"
    held = np.broadcast_to(arrays.has_stance[None, None], res.history.shape)
    h = np.where(held, res.history, (lo[:, None, None, :] + hi[:, None, None, :]) / 2)
    assert np.all(h >= lo[:, None, None, :]) and np.all(h <= hi[:, None, None, :]), (
        f"{what}: a position left the span of the positions and the status quo"
    )


def _same(first, second, what: str) -> None:
    np.testing.assert_allclose(first.outcome, second.outcome, err_msg=what, **_TOL)


def _check_permutation(model: BargainingModel, seeds=(6, 7), what: str = "") -> None:
    """Reordering the actors reorders the history and leaves the outcome alone (skipped for a
    stochastic model, whose random numbers are drawn per actor)."""
    if model.stochastic:
        return
    for seed in seeds:
        arrays = random_arrays(seed, veto=seed % 2 == 1)
        order = np.random.default_rng(seed).permutation(arrays.n_actors)
        base = model.run(arrays, rng=0)
        perm = model.run(arrays.take_actors(order), rng=0)
        _same(perm, base, f"permutation: outcome changed when the actors were reordered {what}")
        np.testing.assert_allclose(
            perm.history, base.history[:, :, order], err_msg=f"permutation: history {what}", **_TOL
        )


def _check_missing_stances(model: BargainingModel, seeds=(20, 21, 22), what: str = "") -> None:
    """Placeholders of missing stances can be anything; and moving the status quo of an issue some
    actors hold no stance on (with the placeholders, as :func:`accord.scenario.to_arrays` sets
    them) moves no other issue's outcome."""
    for seed in seeds:
        arrays = random_arrays(seed, draws=3, actors=6, issues=3, missing=0.35, veto=seed % 2 == 1)
        base = model.run(arrays, rng=0)
        rng = np.random.default_rng(seed)
        shape = arrays.position.shape
        held = arrays.has_stance[None]
        filled = replace(
            arrays,
            position=np.where(held, arrays.position, rng.uniform(0, 100, shape)),
            salience=np.where(held, arrays.salience, rng.uniform(0, 1, shape)),
        )
        other = model.run(filled, rng=0)
        _same(other, base, f"missing stances: the outcome depends on a placeholder {what}")
        if other.history.shape != base.history.shape:
            raise AssertionError(
                f"missing stances: the number of steps depends on a placeholder {what}"
            )
        hist_held = np.broadcast_to(held[:, None], base.history.shape)
        np.testing.assert_allclose(
            np.where(hist_held, other.history, 0.0),
            np.where(hist_held, base.history, 0.0),
            err_msg=f"missing stances: a held position's history depends on a placeholder {what}",
            **_TOL,
        )
        for k in np.flatnonzero(~arrays.has_stance.all(axis=0)):
            sq = arrays.status_quo.copy()
            sq[k] = (
                arrays.low[k] if sq[k] > (arrays.low[k] + arrays.high[k]) / 2 else arrays.high[k]
            )
            # as a scenario does it: the placeholders are the status quo, so they move with it
            position = np.where(held, arrays.position, sq[None, None, :])
            moved = model.run(replace(arrays, status_quo=sq, position=position), rng=0)
            rest = [j for j in range(arrays.n_issues) if j != k]
            np.testing.assert_allclose(
                moved.outcome[:, rest],
                base.outcome[:, rest],
                err_msg=f"missing stances: moving issue {k}'s status quo moved another issue {what}",
                **_TOL,
            )


def check_model(
    model_cls: type[BargainingModel], settings: dict[str, Any] | None = None
) -> list[str]:
    """Run every conformance check on ``model_cls`` (with ``settings``, default: its defaults);
    returns the names of the checks run, raises ``AssertionError`` on the first that fails."""
    done: list[str] = []
    settings = dict(settings or {})
    model = model_cls(**settings)

    # settings
    assert isinstance(model_cls.Settings, type) and issubclass(model_cls.Settings, Settings), (
        "Settings must subclass accord.models.base.Settings"
    )
    missing_default = [k for k, f in model_cls.Settings.model_fields.items() if f.is_required()]
    assert not missing_default, f"settings without a default: {missing_default}"
    try:
        model_cls(no_such_setting=1)
    except ParameterError:
        pass
    else:  # pragma: no cover - the base class always refuses it
        raise AssertionError("an unknown setting must raise ParameterError")
    done.append("settings")

    for seed in (1, 2):
        _check_shapes(model, random_arrays(seed), "shapes")
    done.append("shapes")
    for seed in (3, 4, 5):
        _check_bounds(model, random_arrays(seed), "bounds")
    done.append("bounds")

    _check_permutation(model)
    done.append("permutation")

    arrays = random_arrays(8, draws=6, actors=6)
    first, again = model.run(arrays, rng=42), model.run(arrays, rng=42)
    np.testing.assert_array_equal(first.outcome, again.outcome, "determinism: same seed")
    np.testing.assert_array_equal(first.history, again.history, "determinism: same seed")
    done.append("determinism")
    others = [model.run(arrays, rng=s) for s in range(43, 49)]
    differs = any(
        o.history.shape != first.history.shape
        or not np.array_equal(o.history, first.history)
        or not np.array_equal(o.outcome, first.outcome)
        for o in others
    )
    if model.stochastic:
        assert differs, "stochastic: declared stochastic, but every seed gives the same run"
    else:
        assert not differs, "stochastic: declared not stochastic, but the seed changes the run"
    done.append("stochastic")

    steps = [model.run(random_arrays(s, actors=6), rng=0).n_steps for s in (12, 13, 14)]
    if model_cls.dynamic:
        assert max(steps) > 1, "dynamic: declared dynamic, but no run took a step"
    else:
        assert steps == [1, 1, 1], f"dynamic: a one-shot model must have one step, got {steps}"
    done.append("dynamic")

    for value in (0.0, 37.5, 100.0):
        arrays = random_arrays(9)
        same = replace(arrays, position=np.full_like(arrays.position, value))
        out = model.run(same, rng=0).outcome
        np.testing.assert_allclose(out, value, atol=1e-6, err_msg="unanimity")
    done.append("unanimity")

    arrays = random_arrays(10, draws=4)
    batch = model.run(arrays, rng=0)
    for k in range(arrays.n_draws if not model.stochastic else 0):
        alone = model.run(arrays.take_draws(slice(k, k + 1)), rng=0)
        np.testing.assert_allclose(
            alone.outcome, batch.outcome[k : k + 1], err_msg="batch: one draw alone", **_TOL
        )
    done.append("batch")

    _check_missing_stances(model)
    done.append("missing stances")

    for variant in _settings_variants(model_cls):
        other = model_cls(**{**settings, **variant})
        what = f"non-default settings {variant}"
        _check_shapes(other, random_arrays(30), what)
        _check_bounds(other, random_arrays(31), what)
        _check_permutation(other, seeds=(32,), what=what)
        _check_missing_stances(other, seeds=(33,), what=what)
    done.append("non-default settings")
    return done


__all__ = ["check_model", "random_arrays"]
