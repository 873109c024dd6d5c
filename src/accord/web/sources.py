"""Which scenario a request means: a built-in id, a scenario kept by the server, or text.

Names are looked up among the built-ins (:func:`accord.load` with ``only="builtin"``, which reads
no file but the package's own) and the keeper's scenarios; text is parsed as text
(:func:`accord.load_text`). Nothing a request says is ever used as a path.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from accord.errors import AccordError, UnknownNameError
from accord.scenario import Scenario, load, load_text
from accord.scenario.load import builtin_ids, builtin_path
from accord.web.errors import ApiError
from accord.web.keep import Keeper

#: what a scenario id may be in a URL (the validator's own rule is looser; these are what pages link)
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,119}$")
FORMATS = ("yaml", "json", "csv")


@functools.lru_cache(maxsize=16)
def builtin(scenario_id: str) -> Scenario:
    """A built-in scenario (loaded once: scenarios are immutable)."""
    return load(scenario_id, only="builtin")


def is_builtin(scenario_id: str) -> bool:
    return scenario_id in builtin_ids()


def named(
    keeper: Keeper, scenario_id: str, *, status: int = 404, field: str = "scenario"
) -> Scenario:
    """The scenario called ``scenario_id``: a built-in, else one the keeper holds."""
    if not isinstance(scenario_id, str) or not ID.match(scenario_id):
        raise ApiError(
            422,
            f"{str(scenario_id)[:80]!r} is not a scenario id",
            hint="ids are letters, digits, '-' and '_' (see /api/scenarios)",
            field=field,
        )
    if is_builtin(scenario_id):
        try:
            return builtin(scenario_id)
        except AccordError as exc:  # pragma: no cover - the built-ins are tested valid
            raise ApiError.from_accord(exc, field=field) from None
    kept = keeper.scenario(scenario_id)
    if kept is None:
        known = builtin_ids() + [k.id for k in keeper.scenarios()]
        raise ApiError(
            status,
            f"no scenario {scenario_id!r}",
            hint="known: " + ", ".join(known),
            field=field,
        )
    return kept


def from_text(text: str, fmt: str = "yaml", *, field: str = "scenario_text") -> Scenario:
    """A scenario parsed from ``text``; its problems, located, as a 422."""
    if fmt not in FORMATS:
        raise ApiError(422, f"format {fmt!r} is not one of {', '.join(FORMATS)}", field="format")
    try:
        return load_text(text, format=fmt, source=field)
    except AccordError as exc:
        raise ApiError.from_accord(exc, field=field) from None


def scenario_text(sc: Scenario) -> str:
    """The YAML a scenario is edited as: a built-in's own file (comments kept), else its data."""
    if is_builtin(sc.id) and builtin(sc.id) == sc:
        return builtin_path(sc.id).read_text(encoding="utf-8")
    data = sc.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def listing(keeper: Keeper) -> list[dict[str, Any]]:
    """Every scenario a client can name: the built-ins, then the kept ones."""
    from accord.present.views import scenario_row

    out = []
    for sid in builtin_ids():
        row = scenario_row(builtin(sid))
        out.append({**row.__dict__, "builtin": True})
    for kept in keeper.scenarios():
        sc = keeper.scenario(kept.id)
        if sc is not None:
            out.append({**scenario_row(sc).__dict__, "builtin": False})
    return out


__all__ = [
    "FORMATS",
    "ID",
    "UnknownNameError",
    "builtin",
    "from_text",
    "is_builtin",
    "listing",
    "named",
    "scenario_text",
]
