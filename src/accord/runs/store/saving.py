"""A forecast that is kept: run :func:`accord.runs.forecast.forecast` and write it to the store
as it goes (the run row first, then every chunk as the Monte Carlo parent merges it, then the
record), so a run killed half-way leaves its finished chunks behind and one that fails loses
nothing saved before it.

>>> from accord.runs.store import Store, save_forecast
>>> with Store() as store:  # doctest: +SKIP
...     saved = save_forecast(store, "us-iran-muscat-2026", "compromise", runs=2000, seed=1)
...     store.get(saved.run_id).record == saved.forecast.record
True
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.runs.store.draws import DrawWriter
from accord.runs.store.store import Store


@dataclass
class SavedForecast:
    run_id: int
    forecast: Any  # accord.runs.forecast.Forecast

    @property
    def record(self) -> Any:
        return self.forecast.record


def _request(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """What was asked, for the run row (kept even if the run never finishes)."""
    keep = ("variant", "changes", "as_of", "params", "uncertainty", "chunk_size", "engine")
    out = {k: kwargs.get(k) for k in keep if kwargs.get(k) not in (None, {}, "")}
    unc = out.get("uncertainty")
    if unc is not None and not isinstance(unc, (str, dict)):
        out["uncertainty"] = getattr(unc, "as_dict", lambda: str(unc))()
    return out


def _need_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        from accord.errors import AccordError

        raise AccordError(
            "per-draw outputs are written as Parquet files, which needs pyarrow",
            hint='install it with: pip install "accord[draws]"',
            field="draws",
        ) from None


def save_forecast(
    store: Store,
    scenario: Any,
    models: str | list[str] = "all",
    *,
    per_draw: bool = False,
    source: str = "",
    **kwargs: Any,
) -> SavedForecast:
    """:func:`~accord.runs.forecast.forecast` ``scenario`` with ``models`` and ``kwargs``, saving
    the run in ``store``; with ``per_draw`` (and more than one run) every draw's outcomes, deal
    margin, status and utilities go to compressed files beside the database, chunk by chunk.

    ``source`` says where the scenario came from (a built-in id, a file). The seed is fixed before
    the run starts (drawn fresh when none is given) so that even a killed run can be reproduced.
    """
    from accord.runs import montecarlo as mc
    from accord.runs.forecast import forecast
    from accord.runs.options import model_names, resolve_seed
    from accord.scenario import Scenario
    from accord.scenario.load import load

    if per_draw:
        _need_pyarrow()
    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    if not source and not isinstance(scenario, Scenario):
        source = os.fspath(scenario)
    names = list(dict.fromkeys(model_names(models)))
    seed = resolve_seed(kwargs.pop("seed", None))
    runs = int(kwargs.get("runs", 1))
    run_id = store.begin(
        sc,
        kind="forecast",
        models=names,
        seed=seed,
        runs=runs,
        source=source,
        request=_request(kwargs),
        per_draw=per_draw and runs > 1,
    )
    writer = None
    if per_draw and runs > 1:
        writer = DrawWriter(
            store.draws_folder(run_id), names, [i.id for i in sc.issues], [a.id for a in sc.actors]
        )

    def on_chunk(res: mc.ChunkResult) -> None:
        file = nbytes = None
        if writer is not None:
            file, nbytes = writer.write(res.index, res.start, res.parts[0])
        store.add_chunk(
            run_id,
            index=res.index,
            start=res.start,
            size=res.size,
            seconds=res.seconds,
            chunk_size=kwargs.get("chunk_size") or (res.size if res.index == 0 else None),
            file=file,
            nbytes=nbytes,
        )

    try:
        fc = forecast(sc, names, seed=seed, on_chunk=on_chunk, **kwargs)
    except mc.Interrupted:
        store.interrupt(run_id)
        raise
    except BaseException as exc:
        store.fail(run_id, f"{type(exc).__name__}: {exc}")
        raise
    store.finish(run_id, fc.record, fc.scenario)
    return SavedForecast(run_id, fc)


__all__ = ["SavedForecast", "save_forecast"]
