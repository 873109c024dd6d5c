"""Saving a big run in the run store: time, disk size and peak memory.

Run from the project root::

    python bench/bench_store.py [--draws 1000000] [--models compromise,nash] [--workers 2]
                                [--write bench/results/store.md]

Three ways of running the same forecast (the Muscat scenario, the same seed), each in a fresh
interpreter so that its peak memory is its own:

1. ``forecast``: :func:`accord.runs.forecast.forecast`, nothing kept (the baseline);
2. ``saved``: :func:`accord.runs.store.save_forecast` into a new SQLite store (the run row, one
   row per chunk, the record and its summaries);
3. ``saved + per-draw``: the same with every draw's outputs written chunk by chunk as Parquet
   files beside the database.

For each: wall time, draws per second, peak resident memory of the whole process tree (the
interpreter and its worker processes, sampled every 0.1 s from /proc) and of the interpreter alone
(VmHWM), and for the saved runs the size of the database and of the per-draw files. The machine,
its load average before and after, and the commands go into the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MODES = ("forecast", "saved", "saved + per-draw")

from bench_montecarlo import _tree_rss  # noqa: E402  (the same memory sampling)


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def child(mode: str, draws: int, models: str, workers: int, folder: str) -> dict:
    from accord.runs.forecast import forecast
    from accord.runs.store import Store, save_forecast
    from accord.scenario import load

    sc = load("us-iran-muscat-2026")
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(os.getpid()))
            stop.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    # time spent inside the store and the file writer: the saving's own cost, which the machine's
    # load (it is shared) disturbs far less than the run's wall time
    from accord.runs.store import draws as draws_mod
    from accord.runs.store import store as store_mod

    spent = {"store": 0.0, "files": 0.0}

    def timed(key, fn):
        def wrapper(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[key] += time.perf_counter() - t0

        return wrapper

    for name in ("__init__", "begin", "add_chunk", "finish"):
        setattr(store_mod.Store, name, timed("store", getattr(store_mod.Store, name)))
    draws_mod.DrawWriter.write = timed("files", draws_mod.DrawWriter.write)
    db = Path(folder) / "accord.db"
    t = time.perf_counter()
    if mode == "forecast":
        fc = forecast(sc, models, runs=draws, seed=1, workers=workers)
        run_id, chunks = None, None
    else:
        with Store(db) as store:
            saved = save_forecast(
                store, sc, models, runs=draws, seed=1, workers=workers, per_draw="per-draw" in mode
            )
            fc, run_id = saved.forecast, saved.run_id
            chunks = len(store.chunks(run_id))
            assert store.get(run_id).record == fc.record
    seconds = time.perf_counter() - t
    stop.set()
    th.join()
    with open("/proc/self/status") as fh:
        parent = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM"))
    out = {
        "mode": mode,
        "draws": fc.draws,
        "models": models,
        "workers": fc.workers,
        "chunk": fc.chunk_size,
        "chunks": chunks,
        "seconds": seconds,
        "rate": fc.draws / seconds,
        "peak_tree": peak[0],
        "peak_parent": parent,
        "store_seconds": spent["store"],
        "file_seconds": spent["files"],
        "load": os.getloadavg()[0],
    }
    if run_id is not None:
        out["db_bytes"] = sum(_size(p) for p in (db, db.with_name("accord.db-wal")) if p.exists())
        draws_dir = db.with_name("accord-draws")
        out["draw_bytes"] = _size(draws_dir) if draws_dir.exists() else 0
    return out


def run_mode(mode: str, draws: int, models: str, workers: int) -> dict:
    folder = tempfile.mkdtemp(prefix="accord-bench-store-")
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", mode, "--draws", str(draws), "--models", models,
             "--workers", str(workers), "--folder", folder],
            capture_output=True,
            text=True,
            check=True,
        )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    mib = 2**20
    extra = ""
    if "db_bytes" in out:
        extra = f", database {out['db_bytes'] / mib:,.1f} MiB, per-draw files {out['draw_bytes'] / mib:,.1f} MiB"
    extra += f", in the store {out['store_seconds']:.2f} s, files {out['file_seconds']:.2f} s"
    print(
        f"{mode:17} {out['seconds']:7.1f} s  {out['rate']:>9,.0f} draws/s  peak tree "
        f"{out['peak_tree'] / mib:,.0f} MiB (interpreter {out['peak_parent'] / mib:,.0f} MiB){extra}",
        flush=True,
    )
    return out


def machine() -> dict:
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if "model name" in line)
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}


def report(rows: list[dict], args, load_before, load_after) -> str:
    mib = 2**20
    m = machine()
    lines = [
        "# Saving a big run in the run store",
        "",
        f"Measured {dt.date.today().isoformat()} by `bench/bench_store.py` on {m['cpu']} "
        f"({m['cores']} cores), Python {m['python']}; load average before "
        f"{load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f}, after "
        f"{load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} (the machine is shared: "
        "times are noisy).",
        "",
        f"The Muscat scenario, {args.draws:,} draws of the models `{args.models}`, seed 1, "
        f"{args.workers} local worker(s), the default chunk size; a new SQLite store (WAL) in a "
        "temporary folder. Each row is a fresh interpreter.",
        "",
        "| run | wall time | draws/s | in the store | writing per-draw files | peak memory, process tree | peak, interpreter | database | per-draw files | load (1 min) at the end |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        db = f"{r['db_bytes'] / mib:,.1f} MiB" if "db_bytes" in r else "—"
        dr = f"{r['draw_bytes'] / mib:,.1f} MiB" if r.get("draw_bytes") else "—"
        st = f"{r['store_seconds']:,.2f} s" if r["mode"] != "forecast" else "—"
        fi = f"{r['file_seconds']:,.2f} s" if r.get("draw_bytes") else "—"
        lines.append(
            f"| {r['mode']} | {r['seconds']:,.1f} s | {r['rate']:,.0f} | {st} | {fi} | "
            f"{r['peak_tree'] / mib:,.0f} MiB | {r['peak_parent'] / mib:,.0f} MiB | {db} | {dr} | "
            f"{r['load']:.1f} |"
        )
    lines += [
        "",
        "*In the store* is the time spent opening the store (migrations included), writing the run "
        "row, one row per chunk and the record with its summaries; *writing per-draw files* the "
        "time the parent spent building and writing the Parquet files. Both are measured inside "
        "the run and are its saving overhead; the wall times include whatever else the shared "
        "machine was doing (see the load), so differences between them are mostly noise.",
    ]
    per = rows[-1]
    if per.get("draw_bytes"):
        lines += [
            "",
            f"Per-draw files: {per['chunks']:,} Parquet files (zstd), "
            f"{per['draw_bytes'] / per['draws']:,.1f} bytes per draw for "
            f"{len(args.models.split(','))} model(s) × (status, deal margin, 6 outcomes, 6 "
            "utilities), float64.",
        ]
    lines += [
        "",
        "Reproduce:",
        "",
        "```console",
        f"python bench/bench_store.py --draws {args.draws} --models {args.models} "
        f"--workers {args.workers} --write {args.write}",
        "```",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--draws", type=int, default=1_000_000)
    p.add_argument("--models", default="compromise,nash")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--write", default="")
    p.add_argument("--child", default="")
    p.add_argument("--folder", default="")
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.draws, args.models, args.workers, args.folder)))
        return
    load_before = os.getloadavg()
    rows = [run_mode(mode, args.draws, args.models, args.workers) for mode in MODES]
    load_after = os.getloadavg()
    text = report(rows, args, load_before, load_after)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        Path(args.write).with_suffix(".json").write_text(json.dumps(rows, indent=2) + "\n")
        print(f"wrote {args.write}")
    else:
        print(text)


if __name__ == "__main__":
    main()
