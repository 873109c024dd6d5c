"""Speed of the BDM model (accord.models.bdm) against the pure-Python reference, and batch throughput.

Run from the project root:  .venv/bin/python bench/bench_bdm.py  [--write bench/results/bdm.md]

1. Single runs, best of several repetitions: the EC car-emissions example (10 actors, 10 rounds)
   and the Sultan oil-price set (17 actors, 5 rounds), against jmckib's pure-Python Scholz
   replication timed on this machine class (MODELS.md §5: 5.6 s and 61.5 s); the target is
   ≥ 100× faster.
2. A batch: 10,000 draws of the built-in Muscat scenario (6 actors × 6 issues; its uncertain inputs
   sampled by ``accord.uncertainty.sample`` with a fixed seed), 10 rounds on every issue. Each
   configuration runs in a fresh child process so its peak RSS (``resource.getrusage`` maxrss) is
   its own; the child also reports the tracemalloc peak of numpy's allocations in a second pass.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from accord.arrays import from_table  # noqa: E402
from accord.models.bdm import BDM  # noqa: E402

DATA = ROOT / "tests" / "data" / "scholz"
REFERENCE_S = {
    "EC car emissions (10 actors, 10 rounds)": 5.6,
    "Sultan oil (17 actors, 5 rounds)": 61.5,
}
DRAWS, ROUNDS = 10_000, 10


def load(name: str):
    with open(DATA / name, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return from_table(
        [r["Actor"] for r in rows],
        [float(r["Capability"]) for r in rows],
        [float(r["Position"]) for r in rows],
        [float(r["Salience"]) for r in rows],
    )


def best_of(fn, repeat: int) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def muscat(draws: int):
    """``draws`` samples of the built-in Muscat scenario's uncertain inputs (docs/uncertainty.md)."""
    import accord
    from accord.uncertainty import sample

    return sample(accord.load("us-iran-muscat-2026"), draws, rng=2026)


def batch_child(chunk: int, dyads: bool) -> dict:
    """Run the 10,000-draw batch in chunks of ``chunk`` draws (in this process)."""
    arrays = muscat(DRAWS)
    model = BDM(rounds=ROUNDS, record_dyads=dyads)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def run_all() -> list:
        # keep every chunk's result, as a Monte Carlo caller would
        return [model.run(arrays.take_draws(slice(s, s + chunk))) for s in range(0, DRAWS, chunk)]

    t0 = time.perf_counter()
    results = run_all()
    wall = time.perf_counter() - t0
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kept = sum(
        r.history.nbytes
        + sum(
            v.nbytes
            for v in r.details.values()
            if isinstance(v, np.ndarray) and not np.shares_memory(v, r.history)  # move_position
        )
        for r in results
    )
    del results
    tracemalloc.start()
    run_all()
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "wall_s": wall,
        "draws_per_s": DRAWS / wall,
        "base_rss_mib": base_rss / 1024,
        "peak_rss_mib": peak_rss / 1024,
        "traced_peak_mib": traced / 2**20,
        "results_mib": kept / 2**20,
    }


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kib / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "date": dt.date.today().isoformat(),
        # other work on a shared machine shows here; the timings are only as quiet as this
        "load": ", ".join(f"{v:.1f}" for v in os.getloadavg()),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", type=Path, help="also write a Markdown report here")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        chunk, dyads = args.child.split(",")
        print(json.dumps(batch_child(int(chunk), dyads == "1")))
        return

    lines = []

    def out(text: str = "") -> None:
        print(text)
        lines.append(text)

    ec, sultan = load("ec_car_emissions.csv"), load("sultan_oil.csv")
    singles = [
        ("EC car emissions (10 actors, 10 rounds)", lambda: BDM(rounds=10).run(ec)),
        ("Sultan oil (17 actors, 5 rounds)", lambda: BDM(rounds=5).run(sultan)),
    ]
    out(
        f"| single run | accord (best of {args.repeat}) | pure-Python reference | speed-up | target ≥ 100× |"
    )
    out("|---|---:|---:|---:|---|")
    for label, fn in singles:
        t = best_of(fn, args.repeat)
        ref = REFERENCE_S[label]
        ok = "yes" if ref / t >= 100 else "NO"
        out(
            f"| {label} | {t * 1e3:.2f} ms | {ref:.1f} s | {ref / t:,.0f}× | {ok} (< {ref * 10:.0f} ms) |"
        )
    out()
    out(
        f"| batch: {DRAWS:,} draws of the Muscat scenario (6 actors × 6 issues), {ROUNDS} rounds | wall | draws/s | "
        "peak RSS | tracemalloc peak | results kept |"
    )
    out("|---|---:|---:|---:|---:|---:|")
    for chunk, dyads in ((1000, False), (1000, True), (DRAWS, False), (2500, False)):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", f"{chunk},{int(dyads)}"],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        label = f"chunks of {chunk:,} draws, record_dyads={dyads}"
        out(
            f"| {label} | {r['wall_s']:.2f} s | {r['draws_per_s']:,.0f} | {r['peak_rss_mib']:,.0f} MiB "
            f"(inputs {r['base_rss_mib']:,.0f}) | {r['traced_peak_mib']:,.0f} MiB | {r['results_mib']:,.0f} MiB |"
        )
    m = machine()
    out()
    out(
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram']} RAM; Python {m['python']}, numpy {m['numpy']}; "
        f"{m['date']}; load average at the end {m['load']} (1, 5, 15 min)."
    )
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(HEADER + "\n".join(lines) + "\n" + FOOTER)


HEADER = """# BDM model benchmark

`bench/bench_bdm.py` (run: `.venv/bin/python bench/bench_bdm.py --write bench/results/bdm.md`).
Reference times: jmckib's pure-Python Scholz replication on the same machine class
(`../shared/docs/MODELS.md` §5). Batch = 10,000 draws of the built-in Muscat scenario (inputs
sampled from their ranges, seed 2026), every issue 10 rounds, results of all chunks kept in memory.

"""

FOOTER = """
Notes: peak RSS includes the interpreter, numpy and the 10,000-draw input arrays ("inputs" =
RSS before the first run). tracemalloc peak = the largest amount numpy had allocated at once
during a second pass (results included). With `record_dyads=True` each draw keeps
3 × 8 · rounds · actors² · issues bytes of dyadic tables (≈ 51 KiB for the Muscat scenario), so a Monte Carlo
service should pass `record_dyads=False` and keep dyads only for the draws it narrates.
"""


if __name__ == "__main__":
    main()
