"""Write the HTML report: a forecast (and a sensitivity analysis) run and rendered to one file.

>>> import accord
>>> write_report(accord.load("us-iran-muscat-2026"), "report.html", runs=1000, seed=1)  # doctest: +SKIP
PosixPath('report.html')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from accord.errors import ParameterError
from accord.runs.output import HTML_SUFFIXES, check_output_path, write_output
from accord.scenario.types import Scenario

#: the models whose sensitivity the report shows by default, first registered wins
SENSITIVITY_PREFERENCE = ("bdm", "smp", "compromise")


def default_sensitivity_model(models: list[str]) -> str:
    for name in SENSITIVITY_PREFERENCE:
        if name in models:
            return name
    return models[0]


def write_report(
    scenario: Scenario | str | Path,
    path: str | Path,
    *,
    models: str | list[str] = "all",
    runs: int = 1000,
    seed: int | None = None,
    variant: str | None = None,
    changes: Mapping[str, Any] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    uncertainty: Any = None,
    sensitivity: bool = True,
    sensitivity_model: str | None = None,
    sensitivity_method: str = "morris",
    sensitivity_output: str = "agreement",
    sensitivity_n: int | None = None,
    title: str | None = None,
) -> Path:
    """Forecast ``scenario`` with ``runs`` draws, analyse its sensitivity, write the HTML to ``path``.

    The sensitivity analysis (skipped with ``sensitivity=False``) uses ``sensitivity_model``
    (default: BDM, else SMP, else compromise, else the first model) on the same scenario version
    (variant and changes applied) and the same uncertainty, with the same seed.
    """
    from accord.present.report import report_html
    from accord.runs.forecast import forecast
    from accord.runs.options import model_names, one_model
    from accord.runs.sensitivity import METHODS, parse_output
    from accord.runs.sensitivity import sensitivity as run_sensitivity
    from accord.scenario import load

    # everything that can be checked is checked before the (long) forecast
    path = check_output_path(path, HTML_SUFFIXES)
    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    names = model_names(models)
    name = None
    if sensitivity:
        if sensitivity_method not in METHODS:
            raise ParameterError(
                f"sensitivity method {sensitivity_method!r} is not sobol or morris",
                hint="use sobol or morris",
                field="sensitivity_method",
            )
        parse_output(sc, sensitivity_output)
        name = (
            one_model(sensitivity_model, field="sensitivity_model")
            if sensitivity_model
            else default_sensitivity_model(names)
        )
    fc = forecast(
        sc,
        names,
        variant=variant,
        changes=changes,
        params=params,
        runs=runs,
        seed=seed,
        uncertainty=uncertainty,
    )
    sens = None
    if name is not None:
        sens = run_sensitivity(
            fc.scenario,
            name,
            method=sensitivity_method,  # type: ignore[arg-type]
            output=sensitivity_output,
            n=sensitivity_n,
            seed=fc.seed,
            params=params,
            uncertainty=uncertainty,
        )
    return write_output(path, report_html(fc, sens, title=title))


__all__ = ["SENSITIVITY_PREFERENCE", "default_sensitivity_model", "write_report"]
