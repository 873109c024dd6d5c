"""Which inputs move the forecast: global sensitivity analysis with SALib (Sobol' or Morris).

A problem is a list of :class:`Factor` s, each a scenario input named by its dotted path (the same
paths ``--set`` uses) with the interval it is varied over, uniformly. The interval is the one the
Monte Carlo forecast samples from (:func:`accord.uncertainty.bounds`): the scenario's own range where
it gives one (``position_range``, ``salience_range``, ``capability_range``,
``outside_option.value_range``), else the default spread of :data:`accord.uncertainty.DEFAULT_UNCERTAINTY`
around the scenario's value (± 5 % of the issue's scale on positions, ± 10 of salience, ± 10 % of capability,
± 5 of an outside-option value, ± 5 % of the scale on a red line), clipped to what the number can be; bounds given
with ``PATH=[LO, HI]`` must lie within what it can be. A varied red-line end is widened to include
the actor's position, as in the forecast's sampler. Inputs that can
vary: ``actors.A.stances.I.position``, ``.salience``, ``.red_line.min``/``.max``,
``actors.A.capability`` and ``actors.A.outside_option.value``.

The default problem varies every actor's positions, saliences and capability, and the value of every
outside option the scenario sets.

Evaluation is vectorised: the SALib sample (``n_samples × factors``) becomes one
:class:`~accord.arrays.ScenarioArrays` with one draw per sample, each factor's column
written into its array slot, and the model runs once on all of them (in blocks of at most
:data:`CHUNK_CELLS` draws × actors³ × issues, to bound memory). The output per draw is

- ``agreement``: the continuous ``margin`` of :func:`accord.outcome.analyse` (the tightest
  decider's surplus over its outside option, negative by the red-line excess when one is crossed;
  ≥ 0 when every decider accepts, negative when one rejects). Agreement itself is 0/1, which variance-based indices
  handle poorly; the margin is smooth and crosses zero where the deal appears or vanishes.
- ``issue:ID``: the predicted outcome on that issue.

:func:`analyse_function` runs the same sampling and analysis on any vectorised function, so the
service is checked against SALib's Ishigami function with its known indices.

>>> import numpy as np
>>> prob = SensitivityProblem.of({"x1": (0, 1), "x2": (0, 1)})
>>> res = analyse_function(prob, lambda X: 3 * X[:, 0] + X[:, 1], method="morris", n=20, seed=0)
>>> [e.name for e in res.effects], round(res.effects[0].mu_star, 6)
(['x1', 'x2'], 3.0)
"""

from __future__ import annotations

import fnmatch
import math
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from accord._version import __version__
from accord.arrays import ScenarioArrays
from accord.checks import mapping, optional, real, text, texts
from accord.errors import AccordError, UnknownNameError
from accord.models.base import BargainingModel
from accord.numbers import shown
from accord.runs import records as rec
from accord.scenario.convert import to_arrays
from accord.scenario.fields import BY_KEY, SUPPORTED, UncertainField, cells, match
from accord.scenario.types import Scenario
from accord.uncertainty import Bounds, Uncertainty, resolve_uncertainty
from accord.uncertainty import bounds as uncertainty_bounds

Method = Literal["sobol", "morris"]
METHODS: tuple[str, ...] = ("sobol", "morris")

#: draws × actors³ × issues per model run, at most (memory bound: BDM and SMP hold voter × pair tables)
CHUNK_CELLS = 4_000_000

#: default base sample sizes: Sobol' N (a power of 2; N·(k + 2) model runs), Morris trajectories
DEFAULT_N = {"sobol": 256, "morris": 50}


# -- the problem -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    """One input varied uniformly over ``[low, high]``.

    ``base`` is the scenario's own value (``None`` where it has none, or for plain functions);
    ``origin`` says where the bounds came from: ``"scenario range"``, ``"default span"`` or
    ``"given"``.
    """

    name: str
    low: float
    high: float
    base: float | None = None
    origin: str = "given"


@dataclass(frozen=True)
class SensitivityProblem:
    """The inputs of a sensitivity analysis (a typed stand-in for SALib's ``problem`` dict)."""

    factors: tuple[Factor, ...]

    @classmethod
    def of(cls, bounds: Mapping[str, tuple[float, float]]) -> SensitivityProblem:
        """A problem from ``{name: (low, high)}``."""
        return cls(tuple(Factor(name, float(lo), float(hi)) for name, (lo, hi) in bounds.items()))

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.factors]

    def salib(self) -> dict[str, Any]:
        """SALib's problem dict."""
        return {
            "num_vars": len(self.factors),
            "names": self.names,
            "bounds": [[f.low, f.high] for f in self.factors],
        }

    def base_point(self) -> np.ndarray:
        """(k,) the base values, the interval's midpoint where a factor has none."""
        return np.array(
            [
                f.base if f.base is not None and math.isfinite(f.base) else (f.low + f.high) / 2
                for f in self.factors
            ]
        )

    def check(self) -> None:
        if not self.factors:
            raise AccordError(
                "nothing to vary: the sensitivity problem has no inputs",
                hint="name inputs to vary by their paths, e.g. actors.us.capability",
                field="input",
            )
        seen = set()
        for f in self.factors:
            if f.name in seen:
                raise AccordError(f"input {f.name!r} is listed twice", hint="name each input once")
            seen.add(f.name)
            if not (math.isfinite(f.low) and math.isfinite(f.high)) or f.high <= f.low:
                raise AccordError(
                    f"input {f.name!r}: the interval [{f.low}, {f.high}] is empty",
                    hint=f"give bounds with low < high, e.g. {f.name}=[10, 30]",
                    field="input",
                )


# -- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """One input's influence on the output.

    Sobol': ``s1`` (first order), ``st`` (total), each with the half-width of its confidence
    interval (``*_conf``). Morris: ``mu_star`` (mean absolute elementary effect, with ``mu_star_conf``),
    ``sigma`` (their spread: interactions or non-linearity) and ``mu`` (signed mean). Elementary
    effects are per unit of the *normalised* input, i.e. the change in the output when the input
    crosses its whole interval. ``swing_low``/``swing_high``: the output with this input at its low/high
    bound and every other input at its base value (one at a time, for a tornado chart).
    """

    name: str
    low: float
    high: float
    base: float | None = None
    origin: str = "given"
    s1: float | None = None
    s1_conf: float | None = None
    st: float | None = None
    st_conf: float | None = None
    mu_star: float | None = None
    mu_star_conf: float | None = None
    sigma: float | None = None
    mu: float | None = None
    swing_low: float | None = None
    swing_high: float | None = None

    @property
    def influence(self) -> float:
        """What inputs are ranked by: ST for Sobol', mu* for Morris."""
        value = self.st if self.st is not None else self.mu_star
        return float(value) if value is not None and math.isfinite(value) else 0.0

    def to_json(self) -> dict[str, Any]:
        return {k: _clean(v) for k, v in self.__dict__.items()}


@dataclass(frozen=True, repr=False)
class SensitivityResult:
    """A ranked sensitivity analysis (most influential input first)."""

    method: str
    output: str
    effects: tuple[Effect, ...]
    n: int
    evaluations: int
    seed: int
    base_output: float
    output_mean: float
    output_std: float
    conf_level: float = 0.95
    model: str | None = None
    scenario: str | None = None
    notes: tuple[str, ...] = ()
    record: Any = None  # the RunRecord, when run on a scenario (accord.runs.records)

    def ranking(self) -> list[str]:
        return [e.name for e in self.effects]

    def __repr__(self) -> str:
        top = ", ".join(e.name for e in self.effects[:3])
        more = f", … {len(self.effects) - 3} more" if len(self.effects) > 3 else ""
        return (
            f"SensitivityResult({self.method} of {self.output!r} under {self.model!r}: "
            f"{len(self.effects)} inputs, {self.evaluations:,} runs, seed {self.seed}; "
            f"most influential: {top}{more})"
        )

    def effect(self, name: str) -> Effect:
        for e in self.effects:
            if e.name == name:
                return e
        raise UnknownNameError(
            f"no input {name!r} in this analysis", hint="inputs: " + ", ".join(self.ranking())
        )

    def to_json(self) -> dict[str, Any]:
        """The run record as JSON data when the analysis ran on a scenario, else the analysis."""
        if self.record is not None:
            return self.record.to_json()
        return {
            "method": self.method,
            "output": self.output,
            "model": self.model,
            "scenario": self.scenario,
            "n": self.n,
            "evaluations": self.evaluations,
            "seed": self.seed,
            "conf_level": self.conf_level,
            "base_output": _clean(self.base_output),
            "output_mean": _clean(self.output_mean),
            "output_std": _clean(self.output_std),
            "notes": list(self.notes),
            "effects": [e.to_json() for e in self.effects],
        }


def _clean(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return v if math.isfinite(v) else None
    return v


# -- the generic engine ----------------------------------------------------------------------------


def _power_of_two(n: int) -> int:
    return 1 << max(int(n) - 1, 0).bit_length()


def planned_evaluations(method: str, n: int | None, k: int) -> int:
    """The model runs a sensitivity analysis of ``k`` inputs takes: the sample (Sobol': ``n``
    rounded up to a power of 2, times k + 2; Morris: ``n`` trajectories of k + 1 points) and the
    swings (each input at both ends, and the base point)."""
    n = DEFAULT_N.get(method, 256) if n is None else int(n)
    sample = _power_of_two(n) * (k + 2) if method == "sobol" else n * (k + 1)
    return sample + 2 * k + 1


def analyse_function(
    problem: SensitivityProblem,
    func: Callable[[np.ndarray], np.ndarray],
    method: Method = "sobol",
    n: int | None = None,
    seed: int | np.random.SeedSequence | None = None,
    *,
    conf_level: float = 0.95,
    num_resamples: int = 100,
    num_levels: int = 4,
    output: str = "y",
    swings: bool = True,
) -> SensitivityResult:
    """Sample ``problem`` with SALib, evaluate ``func`` on all samples at once, analyse.

    ``func`` maps an ``(n_samples, k)`` array of input values to ``(n_samples,)`` outputs. ``n`` is
    the base sample size: Sobol' draws ``n`` (rounded up to a power of 2) × (k + 2) points
    (Saltelli's scheme, first and total order), Morris ``n`` trajectories of k + 1 points. ``seed``
    fixes the sample, the bootstrap behind the confidence intervals and (through
    :func:`scenario_evaluator`) any model randomness; ``None`` draws fresh entropy, which is
    reported in the result so the run can be repeated.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if method not in METHODS:
        raise UnknownNameError(f"no sensitivity method {method!r}", hint="choose sobol or morris")
    problem.check()
    salib = problem.salib()
    k = len(problem.factors)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    sample_ss, analyse_ss = ss.spawn(2)
    notes: list[str] = []
    n = DEFAULT_N[method] if n is None else int(n)
    if n < 2:
        raise AccordError(
            f"sample size {n} is too small", hint="use a sample size of 64 or more", field="n"
        )
    if method == "sobol":
        if n != _power_of_two(n):
            notes.append(
                f"n={n} rounded up to {_power_of_two(n)} (Sobol' sequences need a power of 2)"
            )
            n = _power_of_two(n)
        X = sobol_sample.sample(
            salib, n, calc_second_order=False, seed=np.random.default_rng(sample_ss)
        )
    else:
        X = morris_sample.sample(
            salib, n, num_levels=num_levels, seed=np.random.default_rng(sample_ss)
        )

    Y = _evaluate(func, X)
    base_x = problem.base_point()
    if swings:
        # base, then each input at its low and at its high bound: 2k + 1 more evaluations
        lows = np.array([f.low for f in problem.factors])
        highs = np.array([f.high for f in problem.factors])
        oat = np.repeat(base_x[None], 2 * k + 1, axis=0)
        idx = np.arange(k)
        oat[1 + idx, idx] = lows
        oat[1 + k + idx, idx] = highs
        Yo = _evaluate(func, oat)
        base_y, sw_low, sw_high = float(Yo[0]), Yo[1 : 1 + k], Yo[1 + k :]
    else:
        base_y = float(_evaluate(func, base_x[None])[0])
        sw_low = sw_high = np.full(k, np.nan)

    stats: dict[str, np.ndarray] = {}
    # SALib's bootstrap tests `if seed:`, which would leave seed 0 unseeded: always pass a Generator
    rng = np.random.default_rng(analyse_ss)
    if np.ptp(Y) == 0:
        notes.append(
            "the output does not change over the sampled inputs: every index is 0 (inputs may be "
            "too narrow, or a varied red-line end may be widened to the actor's own position, "
            "which it never excludes)"
        )
        zeros = np.zeros(k)
        stats = {
            key: zeros
            for key in ("S1", "S1_conf", "ST", "ST_conf", "mu_star", "mu_star_conf", "sigma", "mu")
        }
    elif method == "sobol":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            Si = sobol_analyze.analyze(
                salib,
                Y,
                calc_second_order=False,
                num_resamples=num_resamples,
                conf_level=conf_level,
                print_to_console=False,
                seed=rng,
            )
        stats = {
            key: np.asarray(Si[key], dtype=float) for key in ("S1", "S1_conf", "ST", "ST_conf")
        }
    else:
        Si = morris_analyze.analyze(
            salib,
            X,
            Y,
            num_resamples=num_resamples,
            conf_level=conf_level,
            print_to_console=False,
            num_levels=num_levels,
            seed=rng,
        )
        stats = {
            key: np.asarray(Si[key], dtype=float)
            for key in ("mu_star", "mu_star_conf", "sigma", "mu")
        }

    def get(key: str, j: int) -> float | None:
        return float(stats[key][j]) if key in stats else None

    sobol = method == "sobol"
    effects = [
        Effect(
            name=f.name,
            low=f.low,
            high=f.high,
            base=f.base,
            origin=f.origin,
            s1=get("S1", j) if sobol else None,
            s1_conf=get("S1_conf", j) if sobol else None,
            st=get("ST", j) if sobol else None,
            st_conf=get("ST_conf", j) if sobol else None,
            mu_star=None if sobol else get("mu_star", j),
            mu_star_conf=None if sobol else get("mu_star_conf", j),
            sigma=None if sobol else get("sigma", j),
            mu=None if sobol else get("mu", j),
            swing_low=_clean(float(sw_low[j])),
            swing_high=_clean(float(sw_high[j])),
        )
        for j, f in enumerate(problem.factors)
    ]
    # most influential first; the name breaks ties so the order is reproducible
    effects.sort(key=lambda e: (-e.influence, e.name))
    return SensitivityResult(
        method=method,
        output=output,
        effects=tuple(effects),
        n=n,
        evaluations=int(X.shape[0]) + (2 * k + 1 if swings else 1),
        seed=int(ss.entropy),
        base_output=base_y,
        output_mean=float(Y.mean()),
        output_std=float(Y.std()),
        conf_level=conf_level,
        notes=tuple(notes),
    )


def _evaluate(func: Callable[[np.ndarray], np.ndarray], X: np.ndarray) -> np.ndarray:
    Y = np.asarray(func(X), dtype=float).reshape(-1)
    if Y.shape[0] != X.shape[0]:
        raise ValueError(f"the evaluator returned {Y.shape[0]} outputs for {X.shape[0]} samples")
    bad = ~np.isfinite(Y)
    if bad.any():
        raise AccordError(
            f"the output is not a finite number in {int(bad.sum())} of {Y.shape[0]} samples",
            hint="narrow the input bounds, or pick another output to explain",
            field="output",
        )
    return Y


# -- scenario inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """Where a factor goes in the arrays: the catalogue entry and the index (actor[, issue])."""

    field: UncertainField
    index: tuple[int, ...]

    @property
    def array(self) -> str:
        return self.field.array


def default_inputs(scenario: Scenario) -> list[str]:
    """Every actor's stance positions and saliences (issue by issue), its capability, and its
    outside-option value where one is set."""
    wanted = ("position", "salience", "capability", "outside_option.value")
    found = {
        f.path(actor.id, scenario.issues[k].id if k is not None else None)
        for f, _, k, actor, _ in cells(scenario)
        if f.key in wanted
    }
    paths = []
    for actor in scenario.actors:
        for issue in scenario.issues:
            paths += [BY_KEY[key].path(actor.id, issue.id) for key in ("position", "salience")]
        paths += [BY_KEY[key].path(actor.id) for key in ("capability", "outside_option.value")]
    return [p for p in paths if p in found]


def _slot(scenario: Scenario, path: str) -> _Slot:
    """A path's array slot (an unknown actor, issue or stance is a clear error)."""
    found = match(path)
    if found is None:
        raise AccordError(
            f"cannot vary {path!r} per draw", hint=f"sensitivity inputs are: {SUPPORTED}"
        )
    f, actor_id, issue_id = found
    actor = scenario.actor(actor_id)
    a = scenario.actors.index(actor)
    if not f.per_issue:
        return _Slot(f, (a,))
    issue = scenario.issue(issue_id)  # type: ignore[arg-type]
    if issue.id not in actor.stances:
        raise AccordError(
            f"{path}: actor {actor.id!r} has no stance on {issue.id!r}",
            hint="vary only stances the scenario gives",
        )
    return _Slot(f, (a, scenario.issues.index(issue)))


def _stance(scenario: Scenario, slot: _Slot) -> tuple[Any, Any]:
    actor = scenario.actors[slot.index[0]]
    stance = actor.stances[scenario.issues[slot.index[1]].id] if slot.field.per_issue else None
    return actor, stance


def _check_bounds(scenario: Scenario, path: str, slot: _Slot, lo: float, hi: float) -> None:
    """Given bounds must lie within what the number can be (capability >= 0, salience 0–100, ...)."""
    issue = scenario.issues[slot.index[1]] if slot.field.per_issue else None
    least, most = slot.field.bounds(issue)
    what = slot.field.label + (f" on the {issue.id!r} scale" if slot.field.limits is None else "")
    if not (lo >= least and hi <= most):  # NaN too
        allowed = f"{least:g} or more" if math.isinf(most) else f"between {least:g} and {most:g}"
        raise AccordError(
            f"{path}=[{lo:g}, {hi:g}]: {_article(what)} {what} must be {allowed}",
            hint=f"give bounds {allowed}",
            field="input",
        )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _resolve(
    scenario: Scenario, path: str, bnds: Bounds, unc: Uncertainty
) -> tuple[_Slot, float | None, tuple[float, float], str]:
    """A path's slot, the scenario's value there (scenario units) and its default interval.

    The interval is the one the Monte Carlo forecast samples from (:func:`accord.uncertainty.bounds`):
    the scenario's range where it gives one, else the default spread around the value.
    """
    slot = _slot(scenario, path)
    value, rng = slot.field.get(*_stance(scenario, slot))
    if value is None:
        return slot, None, (math.nan, math.nan), "no value"  # e.g. no red line, no outside value
    mode, lo, hi = (
        float(np.asarray(t)[slot.index]) * slot.field.divisor for t in getattr(bnds, slot.array)
    )
    origin = "scenario range" if unc.ranges and rng is not None else "default spread"
    return slot, mode, (lo, hi), origin


def parse_input(text: str) -> tuple[str, tuple[float, float] | None]:
    """``"PATH"``, ``"PATH=[LO, HI]"`` or ``"PATH=LO:HI"`` -> ``(PATH, bounds or None)``."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep:
        return path, None
    raw = raw.strip()
    from accord.scenario.patch import parse_value

    try:
        if ":" in raw and not raw.startswith("["):
            lo, hi = raw.split(":", 1)
        else:
            lo, hi = parse_value(raw)
        return path, (float(lo), float(hi))
    except (ValueError, TypeError, OverflowError, AccordError) as exc:
        raise AccordError(
            f"{text!r}: cannot read the bounds {raw!r}",
            hint="write PATH, PATH=[LO, HI] or PATH=LO:HI",
            field="input",
        ) from exc


def scenario_problem(
    scenario: Scenario,
    inputs: Sequence[str] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    uncertainty: Uncertainty | str | Mapping[str, Any] | None = None,
) -> SensitivityProblem:
    """The factors for ``scenario``: ``inputs`` (paths or glob patterns over the default inputs,
    e.g. ``actors.us.*``), or :func:`default_inputs`; ``bounds`` overrides intervals by path.
    Default inputs whose interval is empty (a capability of 0) are left out."""
    bounds = dict(optional(bounds, mapping, "bounds", field="input") or {})
    for p, b in bounds.items():
        if not isinstance(p, str) or not (isinstance(b, (list, tuple)) and len(b) == 2):
            raise AccordError(
                f"bounds[{shown(p)}]={shown(b)} is not two numbers (low, high) for a path",
                hint="e.g. bounds={'actors.us.capability': (40, 60)}",
                field="input",
            )
        for x in b:
            real(x, f"bounds[{p!r}]", field="input")
    if inputs is not None:
        inputs = texts(inputs, "inputs", field="input", hint="paths such as actors.us.capability")
    unc = resolve_uncertainty(uncertainty)
    bnds = uncertainty_bounds(scenario, unc)
    defaults = default_inputs(scenario)
    if inputs:
        paths: list[str] = []
        for item in inputs:
            if any(ch in item for ch in "*?["):
                hits = [p for p in defaults if fnmatch.fnmatchcase(p, item)]
                if not hits:
                    raise AccordError(
                        f"{item!r} matches none of the default inputs",
                        hint="e.g. actors.ACTOR.* or actors.*.stances.ISSUE.position",
                        field="input",
                    )
                paths.extend(h for h in hits if h not in paths)
            elif item not in paths:
                paths.append(item)
        explicit = True
    else:
        paths, explicit = defaults, False
    for p in bounds:
        if p not in paths:
            paths.append(p)
    factors = []
    for p in paths:
        slot, base, (lo, hi), origin = _resolve(scenario, p, bnds, unc)
        if p in bounds:
            (lo, hi), origin = bounds[p], "given"
            _check_bounds(scenario, p, slot, float(lo), float(hi))
        elif origin == "no value":
            raise AccordError(
                f"{p}: the scenario sets no value to vary around",
                hint=f"give bounds: {p}=[LO, HI]",
                field="input",
            )
        if not explicit and p not in bounds and not hi > lo:
            continue  # e.g. capability 0: nothing to vary by default
        factors.append(Factor(p, float(lo), float(hi), base=base, origin=origin))
    problem = SensitivityProblem(tuple(factors))
    problem.check()
    return problem


def parse_output(scenario: Scenario, output: str) -> int | None:
    """``"agreement"`` -> None; ``"issue:ID"`` -> the issue's index."""
    text(output, "output", hint="agreement or issue:ID")
    if output == "agreement":
        return None
    kind, _, ident = output.partition(":")
    if kind == "issue" and ident:
        try:
            issue = scenario.issue(ident)
        except AccordError as exc:
            raise AccordError(exc.message, hint=exc.hint, field="output") from None
        return scenario.issues.index(issue)
    raise AccordError(
        f"unknown output {output!r}",
        hint="use agreement or issue:ID, e.g. issue:" + scenario.issues[0].id,
        field="output",
    )


def scenario_evaluator(
    scenario: Scenario,
    problem: SensitivityProblem,
    model: str | BargainingModel = "compromise",
    output: str = "agreement",
    *,
    params: Mapping[str, Any] | None = None,
    seed: int | np.random.SeedSequence | None = None,
) -> Callable[[np.ndarray], np.ndarray]:
    """A vectorised ``func(X) -> Y`` that runs ``model`` (a name, with ``params``, or a model) on
    ``scenario`` with the factors set to each row of ``X`` (one draw per row, one model run for
    all rows)."""
    from accord.models import get_model
    from accord.outcome import analyse

    if isinstance(model, str):
        model = get_model(model, **dict(params or {}))
    # (D, n, A, A, I) dyadic tables are too big here
    m = type(model)(
        **{**model.params, **({"record_dyads": False} if "record_dyads" in model.params else {})}
    )
    base = to_arrays(scenario)
    slots = [_slot(scenario, f.name) for f in problem.factors]
    k_out = parse_output(scenario, output)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)

    # BDM and SMP hold (draws, voters, actors, actors, issues) tables: cap the draws per run so
    # memory stays bounded (a few blocks of rows for big samples, never a loop over single rows)
    rows = max(256, CHUNK_CELLS // max(base.n_actors**3 * base.n_issues, 1))

    def run_block(X: np.ndarray, block: int) -> np.ndarray:
        arrays = _with_columns(base.repeat(X.shape[0]), slots, X)
        # the same stream for block b on every call: the swings and the sample see the same randomness
        seq = np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, block))
        result = m.run(arrays, rng=np.random.default_rng(seq))
        if k_out is not None:
            return result.outcome[:, k_out]
        return analyse(arrays, result.outcome).margin

    def func(X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        starts = range(0, X.shape[0], rows)
        return np.concatenate([run_block(X[s : s + rows], b) for b, s in enumerate(starts)])

    return func


def _with_columns(arrays: ScenarioArrays, slots: Sequence[_Slot], X: np.ndarray) -> ScenarioArrays:
    """``arrays`` (D = rows of X) with column j of ``X`` written into slot j (a loop over inputs).

    As in the Monte Carlo sampler (:func:`accord.uncertainty.apply_noise`), a red-line end that
    varies is widened where needed to include the actor's (possibly varied) position: an actor
    always accepts its own position.
    """
    names = {s.array for s in slots}
    new = {name: getattr(arrays, name).copy() for name in names}
    for j, s in enumerate(slots):
        new[s.array][(slice(None), *s.index)] = X[:, j] / s.field.divisor
    position = new.get("position", arrays.position)
    for s in slots:
        cell = (slice(None), *s.index)
        if s.array == "red_low":
            new["red_low"][cell] = np.minimum(new["red_low"][cell], position[cell])
        elif s.array == "red_high":
            new["red_high"][cell] = np.maximum(new["red_high"][cell], position[cell])
    return replace(arrays, **new)


def sensitivity(
    scenario: Scenario | str,
    model: str = "compromise",
    *,
    method: Method = "sobol",
    output: str = "agreement",
    inputs: Sequence[str] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    n: int | None = None,
    seed: int | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    uncertainty: Uncertainty | str | Mapping[str, Any] | None = None,
    conf_level: float = 0.95,
    variant: str | None = None,
    changes: Mapping[str, Any] | None = None,
) -> SensitivityResult:
    """Rank ``scenario``'s inputs by their influence on ``output`` under ``model``.

    ``inputs`` restricts the factors (paths or glob patterns, see :func:`scenario_problem`),
    ``bounds`` sets intervals by path, ``uncertainty`` picks the default spreads as in
    :func:`accord.uncertainty.resolve_uncertainty`, ``params`` the models' settings
    (``{"bdm": {"rounds": 5}}``, over the scenario's own); ``variant`` and ``changes`` are applied
    first, as for a forecast. The result carries its run record (``result.record``).

    >>> res = sensitivity(sc, "bdm", method="morris", output="issue:missiles", seed=1)  # doctest: +SKIP
    >>> res.ranking()[:3]  # doctest: +SKIP
    """
    from accord.budget import check_run
    from accord.checks import whole
    from accord.runs.forecast import prepare, scenario_ref
    from accord.runs.montecarlo import MAX_RUNS
    from accord.runs.options import build_models, one_model, resolve_seed

    if not isinstance(method, str) or method not in METHODS:
        raise AccordError(
            f"method {shown(method)} is not one of {', '.join(METHODS)}",
            hint="sobol (variance shares) or morris (elementary effects)",
            field="method",
        )
    conf_level = real(conf_level, "conf_level", low=0.5, high=0.999)
    started, t0 = rec.now(), time.perf_counter()
    name = one_model(model)
    w = prepare(scenario, variant=variant, changes=changes)
    sc = w.scenario
    m, spec = build_models([name], sc, params)[name]
    problem = scenario_problem(sc, inputs, bounds, uncertainty)
    parse_output(sc, output)  # a clear error before any sampling
    if n is not None:
        n = whole(n, "n", minimum=2)
        if n > MAX_RUNS:
            raise AccordError(f"n={n:,} is more than accord takes ({MAX_RUNS:,})", field="n")
    k = len(problem.factors)
    evaluations = planned_evaluations(method, n, k)
    n_actors, n_issues = len(sc.actors), len(sc.issues)
    check_run(  # refused, or announced, before any sampling: see accord.budget
        n_actors,
        n_issues,
        [m],
        draws=evaluations,
        chunk=max(256, CHUNK_CELLS // max(n_actors**3 * n_issues, 1)),
        extra_memory=8.0 * evaluations * (k + 2),  # the sample and its outputs
    )
    entropy = resolve_seed(seed)
    ss = np.random.SeedSequence(entropy)
    analysis_ss, model_ss = ss.spawn(2)  # independent streams for SALib and for the model
    func = scenario_evaluator(sc, problem, m, output, seed=model_ss)
    res = analyse_function(
        problem, func, method=method, n=n, seed=analysis_ss, conf_level=conf_level, output=output
    )
    res = replace(res, model=name, scenario=sc.id, seed=entropy)
    if m.stochastic:
        res = replace(
            res,
            notes=(
                *res.notes,
                f"{name} draws random numbers under these settings: the indices include its own "
                "noise, not only the inputs'",
            ),
        )
    unc = resolve_uncertainty(uncertainty)
    record = rec.RunRecord(
        accord_version=__version__,
        scenario=scenario_ref(w, variant),
        models=[spec],
        seed=entropy,
        runs=res.evaluations,
        draws=res.evaluations,
        uncertainty=rec.UncertaintySettings(**unc.as_dict()),
        started=started,
        finished=rec.now(),
        seconds=time.perf_counter() - t0,
        results=rec.SensitivityResults(
            method=res.method,  # type: ignore[arg-type]
            output=res.output,
            n=res.n,
            evaluations=res.evaluations,
            conf_level=res.conf_level,
            base_output=res.base_output,
            output_mean=res.output_mean,
            output_std=res.output_std,
            effects=[rec.EffectResult(**e.__dict__) for e in res.effects],
            notes=list(res.notes),
        ),
    )
    return replace(res, record=record)


__all__ = [
    "DEFAULT_N",
    "METHODS",
    "Effect",
    "Factor",
    "SensitivityProblem",
    "SensitivityResult",
    "analyse_function",
    "default_inputs",
    "parse_input",
    "parse_output",
    "scenario_evaluator",
    "scenario_problem",
    "sensitivity",
]
