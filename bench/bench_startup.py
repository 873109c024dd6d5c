"""Start-up: whole-process wall time of short commands, before and after, side by side.

Run from the project root::

    python bench/bench_startup.py [--before DIR|COMMIT] [--runs 21] [--write bench/results/startup.md]

Each command runs ``--runs`` times as a fresh process (``python -m accord ...``, what the
``accord`` script does), before and after interleaved so that both see the same load; bytecode is
compiled first in both trees. Reported: median [min–max] wall time of the whole process. The
bare interpreter (``python -c pass``) is measured alongside: it is the floor no command can go
below, and on this machine class it includes the site hooks the sandbox installs.

KTAB's ``smpc`` is not built here; its whole-process time for dummyData_3Dim (0.055 s, measured
earlier on this machine class, ``shared/docs/MODELS.md`` §5 and issue 15) is quoted as recorded.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    RESULTS,
    ROOT,
    Report,
    before_tree,
    compile_tree,
    env_for,
    fmt_time,
    load,
    machine,
    machine_line,
    ratio,
    stats,
    table,
)

KTAB_3DIM = ROOT / "tests" / "data" / "ktab" / "dummyData_3Dim.csv"
KTAB_SMPC_3DIM_S = 0.055  # recorded whole-process time of KTAB smpc on dummyData_3Dim
COMMANDS = [
    ("bare Python (`python -c pass`)", ["-c", "pass"], None),
    ("`python -c 'import accord'`", ["-c", "import accord"], None),
    ("`accord --version`", ["-m", "accord", "--version"], 0.1),
    ("`accord --help`", ["-m", "accord", "--help"], 0.1),
    (
        "`accord forecast dummyData_3Dim.csv --model smp`",
        ["-m", "accord", "forecast", str(KTAB_3DIM), "--model", "smp"],
        0.2,
    ),
]


def wall(tree: Path, args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, *args], check=True, capture_output=True, env=env_for(tree), cwd=ROOT
    )
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--before", help="checkout or commit to compare with (default: issue 15's start)"
    )
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--write", type=Path, nargs="?", const=RESULTS / "startup.md")
    args = ap.parse_args()
    before = before_tree(args.before)
    for tree in (before, ROOT):
        compile_tree(tree)
    m, load0 = machine(), load()
    rep = Report("startup")
    rep.out(
        "# Start-up: whole-process times, before and after",
        "",
        f"`python bench/bench_startup.py --write` (before = `{before.name}`, after = this checkout). "
        f"Each cell: median [min–max] of {args.runs} fresh processes, before and after interleaved; "
        "whole process against whole process.",
        "",
    )
    rows = []
    for label, cmd, target in COMMANDS:
        times: dict[str, list[float]] = {"before": [], "after": []}
        for tree in (before, ROOT):  # warm the file cache
            wall(tree, cmd)
        for _ in range(args.runs):
            for key, tree in (("before", before), ("after", ROOT)):
                times[key].append(wall(tree, cmd))
        b, a = stats(times["before"]), stats(times["after"])
        rep.data[label] = {"before": b, "after": a, "target_s": target}
        met = "–" if target is None else ("yes" if a["median"] < target else "no")
        rows.append(
            [
                label,
                fmt_time(b),
                fmt_time(a),
                ratio(b, a),
                f"< {target:g} s: {met}" if target else "–",
            ]
        )
        print(rows[-1], flush=True)
    rep.out(*table(["command", "before", "after", "before / after", "target"], rows, (1, 2, 3)))
    bare = rep.data[COMMANDS[0][0]]["after"]["median"]
    fc = rep.data[COMMANDS[-1][0]]
    rep.out(
        "",
        f"Above the bare interpreter ({bare * 1e3:.0f} ms here), after: "
        + ", ".join(
            f"{label.split('`')[1] if '`' in label else label} "
            f"{(rep.data[label]['after']['median'] - bare) * 1e3:+.0f} ms"
            for label, _, _ in COMMANDS[1:]
        )
        + ".",
        "",
        "Whole process against whole process, KTAB's C++ `smpc` on dummyData_3Dim: "
        f"{KTAB_SMPC_3DIM_S:.3f} s (recorded earlier, not re-measured here: no `smpc` build on this "
        f"machine); accord before {fc['before']['median']:.3f} s "
        f"({KTAB_SMPC_3DIM_S / fc['before']['median']:.2f}× smpc's speed), after "
        f"{fc['after']['median']:.3f} s ({KTAB_SMPC_3DIM_S / fc['after']['median']:.2f}×).",
        "",
        machine_line(m, load0, load()),
    )
    rep.write(args.write)


if __name__ == "__main__":
    main()
