"""Interactive what-ifs: one what-if on the Muscat scenario, 2,000 draws, every model, before and after.

Run from the project root::

    python bench/bench_whatif.py [--before DIR|COMMIT] [--repeat 7] [--write bench/results/whatif.md]

Each side runs in its own child process pinned to one core (``os.sched_setaffinity``), with one
worker, so "one core" is what is measured. A what-if is ``accord.forecast(muscat, "all",
runs=2000, seed=1, workers=1, changes={...})``: sampling the inputs, every model on every draw, the
agreement analysis of every outcome, the summaries and the run record, as the web page will ask
for it. The first call of a process is timed apart (imports, caches, numba loading its compiled
code); then ``--repeat`` calls, each timed by wall clock and by the process's CPU time.

Alongside, each model alone on the same 2,000 sampled draws (model time against model time), and
the zone-of-agreement analysis of the same draws when the checkout has it (issue 9's
``accord.runs.dealspace``; the call is in :func:`deal_hook`). Both sides must produce the same numbers: each child
prints a fingerprint of every model's per-draw outcomes, and the table says whether they match.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    RESULTS,
    ROOT,
    Report,
    before_tree,
    compile_tree,
    fmt_time,
    load,
    machine,
    machine_line,
    ratio,
    run_json,
    stats,
    table,
)

DRAWS = 2000
CHANGE = {"actors.us.stances.missiles.position": 20}


def deal_hook(scenario, fc):
    """The zone-of-agreement analysis of the what-if's draws, when the checkout has it (issue 9:
    ``accord.runs.dealspace.analyse_run``, as its branch names it), else None. If the API that
    lands differs, adjust this call; the timing and the table come for free."""
    try:
        from accord.runs import dealspace
    except ImportError:
        return None
    run = getattr(dealspace, "analyse_run", None)
    if not callable(run):
        return None
    from accord.uncertainty import resolve_uncertainty

    return lambda: run(
        fc.scenario, runs=DRAWS, seed=1, uncertainty=resolve_uncertainty(None), workers=1
    )


def child(repeat: int) -> dict:
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import numpy as np

    import accord
    from accord.models import MODELS
    from accord.runs.forecast import forecast
    from accord.uncertainty import sample

    sc = accord.load("us-iran-muscat-2026")

    def one():
        return forecast(sc, "all", runs=DRAWS, seed=1, workers=1, changes=CHANGE)

    t0, c0 = time.perf_counter(), time.process_time()
    fc = one()
    first = {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fc = one()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    digest = hashlib.sha256()
    for name, mf in fc.models.items():
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(mf.draws.outcome).tobytes())
        digest.update(np.ascontiguousarray(mf.draws.status).tobytes())
    out = {
        "first": first,
        "wall": stats(walls),
        "cpu": stats(cpus),
        "fingerprint": digest.hexdigest()[:16],
        "p_agreement": {n: mf.probabilities["agreement"] for n, mf in fc.models.items()},
        # since issue 9 a forecast works out the deal space of its own draws
        "deal_in_forecast": getattr(fc.record.results, "deal", None) is not None,
    }
    # each model alone on the same sampled draws (what a chunk runs)
    arrays = sample(sc, DRAWS, rng=1)
    out["models"] = {}
    for name in MODELS:
        cls = MODELS[name]
        off = {k: False for k in ("record_dyads", "record_turns") if k in cls.defaults}
        model = cls(**off)
        model.run(arrays, rng=1)
        ts = []
        for _ in range(max(3, repeat // 2)):
            c0 = time.process_time()
            model.run(arrays, rng=1)
            ts.append(time.process_time() - c0)
        out["models"][name] = stats(ts)
    hook = deal_hook(sc, fc)
    if hook is not None:
        hook()
        ts = []
        for _ in range(repeat):
            c0 = time.process_time()
            hook()
            ts.append(time.process_time() - c0)
        out["deal"] = stats(ts)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--before", help="checkout or commit to compare with (default: issue 15's start)"
    )
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--write", type=Path, nargs="?", const=RESULTS / "whatif.md")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.repeat)))
        return
    before = before_tree(args.before)
    for tree in (before, ROOT):
        compile_tree(tree)
    m, load0 = machine(), load()
    res = {}
    for key, tree in (("before", before), ("after", ROOT)):
        res[key] = run_json(tree, [__file__, "--child", "--repeat", str(args.repeat)])
        print(key, json.dumps(res[key])[:300], flush=True)
    b, a = res["before"], res["after"]
    rep = Report("whatif")
    rep.data = res
    same = b["fingerprint"] == a["fingerprint"]
    rep.out(
        "# Interactive what-ifs: Muscat, 2,000 draws, every model, one core",
        "",
        f"`python bench/bench_whatif.py --write` (before = `{before.name}`, after = this checkout): "
        f"`forecast(muscat, 'all', runs={DRAWS}, seed=1, workers=1, changes={CHANGE})` in a child "
        "process pinned to one core. Median [min–max] of "
        f"{args.repeat} calls after the first; every ratio is before / after of the same quantity.",
        "",
    )
    rows = [
        [
            "what-if, wall clock (in process, warm)",
            fmt_time(b["wall"]),
            fmt_time(a["wall"]),
            ratio(b["wall"], a["wall"]),
            f"< 1 s: {'yes' if a['wall']['median'] < 1 else 'no'}",
        ],
        [
            "what-if, CPU time of the process",
            fmt_time(b["cpu"]),
            fmt_time(a["cpu"]),
            ratio(b["cpu"], a["cpu"]),
            f"< 1 s: {'yes' if a['cpu']['median'] < 1 else 'no'}",
        ],
        [
            "first what-if of a fresh process (wall)",
            f"{b['first']['wall']:.2f} s",
            f"{a['first']['wall']:.2f} s",
            "–",
            "imports, caches, compiled code loaded",
        ],
    ]
    rep.out(*table(["", "before", "after", "before / after", "note"], rows, (1, 2, 3)))
    rep.out(
        "",
        f"Same numbers: {'yes' if same else 'NO'} (fingerprint of every model's per-draw outcomes "
        f"and statuses: before {b['fingerprint']}, after {a['fingerprint']}).",
        "",
        f"Each model alone on the same {DRAWS:,} sampled draws (CPU time, model against model; "
        "account-only tables off, as in a Monte Carlo chunk):",
        "",
    )
    mrows = []
    for name in a["models"]:
        mb = b["models"].get(name)
        mrows.append(
            [name, fmt_time(mb), fmt_time(a["models"][name]), ratio(mb, a["models"][name])]
        )
    rep.out(*table(["model", "before", "after", "before / after"], mrows, (1, 2, 3)))
    if "deal" in a and a.get("deal_in_forecast"):
        rep.out(
            "",
            f"Zone-of-agreement analysis of the same {DRAWS:,} draws "
            f"(`accord.runs.dealspace.analyse_run`, issue 9): {fmt_time(a['deal'])} CPU alone. "
            "The what-if above includes it: a forecast works out the deal space of its own draws"
            + (" (before too)." if b.get("deal_in_forecast") else " (not before)."),
        )
    elif "deal" in a:
        total = {k: a["cpu"][k] + a["deal"][k] for k in ("median", "min", "max")}
        rep.out(
            "",
            f"Zone-of-agreement analysis of the same {DRAWS:,} draws "
            f"(`accord.runs.dealspace.analyse_run`, issue 9): {fmt_time(a['deal'])} CPU; the "
            f"what-if with it: {fmt_time(total)} CPU (< 1 s: "
            f"{'yes' if total['median'] < 1 else 'no'}).",
        )
    else:
        rep.out(
            "",
            "Zone-of-agreement analysis: issue 9's `accord.runs.dealspace` is not in this "
            "checkout; `deal_hook` in this script times it once it lands on main (re-run then).",
        )
    rep.out("", machine_line(m, load0, load()))
    rep.write(args.write)


if __name__ == "__main__":
    main()
