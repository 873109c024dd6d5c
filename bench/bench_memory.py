"""Monte Carlo memory: what one chunk costs per model, and 1,000,000 Muscat draws with every model on
two workers (the whole process tree must stay under 2 GB), before and after.

Run from the project root::

    python bench/bench_memory.py [--before DIR|COMMIT] [--draws 1000000] [--before-million]
                                 [--write bench/results/memory.md]

1. One chunk: ``forecast(muscat, MODEL, runs=4096, workers=1)`` (one chunk of the default size,
   run in process) for each model alone and for all of them, in a fresh child of each tree; the
   tracemalloc peak (numpy's and Python's allocations) of that call.
2. The million-draw run: ``forecast(muscat, "all", runs=N, seed=1, workers=2)`` in a fresh child;
   the resident memory of its whole process tree (the child and its loky workers) is sampled
   every 0.1 s from /proc, and the child's own peak (VmHWM). Always for this checkout; for the
   "before" tree only with ``--before-million`` (it took 1,555 s there): without it, issue 15's
   measurement of the same run on this machine class is quoted. Next to it, what
   ``accord.runs.montecarlo`` predicts: the parent's per-draw arrays (``memory_needed``) plus a
   chunk per worker (``chunk_memory``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    RESULTS,
    ROOT,
    Report,
    before_tree,
    compile_tree,
    load,
    machine,
    machine_line,
    run_json,
    table,
    tree_rss,
)

MODELS = ("compromise", "median", "condorcet", "nash", "bdm", "smp")
CHUNK = 4096
#: issue 15's measurement before the work (1,000,000 draws, every model, 2 workers)
BEFORE_MILLION = {"seconds": 1555.0, "peak_tree_mib": 2257.0, "rate": 643.0}


def child_chunk(model: str) -> dict:
    import accord
    from accord.runs.forecast import forecast

    sc = accord.load("us-iran-muscat-2026")
    forecast(sc, model, runs=64, seed=1, workers=1)  # imports, caches, compiled code
    tracemalloc.start()
    forecast(sc, model, runs=CHUNK, seed=1, workers=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"peak_mib": peak / 2**20}


def child_million(draws: int, workers: int) -> dict:
    import accord
    from accord.runs.forecast import forecast

    sc = accord.load("us-iran-muscat-2026")
    peak = [0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss(os.getpid()))
            stop.wait(0.1)

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    t = time.perf_counter()
    fc = forecast(sc, "all", runs=draws, seed=1, workers=workers)
    seconds = time.perf_counter() - t
    stop.set()
    th.join()
    with open("/proc/self/status") as fh:
        parent = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM"))
    out = {
        "draws": fc.draws,
        "workers": fc.workers,
        "chunk": fc.chunk_size,
        "seconds": seconds,
        "rate": fc.draws / seconds,
        "peak_tree_mib": peak[0] / 2**20,
        "peak_parent_mib": parent / 2**20,
        "p_agreement": {m: fc.models[m].agreement.probability for m in fc.models},
    }
    try:  # the memory model (after issue 15 only)
        from accord.runs import montecarlo as mc
        from accord.uncertainty import bounds

        plan = mc.Plan(
            variants=(mc.VariantInput("base", fc.arrays, bounds(sc, None)),),
            models=tuple(mf.model for mf in fc.models.values()),
        )
        out["model_parent_mib"] = mc.memory_needed(plan, draws) / 2**20
        out["model_chunk_mib"] = mc.chunk_memory(plan, fc.chunk_size) / 2**20
    except AttributeError:
        pass
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--before", help="checkout or commit to compare with (default: issue 15's start)"
    )
    ap.add_argument("--draws", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--before-million", action="store_true", help="also run the big run before")
    ap.add_argument("--skip-million", action="store_true")
    ap.add_argument("--million-json", type=Path, help="take the after run from this file")
    ap.add_argument("--write", type=Path, nargs="?", const=RESULTS / "memory.md")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, arg = args.child
        out = child_chunk(arg) if kind == "chunk" else child_million(int(arg), args.workers)
        print(json.dumps(out))
        return
    before = before_tree(args.before)
    for tree in (before, ROOT):
        compile_tree(tree)
    m, load0 = machine(), load()
    trees = {"before": before, "after": ROOT}
    rep = Report("memory")
    rep.out(
        "# Monte Carlo memory: before and after",
        "",
        f"`python bench/bench_memory.py --write` (before = `{before.name}`, after = this checkout).",
        "",
        f"## One chunk ({CHUNK:,} draws of the Muscat scenario, in process): tracemalloc peak",
        "",
    )
    rows = []
    for model in (*MODELS, "all"):
        r = {k: run_json(t, [__file__, "--child", "chunk", model]) for k, t in trees.items()}
        rep.data.setdefault("chunk", {})[model] = r
        b, a = r["before"]["peak_mib"], r["after"]["peak_mib"]
        rows.append([model, f"{b:,.0f} MiB", f"{a:,.0f} MiB", f"{b / a:.1f}×"])
        print(rows[-1], flush=True)
    rep.out(*table(["model", "before", "after", "before / after"], rows, (1, 2, 3)))
    rep.out(
        "",
        "Before, BDM's Monte Carlo chunks kept their dyadic tables (the run passed a model's full "
        "settings, which hid that the user had not asked for them) and SMP kept and rescaled "
        "every turn's tables; after, both keep only what the summaries read.",
    )
    if not args.skip_million:
        if args.million_json:  # a finished child's output
            after = json.loads(args.million_json.read_text().strip().splitlines()[-1])
        else:
            after = run_json(
                ROOT,
                [__file__, "--child", "million", str(args.draws), "--workers", str(args.workers)],
            )
        big = {"after": after}
        if args.before_million:
            big["before"] = run_json(
                before,
                [__file__, "--child", "million", str(args.draws), "--workers", str(args.workers)],
            )
        rep.data["million"] = big
        a = big["after"]
        b = big.get("before")
        bq = b or BEFORE_MILLION
        src = (
            "measured in this run" if b else "issue 15's measurement on this machine class, quoted"
        )
        rep.out(
            "",
            f"## {args.draws:,} draws of the Muscat scenario, every model, {args.workers} workers",
            "",
            *table(
                ["", f"before ({src})", "after"],
                [
                    [
                        "peak RSS, whole process tree",
                        f"{bq['peak_tree_mib']:,.0f} MiB",
                        f"{a['peak_tree_mib']:,.0f} MiB",
                    ],
                    [
                        "peak RSS, the parent alone (VmHWM)",
                        f"{b['peak_parent_mib']:,.0f} MiB" if b else "–",
                        f"{a['peak_parent_mib']:,.0f} MiB",
                    ],
                    ["wall time", f"{bq['seconds']:,.0f} s", f"{a['seconds']:,.0f} s"],
                    [
                        "draws/s (all six models together)",
                        f"{bq['rate']:,.0f}",
                        f"{a['rate']:,.0f}",
                    ],
                ],
                (1, 2),
            ),
            "",
            f"Under 2 GB (2,048 MiB) for the whole tree: {'yes' if a['peak_tree_mib'] < 2048 else 'NO'}. "
            f"Chunks of {a['chunk']:,}. The memory model predicts {a.get('model_parent_mib', float('nan')):,.0f} MiB "
            f"of per-draw arrays in the parent and {a.get('model_chunk_mib', float('nan')):,.0f} MiB per worker's "
            "chunk, on top of each interpreter's own ~150 MiB (numpy, pydantic, numba's ~100 MiB in "
            "a worker that loads the compiled loops).",
            "",
            "P(agreement): " + ", ".join(f"{k} {v:.3f}" for k, v in a["p_agreement"].items()) + ".",
            *(
                []
                if b
                else [
                    "",
                    'The quoted "before" was measured at another time and load: compare its '
                    "memory, not its time (memory does not depend on the load; time does). For "
                    "times side by side, run with `--before-million` in a quiet period.",
                ]
            ),
        )
    rep.out("", machine_line(m, load0, load()))
    rep.write(args.write)


if __name__ == "__main__":
    main()
