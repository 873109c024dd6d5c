"""Small pieces the commands share: reading ``--set`` and ``--param``, loading, JSON output."""

from __future__ import annotations

from typing import Any

from accord.cli.render import err, plain, write_json


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """``["a.b=20", "title=2026"]`` -> ``{"a.b": "20", "title": "2026"}``.

    Values stay the text typed: the patch (:func:`accord.scenario.patch.whatif`) reads each as the
    field it goes to needs, so a text field keeps ``2026`` or ``No`` as text and a number gets 20.
    """
    from accord.scenario.patch import parse_assignment

    changes: dict[str, str] = {}
    for item in items or []:
        path, _ = parse_assignment(item)  # checks the PATH=VALUE form
        changes[path] = item.partition("=")[2].strip()
    return changes


def model_params(
    param: list[str] | None, rounds: int | None, names: list[str]
) -> dict[str, dict[str, Any]]:
    """``--param`` settings with ``--rounds`` as ``bdm.rounds``; a note when a setting is for a
    model that does not run."""
    from accord.runs.options import merge_params, params_from_text

    params = params_from_text(param)
    if rounds is not None and "bdm" not in names:
        err().print(plain("note: --rounds applies to the bdm model only; ignored", "yellow"))
    elif rounds is not None:
        params = merge_params(params, {"bdm": {"rounds": rounds}})
    idle = [m for m in params if m not in names]
    if idle:
        err().print(
            plain(
                f"note: settings for {', '.join(idle)} apply to no model that runs here; "
                "they are checked, not used",
                "yellow",
            )
        )
    return params


def load(scenario: str):
    from accord.scenario import load as load_scenario

    return load_scenario(scenario)


def print_json(data: Any) -> None:
    write_json(data)


__all__ = ["load", "model_params", "parse_sets", "print_json"]
