"""What a run is asked to do: which models, with which settings, under which seed.

Settings come from three places, later ones winning: each model's defaults, the scenario's
``models:`` section (and a KTAB XML file's own switches, which the reader puts there), and the
run's own (``--param smp.voting_rule=PropCbc``, ``--rounds``, or ``params=`` in Python). Every
run records the full settings and which of them the scenario or the run set
(:class:`~accord.runs.records.ModelSpec`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from accord.errors import AccordError, ParameterError, UnknownNameError
from accord.models import MODELS, BargainingModel
from accord.runs.records import ModelSpec
from accord.scenario.types import Scenario

#: the models ``all`` runs, in display order (others join when registered)
DEFAULT_ORDER = ("compromise", "median", "condorcet", "nash", "bdm", "smp")
#: fresh seeds are drawn below this (short enough to type back)
SEED_RANGE = 2**32


def model_names(spec: str | Sequence[str] = "all") -> list[str]:
    """Expand a comma-separated list (or a list) of model names into registered names, checking
    each: ``all`` anywhere means every model, repeats are dropped (first one kept), and naming no
    model at all is an error."""
    if not isinstance(spec, (str, list, tuple)):
        raise ParameterError(
            f"models={spec!r} is not a model name or a list of them", field="model"
        )
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names = list(dict.fromkeys(str(s).strip() for s in items if str(s).strip()))
    choices = "choose one or more of: all, " + ", ".join(MODELS)
    if not names:
        raise UnknownNameError("no model named", hint=choices, field="model")
    unknown = [n for n in names if n != "all" and n not in MODELS]
    if unknown:
        raise UnknownNameError(f"no model called {unknown[0]!r}", hint=choices, field="model")
    if "all" in names:
        ordered = [m for m in DEFAULT_ORDER if m in MODELS]
        return ordered + [m for m in MODELS if m not in ordered]
    return names


def one_model(spec: str, field: str = "model") -> str:
    """The single registered model that ``spec`` names (for commands that take exactly one);
    errors name ``field``."""
    try:
        names = model_names(spec)
    except AccordError as exc:
        raise type(exc)(exc.message, hint=exc.hint, field=field) from None
    if len(names) != 1:
        raise ParameterError(
            f"{spec!r} names {len(names)} models; this takes exactly one",
            hint=f"pick one, e.g. bdm (models: {', '.join(MODELS)})",
            field=field,
        )
    return names[0]


def parse_param(text: str) -> tuple[str, str, str]:
    """``"smp.voting_rule=PropCbc"`` -> ``("smp", "voting_rule", "PropCbc")`` (value as typed)."""
    key, sep, value = text.partition("=")
    model, dot, setting = key.strip().partition(".")
    if not sep or not dot or not model or not setting:
        raise ParameterError(
            f"{text!r} is not of the form MODEL.SETTING=VALUE",
            hint="e.g. smp.voting_rule=PropCbc or bdm.rounds=5 (`accord models NAME` lists them)",
            field="param",
        )
    return model.strip(), setting.strip(), value.strip()


def params_from_text(items: Sequence[str] | None) -> dict[str, dict[str, Any]]:
    """Repeated ``MODEL.SETTING=VALUE`` texts as ``{model: {setting: value}}``; each value is read
    with YAML's scalar rules (``5``, ``0.02``, ``null``) and then by the setting's own type."""
    from accord.scenario.patch import parse_value

    out: dict[str, dict[str, Any]] = {}
    for item in items or []:
        model, setting, value = parse_param(item)
        if model not in MODELS:
            raise UnknownNameError(
                f"{item!r}: no model called {model!r}",
                hint="models: " + ", ".join(MODELS),
                field="param",
            )
        parsed = parse_value(value)
        # a choice stays the text typed (e.g. BigRAdjust "None" or "Full")
        choices = MODELS[model].choices.get(setting)
        if choices and all(isinstance(c, str) for c in choices):
            parsed = value
        out.setdefault(model, {})[setting] = parsed
    return out


def merge_params(*layers: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """Per-model settings, later layers winning setting by setting."""
    out: dict[str, dict[str, Any]] = {}
    for layer in layers:
        for model, settings in (layer or {}).items():
            out.setdefault(model, {}).update(settings)
    return out


def build_models(
    names: Sequence[str],
    scenario: Scenario,
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, tuple[BargainingModel, ModelSpec]]:
    """Each named model with the scenario's settings and then the run's (``params``), and the
    spec a run record keeps of it. Settings for a model that does not run are checked too."""
    params = {} if params is None else params
    if not isinstance(params, Mapping) or not all(
        isinstance(v, Mapping) and all(isinstance(k, str) for k in v) for v in params.values()
    ):
        raise ParameterError(
            "params must map model names to their settings, e.g. {'bdm': {'rounds': 5}}",
            field="param",
        )
    params = dict(params)
    for model in params:
        if model not in MODELS:
            raise UnknownNameError(
                f"settings given for unknown model {model!r}",
                hint="models: " + ", ".join(MODELS),
                field="param",
            )
        MODELS[model](**{**dict(scenario.models.get(model, {})), **dict(params[model])})
    out = {}
    for name in names:
        from_file = dict(scenario.models.get(name, {}))
        from_run = dict(params.get(name, {}))
        model = MODELS[name](**{**from_file, **from_run})
        where = {k: "scenario" for k in from_file} | {k: "run" for k in from_run}
        spec = ModelSpec(
            name=name,
            label=model.label,
            reference=model.reference,
            settings=model.params,
            settings_from=where,
            dynamic=type(model).dynamic,
            stochastic=model.stochastic,
        )
        out[name] = (model, spec)
    return out


def resolve_seed(seed: int | np.random.SeedSequence | None) -> int:
    """An int seed as given; None draws a fresh one (recorded and printed, so the run can be
    repeated with it)."""
    if seed is None:
        return secrets.randbelow(SEED_RANGE)
    if isinstance(seed, np.random.SeedSequence):
        return int(seed.entropy)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError(
            f"seed={seed!r} must be a whole number >= 0 (or none, for a fresh one)", field="seed"
        )
    return int(seed)


__all__ = [
    "DEFAULT_ORDER",
    "build_models",
    "merge_params",
    "model_names",
    "one_model",
    "params_from_text",
    "parse_param",
    "resolve_seed",
]
