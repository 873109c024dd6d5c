"""SMP (accord.models.smp): KTAB's inputs, growth from 10 to 320 actors and a Muscat batch, before
and after, side by side in one run.

Run from the project root::

    python bench/bench_smp.py [--before DIR|COMMIT] [--repeat 5] [--write bench/results/smp.md]

Every measurement runs in a fresh child process of the tree it measures (before: the commit issue
15 started from, by default; after: this checkout), one after the other. Reported: median
[min–max] over ``--repeat`` runs after a warm-up run; ratios are before / after of the same
quantity, labelled model time (in process, the model alone) or whole process (``accord forecast
FILE --model smp``, what a CLI user waits for).

1. KTAB inputs, default switches: model time and whole-process time, against KTAB ``smpc`` -O3's
   whole-process times recorded on this machine class (``shared/docs/MODELS.md`` §5; ``smpc`` is
   not built here, so they are quoted, not re-measured): whole process against whole process.
2. Growth: random KTAB-style scenarios (``random_scenario``) with 10 … 320 actors in 3
   dimensions, a fixed number of turns: model time per turn and the tracemalloc peak of a run.
3. A batch: 1,000 sampled draws of the Muscat scenario (6 actors × 6 issues) to each draw's stop.
4. The compiled loops' start-up: importing numba and loading the cached machine code (the first
   run of a 160-actor scenario in a fresh process against the second).
"""

from __future__ import annotations

import argparse
import json
import sys
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
    fmt_time,
    load,
    machine,
    machine_line,
    measure,
    ratio,
    table,
    timed,
    whole_process,
)

DATA = ROOT / "tests" / "data" / "ktab"
#: KTAB smpc whole-process wall times on this machine class (MODELS.md §5; 3Dim: issue 15)
KTAB_S = {
    "SOE-Pol-Comp": 0.35,
    "dummyData_3Dim": 0.055,
    "dummyData_6Dim": 2.37,
    "dummyData-a040": 5.48,
}
SCALE = (10, 20, 40, 80, 160, 320)
DIMS = 3
BATCH = 1000


def random_scenario(n_act: int, n_dim: int, seed: int):
    """KTAB-style random actors: capability U(10, 200); total salience U(0.75, 0.99) split in
    proportion to U(0.1, 1) shares; positions U(0, 100) (``SMPActor::randomize``)."""
    import numpy as np

    from accord.arrays import from_table

    g = np.random.default_rng(seed)
    cap = g.uniform(10.0, 200.0, n_act)
    share = g.uniform(0.1, 1.0, (n_act, n_dim))
    sal = share / share.sum(axis=1, keepdims=True) * g.uniform(0.75, 0.99, (n_act, 1))
    pos = g.uniform(0.0, 100.0, (n_act, n_dim))
    return from_table([f"a{k:03d}" for k in range(n_act)], cap, pos, sal)


def turns_for(n_act: int) -> int:
    return 10 if n_act <= 40 else 4 if n_act <= 160 else 2


def child(kind: str, arg: str, repeat: int) -> dict:
    from accord.models.smp import SMP

    if kind == "ktab":
        from accord.scenario.convert import to_arrays
        from accord.scenario.ktab import read_ktab_csv

        arrays = to_arrays(read_ktab_csv(DATA / f"{arg}.csv"))
        s = timed(lambda: SMP().run(arrays), repeat)
        res = SMP().run(arrays)
        return {"model": s, "turns": int(res.details["n_turns"][0]), "actors": arrays.n_actors}
    if kind == "scale":
        n = int(arg)
        arrays = random_scenario(n, DIMS, seed=n)
        turns = turns_for(n)
        model = SMP(max_turns=turns, min_turns=turns)
        s = timed(lambda: model.run(arrays), repeat if n <= 160 else max(2, repeat // 2))
        tracemalloc.start()
        model.run(arrays)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        per_turn = {k: v / turns if k != "n" else v for k, v in s.items()}
        return {"per_turn": per_turn, "turns": turns, "peak_mib": peak / 2**20}
    if kind == "batch":
        import accord
        from accord.uncertainty import sample

        arrays = sample(accord.load("us-iran-muscat-2026"), BATCH, rng=2026)
        off = {"record_turns": False} if "record_turns" in SMP.defaults else {}
        model = SMP(**off)
        s = timed(lambda: model.run(arrays), repeat)
        res = model.run(arrays)
        tracemalloc.start()
        model.run(arrays)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        turns = res.details["n_turns"]
        return {
            "model": s,
            "peak_mib": peak / 2**20,
            "turns_mean": float(turns.mean()),
            "turns_max": int(turns.max()),
        }
    if kind == "startup":
        t = time.perf_counter()
        try:
            import numba  # noqa: F401
        except ImportError:
            return {}
        imp = time.perf_counter() - t
        arrays = random_scenario(160, DIMS, seed=160)
        model = SMP(max_turns=1, min_turns=1)
        t = time.perf_counter()
        model.run(arrays)
        first = time.perf_counter() - t
        t = time.perf_counter()
        model.run(arrays)
        second = time.perf_counter() - t
        return {"import": imp, "first": first, "second": second}
    raise ValueError(kind)


def cli(name: str) -> list[str]:
    return ["-m", "accord", "forecast", str(DATA / f"{name}.csv"), "--model", "smp"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--before", help="checkout or commit to compare with (default: issue 15's start)"
    )
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--write", type=Path, nargs="?", const=RESULTS / "smp.md")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.repeat)))
        return
    before = before_tree(args.before)
    for tree in (before, ROOT):
        compile_tree(tree)
    m, load0 = machine(), load()
    trees = {"before": before, "after": ROOT}
    rep = Report("smp")
    rep.out(
        "# SMP: before and after",
        "",
        f"`python bench/bench_smp.py --write` (before = `{before.name}`, after = this checkout). "
        f"Median [min–max] of {args.repeat} runs after a warm-up, each in a fresh process of its "
        "tree; model time = the model alone in process (CPU time), whole process = `accord "
        "forecast FILE --model smp` as a user runs it (wall clock). Ratios compare like with like.",
        "",
        "## KTAB's inputs (default switches)",
        "",
    )
    rows, wrows = [], []
    for name, ktab in KTAB_S.items():
        r = {k: measure(t, __file__, "ktab", name, args.repeat) for k, t in trees.items()}
        w = {k: whole_process(t, cli(name), args.repeat) for k, t in trees.items()}
        rep.data.setdefault("ktab", {})[name] = {"model": r, "whole": w, "smpc_s": ktab}
        a = r["after"] or {}
        label = f"{name} ({a.get('actors', '?')} actors, {a.get('turns', '?')} turns)"
        rows.append(
            [
                label,
                fmt_time((r["before"] or {}).get("model")),
                fmt_time(a.get("model")),
                ratio((r["before"] or {}).get("model"), a.get("model")),
            ]
        )
        wb, wa = w["before"], w["after"]
        wrows.append(
            [
                label,
                f"{ktab:.3f} s",
                fmt_time(wb),
                fmt_time(wa),
                f"{ktab / wb['median']:.2f}×",
                f"{ktab / wa['median']:.2f}×",
            ]
        )
        print(rows[-1], wrows[-1], flush=True)
    rep.out("Model time (in process):", "")
    rep.out(*table(["KTAB input", "before", "after", "before / after"], rows, (1, 2, 3)))
    rep.out(
        "",
        "Whole process against whole process (KTAB `smpc` -O3 as recorded earlier; speed-up = "
        "smpc time / accord time, so above 1× accord is faster):",
        "",
    )
    rep.out(
        *table(
            [
                "KTAB input",
                "KTAB smpc",
                "accord before",
                "accord after",
                "speed-up before",
                "speed-up after",
            ],
            wrows,
            (1, 2, 3, 4, 5),
        )
    )

    rep.out("", f"## Growth with the number of actors ({DIMS} dimensions, fixed turns)", "")
    srows = []
    for n in SCALE:
        r = {k: measure(t, __file__, "scale", n, args.repeat) for k, t in trees.items()}
        rep.data.setdefault("scale", {})[n] = r
        b, a = r["before"], r["after"]
        srows.append(
            [
                str(n),
                str((a or b or {}).get("turns", "?")),
                fmt_time(b["per_turn"]) if b else "failed / not run",
                fmt_time(a["per_turn"]) if a else "failed",
                ratio(b["per_turn"] if b else None, a["per_turn"] if a else None),
                f"{b['peak_mib']:,.1f} MiB" if b else "–",
                f"{a['peak_mib']:,.1f} MiB" if a else "–",
            ]
        )
        print(srows[-1], flush=True)
    rep.out(
        *table(
            [
                "actors",
                "turns",
                "per turn, before",
                "per turn, after",
                "before / after",
                "peak, before",
                "peak, after",
            ],
            srows,
            (0, 1, 2, 3, 4, 5, 6),
        )
    )
    grow = []
    sc = rep.data["scale"]
    for lo, hi in zip(SCALE, SCALE[1:], strict=False):
        for key in ("before", "after"):
            if sc[lo][key] and sc[hi][key]:
                import math

                k = math.log(
                    sc[hi][key]["per_turn"]["median"] / sc[lo][key]["per_turn"]["median"]
                ) / math.log(hi / lo)
                grow.append(f"{key} {lo}→{hi}: n^{k:.1f}")
    rep.out("", "Growth exponent of the time per turn (from the medians): " + "; ".join(grow) + ".")

    r = {k: measure(t, __file__, "batch", 0, args.repeat) for k, t in trees.items()}
    rep.data["batch"] = r
    b, a = r["before"], r["after"]
    rep.out(
        "",
        f"## A batch: {BATCH:,} sampled draws of the Muscat scenario (6 actors × 6 issues), to each draw's stop",
        "",
        *table(
            ["", "before", "after", "before / after"],
            [
                [
                    "model time",
                    fmt_time(b["model"]),
                    fmt_time(a["model"]),
                    ratio(b["model"], a["model"]),
                ],
                [
                    "draws/s",
                    f"{BATCH / b['model']['median']:,.0f}",
                    f"{BATCH / a['model']['median']:,.0f}",
                    "",
                ],
                ["tracemalloc peak", f"{b['peak_mib']:.0f} MiB", f"{a['peak_mib']:.0f} MiB", ""],
            ],
            (1, 2, 3),
        ),
        "",
        f"Turns: mean {a['turns_mean']:.1f}, longest {a['turns_max']} (KTAB's cap is 100).",
    )
    s = measure(ROOT, __file__, "startup", 0, 1)
    rep.data["startup"] = s
    if s:
        rep.out(
            "",
            f"Compiled loops (numba): `import numba` {s['import']:.2f} s; first run of a 160-actor "
            f"turn in a fresh process {s['first']:.2f} s (loads the cached machine code; the very "
            f"first run after an install also compiles it, a few seconds), the second "
            f"{s['second']:.2f} s. They serve only batches of at least "
            "`accord.models.kernels.MIN_WORK` numbers, so a single small run never imports numba.",
        )
    rep.out("", machine_line(m, load0, load()))
    rep.write(args.write)


if __name__ == "__main__":
    main()
