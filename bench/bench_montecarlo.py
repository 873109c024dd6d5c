"""Monte Carlo throughput (draws per second) for every model, and a million-draw memory check.

Run from the project root::

    .venv/bin/python bench/bench_montecarlo.py [--seconds 4] [--million] [--write bench/results/montecarlo.md]

1. Throughput: every registered model on the built-in Muscat scenario (6 actors × 6 issues) and on
   synthetic scenarios of 20 and 80 actors × 5 issues (seeded), with 1 and 2 local workers, through
   the real service (:func:`accord.runs.forecast.forecast`: sampling, model, agreement analysis,
   summaries and merging). The number of draws is calibrated per model so that one run takes about
   ``--seconds`` on one worker; chunks are the default size, or smaller when that leaves fewer than 8
   chunks. The process pool is warmed up first, so its start-up is not counted.
2. ``--million``: 1,000,000 draws of the Muscat scenario with the compromise and BDM models on 2
   workers, in a fresh interpreter; peak memory is sampled every 0.1 s over its whole process tree
   (that interpreter + its workers) from /proc, and the interpreter's own peak (VmHWM).
   Raw numbers go to a JSON file next to the report; ``--reuse-throughput`` reads the table back from
   it (to redo only the million-draw run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _common import tree_rss  # noqa: E402

import accord  # noqa: E402
from accord.models import MODELS  # noqa: E402
from accord.runs import montecarlo as mc  # noqa: E402
from accord.runs.forecast import forecast, model_names  # noqa: E402
from accord.scenario import Scenario, load  # noqa: E402


def synthetic(n_actors: int, n_issues: int = 5, seed: int = 0) -> Scenario:
    """A random but valid scenario: two veto principals with red lines and outside options."""
    g = np.random.default_rng(seed)
    issues = [
        {
            "id": f"i{k}",
            "name": f"issue {k}",
            "scale": {0: "none", 100: "all"},
            "status_quo": float(g.uniform(0, 30)),
        }
        for k in range(n_issues)
    ]
    actors = []
    for a in range(n_actors):
        principal = a < 2
        stances = {}
        for k in range(n_issues):
            x = float(np.round(g.uniform(0, 100), 1))
            st = {
                "position": x,
                "salience": float(np.round(g.uniform(20, 100), 1)),
                "position_range": [max(0.0, x - 10), min(100.0, x + 10)],
            }
            if principal and k < 2:
                st["red_line"] = (
                    {"min": max(0.0, x - 40)} if a == 0 else {"max": min(100.0, x + 40)}
                )
            stances[f"i{k}"] = st
        actor = {
            "id": f"a{a}",
            "name": f"actor {a}",
            "role": "principal" if principal else "stakeholder",
            "veto": principal,
            "capability": float(np.round(g.uniform(5, 100), 1)),
            "stances": stances,
        }
        if principal:
            actor["outside_option"] = {
                "kind": "escalation" if a == 0 else "walk_away",
                "value": 35.0,
            }
        actors.append(actor)
    return Scenario.model_validate(
        {
            "id": f"synthetic-{n_actors}",
            "title": f"synthetic, {n_actors} actors",
            "issues": issues,
            "actors": actors,
        }
    )


def _time(sc: Scenario, model: str, draws: int, workers: int, chunk: int) -> float:
    t = time.perf_counter()
    forecast(sc, model, runs=draws, seed=1, workers=workers, chunk_size=chunk)
    return time.perf_counter() - t


def calibrate(sc: Scenario, model: str, seconds: float) -> tuple[int, int]:
    """(draws, chunk size) for a run of about ``seconds`` on one worker."""
    n = 64
    while True:
        dt_ = _time(sc, model, n, 1, n)
        if dt_ > 0.5 or n >= 16384:
            break
        n *= 4
    rate = n / dt_
    draws = int(min(max(rate * seconds, 256), 400_000))
    chunk = max(32, min(mc.DEFAULT_CHUNK, draws // 8))
    draws = max(8, draws // chunk) * chunk
    return draws, chunk


def throughput(seconds: float, models: list[str]) -> list[dict]:
    scenarios = [
        ("Muscat (6 × 6)", load("us-iran-muscat-2026")),
        ("synthetic 20 × 5", synthetic(20)),
        ("synthetic 80 × 5", synthetic(80)),
    ]
    forecast(
        scenarios[0][1], "compromise", runs=64, seed=1, workers=2, chunk_size=8
    )  # warm up the pool
    rows = []
    for label, sc in scenarios:
        for model in models:
            draws, chunk = calibrate(sc, model, seconds)
            t1 = _time(sc, model, draws, 1, chunk)
            t2 = _time(sc, model, draws, 2, chunk)
            row = {
                "scenario": label,
                "model": model,
                "draws": draws,
                "chunk": chunk,
                "rate1": draws / t1,
                "rate2": draws / t2,
            }
            rows.append(row)
            print(
                f"{label:18} {model:11} {draws:>8,} draws  chunk {chunk:>5}  1 worker {row['rate1']:>10,.0f}/s"
                f"  2 workers {row['rate2']:>10,.0f}/s  ×{t1 / t2:.2f}",
                flush=True,
            )
    return rows


def million(draws: int = 1_000_000, workers: int = 2) -> dict:
    """Run :func:`million_child` in a fresh interpreter, so its peak memory is its own."""
    import subprocess

    proc = subprocess.run(
        [sys.executable, __file__, "--million-child", str(draws), "--workers", str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    sys.stderr.write(proc.stderr)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"1M draws: {out['seconds']:.0f} s, {out['rate']:,.0f} draws/s, peak tree RSS "
        f"{out['peak_tree'] / 2**20:,.0f} MiB, parent {out['peak_parent'] / 2**20:,.0f} MiB",
        flush=True,
    )
    return out


def million_child(draws: int, workers: int) -> dict:
    sc = load("us-iran-muscat-2026")
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss(os.getpid()))
            stop.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            print(f"  {done:,}/{total:,} draws", file=sys.stderr, flush=True)

    t = time.perf_counter()
    fc = forecast(sc, "compromise,bdm", runs=draws, seed=1, workers=workers, progress=progress)
    seconds = time.perf_counter() - t
    stop.set()
    th.join()
    # VmHWM, not getrusage: ru_maxrss survives exec, so a child of a big process reports its size
    with open("/proc/self/status") as fh:
        parent = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM"))
    out = {
        "draws": fc.draws,
        "workers": fc.workers,
        "chunk": fc.chunk_size,
        "seconds": seconds,
        "rate": fc.draws / seconds,
        "peak_tree": peak[0],
        "peak_parent": parent,
        "p_agreement": {m: fc.models[m].agreement.probability for m in fc.models},
        "missiles": {
            m: (
                fc.models[m].issues["missiles"].median,
                fc.models[m].issues["missiles"].interval(0.8),
            )
            for m in fc.models
        },
    }
    return out


def machine() -> dict:
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(
                line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as fh:
            ram = int(next(line.split()[1] for line in fh if line.startswith("MemTotal"))) / 2**20
    except (OSError, StopIteration):
        ram = float("nan")
    return {
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": ram,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "accord": accord.__version__,
        "load": os.getloadavg(),
    }


def write(path: Path, rows: list[dict], big: dict | None, m: dict, seconds: float) -> None:
    lines = [
        "# Monte Carlo throughput",
        "",
        "Produced by `bench/bench_montecarlo.py` (see its docstring for the method). Draws per second "
        "through the whole service: sampling the inputs, the model, the agreement analysis, the summaries "
        "and the merge. Each run was sized to take about "
        f"{seconds:g} s on one worker.",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']:.1f} GiB RAM, Python {m['python']}, "
        f"numpy {m['numpy']}, accord {m['accord']}; {m['date']}. Load average at the end: "
        f"{', '.join(f'{x:.2f}' for x in m['load'])} (a shared machine: other work ran alongside, so "
        "the numbers are lower bounds and the 2-worker speed-up is noisy).",
        "",
        "| scenario | model | draws | chunk | draws/s, 1 worker | draws/s, 2 workers | speed-up |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['model']} | {r['draws']:,} | {r['chunk']:,} | {r['rate1']:,.0f} | "
            f"{r['rate2']:,.0f} | ×{r['rate2'] / r['rate1']:.2f} |"
        )
    missing = [m_ for m_ in ("bdm", "smp") if m_ not in MODELS]
    if missing:
        lines += ["", f"Not registered when this ran (not benched): {', '.join(missing)}."]
    if big:
        lines += [
            "",
            "## 1,000,000 draws of the Muscat scenario, compromise + BDM",
            "",
            f"- {big['draws']:,} draws on {big['workers']} workers (chunks of {big['chunk']:,}): "
            f"{big['seconds']:,.0f} s, {big['rate']:,.0f} draws/s for both models together.",
            f"- Peak memory, whole process tree (parent + workers, sampled every 0.1 s): "
            f"{big['peak_tree'] / 2**20:,.0f} MiB; the parent process alone (VmHWM): "
            f"{big['peak_parent'] / 2**20:,.0f} MiB "
            "(limit: 2 GiB).",
            "- P(agreement): "
            + ", ".join(f"{k} {v:.3f}" for k, v in big["p_agreement"].items())
            + "; missiles, "
            "median [80%]: "
            + ", ".join(
                f"{k} {v[0]:.1f} [{v[1][0]:.1f}–{v[1][1]:.1f}]" for k, v in big["missiles"].items()
            )
            + ".",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--seconds", type=float, default=4.0, help="target seconds per run on one worker"
    )
    ap.add_argument("--models", default="all")
    ap.add_argument(
        "--million", action="store_true", help="also run 1,000,000 draws (compromise + BDM)"
    )
    ap.add_argument("--million-draws", type=int, default=1_000_000)
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument(
        "--reuse-throughput", action="store_true", help="take the table from the JSON file"
    )
    ap.add_argument("--write", type=Path, help="write a Markdown report here")
    ap.add_argument("--workers", type=int, default=2, help="workers for the million-draw run")
    ap.add_argument("--million-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.million_child:
        print(json.dumps(million_child(args.million_child, args.workers)))
        return
    raw = args.write.with_suffix(".json") if args.write else None
    if args.reuse_throughput and raw is not None and raw.exists():
        rows = json.loads(raw.read_text())["throughput"]
    else:
        rows = [] if args.skip_throughput else throughput(args.seconds, model_names(args.models))
    big = million(args.million_draws, args.workers) if args.million else None
    if args.write:
        m = machine()
        write(args.write, rows, big, m, args.seconds)
        raw.write_text(
            json.dumps({"machine": m, "throughput": rows, "million": big}, indent=1) + "\n"
        )
        print(f"wrote {args.write} and {raw}")


if __name__ == "__main__":
    main()
