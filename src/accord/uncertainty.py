"""Sampling a scenario's uncertain inputs: many draws of positions, saliences, capabilities, red lines,
outside options and trust.

Every uncertain number is drawn from a **triangular distribution** on its range with the scenario's
value as the mode (``distribution="uniform"`` draws uniformly on the range instead). The range is the
one the scenario gives (``position_range``, ``salience_range``, ``capability_range``,
``outside_option.value_range``, ``red_line.min_range``/``max_range``, ``trust_range``); where it
gives none, a default spread around the value is used (:data:`DEFAULT_UNCERTAINTY`), and every
range is clipped to what the number can be (the issue's scale, 0–100 salience, capability ≥ 0,
0–100 outside-option value and trust). Only the red-line ends and trust values that are set vary,
and a red line (sampled or not) is widened where needed so that it never excludes the actor's own
sampled position. An outside option without a value (worth what
the status quo is worth) is not sampled itself; it moves with the sampled positions and saliences.
All draws are independent. The full rules are in ``docs/uncertainty.md``.

Sampling is split in two so that what-ifs can share their random numbers (common random numbers):
:func:`draw_noise` draws standard uniform variates, one per draw and uncertain number, and
:func:`apply_noise` turns them into values through each number's inverse CDF. Applying the same
noise to a variant that changes one value changes only that value in every draw.

>>> import numpy as np
>>> from accord.arrays import from_table
>>> base = from_table(["a", "b"], [1, 3], [20, 80], [0.5, 0.9])
>>> arr = sample(base, 1000, rng=1)
>>> arr.position.shape, bool(((arr.position >= 15) & (arr.position <= 85)).all())
((1000, 2, 1), True)
>>> bool((sample(base, 3, uncertainty="none").position == base.position).all())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

import numpy as np

from accord.arrays import ScenarioArrays
from accord.errors import ParameterError
from accord.scenario.convert import to_arrays
from accord.scenario.fields import UNCERTAIN, cells
from accord.scenario.types import Scenario

RngLike = np.random.Generator | int | None
DISTRIBUTIONS = ("triangular", "uniform")
#: the default spreads of :class:`Uncertainty`, one per kind of number (fields.UNCERTAIN's spread)
SPREADS = ("position", "salience", "capability", "red_line", "outside_value", "trust")


@dataclass(frozen=True)
class Uncertainty:
    """How wide the inputs vary where the scenario gives no range, and how values are drawn.

    Attributes
    ----------
    position
        ± percent of the issue's scale (its span high − low) around each position: 5 is ± 5
        points on a 0–100 scale and ± 0.6 on a 0–12 one.
    salience
        ± points (on 0–100) around each salience.
    capability
        ± fraction of each capability (0.1 = ±10%).
    red_line
        ± percent of the issue's scale around each end of a red line that is set.
    outside_value
        ± utility points (on 0–100) around an outside option's ``value``.
    trust
        ± points (on 0–100) around an actor's ``trust`` (where it is given).
    distribution
        ``"triangular"`` (mode at the scenario's value) or ``"uniform"`` on the range.
    ranges
        Use the ranges the scenario gives; ``False`` ignores them (with zero spreads: no
        uncertainty at all).
    """

    position: float = 5.0
    salience: float = 10.0
    capability: float = 0.10
    red_line: float = 5.0
    outside_value: float = 5.0
    trust: float = 10.0
    distribution: Literal["triangular", "uniform"] = "triangular"
    ranges: bool = True

    def __post_init__(self) -> None:
        for f in SPREADS:
            v = getattr(self, f)
            if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v) or v < 0:
                raise ParameterError(
                    f"uncertainty: {f}={v!r} must be a number >= 0",
                    hint="0 means no default spread",
                )
        if self.distribution not in DISTRIBUTIONS:
            raise ParameterError(
                f"uncertainty: distribution={self.distribution!r} is not one of {', '.join(DISTRIBUTIONS)}"
            )

    @property
    def is_none(self) -> bool:
        """True when nothing varies: every draw is the scenario itself."""
        return not self.ranges and all(getattr(self, f) == 0 for f in SPREADS)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: the documented default (docs/uncertainty.md)
DEFAULT_UNCERTAINTY = Uncertainty()
#: no uncertainty: every draw is an identical copy of the scenario
NO_UNCERTAINTY = Uncertainty(**dict.fromkeys(SPREADS, 0.0), ranges=False)


def resolve_uncertainty(spec: Uncertainty | str | Mapping[str, Any] | None) -> Uncertainty:
    """``"default"``/None, ``"none"``, ``"ranges"`` (the scenario's ranges only), a mapping of
    :class:`Uncertainty` fields, or an :class:`Uncertainty`."""
    if spec is None or spec == "default":
        return DEFAULT_UNCERTAINTY
    if isinstance(spec, Uncertainty):
        return spec
    if spec == "none":
        return NO_UNCERTAINTY
    if spec == "ranges":
        return Uncertainty(**dict.fromkeys(SPREADS, 0.0), ranges=True)
    if isinstance(spec, Mapping):
        known = {f.name for f in fields(Uncertainty)}
        unknown = set(spec) - known
        if unknown:
            raise ParameterError(
                f"uncertainty has no setting(s) {', '.join(sorted(unknown))}",
                hint="settings: " + ", ".join(sorted(known)),
            )
        return Uncertainty(**dict(spec))
    raise ParameterError(
        f"uncertainty={spec!r} is not understood",
        hint="use 'default', 'ranges', 'none', or a mapping such as {'position': 10}",
    )


# -- the range of every uncertain number ------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    """Mode and range of every uncertain number (no draws axis): the distribution to sample.

    One field per :data:`accord.scenario.fields.UNCERTAIN` entry, named after its
    :class:`~accord.arrays.ScenarioArrays` slot, each a ``(mode, lo, hi)`` triple of arrays in
    the arrays' units (salience and outside value on 0–1). ``outside_value`` has NaN where the
    outside option is the status quo's worth (not sampled).
    """

    position: tuple[np.ndarray, np.ndarray, np.ndarray]  # (A, I) each
    salience: tuple[np.ndarray, np.ndarray, np.ndarray]  # (A, I)
    capability: tuple[np.ndarray, np.ndarray, np.ndarray]  # (A,)
    red_low: tuple[np.ndarray, np.ndarray, np.ndarray]  # (A, I)
    red_high: tuple[np.ndarray, np.ndarray, np.ndarray]  # (A, I)
    outside_value: tuple[np.ndarray, np.ndarray, np.ndarray]  # (A,)
    trust: tuple[np.ndarray, np.ndarray, np.ndarray]  # (A,), NaN where not given
    distribution: str = "triangular"

    @property
    def shape(self) -> tuple[int, int]:
        return self.position[0].shape  # type: ignore[return-value]


def bounds(
    source: Scenario | ScenarioArrays, uncertainty: Uncertainty | str | Mapping | None = None
) -> Bounds:
    """The distribution of every uncertain number of ``source`` (a scenario or single-draw arrays).

    Arrays carry no ranges, so for them every number gets the default spread.
    """
    unc = resolve_uncertainty(uncertainty)
    if isinstance(source, Scenario):
        arrays = to_arrays(source)
        scenario: Scenario | None = source
    else:
        arrays, scenario = source, None
    if arrays.n_draws != 1:
        raise ParameterError("bounds() needs single-draw arrays (the scenario's point values)")
    has = arrays.has_stance
    low, high = arrays.low[None, :], arrays.high[None, :]
    span = high - low  # spreads on an issue's scale are a share of it, whatever its units

    out: dict[str, list[np.ndarray]] = {}
    for f in UNCERTAIN:
        mode = np.asarray(getattr(arrays, f.array)[0], dtype=float)
        spread = getattr(unc, f.spread)
        if f.spread_of == "scale":
            delta = spread / 100 * span
        elif f.spread_of == "points":
            delta = spread / f.divisor
        else:
            delta = spread * np.abs(mode)
        if f.per_issue:
            varies = has
            if f.array == "red_low":  # only the ends that are set (inside the scale) vary
                varies = has & (mode > low)
            elif f.array == "red_high":
                varies = has & (mode < high)
            delta = np.where(varies, delta, 0.0)
        if f.limits is None:
            lim_lo, lim_hi = low, high
        else:
            lim_lo, lim_hi = f.limits[0] / f.divisor, f.limits[1] / f.divisor
        out[f.array] = [mode, np.maximum(mode - delta, lim_lo), np.minimum(mode + delta, lim_hi)]

    if scenario is not None and unc.ranges:
        for f, a, k, actor, st in cells(scenario):
            rng = f.get(actor, st)[1]
            if rng is None:
                continue
            lim_lo, lim_hi = f.bounds(scenario.issues[k] if k is not None else None)
            idx = (a, k) if f.per_issue else (a,)
            out[f.array][1][idx] = max(min(rng), lim_lo) / f.divisor
            out[f.array][2][idx] = min(max(rng), lim_hi) / f.divisor
    if unc.is_none:
        out = {key: [t[0], t[0], t[0]] for key, t in out.items()}
    return Bounds(**{key: _ordered(t) for key, t in out.items()}, distribution=unc.distribution)


def _ordered(t):
    """Ensure lo <= mode <= hi (a value outside its own range is pulled into it)."""
    mode, lo, hi = (np.asarray(a, dtype=float) for a in t)
    lo2 = np.minimum(lo, hi)
    hi2 = np.maximum(lo, hi)
    return np.clip(mode, lo2, hi2), lo2, hi2


# -- noise and its transformation ---------------------------------------------------------


@dataclass(frozen=True)
class Noise:
    """Standard uniform variates (0–1), one per draw and uncertain number: the shared randomness."""

    position: np.ndarray  # (D, A, I)
    salience: np.ndarray  # (D, A, I)
    capability: np.ndarray  # (D, A)
    red_low: np.ndarray  # (D, A, I)
    red_high: np.ndarray  # (D, A, I)
    outside_value: np.ndarray  # (D, A)
    trust: np.ndarray  # (D, A)

    @property
    def n_draws(self) -> int:
        return self.position.shape[0]


def draw_noise(n_actors: int, n_issues: int, draws: int, rng: RngLike = None) -> Noise:
    """``draws`` rows of uniform variates for a scenario with that many actors and issues.

    The fields are drawn in a fixed order from ``rng``, so a seed fixes all of them (trust last,
    so the numbers drawn for the other fields do not depend on it).
    """
    if draws < 1:
        raise ParameterError(f"draws={draws!r} must be >= 1")
    g = np.random.default_rng(rng)
    ai, a = (draws, n_actors, n_issues), (draws, n_actors)
    return Noise(
        position=g.random(ai),
        salience=g.random(ai),
        capability=g.random(a),
        red_low=g.random(ai),
        red_high=g.random(ai),
        outside_value=g.random(a),
        trust=g.random(a),
    )


def _inverse_cdf(
    u: np.ndarray, triple: tuple[np.ndarray, np.ndarray, np.ndarray], dist: str
) -> np.ndarray:
    """Values for the uniform variates ``u`` (D, ...) under the (mode, lo, hi) distribution."""
    mode, lo, hi = triple
    width = hi - lo
    if dist == "uniform":
        return np.where(width > 0, lo + u * width, mode)
    # triangular: F(mode) = (mode − lo) / width; two square-root branches either side of the mode
    left, right = mode - lo, hi - mode
    with np.errstate(invalid="ignore", divide="ignore"):
        cut = np.where(width > 0, left / width, 0.0)
        x = np.where(
            u < cut,
            lo + np.sqrt(u * width * left),
            hi - np.sqrt((1.0 - u) * width * right),
        )
    return np.where(width > 0, x, mode)


def apply_noise(arrays: ScenarioArrays, bnds: Bounds, noise: Noise) -> ScenarioArrays:
    """The draws that ``noise`` gives for a scenario with point values ``arrays`` and ranges ``bnds``.

    Where a number has no spread (lo = hi) every draw is exactly the scenario's value.
    """
    if arrays.n_draws != 1:
        raise ParameterError("apply_noise() needs the single-draw arrays of the scenario")
    if bnds.shape != noise.position.shape[1:]:
        raise ParameterError(
            f"the noise is for {noise.position.shape[1:]} actors × issues, the scenario has {bnds.shape}",
            hint="common random numbers need the same actors and issues in every variant",
        )
    d = bnds.distribution
    position = _inverse_cdf(noise.position, bnds.position, d)
    salience = _inverse_cdf(noise.salience, bnds.salience, d)
    capability = _inverse_cdf(noise.capability, bnds.capability, d)
    red_low = _inverse_cdf(noise.red_low, bnds.red_low, d)
    red_high = _inverse_cdf(noise.red_high, bnds.red_high, d)
    # an actor always accepts its own position: no red line, sampled or fixed, crosses its
    # sampled position (ends that are not set sit at the scale's ends, which never do)
    red_low = np.minimum(red_low, position)
    red_high = np.maximum(red_high, position)
    outside = np.where(
        np.isnan(bnds.outside_value[0]),
        np.nan,
        _inverse_cdf(noise.outside_value, bnds.outside_value, d),
    )
    # trust that is not given (NaN) is never sampled: its mode and range stay NaN
    trust = _inverse_cdf(noise.trust, bnds.trust, d)
    return replace(
        arrays,
        trust=trust,
        position=position,
        salience=salience,
        capability=capability,
        red_low=red_low,
        red_high=red_high,
        outside_value=outside,
    )


def sample(
    source: Scenario | ScenarioArrays,
    draws: int,
    rng: RngLike = None,
    *,
    uncertainty: Uncertainty | str | Mapping[str, Any] | None = None,
) -> ScenarioArrays:
    """``draws`` samples of the scenario's uncertain inputs, as arrays with a leading draws axis.

    ``source`` is a scenario (its ranges are used) or single-draw arrays (default spreads only).
    ``uncertainty``: ``"default"`` (:data:`DEFAULT_UNCERTAINTY`), ``"ranges"``, ``"none"`` (``draws``
    identical copies), a mapping of :class:`Uncertainty` settings or an :class:`Uncertainty`.
    """
    arrays = to_arrays(source) if isinstance(source, Scenario) else source
    unc = resolve_uncertainty(uncertainty)
    if unc.is_none:
        return arrays.repeat(draws)
    noise = draw_noise(arrays.n_actors, arrays.n_issues, draws, rng)
    return apply_noise(arrays, bounds(source, unc), noise)


__all__ = [
    "DEFAULT_UNCERTAINTY",
    "NO_UNCERTAINTY",
    "Bounds",
    "Noise",
    "Uncertainty",
    "apply_noise",
    "bounds",
    "draw_noise",
    "resolve_uncertainty",
    "sample",
]
