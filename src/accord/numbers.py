"""The one checked path from text to number, used by every reader (YAML, JSON, plain and KTAB CSV,
KTAB XML, ``--set``, ``--param``).

Python turns any integer literal into an exact ``int``, however long: a 5,000-digit one costs
quadratic time, cannot be printed (``ValueError``: the int string limit) and does not fit a float
(``OverflowError``). Here an integer too large for a float becomes ±infinity, exactly what
``float()`` makes of a decimal literal that large, so the validator reports it like any other
infinite number ("must be a finite number"), at its place in the file, and no message ever tries to
print it. :func:`shown` is the one way messages quote a value.

>>> integer_literal("42"), integer_literal("-" + "9" * 5000)
(42, -inf)
>>> shown(10**400)
'an integer of about 401 digits'
"""

from __future__ import annotations

import math
from typing import Any

#: beyond 2**1024 an integer has no float value (1.8e308, 309 digits)
MAX_INT_BITS = 1024
#: literals longer than this are never converted digit by digit
MAX_LITERAL = 400
#: the largest capability accepted: only ratios matter, and anything larger would overflow
#: capability × salience × position sums over thousands of actors
MAX_CAPABILITY = 1e15


def bounded(value: int) -> int | float:
    """``value`` itself, or ±infinity when it is too large for a float."""
    if value.bit_length() > MAX_INT_BITS:
        return math.inf if value > 0 else -math.inf
    return value


def _sign(text: str) -> float:
    return -math.inf if text.lstrip().startswith("-") else math.inf


def integer_literal(text: str, convert: Any = int) -> int | float:
    """An integer literal's value (``convert`` reads it, e.g. YAML's own rules for ``0x1F`` or
    ``1_000``); ±infinity when it is too long to be read cheaply or too large for a float."""
    if len(text) > MAX_LITERAL:
        return _sign(text)
    return bounded(convert(text))


def number(text: str) -> float | None:
    """A finite float from a table cell or an XML element's text, else None."""
    try:
        value = float(text)
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def shown(value: Any, limit: int = 60) -> str:
    """``value`` quoted for a message: its ``repr`` cut to ``limit`` characters, a huge integer
    by its size (never printed: Python refuses beyond 4,300 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"an integer of about {digits:,} digits"
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = ["MAX_CAPABILITY", "bounded", "integer_literal", "number", "shown"]
