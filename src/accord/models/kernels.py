"""Compiled loops for the parts of SMP whose cost grows as A³ (A actors), used for big scenarios.

Numpy evaluates an expression one operation at a time over whole arrays; the third-party sums of
SMP's challenges are ~25 operations on A³ numbers per draw, so at 160 actors each operation
streams 4 million numbers through memory. A compiled loop (numba, optional: ``pip install
"accord[fast]"``) computes each number's ~25 operations in registers instead.

The loops repeat numpy's arithmetic operation for operation and in the same order (sums run over
the voters or third parties one after another, as KTAB's loops do), without fast-math, so their
results are bit-for-bit those of the numpy code (``tests/models/test_kernels.py``). They are used
only where they pay for numba's start-up (about 0.2 s to import, a second or two to compile the
first time, then cached): scenarios with at least :data:`MIN_ACTORS` actors. Setting the
environment variable ``ACCORD_KERNELS=numpy`` turns them off.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

#: the compiled loops serve problems of at least this many actors (A³ numbers per draw)
MIN_ACTORS = 32
#: voting rules by code, as :func:`accord.models.pce.vote` names them
RULES = ("Prop", "Binary", "PropBin", "PropCbc", "Cubic", "ASymProsp")


def wanted(work: int) -> bool:
    """Whether a problem of ``work`` numbers per draw (A³ for A actors) should use the compiled
    loops, and they can be had."""
    if work < MIN_ACTORS**3 or os.environ.get("ACCORD_KERNELS", "").lower() == "numpy":
        return False
    return compiled() is not None


@cache
def compiled() -> Any:
    """The compiled functions (:mod:`accord.models._compiled`), or None without numba."""
    try:
        from accord.models import _compiled
    except ImportError:
        return None
    return _compiled


def rule_code(rule: str) -> int:
    return RULES.index(rule)
