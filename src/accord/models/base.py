"""The one contract every bargaining model follows.

Like a scikit-learn estimator: the constructor stores (and checks) the settings, and all the work
happens in :meth:`BargainingModel.run`, a pure function of a :class:`~accord.arrays.ScenarioArrays`
with a leading draws axis. Every registered model passes :func:`accord.models.testing.check_model`.

A model declares

- ``name``, ``label``, ``reference``;
- ``Settings``: a pydantic model of its settings (each field a name, type, default, choices —
  a ``Literal`` — a description and a ``source``), validated with the project's own error;
- its capabilities: ``dynamic`` (positions move step by step, so it has a history worth plotting
  and an account to tell) and :attr:`BargainingModel.stochastic` (it draws random numbers under
  the current settings), which the CLI and the runs read instead of finding out by running.

Models return structured results (arrays and JSON-able events from :meth:`describe`), never
English: the prose lives in :mod:`accord.present`.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from accord.arrays import ScenarioArrays
from accord.errors import ParameterError
from accord.numbers import shown


class Settings(BaseModel):
    """Base of every model's settings: unknown names are an error, choices match in any case
    (``prop`` is ``Prop``), and a true/false is never taken for a number."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _normalise(cls, value: Any, info: ValidationInfo) -> Any:
        f = cls.model_fields[info.field_name]
        choices = literal_choices(f.annotation)
        if choices and isinstance(value, str):
            for c in choices:
                if isinstance(c, str) and c.casefold() == value.casefold():
                    return c
        elif isinstance(value, bool) and _numeric(f.annotation):
            raise ValueError("must be a number, not true/false")
        return value


def literal_choices(annotation: Any) -> tuple:
    """The allowed values of a ``Literal[...]`` annotation (also inside ``Optional``); () if none."""
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    for arg in typing.get_args(annotation):
        found = literal_choices(arg)
        if found:
            return found
    return ()


def _numeric(annotation: Any) -> bool:
    if annotation in (int, float):
        return True
    return any(a in (int, float) for a in typing.get_args(annotation))


#: settings that keep tables only a model's account of one run reads (BDM's dyads, SMP's
#: per-turn tables): they never change an outcome, and many draws summarise none of them, so a
#: Monte Carlo run turns them off
ACCOUNT_SETTINGS = ("record_dyads", "record_turns")


@dataclass(frozen=True)
class Result:
    """What a model run returns.

    Attributes
    ----------
    model, params
        The model's name and the full settings it ran with (its switches are data).
    outcome
        ``(draws, issues)``: the predicted outcome per issue.
    history
        ``(draws, steps, actors, issues)``: positions per step; ``history[:, 0]`` are the initial
        positions, a static model has a single step.
    series
        Named per-step summaries, each ``(draws, steps, issues)`` (e.g. ``"median"``, ``"mean"``).
    details
        Model-specific extras (e.g. BDM's dyadic tables), documented by each model.
    """

    model: str
    params: dict[str, Any]
    outcome: np.ndarray
    history: np.ndarray
    series: dict[str, np.ndarray] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def n_steps(self) -> int:
        return self.history.shape[1]

    def __repr__(self) -> str:
        d, s, a, i = self.history.shape
        return (
            f"Result(model={self.model!r}, {d} draw{'s' if d != 1 else ''}, {s} step"
            f"{'s' if s != 1 else ''}, {a} actors × {i} issues)"
        )


class BargainingModel:
    """Base class: subclasses set ``name``, ``label``, ``reference``, ``Settings``, ``dynamic``
    and ``_run``."""

    name: ClassVar[str]
    label: ClassVar[str]
    reference: ClassVar[str]
    Settings: ClassVar[type[Settings]] = Settings
    #: positions move step by step (BDM rounds, SMP turns); one-shot models have one step
    dynamic: ClassVar[bool] = False
    #: setting name -> default value (derived from ``Settings``)
    defaults: ClassVar[dict[str, Any]] = {}
    #: setting name -> allowed values, for settings that are named choices (derived)
    choices: ClassVar[dict[str, tuple]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = cls.Settings.model_fields
        cls.defaults = {k: f.default for k, f in fields.items()}
        cls.choices = {k: c for k, f in fields.items() if (c := literal_choices(f.annotation))}

    def __init__(self, settings: Settings | Mapping[str, Any] | None = None, **params: Any):
        if isinstance(settings, BaseModel):
            given = settings.model_dump()
        elif isinstance(settings, Mapping) and all(isinstance(k, str) for k in settings):
            given = dict(settings)
        elif settings is None:
            given = {}
        else:
            raise ParameterError(
                f"model {self.name!r}: settings must be a mapping of setting names to values, "
                f"not {type(settings).__name__}",
                hint=f"e.g. {type(self).__name__}(rounds=5) or {type(self).__name__}({{...}})",
                field=self.name,
            )
        given.update(params)
        self.settings = build_settings(self.name, self.Settings, given)
        self.params: dict[str, Any] = self.settings.model_dump()

    @property
    def stochastic(self) -> bool:
        """Whether a run draws random numbers under these settings (the seed then matters)."""
        return False

    @property
    def outcome_key(self) -> str:
        """What its outcomes depend on: the model and every setting but the account-only ones
        (:data:`ACCOUNT_SETTINGS`). Two models with the same key give the same outcomes on the
        same arrays (when not :attr:`stochastic`)."""
        kept = {k: v for k, v in self.params.items() if k not in ACCOUNT_SETTINGS}
        return f"{self.name}:{sorted(kept.items())!r}"

    def run(
        self,
        arrays: ScenarioArrays,
        rng: np.random.Generator | int | None = None,
        *,
        known: Mapping[str, np.ndarray] | None = None,
    ) -> Result:
        """Run the model on every draw at once.

        ``known``: outcomes (D, I) of other models on the same ``arrays``, by their
        :attr:`outcome_key`, that a model built on other models (the ensemble) uses instead of
        running them again; every other model ignores it.

        An outcome that is not a finite number (the arithmetic overflowed on extreme inputs) is
        refused with a :class:`~accord.errors.ParameterError` naming the model and the issue:
        no NaN or infinity ever reaches a forecast."""
        if not isinstance(arrays, ScenarioArrays):
            raise ParameterError(
                f"{self.name}.run() takes ScenarioArrays, not {type(arrays).__name__}",
                hint="convert a scenario with accord.to_arrays(scenario)",
                field="arrays",
            )
        seeds = (np.random.Generator, np.random.SeedSequence, np.random.BitGenerator)
        if not (rng is None or isinstance(rng, seeds) or _whole(rng)):
            raise ParameterError(
                f"rng={shown(rng)} is not a numpy Generator, a seed (a whole number >= 0) or None",
                field="seed",
            )
        if known is not None and not isinstance(known, Mapping):
            raise ParameterError(
                f"known={shown(known)} is not a mapping of outcome keys to outcomes, or None",
                field="known",
            )
        with np.errstate(all="ignore"):  # overflow is found below, not warned about on the way
            result = self._run_with(arrays, np.random.default_rng(rng), known or {})
        bad = ~np.isfinite(result.outcome)
        if bad.any():
            draw, issue = (int(x[0]) for x in np.nonzero(bad))
            raise ParameterError(
                f"model {self.name!r} could not compute a finite outcome on issue "
                f"{arrays.issue_ids[issue]!r}"
                + (f" (draw {draw + 1:,})" if arrays.n_draws > 1 else "")
                + ": the scenario's numbers are too extreme for its arithmetic",
                hint="keep capabilities within a few orders of magnitude of each other (only "
                "their ratios matter: scale them to 0–100, say)",
            )
        return result

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:  # pragma: no cover
        raise NotImplementedError

    def _run_with(
        self, arrays: ScenarioArrays, rng: np.random.Generator, known: Mapping[str, np.ndarray]
    ) -> Result:
        """:meth:`_run`, for a model that can use other models' ``known`` outcomes."""
        return self._run(arrays, rng)

    def describe(self, result: Result, arrays: ScenarioArrays, draw: int = 0) -> dict[str, Any]:
        """Model-specific JSON-able account of one draw (structured events, e.g. BDM's moves);
        empty by default. :mod:`accord.present.narration` turns it into sentences."""
        return {}

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.params.items() if self.defaults.get(k) != v}
        args = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"{type(self).__name__}({args})"


def _whole(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool) and x >= 0


def build_settings(model: str, schema: type[Settings], given: Mapping[str, Any]) -> Settings:
    """Validated settings, or a :class:`ParameterError` naming the setting and its choices."""
    try:
        return schema(**dict(given))
    except ValidationError as exc:
        problems = settings_problems(schema, exc)
        key, message, hint = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ParameterError(
            f"model {model!r}: {message}{more}", hint=hint, field=f"{model}.{key}" if key else model
        ) from None


def settings_problems(schema: type[Settings], exc: ValidationError) -> list[tuple[str, str, str]]:
    """(setting, message, hint) for each error of ``exc`` (a failed ``schema(...)``)."""
    out = []
    fields = schema.model_fields
    for err in exc.errors():
        key = str(err["loc"][0]) if err["loc"] else ""
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            known = ", ".join(fields) or "none"
            out.append((key, f"there is no setting {key!r}", f"its settings are: {known}"))
            continue
        f = fields.get(key)
        choices = literal_choices(f.annotation) if f is not None else ()
        if choices:
            names = ", ".join(map(str, choices))
            out.append(
                (key, f"{key}={shown(value)} is not one of {names}", f"pick one of: {names}")
            )
            continue
        reason = _reason(err)
        default = f.default if f is not None else None
        out.append((key, f"{key}={shown(value)}: {reason}", f"the default is {default!r}"))
    return out


_REASONS = {
    "greater_than_equal": "must be ≥ {ge}",
    "greater_than": "must be > {gt}",
    "less_than_equal": "must be ≤ {le}",
    "less_than": "must be < {lt}",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_type": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
}


def _reason(err: Mapping[str, Any]) -> str:
    template = _REASONS.get(err["type"])
    if template is not None:
        try:
            return template.format(**err.get("ctx", {}))
        except (KeyError, IndexError):
            pass
    return str(err.get("msg", "is not valid")).removeprefix("Value error, ")


def weights(arrays: ScenarioArrays) -> np.ndarray:
    """Capability × salience, ``(draws, actors, issues)``: the weight of each actor on each issue
    (0 where it holds no stance)."""
    return arrays.capability[:, :, None] * arrays.stance_salience()


def static_result(
    model: BargainingModel, arrays: ScenarioArrays, outcome: np.ndarray, **details
) -> Result:
    """A Result for a one-shot model: the history is just the initial positions."""
    return Result(
        model=model.name,
        params=dict(model.params),
        outcome=outcome,
        history=arrays.position[:, None].copy(),
        series={},
        details=details,
    )
