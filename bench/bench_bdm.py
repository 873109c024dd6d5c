"""BDM (accord.models.bdm): the Scholz examples, growth from 10 to 320 actors and a Muscat batch,
before and after, side by side in one run.

Run from the project root::

    python bench/bench_bdm.py [--before DIR|COMMIT] [--repeat 7] [--write bench/results/bdm.md]

Every measurement runs in a fresh child process of the tree it measures (before: the commit issue
15 started from, by default; after: this checkout). Median [min–max] over ``--repeat`` runs after
a warm-up; ratios are before / after of the same quantity, labelled model time (the model alone,
in process, CPU time) or whole process (``accord forecast FILE --model bdm``, wall clock).

1. The EC car-emissions example (10 actors, 10 rounds) and the Sultan oil set (17 actors, 5
   rounds): model time; whole-process time against jmckib's pure-Python Scholz replication,
   whose whole-process times on this machine class are recorded in ``shared/docs/MODELS.md`` §5
   (5.6 s and 61.5 s; not re-run here): whole process against whole process.
2. Growth: one issue, 10 … 320 actors (positions, capabilities and saliences drawn at random),
   10 rounds: model time per round.
3. A batch: 10,000 sampled draws of the Muscat scenario (6 actors × 6 issues), 10 rounds, without
   the dyadic tables (as Monte Carlo runs it): model time and tracemalloc peak.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
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

DATA = ROOT / "tests" / "data" / "scholz"
#: file, rounds, jmckib's pure-Python replication's whole-process time (MODELS.md §5)
EXAMPLES = {
    "EC car emissions (10 actors, 10 rounds)": ("ec_car_emissions.csv", 10, 5.6),
    "Sultan oil (17 actors, 5 rounds)": ("sultan_oil.csv", 5, 61.5),
}
SCALE = (10, 20, 40, 80, 160, 320)
ROUNDS = 10
BATCH = 10_000


def load_table(name: str):
    from accord.arrays import from_table

    with open(DATA / name, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return from_table(
        [r["Actor"] for r in rows],
        [float(r["Capability"]) for r in rows],
        [float(r["Position"]) for r in rows],
        [float(r["Salience"]) for r in rows],
    )


def child(kind: str, arg: str, repeat: int) -> dict:
    import numpy as np

    from accord.arrays import from_table
    from accord.models.bdm import BDM

    if kind == "example":
        name, rounds, _ = EXAMPLES[arg]
        arrays = load_table(name)
        return {"model": timed(lambda: BDM(rounds=rounds).run(arrays), repeat)}
    if kind == "scale":
        n = int(arg)
        g = np.random.default_rng(n)
        arrays = from_table(
            [f"a{k:03d}" for k in range(n)],
            g.uniform(10, 200, n),
            g.uniform(0, 100, n),
            g.uniform(0.2, 1.0, n),
        )
        model = BDM(rounds=ROUNDS, record_dyads=False)
        s = timed(lambda: model.run(arrays), repeat)
        return {"per_round": {k: v / ROUNDS if k != "n" else v for k, v in s.items()}}
    if kind == "batch":
        import accord
        from accord.uncertainty import sample

        arrays = sample(accord.load("us-iran-muscat-2026"), BATCH, rng=2026)
        model = BDM(rounds=ROUNDS, record_dyads=False)
        s = timed(lambda: model.run(arrays), max(1, repeat // 2))
        tracemalloc.start()
        model.run(arrays)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return {"model": s, "peak_mib": peak / 2**20}
    raise ValueError(kind)


def cli(name: str, rounds: int) -> list[str]:
    return ["-m", "accord", "forecast", str(DATA / name), "--model", "bdm", "--rounds", str(rounds)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--before", help="checkout or commit to compare with (default: issue 15's start)"
    )
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--write", type=Path, nargs="?", const=RESULTS / "bdm.md")
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
    rep = Report("bdm")
    rep.out(
        "# BDM: before and after",
        "",
        f"`python bench/bench_bdm.py --write` (before = `{before.name}`, after = this checkout). "
        f"Median [min–max] of {args.repeat} runs after a warm-up, each side in a fresh process of "
        "its tree; model time = the model alone in process (CPU time), whole process = `accord "
        "forecast FILE --model bdm --rounds N` (wall clock). Ratios compare like with like.",
        "",
        "## The Scholz examples",
        "",
    )
    rows, wrows = [], []
    for label, (name, rounds, ref) in EXAMPLES.items():
        r = {k: measure(t, __file__, "example", label, args.repeat) for k, t in trees.items()}
        w = {k: whole_process(t, cli(name, rounds), args.repeat) for k, t in trees.items()}
        rep.data.setdefault("examples", {})[label] = {"model": r, "whole": w, "reference_s": ref}
        rows.append(
            [
                label,
                fmt_time(r["before"]["model"]),
                fmt_time(r["after"]["model"]),
                ratio(r["before"]["model"], r["after"]["model"]),
            ]
        )
        wb, wa = w["before"], w["after"]
        wrows.append(
            [
                label,
                f"{ref:.1f} s",
                fmt_time(wb),
                fmt_time(wa),
                f"{ref / wb['median']:,.0f}×",
                f"{ref / wa['median']:,.0f}×",
            ]
        )
        print(rows[-1], wrows[-1], flush=True)
    rep.out("Model time (in process):", "")
    rep.out(*table(["example", "before", "after", "before / after"], rows, (1, 2, 3)))
    rep.out(
        "",
        "Whole process against whole process (the pure-Python replication as recorded earlier; "
        "speed-up = its time / accord's):",
        "",
    )
    rep.out(
        *table(
            [
                "example",
                "pure-Python reference",
                "accord before",
                "accord after",
                "speed-up before",
                "speed-up after",
            ],
            wrows,
            (1, 2, 3, 4, 5),
        )
    )

    rep.out("", f"## Growth with the number of actors (one issue, {ROUNDS} rounds)", "")
    srows = []
    for n in SCALE:
        r = {k: measure(t, __file__, "scale", n, args.repeat) for k, t in trees.items()}
        rep.data.setdefault("scale", {})[n] = r
        b, a = r["before"], r["after"]
        srows.append(
            [
                str(n),
                fmt_time(b["per_round"]) if b else "failed",
                fmt_time(a["per_round"]) if a else "failed",
                ratio(b and b["per_round"], a and a["per_round"]),
            ]
        )
        print(srows[-1], flush=True)
    rep.out(
        *table(
            ["actors", "per round, before", "per round, after", "before / after"],
            srows,
            (0, 1, 2, 3),
        )
    )

    r = {k: measure(t, __file__, "batch", 0, args.repeat) for k, t in trees.items()}
    rep.data["batch"] = r
    b, a = r["before"], r["after"]
    rep.out(
        "",
        f"## A batch: {BATCH:,} sampled draws of the Muscat scenario (6 actors × 6 issues), {ROUNDS} rounds, no dyadic tables",
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
        "The dyadic tables (`record_dyads=True`, the default for a single run) keep "
        "3 × 8 · rounds · A² · I bytes per draw (≈ 51 KiB for Muscat); Monte Carlo runs turn them "
        "off (`accord.runs.montecarlo.monte_carlo_params`), and since issue 15 they really are off "
        "there (a model's full settings used to hide that the user had not asked for them).",
        "",
        machine_line(m, load0, load()),
    )
    rep.write(args.write)


if __name__ == "__main__":
    main()
