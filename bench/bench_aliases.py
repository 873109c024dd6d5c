"""How long accord takes to refuse a recursive or exponential YAML alias structure, or nesting
that would crash libyaml: the target is under 50 ms each (a cheap denial of service otherwise,
once scenarios arrive over HTTP).

    PYTHONPATH=src python bench/bench_aliases.py            # prints a markdown table
    PYTHONPATH=src python bench/bench_aliases.py --record   # and writes bench/results/aliases.md

Each input is refused through :func:`accord.load_text` (a file's path) and through
:func:`accord.scenario.parse_value` (a ``--set`` value); the time is the best of 20 tries.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

from accord.errors import AccordError
from accord.scenario import load_text, parse_value

TARGET_MS = 50.0


def laughs(levels: int, width: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for k in range(1, levels):
        lines.append(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


CASES = {
    "recursive alias, 19 bytes: `a: &a [*a, *a, *a]`": "a: &a [*a, *a, *a]\n",
    "recursive alias, 7 bytes: `&a [*a]`": "&a [*a]",
    "self-referring mapping: `&a {x: *a, y: *a}`": "&a {x: *a, y: *a}",
    "billion laughs: 9 levels × 9 aliases (~387 M nodes expanded)": laughs(9, 9),
    "exponential: 40 levels × 2 aliases (~2 T nodes expanded)": laughs(40, 2),
    "wide: 1 anchor, 20,000 aliases to it": "a: &a [1, 2, 3]\nb: ["
    + ", ".join(["*a"] * 20_000)
    + "]\n",
    "deep flow nesting: 100,000 × `[`": "[" * 100_000,
    "deep block nesting: 5,000 × `- `": "- " * 5000 + "x",
    "deep mappings: 3,000 × `{a: `": "{a: " * 3000 + "1",
}


def best_ms(func, text: str, tries: int = 20) -> tuple[float, str]:
    best, message = float("inf"), ""
    for _ in range(tries):
        t0 = time.perf_counter()
        try:
            func(text)
            message = "ACCEPTED"
        except AccordError as exc:
            problems = getattr(exc, "problems", None)
            message = problems[0].message if problems else exc.message
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best, message


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", action="store_true", help="write bench/results/aliases.md")
    args = ap.parse_args()
    lines = [
        "# Refusing YAML alias bombs and deep nesting",
        "",
        "`PYTHONPATH=src python bench/bench_aliases.py --record` — "
        + time.strftime("%Y-%m-%d %H:%M"),
        "",
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.2f} at the start. "
        f"Best of 20 tries; target under {TARGET_MS:g} ms.",
        "",
        "| input | bytes | as a file (ms) | as a --set value (ms) | refused with |",
        "|---|---:|---:|---:|---|",
    ]
    worst = 0.0
    for label, text in CASES.items():
        file_ms, message = best_ms(load_text, text)
        value_ms, value_message = best_ms(parse_value, text)
        worst = max(worst, file_ms, value_ms)
        assert message != "ACCEPTED" and value_message != "ACCEPTED", label
        lines.append(f"| {label} | {len(text):,} | {file_ms:.2f} | {value_ms:.2f} | {message} |")
    verdict = "PASS" if worst < TARGET_MS else "FAIL"
    lines += ["", f"Slowest refusal: {worst:.2f} ms — {verdict} (target {TARGET_MS:g} ms)."]
    text = "\n".join(lines)
    print(text)
    if args.record:
        out = Path(__file__).resolve().parent / "results" / "aliases.md"
        out.write_text(text + "\n")


if __name__ == "__main__":
    main()
