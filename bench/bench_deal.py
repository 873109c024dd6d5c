"""The deal space on many draws: the zone of agreement and what it would take, time and peak memory.

Run from the project root::

    python bench/bench_deal.py [--runs 100000] [--write bench/results/deal.md]

Each measurement runs in a fresh interpreter (so its peak memory is its own): the built-in Muscat
scenario (6 actors, 2 deciders, 6 issues), the base and the ``us-drops-missiles-proxies`` variant
(where a zone exists), ``--runs`` draws with seed 1, on one process:

- ``zone``: :func:`accord.runs.dealspace.analyse_run` — the maximin program, the extent of the zone
  on every issue (12 programs), each decider's best value, the Kalai–Smorodinsky share and the
  tie-break, for every draw (17 linear programs per draw, all draws of a chunk solved together);
- ``concessions``: :func:`accord.runs.concessions.concessions` — the zone, then every single lever
  and the pairs, and the pairs' median moves checked on the same draws.

Time is wall-clock and the process's CPU time. Peak memory is the interpreter's high-water mark (``VmHWM`` from /proc/self/status), with the
resident size after the imports for reference. Nothing loops over draws in Python: the draws are
cut into chunks of 4,096 (the Monte Carlo engine's) and each chunk is a batch of linear programs
solved by :mod:`accord.simplex` in numpy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "us-iran-muscat-2026"
VARIANTS = (None, "us-drops-missiles-proxies")


def _status(key: str) -> int:
    """A /proc/self/status value in bytes (0 where it cannot be read)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def one(what: str, variant: str | None, runs: int) -> dict:
    """One measurement, in this interpreter."""
    sys.path.insert(0, str(ROOT / "src"))
    import accord
    from accord.runs.concessions import concessions
    from accord.runs.dealspace import analyse_run
    from accord.runs.forecast import prepare
    from accord.uncertainty import resolve_uncertainty

    sc = accord.load(SCENARIO)
    base_rss = _status("VmRSS")
    t0, c0 = time.perf_counter(), time.process_time()
    if what == "zone":
        scenario = prepare(sc, variant=variant).scenario
        res = analyse_run(scenario, runs=runs, seed=1, uncertainty=resolve_uncertainty(None))
        summary = {"p_zone": res.record.probability, "tradeoff": res.record.tradeoff}
    else:
        res = concessions(sc, variant=variant, runs=runs, seed=1)
        r = res.results
        pair = r.pairs[r.cheapest_pair] if r.cheapest_pair is not None else None
        summary = {
            "p_zone": r.deal.probability,
            "singles": len(r.singles),
            "pairs": len(r.pairs),
            "cheapest_pair_opens": pair.opens if pair else None,
        }
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return {
        "what": what,
        "variant": variant,
        "runs": runs,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "draws_per_second": runs / seconds,
        "peak_bytes": _status("VmHWM"),
        "after_imports_bytes": base_rss,
        **summary,
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    import numpy as np

    mem = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {mem:.1f} GiB RAM, Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--write", type=Path, default=None)
    ap.add_argument("--one", choices=("zone", "concessions"), help=argparse.SUPPRESS)
    ap.add_argument("--variant", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.variant or None, args.runs)))
        return
    rows = []
    for what in ("zone", "concessions"):
        for variant in VARIANTS:
            cmd = [sys.executable, __file__, "--one", what, "--runs", str(args.runs)]
            cmd += ["--variant", variant] if variant else []
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
            r = rows[-1]
            print(
                f"{what:12s} {variant or 'base':28s} {r['seconds']:7.1f} s "
                f"(CPU {r['cpu_seconds']:6.1f} s) "
                f"{r['draws_per_second']:9,.0f} draws/s peak {r['peak_bytes'] / 2**20:7.0f} MiB",
                flush=True,
            )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "# The deal space on many draws",
        "",
        "Produced by `bench/bench_deal.py` (see its docstring for the method): the zone of agreement "
        "and what it would take on the built-in Muscat scenario, one process, seed 1, chunks of "
        "4,096 draws solved as batches of linear programs (no Python loop over draws).",
        "",
        f"Machine: {machine()}; {dt.datetime.now().isoformat(timespec='minutes')}. Load average at "
        f"the end: {load} (a shared machine: other work ran alongside, so the wall times are upper "
        "bounds; the CPU time is this process's own, which load does not inflate as much).",
        "",
        "| analysis | scenario | draws | time | CPU time | draws/s | peak memory | after imports "
        "| P(zone) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['what']} | {r['variant'] or 'base'} | {r['runs']:,} | {r['seconds']:.1f} s | "
            f"{r['cpu_seconds']:.1f} s | {r['draws_per_second']:,.0f} | "
            f"{r['peak_bytes'] / 2**20:,.0f} MiB | "
            f"{r['after_imports_bytes'] / 2**20:,.0f} MiB | {r['p_zone']:.1%} |"
        )
    extra = [r for r in rows if r["what"] == "concessions"]
    lines += [""] + [
        f"- concessions, {r['variant'] or 'base'}: {r['singles']} single changes and {r['pairs']} "
        "pairs listed"
        + (
            f"; the cheapest pair opens a zone in {r['cheapest_pair_opens']:.1%} of draws"
            if r["cheapest_pair_opens"] is not None
            else ""
        )
        + "."
        for r in extra
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
