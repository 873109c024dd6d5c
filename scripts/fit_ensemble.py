"""Fit the ensemble's shipped weights on the DEU development split and write them, versioned, to
``src/accord/data/ensemble/<version>.json`` with how they were fitted and how the blend did under
cross-validation grouped by proposal.

Run from the project root:  PYTHONPATH=src python scripts/fit_ensemble.py [--version deu-dev-v1]

The weights in the file are fitted on every scored issue of the split (they are what a forecast
uses). They are *not* how the blend is judged: the cross-validation block (and docs/accuracy.md)
refits them inside each training fold and scores the held-out folds only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from accord._version import __version__  # noqa: E402
from accord.models.ensemble import COMPONENTS, Ensemble, fit_weights  # noqa: E402
from accord.scenario.convert import to_arrays  # noqa: E402
from accord.scenario.deu import DeuOptions, read_deu  # noqa: E402

DEV = ROOT.parent / "shared" / "reference" / "deu" / "deu_issues_dev.csv"
SEED, FOLDS, REPEATS = 2026, 5, 20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", default="deu-dev-v1")
    ap.add_argument("--file", default=str(DEV))
    args = ap.parse_args()

    data = read_deu(args.file, DeuOptions())
    rows, y = [], []
    for case in data.cases:
        value = case.outcome.value(case.scenario.issues[0].id)
        if value is None:
            continue
        model = Ensemble(**case.scenario.models["ensemble"])
        rows.append(model.components(to_arrays(case.scenario))[0, 0])
        y.append(value)
    x, y = np.array(rows), np.array(y)
    w = fit_weights(x, y)
    out = ROOT / "src" / "accord" / "data" / "ensemble" / f"{args.version}.json"
    doc = {
        "version": args.version,
        "description": "least-absolute-deviations blend of accord's models, fitted on every "
        "scored issue of the DEU development split; judge it by the cross_validation block "
        "(weights refitted inside each training fold), not by its in-sample error",
        "method": "minimise the sum of absolute errors over w >= 0, sum(w) = 1 (linear "
        "programme, scipy.optimize.linprog, HiGHS)",
        "components": [
            {"name": n, "weight": round(float(v), 6)} for n, v in zip(COMPONENTS, w, strict=True)
        ],
        "training": {
            "file": "shared/reference/deu/deu_issues_dev.csv",
            "sha256": data.content_hash,
            "issues": int(len(y)),
            "groups": len({c.group_id for c in data.cases}),
            "options": DeuOptions().model_dump(),
            "accord_version": __version__,
            "date": dt.date.today().isoformat(),
        },
        "in_sample_mae": round(float(np.abs(x @ w - y).mean()), 4),
    }
    out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    # the honest figure: weights refitted inside every training fold (needs the file just written)
    from accord.models.ensemble import shipped_weights
    from accord.runs.backtest import backtest

    shipped_weights.cache_clear()
    bt = backtest(
        data.cases,
        ["ensemble"],
        folds=FOLDS,
        repeats=REPEATS,
        seed=SEED,
        source="deu",
        content_hash=data.content_hash,
    )
    ens = next(p for p in bt.results.predictors if p.name == "ensemble").overall
    base = next(p for p in bt.results.predictors if p.name == "mean").overall
    doc["cross_validation"] = {
        "folds": FOLDS,
        "repeats": REPEATS,
        "seed": SEED,
        "grouped_by": "proposal_id",
        "mae": [round(ens.mae.value, 3), round(ens.mae.low, 3), round(ens.mae.high, 3)],
        "baseline_mae": round(base.mae.value, 3),
        "vs_baseline": [
            round(ens.vs_baseline.value, 3),
            round(ens.vs_baseline.low, 3),
            round(ens.vs_baseline.high, 3),
        ],
        "note": "[value, 95% interval from 2,000 resamples of whole proposals]",
    }
    out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
