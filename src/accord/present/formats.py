"""How numbers read, everywhere accord shows them (terminal, HTML report, web page).

>>> number(90), number(62.44), number(7.389956), number(None)
('90', '62.4', '7.39', '—')
>>> interval(52.31, 60.06), share(0.953), delta(1.23, -0.3, 2.06)
('[52.3–60.1]', '95.3%', 'Δ +1.2 [−0.3, +2.1]')
"""

from __future__ import annotations

import math

#: shown for a number that is missing or undefined
MISSING = "—"
MINUS = "−"  # a real minus sign: never split from its digits, never mistaken for a hyphen


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def _minus(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def number(x: float | None) -> str:
    """A position or outcome as people write it: 90, 62.4, 7.39 (three significant digits near
    the ends of a 0–100 scale, trailing zeros dropped)."""
    if not _finite(x):
        return MISSING
    text = f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"  # type: ignore[arg-type]
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return _minus("0" if text in ("-0", "") else text)


def interval(lo: float | None, hi: float | None) -> str:
    """An interval's two ends: ``[52.3–60.1]``."""
    return f"[{number(lo)}–{number(hi)}]"


def estimate(median: float | None, lo: float | None, hi: float | None) -> str:
    """A median with its interval: ``56.1 [52.3–60.1]``."""
    return f"{number(median)} {interval(lo, hi)}"


def share(p: float | None, digits: int = 1) -> str:
    """A probability or share as a percentage: ``95.3%``."""
    if not _finite(p):
        return MISSING
    return f"{100 * p:.{digits}f}%"  # type: ignore[operator]


def share_short(p: float | None) -> str:
    """A share to the whole percent, ``<1%`` for a small one that is not zero."""
    if not _finite(p):
        return MISSING
    return f"{100 * p:.0f}%" if p >= 0.005 or p == 0 else "<1%"  # type: ignore[operator]


def utility(u: float | None) -> str:
    """A utility on 0–1: ``0.52``."""
    return _minus(f"{u:.2f}") if _finite(u) else MISSING


def utility_estimate(median: float | None, lo: float | None, hi: float | None) -> str:
    """A utility with its interval: ``0.52 [0.45–0.60]``."""
    return f"{utility(median)} [{utility(lo)}–{utility(hi)}]"


def signed(x: float | None, digits: int = 1) -> str:
    """``+1.2`` / ``−0.3``."""
    return _minus(f"{x:+.{digits}f}") if _finite(x) else MISSING


def delta(
    value: float | None,
    lo: float | None,
    hi: float | None,
    scale: float = 1.0,
    unit: str = "",
    digits: int = 1,
) -> str:
    """A change with its interval: ``Δ +1.2 [−0.3, +2.1]``; ``scale=100, unit=" pts"`` for
    probabilities, ``digits=2`` for a deal margin."""

    def s(v: float | None) -> str:
        return signed(None if v is None else v * scale, digits)

    return f"Δ {s(value)}{unit} [{s(lo)}, {s(hi)}]"


def general(x: float | None, digits: int = 3) -> str:
    """Any other number to ``digits`` significant digits (sensitivity indices, margins)."""
    return _minus(f"{x:.{digits}g}") if _finite(x) else MISSING


def fixed(x: float | None, digits: int = 3) -> str:
    return _minus(f"{x:.{digits}f}") if _finite(x) else MISSING


def count(n: int) -> str:
    """``10,000``."""
    return f"{n:,}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 issue``, ``6 issues``, ``10,000 draws``."""
    return f"{count(n)} {word if n == 1 else (many or word + 's')}"


def margin(x: float | None) -> str:
    """A deal margin (a decider's surplus, on the 0–1 utility scale): ``−0.43``."""
    return signed(x, 2) if x is not None and x != 0 else fixed(x, 2)


__all__ = [
    "MISSING",
    "count",
    "delta",
    "estimate",
    "fixed",
    "general",
    "interval",
    "margin",
    "number",
    "plural",
    "share",
    "share_short",
    "signed",
    "utility",
    "utility_estimate",
]
