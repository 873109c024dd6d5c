"""`accord draft` speed and memory, offline: every article of the evaluation set, one process.

    python bench/bench_draft.py            # prints a table, writes bench/results/draft.md

Target (issue 13): under 5 s per article and under 1 GB peak memory on the 2-core machine. The
first article pays for the imports and the lexicons (compiled once per process); the table shows
it apart. The machine is shared: the load average is recorded next to the timings.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "bench" / "results" / "draft.md"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    from accord.ingest.draft import draft
    from accord.ingest.emit import scenario_yaml

    data = ROOT / "tests" / "data"
    files = [
        data / "seed" / "000_ffe160eaa71000c4.txt",
        *sorted((data / "ingest" / "articles").iterdir()),
    ]
    rows = []
    for f in files:
        t = time.perf_counter()
        d = draft([f])
        try:
            scenario_yaml(d)  # includes validating the drafted scenario
        except Exception as exc:  # noqa: BLE001 - a draft too thin for a scenario still counts
            print(f"note: {f.name}: {exc}".splitlines()[0])
        rows.append((f.name, f.stat().st_size, time.perf_counter() - t, rss_mb()))
    import_s = rows[0][2]
    # a long article: the seed's text 30 times over (about 480 kB, 30x the duplicates)
    big = ROOT / "bench" / ".big_article.txt"
    big.write_text(
        ((data / "seed" / "000_ffe160eaa71000c4.txt").read_text("utf-8") + "\n") * 30,
        encoding="utf-8",
    )
    t = time.perf_counter()
    scenario_yaml(draft([big]))
    rows.append(("seed × 30 (synthetic)", big.stat().st_size, time.perf_counter() - t, rss_mb()))
    big.unlink()
    total = time.perf_counter() - t0
    load_after = os.getloadavg()
    warm = [r[2] for r in rows[1:-1]]
    lines = [
        "# `accord draft` speed and memory (bench/bench_draft.py)",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (shared machine).",
        "",
        f"One process, offline, {len(files)} articles then one long synthetic one; {total:.1f} s in all.",
        f"First article (imports + lexicons compiled once): {import_s:.2f} s. Others: median "
        f"{sorted(warm)[len(warm) // 2]:.2f} s, slowest {max(warm):.2f} s. Peak RSS {max(r[3] for r in rows):.0f} MB.",
        "",
        "| article | bytes | seconds | peak RSS so far (MB) |",
        "|---|---|---|---|",
        *[f"| {n} | {b} | {s:.2f} | {m:.0f} |" for n, b, s, m in rows],
        "",
        "Targets: under 5 s per article, under 1 GB peak memory.",
    ]
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
