"""Regenerate docs/accuracy.md: every model backtested on the DEU development split and the
built-in case files, with the tables issue #10 asks for.

Run from the project root:  PYTHONPATH=src python scripts/accuracy.py   (about a minute)

Every number in the document comes from this run (fixed seed); the prose around the tables is
written here and states only what the tables show.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from accord._version import __version__  # noqa: E402
from accord.models.ensemble import DEFAULT_WEIGHTS, shipped_weights  # noqa: E402
from accord.present import backtest as view  # noqa: E402
from accord.present import formats as f  # noqa: E402
from accord.runs.backtest import backtest_cases, backtest_deu  # noqa: E402
from accord.scenario.deu import ISSUE_10_TABLE  # noqa: E402

DEV = ROOT.parent / "shared" / "reference" / "deu" / "deu_issues_dev.csv"
OUT = ROOT / "docs" / "accuracy.md"
SEED, REPEATS, BOOT = 2026, 20, 2000
ISSUE = ISSUE_10_TABLE
VARIANTS = [
    ("Nice votes for every member (default)", {}),
    ("votes of the treaty period", {"capability": "period"}),
    ("Shapley–Shubik index of the period's QMV game", {"capability": "shapley_shubik"}),
    ("Banzhaf index of the period's QMV game", {"capability": "banzhaf"}),
    (
        "Commission and Parliament at 4 × the mean member",
        {"commission_weight": 4, "parliament_weight": 4},
    ),
    ("Commission and Parliament only in their formal roles", {"institutions": "formal"}),
    ("status quo always 50", {"status_quo": "midpoint"}),
    ("missing saliences dropped", {"missing_salience": "drop"}),
]
VARIANT_MODELS = ["compromise", "median", "nash", "procedural"]


def scores(res, name):
    return next(p.overall for p in res.predictors if p.name == name)


def main() -> None:
    t0 = time.perf_counter()
    kw = {"seed": SEED, "repeats": REPEATS, "bootstrap": BOOT}
    main_run = backtest_deu(DEV, "all", **kw)
    res = main_run.results
    old = backtest_deu(DEV, ["nash"], params={"nash": {"bargainers": "all_deciders"}}, **kw).results
    cases = backtest_cases(None, "all", seed=SEED, bootstrap=BOOT).results
    cases_mc = backtest_cases(
        None, ["compromise", "nash", "bdm", "procedural"], seed=SEED, runs=1000, bootstrap=BOOT
    ).results
    variants = [
        (label, backtest_deu(DEV, VARIANT_MODELS, options=o, **kw).results) for label, o in VARIANTS
    ]
    seconds = time.perf_counter() - t0

    mean = scores(res, "mean")
    ens = scores(res, "ensemble")
    comp = scores(res, "compromise")
    target = 0.85 * mean.mae.value
    ranked = sorted(
        (p for p in res.predictors if p.overall is not None), key=lambda p: p.overall.mae.value
    )
    best = ranked[0]
    beat = [
        p.name
        for p in res.predictors
        if p.overall is not None
        and p.overall.vs_baseline is not None
        and p.overall.vs_baseline.high < 0
    ]
    cv = res.cross_validation
    shipped = shipped_weights(DEFAULT_WEIGHTS)

    def at_sq(name: str, results=res) -> str:
        rows = [r for r in results.rows if r.actual is not None]
        same = [abs(r.predictions[name] - r.predictions["status_quo"]) < 1e-9 for r in rows]
        return f.share_short(sum(same) / len(same))

    # -- the reproduction table ------------------------------------------------------------------
    repro = []
    for name, (mae, med, w10) in ISSUE.items():
        s = scores(old, "nash") if name == "nash" else scores(res, name)
        repro.append(
            [
                name + (" (all_deciders)" if name == "nash" else ""),
                f"{mae:.1f} / {med:.1f} / {w10}%",
                f"{s.mae.value:.1f} / {s.median_ae.value:.1f} / {100 * s.within.value:.0f}%",
            ]
        )
    repro_md = view.markdown_table(
        ["predictor", "issue #10 (MAE / median AE / within 10)", "this run"],
        repro,
        [False, True, True],
    )

    var_rows = []
    for label, r in variants:
        var_rows.append(
            [label]
            + [
                f"{f.number(scores(r, m).mae.value)} ({view.delta_text(scores(r, m).vs_baseline)})"
                for m in VARIANT_MODELS
            ]
            + [f.number(scores(r, "mean").mae.value)]
        )
    var_md = view.markdown_table(["capabilities / status quo", *VARIANT_MODELS, "mean"], var_rows)

    weights_md = view.markdown_table(
        ["component", "shipped weight (all 258 issues)", "CV folds: mean [min–max]"],
        [
            [
                c["name"],
                f.fixed(c["weight"], 3),
                f"{f.fixed(cv.weights_mean[c['name']], 2)} "
                f"[{f.fixed(cv.weights_low[c['name']], 2)}–{f.fixed(cv.weights_high[c['name']], 2)}]",
            ]
            for c in shipped["components"]
        ],
        [False, True, True],
    )
    met = ens.mae.value <= target and ens.vs_baseline.high < 0
    doc = f"""# How accurate is accord? Backtests on real outcomes

Generated by `PYTHONPATH=src python scripts/accuracy.py` (accord {__version__}, seed {SEED},
{REPEATS} repeats of the grouped cross-validation, {BOOT:,} bootstrap resamples; {seconds:.0f} s on
{platform.machine()} / Python {platform.python_version()}, {dt.date.today().isoformat()}). Every
number below comes from that run; rerun it after changing a model.

The data: the DEU development split (`../shared/reference/deu/deu_issues_dev.csv`: {res.scored}
scored issues of {res.groups} legislative proposals, one scenario per issue; DEU I–III, Thomson et
al. 2006, 2012; Arregui & Perarnaud 2022) and the built-in case files (the Muscat talks of 2026
and the EC car-emission standards). Scores are on the 0–100 issue scale. Every interval is a 95%
interval from resampling **whole proposals** (issues of one proposal are not independent); "Δ" is a
predictor's MAE minus the salience-weighted mean's on the same resamples (negative = better). The
commands: `accord backtest deu FILE` and `accord backtest cases` (see `accord backtest --help`).

## What this means when you choose a model

- **No model is clearly better than the one-line salience-weighted mean** of the positions on this
  split. The closest is `{best.name}` (MAE {f.number(best.overall.mae.value)},
  {view.delta_text(best.overall.vs_baseline)}); {("predictors whose whole interval lies below 0: " + ", ".join(beat)) if beat else "no predictor's interval of Δ lies wholly below 0"}.
  For a point forecast of where an EU-style negotiation lands, use `compromise` (the
  capability × salience weighted mean) and read its number as ±{f.number(comp.mae.value)} points on
  average, often much more (the median error is {f.number(comp.median_ae.value)}).
- **`median`/`condorcet` and `bdm` are bimodal**: exact on many issues (their share within
  10 points is the highest) and far off on others; their MAE is worse. Use them when you want the
  position a majority coalition would pick, not the expected outcome.
- **`nash`** now bargains over a winning coalition (a qualified majority of capability on the side
  of the move; `--param nash.bargainers=all_deciders` keeps the old every-actor rule). It returns
  the status quo on {at_sq("nash")} of the issues instead of {at_sq("nash", old)}, and its MAE falls
  from {f.number(scores(old, "nash").mae.value)} to {f.number(scores(res, "nash").mae.value)}, but it
  is still worse than the mean: where no coalition reaches the quota the status quo stands, and the
  status quo is the worst baseline here.
- **`procedural`** (pivots, the Commission as agenda setter, the Parliament under co-decision)
  predicts gridlock whenever the reference point lies inside the Council's core: it returns the
  status quo on {at_sq("procedural")} of the issues; it is worse than the compromise model, as Leinaweaver & Thomson (2014) report for
  procedural models in general. It is the model to use for *why* an issue cannot move (its account
  names the core and the pivot), not for where it lands.
- **The status quo is what hurts the status-quo-anchored models.** DEU reference points sit mostly
  at the ends of the scale (0 or 100) while outcomes fall between; with the status quo set to 50
  (`--status-quo midpoint`, the variants table) `nash` and `procedural` come within about a point
  of the mean. That is a finding on this split, not a fitted choice.
- **`ensemble`** (a blend fitted to DEU outcomes) does not beat the mean under cross-validation:
  see below. Use it, if at all, for EU-like cases; its weights are fitted to DEU and say nothing
  about other negotiations.
- **Agreement**: on DEU every scored issue was decided, and accord's agreement rule (with no veto
  players or principals in the DEU scenarios, every actor must prefer the outcome to the status
  quo) says "no agreement" for most models' forecasts — so the Brier scores below measure that
  rule's strictness, not a model's insight. The two case files are too few to calibrate anything.

## Reproducing issue #10's table

Settings as in the issue: Nice votes for every member state, the Commission and the Parliament at
the mean weight of the issue's Council members, status quo = the reference point or 50, missing
saliences 50, "within 10" = |error| ≤ 10. `nash` with its old rule (`all_deciders`).

{repro_md}

## Every predictor on the dev split

{view.scores_markdown(res)}

`ensemble` is scored out of fold: its blend weights were refitted inside each training fold of a
5-fold cross-validation grouped by proposal (no proposal has issues in both the training and the
test part), {REPEATS} times over with different random splits; the errors are averaged over the
repeats.

## By procedure and Council rule (MAE [95%])

{view.breakdown_markdown(res, ["procedure×rule"])}

Δ from the weighted mean in each cell:

{view.breakdown_markdown(res, ["procedure×rule"], measure="delta")}

## By treaty period (inferred; MAE [95%])

The period is inferred per proposal from the member states present and the year in its id (the
file has no dates): EU-15 to April 2004, EU-25 from November 2004, EU-27 from 2007, EU-28 from July
2013 (decisions after October 2014 get the EU-28 Nice weights; Lisbon's double majority needs
population figures accord does not have).

{view.breakdown_markdown(res, ["period"])}

## Capabilities and the status quo: the choices, side by side

MAE (Δ from the weighted mean) of four models under each choice of `accord backtest deu`'s options;
the mean ignores capabilities, so it changes only with the status quo and the saliences.

{var_md}

The exact power indices (`accord.power`, by generating functions) change the compromise model's
error by a few tenths at most: on DEU, who holds which position matters far more than the precise
share of Council power.

## The ensemble: fitted honestly, and not better

Components: the salience-weighted mean, `compromise`, `median`, `nash`, `bdm` and `procedural`,
blended with weights ≥ 0 summing to 1 that minimise the absolute errors (a linear programme). The
shipped weights (`src/accord/data/ensemble/{DEFAULT_WEIGHTS}.json`, fitted on all {res.scored} issues by
`scripts/fit_ensemble.py`) and the weights chosen inside the cross-validation folds:

{weights_md}

**The target** was an MAE at least 15% below the weighted mean's under grouped cross-validation,
{f.fixed(target, 1)} or less, with an interval of Δ that excludes 0. **Achieved: MAE
{view.estimate_text(ens.mae)}, {view.delta_text(ens.vs_baseline)} — {"met" if met else "not met"}.**
In-sample (scored on the issues its weights were fitted to) the blend reaches
{f.fixed(shipped["in_sample_mae"], 1)}; the gap to the cross-validated figure is what fitting six
weights to {res.groups} proposals buys by chance. The folds disagree on the weights (the ranges
above), another sign that the data cannot tell these blends apart. With {res.groups} proposals a
difference of about one point of MAE is at the edge of what can be detected at all.

## Agreement on DEU

Every scored DEU issue counts as agreement reached. Point runs (each probability is 0 or 1):

{view.agreement_markdown(res)}

## The case files (agreement only)

Neither case has a verified outcome on its issues' scales (their files say why), so they are scored
on agreement: the EC car-emission package was adopted (1987, by qualified majority), the 2026
US–Iran talks ended without a deal and with strikes on Iran. Point runs:

{view.agreement_markdown(cases)}

With 1,000 draws of each scenario's uncertain inputs:

{view.agreement_markdown(cases_mc)}

## Caveats

- The dev split is 70% of the DEU proposals; the rest is held out and not distributed. Everything
  here was developed on the dev split, so these figures are optimistic for any model that was
  adjusted after seeing them. The ensemble's design was fixed before its cross-validated score was
  computed and nothing was tuned to that score, but it followed an earlier exploration of stacking
  on this same split; the "4 × the mean member" variant was likewise suggested by an exploratory
  fit here, so its row is in-sample.
- DEU positions, saliences, reference points and outcomes are expert codings on a 0–100 scale;
  issues without a reference point get a status quo of 50, which is a placeholder, not a fact.
- Capabilities for the Commission and the Parliament are a convention (the mean member weight),
  not a measurement; the variants table shows how much that choice moves the numbers.
- The agreement analysis of DEU issues uses every actor as a decider; a procedure-aware agreement
  rule (who must consent under QMV or unanimity) is not part of this issue.
"""
    OUT.write_text(doc, encoding="utf-8")
    print(f"wrote {OUT} in {seconds:.0f} s")


if __name__ == "__main__":
    main()
