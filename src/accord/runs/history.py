"""How the forecast moved as the news moved: one forecast per dated version of a scenario.

:func:`history` walks a scenario's versions (:mod:`accord.scenario.versions`) in date order and,
for each, reads a stored forecast of exactly that version (same models, draws and uncertainty;
same seed when one is given) or runs one and, with a store, keeps it. Every version is run with
the same seed, so the differences between versions are the news, not sampling noise (common random
numbers, as in :mod:`accord.runs.compare`).

>>> h = history("us-iran-muscat-2026", "compromise", runs=500, seed=1)  # doctest: +SKIP
>>> [(p.version.label, p.record.results.models[0].agreement.probabilities.escalation)
...  for p in h.points]  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.runs.options import model_names, resolve_seed
from accord.scenario import Scenario
from accord.scenario.versions import Version, versions


def zone_probability(record: Any) -> float | None:
    """P(zone of agreement) of a forecast record: the share of draws in which some package
    exists that every decider accepts (its deal-space results; the same for every model, since
    it depends on the inputs alone). None for a record without them."""
    deal = getattr(getattr(record, "results", None), "deal", None)
    value = getattr(deal, "probability", None) if deal is not None else None
    return float(value) if isinstance(value, (int, float)) else None


@dataclass
class HistoryPoint:
    """One version's forecast: its record, and the stored run it came from or went to."""

    version: Version
    record: Any  # RunRecord
    run_id: int | None = None
    reused: bool = False  # read from the store, not run now

    def model(self, name: str) -> Any:
        return next(m for m in self.record.results.models if m.name == name)


@dataclass
class History:
    scenario: Scenario
    models: list[str]
    runs: int
    seed: int
    points: list[HistoryPoint] = field(default_factory=list)
    store: str | None = None  # where runs were read and kept

    @property
    def ran(self) -> int:
        return sum(not p.reused for p in self.points)

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "models": self.models,
            "runs": self.runs,
            "seed": self.seed,
            "store": self.store,
            "versions": [
                {
                    "as_of": p.version.as_of.isoformat() if p.version.as_of else None,
                    "title": p.version.title,
                    "run_id": p.run_id,
                    "reused": p.reused,
                    "record": p.record.to_json(),
                }
                for p in self.points
            ],
        }


def history(
    scenario: Scenario | str | os.PathLike,
    models: str | Sequence[str] = "all",
    *,
    runs: int = 1000,
    seed: int | None = None,
    uncertainty: Any = None,
    store: Any = None,
    save: bool = True,
    rerun: bool = False,
    per_draw: bool = False,
    progress: Callable[[int, int, Version], Any] | None = None,
    source: str = "",
    **options: Any,
) -> History:
    """A forecast of every dated version of ``scenario`` in date order.

    ``store`` (an :class:`accord.runs.store.Store`, or None for no store): stored forecasts of a
    version are reused unless ``rerun``; what runs now is kept when ``save``. ``progress(k, n,
    version)`` is called before each version. ``options`` go to the forecast (engine, workers,
    chunk_size, params, ...); ``source`` says where the scenario came from, for the store.
    """
    from accord.runs.forecast import forecast
    from accord.runs.records import UncertaintySettings, content_hash
    from accord.scenario.load import load
    from accord.uncertainty import resolve_uncertainty

    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    source = source or ("" if isinstance(scenario, Scenario) else os.fspath(scenario))
    names = list(dict.fromkeys(model_names(models)))
    fixed = resolve_seed(seed)
    unc = resolve_uncertainty(uncertainty)
    wanted_unc = UncertaintySettings(**unc.as_dict()).model_dump(mode="json") if runs > 1 else None
    out = History(sc, names, int(runs), fixed, store=store.where if store is not None else None)
    vs = versions(sc)
    for k, v in enumerate(vs):
        if progress is not None:
            progress(k, len(vs), v)
        if store is not None and not rerun:
            digest = content_hash(v.scenario.model_dump(mode="json"))
            found = store.find(
                digest,
                names,
                runs,
                uncertainty=wanted_unc,
                seed=seed,
                as_of=v.as_of,
            )
            if found is not None:
                out.points.append(HistoryPoint(v, found.record, found.id, reused=True))
                continue
        kwargs = dict(options, runs=runs, seed=fixed, uncertainty=uncertainty, as_of=v.as_of)
        if store is not None and save:
            from accord.runs.store import save_forecast

            saved = save_forecast(store, sc, names, per_draw=per_draw, source=source, **kwargs)
            out.points.append(HistoryPoint(v, saved.record, saved.run_id))
        else:
            fc = forecast(sc, names, **kwargs)
            out.points.append(HistoryPoint(v, fc.record))
        if out.points[-1].record.interrupted:  # Ctrl-C: stop here, with what finished
            break
    return out


__all__ = ["History", "HistoryPoint", "history", "zone_probability"]
