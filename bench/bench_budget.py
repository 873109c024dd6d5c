"""How good is the run budget's estimate? Time and trace the memory of every model on scenarios
of growing size and set them beside :func:`accord.budget.model_cost`.

    PYTHONPATH=src python bench/bench_budget.py            # prints a markdown table
    PYTHONPATH=src python bench/bench_budget.py --quick    # smaller sizes only

The estimate only has to be right to a factor of about two: it decides whether a run is announced
(over a minute), refused (over the hour limit, or over the memory available), never a result.
Times are CPU seconds of one run on all its draws (tracemalloc, on for the memory, slows numpy a
little). Results: bench/results/budget.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc

import numpy as np

from accord.arrays import from_table
from accord.budget import model_cost
from accord.models import MODELS

SIZES = {
    "compromise": [(100, 10, 1000), (1000, 10, 100)],
    "median": [(100, 10, 1000), (1000, 10, 100)],
    "condorcet": [(100, 10, 100), (1000, 2, 10), (3000, 1, 1)],
    "nash": [(100, 10, 1000), (1000, 10, 100)],
    "bdm": [(20, 3, 1000), (100, 3, 20), (300, 2, 2), (1000, 1, 1)],
    "smp": [(10, 3, 100), (30, 3, 10), (60, 3, 2), (100, 2, 1), (150, 2, 1)],
}
QUICK = {k: v[:2] for k, v in SIZES.items()}


def arrays(n_a: int, n_i: int, draws: int, seed: int = 0):
    r = np.random.default_rng(seed)
    return from_table(
        [f"a{j}" for j in range(n_a)],
        r.uniform(1, 100, (draws, n_a)),
        r.uniform(0, 100, (draws, n_a, n_i)),
        r.uniform(0, 1, (draws, n_a, n_i)),
    )


def measure(name: str, n_a: int, n_i: int, draws: int) -> dict:
    model = MODELS[name]()
    arr = arrays(n_a, n_i, draws)
    tracemalloc.start()
    t0 = time.process_time()  # CPU time: the machine may be shared
    model.run(arr, rng=1)
    seconds = time.process_time() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cost = model_cost(name, model.params, n_a, n_i)
    return {
        "model": name,
        "shape": f"{n_a} × {n_i} × {draws}",
        "seconds": seconds,
        "estimate": cost.fixed + draws * cost.seconds,
        "peak": peak,
        "memory": draws * cost.memory,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the smaller sizes only")
    args = ap.parse_args()
    rows = []
    for name, sizes in (QUICK if args.quick else SIZES).items():
        for n_a, n_i, draws in sizes:
            rows.append(measure(name, n_a, n_i, draws))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, numpy {np.__version__}; load {os.getloadavg()[0]:.2f}"
    )
    print()
    print(
        "| model | actors × issues × draws | CPU s | estimated s | ratio | "
        "peak MiB | estimated MiB | ratio |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['model']} | {r['shape']} | {r['seconds']:.3f} | {r['estimate']:.3f} | "
            f"{r['estimate'] / r['seconds']:.2f} | {r['peak'] / 2**20:.0f} | "
            f"{r['memory'] / 2**20:.0f} | {r['memory'] / max(r['peak'], 1):.2f} |"
        )


if __name__ == "__main__":
    main()
