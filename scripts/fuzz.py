"""accord's own fuzzer, the long run: thousands of seeded inputs across every format, each in a
worker process that is killed if it hangs, and a record of what happened.

    PYTHONPATH=src python scripts/fuzz.py --count 10000 --seed 14          # the recorded run
    PYTHONPATH=src python scripts/fuzz.py --count 200 --formats yaml,set   # a quick look
    PYTHONPATH=src python scripts/fuzz.py --replay 14:1234                 # one case, in-process

Each case is :func:`accord.fuzz.make_case` of (seed, index): a corpus file (the built-in
scenarios, and tests/fixtures and tests/data of this checkout) mutated, a random ``--set`` or
``--param``, or a random scenario. A case passes when it loads and forecasts, or is refused with
accord's own error, within its time budget (2 s of CPU time plus twice the run budget's estimate);
every 25th
also goes through the CLI (exit 0 or 1, no control character, strict JSON). A case that raises
anything else is a crash, one whose worker dies (a segfault) or outlives ``--kill-after`` seconds
a hang; both are listed with the seed and index that reproduce them.

The summary goes to stdout and, with ``--record``, to bench/results/fuzz.md (and fuzz.json).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _worker(conn, seed: int, formats: list[str], budget: float) -> None:
    from accord import fuzz

    seeds = fuzz.corpus([ROOT / "tests" / "fixtures", ROOT / "tests" / "data"])
    with tempfile.TemporaryDirectory() as work:
        while True:
            index = conn.recv()
            if index is None:
                return
            case = fuzz.make_case(seed, index, seeds, formats)
            out = fuzz.check(case, work, budget=budget)
            conn.send((index, case.format, case.label, out.status, out.seconds, out.budget,
                       out.detail, case.describe()))  # fmt: skip


class Pool:
    """Worker processes fed one case index at a time; a worker that takes too long is killed."""

    def __init__(self, n: int, seed: int, formats: list[str], budget: float, kill_after: float):
        self.ctx = mp.get_context("spawn")
        self.args = (seed, formats, budget)
        self.kill_after = kill_after
        self.workers = [self._start() for _ in range(n)]

    def _start(self):
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child, *self.args), daemon=True)
        proc.start()
        return {"proc": proc, "conn": parent, "index": None, "since": 0.0}

    def run(self, indices, on_result) -> None:
        todo = list(indices)[::-1]
        while todo or any(w["index"] is not None for w in self.workers):
            for k, w in enumerate(self.workers):
                if w["index"] is None and todo:
                    w["index"], w["since"] = todo.pop(), time.monotonic()
                    w["conn"].send(w["index"])
                if w["index"] is None:
                    continue
                if w["conn"].poll(0.01):
                    try:
                        on_result(w["conn"].recv())
                        w["index"] = None
                        continue
                    except EOFError:
                        pass
                alive = w["proc"].is_alive()
                waited = time.monotonic() - w["since"]
                if not alive or waited > self.kill_after:
                    status = "hang" if alive else f"died ({w['proc'].exitcode})"
                    w["proc"].kill()
                    w["proc"].join()
                    on_result((w["index"], "?", "?", status, waited, self.kill_after, status, ""))
                    self.workers[k] = self._start()

    def close(self) -> None:
        for w in self.workers:
            try:
                w["conn"].send(None)
            except (BrokenPipeError, OSError):
                pass
            w["proc"].join(timeout=5)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000, help="cases to run (default 1000)")
    ap.add_argument("--seed", type=int, default=14, help="the run's seed (default 14)")
    ap.add_argument("--start", type=int, default=0, help="first case index (default 0)")
    ap.add_argument("--formats", default=",".join(_formats()), help="comma-separated formats")
    ap.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    ap.add_argument("--budget", type=float, default=2.0, help="seconds per small input")
    ap.add_argument("--kill-after", type=float, default=60.0, help="seconds before a hang")
    ap.add_argument("--record", action="store_true", help="write bench/results/fuzz.md and .json")
    ap.add_argument("--replay", help="SEED:INDEX: run that one case here and print it")
    args = ap.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if args.replay:
        return _replay(args.replay, formats, args.budget)

    rows: list[tuple] = []
    t0 = time.perf_counter()
    pool = Pool(args.workers, args.seed, formats, args.budget, args.kill_after)

    def on_result(row: tuple) -> None:
        rows.append(row)
        if len(rows) % 500 == 0:
            done = Counter(r[3] for r in rows)
            print(f"  {len(rows):,} cases, {time.perf_counter() - t0:.0f} s: {dict(done)}",
                  file=sys.stderr, flush=True)  # fmt: skip

    try:
        pool.run(range(args.start, args.start + args.count), on_result)
    finally:
        pool.close()
    seconds = time.perf_counter() - t0
    summary = _summary(rows, args, formats, seconds)
    print(summary)
    if args.record:
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "fuzz.md").write_text(summary + "\n")
        failures = [r for r in rows if r[3] not in ("ok", "refused") or r[4] > r[5]]
        (out / "fuzz.json").write_text(json.dumps({
            "seed": args.seed, "start": args.start, "count": args.count, "formats": formats,
            "seconds": seconds, "by_format": _by_format(rows),
            "failures": [dict(zip(("index", "format", "label", "status", "seconds", "budget",
                                    "detail", "input"), r, strict=True)) for r in failures],
            "slowest": [dict(zip(("index", "format", "label", "status", "seconds", "budget"),
                                 r[:6], strict=True)) for r in sorted(rows, key=lambda r: -r[4])[:10]],
        }, indent=1) + "\n")  # fmt: skip
    bad = [r for r in rows if r[3] not in ("ok", "refused") or r[4] > r[5]]
    return 1 if bad else 0


def _formats() -> tuple[str, ...]:
    sys.path.insert(0, str(ROOT / "src"))
    from accord.fuzz import FORMATS

    return FORMATS


def _by_format(rows) -> dict:
    table: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        table[r[1]][r[3]] += 1
        if r[4] > r[5]:
            table[r[1]]["over budget"] += 1
    return {k: dict(v) for k, v in sorted(table.items())}


def _summary(rows, args, formats, seconds) -> str:
    import numpy as np

    status = Counter(r[3] for r in rows)
    over = [r for r in rows if r[4] > r[5]]
    crashes = [r for r in rows if r[3] not in ("ok", "refused")]
    times = np.array([r[4] for r in rows]) if rows else np.zeros(1)
    lines = [
        "# accord fuzz run",
        "",
        f"`PYTHONPATH=src python scripts/fuzz.py --count {args.count} --seed {args.seed}"
        + (f" --start {args.start}" if args.start else "")
        + f" --workers {args.workers}` — {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"code: commit {_commit()}" + ("" if _clean() else " with uncommitted changes"),
        "",
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        f"; load average {os.getloadavg()[0]:.2f} at the end; {seconds:.0f} s in all",
        "",
        f"**{len(rows):,} inputs: {status.get('ok', 0):,} loaded and forecast, "
        f"{status.get('refused', 0):,} refused with accord's error, {len(crashes)} crashes, "
        f"{len(over)} over their time budget** (budget {args.budget:g} s of CPU time plus twice "
        f"the run budget's estimate; a worker is killed after {args.kill_after:g} s of wall "
        "time).",
        "",
        f"CPU seconds per input: median {np.median(times):.3f}, 99th percentile "
        f"{np.quantile(times, 0.99):.3f}, most {times.max():.3f}.",
        "",
        "| format | inputs | loaded | refused | crashes | over budget |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for fmt, c in _by_format(rows).items():
        n = sum(v for k, v in c.items() if k != "over budget")
        bad = n - c.get("ok", 0) - c.get("refused", 0)
        lines.append(f"| {fmt} | {n:,} | {c.get('ok', 0):,} | {c.get('refused', 0):,} | {bad} | "
                     f"{c.get('over budget', 0)} |")  # fmt: skip
    if crashes or over:
        lines += ["", "Failures (replay with `--replay SEED:INDEX`):", ""]
        for r in (crashes + over)[:50]:
            lines.append(f"- {args.seed}:{r[0]} {r[1]} {r[2]}: {r[3]} in {r[4]:.2f} s — {r[6]}")
    refusals = Counter(r[6][:70] for r in rows if r[3] == "refused")
    lines += ["", "Most common refusals:", ""]
    lines += [f"- {n:,} × {msg}" for msg, n in refusals.most_common(8)]
    return "\n".join(lines)


def _git(*args: str) -> str:
    import subprocess

    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _commit() -> str:
    return _git("rev-parse", "--short", "HEAD") or "unknown"


def _clean() -> bool:
    return _git("status", "--porcelain", "--untracked-files=no", "src") == ""


def _replay(spec: str, formats: list[str], budget: float) -> int:
    from accord import fuzz

    seed, _, index = spec.partition(":")
    seeds = fuzz.corpus([ROOT / "tests" / "fixtures", ROOT / "tests" / "data"])
    case = fuzz.make_case(int(seed), int(index), seeds, formats)
    print(case.describe())
    out = fuzz.check(case, cli=True, budget=budget)
    print(out)
    return 0 if out.status in ("ok", "refused") and not out.over_budget else 1


if __name__ == "__main__":
    sys.exit(main())
