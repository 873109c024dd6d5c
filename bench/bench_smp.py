"""Speed and memory of the SMP (accord.models.smp) against KTAB's C++ ``smpc``.

Run from the project root:  .venv/bin/python bench/bench_smp.py  [--write bench/results/smp.md]

1. KTAB's inputs, default switches, best of several repetitions (after a warm-up run), against
   KTAB ``smpc`` built with -O3 on this machine class (MODELS.md §5: SOE-Pol-Comp 0.35 s,
   dummyData_6Dim 2.37 s, dummyData-a040 5.48 s). Target: at least 5× faster.
2. Scaling: random scenarios (seeded; capabilities, saliences and positions drawn the way KTAB's
   ``SMPActor::randomize`` does) with 10, 20, 40, 80, 160 actors in 3 dimensions, 10 turns:
   time per turn, the tracemalloc peak of numpy's allocations (second pass) and the child's RSS.
3. A batch: 1,000 draws of the built-in Muscat scenario (6 actors × 6 issues, its uncertain inputs
   sampled by ``accord.uncertainty.sample`` with a fixed seed; its independent 0–100 saliences go
   through accord's salience mapping), run to each draw's own stop: draws per second.

Each configuration of parts 2 and 3 runs in a fresh child process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
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
from accord.models.smp import SMP  # noqa: E402
from accord.scenario.convert import to_arrays  # noqa: E402
from accord.scenario.ktab import read_ktab_csv  # noqa: E402

DATA = ROOT / "tests" / "data" / "ktab"
KTAB_O3_S = {"SOE-Pol-Comp": 0.35, "dummyData_6Dim": 2.37, "dummyData-a040": 5.48}
SCALE_ACTORS = (10, 20, 40, 80, 160)
SCALE_DIMS, SCALE_TURNS = 3, 10
BATCH_DRAWS = 1000


def best_of(fn, repeat: int) -> tuple[float, object]:
    out = fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def random_scenario(n_act: int, n_dim: int, seed: int):
    """KTAB-style random actors: capability U(10, 200); total salience U(0.75, 0.99) split in
    proportion to U(0.1, 1) shares; positions U(0, 100)."""
    g = np.random.default_rng(seed)
    cap = g.uniform(10.0, 200.0, n_act)
    share = g.uniform(0.1, 1.0, (n_act, n_dim))
    sal = share / share.sum(axis=1, keepdims=True) * g.uniform(0.75, 0.99, (n_act, 1))
    pos = g.uniform(0.0, 100.0, (n_act, n_dim))
    return from_table([f"a{k:03d}" for k in range(n_act)], cap, pos, sal)


def muscat(draws: int):
    """``draws`` samples of the built-in Muscat scenario's uncertain inputs (docs/uncertainty.md)."""
    import accord
    from accord.uncertainty import sample

    return sample(accord.load("us-iran-muscat-2026"), draws, rng=2026)


def child(kind: str, arg: int) -> dict:
    """One measured configuration, run inside a fresh process."""
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if kind == "scale":
        arrays = random_scenario(arg, SCALE_DIMS, seed=arg)
        model = SMP(max_turns=SCALE_TURNS)
        repeat = 3 if arg <= 40 else 1
    else:
        arrays = muscat(arg)
        model = SMP()
        repeat = 1
    wall, res = best_of(lambda: model.run(arrays), repeat)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    model.run(arrays)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    turns = res.details["n_turns"]
    return {
        "wall": wall,
        "turns_max": int(turns.max()),
        "turns_mean": float(turns.mean()),
        "peak_mib": peak / 2**20,
        "rss_mib": rss / 1024,
        "base_rss_mib": base_rss / 1024,
    }


def run_child(kind: str, arg: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(arg)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kb = next(
            int(x.split()[1])
            for x in Path("/proc/meminfo").read_text().splitlines()
            if x.startswith("MemTotal")
        )
        ram = f"{kb / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration):
        ram = "RAM unknown"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (nproc; {cpu}), {ram}; Python {platform.python_version()}, "
        f"numpy {np.__version__}; {platform.system()} {platform.release()}; {dt.date.today().isoformat()}; "
        f"load average at the end {load} (a shared machine)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", type=Path, help="write the markdown report here")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return

    lines = ["# SMP benchmark", ""]
    lines += [
        "`bench/bench_smp.py` (run: `.venv/bin/python bench/bench_smp.py --write bench/results/smp.md`).",
        "Reference: KTAB `smpc` built with -O3 on the same machine class (`../shared/docs/MODELS.md` §5),",
        "default switches, same inputs; accord's runs reproduce KTAB's position histories",
        "(`tests/models/test_smp.py`).",
        "",
        "| KTAB input | turns | accord (best of 10) | KTAB smpc -O3 | speed-up | target ≥ 5× |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, ref in KTAB_O3_S.items():
        arrays = to_arrays(read_ktab_csv(DATA / f"{name}.csv"))
        wall, res = best_of(lambda a=arrays: SMP().run(a), 10)
        turns = int(res.details["n_turns"][0])
        ok = "yes" if wall * 5 <= ref else "NO"
        lines.append(
            f"| {name} ({arrays.n_actors} actors, {arrays.n_issues}-D) | {turns} | {wall * 1e3:.1f} ms | "
            f"{ref:.2f} s | {ref / wall:,.0f}× | {ok} (< {ref / 5 * 1e3:.0f} ms) |"
        )
        print(lines[-1], flush=True)

    lines += [
        "",
        f"Scaling: random KTAB-style scenarios, {SCALE_DIMS} dimensions, {SCALE_TURNS} turns, one draw.",
        "",
        "| actors | time per turn | tracemalloc peak | peak RSS (process) |",
        "|---:|---:|---:|---:|",
    ]
    for n_act in SCALE_ACTORS:
        r = run_child("scale", n_act)
        per_turn = r["wall"] / r["turns_max"]
        lines.append(
            f"| {n_act} | {per_turn * 1e3:.1f} ms | {r['peak_mib']:.1f} MiB | {r['rss_mib']:.0f} MiB |"
        )
        print(lines[-1], flush=True)

    r = run_child("batch", BATCH_DRAWS)
    lines += [
        "",
        "| batch: 1,000 draws of the Muscat scenario (6 actors × 6 issues), to each draw's stop | wall | draws/s | turns (mean / max) | tracemalloc peak | peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
        f"| sampled inputs, D = 1000, default switches | {r['wall']:.2f} s | {BATCH_DRAWS / r['wall']:,.0f} | "
        f"{r['turns_mean']:.1f} / {r['turns_max']} | {r['peak_mib']:.0f} MiB | {r['rss_mib']:.0f} MiB |",
    ]
    print(lines[-1], flush=True)
    lines += [
        "",
        f"Machine: {machine()}.",
        "",
        "Notes: times are wall-clock, best of the repetitions (the machine is shared, so the minimum",
        "is the least disturbed measurement). tracemalloc peak = the most memory numpy had allocated",
        "at once during a second pass; peak RSS includes the interpreter, numpy and the inputs.",
        "Memory grows as A³ per draw (the third-party arrays of the challenge evaluation);",
        "`SMP` processes draws in blocks of at most 2²² / A³ draws, which bounds the batch's memory.",
        "Draws of a batch advance in lockstep and leave it when they stop; a batch's wall time is",
        "set by its longest run (KTAB's cap is 100 turns): here most draws stop within 15 turns and",
        "a few oscillate to the cap, which accounts for roughly a third of the batch's time.",
    ]
    text = "\n".join(lines) + "\n"
    if args.write:
        args.write.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
