"""What every before/after benchmark shares: the checkout to compare with, the machine and its load,
statistics (median with min–max, never best-of-N alone) and Markdown tables.

"Before" is the code of another commit (by default the commit issue 15 started from), checked
out once into a git worktree next to the system's temporary files and run in child processes with
``PYTHONPATH`` pointing at its ``src``; "after" is this checkout. Both trees get their bytecode
compiled first (as ``pip install`` does), so neither pays for compiling its sources.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
#: the commit issue 15 started from: the default "before"
START_COMMIT = "b08413d"


def before_tree(spec: str | None) -> Path:
    """The checkout to compare with: a directory, or a commit checked out (once) into a worktree."""
    spec = spec or START_COMMIT
    path = Path(spec)
    if path.is_dir():
        return path.resolve()
    target = Path(tempfile.gettempdir()) / f"accord-before-{spec}"
    if not (target / "src" / "accord").is_dir():
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(target), spec],
            check=True,
            capture_output=True,
        )
    return target


def compile_tree(tree: Path) -> None:
    """Write the bytecode of ``tree``'s sources (what an installed package has)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tree / "src")],
        check=True,
        capture_output=True,
    )


def env_for(tree: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONHASHSEED": "0", **extra}


def run_json(tree: Path, args: Sequence[str], timeout: float | None = None, **env) -> dict:
    """Run ``python args...`` with ``tree`` on the path; its last stdout line is JSON."""
    out = subprocess.run(
        [sys.executable, *args],
        check=True,
        capture_output=True,
        text=True,
        env=env_for(tree, **env),
        timeout=timeout,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed(fn, repeat: int) -> dict:
    """CPU time of ``fn()``, ``repeat`` times after a warm-up call (imports, caches, compiled
    code): its stats."""
    import time

    fn()
    ts = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        ts.append(time.process_time() - t)
    return stats(ts)


def whole_process(tree: Path, args: Sequence[str], repeat: int) -> dict:
    """Wall time of ``python args...`` as a fresh process of ``tree``, ``repeat`` times after one
    run that warms the file cache: its stats."""
    import time

    cmd = [sys.executable, *args]
    subprocess.run(cmd, check=True, capture_output=True, env=env_for(tree), cwd=ROOT)
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env_for(tree), cwd=ROOT)
        ts.append(time.perf_counter() - t)
    return stats(ts)


def measure(tree: Path, script: str, kind: str, arg, repeat: int, timeout: float = 1800):
    """``script --child KIND ARG --repeat N`` in a fresh process of ``tree``: its JSON, or None
    when it failed (said on stderr)."""
    try:
        return run_json(
            tree, [script, "--child", kind, str(arg), "--repeat", str(repeat)], timeout=timeout
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        err = getattr(exc, "stderr", "") or ""
        print(
            f"  {tree.name} {kind} {arg}: failed ({type(exc).__name__}) {err[-500:]}",
            file=sys.stderr,
        )
        return None


def tree_rss(root: int) -> int:
    """Resident memory (bytes) of process ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                parts = fh.read().rsplit(")", 1)[1].split()
            ppid, pages = int(parts[1]), int(parts[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
        rss[int(d)] = pages * page
    total, stack = 0, [root]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def stats(values: Sequence[float]) -> dict:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def fmt_time(s: dict | None, unit: str = "auto") -> str:
    """``median [min–max]`` in s or ms."""
    if not s:
        return "–"
    med = s["median"]
    if unit == "auto":
        unit = "ms" if med < 1 else "s"
    k = 1e3 if unit == "ms" else 1.0
    digits = 1 if unit == "ms" and med * k >= 10 else 2 if unit == "ms" else 2
    return f"{med * k:.{digits}f} [{s['min'] * k:.{digits}f}–{s['max'] * k:.{digits}f}] {unit}"


def ratio(before: dict | None, after: dict | None) -> str:
    """before / after of the medians (how many times faster)."""
    if not before or not after or after["median"] <= 0:
        return "–"
    r = before["median"] / after["median"]
    return f"{r:,.1f}×" if r < 100 else f"{r:,.0f}×"


def machine() -> dict:
    cpu = platform.processor() or "unknown CPU"
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
    import numpy

    try:
        import numba

        nb = numba.__version__
    except ImportError:
        nb = "not installed"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "numba": nb,
        "date": dt.datetime.now().isoformat(timespec="minutes"),
    }


def load() -> str:
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


def machine_line(m: dict, load_start: str, load_end: str) -> str:
    return (
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram']} RAM; Python {m['python']}, numpy "
        f"{m['numpy']}, numba {m['numba']}; {m['date']}. Load average (1, 5, 15 min) at the start "
        f"{load_start}, at the end {load_end}: a shared machine, so numbers taken under load are "
        "slower than on a quiet one and their ranges wide."
    )


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()
) -> list[str]:
    align = ["---:" if k in right else "---" for k in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


class Report:
    """Lines printed as they come and written, with the raw numbers, at the end."""

    def __init__(self, name: str):
        self.name = name
        self.lines: list[str] = []
        self.data: dict = {}

    def out(self, *lines: str) -> None:
        for line in lines:
            print(line, flush=True)
            self.lines.append(line)

    def write(self, path: Path | None) -> None:
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        path.with_suffix(".json").write_text(json.dumps(self.data, indent=1) + "\n")
        print(f"wrote {path} and {path.with_suffix('.json').name}", file=sys.stderr)
